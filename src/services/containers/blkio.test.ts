import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withBlockIO } from '../../oci/options/block-io.js';
import type { Spec } from '../../oci/types.js';
import {
  BLKIO_WARNINGS,
  blockDeviceNumbers,
  blockIOFor,
  checkBlkio,
  detectBlkioSupport,
  type BlkioResources,
} from './blkio.js';

const none: BlkioResources = {
  blkioWeight: 0,
  blkioWeightDevice: [],
  blkioDeviceReadBps: [],
  blkioDeviceWriteBps: [],
  blkioDeviceReadIOps: [],
  blkioDeviceWriteIOps: [],
};
const all = { weight: true, weightDevice: true, throttle: true };

/** A fake cgroupfs root with the given files. */
function fakeTree(files: Record<string, string>): string {
  const root = mkdtempSync('/tmp/isocg-');
  for (const [f, content] of Object.entries(files)) {
    mkdirSync(join(root, f, '..'), { recursive: true });
    writeFileSync(join(root, f), content);
  }
  return root;
}

test('detectBlkioSupport reads v1 and v2 trees', () => {
  const trees = [
    fakeTree({ 'blkio/blkio.throttle.read_bps_device': '' }),
    fakeTree({ 'blkio/blkio.bfq.weight': '100', 'blkio/blkio.bfq.weight_device': '' }),
    fakeTree({ 'cgroup.controllers': 'cpuset cpu io memory pids\n' }),
    fakeTree({ 'cgroup.controllers': 'cpu memory\n' }),
  ];
  try {
    assert.deepEqual(detectBlkioSupport(trees[0]), {
      weight: false,
      weightDevice: false,
      throttle: true,
    });
    assert.deepEqual(detectBlkioSupport(trees[1]), {
      weight: true,
      weightDevice: true,
      throttle: false,
    });
    assert.deepEqual(detectBlkioSupport(trees[2]), all);
    assert.deepEqual(detectBlkioSupport(trees[3]), {
      weight: false,
      weightDevice: false,
      throttle: false,
    });
  } finally {
    for (const t of trees) rmSync(t as string, { recursive: true, force: true });
  }
});

test('checkBlkio: Docker ranges and device lookups', () => {
  assert.doesNotThrow(() => checkBlkio({ ...none, blkioWeight: 10 }, { devices: true }));
  assert.doesNotThrow(() => checkBlkio({ ...none, blkioWeight: 1000 }, { devices: true }));
  for (const w of [9, 1001, -1, 1.5]) {
    assert.throws(() => checkBlkio({ ...none, blkioWeight: w }, { devices: true }), {
      message: 'Range of blkio weight is from 10 to 1000',
    });
  }
  assert.throws(
    () =>
      checkBlkio(
        { ...none, blkioWeightDevice: [{ path: '/dev/loop0', weight: 5 }] },
        { devices: true },
      ),
    /invalid weight for device: \/dev\/loop0:5/,
  );
  assert.throws(
    () =>
      checkBlkio(
        { ...none, blkioDeviceReadBps: [{ path: '/dev/loop0', rate: -1 }] },
        { devices: true },
      ),
    /invalid rate for device in BlkioDeviceReadBps/,
  );
  assert.throws(
    () =>
      checkBlkio(
        { ...none, blkioDeviceWriteIOps: [{ path: '/dev/nope-x', rate: 1 }] },
        { devices: true },
      ),
    /no such file or directory/,
  );
  assert.throws(
    () =>
      checkBlkio(
        { ...none, blkioDeviceReadBps: [{ path: '/dev/null', rate: 1 }] },
        { devices: true },
      ),
    /is not a block device/,
  );
  // Update does not look stored paths up again.
  assert.doesNotThrow(() =>
    checkBlkio(
      { ...none, blkioDeviceWriteIOps: [{ path: '/dev/nope-x', rate: 1 }] },
      { devices: false },
    ),
  );
});

test('blockIOFor resolves paths and the spec gets runc fields (v1 files and v2 io.max/io.weight)', () => {
  const loop0 = blockDeviceNumbers('/dev/loop0');
  assert.deepEqual(loop0, { major: 7, minor: 0 });
  const r: BlkioResources = {
    ...none,
    blkioWeight: 300,
    blkioWeightDevice: [{ path: '/dev/loop0', weight: 200 }],
    blkioDeviceReadBps: [{ path: '/dev/loop0', rate: 1048576 }],
    blkioDeviceWriteIOps: [{ path: '/dev/loop1', rate: 100 }],
  };
  const { input, warnings } = blockIOFor(r, all);
  assert.deepEqual(warnings, []);
  const spec: Spec = { ociVersion: '1.0.2-dev' };
  withBlockIO(input)(spec);
  assert.deepEqual(spec.linux?.resources?.blockIO, {
    weight: 300,
    weightDevice: [{ major: 7, minor: 0, weight: 200 }],
    throttleReadBpsDevice: [{ major: 7, minor: 0, rate: 1048576 }],
    throttleWriteIOPSDevice: [{ major: 7, minor: 1, rate: 100 }],
  });
  const partial = blockIOFor(r, { weight: false, weightDevice: false, throttle: true });
  assert.deepEqual(partial.warnings, [BLKIO_WARNINGS.weight, BLKIO_WARNINGS.weightDevice]);
  assert.equal(partial.input.weight, undefined);
  assert.equal(partial.input.throttleReadBpsDevice?.length, 1);
  const empty: Spec = { ociVersion: '1.0.2-dev' };
  withBlockIO(blockIOFor(none, all).input)(empty);
  assert.equal(empty.linux, undefined);
  assert.throws(() => withBlockIO({ weight: 5 }), { kind: 'InvalidParameter' });
});
