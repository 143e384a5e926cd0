import { mkdir, rm } from 'node:fs/promises';
import { conflict, invalidParameter, isKind } from '../../errors/index.js';
import { newId } from '../../lib/ids.js';
import { rfc3339Nano } from '../../lib/time.js';
import { createdRunState } from '../../store/metadata/containers-repository.js';
import { containerEventAttributes } from './event-attributes.js';
import type { ContainerContext } from './context.js';
import type { ResolvedImage } from './deps.js';
import { checkName, generateName } from './names.js';
import { checkNameOptions } from './name-options.js';
import { checkRestartPolicy } from './restart-policy.js';
import { resolveSecurity } from './security-options.js';
import { checkUsernsConflicts, ownForUserns } from './userns.js';
import { checkResources, noResources, type ContainerResources } from './resources.js';
import { mergeHealthConfig, validateHealthConfig } from './health/config.js';
import { resolveLogConfig } from './log-config.js';
import type { ContainerConfig, CreateContainerRequest } from './types.js';
import type { PortsConfig } from '../networks/types.js';
import {
  planContainerMounts,
  removeCreatedVolumes,
  setUpContainerMounts,
} from './mounts/container-mounts.js';

/** default, bridge, none, host, container:<id or name>, or a network's name or id. */
const networkModePattern = /^(container:)?[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

/**
 * The user's env, then the image's variables the user did not set; a bare `NAME` (no `=`) unsets
 * the image's variable, as in Docker.
 */
function mergeEnv(image: string[], user: string[]): string[] {
  const key = (e: string): string => e.split('=', 1)[0] ?? e;
  const userKeys = new Set(user.map(key));
  // Docker's order: the user's variables first, then the image's that the user did not set.
  return [...user.filter((e) => e.includes('=')), ...image.filter((e) => !userKeys.has(key(e)))];
}

/** The request's ports plus the image's EXPOSE list (what `-P` publishes), as Docker merges them. */
function withImagePorts(ports: CreateContainerRequest['ports'], image: string[]): PortsConfig {
  const p = ports ?? { exposed: [], bindings: {}, publishAll: false };
  return { ...p, exposed: [...new Set([...image, ...p.exposed])] };
}

/** Applies Docker's rules for combining a create request with the image's defaults. */
export function resolveConfig(req: CreateContainerRequest, image: ResolvedImage): ContainerConfig {
  const ic = image.config;
  // Docker's rules: a non-empty user entrypoint resets the image's Cmd unless the user also gave
  // one; an empty Cmd list counts as not given; an empty entrypoint list clears the image's;
  // and `--entrypoint ""` ([""]) means no entrypoint.
  const userEp = req.entrypoint !== undefined && req.entrypoint.length > 0;
  const userCmd = req.cmd !== undefined && req.cmd.length > 0 ? req.cmd : undefined;
  const given = req.entrypoint ?? ic.entrypoint;
  const entrypoint = given.length === 1 && given[0] === '' ? [] : given;
  const cmd = userCmd ?? (userEp ? [] : ic.cmd);
  if (entrypoint.length === 0 && cmd.length === 0) {
    throw invalidParameter('No command specified');
  }
  const networkMode = req.networkMode ?? 'default';
  if (!networkModePattern.test(networkMode)) {
    throw invalidParameter(`invalid network mode "${networkMode}"`);
  }
  for (const e of req.env ?? []) {
    if (e === '' || e.startsWith('=')) throw invalidParameter(`invalid environment variable: ${e}`);
  }
  const shmSize = req.shmSize ?? 0;
  if (shmSize < 0) throw invalidParameter('SHM size can not be less than 0');
  const resources: ContainerResources = { ...noResources, ...req.resources };
  checkResources(resources);
  const security = resolveSecurity(req.security, { networkMode, hostname: req.hostname ?? '' });
  const nameOptions = checkNameOptions(req);
  const restartPolicy = req.restartPolicy ?? { name: 'no', maximumRetryCount: 0 };
  checkRestartPolicy(restartPolicy);
  if (req.healthcheck) validateHealthConfig(req.healthcheck);
  const logConfig = resolveLogConfig(req.logConfig);
  if (req.autoRemove && restartPolicy.name !== 'no' && restartPolicy.name !== '') {
    throw invalidParameter("can't create 'AutoRemove' container with restart policy");
  }
  return {
    entrypoint,
    cmd,
    env: mergeEnv(ic.env, req.env ?? []),
    workingDir: req.workingDir || ic.workingDir,
    user: req.user || ic.user,
    hostname: req.hostname ?? '',
    domainname: req.domainname ?? '',
    ...nameOptions,
    labels: { ...ic.labels, ...(req.labels ?? {}) },
    tty: req.tty ?? false,
    openStdin: req.openStdin ?? false,
    stdinOnce: req.stdinOnce ?? false,
    attachStdin: req.attachStdin ?? false,
    attachStdout: req.attachStdout ?? false,
    attachStderr: req.attachStderr ?? false,
    stopSignal: req.stopSignal || ic.stopSignal || 'SIGTERM',
    stopTimeout: req.stopTimeout ?? null,
    autoRemove: req.autoRemove ?? false,
    init: req.init ?? false,
    networkMode,
    ports: withImagePorts(req.ports, ic.exposedPorts ?? []),
    links: req.links ?? [],
    restartPolicy,
    shmSize: shmSize || 64 * 1024 * 1024,
    consoleSize: req.consoleSize ?? null,
    resources,
    layers: image.layers,
    healthcheck: mergeHealthConfig(req.healthcheck, ic.healthcheck ?? null),
    security,
    logConfig,
    ...(req.annotations ? { annotations: { ...req.annotations } } : {}),
  };
}

/**
 * Creates a container: resolves the image, claims the name together with the new row, then
 * prepares the rootfs snapshot. A failure after the row exists removes it again.
 */
export async function createContainer(
  ctx: ContainerContext,
  req: CreateContainerRequest,
): Promise<{ id: string; warnings: string[] }> {
  const { deps } = ctx;
  const explicitName = req.name ? checkName(req.name) : undefined;
  const image = await deps.images.resolve(req.image);
  const config = resolveConfig(req, image);
  checkUsernsConflicts(config, deps.userns);
  const mounts = planContainerMounts(ctx, req.mounts ?? {}, image.config.volumes ?? []);
  if (mounts.length > 0) config.mounts = mounts;
  if (req.mounts) config.mountsRequest = req.mounts;
  const net = deps.networking;
  if (net && config.ports) config.ports = net.checkPorts(config.ports);
  else if (!net && !/^(default|bridge|none|host)$/.test(config.networkMode))
    throw invalidParameter(`network mode "${config.networkMode}" is not supported yet`);
  const id = newId();
  const createdAt = rfc3339Nano();
  const createdVolumes: string[] = [];
  for (let attempt = 0; ; attempt++) {
    const name = explicitName ?? generateName(attempt);
    try {
      deps.repo.insert({
        id,
        name,
        imageId: image.id,
        imageRef: req.image,
        createdAt,
        config,
        state: createdRunState(),
      });
      break;
    } catch (e) {
      if (explicitName !== undefined || !isKind(e, 'Conflict') || attempt > 8) throw e;
    }
  }
  try {
    net?.plan(
      id,
      { mode: config.networkMode, endpoints: req.endpoints ?? {}, links: config.links ?? [] },
      config.ports ?? { exposed: [], bindings: {}, publishAll: false },
    );
    await mkdir(deps.paths.containerDir(id), { recursive: true, mode: 0o710 });
    if (deps.userns) await ownForUserns(deps.userns, deps.paths.containerDir(id), []);
    await deps.snapshotter.prepare(id, image.layers as `sha256:${string}`[]);
    await setUpContainerMounts(ctx, id, mounts, createdVolumes);
  } catch (e) {
    deps.repo.remove(id);
    await removeCreatedVolumes(ctx, mounts, createdVolumes);
    await deps.snapshotter.remove(id).catch(() => undefined);
    await rm(deps.paths.containerDir(id), { recursive: true, force: true });
    if (isKind(e, 'Conflict')) throw conflict((e as Error).message);
    throw e;
  }
  const created = deps.repo.byId(id);
  if (created) deps.events.publish('container', 'create', id, containerEventAttributes(created));
  return { id, warnings: [] };
}
