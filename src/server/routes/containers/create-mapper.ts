import type { ContainerCreateBody } from '../../../api/index.js';
import { invalidParameter } from '../../../errors/index.js';
import { securityFromHostConfig } from './security-mapper.js';
import { resourcesFromHostConfig } from './resources-mapper.js';
import type { CreateContainerRequest } from '../../../services/containers/types.js';
import type { HealthConfig } from '../../../services/containers/health/config.js';
import { networkFieldsOf } from './network-mapper.js';
import { mountsFromBody } from '../volumes/mounts-mapper.js';
import { annotationsOf, checkPlatformOptions } from './platform-options.js';

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
const notYetSupported = ['DeviceRequests'] as const;

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
  checkPlatformOptions(body);
  if (hc.Runtime && hc.Runtime !== 'runc') {
    throw invalidParameter(`unknown or invalid runtime name: ${hc.Runtime}`);
  }
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
  // The docker CLI sends these as [] when unset: only a non-empty list is an option.
  const list = (v: string[] | null | undefined) => (v && v.length > 0 ? v : undefined);
  put('dns', list(hc.Dns));
  put('dnsSearch', list(hc.DnsSearch));
  put('dnsOptions', list(hc.DnsOptions));
  put('extraHosts', hc.ExtraHosts);
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
  put('mounts', mountsFromBody(hc, body.Volumes));
  // NetworkDisabled: no network at all, whatever the mode says (as Docker's sandbox-less start).
  put('networkMode', body.NetworkDisabled === true ? 'none' : hc.NetworkMode || undefined);
  put('annotations', annotationsOf(body));
  Object.assign(req, networkFieldsOf(body));
  put('shmSize', hc.ShmSize || undefined);
  if (hc.RestartPolicy && hc.RestartPolicy.Name) {
    req.restartPolicy = {
      name: hc.RestartPolicy.Name,
      maximumRetryCount: hc.RestartPolicy.MaximumRetryCount ?? 0,
    };
  }
  // The docker CLI always sends {"Type": "", "Config": {}}: the daemon's default, no options.
  const lc = hc.LogConfig;
  if (lc && (lc.Type || Object.keys(lc.Config ?? {}).length > 0)) {
    req.logConfig = {
      ...(lc.Type ? { type: lc.Type } : {}),
      ...(lc.Config ? { config: lc.Config } : {}),
    };
  }
  const health = healthcheckOf(body.Healthcheck);
  if (health) req.healthcheck = health;
  const cs = hc.ConsoleSize;
  if (Array.isArray(cs) && cs.length === 2) req.consoleSize = [cs[0] ?? 0, cs[1] ?? 0];
  return req;
}
