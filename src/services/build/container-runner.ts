import type { ContainersService } from '../containers/service.js';
import type { Snapshotter } from '../../drivers/snapshot/snapshotter.js';
import type { BuildContainers } from './types.js';

/** The containers service as the builder uses it: RUN steps are ordinary containers. */
export function buildContainers(svc: ContainersService, snapshotter: Snapshotter): BuildContainers {
  return {
    create: (req) => svc.create(req),
    start: (id) => svc.start(id),
    wait: (id) => svc.wait(id, 'not-running').result,
    kill: (id) => svc.kill(id, 'SIGKILL'),
    remove: (id) => svc.remove(id, { force: true }),
    upperDir: (id) => snapshotter.upperDir(id),
    inspect: (idOrName) => svc.inspect(idOrName),
    pause: (id) => svc.pause(id),
    unpause: (id) => svc.unpause(id),
    imagesInUse: () =>
      new Set(svc.list({ all: true, limit: -1, filters: {} }).map((c) => c.imageId)),
    async *output(id, signal) {
      const { batches } = svc.logs(id, {
        follow: true,
        stdout: true,
        stderr: true,
        tail: -1,
        signal,
      });
      for await (const batch of batches) {
        const parts: Buffer[] = [];
        for (let i = 0; i < batch.length; i++) parts.push(batch.entry(i).data);
        if (parts.length > 0) yield Buffer.concat(parts);
      }
    },
  };
}
