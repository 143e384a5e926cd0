import { invalidParameter } from '../../errors/index.js';
import type { ContainerContext } from './context.js';
import { checkRestartPolicy, type RestartPolicy } from './restart-policy.js';
import {
  checkResources,
  noResources,
  runtimeResources,
  type ContainerResources,
} from './resources.js';
import { isActive } from './state.js';

/** What POST /update may change. */
export interface ContainerUpdate {
  restartPolicy?: RestartPolicy;
  resources?: Partial<ContainerResources>;
}

/** The OCI LinuxResources that `runc update` takes, from Docker's limits. */
function ociResources(r: ContainerResources): object {
  const { memory, cpu, pidsLimit } = runtimeResources(r);
  return {
    ...(memory ? { memory } : {}),
    ...(cpu ? { cpu } : {}),
    ...(pidsLimit ? { pids: { limit: pidsLimit } } : {}),
  };
}

/**
 * Changes a container's restart policy and resource limits. Limits of a running container are
 * applied live to its cgroup first; the new configuration is stored only once that worked.
 * Docker refuses a restart policy on an auto-remove container.
 */
export async function updateContainer(
  ctx: ContainerContext,
  idOrName: string,
  update: ContainerUpdate,
): Promise<string[]> {
  const { id } = ctx.lookup(idOrName);
  return ctx.mutex.run(id, async () => {
    const c = ctx.reload(id);
    let config = c.config;
    const policy = update.restartPolicy;
    if (policy !== undefined) {
      checkRestartPolicy(policy);
      if (c.config.autoRemove && policy.name !== 'no' && policy.name !== '') {
        throw invalidParameter(
          'Restart policy cannot be updated because AutoRemove is enabled for the container',
        );
      }
      config = { ...config, restartPolicy: policy };
    }
    if (update.resources !== undefined) {
      const resources = { ...noResources, ...c.config.resources, ...update.resources };
      checkResources(resources);
      if (isActive(ctx.status(c))) await ctx.deps.runtime.update(id, ociResources(resources));
      config = { ...config, resources };
    }
    ctx.deps.repo.saveConfig(id, config);
    ctx.deps.events.publish('container', 'update', id, { name: c.name, image: c.imageRef });
    return [];
  });
}
