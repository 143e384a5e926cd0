/**
 * Subordinate id ranges for the remapped-daemon tests: each test file creates its own user with
 * one 65536-id range, the same start in /etc/subuid and /etc/subgid. Test files run in parallel
 * processes, so the read-choose-append of both files happens under a lock file (else two files
 * could pick the same range, or different starts in the two files).
 */
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { open, unlink } from 'node:fs/promises';
import { freeRange, parseSubIdFile, type SubIdRange } from '../../src/daemon/userns/subid.js';

const LOCK = '/tmp/berth-subid-test.lock';
const FILES = ['/etc/subuid', '/etc/subgid'] as const;

async function withLock<T>(fn: () => T): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      await (await open(LOCK, 'wx')).close();
      break;
    } catch (e) {
      // A lock older than this loop (a crashed test) is taken over after ~10 s.
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || i > 1000) throw e;
      if (i === 1000) await unlink(LOCK).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 10));
    }
  }
  try {
    return fn();
  } finally {
    await unlink(LOCK).catch(() => undefined);
  }
}

const read = (f: string): string => {
  try {
    return readFileSync(f, 'utf8');
  } catch {
    return '';
  }
};

/** Appends `user:<start>:65536` to both files, `start` free in both; returns it. */
export function addSubidRange(user: string): Promise<number> {
  return withLock(() => {
    const taken = new Map<string, SubIdRange[]>();
    for (const f of FILES)
      for (const [name, ranges] of parseSubIdFile(read(f))) taken.set(`${f}:${name}`, ranges);
    const start = freeRange(taken);
    for (const f of FILES) {
      const text = read(f);
      const sep = text === '' || text.endsWith('\n') ? '' : '\n';
      appendFileSync(f, `${sep}${user}:${start}:65536\n`);
    }
    return start;
  });
}

/** Removes the user's lines from both files. */
export function dropSubidRange(user: string): Promise<void> {
  return withLock(() => {
    for (const f of FILES) {
      const kept = read(f)
        .split('\n')
        .filter((l) => !l.startsWith(`${user}:`));
      writeFileSync(f, kept.join('\n'));
    }
  });
}
