import { createReadStream } from 'node:fs';
import { invalidParameter, notFound, systemError } from '../../errors/index.js';
import type { Digest } from '../../lib/digest.js';
import type { AuthConfig } from '../../distribution/auth-config.js';
import type { PushBlob } from '../../distribution/push-blob.js';
import { pushImage, type PushImageInput, type PushMessage } from '../../distribution/push-image.js';
import { PushTransport } from '../../distribution/push-transport.js';
import type { StoredImage } from '../../store/metadata/images-repository.js';
import { familiarName, formatReference, fullName, parseReference } from './reference.js';
import type { ImageVerbContext } from './verb-context.js';

/** A push resolved before the first byte of the answer: where to, and which local images. */
export interface PushPlan {
  domain: string;
  /** Repository path inside the registry (`test/busybox`). */
  path: string;
  /** The repository as Docker names it in "The push refers to repository [...]". */
  repository: string;
  targets: { tag: string; img: StoredImage }[];
}

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

/**
 * Resolves POST /images/{name}/push: `name` without a tag (a tag in it is used when `tag` is
 * empty); with no tag at all every local tag of the repository is pushed. NotFound (Docker's
 * message) when no local image has the name; InvalidParameter for digests or bad names. Also
 * checks every blob is in the content store, so failures come before the 200.
 */
export async function planPush(
  ctx: ImageVerbContext,
  name: string,
  tag: string,
): Promise<PushPlan> {
  const ref = parseReference(name);
  if (ref.digest !== undefined) throw invalidParameter('cannot push a digest reference');
  const wanted = tag !== '' ? tag : ref.tag;
  const repoName = fullName(ref);
  const tags =
    wanted !== undefined
      ? [wanted]
      : ctx.deps.repo
          .all()
          .flatMap((i) => i.refs)
          .map((r) => parseReference(r))
          .filter((r) => fullName(r) === repoName && r.tag !== undefined && r.digest === undefined)
          .map((r) => r.tag as string)
          .sort();
  const repository = familiarName(ref);
  const targets: PushPlan['targets'] = [];
  for (const t of tags) {
    const img = ctx.deps.repo.byRef(
      formatReference({ domain: ref.domain, path: ref.path, tag: t }),
    );
    if (img) targets.push({ tag: t, img });
  }
  if (targets.length === 0)
    throw notFound(
      `An image does not exist locally with the tag: ${repository}${wanted !== undefined ? `:${wanted}` : ''}`,
    );
  for (const { img } of targets) {
    if (!img.manifestDigest) throw systemError(`image ${img.id} has no stored manifest to push`);
    for (const d of [img.manifestDigest, img.id, ...img.layers.map((l) => l.digest)])
      if (!(await ctx.deps.content.has(d as Digest)))
        throw systemError(`image ${img.id}: blob ${d} is missing from the content store`);
  }
  return { domain: ref.domain, path: ref.path, repository, targets };
}

/** Repositories of `domain` other than `path` whose local images hold blob `digest`. */
function mountSources(ctx: ImageVerbContext, digest: string, domain: string, path: string) {
  const out = new Set<string>();
  for (const r of ctx.deps.repo.refsWithBlob(digest)) {
    const p = parseReference(r);
    if (p.domain === domain && p.path !== path) out.add(p.path);
  }
  return [...out].slice(0, 3);
}

/**
 * Pushes every target of `plan`, reporting Docker's progress lines through `progress`, records
 * `repo@digest` as a RepoDigest of the image and publishes an `image push` event per tag. Errors reject (the caller turns them into an
 * errorDetail line, since the 200 is already sent).
 */
export async function executePush(
  ctx: ImageVerbContext,
  plan: PushPlan,
  auth: AuthConfig | undefined,
  progress: (m: PushMessage) => void,
  opts: { insecure?: readonly string[]; chunkSize?: number; signal?: AbortSignal } = {},
): Promise<void> {
  const { content } = ctx.deps;
  const t = new PushTransport(plan.domain, auth, opts.insecure ?? []);
  const blob = (digest: string, size: number): PushBlob => ({
    digest: digest as Digest,
    size,
    open: (range) =>
      range === undefined
        ? content.createReadStream(digest as Digest)
        : createReadStream(content.path(digest as Digest), {
            start: range.start,
            end: range.end - 1,
          }),
  });
  for (const { tag, img } of plan.targets) {
    const bytes = await content.readBuffer(img.manifestDigest as Digest, { verify: true });
    let mediaType = OCI_MANIFEST;
    try {
      const m = JSON.parse(bytes.toString('utf8')) as { mediaType?: unknown };
      if (typeof m.mediaType === 'string' && m.mediaType !== '') mediaType = m.mediaType;
    } catch {
      throw systemError(`image ${img.id}: stored manifest is not JSON`);
    }
    const input: PushImageInput = {
      repo: plan.path,
      tag,
      manifest: { bytes, mediaType },
      config: {
        ...blob(img.id, (await content.size(img.id as Digest)) ?? 0),
        mountFrom: mountSources(ctx, img.id, plan.domain, plan.path),
      },
      layers: await Promise.all(
        img.layers.map(async (l) => ({
          ...blob(l.digest, (await content.size(l.digest as Digest)) ?? l.size),
          diffId: l.diffId,
          mountFrom: mountSources(ctx, l.digest, plan.domain, plan.path),
        })),
      ),
    };
    const { digest } = await pushImage(t, input, progress, {
      ...(opts.chunkSize !== undefined ? { chunkSize: opts.chunkSize } : {}),
      ...(opts.signal !== undefined ? { signal: opts.signal } : {}),
    });
    // as dockerd, the pushed digest becomes a RepoDigest of the image
    ctx.deps.repo.setRef(`${plan.domain}/${plan.path}@${digest}`, img.id);
    ctx.deps.events.publish('image', 'push', img.id, { name: `${plan.repository}:${tag}` });
  }
}
