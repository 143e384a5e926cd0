import { readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { invalidParameter, systemError } from '../../errors/index.js';
import { execFile } from '../../lib/exec.js';

/** The legacy mount(2) data is one page including the NUL: at most 4095 bytes of options. */
export const MAX_MOUNT_OPTIONS = 4095;
const MOUNT_TIMEOUT_MS = 30_000;

/** Where and how to mount one overlay. Lower dirs are relative to `cwd`, topmost first. */
export interface OverlayMountSpec {
  cwd: string;
  lowers: string[];
  upper: string;
  work: string;
  target: string;
}

/** The `-o` string; InvalidParameter (before calling mount) when it would not fit in a page. */
export function overlayOptions(spec: OverlayMountSpec): string {
  const opts = `lowerdir=${spec.lowers.join(':')},upperdir=${spec.upper},workdir=${spec.work}`;
  if (Buffer.byteLength(opts) > MAX_MOUNT_OPTIONS) {
    throw invalidParameter(
      `too many layers for an overlay mount: ${spec.lowers.length} lower dirs need ` +
        `${Buffer.byteLength(opts)} bytes of mount options, the kernel limit is ${MAX_MOUNT_OPTIONS}`,
    );
  }
  return opts;
}

/**
 * True when something is mounted on `dir`: its device differs from its parent's. Holds for
 * overlay (each mount gets its own anonymous device) and avoids parsing mountinfo.
 */
export async function isMountPoint(dir: string): Promise<boolean> {
  try {
    const [a, b] = await Promise.all([stat(dir), stat(dirname(dir))]);
    return a.dev !== b.dev;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}

/** Mounts the overlay with mount(8), run in `spec.cwd` so the kernel resolves relative lowers. */
export async function mountOverlay(spec: OverlayMountSpec): Promise<void> {
  const opts = overlayOptions(spec);
  const args = ['-t', 'overlay', 'overlay', '-o', opts, spec.target];
  const r = await execFile('mount', args, { timeoutMs: MOUNT_TIMEOUT_MS, cwd: spec.cwd });
  if (r.code !== 0) {
    // mount(8)'s text is misleading for overlay ("wrong fs type"); the real cause is in dmesg.
    throw systemError(`mounting overlay on ${spec.target} failed: ${r.stderr.trim()} (see dmesg)`);
  }
}

/**
 * Unmounts `target` if mounted: umount, retried with backoff while busy, then `umount -l` as the
 * last resort (a rootfs can stay busy briefly after a failed runc create). Idempotent.
 */
export async function unmountPath(target: string): Promise<void> {
  let last = '';
  for (const delay of [0, 50, 200, 500]) {
    if (delay > 0) await sleep(delay);
    if (!(await isMountPoint(target))) return;
    const r = await execFile('umount', [target], { timeoutMs: MOUNT_TIMEOUT_MS });
    if (r.code === 0) return;
    last = r.stderr.trim();
  }
  if (!(await isMountPoint(target))) return;
  const r = await execFile('umount', ['-l', target], { timeoutMs: MOUNT_TIMEOUT_MS });
  if (r.code !== 0 && (await isMountPoint(target)))
    throw systemError(`unmounting ${target} failed: ${last}; lazy unmount: ${r.stderr.trim()}`);
}

/** Mount points at or below `dir` per /proc/self/mountinfo, deepest first (for cleanup). */
export async function mountsUnder(dir: string): Promise<string[]> {
  const info = await readFile('/proc/self/mountinfo', 'utf8');
  const prefix = dir.endsWith('/') ? dir : `${dir}/`;
  return info
    .split('\n')
    .map((line) => unescapeMountPath(line.split(' ')[4] ?? ''))
    .filter((p) => p === dir || p.startsWith(prefix))
    .sort((a, b) => b.length - a.length);
}

/** mountinfo escapes space, tab, newline and backslash as octal (`\040`). */
function unescapeMountPath(p: string): string {
  return p.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}
