import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { IndexEntry } from './manifest.js';
import { choosePlatform, parsePlatform } from './platform.js';

const entry = (architecture: string, variant?: string): IndexEntry => ({
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  digest: `sha256:${(architecture + (variant ?? '')).padEnd(64, '0').replace(/[^0-9a-f]/g, 'a')}`,
  size: 1,
  platform: variant ? { os: 'linux', architecture, variant } : { os: 'linux', architecture },
});

test('parsePlatform accepts os/arch[/variant] and refuses junk', () => {
  assert.deepEqual(parsePlatform('linux/amd64'), { os: 'linux', architecture: 'amd64' });
  assert.deepEqual(parsePlatform('Linux/ARM64/v8'), {
    os: 'linux',
    architecture: 'arm64',
    variant: 'v8',
  });
  assert.deepEqual(parsePlatform('linux/x86_64'), { os: 'linux', architecture: 'amd64' });
  for (const bad of ['linux', 'linux/', 'a/b/c/d', 'linux/am d64'])
    assert.throws(() => parsePlatform(bad), /invalid platform/);
});

test('choosePlatform matches os/arch, treats arm64 and arm64/v8 alike, and says what is missing', () => {
  const list = [entry('amd64'), entry('arm64', 'v8'), entry('arm', 'v7'), entry('arm', 'v6')];
  assert.equal(choosePlatform(list, { os: 'linux', architecture: 'amd64' }), list[0]);
  assert.equal(choosePlatform(list, { os: 'linux', architecture: 'arm64' }), list[1]);
  assert.equal(choosePlatform(list, { os: 'linux', architecture: 'arm', variant: 'v6' }), list[3]);
  assert.throws(
    () => choosePlatform(list, { os: 'linux', architecture: 's390x' }),
    /no matching manifest for linux\/s390x in the manifest list entries/,
  );
  assert.throws(
    () => choosePlatform(list, { os: 'windows', architecture: 'amd64' }),
    /windows\/amd64/,
  );
});
