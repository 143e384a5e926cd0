import { invalidParameter } from '../../errors/index.js';
import type { ContainerContext } from './context.js';
import { checkRestartPolicy, type RestartPolicy } from './restart-policy.js';

/** What POST /update may change (resource limits arrive with the isolation issue). */
export interface ContainerUpdate {
  restartPolicy?: RestartPolicy;
}

/** Changes a container's restart policy, live; Docker refuses one on an auto-remove container. */
export async function updateContainer(
  ctx: ContainerContext,
  idOrName: string,
  update: ContainerUpdate,
): Promise<string[]> {
  const { id } = ctx.lookup(idOrName);
  return ctx.mutex.run(id, async () => {
    const c = ctx.reload(id);
    const policy = update.restartPolicy;
    if (policy === undefined) return [];
    checkRestartPolicy(policy);
    if (c.config.autoRemove && policy.name !== 'no' && policy.name !== '') {
      throw invalidParameter(
        'Restart policy cannot be updated because AutoRemove is enabled for the container',
      );
    }
    ctx.deps.repo.saveConfig(id, { ...c.config, restartPolicy: policy });
    ctx.deps.events.publish('container', 'update', id, { name: c.name, image: c.imageRef });
    return [];
  });
}
