import type { AuthConfig } from '../../distribution/auth-config.js';
import type { LeaseSet } from '../../distribution/leases.js';
import { hostPlatform, parsePlatform } from '../../distribution/platform.js';
import { shortLayerId, type ProgressSink } from '../../distribution/progress.js';
import { RegistryClient } from '../../distribution/registry-client.js';
import { resolvePull, type ResolvedPull } from '../../distribution/resolve.js';
import type { Digest } from '../../lib/digest.js';
import { chainIds } from './chain-id.js';
import type { ImageDeps } from './deps.js';
import { pullLayer, type LayerJob } from './pull-layer.js';
import {
  familiarString,
  formatReference,
  fullName,
  parseReference,
  withDefaultTag,
} from './reference.js';
import type { ImageBlobs } from './register.js';
import type { OciImageConfig } from './types.js';

/** What a pull needs beyond the image deps. */
export interface PullDeps extends ImageDeps {
  leases: LeaseSet;
  insecureRegistries: readonly string[];
  /** Registers the finished image (ImagesService.register). */
  register(blobs: ImageBlobs, refs: string[]): Promise<string>;
}

/** A pull request as the API gives it. */
export interface PullOptions {
  /** `name[:tag|@digest]`. */
  ref: string;
  /** `os/arch[/variant]`; default the host's (linux/amd64). */
  platform?: string;
  auth?: AuthConfig | undefined;
}

/** A pull whose manifest and config are resolved and verified; layers not fetched yet. */
export interface PreparedPull {
  /** The reference as Docker prints it (`127.0.0.1:5000/test/busybox:1`). */
  display: string;
  /** Downloads and unpacks the layers, registers the image, and reports progress. */
  run(progress: ProgressSink): Promise<{ id: string; upToDate: boolean }>;
}

const CONCURRENCY = 3;

/**
 * Resolves a pull before any byte of the response is sent: reference, platform, registry,
 * manifest (through a list/index) and config. Throws NotFound for an unknown repository, tag or
 * platform, and InvalidParameter / NotImplemented for bad or unsupported content.
 */
export async function preparePull(deps: PullDeps, opts: PullOptions): Promise<PreparedPull> {
  const ref = withDefaultTag(parseReference(opts.ref));
  const platform = opts.platform ? parsePlatform(opts.platform) : hostPlatform();
  const client = new RegistryClient(ref.domain, {
    insecure: deps.insecureRegistries,
    auth: opts.auth,
  });
  const display = familiarString(ref);
  const resolved = await resolvePull(
    client,
    { repository: ref.path, reference: ref.digest ?? ref.tag ?? 'latest', display },
    platform,
    opts.platform !== undefined && opts.platform !== '',
  );
  const name = fullName(ref);
  const tagRef = ref.digest === undefined ? formatReference(ref) : undefined;
  const digestRef = `${name}@${resolved.repoDigest}`;
  return {
    display,
    run: (progress) =>
      runPull(
        deps,
        client,
        resolved,
        {
          repository: ref.path,
          tagRef,
          digestRef,
          display,
          label: ref.digest ?? ref.tag ?? 'latest',
        },
        progress,
      ),
  };
}

interface Names {
  repository: string;
  tagRef: string | undefined;
  digestRef: string;
  display: string;
  label: string;
}

async function runPull(
  deps: PullDeps,
  client: RegistryClient,
  r: ResolvedPull,
  names: Names,
  progress: ProgressSink,
): Promise<{ id: string; upToDate: boolean }> {
  const chains = chainIds(r.diffIds);
  const lease = deps.leases.acquire({
    blobs: [r.manifestDigest, r.configDigest, ...r.layers.map((l) => l.digest)],
    layers: chains,
  });
  try {
    progress({ status: `Pulling from ${names.repository}`, id: names.label });
    await deps.content.writeBlob(r.configBytes, { digest: r.configDigest });
    const jobs = await layerJobs(deps, r, chains);
    for (const j of jobs) {
      const present =
        (await deps.snapshotter.hasLayer(j.chainId)) && (await deps.content.has(j.desc.digest));
      progress({
        status: present ? 'Already exists' : 'Pulling fs layer',
        progressDetail: {},
        id: shortLayerId(j.desc.digest),
      });
    }
    await runLayers(deps, client, names.repository, jobs, progress);
    await deps.content.writeBlob(r.manifestBytes, { digest: r.manifestDigest });
    const refs = names.tagRef !== undefined ? [names.tagRef, names.digestRef] : [names.digestRef];
    const before = names.tagRef ?? names.digestRef;
    const upToDate = deps.repo.byRef(before)?.id === r.configDigest;
    const id = await deps.register(
      {
        manifestDigest: r.manifestDigest,
        configDigest: r.configDigest,
        config: r.config as OciImageConfig,
        layers: r.layers.map((l, i) => ({
          digest: l.digest,
          diffId: r.diffIds[i] as Digest,
          size: l.size,
        })),
      },
      refs,
    );
    deps.events.publish('image', 'pull', familiarString(before), { name: familiarString(before) });
    progress({ status: `Digest: ${r.repoDigest}` });
    progress({
      status: upToDate
        ? `Status: Image is up to date for ${names.display}`
        : `Status: Downloaded newer image for ${names.display}`,
    });
    return { id, upToDate };
  } finally {
    lease.release();
  }
}

/**
 * One job per layer, each holding a promise that settles when its snapshot is committed (at once
 * when it already exists): the next layer waits on it before committing its own.
 */
async function layerJobs(deps: PullDeps, r: ResolvedPull, chains: Digest[]): Promise<LayerJob[]> {
  const jobs: LayerJob[] = [];
  let parentReady = Promise.resolve();
  for (const [i, desc] of r.layers.entries()) {
    const chainId = chains[i] as Digest;
    let resolve!: () => void;
    let reject!: (e: unknown) => void;
    const ready = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    ready.catch(() => undefined);
    if (await deps.snapshotter.hasLayer(chainId)) resolve();
    const job: LayerJob & { done: () => void; fail: (e: unknown) => void } = {
      desc,
      diffId: r.diffIds[i] as Digest,
      chainId,
      parent: i === 0 ? null : (chains[i - 1] as Digest),
      parentReady,
      done: resolve,
      fail: reject,
    };
    jobs.push(job);
    parentReady = ready;
  }
  return jobs;
}

/** Runs the layer jobs, CONCURRENCY at a time in stack order; the first failure cancels the rest. */
async function runLayers(
  deps: PullDeps,
  client: RegistryClient,
  repository: string,
  jobs: LayerJob[],
  progress: ProgressSink,
): Promise<void> {
  let failed: unknown;
  let next = 0;
  const ctx = { deps, client, repository, progress, cancelled: () => failed !== undefined };
  const worker = async (): Promise<void> => {
    while (next < jobs.length && failed === undefined) {
      const job = jobs[next++] as LayerJob & { done: () => void; fail: (e: unknown) => void };
      try {
        await pullLayer(ctx, job);
        job.done();
      } catch (e) {
        failed ??= e;
        job.fail(e);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, jobs.length) }, worker));
  if (failed !== undefined) throw failed;
}
