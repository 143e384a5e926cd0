import { invalidParameter } from '../../../errors/index.js';
import { checkResources, noResources } from '../../../services/containers/resources.js';
import type { BuildRunOptions } from '../../../services/build/types.js';
import { intQuery } from '../../http.js';
import { resourcesFromHostConfig } from '../containers/resources-mapper.js';
import { securityFromHostConfig } from '../containers/security-mapper.js';

/**
 * The limits and security options of the RUN containers (`docker build --memory`, the cpu options,
 * the cpuset options, `--cgroup-parent`, `--ulimit`, `--security-opt`), read through the same mappers
 * as a container create and checked before the build starts, so a bad value is a 400 and not a
 * failure at the first RUN. `isolation` must be Linux's only one.
 */
export function buildRunOptionsFromQuery(q: URLSearchParams): BuildRunOptions {
  const isolation = q.get('isolation') ?? '';
  if (isolation !== '' && isolation !== 'default') {
    throw invalidParameter(`invalid isolation '${isolation}' on linux`);
  }
  const str = (name: string): string => q.get(name) ?? '';
  const resources = resourcesFromHostConfig({
    Memory: intQuery(q, 'memory', 0),
    MemorySwap: intQuery(q, 'memswap', 0),
    CpuShares: intQuery(q, 'cpushares', 0),
    CpuQuota: intQuery(q, 'cpuquota', 0),
    CpuPeriod: intQuery(q, 'cpuperiod', 0),
    CpusetCpus: str('cpusetcpus'),
    CpusetMems: str('cpusetmems'),
    CgroupParent: str('cgroupparent'),
  });
  if (resources) checkResources({ ...noResources, ...resources });
  const security = securityFromHostConfig({
    Ulimits: jsonQuery(q, 'ulimits'),
    SecurityOpt: q.getAll('securityopt').filter((o) => o !== ''),
  } as Parameters<typeof securityFromHostConfig>[0]);
  return { ...(resources ? { resources } : {}), ...(security ? { security } : {}) };
}

function jsonQuery(q: URLSearchParams, name: string): unknown {
  const raw = q.get(name);
  if (raw === null || raw === '') return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw invalidParameter(`invalid ${name} parameter: not JSON`);
  }
}
