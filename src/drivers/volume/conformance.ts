import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isKind } from '../../errors/index.js';
import type { VolumeDriver } from './driver.js';
import { isMountPoint } from './mount-table.js';

/**
 * Makes a driver over a fresh root; registers (with `t.after`) the cleanup of that root,
 * including any mount left under it when a test fails midway.
 */
export type VolumeDriverFactory = (t: TestContext) => Promise<VolumeDriver>;

/**
 * The behaviour every VolumeDriver must have (a shared suite in the style of containerd's
 * snapshotter tests). Each implementation's test file calls it once. Needs root for the
 * device-mount cases.
 */
export function volumeDriverConformance(name: string, make: VolumeDriverFactory): void {
  test(`${name}: create is idempotent and keeps the data`, async (t) => {
    const d = await make(t);
    await d.create('v1', {});
    await writeFile(join(d.path('v1'), 'f'), 'data');
    await d.create('v1', {});
    assert.equal(await readFile(join(d.path('v1'), 'f'), 'utf8'), 'data');
    assert.equal(await d.size('v1'), 4);
    assert.equal(await d.activate('v1', {}), d.path('v1'));
    await d.deactivate('v1');
    assert.equal(await readFile(join(d.path('v1'), 'f'), 'utf8'), 'data');
    await d.remove('v1');
    await assert.rejects(stat(d.path('v1')), /ENOENT/);
  });

  test(`${name}: hostile names and unknown options are refused`, async (t) => {
    const d = await make(t);
    for (const bad of ['../x', 'a/b', '.x', 'a', '']) {
      assert.throws(
        () => d.path(bad),
        (e: unknown) => isKind(e, 'InvalidParameter'),
      );
    }
    assert.throws(
      () => d.validateOptions({ foo: 'bar' }),
      (e: unknown) => isKind(e, 'InvalidParameter') && /invalid option key: "foo"/.test(String(e)),
    );
    assert.throws(() => d.validateOptions({ type: 'tmpfs' }), /missing required option/);
  });

  test(`${name}: a tmpfs volume is mounted while active and unmounted after`, async (t) => {
    const d = await make(t);
    const opts = { type: 'tmpfs', device: 'tmpfs', o: 'size=1m' };
    await d.create('tv', opts);
    const p = await d.activate('tv', opts);
    assert.equal(await isMountPoint(p), true);
    await d.activate('tv', opts); // idempotent: not mounted twice
    await writeFile(join(p, 'f'), 'x');
    await d.deactivate('tv');
    assert.equal(await isMountPoint(p), false);
    await d.remove('tv');
  });

  test(`${name}: removing a bind-backed volume never deletes the host dir's files`, async (t) => {
    const d = await make(t);
    const host = await mkdtemp('/tmp/bvd-');
    t.after(() => rm(host, { recursive: true, force: true }));
    await writeFile(join(host, 'keep'), 'k');
    const opts = { type: 'none', device: host, o: 'bind' };
    await d.create('bv', opts);
    const p = await d.activate('bv', opts);
    assert.equal(await readFile(join(p, 'keep'), 'utf8'), 'k');
    await d.remove('bv'); // active: remove unmounts first
    assert.equal(await readFile(join(host, 'keep'), 'utf8'), 'k');
  });
}
