import { notFound } from '../../errors/index.js';
import { isDigest, type Digest } from '../../lib/digest.js';
import type { StoredImage } from '../../store/metadata/images-repository.js';
import type { ImageDeps } from './deps.js';
import type { ImageLookup, ResolvedImage } from '../containers/deps.js';
import { healthFromImage } from '../containers/health/config.js';
import { familiarString, normalize } from './reference.js';
import type { Image, OciImageConfig } from './types.js';
import { registerImage, type ImageBlobs } from './register.js';
import { filterImages } from './list-filters.js';
import { tagImage } from './tag.js';
import { removeImage, type ImageDeleteRecord, type RemoveImageOptions } from './remove.js';
import { imageHistory, type HistoryEntry } from './history.js';
import { pruneImages, type ImagePruneResult } from './prune.js';
import type { ImageVerbContext } from './verb-context.js';
import { executePush, planPush, type PushPlan } from './push.js';
import type { PushMessage } from '../../distribution/push-image.js';
import { commitImage, type CommitRequest } from './commit.js';
import { preparePull, type PreparedPull, type PullOptions } from './pull.js';
import { LeaseSet } from '../../distribution/leases.js';
import { RegistryClient } from '../../distribution/registry-client.js';
import type { AuthConfig } from '../../distribution/auth-config.js';
import type { Readable } from 'node:stream';
import { planSave, streamSave } from './save.js';
import { prepareLoad, type LoadJob } from './load.js';
import { prepareImport, type ImportOptions } from './import.js';

/**
 * Images by reference or id: lookup, listing, inspection, and registration of images whose blobs
 * are in the content store. Image configs are immutable, so they are cached by id.
 */
export class ImagesService implements ImageLookup {
  private readonly configs = new Map<string, OciImageConfig>();

  constructor(private readonly deps: ImageDeps) {}

  /** What the verb files (tag.ts, remove.ts, history.ts, prune.ts...) work with. */
  private get verbs(): ImageVerbContext {
    return { deps: this.deps, find: (r) => this.find(r), config: (i) => this.config(i) };
  }

  /** Finds a stored image by `sha256:` id, name[:tag|@digest], or unique id prefix. */
  find(ref: string): StoredImage {
    const { repo } = this.deps;
    if (isDigest(ref)) {
      const img = repo.byId(ref);
      if (img) return img;
    } else {
      let normalized: string | undefined;
      try {
        normalized = normalize(ref);
      } catch {
        normalized = undefined;
      }
      const img = normalized === undefined ? undefined : repo.byRef(normalized);
      if (img) return img;
      const hex = ref.startsWith('sha256:') ? ref.slice(7) : ref;
      if (/^[0-9a-f]{4,64}$/.test(hex)) {
        const matches = repo.byIdPrefix(`sha256:${hex}`);
        if (matches.length === 1 && matches[0]) return matches[0];
      }
      if (normalized === undefined) normalize(ref); // rethrows Docker's reference format error
    }
    throw notFound(`No such image: ${ref}`);
  }

  async config(img: StoredImage): Promise<OciImageConfig> {
    let cfg = this.configs.get(img.id);
    if (!cfg) {
      const buf = await this.deps.content.readBuffer(img.id as Digest, { verify: true });
      cfg = JSON.parse(buf.toString('utf8')) as OciImageConfig;
      this.configs.set(img.id, cfg);
    }
    return cfg;
  }

  async resolve(ref: string): Promise<ResolvedImage> {
    const img = this.find(ref);
    const c = (await this.config(img)).config ?? {};
    return {
      id: img.id,
      layers: img.layers.map((l) => l.chainId),
      config: {
        env: c.Env ?? [],
        cmd: c.Cmd ?? [],
        entrypoint: c.Entrypoint ?? [],
        workingDir: c.WorkingDir ?? '',
        user: c.User ?? '',
        stopSignal: c.StopSignal ?? '',
        labels: c.Labels ?? {},
        healthcheck: healthFromImage(c.Healthcheck),
        volumes: Object.keys(c.Volumes ?? {}),
        exposedPorts: Object.keys(c.ExposedPorts ?? {}),
      },
    };
  }

  private async view(img: StoredImage): Promise<Image> {
    const repoTags = img.refs.filter((r) => !r.includes('@')).map(familiarString);
    const repoDigests = img.refs.filter((r) => r.includes('@')).map(familiarString);
    return {
      id: img.id,
      repoTags,
      repoDigests,
      created: img.created,
      size: img.size,
      config: await this.config(img),
      layers: img.layers,
      lastTagTime: this.deps.repo.lastTagTime(img.id),
      parentId: this.deps.repo.parentOf(img.id),
    };
  }

  async inspect(ref: string): Promise<Image> {
    return this.view(this.find(ref));
  }

