import { systemError } from '../../../errors/index.js';
import type { ContainerContext, Stored } from '../context.js';
import { copyUp } from './copy-up.js';
import { planMounts } from './plan.js';
import { anonymousVolumes, prepareVolumes } from './prepare.js';
import { releaseVolumes, specMounts, volumeNames, type OciMount } from './spec-mounts.js';
import type { MountsRequest, ResolvedMount, VolumeAccess } from './types.js';

function volumesOf(ctx: ContainerContext): VolumeAccess {
  const v = ctx.deps.volumes;
  if (!v) throw systemError('volumes are not available in this engine');
  return v;
}

/** Create, step 1 (before the row exists): every mount resolved and validated. */
export function planContainerMounts(
  ctx: ContainerContext,
  req: MountsRequest,
  imageVolumes: readonly string[],
): ResolvedMount[] {
  return planMounts(req, imageVolumes, {
    mountsOf: (idOrName) => ctx.lookup(idOrName).config.mounts ?? [],
  });
}

/**
 * Create, step 2 (the row and snapshot exist): creates the volumes, records the references and
 * fills new empty volumes from the image. Names of volumes this call created are pushed onto
 * `created` as it goes, so a failure can undo exactly those.
 */
export async function setUpContainerMounts(
  ctx: ContainerContext,
  id: string,
  mounts: readonly ResolvedMount[],
  created: string[],
): Promise<void> {
  if (!mounts.some((m) => m.type === 'volume')) return;
  const volumes = volumesOf(ctx);
  created.push(...(await prepareVolumes(volumes, id, mounts)));
  if (!mounts.some((m) => m.type === 'volume' && !m.noCopy)) return;
  const rootfs = await ctx.deps.snapshotter.mount(id);
  try {
    await copyUp(rootfs, mounts, volumes, id);
  } finally {
    await ctx.deps.snapshotter.unmount(id).catch(() => undefined);
  }
}

/** Undoes a failed create: its row is gone, so the anonymous volumes it made can go too. */
export async function removeCreatedVolumes(
  ctx: ContainerContext,
  mounts: readonly ResolvedMount[],
  created: readonly string[],
): Promise<void> {
  const anon = new Set(anonymousVolumes(mounts));
  for (const n of created) {
    if (anon.has(n)) await ctx.deps.volumes?.removeIfUnused(n).catch(() => undefined);
  }
}

/** Start: the OCI mounts of the container's volumes, binds and tmpfs (volumes activated). */
export async function startMounts(
  ctx: ContainerContext,
  c: Stored,
  rootfs: string,
): Promise<OciMount[]> {
  const mounts = c.config.mounts ?? [];
  if (mounts.length === 0) return [];
  const volumes = mounts.some((m) => m.type === 'volume') ? volumesOf(ctx) : noVolumes;
  return specMounts(rootfs, mounts, volumes, c.id);
}

/** Stop (exit or failed start): the container's volumes are released. Never throws. */
export async function stopMounts(ctx: ContainerContext, c: Stored): Promise<void> {
  const names = volumeNames(c.config.mounts);
  if (names.length === 0 || !ctx.deps.volumes) return;
  await releaseVolumes(ctx.deps.volumes, c.id, names, ctx.deps.log);
}

/**
 * After the row is gone (`rm -v`, `--rm`): the container's anonymous volumes are removed unless
 * another container still uses them. Named volumes are never touched. Never throws.
 */
export async function removeAnonymousVolumes(ctx: ContainerContext, c: Stored): Promise<void> {
  for (const n of anonymousVolumes(c.config.mounts)) {
    await ctx.deps.volumes
      ?.removeIfUnused(n)
      .catch((e: unknown) => ctx.deps.log(`remove volume ${n}: ${String(e)}`));
  }
}

const noVolumes: VolumeAccess = {
  ensure: () => Promise.reject(systemError('volumes are not available')),
  addRefs: () => undefined,
  activate: () => Promise.reject(systemError('volumes are not available')),
  release: () => Promise.resolve(),
  removeIfUnused: () => Promise.resolve(),
  mountpoint: () => undefined,
};

/** Host paths of the container's volumes by name, for inspect's Mounts[].Source. */
export function volumePaths(ctx: ContainerContext, c: Stored): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of volumeNames(c.config.mounts)) {
    const p = ctx.deps.volumes?.mountpoint(n);
    if (p !== undefined) out[n] = p;
  }
  return out;
}
