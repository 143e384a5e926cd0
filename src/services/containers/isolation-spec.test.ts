import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Spec } from '../../oci/types.js';
import { applyIsolation, detectSwappinessSupport, SWAPPINESS_WARNING } from './isolation-spec.js';
import { noResources } from './resources.js';

const noBlkio = { weight: false, weightDevice: false, throttle: false };
const bare = (): Spec => ({ ociVersion: '1.0.2', root: { path: '/r' } }) as Spec;

test('swappiness goes into the memory resources where the host has it, else a warning', () => {
  const r = { ...noResources, memorySwappiness: 15 };
  const spec = bare();
  assert.deepEqual(applyIsolation(spec, r, noBlkio, true), []);
  assert.equal(spec.linux?.resources?.memory?.swappiness, 15);
  const v2 = bare();
  assert.deepEqual(applyIsolation(v2, r, noBlkio, false), [SWAPPINESS_WARNING]);
  assert.equal(v2.linux?.resources?.memory?.swappiness, undefined);
  const unset = bare();
  assert.deepEqual(applyIsolation(unset, noResources, noBlkio, false), []);
  assert.equal(unset.linux?.resources?.memory, undefined);
});

test('swappiness support: v1 memory.swappiness yes, a unified (v2) tree no', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'swp-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  assert.equal(detectSwappinessSupport(root), false);
  await mkdir(join(root, 'memory'));
  await writeFile(join(root, 'memory', 'memory.swappiness'), '60\n');
  assert.equal(detectSwappinessSupport(root), true);
  await writeFile(join(root, 'cgroup.controllers'), 'memory io\n');
  assert.equal(detectSwappinessSupport(root), false);
});
