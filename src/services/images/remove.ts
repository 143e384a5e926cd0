import { conflict } from '../../errors/index.js';
import type { StoredImage } from '../../store/metadata/images-repository.js';
import { familiarString, normalize, parseReference, fullName } from './reference.js';
import { releaseImageData } from './release.js';
import { truncateId, type ImageVerbContext } from './verb-context.js';

/** One line of DELETE /images/{name}'s answer: a reference removed, or an image/layer deleted. */
export type ImageDeleteRecord = { untagged: string } | { deleted: string };

/** Options of {@link removeImage}. */
export interface RemoveImageOptions {
  /** Untag even when containers use the image; delete an id with several repositories. */
  force?: boolean;
  /**
   * Docker's `noprune`: keep the untagged *parent images* (build steps, commits) of a deleted
   * image. Without it they go too, as long as nothing else names, uses or builds on them.
   */
  noprune?: boolean;
}

const isRunning = (status: string) => status === 'running' || status === 'paused';

/** The repository name and kind of a stored (normalised) reference. */
function refParts(ref: string): { name: string; canonical: boolean } {
  const r = parseReference(ref);
  return { name: fullName(r), canonical: r.digest !== undefined };
}

/**
 * Docker's isSingleReference: at most one tag reference, and every reference (digests too) in
 * that one repository. Zero references is not "single".
 */
export function isSingleReference(refs: readonly string[]): boolean {
  if (refs.length <= 1) return refs.length === 1;
  const parts = refs.map(refParts);
  const tags = parts.filter((p) => !p.canonical);
  if (tags.length > 1) return false;
  const canonicalNames = new Set(parts.filter((p) => p.canonical).map((p) => p.name));
  const single = tags[0] ?? parts[0];
  return canonicalNames.size === 1 && single !== undefined && canonicalNames.has(single.name);
}

/** Docker's isImageIDPrefix: `name` is (a prefix of) the id, with or without `sha256:`. */
function isIdPrefix(id: string, name: string): boolean {
  return id.startsWith(name) || id.slice(id.indexOf(':') + 1).startsWith(name);
}

interface Conflict {
  hard: boolean;
  used: boolean;
  message: string;
}

/** Docker's checkImageDeleteConflict for the conflicts `soft` lets through or not. */
function deleteConflict(
  ctx: ImageVerbContext,
  img: StoredImage,
  opts: { refs: boolean; stopped: boolean },
): Conflict | undefined {
  const users = ctx.deps.repo.containersUsing(img.id);
  const running = users.find((c) => isRunning(c.status));
  if (running)
    return {
      hard: true,
      used: true,
      message: `image is being used by running container ${truncateId(running.id)}`,
    };
  if (opts.refs && ctx.deps.repo.byId(img.id)?.refs.length)
    return { hard: false, used: false, message: 'image is referenced in multiple repositories' };
  const stopped = users[0];
  if (opts.stopped && stopped)
    return {
      hard: false,
      used: true,
      message: `image is being used by stopped container ${truncateId(stopped.id)}`,
    };
  return undefined;
}

const conflictError = (img: StoredImage, c: Conflict) =>
  conflict(
    `conflict: unable to delete ${truncateId(img.id)} (${c.hard ? 'cannot be forced' : 'must be forced'}) - ${c.message}`,
  );

/**
 * DELETE /images/{name} with Docker's rules. By name: the reference is removed (refused without
 * `force` when it is the image's only one and a container uses the image); digest references of
 * the same repository go with the last tag; the image itself is deleted when no reference is
 * left. By id: an image with references in one repository loses them all; with several
 * repositories `force` is needed. A running container blocks deletion (even forced). Because the
 * containers table references images (RESTRICT), an image any container still uses is only
 * untagged, never deleted, even with `force`.
 */
export async function removeImage(
  ctx: ImageVerbContext,
  name: string,
  opts: RemoveImageOptions = {},
): Promise<ImageDeleteRecord[]> {
  const { repo, events } = ctx.deps;
  const force = opts.force === true;
  const img = ctx.find(name);
  const records: ImageDeleteRecord[] = [];
  const untag = (ref: string) => {
    repo.deleteRef(ref);
    records.push({ untagged: familiarString(ref) });
    events.publish('image', 'untag', img.id, { name: img.id });
  };
  let quiet = false;
  if (!isIdPrefix(img.id, name)) {
    const users = repo.containersUsing(img.id);
    if (!force && isSingleReference(img.refs) && users[0])
      throw conflict(
        `conflict: unable to remove repository reference "${name}" (must force) - container ${truncateId(users[0].id)} is using its referenced image ${truncateId(img.id)}`,
      );
    const ref = normalize(name);
    untag(ref);
    let remaining = img.refs.filter((r) => r !== ref);
    const { name: repoName, canonical } = refParts(ref);
    if (
      !canonical &&
      !remaining.some((r) => !refParts(r).canonical && refParts(r).name === repoName)
    ) {
      for (const r of remaining.filter((x) => refParts(x).name === repoName)) untag(r);
      remaining = remaining.filter((r) => refParts(r).name !== repoName);
    }
    if (remaining.length > 0) return records;
    quiet = true;
  } else if (isSingleReference(img.refs)) {
    const c = deleteConflict(ctx, img, { refs: false, stopped: !force });
    if (c) throw conflictError(img, c);
    for (const r of img.refs) untag(r);
  }
  const c = deleteConflict(ctx, img, { refs: !force, stopped: !force });
  if (c) {
    // After the last name went, an image still in use stays as a dangling image, silently.
    if (quiet && c.used) return records;
    throw conflictError(img, c);
  }
  const current = repo.byId(img.id);
  if (!current) return records;
  if (repo.childCount(img.id) > 0) {
    if (quiet) return records; // its last name went; it stays as a build intermediate
    throw conflict(
      `conflict: unable to delete ${truncateId(img.id)} (cannot be forced) - image has dependent child images`,
    );
  }
  if (repo.containersUsing(img.id).length > 0) {
    // force with stopped containers: Docker would delete; the RESTRICT reference keeps it.
    for (const r of current.refs) untag(r);
    return records;
  }
  for (const r of current.refs) {
    records.push({ untagged: familiarString(r) });
    events.publish('image', 'untag', img.id, { name: img.id });
  }
  const parent = repo.parentOf(img.id);
  repo.removeWithRefs(img.id, current.refs);
  events.publish('image', 'delete', img.id, { name: img.id });
  records.push({ deleted: img.id });
  const released = await releaseImageData(ctx.deps, current);
  for (const l of released.layers) records.push({ deleted: l });
  if (opts.noprune !== true && parent !== null) await pruneParents(ctx, parent, records);
  return records;
}

/** Deletes the chain of untagged, unused, childless parents a deleted image leaves behind. */
async function pruneParents(
  ctx: ImageVerbContext,
  first: string,
  records: ImageDeleteRecord[],
): Promise<void> {
  const { repo, events } = ctx.deps;
  for (let id: string | null = first; id !== null;) {
    const img = repo.byId(id);
    if (!img || img.refs.length > 0 || repo.childCount(id) > 0) return;
    if (repo.containersUsing(id).length > 0) return;
    const next = repo.parentOf(id);
    repo.removeWithRefs(id, []);
    events.publish('image', 'delete', id, { name: id });
    records.push({ deleted: id });
    for (const l of (await releaseImageData(ctx.deps, img)).layers) records.push({ deleted: l });
    id = next;
  }
}
