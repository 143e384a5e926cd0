import type { HostConfig } from '../../../api/index.js';
import type { ContainerResources } from '../../../services/containers/resources.js';

/**
 * The resource fields of a create or update body, as the service's limits; undefined when none is
 * set. Docker's nulls and zeros mean unset; a PidsLimit of 0 or -1 means unlimited.
 */
export function resourcesFromHostConfig(
  hc: HostConfig | Record<string, unknown>,
): Partial<ContainerResources> | undefined {
  const h = hc as Record<string, unknown>;
  const num = (k: string): number | undefined =>
    typeof h[k] === 'number' && h[k] !== 0 ? (h[k] as number) : undefined;
  const str = (k: string): string | undefined =>
    typeof h[k] === 'string' && h[k] !== '' ? (h[k] as string) : undefined;
  const out: Partial<ContainerResources> = {};
  const set = <K extends keyof ContainerResources>(
    k: K,
    v: ContainerResources[K] | undefined,
  ): void => {
    if (v !== undefined) out[k] = v;
  };
  set('memory', num('Memory'));
  set('memorySwap', num('MemorySwap'));
  set('memoryReservation', num('MemoryReservation'));
  set('nanoCpus', num('NanoCpus'));
  set('cpuShares', num('CpuShares'));
  set('cpuQuota', num('CpuQuota'));
  set('cpuPeriod', num('CpuPeriod'));
  set('cpusetCpus', str('CpusetCpus'));
  set('cpusetMems', str('CpusetMems'));
  const pids = num('PidsLimit');
  if (pids !== undefined && pids > 0) out.pidsLimit = pids;
  if (h['OomKillDisable'] === true) out.oomKillDisable = true;
  return Object.keys(out).length > 0 ? out : undefined;
}
