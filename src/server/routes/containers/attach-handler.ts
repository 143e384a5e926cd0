import type { AttachConnection } from '../../../drivers/runtime/attach.js';
import { invalidParameter } from '../../../errors/index.js';
import { parseDetachKeys } from '../../../lib/detach-keys.js';
import type { AttachSession } from '../../../services/containers/attach-hub.js';
import type { ContainersService } from '../../../services/containers/service.js';
import type { Handler } from '../../context.js';
import { boolQuery } from '../../http.js';
import { discardInput, relayInput } from '../../streams/attach-input.js';
import { skipUpgradeBody } from '../../streams/upgrade-body.js';
import {
  encodeOutput,
  hijack,
  multiplexedStream,
  rawStream,
  type StreamSink,
} from '../../streams/hijack.js';

/** Docker's `detachKeys` query value, parsed; a bad one is a 400 before any byte is sent. */
export function detachKeysQuery(q: URLSearchParams): Buffer {
  const spec = q.get('detachKeys') ?? '';
  try {
    return parseDetachKeys(spec);
  } catch {
    throw invalidParameter(`Invalid detach keys (${spec}) provided`);
  }
}

/**
 * POST /containers/{id}/attach: hijacks the connection and relays the container's stdio in
 * stdcopy frames (raw for a TTY). `logs=1` replays the log first, `stream=1` relays live output
 * (sessions attached before start see all of it), `stdin=1` forwards input when the container
 * was created with OpenStdin. With a TTY the detach keys (default ctrl-p ctrl-q, `detachKeys`)
 * close this client's connection and leave the container running. Whatever way the client
 * leaves, its conmon connection and listeners are released. A request body is read and dropped,
 * as Docker drops it.
 */
export const attachHandler =
  (svc: ContainersService): Handler =>
  async (ctx) => {
    const q = ctx.query;
    const c = svc.inspect(ctx.params['id'] ?? ''); // NotFound before the connection is taken over
    const tty = c.config.tty;
    const detachKeys = detachKeysQuery(q);
    const wantStdin = boolQuery(q, 'stdin') && c.config.openStdin;
    const opts = { logs: boolQuery(q, 'logs'), stream: boolQuery(q, 'stream') };
    // A body (dockerode repeats the options as JSON) is not stdin: only what follows it is.
    const head = ctx.upgrade
      ? await skipUpgradeBody(ctx.req, ctx.upgrade.socket, ctx.upgrade.head)
      : Buffer.alloc(0);

    let sink: StreamSink | undefined = undefined; // set by the hijack below
    const early: Buffer[] = []; // output that came before the hijack below
    let ended = false;
    let closed = false;
    let conn: AttachConnection | undefined;
    let stopInput = (): void => undefined;
    let detach = (): void => undefined;

    const cleanup = (): void => {
      if (closed) return;
      closed = true;
      stopInput();
      conn?.close();
      detach();
    };
    const wireInput = (): void => {
      const input = sink?.input;
      if (!input || !conn || !wantStdin || closed) return;
      stopInput = relayInput(head, input, conn, {
        tty,
        closeStdinOnEnd: c.config.stdinOnce,
        detachKeys,
        detach: () => {
          cleanup();
          sink?.end();
        },
      });
      input.resume(); // paused while the body was read; the relay listens now
    };
    const session: AttachSession = {
      stdout: boolQuery(q, 'stdout'),
      stderr: boolQuery(q, 'stderr'),
      write: (stream, data) => {
        const bytes = encodeOutput(tty, stream, data);
        if (sink) sink.write(bytes);
        else early.push(bytes);
      },
      end: () => {
        ended = true;
        sink?.end();
      },
      drained: () => sink?.drained?.() ?? Promise.resolve(),
      onConnected: (cn) => {
        if (closed) return cn.close();
        conn = cn;
        wireInput();
      },
    };

    const attached = await svc.attach(c.id, session, opts);
    detach = attached.detach;
    sink = hijack(ctx, tty ? rawStream : multiplexedStream);
    for (const b of early) sink.write(b);
    if (ended) sink.end();
    sink.onClose(cleanup);
    if (ctx.upgrade?.socket.destroyed === true) cleanup();
    if (!wantStdin && sink.input) {
      discardInput(sink.input);
      sink.input.resume();
    }
    wireInput();
  };
