import type { ServerResponse } from 'node:http';
import { classify } from '../errors.js';

/** A started progress stream (200 sent): one JSON object per line, as Docker's. */
export interface ProgressStream {
  write(m: object): void;
  /** Reports a failure after the 200: `{"errorDetail":{"message"},"error"}`, then ends. */
  fail(err: unknown): void;
  end(): void;
  /** True once the client went away (writes are then dropped). */
  readonly closed: boolean;
}

/**
 * Sends the 200 with `application/json` and returns the line writer. Called only once
 * everything that can fail as a status (bad reference, unknown tag) was checked.
 */
export function openProgressStream(res: ServerResponse): ProgressStream {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.flushHeaders();
  let closed = false;
  res.on('close', () => (closed = true));
  const write = (m: object): void => {
    if (closed || res.writableEnded) return;
    res.write(`${JSON.stringify(m)}\r\n`);
  };
  return {
    write,
    fail(err) {
      const { message } = classify(err);
      write({ errorDetail: { message }, error: message });
      if (!res.writableEnded) res.end();
    },
    end() {
      if (!res.writableEnded) res.end();
    },
    get closed() {
      return closed;
    },
  };
}
