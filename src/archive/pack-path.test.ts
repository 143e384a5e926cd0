import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { lstatSync } from 'node:fs';
import { link, mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tar from 'tar-stream';
import { packPath, type PackMounts } from './pack-path.js';

async function entries(
  path: string,
  name: string,
  mounts?: PackMounts,
): Promise<[string, string][]> {
  const ex = tar.extract();
  packPath(path, name, mounts).pipe(ex as unknown as NodeJS.WritableStream);
  const out: [string, string][] = [];
  for await (const e of ex) {
    const chunks: Buffer[] = [];
    for await (const c of e) chunks.push(c as Buffer);
    const h = e.header;
    const isLink = h.type === 'symlink' || h.type === 'link';
    out.push([h.name, isLink ? `-> ${h.linkname}` : Buffer.concat(chunks).toString()]);
  }
  return out;
}

async function tree(t: TestContext): Promise<string> {
  const base = await mkdtemp(join(tmpdir(), 'bp-'));
  t.after(() => rm(base, { recursive: true, force: true }));
  await mkdir(join(base, 'd/sub'), { recursive: true });
  await writeFile(join(base, 'd/a'), 'A');
  await writeFile(join(base, 'd/sub/b'), 'B');
  await symlink('/etc/shadow', join(base, 'd/l'));
  return base;
}

test('a directory is named after the asked base, recursively, links stored as links', async (t) => {
  const base = await tree(t);
  assert.deepEqual(await entries(join(base, 'd'), 'data'), [
    ['data/', ''],
    ['data/a', 'A'],
    ['data/l', '-> /etc/shadow'],
    ['data/sub/', ''],
    ['data/sub/b', 'B'],
  ]);
});

test('mounts decide where the walk goes: a source instead of the mount point, or nowhere', async (t) => {
  const base = await tree(t);
  await mkdir(join(base, 'vol'));
  await writeFile(join(base, 'vol/v'), 'V');
  await mkdir(join(base, 'd/sub/proc'));
  await writeFile(join(base, 'd/sub/proc/k'), 'kernel');
  const seen: string[] = [];
  const mounts: PackMounts = {
    top: '/in/d',
    enter(path, dir) {
      seen.push(path);
      if (path === '/in/d/sub')
        return { host: join(base, 'vol'), st: lstatSync(join(base, 'vol')) };
      return path.endsWith('/proc') ? null : dir;
    },
  };
  assert.deepEqual(await entries(join(base, 'd'), 'data', mounts), [
    ['data/', ''],
    ['data/a', 'A'],
    ['data/l', '-> /etc/shadow'],
    ['data/sub/', ''],
    ['data/sub/v', 'V'],
  ]);
  assert.deepEqual(seen, ['/in/d/sub']);
  mounts.top = '/';
  const names = (await entries(join(base, 'd', 'sub'), '', mounts)).map((e) => e[0]);
  assert.deepEqual(names, ['b', 'proc/']);
  assert.deepEqual(seen.slice(1), ['/proc']);
});

test('`.` gives ./ then bare names; `/` absolute names; `` children only; a file its name', async (t) => {
  const base = await tree(t);
  assert.deepEqual(
    (await entries(join(base, 'd'), '.')).map((e) => e[0]),
    ['./', 'a', 'l', 'sub/', 'sub/b'],
  );
  assert.deepEqual(
    (await entries(join(base, 'd'), '')).map((e) => e[0]),
    ['a', 'l', 'sub/', 'sub/b'],
  );
  assert.deepEqual(
    (await entries(join(base, 'd'), '/')).map((e) => e[0]),
    ['/', '/a', '/l', '/sub/', '/sub/b'],
  );
  assert.deepEqual(await entries(join(base, 'd/a'), 'renamed'), [['renamed', 'A']]);
});

test('long and non-ASCII names and link targets, hard links and big files survive (PAX)', async (t) => {
  const base = await tree(t);
  const deep = `${'long'.repeat(30)}/ü-${'n'.repeat(120)}`;
  await mkdir(join(base, 'd', 'long'.repeat(30)), { recursive: true });
  await writeFile(join(base, 'd', deep), 'deep');
  await writeFile(join(base, 'd/big'), Buffer.alloc(600_001, 7));
  await link(join(base, 'd/big'), join(base, 'd/hard'));
  await symlink(`/${'x'.repeat(150)}`, join(base, 'd/longlink'));
  const got = new Map(await entries(join(base, 'd'), 'd'));
  assert.equal(got.get(`d/${deep}`), 'deep');
  assert.equal(got.get('d/big')?.length, 600_001);
  assert.equal(got.get('d/hard'), '-> d/big');
  assert.equal(got.get('d/longlink'), `-> /${'x'.repeat(150)}`);
});

test('destroying the stream halfway closes the file being read', async (t) => {
  const base = await tree(t);
  await writeFile(join(base, 'd/a'), Buffer.alloc(16 * 1024 * 1024, 1));
  const fds = async () => (await readdir('/proc/self/fd')).length;
  const before = await fds();
  const s = packPath(join(base, 'd'), 'd');
  await new Promise<void>((resolve) =>
    s.once('data', () => {
      s.destroy(); // in the first chunk's handler: the walk is inside d/a
      resolve();
    }),
  );
  await new Promise((r) => setImmediate(r));
  assert.equal(await fds(), before);
});
