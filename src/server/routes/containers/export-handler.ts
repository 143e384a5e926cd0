import type { ContainersService } from '../../../services/containers/service.js';
import { responseOf, type Handler } from '../../context.js';

/**
 * GET /containers/{id}/export (`docker export`): the container's filesystem as a tar stream
 * (`application/x-tar`). An unknown container is a 404 before any byte; a failure after the first
 * byte aborts the connection, since a tar cannot carry an error.
 */
export const exportHandler =
  (svc: ContainersService): Handler =>
  async (ctx) => {
    const id = ctx.params['id'] ?? '';
    const archive = await svc.export(id);
    const res = responseOf(ctx);
    res.writeHead(200, { 'Content-Type': 'application/x-tar' });
    archive.on('error', (e) => {
      ctx.log(`export of ${id} failed: ${e.message}`);
      res.destroy(e);
    });
    res.on('close', () => archive.destroy());
    archive.pipe(res);
  };
