import { notFound } from '../../errors/index.js';
import { isDigest, type Digest } from '../../lib/digest.js';
import type { StoredImage } from '../../store/metadata/images-repository.js';
import type { ImageDeps } from './deps.js';
import type { ImageLookup, ResolvedImage } from '../containers/deps.js';
import { healthFromImage } from '../containers/health/config.js';
import { familiarString, normalize } from './reference.js';
import type { Image, OciImageConfig } from './types.js';
import { registerImage, type ImageBlobs } from './register.js';

/**
 * Images by reference or id: lookup, listing, inspection, and registration of images whose blobs
 * are in the content store. Image configs are immutable, so they are cached by id.
 */
export class ImagesService implements ImageLookup {
  private readonly configs = new Map<string, OciImageConfig>();

  constructor(private readonly deps: ImageDeps) {}

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
    };
  }

  async inspect(ref: string): Promise<Image> {
    return this.view(this.find(ref));
  }

  async list(): Promise<Image[]> {
    return Promise.all(this.deps.repo.all().map((i) => this.view(i)));
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
}
