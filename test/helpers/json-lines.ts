import { request, type ClientRequest, type IncomingMessage } from 'node:http';

/** An open streaming response whose body is newline-separated JSON (events, stats). */
export interface JsonLineStream {
  status: number;
  headers: IncomingMessage['headers'];
  /** The next object; rejects after `timeoutMs`, resolves undefined at the end of the body. */
  next(timeoutMs?: number): Promise<unknown>;
  /** Drops the connection (a client that goes away). */
  close(): void;
}

/**
 * Opens GET `path` on `socketPath` and resolves as soon as the response headers arrive (before
 * any body), so tests can check that a stream is open before anything happened.
 */
export function openJsonLines(socketPath: string, path: string): Promise<JsonLineStream> {
  return new Promise((resolve, reject) => {
    const req: ClientRequest = request({ socketPath, path, method: 'GET', agent: false }, (res) => {
      const lines: string[] = [];
      let buf = '';
      let ended = false;
      let wake: (() => void) | undefined;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl).trim();
          buf = buf.slice(nl + 1);
          if (line !== '') lines.push(line);
        }
        wake?.();
      });
      const onEnd = (): void => {
        ended = true;
        wake?.();
      };
      res.on('end', onEnd);
      res.on('close', onEnd);
      res.on('error', onEnd);
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        async next(timeoutMs = 10_000) {
          const deadline = Date.now() + timeoutMs;
          for (;;) {
            const line = lines.shift();
            if (line !== undefined) return JSON.parse(line) as unknown;
            if (ended) return undefined;
            const left = deadline - Date.now();
            if (left <= 0) throw new Error(`no line within ${timeoutMs} ms on ${path}`);
            await new Promise<void>((r) => {
              const t = setTimeout(r, left);
              wake = () => {
                clearTimeout(t);
                wake = undefined;
                r();
              };
            });
          }
        },
        close() {
          req.destroy();
          res.destroy();
        },
      });
    });
    req.on('error', reject);
    req.end();
  });
}
