import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { lstat, mkdir, readdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isKind } from '../../errors/index.js';
import { digestOf, type Digest } from '../../lib/digest.js';
import type { Snapshotter } from './snapshotter.js';

/**
 * Makes a snapshotter over a fresh root; registers (with `t.after`) the cleanup of that root,
 * including any mount left under it when a test fails midway.
 */
export type SnapshotterFactory = (t: TestContext) => Promise<Snapshotter>;

const id = (s: string): Digest => digestOf(s);
const writeFiles = (files: Record<string, string>) => async (dir: string) => {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), content);
  }
};

/**
 * The behaviour every Snapshotter must have (containerd-style shared suite). Registers tests
 * with node:test; each implementation's test file calls it once with its factory. Needs root.
 */
export function snapshotterConformance(name: string, make: SnapshotterFactory): void {
  test(`${name}: ensureLayer commits once and is idempotent`, async (t) => {
    const s = await make(t);
    let fills = 0;
    assert.equal(await s.hasLayer(id('a')), false);
    await s.ensureLayer(id('a'), null, async (dir) => {
      fills++;
      await writeFiles({ 'x/y': 'hello', z: 'abc' })(dir);
    });
    await s.ensureLayer(id('a'), null, () => Promise.reject(new Error('must not run')));
    assert.equal(fills, 1);
    assert.equal(await s.hasLayer(id('a')), true);
    assert.equal(await s.layerSize(id('a')), 8);
    assert.deepEqual(await s.listLayers(), [id('a')]);
    await assert.rejects(s.layerSize(id('missing')), (e) => isKind(e, 'NotFound'));
    await assert.rejects(
      s.ensureLayer(id('b'), id('missing'), async () => {}),
      (e) => isKind(e, 'NotFound'),
    );
  });

  test(`${name}: a failed fill leaves nothing and can be retried`, async (t) => {
    const s = await make(t);
    await assert.rejects(
      s.ensureLayer(id('a'), null, async (dir) => {
        await writeFile(join(dir, 'partial'), 'x');
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.equal(await s.hasLayer(id('a')), false);
    assert.deepEqual(await s.listLayers(), []);
    await s.ensureLayer(id('a'), null, writeFiles({ ok: '1' }));
    assert.equal(await s.hasLayer(id('a')), true);
  });

  test(`${name}: concurrent ensureLayer of one chain id fills once`, async (t) => {
    const s = await make(t);
    let fills = 0;
    const fill = async (dir: string) => {
      fills++;
      await new Promise((r) => setTimeout(r, 30));
      await writeFiles({ f: 'content' })(dir);
    };
    await Promise.all(Array.from({ length: 5 }, () => s.ensureLayer(id('c'), null, fill)));
    assert.equal(fills, 1);
    assert.deepEqual(await s.listLayers(), [id('c')]);
  });

  test(`${name}: prepare + mount a 2-layer stack, write and delete, unmount, remove`, async (t) => {
    const s = await make(t);
    await s.ensureLayer(
      id('l0'),
      null,
      writeFiles({ 'etc/os': 'base', 'bin/tool': 'v1', keep: 'k' }),
    );
    await s.ensureLayer(id('l1'), id('l0'), writeFiles({ 'bin/tool': 'v2', 'app/main': 'app' }));
    await s.prepare('ctr1', [id('l0'), id('l1')]);
    t.after(() => s.remove('ctr1'));
    const root = await s.mount('ctr1');
    assert.equal(await s.mount('ctr1'), root, 'mount is idempotent');
    assert.equal(await readFile(join(root, 'bin/tool'), 'utf8'), 'v2', 'upper layer wins');
    assert.equal(await readFile(join(root, 'etc/os'), 'utf8'), 'base');
    for (const p of ['dev', 'dev/shm', 'proc', 'sys'])
      assert.ok((await lstat(join(root, p))).isDirectory(), p);
    for (const p of ['etc/hosts', 'etc/hostname', 'etc/resolv.conf'])
      assert.equal(await readFile(join(root, p), 'utf8'), '');
    await writeFile(join(root, 'new'), 'written');
    await unlink(join(root, 'keep'));
    assert.equal(await readFile(join(s.upperDir('ctr1'), 'new'), 'utf8'), 'written');
    assert.ok(!(await readdir(root)).includes('keep'));
    assert.ok((await s.upperSize('ctr1')) >= 7);
    assert.deepEqual(await s.listContainers(), ['ctr1']);
    const data = await s.driverData('ctr1');
    assert.equal(data.MergedDir, root);
    await s.unmount('ctr1');
    await s.unmount('ctr1');
    assert.deepEqual(await readdir(root), [], 'unmounted');
    const again = await s.mount('ctr1');
    assert.equal(await readFile(join(again, 'new'), 'utf8'), 'written', 'changes persist');
    await assert.rejects(s.removeLayer(id('l0')), (e) => isKind(e, 'Conflict'));
    await s.remove('ctr1');
    await s.remove('ctr1');
    assert.deepEqual(await s.listContainers(), []);
    await assert.rejects(s.mount('ctr1'), (e) => isKind(e, 'NotFound'));
    await assert.rejects(s.removeLayer(id('l0')), (e) => isKind(e, 'Conflict'), 'l1 is its child');
    await s.removeLayer(id('l1'));
    await s.removeLayer(id('l0'));
    await s.removeLayer(id('l0'));
    assert.deepEqual(await s.listLayers(), []);
  });

  test(`${name}: prepare validates keys and layers`, async (t) => {
    const s = await make(t);
    await s.ensureLayer(id('a'), null, writeFiles({ a: 'a' }));
    await assert.rejects(s.prepare('ctr', [id('a'), id('missing')]), (e) => isKind(e, 'NotFound'));
    for (const bad of ['', '../x', 'a/b', '.hidden', 'x'.repeat(129)]) {
      await assert.rejects(s.prepare(bad, [id('a')]), (e) => isKind(e, 'InvalidParameter'), bad);
    }
    await s.prepare('ctr', [id('a')]);
    t.after(() => s.remove('ctr'));
    await assert.rejects(s.prepare('ctr', [id('a')]), (e) => isKind(e, 'Conflict'));
    await s.prepare('empty', []);
    t.after(() => s.remove('empty'));
    const root = await s.mount('empty');
    assert.deepEqual((await readdir(root)).sort(), ['.dockerenv', 'dev', 'etc', 'proc', 'sys']);
  });
}
