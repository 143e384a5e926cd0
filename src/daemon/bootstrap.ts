import { access } from 'node:fs/promises';
import type { MetaRepository } from '../store/metadata/meta-repository.js';
import type { ContentStore } from '../store/content/content-store.js';
import type { ImagesService } from '../services/images/service.js';
import { buildBusyboxImage } from '../services/images/busybox-image.js';

const bootstrappedKey = 'busybox-bootstrapped';

/**
 * Makes `busybox:latest` from the host's busybox-static, once per data root: no registry is
 * reachable, so this is how a fresh engine gets an image to run. A user who later removes the
 * image keeps it removed.
 */
export async function bootstrapBusybox(
  deps: {
    meta: MetaRepository;
    content: ContentStore;
    images: ImagesService;
    log: (m: string) => void;
  },
  busyboxPath: string,
): Promise<void> {
  if (deps.meta.get(bootstrappedKey) !== undefined) return;
  if (deps.images.has('busybox:latest')) return;
  try {
    await access(busyboxPath);
  } catch {
    deps.log(`no ${busyboxPath}: install busybox-static to get the offline busybox image`);
    return;
  }
  const built = await buildBusyboxImage(deps.content, { busyboxPath, arch: 'amd64' });
  await deps.images.register(
    {
      manifestDigest: built.manifestDigest,
      configDigest: built.configDigest,
      config: built.config,
      layers: built.layers.map((l) => ({ digest: l.digest, diffId: l.diffId, size: l.size })),
    },
    ['busybox:latest'],
  );
  deps.meta.set(bootstrappedKey, new Date().toISOString());
  deps.log(`bootstrapped busybox:latest (${built.configDigest}) from ${busyboxPath}`);
}
