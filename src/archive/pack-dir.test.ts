import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmod, link, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { after, before, test } from 'node:test';
import * as tar from 'tar-stream';
import type { Header as Headers } from 'tar-stream';
import { execFile } from '../lib/exec.js';
import { major, minor, packDir } from './pack-dir.js';

let dir: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'berth-test-pack-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Reads a tar stream into headers and contents. */
async function entries(src: Readable): Promise<Map<string, { h: Headers; body: Buffer }>> {
  const out = new Map<string, { h: Headers; body: Buffer }>();
  const ex = tar.extract();
  src.pipe(ex as unknown as NodeJS.WritableStream);
  for await (const e of ex) {
    const chunks: Buffer[] = [];
    for await (const c of e as AsyncIterable<Buffer>) chunks.push(c);
    out.set(e.header.name, { h: e.header, body: Buffer.concat(chunks) });
  }
  return out;
}

test('packDir stores files, modes, symlinks and hardlinks as links, sorted', async () => {
  const root = join(dir, 'a');
  await mkdir(join(root, 'sub'), { recursive: true });
  await writeFile(join(root, 'sub', 'f'), 'hello');
  await chmod(join(root, 'sub', 'f'), 0o4750);
  await writeFile(join(root, 'zero'), '');
  await chmod(join(root, 'zero'), 0);
  await symlink('/etc/passwd', join(root, 'abs-link'));
  await symlink('../../outside', join(root, 'sub', 'rel-link'));
  await link(join(root, 'sub', 'f'), join(root, 'sub', 'g'));
  const big = randomBytes(300_000);
  await writeFile(join(root, 'big'), big);
  const got = await entries(packDir(root));
  assert.deepEqual(
    [...got.keys()],
    ['abs-link', 'big', 'sub/', 'sub/f', 'sub/g', 'sub/rel-link', 'zero'],
  );
  assert.equal(got.get('sub/f')?.body.toString(), 'hello');
  assert.equal(got.get('sub/f')?.h.mode, 0o4750);
  assert.equal(got.get('zero')?.h.mode, 0);
  assert.equal(got.get('sub/g')?.h.type, 'link');
  assert.equal(got.get('sub/g')?.h.linkname, 'sub/f');
  assert.equal(got.get('abs-link')?.h.type, 'symlink');
  assert.equal(got.get('abs-link')?.h.linkname, '/etc/passwd');
  assert.equal(got.get('sub/rel-link')?.h.linkname, '../../outside');
  assert.equal(got.get('sub/')?.h.type, 'directory');
  assert.ok(got.get('big')?.body.equals(big));
});

test('packDir stores fifos and devices, skips sockets', async () => {
  const root = join(dir, 'b');
  await mkdir(root);
  await execFile('mknod', ['-m', '0600', join(root, 'fifo'), 'p'], { timeoutMs: 5000 });
  await execFile('mknod', ['-m', '0666', join(root, 'null'), 'c', '1', '3'], { timeoutMs: 5000 });
  const sock = await import('node:net').then((net) => net.createServer());
  await new Promise<void>((r) => sock.listen(join(root, 'sock'), r));
  try {
    const got = await entries(packDir(root));
    assert.deepEqual([...got.keys()], ['fifo', 'null']);
    assert.equal(got.get('fifo')?.h.type, 'fifo');
    assert.equal(got.get('null')?.h.type, 'character-device');
    assert.equal(got.get('null')?.h.devmajor, 1);
    assert.equal(got.get('null')?.h.devminor, 3);
  } finally {
    await new Promise((r) => sock.close(r));
  }
});

test('packDir with skipMountContents stores a mount point as an empty directory', async () => {
  const root = join(dir, 'c');
  await mkdir(join(root, 'proc'), { recursive: true });
  await writeFile(join(root, 'proc', 'hidden'), 'x');
  const r = await execFile('mount', ['-t', 'tmpfs', 'tmpfs', join(root, 'proc')], {
    timeoutMs: 10_000,
  });
  assert.equal(r.code, 0, r.stderr);
  try {
    await writeFile(join(root, 'proc', 'kernel-file'), 'k');
    const got = await entries(packDir(root, { skipMountContents: true }));
    assert.deepEqual([...got.keys()], ['proc/']);
    const all = await entries(packDir(root));
    assert.ok(all.has('proc/kernel-file'));
  } finally {
    await execFile('umount', [join(root, 'proc')], { timeoutMs: 10_000 });
  }
});

test('major/minor decode Linux dev_t', () => {
  assert.equal(major(0x0103), 1);
  assert.equal(minor(0x0103), 3);
  const rdev = (259 << 8) | 0x12; // major 259, minor 0x12
  assert.equal(major(rdev), 259);
  assert.equal(minor(rdev), 0x12);
});
