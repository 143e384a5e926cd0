import type { EventEmitter } from 'node:events';

/**
 * Resolves once a writable whose buffer is full emits 'drain', or 'close' (the peer went away,
 * so nobody will ever drain it). Both listeners are removed either way: a long stream that stalls
 * often must not pile them up.
 */
export function drainOrClose(w: EventEmitter): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      w.off('drain', done);
      w.off('close', done);
      resolve();
    };
    w.on('drain', done);
    w.on('close', done);
  });
}
