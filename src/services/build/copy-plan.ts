import { createHash } from 'node:crypto';
import type { Stats } from 'node:fs';
import { createReadStream } from 'node:fs';
import { lstat, readdir, readlink } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { IgnoreMatcher } from '../../dockerfile/dockerignore.js';
import { invalidParameter } from '../../errors/index.js';
import { resolveInRoot } from '../../lib/in-root.js';

/** One file to write: a host path (never followed if a link), or literal content. */
export type PlannedFile =
  | { name: string; abs: string; st: Stats }
  | { name: string; content: Buffer; mode: number; mtime: Date };

/** Where COPY/ADD sources are read from. */
export interface SourceRoot {
  /** Host directory playing `/` for the sources. */
  dir: string;
  /** `.dockerignore` of the build context (none for `--from`). */
  ignore?: IgnoreMatcher;
  /** How Docker names the root in its messages ("build context" or the stage). */
  label: string;
}

const hasGlob = (s: string): boolean => /[*?[]/.test(s);

/** Go filepath.Match for one whole relative path (`*` does not cross `/`). */
function globRegex(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) throw invalidParameter(`syntax error in pattern ${JSON.stringify(pattern)}`);
      re += `[${pattern
        .slice(i + 1, end)
        .replace(/^!/, '^')
        .replace(/\\/g, '\\\\')}]`;
      i = end;
    } else re += /[.+^${}()|\\]/.test(c) ? `\\${c}` : c;
  }
  return new RegExp(`^${re}$`, 's');
}

/** Context-relative, normalised path of a source; `..` out of the root is refused as Docker does. */
export function sourcePath(src: string): string {
  const rel = posix.normalize(src.replace(/^\/+/, '') || '.');
  if (rel === '..' || rel.startsWith('../')) {
    throw invalidParameter(`forbidden path outside the build context: ${src} ()`);
  }
  return rel === '.' ? '' : rel.replace(/\/+$/, '');
}

/** Relative paths under `rel` in `root` (depth first, sorted), skipping ignored ones. */
async function walk(root: SourceRoot, rel: string, out: string[]): Promise<void> {
  const names = (await readdir(join(root.dir, rel)).catch(() => [] as string[])).sort();
  for (const n of names) {
    const p = rel === '' ? n : `${rel}/${n}`;
    if (root.ignore?.excluded(p) === true) {
      if (root.ignore.canSkipDir(p)) continue;
    } else out.push(p);
    const st = await lstat(join(root.dir, p)).catch(() => null);
    if (st?.isDirectory()) await walk(root, p, out);
  }
}

/** The source paths a COPY/ADD source names: itself, or every match of its wildcard. */
export async function matchSources(root: SourceRoot, src: string): Promise<string[]> {
  const rel = sourcePath(src);
  if (!hasGlob(rel)) {
    const abs = await resolveInRoot(root.dir, rel);
    const st = await lstat(abs).catch(() => null);
    if (st === null || (rel !== '' && root.ignore?.excluded(rel) === true)) {
      throw invalidParameter(
        `COPY failed: file not found in ${root.label} or excluded by .dockerignore: stat ${rel || '.'}: file does not exist`,
      );
    }
    return [rel];
  }
  const all: string[] = [];
  await walk(root, '', all);
  const re = globRegex(rel);
  const hits = all.filter((p) => re.test(p));
  if (hits.length === 0) throw invalidParameter(`COPY failed: no source files were specified`);
  return hits;
}

/**
 * The files one matched source contributes, named under `destName`: a directory's *content*
 * (recursively, links kept as links, ignored paths left out), or the file itself. The source path
 * itself is resolved inside its root (links followed, never out of the root).
 */
export async function planSource(
  root: SourceRoot,
  rel: string,
  destName: string,
  out: PlannedFile[],
): Promise<void> {
  const abs = await resolveInRoot(root.dir, rel);
  const st = await lstat(abs);
  if (!st.isDirectory()) {
    out.push({ name: destName, st, abs });
    return;
  }
  if (destName !== '') out.push({ name: destName, st, abs });
  const under: string[] = [];
  const sub: SourceRoot = { ...root, dir: abs };
  if (root.ignore) {
    // Ignore patterns are context-relative: check the full path, not the sub-path.
    const prefix = rel === '' ? '' : `${rel}/`;
    sub.ignore = {
      excluded: (p: string) => root.ignore?.excluded(`${prefix}${p}`) === true,
      canSkipDir: (p: string) => root.ignore?.canSkipDir(`${prefix}${p}`) === true,
    } as IgnoreMatcher;
  }
  await walk(sub, '', under);
  for (const p of under) {
    const child = join(abs, p);
    const cst = await lstat(child).catch(() => null);
    if (cst !== null)
      out.push({ name: destName === '' ? p : `${destName}/${p}`, st: cst, abs: child });
  }
}

/** Large reads: hashing a big COPY source is the cost of a cached step. */
const HASH_CHUNK = 1024 * 1024;

/**
 * The cache checksum of planned files: names, modes, sizes, link targets and content hashes
 * (never mtimes, as Docker's classic cache), so an edit anywhere misses and a touch does not.
 */
export async function planChecksum(files: readonly PlannedFile[]): Promise<string> {
  const h = createHash('sha256');
  for (const f of files) {
    if ('content' in f) {
      h.update(`${f.name}\0${f.mode}\0`).update(f.content);
    } else {
      h.update(`${f.name}\0${f.st.mode}\0`);
      if (f.st.isSymbolicLink()) h.update(await readlink(f.abs));
      else if (f.st.isFile())
        for await (const c of createReadStream(f.abs, { highWaterMark: HASH_CHUNK }))
          h.update(c as Buffer);
    }
    h.update('\0');
  }
  return h.digest('hex');
}