  /**
   * Every image, narrowed by Docker's list filters (see list-filters.ts). Without `all`, build
   * intermediates (untagged images another image was built on) are left out, as Docker does.
   */
  async list(filters: Record<string, string[]> = {}, all = true): Promise<Image[]> {
    const parents = all ? new Set<string>() : this.deps.repo.parents();
    const shown = this.deps.repo.all().filter((i) => i.refs.length > 0 || !parents.has(i.id));
    const images = await Promise.all(shown.map((i) => this.view(i)));
    return filterImages(this.verbs, images, filters);
  }

  /** How many images were built on `id`. */
  childCount(id: string): number {
    return this.deps.repo.childCount(id);
  }

  /** POST /images/{name}/tag: points `repo:tag` at `source`; returns the image id. */
  tag(source: string, repo: string, tag: string): string {
    return tagImage(this.verbs, source, repo, tag);
  }

  /** Points the normalised reference `ref` (always with a tag) at image `id`: a build's `-t`. */
  tagId(id: string, ref: string): void {
    const i = ref.lastIndexOf(':');
    tagImage(this.verbs, id, ref.slice(0, i), ref.slice(i + 1));
  }

  /**
   * A new image from a parent (by id; null for scratch), at most one new layer (an uncompressed
   * tar) and a run configuration: POST /commit and each build step (see commit.ts).
   */
  async commit(req: Omit<CommitRequest, 'parent'> & { parentId: string | null }): Promise<string> {
    const { parentId, ...rest } = req;
    const parent = parentId === null ? null : this.find(parentId);
    const id = await commitImage(this.deps, { ...rest, parent });
    return id;
  }

  /** DELETE /images/{name}: untag or delete, with Docker's conflict rules. */
  remove(name: string, opts: RemoveImageOptions = {}): Promise<ImageDeleteRecord[]> {
    return removeImage(this.verbs, name, opts);
  }

  /** GET /images/{name}/history, newest first. */
  history(name: string): Promise<HistoryEntry[]> {
    return imageHistory(this.verbs, name);
  }

  /** POST /images/{name}/push, step 1: resolve what to push (errors before any byte is sent). */
  planPush(name: string, tag: string): Promise<PushPlan> {
    return planPush(this.verbs, name, tag);
  }

  /** POST /images/{name}/push, step 2: upload, reporting Docker's progress lines. */
  push(
    plan: PushPlan,
    auth: AuthConfig | undefined,
    progress: (m: PushMessage) => void,
    signal?: AbortSignal,
  ) {
    return executePush(this.verbs, plan, auth, progress, {
      insecure: this.deps.insecureRegistries ?? [],
      ...(signal !== undefined ? { signal } : {}),
    });
  }

  /** POST /images/prune. */
  prune(filters: Record<string, string[]> = {}): Promise<ImagePruneResult> {
    return pruneImages(this.verbs, filters);
  }

  /** Unpacks the image's layers into snapshots and registers it under `refs` (normalised). */
  async register(blobs: ImageBlobs, refs: string[]): Promise<string> {
    const id = await registerImage(this.deps, blobs, refs.map(normalize));
    for (const r of refs) this.deps.events.publish('image', 'tag', id, { name: r });
    return id;
  }

  /** True when `ref` names a stored image. */
  has(ref: string): boolean {
    try {
      this.find(ref);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * `docker save`: resolves `names` (NotFound before any byte), then the archive stream. A `save`
   * event per image, as Docker logs it (actor and name: the image id).
   */
  async save(names: string[]): Promise<Readable> {
    const repo = this.deps.repo;
    const plan = await planSave(
      this.deps.content,
      (r) => this.find(r),
      () => repo.all(),
      names,
    );
    for (const img of plan) this.deps.events.publish('image', 'save', img.id, { name: img.id });
    return streamSave(this.deps.content, plan);
  }

  /** `docker load`: stages and verifies the archive; see load.ts (the caller disposes the job). */
  prepareLoad(src: Readable): Promise<LoadJob> {
    return prepareLoad({ ...this.deps, leases: this.leases }, src);
  }

  /** `docker import`: validates the options, returns the import of a rootfs tar; see import.ts. */
  prepareImport(opts: ImportOptions): (src: Readable) => Promise<string> {
    return prepareImport({ ...this.deps, leases: this.leases }, opts);
  }

  /** Leases of in-flight pulls (the deps' set, or a private one). */
  get leases(): LeaseSet {
    this.deps.leases ??= new LeaseSet();
    return this.deps.leases;
  }

  /** Resolves a pull (manifest + config) before anything is streamed; see pull.ts. */
  preparePull(opts: PullOptions): Promise<PreparedPull> {
    return preparePull(
      {
        ...this.deps,
        leases: this.leases,
        insecureRegistries: this.deps.insecureRegistries ?? [],
        register: (blobs, refs) => this.register(blobs, refs),
      },
      opts,
    );
  }

  /** Checks credentials against a registry (POST /auth); Unauthorized when refused. */
  async login(auth: AuthConfig, domain: string): Promise<void> {
    const client = new RegistryClient(domain, {
      insecure: this.deps.insecureRegistries ?? [],
      auth,
    });
    await client.ping();
  }
}
