import { readFile } from 'node:fs/promises';

/** Reads a cgroupfs file; rejects when it is missing (the cgroup is gone). */
export function readRequired(path: string): Promise<string> {
  return readFile(path, 'utf8');
}

/** Reads a cgroupfs file that a kernel or controller may not provide; '' when absent. */
export async function readOptional(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTSUP' || code === 'EINVAL') return '';
    throw e;
  }
}
