import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isKind, notFound } from '../../../errors/index.js';
import { parseBind } from './parse-bind.js';
import { planMounts, type PlanLookups } from './plan.js';
import type { MountsRequest, ResolvedMount } from './types.js';

const other: ResolvedMount[] = [
  {
    type: 'volume',
    destination: '/shared',
    source: 'sv',
    rw: true,
    mode: '',
    propagation: '',
    driver: 'local',
    anonymous: true,
  },
  { type: 'tmpfs', destination: '/tmp', source: '', rw: true, mode: '', propagation: '' },
];
const lookups: PlanLookups = {
  mountsOf: (n) => {
    if (n === 'donor') return other;
    throw notFound(`No such container: ${n}`);
  },
  exists: (p) => p === '/exists',
};
const plan = (req: MountsRequest, image: string[] = []) => planMounts(req, image, lookups);

function invalid(req: MountsRequest, message: string | RegExp): void {
  assert.throws(
    () => plan(req),
    (e: unknown) =>
      isKind(e, 'InvalidParameter') &&
      (typeof message === 'string'
        ? (e as Error).message === message
        : message.test((e as Error).message)),
  );
}

test('-v forms: bind, named, anonymous, modes', () => {
  assert.deepEqual(parseBind('/host/dir/:/in//x:ro,z'), {
    type: 'bind',
    destination: '/in/x',
    source: '/host/dir',
    rw: false,
    mode: 'ro,z',
    propagation: 'rprivate',
    createSource: true,
  });
  assert.deepEqual(parseBind('data:/d:nocopy'), {
    type: 'volume',
    destination: '/d',
    source: 'data',
    rw: true,
    mode: 'nocopy',
    propagation: '',
    driver: 'local',
    noCopy: true,
  });
  const anon = parseBind('/only');
  assert.equal(anon.anonymous, true);
  assert.equal(parseBind('/h:/c:rshared').propagation, 'rshared');
});

test("-v refusals carry Docker's messages", () => {
  invalid(
    { binds: ['a:b'] },
    `invalid volume specification: 'a:b': invalid mount config for type "volume": invalid mount path: 'b' mount path must be absolute`,
  );
  invalid({ binds: ['./rel:/x'] }, /"\.\/rel" includes invalid characters for a local volume name/);
  invalid(
    { binds: ['/h:/x:rw,ro'] },
    `invalid volume specification: '/h:/x:rw,ro': invalid mode: rw,ro`,
  );
  invalid({ binds: ['/h:/x:nocopy'] }, /invalid mode: nocopy/);
  invalid({ binds: ['v1:/x:rshared'] }, /invalid mode: rshared/);
  invalid({ binds: ['/h:/'] }, "invalid specification: destination can't be '/'");
  invalid({ binds: ['a:b:c:d'] }, "invalid volume specification: 'a:b:c:d'");
  invalid({ binds: ['/a:/x', 'v1:/x/'] }, 'Duplicate mount point: /x');
});

test('Mounts: validation of each type', () => {
  invalid(
    { mounts: [{ type: 'bind', source: '/missing', target: '/m' }] },
    'invalid mount config for type "bind": bind source path does not exist: /missing',
  );
  invalid(
    { mounts: [{ type: 'bind', source: 'rel', target: '/m' }] },
    `invalid mount config for type "bind": invalid mount path: 'rel' mount path must be absolute`,
  );
  invalid(
    { mounts: [{ type: 'volume', target: '' }] },
    'invalid mount config for type "volume": field Target must not be empty',
  );
  invalid(
    { mounts: [{ type: 'tmpfs', source: 'x', target: '/t' }] },
    'invalid mount config for type "tmpfs": field Source must not be specified',
  );
  invalid(
    { mounts: [{ type: 'volume', target: '/v', bindOptions: {} }] },
    'invalid mount config for type "volume": field BindOptions must not be specified',
  );
  invalid(
    { mounts: [{ type: 'npipe', target: '/v' }] },
    'invalid mount config for type "npipe": mount type unknown',
  );
  invalid(
    { binds: ['/exists:/x'], mounts: [{ type: 'tmpfs', target: '/x' }] },
    'Duplicate mount point: /x',
  );
  const [t] = plan({
    mounts: [
      {
        type: 'tmpfs',
        target: '/t',
        readOnly: true,
        tmpfsOptions: { sizeBytes: 4096, mode: 0o1777 },
      },
    ],
  });
  assert.deepEqual(t?.tmpfsOptions, ['nosuid', 'nodev', 'size=4096', 'mode=1777', 'ro']);
  const [b] = plan({
    mounts: [
      { type: 'bind', source: '/exists', target: '/b', bindOptions: { propagation: 'rslave' } },
    ],
  });
  assert.equal(b?.propagation, 'rslave');
  assert.equal(b?.createSource, undefined);
});

test('--tmpfs options: defaults, overrides, and no smuggled options', () => {
  const [t] = plan({ tmpfs: { '/run': 'exec,size=64m' } });
  assert.deepEqual(t?.tmpfsOptions, ['nosuid', 'nodev', 'exec', 'size=64m']);
  invalid({ tmpfs: { '/run': 'size=1m,bind' } }, 'invalid tmpfs option "bind"');
  invalid({ tmpfs: { run: '' } }, "invalid mount path: 'run' mount path must be absolute");
});

test('precedence: volumes-from < binds; image and body volumes fill only free paths', () => {
  const got = plan({ volumesFrom: ['donor:ro'], binds: ['/exists:/img'], volumes: ['/body'] }, [
    '/img',
    '/new',
  ]);
  const byDst = new Map(got.map((m) => [m.destination, m]));
  assert.deepEqual([...byDst.keys()].sort(), ['/body', '/img', '/new', '/shared']);
  const shared = byDst.get('/shared');
  assert.equal(shared?.rw, false);
  assert.equal(shared?.anonymous, undefined); // the donor's anonymous volume stays the donor's
  assert.equal(byDst.get('/img')?.type, 'bind');
  for (const d of ['/new', '/body']) {
    const m = byDst.get(d);
    assert.equal(m?.anonymous, true);
    assert.match(m?.source ?? '', /^[0-9a-f]{64}$/);
  }
  invalid({ volumesFrom: ['donor:rx'] }, 'invalid mode: rx');
  assert.throws(
    () => plan({ volumesFrom: ['ghost'] }),
    (e: unknown) => isKind(e, 'NotFound'),
  );
});
