import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Bytes used by the files below `dir` (not following symlinks, not crossing into other mounts'
 * concerns): the sum of st_size of everything but directories, each hardlinked inode once. This
 * is how Docker reports layer Size and container SizeRw.
 */
export async function diskUsage(dir: string): Promise<number> {
  const seen = new Set<number>();
  let total = 0;
  const stack = [dir];
  while (stack.length > 0) {
    const d = stack.pop() as string;
    for (const ent of await readdir(d, { withFileTypes: true })) {
      const p = join(d, ent.name);
      if (ent.isDirectory()) {
        stack.push(p);
        continue;
      }
      const st = await lstat(p);
      if (st.nlink > 1) {
        if (seen.has(st.ino)) continue;
        seen.add(st.ino);
      }
      total += st.size;
    }
  }
  return total;
}
