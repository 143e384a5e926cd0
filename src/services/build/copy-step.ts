import { open, lstat } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { posix } from 'node:path';
import { detectCompression } from '../../archive/decompress.js';
import { extractInto } from '../../archive/extract-into.js';
import type { CopyInstruction } from '../../dockerfile/instructions.js';
import { processWord } from '../../dockerfile/shell-lex.js';
import { invalidParameter } from '../../errors/index.js';
import { resolveInRoot } from '../../lib/in-root.js';
import { resolveUser } from '../containers/user.js';
import { writeFiles } from './copy-apply.js';
import {
  matchSources,
  planChecksum,
  planSource,
  type PlannedFile,
  type SourceRoot,
} from './copy-plan.js';
import { fetchUrl } from './fetch-url.js';
import { stepVars, type StageState } from './stage-state.js';

/** A COPY/ADD resolved against its sources: what to write, and its cache checksum. */
export interface CopyWork {
  files: PlannedFile[];
  /** ADD of local archives: host path and the destination directory to extract into. */
  archives: { abs: string; destDir: string }[];
  /** Cache key part: the content checksum, the destination and the options. */
  key: string;
  /** The content checksum alone, and the absolute destination (for the history entry). */
  sum: string;
  dest: string;
  chown?: string;
  chmod?: number;
  /**
   * Set when the destination has no directory syntax and the one source is a file: the name
   * to write under if the destination turns out to be a directory in the image (see retarget).
   */
  retarget?: string;
}

const isUrl = (s: string): boolean => /^https?:\/\//i.test(s);

/** True for a plain or compressed tar, which ADD extracts instead of copying. */
async function isArchive(abs: string): Promise<boolean> {
  const fh = await open(abs, 'r');
  try {
    const head = Buffer.alloc(512);
    const { bytesRead } = await fh.read(head, 0, 512, 0);
    if (detectCompression(head.subarray(0, bytesRead)) !== 'none') return true;
    return bytesRead >= 262 && head.toString('latin1', 257, 262) === 'ustar';
  } finally {
    await fh.close();
  }
}

/** Expands `$VAR`/`${VAR}` in here-document content (an unquoted delimiter), nothing else. */
function expandHeredoc(text: string, vars: Map<string, string>): string {
  return text.replace(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g, (_, a, b) => {
    return vars.get((a ?? b) as string) ?? '';
  });
}

/**
 * Resolves a COPY/ADD: expands its words, matches its sources in `root` (the context or a
 * stage), decides each destination name as Docker does (into a directory when the destination
 * ends in `/` or `.` or names several sources; a directory source copies its content), downloads
 * ADD URLs, and computes the content checksum for the cache. Whether the destination is already
 * a directory in the image is left to {@link retarget}: it depends only on the parent image,
 * which the cache is keyed by too, so a cache hit needs no mounted rootfs.
 */
