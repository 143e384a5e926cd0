import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from '../../errors.js';
import { mountFieldsOf, parseMountFlag, ramInBytes } from './mount-flags.js';

test('--mount values as docker parses them', () => {
  assert.deepEqual(parseMountFlag('type=bind,src=/h,dst=/c,readonly,bind-propagation=rshared'), {
    Type: 'bind',
    Source: '/h',
    Target: '/c',
    ReadOnly: true,
    BindOptions: { Propagation: 'rshared' },
  });
  assert.deepEqual(
    parseMountFlag(
      'source=v,target=/d,volume-nocopy,volume-label=a=b,volume-opt=type=tmpfs,volume-opt=device=tmpfs',
    ),
    {
      Type: 'volume',
      Source: 'v',
      Target: '/d',
      VolumeOptions: {
        NoCopy: true,
        Labels: { a: 'b' },
        DriverConfig: { Options: { type: 'tmpfs', device: 'tmpfs' } },
      },
    },
  );
  assert.deepEqual(parseMountFlag('type=tmpfs,destination=/t,tmpfs-size=1m,tmpfs-mode=1770'), {
    Type: 'tmpfs',
    Target: '/t',
    TmpfsOptions: { SizeBytes: 1048576, Mode: 0o1770 },
  });
  assert.throws(() => parseMountFlag('type=bind,colour=red'), UsageError);
  assert.throws(() => parseMountFlag('type=tmpfs,dst=/t,tmpfs-mode=9'), UsageError);
  assert.equal(ramInBytes('64m'), 64 * 1024 * 1024);
  assert.equal(ramInBytes('512'), 512);
});

test('-v: a lone path is an anonymous volume, the rest are binds; --tmpfs and --volumes-from', () => {
  assert.deepEqual(
    mountFieldsOf({
      volume: ['/anon', 'named:/n:ro', '/h:/c'],
      tmpfs: ['/run', '/t:size=1m,mode=1777'],
      volumesFrom: ['other:ro'],
    }),
    {
      host: {
        Binds: ['named:/n:ro', '/h:/c'],
        Tmpfs: { '/run': '', '/t': 'size=1m,mode=1777' },
        VolumesFrom: ['other:ro'],
      },
      volumes: { '/anon': {} },
    },
  );
  assert.deepEqual(mountFieldsOf({}), { host: {} });
});
