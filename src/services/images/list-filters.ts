import type { Image } from './types.js';
import {
  assertFilterKeys,
  boolFilter,
  globToRegExp,
  labelMatches,
  untilCutoff,
} from './image-filters.js';
import { parseReference, familiarName } from './reference.js';
import type { ImageVerbContext } from './verb-context.js';

const ACCEPTED = ['dangling', 'label', 'before', 'since', 'reference', 'until'];

const createdMs = (img: { created: string | null }): number =>
  img.created ? Date.parse(img.created) : 0;

/**
 * Docker's FamiliarMatch: the pattern against `name:tag` (or `name@digest`), then against the
 * bare repository name.
 */
function referenceMatches(patterns: RegExp[], familiar: string): boolean {
  const name = familiarName(parseReference(familiar));
  return patterns.some((p) => p.test(familiar) || p.test(name));
}

/**
 * GET /images/json filters as dockerd applies them: `dangling` (true: no tags; false: some tag or digest),
 * `label` (all must match), `before`/`since` (created strictly before/after the named image's
 * creation; NotFound for an unknown image), `until`, and `reference` (Go path.Match globs such as
 * `busy*`, or a `*` that stands for one path component before `/busybox`). With `reference`, only the matching RepoTags/RepoDigests are kept and
 * images with none are dropped. Unknown keys are InvalidParameter.
 */
export function filterImages(
  ctx: ImageVerbContext,
  images: Image[],
  filters: Record<string, string[]>,
  nowMs = Date.now(),
): Image[] {
  assertFilterKeys(filters, ACCEPTED);
  const dangling = filters['dangling'] ? boolFilter(filters, 'dangling', false) : undefined;
  const before = (filters['before'] ?? []).map((v) => createdMs(ctx.find(v)));
  const since = (filters['since'] ?? []).map((v) => createdMs(ctx.find(v)));
  const until = (filters['until'] ?? []).map((v) => untilCutoff(v, nowMs));
  const refPatterns = filters['reference']?.map(globToRegExp);
  const labels = filters['label'] ?? [];
  const out: Image[] = [];
  for (const img of images) {
    const t = createdMs(img);
    if (before.some((b) => t >= b) || since.some((s) => t <= s) || until.some((u) => t >= u))
      continue;
    const imgLabels = img.config.config?.Labels ?? {};
    if (!labels.every((l) => labelMatches(imgLabels, l))) continue;
    const tagged = img.repoTags.length > 0;
    if (dangling === true && tagged) continue;
    if (dangling === false && !tagged && img.repoDigests.length === 0) continue;
    if (refPatterns) {
      const repoTags = img.repoTags.filter((r) => referenceMatches(refPatterns, r));
      const repoDigests = img.repoDigests.filter((r) => referenceMatches(refPatterns, r));
      if (repoTags.length === 0 && repoDigests.length === 0) continue;
      out.push({ ...img, repoTags, repoDigests });
    } else out.push(img);
  }
  return out;
}
