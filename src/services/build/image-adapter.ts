import type { ImagesService } from '../images/service.js';
import type { BuildImages, BuildMessage } from './types.js';

/** The images service as the builder uses it; every committed step records its parent. */
export function buildImages(svc: ImagesService): BuildImages {
  return {
    inspect: (ref) => svc.inspect(ref),
    async pull(ref, progress, signal) {
      const prepared = await svc.preparePull({ ref });
      if (signal.aborted) throw new Error('the build was cancelled');
      await prepared.run((m) => progress(m as BuildMessage));
    },
    commit: (req) => svc.commit(req),
    tag: (id, ref) => svc.tagId(id, ref),
    async pruneIntermediate() {
      const deleted: string[] = [];
      for (let progress = true; progress;) {
        progress = false;
        for (const img of await svc.list()) {
          const unnamed = img.repoTags.length === 0 && img.repoDigests.length === 0;
          if (!unnamed || img.parentId === null || svc.childCount(img.id) > 0) continue;
          const ok = await svc.remove(img.id).then(
            () => true,
            () => false, // in use by a container: kept
          );
          if (ok) {
            deleted.push(img.id);
            progress = true;
          }
        }
      }
      return deleted;
    },
  };
}
