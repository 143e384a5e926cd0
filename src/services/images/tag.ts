import { invalidParameter } from '../../errors/index.js';
import { rfc3339Nano } from '../../lib/time.js';
import { familiarName, familiarString, formatReference, parseReference } from './reference.js';
import type { ImageVerbContext } from './verb-context.js';

const tagRe = /^[\w][\w.-]{0,127}$/;

/**
 * The reference POST /images/{name}/tag creates from `repo` and `tag` (Docker's
 * RepoTagReference): repo is required and may not carry a digest; an empty tag is `latest`.
 * InvalidParameter with Docker's messages otherwise. Returns the normalised string.
 */
export function tagReference(repo: string, tag: string): string {
  if (repo === '') throw invalidParameter('repository name must have at least one component');
  const ref = parseReference(repo);
  if (ref.digest !== undefined) throw invalidParameter('cannot tag with a digest');
  const t = tag === '' ? 'latest' : tag;
  if (!tagRe.test(t)) throw invalidParameter('invalid tag format');
  if (familiarName(ref) === 'sha256')
    throw invalidParameter('refusing to create an ambiguous tag using digest algorithm as name');
  return formatReference({ domain: ref.domain, path: ref.path, tag: t });
}

/**
 * Points the reference `repo:tag` at the image `source` (moving it from any image it named
 * before), records the tag time (inspect's Metadata.LastTagTime) and publishes `image tag`.
 * Returns the image id.
 */
export function tagImage(ctx: ImageVerbContext, source: string, repo: string, tag: string): string {
  const ref = tagReference(repo, tag);
  const img = ctx.find(source);
  ctx.deps.repo.setRef(ref, img.id);
  ctx.deps.repo.setLastTagTime(img.id, rfc3339Nano());
  ctx.deps.events.publish('image', 'tag', img.id, { name: familiarString(ref) });
  return img.id;
}
