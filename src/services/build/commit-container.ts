import { packLayer } from '../../archive/pack-layer.js';
import { applyChanges, type ChangeableConfig } from '../../dockerfile/changes.js';
import type { BuildDeps, RunConfig } from './types.js';

/** The options of POST /commit. */
export interface CommitOptions {
  /** Normalised reference to tag the image with, if any. */
  ref: string | null;
  comment: string;
  author: string;
  /** Freeze a running container while its changes are packed (Docker's default). */
  pause: boolean;
  /** Dockerfile instructions applied to the configuration (`--change`). */
  changes: string[];
  /** The request body's container config, overriding the container's (Docker's `config`). */
  config: ChangeableConfig;
}

/**
 * `docker commit`: the container's writable layer as a new layer over its image, with the
 * container's configuration (image fields it cannot change, like EXPOSE and VOLUME, kept), the
 * body's config and the changes applied over it. A running container is paused meanwhile unless
 * `pause` is false. Returns the new image id.
 */
export async function commitContainer(
  deps: BuildDeps,
  idOrName: string,
  opts: CommitOptions,
): Promise<string> {
  const c = deps.containers.inspect(idOrName);
  const image = await deps.images.inspect(c.imageId);
  const base = (image.config.config ?? {}) as RunConfig;
  const fromContainer: RunConfig = {
    ...base,
    User: c.config.user,
    Env: c.config.env,
    Cmd: c.config.cmd,
    Entrypoint: c.config.entrypoint.length > 0 ? c.config.entrypoint : null,
    WorkingDir: c.config.workingDir,
    Labels: c.config.labels,
    ...(c.config.stopSignal !== 'SIGTERM' || base.StopSignal
      ? { StopSignal: c.config.stopSignal }
      : {}),
  };
  const overridden = { ...fromContainer, ...definedOnly(opts.config) };
  const config = { ...overridden, ...applyChanges(opts.changes, overridden as ChangeableConfig) };
  const pause = opts.pause && c.state.status === 'running';
  if (pause) await deps.containers.pause(c.id);
  try {
    return await deps.images.commit({
      parentId: c.imageId,
      layer: packLayer(deps.containers.upperDir(c.id)),
      config: config as RunConfig,
      createdBy: [...c.config.entrypoint, ...c.config.cmd].join(' '),
      refs: opts.ref === null ? [] : [opts.ref],
      ...(opts.comment !== '' ? { comment: opts.comment } : {}),
      ...(opts.author !== '' ? { author: opts.author } : {}),
    });
  } finally {
    if (pause) await deps.containers.unpause(c.id).catch(() => undefined);
  }
}

function definedOnly(cfg: ChangeableConfig): ChangeableConfig {
  return Object.fromEntries(
    Object.entries(cfg).filter(([, v]) => v !== undefined && v !== null && v !== ''),
  ) as ChangeableConfig;
}
