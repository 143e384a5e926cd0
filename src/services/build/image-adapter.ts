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
    async removeStep(id) {
      if (svc.childCount(id) > 0) return false;
      const records = await svc.remove(id, { noprune: true }).catch(() => null); // in use
      return records !== null && records.some((r) => 'deleted' in r && r.deleted === id);
    },
  };
}
