import { containerCgroupPath } from './cgroup-options.js';
import { totalmem } from 'node:os';
import {
  cgroupStatsReader,
  readHostCpu,
  readNetDev,
  type CgroupStatsReader,
} from '../../drivers/cgroups/index.js';
import { nowNanos } from '../../lib/time.js';
import type { ContainerContext, Stored } from './context.js';
import { sampleFrames, type StatsFrame, type StatsSample } from './stats-sampler.js';

export type { StatsFrame, StatsSample } from './stats-sampler.js';

/** Options of GET /containers/{id}/stats; `signal` aborts when the client goes away. */
export interface StatsOptions {
  stream: boolean;
  oneShot: boolean;
  signal: AbortSignal;
}

/** A container's stats: who it is, then the frames to send. */
export interface ContainerStats {
  id: string;
  name: string;
  frames: AsyncIterable<StatsFrame>;
}

let reader: CgroupStatsReader | undefined;

/** Reads one sample of container `c` from its cgroup (`<cgroup parent>/<id>`) and procfs. */
async function readSample(ctx: ContainerContext, c: Stored): Promise<StatsSample> {
  reader ??= cgroupStatsReader();
  const [cgroup, host] = await Promise.all([
    reader(
      containerCgroupPath(c.config.resources?.cgroupParent ?? '', ctx.deps.cgroupParent, c.id),
    ),
    readHostCpu(),
  ]);
  // Like dockerd: no limit, or one above the host's memory, is reported as the host's memory.
  const machine = totalmem();
  const limit = cgroup.memory.limit;
  cgroup.memory.limit = limit === undefined || limit > machine ? machine : limit;
  const sample: StatsSample = { readNs: nowNanos(), cgroup, host };
  if (c.config.networkMode !== 'host' && c.state.pid > 0) {
    const nets = await readNetDev(c.state.pid);
    if (nets && Object.keys(nets).length > 0) sample.networks = nets;
  }
  return sample;
}

async function* nothing(): AsyncGenerator<StatsFrame> {}
async function* zeroed(): AsyncGenerator<StatsFrame> {
  yield {};
}

/**
 * GET /containers/{id}/stats. NotFound before any frame. A container that is not running gets
 * Docker's zeroed object without `stream`, and an empty stream with it; a running (or paused)
 * one is sampled from its cgroup until it stops or `signal` aborts (see sampleFrames).
 */
export function containerStats(
  ctx: ContainerContext,
  idOrName: string,
  opts: StatsOptions,
): ContainerStats {
  const c = ctx.lookup(idOrName);
  const status = ctx.status(c);
  const live = status === 'running' || status === 'paused';
  const base = { id: c.id, name: c.name };
  if (!live) return { ...base, frames: opts.stream ? nothing() : zeroed() };
  return { ...base, frames: sampleFrames(() => readSample(ctx, c), opts) };
}
