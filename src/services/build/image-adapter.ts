import { decompressedStream } from '../../archive/decompress.js';
import { assertDigest, type ContentStore } from '../../store/content/content-store.js';
import type { ImagesService } from '../images/service.js';
import type { BuildImages, BuildMessage } from './types.js';

/** The images service as the builder uses it; every committed step records its parent. */
export function buildImages(svc: ImagesService, content: ContentStore): BuildImages {
  return {
    inspect: (ref) => svc.inspect(ref),
    async pull(ref, progress, signal) {
      const prepared = await svc.preparePull({ ref });
      if (signal.aborted) throw new Error('the build was cancelled');
      await prepared.run((m) => progress(m as BuildMessage));
    },
    commit: (req) => svc.commit(req),
    list: () => svc.list(),
    tag: (id, ref) => svc.tagId(id, ref),
    async openLayer(digest) {
      assertDigest(digest);
      return (await decompressedStream(content.createReadStream(digest))).stream;
    },
    async pruneIntermediate() {
      const deleted: string[] = [];
      for (let progress = true; progress;) {
        progress = false;
        const images = await svc.list();
        const ids = new Set(images.map((i) => i.id));
        for (const img of images) {
          const unnamed = img.repoTags.length === 0 && img.repoDigests.length === 0;
          if (deleted.includes(img.id)) continue; // went with a child removed before it
          if (!unnamed || img.parentId === null || svc.childCount(img.id) > 0) continue;
          const records = await svc.remove(img.id).catch(() => null); // in use by a container
          if (records === null) continue;
          // Removing an image takes its untagged parents along: those are deleted too.
          for (const r of records)
            if ('deleted' in r && ids.has(r.deleted) && !deleted.includes(r.deleted))
              deleted.push(r.deleted);
          progress = true;
        }
      }
      return deleted;
    },
  };
}
