import { invalidParameter } from '../../../errors/index.js';
import type { ContainersService } from '../../../services/containers/service.js';
import { responseOf, type Handler } from '../../context.js';

/** A required unsigned 16-bit query value (a pty's rows or columns), as dockerd parses it. */
function dimension(q: URLSearchParams, name: string): number {
  const v = q.get(name) ?? '';
  if (!/^\d{1,5}$/.test(v) || Number(v) > 0xffff) {
    throw invalidParameter(`invalid value for ${name}: ${JSON.stringify(v)}`);
  }
  return Number(v);
}

/**
 * POST /containers/{id}/resize?h=&w=: sets a running container's TTY size (SIGWINCH inside).
 * 200 with an empty body; 400 for a missing or bad h/w, 404 for an unknown container, 409 when
 * it is not running (dockerd's answers; the spec lists only 200, 404 and 500).
 */
export const resizeHandler =
  (svc: ContainersService): Handler =>
  async (ctx) => {
    const rows = dimension(ctx.query, 'h');
    const cols = dimension(ctx.query, 'w');
    await svc.resize(ctx.params['id'] ?? '', rows, cols);
    const res = responseOf(ctx);
    res.writeHead(200, { 'Content-Length': 0 });
    res.end();
  };
