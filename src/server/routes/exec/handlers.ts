import { validateRequestBody, type ContainerExecBody } from '../../../api/index.js';
import { invalidParameter } from '../../../errors/index.js';
import { parseDetachKeys } from '../../../lib/detach-keys.js';
import type { ContainersService } from '../../../services/containers/service.js';
import type { ExecOutput } from '../../../services/containers/exec/types.js';
import { responseOf, type Handler, type RequestContext } from '../../context.js';
import { intQuery, readJsonBody, sendJson } from '../../http.js';
import { discardInput, relayInput } from '../../streams/attach-input.js';
import { encodeOutput, hijack, multiplexedStream, rawStream } from '../../streams/hijack.js';
import { execRequestFromBody, startOptionsFromBody, toExecInspect } from './mapper.js';
import { readUpgradeBody } from '../../streams/upgrade-body.js';

const param = (ctx: RequestContext, name: string): string => ctx.params[name] ?? '';

/** POST /containers/{id}/exec */
export const execCreateHandler =
  (svc: ContainersService): Handler =>
  async (ctx) => {
    const body = await readJsonBody(ctx.req);
    validateRequestBody('ContainerExec', body);
    const id = svc.execCreate(param(ctx, 'id'), execRequestFromBody(body as ContainerExecBody));
    sendJson(responseOf(ctx), 201, { Id: id });
  };

/** GET /exec/{id}/json */
export const execInspectHandler =
  (svc: ContainersService): Handler =>
  async (ctx) => {
    sendJson(responseOf(ctx), 200, toExecInspect(svc.execInspect(param(ctx, 'id'))));
  };

/** POST /exec/{id}/resize?h=&w= */
export const execResizeHandler =
  (svc: ContainersService): Handler =>
  async (ctx) => {
    const q = ctx.query;
    if (!q.get('h') || !q.get('w')) throw invalidParameter('h and w are required');
    await svc.execResize(param(ctx, 'id'), intQuery(q, 'h', 0), intQuery(q, 'w', 0));
    responseOf(ctx).writeHead(200).end();
  };

/**
 * POST /exec/{id}/start. Detached: 200 with no body once the process runs. Otherwise the
 * connection is hijacked like attach (101 for an upgrade request), output is stdcopy-framed
 * unless the start asked for a TTY, the client's input goes to the exec's stdin and its
 * half-close closes that stdin. The stream ends after the exit code is recorded, so an inspect
 * right after shows it.
 */
export const execStartHandler =
  (svc: ContainersService): Handler =>
  async (ctx) => {
    const id = param(ctx, 'id');
    let body: unknown;
    let rest: Buffer = Buffer.alloc(0);
    if (ctx.upgrade) {
      ({ body, rest } = await readUpgradeBody(ctx.req, ctx.upgrade.socket, ctx.upgrade.head));
    } else {
      body = await readJsonBody(ctx.req);
    }
    validateRequestBody('ExecStart', body);
    const o = startOptionsFromBody(body as Parameters<typeof startOptionsFromBody>[0]);
    const view = svc.execInspect(id); // 404 before anything is sent
    const size = o.consoleSize === null ? {} : { consoleSize: o.consoleSize };
    if (o.detach) {
      await svc.execStart(id, { detach: true, ...size });
      if (ctx.upgrade) ctx.upgrade.socket.end('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
      else responseOf(ctx).writeHead(200).end();
      return;
    }
    const open = (): ExecOutput => {
      const sink = hijack(ctx, o.tty ? rawStream : multiplexedStream);
      return {
        write: (stream, data) => void sink.write(encodeOutput(o.tty, stream, data)),
        end: () => sink.end(),
        onConnected: (conn) => {
          let stopInput = (): void => undefined;
          sink.onClose(() => {
            stopInput();
            conn.close();
          });
          const input = sink.input;
          if (input === undefined) return;
          if (view.openStdin) {
            // Non-TTY: the client's half-close closes the exec's stdin. TTY: the detach keys, or
            // the client's end of input, detach; the exec keeps running (conmon leaves its stdin
            // open), as Docker's.
            stopInput = relayInput(rest, input, conn, {
              tty: view.processConfig.tty,
              closeStdinOnEnd: true,
              detachKeys: parseDetachKeys(view.detachKeys),
              detach: () => {
                conn.close();
                sink.end();
              },
            });
          } else {
            discardInput(input); // reading still notices the client leaving
          }
          input.resume();
        },
      };
    };
    await svc.execStart(id, { detach: false, ...size, open });
  };
