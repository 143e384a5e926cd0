import { execFile } from '../lib/exec.js';

/**
 * The opaque directories (`trusted.overlay.opaque=y`) under an overlay upper dir, as paths
 * relative to it with a leading `/` (`/` for the upper dir itself). One `getfattr` walk with a
 * deadline: Node has no getxattr(2).
 */
export async function opaqueDirs(upper: string): Promise<Set<string>> {
  const r = await execFile(
    'getfattr',
    ['-R', '-h', '--absolute-names', '-n', 'trusted.overlay.opaque', '--', upper],
    { timeoutMs: 30_000 },
  );
  const out = new Set<string>();
  let file = '';
  for (const line of r.stdout.split('\n')) {
    if (line.startsWith('# file: ')) file = unescapeOctal(line.slice(8));
    else if (line === 'trusted.overlay.opaque="y"' && file.startsWith(upper)) {
      const rel = file.slice(upper.length);
      out.add(rel === '' ? '/' : rel);
    }
  }
  return out;
}

/** getfattr escapes unusual bytes in names as backslash-octal. */
function unescapeOctal(s: string): string {
  return Buffer.from(
    s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8))),
    'latin1',
  ).toString('utf8');
}
