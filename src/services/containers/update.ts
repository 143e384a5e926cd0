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
import { BLKIO_WARNINGS, detectBlkioSupport } from './blkio.js';

/** What POST /update may change. */
export interface ContainerUpdate {
  restartPolicy?: RestartPolicy;
  resources?: Partial<ContainerResources>;
}

/**
 * The OCI LinuxResources that `runc update` takes, from Docker's limits. A blkio weight the
 * update sets is included only where the host's cgroups have it (else Docker's warning).
 */
function ociResources(r: ContainerResources, newWeight: boolean, warnings: string[]): object {
  const { memory, cpu, pidsLimit } = runtimeResources(r);
  let blockIO: { weight: number } | undefined;
  if (newWeight && r.blkioWeight > 0) {
    if (detectBlkioSupport().weight) blockIO = { weight: r.blkioWeight };
    else warnings.push(BLKIO_WARNINGS.weight);
  }
  return {
    ...(memory ? { memory } : {}),
    ...(cpu ? { cpu } : {}),
    ...(pidsLimit ? { pids: { limit: pidsLimit } } : {}),
    ...(blockIO ? { blockIO } : {}),
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
    const warnings: string[] = [];
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
      checkResources(resources, undefined, { hostDevices: false });
      const newWeight = update.resources.blkioWeight !== undefined;
      const oci = ociResources(resources, newWeight, warnings);
      if (isActive(ctx.status(c))) await ctx.deps.runtime.update(id, oci);
      config = { ...config, resources };
    }
    ctx.deps.repo.saveConfig(id, config);
    ctx.deps.events.publish('container', 'update', id, { name: c.name, image: c.imageRef });
    return warnings;
  });
}