export async function planCopy(
  s: StageState,
  instr: CopyInstruction,
  root: SourceRoot,
  signal: AbortSignal,
): Promise<CopyWork> {
  const vars = stepVars(s);
  const word = (w: string): string => processWord(w, vars, s.escape);
  const rawDest = word(instr.dest);
  const dest = posix.resolve(s.config.WorkingDir || '/', rawDest);
  const srcs = instr.sources.map((w) => (w.startsWith('<<') ? w : word(w)));
  const matched: { kind: 'path' | 'heredoc' | 'url'; value: string }[] = [];
  for (const src of srcs) {
    if (src.startsWith('<<')) matched.push({ kind: 'heredoc', value: src.slice(2) });
    else if (isUrl(src)) {
      if (instr.kind !== 'ADD') throw invalidParameter(`COPY does not support URLs: ${src}`);
      matched.push({ kind: 'url', value: src });
    } else for (const p of await matchSources(root, src)) matched.push({ kind: 'path', value: p });
  }
  // `.` and `dir/.` name a directory as surely as a trailing `/` (Docker's normalizeDest).
  const dirSyntax = rawDest.endsWith('/') || rawDest === '.' || rawDest.endsWith('/.');
  const intoDir = dirSyntax || matched.length > 1;
  if (matched.length > 1 && !dirSyntax) {
    throw invalidParameter(
      `When using ${instr.kind} with more than one source file, the destination must be a directory and end with a /`,
    );
  }
  const rel = dest.replace(/^\/+/, '');
  const nameFor = (base: string): string => (intoDir ? posix.join(rel, base) : rel);
  const work: CopyWork = { files: [], archives: [], key: '', sum: '', dest };
  for (const m of matched) {
    if (m.kind === 'heredoc') {
      const h = instr.heredocs.find((x) => x.name === m.value);
      if (!h) throw invalidParameter(`${instr.kind}: no here-document named ${m.value}`);
      const content = Buffer.from(h.expand ? expandHeredoc(h.content, vars) : h.content);
      work.files.push({ name: nameFor(m.value), content, mode: 0o644, mtime: new Date() });
      if (!intoDir) work.retarget = posix.join(rel, m.value);
    } else if (m.kind === 'url') {
      const got = await fetchUrl(m.value, signal);
      const base = posix.basename(new URL(m.value).pathname) || 'index.html';
      work.files.push({ name: nameFor(base), content: got.body, mode: 0o600, mtime: got.mtime });
      if (!intoDir) work.retarget = posix.join(rel, base);
    } else {
      const abs = await resolveInRoot(root.dir, m.value);
      const st = await lstat(abs);
      if (instr.kind === 'ADD' && st.isFile() && (await isArchive(abs))) {
        work.archives.push({ abs, destDir: dest });
        continue;
      }
      await planSource(
        root,
        m.value,
        st.isDirectory() ? rel : nameFor(posix.basename(m.value)),
        work.files,
      );
      if (!intoDir && !st.isDirectory()) work.retarget = posix.join(rel, posix.basename(m.value));
    }
  }
  if (instr.chown !== undefined) work.chown = word(instr.chown);
  if (instr.chmod !== undefined) {
    const c = word(instr.chmod);
    if (!/^[0-7]{3,4}$/.test(c)) throw invalidParameter(`invalid chmod parameter: ${c}`);
    work.chmod = parseInt(c, 8);
  }
  const archiveSums = await planChecksum(
    await Promise.all(
      work.archives.map(async (a) => ({ name: a.destDir, st: await lstat(a.abs), abs: a.abs })),
    ),
  );
  work.sum = await planChecksum(work.files);
  // The sources' names are in the key: retarget may still put them under their own names.
  const names = JSON.stringify(matched.map((m) => m.value));
  work.key = `${work.sum}:${archiveSums}:${names} in ${dest} ${work.chown ?? ''} ${work.chmod ?? ''}`;
  return work;
}

/**
 * Completes a plan once the rootfs is at hand: a single file copied to a destination without
 * directory syntax goes *into* it when the image has a directory there (Docker's rule).
 */
export async function retarget(
  work: CopyWork,
  rootfsDirs: (dest: string) => Promise<boolean>,
): Promise<void> {
  const [only] = work.files;
  if (work.retarget === undefined || only === undefined || work.files.length !== 1) return;
  if (await rootfsDirs(work.dest)) work.files[0] = { ...only, name: work.retarget };
}

/** Resolves `--chown=user[:group]` in the rootfs: a bare user or uid also gives the gid. */
async function chownIds(
  rootfs: string,
  spec: string | undefined,
): Promise<{ uid: number; gid: number }> {
  if (spec === undefined || spec === '') return { uid: 0, gid: 0 };
  const u = await resolveUser(rootfs, spec);
  return spec.includes(':') ? { uid: u.uid, gid: u.gid } : { uid: u.uid, gid: u.uid };
}

/** Writes a planned COPY/ADD into a mounted rootfs. */
export async function applyCopy(rootfs: string, work: CopyWork): Promise<void> {
  const owner = await chownIds(rootfs, work.chown);
  await writeFiles(rootfs, work.files, owner, work.chmod);
  for (const a of work.archives) {
    await writeFiles(rootfs, [], owner, undefined, [a.destDir.replace(/^\/+/, '')]);
    await extractInto(rootfs, a.destDir, createReadStream(a.abs), { noOverwriteDirNonDir: false });
  }
}
