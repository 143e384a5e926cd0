import { readFile } from 'node:fs/promises';

/** Undoes mountinfo's octal escapes (`\040` for a space, `\134` for a backslash...). */
const unescape = (s: string): string =>
  s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));

/** The mount points of this process's mount namespace (from /proc/self/mountinfo). */
export async function mountPoints(): Promise<Set<string>> {
  const text = await readFile('/proc/self/mountinfo', 'utf8');
  const out = new Set<string>();
  for (const line of text.split('\n')) {
    const field = line.split(' ')[4];
    if (field !== undefined) out.add(unescape(field));
  }
  return out;
}

/** True when `path` (absolute, normalized) is a mount point. */
export async function isMountPoint(path: string): Promise<boolean> {
  return (await mountPoints()).has(path);
}
