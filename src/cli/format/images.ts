import type { ImageSummary } from '../../api/index.js';
import { humanDuration, humanSize } from './human.js';
import { formatTable } from './table.js';
import { shortId } from './text.js';

/** How `images` renders rows. */
export interface ImageTableOptions {
  noTrunc?: boolean;
  /** "Now" in ms since the epoch, for the CREATED column. */
  now: number;
}

const NONE = '<none>';
const header = ['REPOSITORY', 'TAG', 'IMAGE ID', 'CREATED', 'SIZE'];

/** Splits `host:5000/name:tag` into repository and tag (the tag follows the last `:` after the last `/`). */
export function splitRepoTag(ref: string): { repository: string; tag: string } {
  const colon = ref.lastIndexOf(':');
  if (colon > ref.lastIndexOf('/'))
    return { repository: ref.slice(0, colon), tag: ref.slice(colon + 1) };
  return { repository: ref, tag: NONE };
}

/** One `[repository, tag]` per tag; untagged images show their digest's repository or <none>. */
export function repoTagPairs(image: ImageSummary): [string, string][] {
  const tags = (image.RepoTags ?? []).filter((t) => t !== '<none>:<none>');
  if (tags.length > 0) {
    return tags.map((t) => {
      const { repository, tag } = splitRepoTag(t);
      return [repository, tag];
    });
  }
  const digests = (image.RepoDigests ?? []).filter((d) => d !== '<none>@<none>');
  const repos = [...new Set(digests.map((d) => d.split('@')[0] ?? NONE))];
  return repos.length > 0 ? repos.map((r) => [r, NONE]) : [[NONE, NONE]];
}

/** The `images` table, header included: one row per repository:tag. */
export function formatImageTable(images: readonly ImageSummary[], opts: ImageTableOptions): string {
  const rows: string[][] = [];
  for (const image of images) {
    const id = opts.noTrunc === true ? image.Id : shortId(image.Id);
    const created = `${humanDuration(opts.now - image.Created * 1000)} ago`;
    for (const [repository, tag] of repoTagPairs(image)) {
      rows.push([repository, tag, id, created, humanSize(image.Size)]);
    }
  }
  return formatTable([header, ...rows]);
}

/** `images -q`: each id once, in order. */
export function imageIds(images: readonly ImageSummary[], noTrunc = false): string[] {
  return [...new Set(images.map((i) => (noTrunc ? i.Id : shortId(i.Id))))];
}
