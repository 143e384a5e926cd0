import { readFile } from 'node:fs/promises';
import * as tar from 'tar-stream';
import type { Header } from 'tar-stream';
import { systemError } from '../../errors/index.js';
import { execFile } from '../../lib/exec.js';

/** Every entry gets this mtime, so the layer depends only on the busybox binary. */
export const BUSYBOX_EPOCH = new Date('2024-01-01T00:00:00Z');

const dirs: [string, number][] = [
  ['bin', 0o755],
  ['dev', 0o755],
  ['etc', 0o755],
  ['home', 0o755],
  ['proc', 0o755],
  ['root', 0o700],
  ['sys', 0o755],
  ['tmp', 0o1777],
  ['usr', 0o755],
  ['usr/bin', 0o755],
  ['usr/sbin', 0o755],
  ['var', 0o755],
  ['var/spool', 0o755],
  ['var/www', 0o755],
];

const passwd = `root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/bin/false
bin:x:2:2:bin:/bin:/bin/false
sys:x:3:3:sys:/dev:/bin/false
sync:x:4:100:sync:/bin:/bin/sync
mail:x:8:8:mail:/var/spool/mail:/bin/false
www-data:x:33:33:www-data:/var/www:/bin/false
operator:x:37:37:Operator:/var:/bin/false
nobody:x:65534:65534:nobody:/home:/bin/false
`;

const groups = [
  'root:x:0:',
  'daemon:x:1:',
  'bin:x:2:',
  'sys:x:3:',
  'adm:x:4:',
  'tty:x:5:',
  'disk:x:6:',
  'lp:x:7:',
  'mail:x:8:',
  'kmem:x:9:',
  'wheel:x:10:root',
  'cdrom:x:11:',
  'dialout:x:18:',
  'floppy:x:19:',
  'video:x:28:',
  'audio:x:29:',
  'tape:x:32:',
  'www-data:x:33:',
  'operator:x:37:',
  'netdev:x:82:',
  'users:x:100:',
  'nogroup:x:65534:',
];
const group = groups.map((g) => `${g}\n`).join('');

const appletPattern = /^[A-Za-z0-9_.[\]-]+$/;

/** The applet names the binary reports (`busybox --list`), validated and sorted. */
export async function listApplets(busyboxPath: string): Promise<string[]> {
  const r = await execFile(busyboxPath, ['--list'], { timeoutMs: 10_000 });
  if (r.code !== 0) throw systemError(`${busyboxPath} --list: exit ${r.code}: ${r.stderr.trim()}`);
  const names = r.stdout.split('\n').map((s) => s.trim());
  const applets = names.filter((n) => n !== '' && n !== 'busybox' && n !== '.' && n !== '..');
  const bad = applets.find((n) => !appletPattern.test(n));
  if (bad !== undefined)
    throw systemError(`${busyboxPath} --list: unexpected applet name ${JSON.stringify(bad)}`);
  return [...new Set(applets)].sort();
}

/** The upstream version (`1.35.0`) from the binary's banner. */
export async function busyboxVersion(busyboxPath: string): Promise<string> {
  const r = await execFile(busyboxPath, ['--help'], { timeoutMs: 10_000 });
  const m = /BusyBox v([0-9A-Za-z.+~-]+)/.exec(r.stdout + r.stderr);
  if (m === null) throw systemError(`${busyboxPath}: cannot read the BusyBox version`);
  return m[1] as string;
}

/**
 * Builds the busybox rootfs as an uncompressed tar, deterministically: fixed entry order
 * (directories, the binary, then one hardlink per applet in /bin, then /etc files), fixed mtimes
 * and owners. The same binary always gives the same bytes, hence the same diff id.
 */
export async function buildBusyboxLayerTar(
  busyboxPath: string,
  applets: string[],
): Promise<Buffer> {
  const binary = await readFile(busyboxPath);
  const base = { mtime: BUSYBOX_EPOCH, uid: 0, gid: 0, uname: 'root', gname: 'root' };
  const entries: [Partial<Header> & { name: string }, Buffer?][] = [
    ...dirs.map(([name, mode]): [Partial<Header> & { name: string }] => [
      { ...base, name: `${name}/`, type: 'directory', mode },
    ]),
    [{ ...base, name: 'bin/busybox', type: 'file', mode: 0o755 }, binary],
    ...applets.map((a): [Partial<Header> & { name: string }] => [
      { ...base, name: `bin/${a}`, type: 'link', linkname: 'bin/busybox', mode: 0o755 },
    ]),
    [{ ...base, name: 'etc/group', type: 'file', mode: 0o644 }, Buffer.from(group)],
    [{ ...base, name: 'etc/passwd', type: 'file', mode: 0o644 }, Buffer.from(passwd)],
  ];
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  pack.on('data', (c: unknown) => void chunks.push(c as Buffer));
  const ended = new Promise<void>((resolve, reject) => {
    pack.on('end', () => resolve());
    pack.on('error', reject);
  });
  for (const [header, body] of entries) {
    await new Promise<void>((resolve, reject) => {
      const cb = (err?: Error | null) => (err ? reject(err) : resolve());
      if (body === undefined) pack.entry(header, cb);
      else pack.entry(header, body, cb);
    });
  }
  pack.finalize();
  await ended;
  return Buffer.concat(chunks);
}
