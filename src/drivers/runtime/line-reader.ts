import type { Readable } from 'node:stream';

/** Longest line kept; conmon's sync messages are far shorter (a runtime error is a few KiB). */
const MAX_LINE = 65536;

/**
 * Reads '\n'-terminated lines from a stream one at a time, for conmon's sync and attach pipes,
 * which deliver several JSON lines over the life of one process. After EOF, `next()` yields
 * what came before it without a newline (once), then null.
 */
export class LineReader {
  #buf = '';
  #ended = false;
  #waiter: (() => void) | undefined;

  constructor(stream: Readable) {
    stream.on('data', (b: Buffer) => {
      this.#buf += b.toString('utf8');
      if (this.#buf.length > MAX_LINE && !this.#buf.includes('\n')) this.#buf += '\n';
      this.#wake();
    });
    const end = (): void => {
      this.#ended = true;
      this.#wake();
    };
    stream.once('end', end);
    stream.once('close', end);
    stream.once('error', end);
  }

  /** The next line without its newline, or null at end of stream. */
  async next(): Promise<string | null> {
    for (;;) {
      const nl = this.#buf.indexOf('\n');
      if (nl >= 0) {
        const line = this.#buf.slice(0, nl);
        this.#buf = this.#buf.slice(nl + 1);
        return line;
      }
      if (this.#ended) {
        const rest = this.#buf;
        this.#buf = '';
        return rest === '' ? null : rest;
      }
      await new Promise<void>((resolve) => (this.#waiter = resolve));
    }
  }

  #wake(): void {
    const w = this.#waiter;
    this.#waiter = undefined;
    w?.();
  }
}
