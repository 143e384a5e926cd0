import type { ContainerCreateBody } from '../../../api/index.js';
import { invalidParameter } from '../../../errors/index.js';
import { securityFromHostConfig } from './security-mapper.js';
import { resourcesFromHostConfig } from './resources-mapper.js';
import type { CreateContainerRequest } from '../../../services/containers/types.js';
import type { HealthConfig } from '../../../services/containers/health/config.js';

/** Docker's strslice: a JSON string means a one-element list; null means unset. */
function strslice(v: unknown): string[] | undefined {
  if (v === null || v === undefined) return undefined;
  return typeof v === 'string' ? [v] : (v as string[]);
}

const isSet = (v: unknown): boolean =>
  v !== null &&
  v !== undefined &&
  v !== false &&
  v !== 0 &&
  v !== '' &&
  !(Array.isArray(v) && v.length === 0) &&
  !(typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0);

/**
 * Host options that later issues implement. Until then a request that sets one is refused
 * instead of silently run without what the user asked for (a limit, a mount, a privilege).
 */
const notYetSupported = [
  'Binds',
  'Mounts',
  'PortBindings',
  'PublishAllPorts',
  'Devices',
  'DeviceCgroupRules',
  'DeviceRequests',
  'VolumesFrom',
  'Tmpfs',
  'UsernsMode',
  'ExtraHosts',
  'Dns',
  'DnsSearch',
  'DnsOptions',
  'Links',
  'CgroupParent',
  'BlkioWeight',
] as const;

/**
 * `Healthcheck` (durations in ns; a zero inherits from the image). One with nothing set at all is
 * taken as absent, so it does not mask the image's HEALTHCHECK.
 */
function healthcheckOf(h: ContainerCreateBody['Healthcheck'] | null): HealthConfig | undefined {
  if (!h) return undefined;
  const config: HealthConfig = {
    test: strslice(h.Test) ?? [],
    intervalNs: h.Interval ?? 0,
    timeoutNs: h.Timeout ?? 0,
    startPeriodNs: h.StartPeriod ?? 0,
    startIntervalNs: h.StartInterval ?? 0,
    retries: h.Retries ?? 0,
  };
  const { test, ...rest } = config;
  return test.length > 0 || Object.values(rest).some((v) => v !== 0) ? config : undefined;
}

/** Maps a validated POST /containers/create body (and `?name=`) to the service's request. */
export function createRequestFromBody(
  body: ContainerCreateBody,
  name: string | null,
): CreateContainerRequest {
  if (typeof body.Image !== 'string' || body.Image === '') {
    throw invalidParameter('config cannot be empty in order to create a container');
  }
  const hc = body.HostConfig ?? {};
  for (const field of notYetSupported) {
    const v = (hc as Record<string, unknown>)[field];
    if (isSet(v)) throw invalidParameter(`HostConfig.${field} is not supported by this engine yet`);
  }
  if (hc.Runtime && hc.Runtime !== 'runc') {
    throw invalidParameter(`unknown or invalid runtime name: ${hc.Runtime}`);
  }
  if (isSet(body.Volumes)) throw invalidParameter('Volumes is not supported by this engine yet');
  const req: CreateContainerRequest = { image: body.Image };
  const put = <K extends keyof CreateContainerRequest>(
    k: K,
    v: CreateContainerRequest[K] | null | undefined,
  ): void => {
    if (v !== undefined && v !== null) req[k] = v;
  };
  put('name', name || undefined);
  put('cmd', strslice(body.Cmd));
  put('entrypoint', strslice(body.Entrypoint));
  put('env', body.Env);
  put('workingDir', body.WorkingDir);
  put('user', body.User);
  put('hostname', body.Hostname);
  put('domainname', body.Domainname);
  put('labels', body.Labels);
  put('tty', body.Tty);
  put('openStdin', body.OpenStdin);
  put('stdinOnce', body.StdinOnce);
  put('attachStdin', body.AttachStdin);
  put('attachStdout', body.AttachStdout);
  put('attachStderr', body.AttachStderr);
  put('stopSignal', body.StopSignal);
  put('stopTimeout', body.StopTimeout);
  put('autoRemove', hc.AutoRemove);
  const resources = resourcesFromHostConfig(hc);
  if (resources) req.resources = resources;
  put('init', hc.Init);
  put('security', securityFromHostConfig(hc));
  put('networkMode', hc.NetworkMode || undefined);
  put('shmSize', hc.ShmSize || undefined);
  if (hc.RestartPolicy && hc.RestartPolicy.Name) {
    req.restartPolicy = {
      name: hc.RestartPolicy.Name,
      maximumRetryCount: hc.RestartPolicy.MaximumRetryCount ?? 0,
    };
  }
  const health = healthcheckOf(body.Healthcheck);
  if (health) req.healthcheck = health;
  const cs = hc.ConsoleSize;
  if (Array.isArray(cs) && cs.length === 2) req.consoleSize = [cs[0] ?? 0, cs[1] ?? 0];
  return req;
}
