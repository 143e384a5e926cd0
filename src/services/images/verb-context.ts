import type { StoredImage } from '../../store/metadata/images-repository.js';
import type { ImageDeps } from './deps.js';
import type { OciImageConfig } from './types.js';

/**
 * What the image verbs (tag, remove, history, prune, list filters, push) get from the service:
 * its dependencies and its lookups. The service passes itself, so verbs never import it.
 */
export interface ImageVerbContext {
  deps: ImageDeps;
  /** By id, reference or unique id prefix; NotFound / InvalidParameter as Docker. */
  find(ref: string): StoredImage;
  /** The image's config blob, verified and cached. */
  config(img: StoredImage): Promise<OciImageConfig>;
}

/** Docker's TruncateID: the hex without its algorithm, cut to 12 characters. */
export function truncateId(id: string): string {
  const colon = id.indexOf(':');
  return (colon >= 0 ? id.slice(colon + 1) : id).slice(0, 12);
}
