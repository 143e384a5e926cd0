import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ContainerSummary, ImageSummary } from '../../api/index.js';
import { formatContainerTable, formatPorts } from './containers.js';
import { bytesSize, formatG, humanDuration, humanSize } from './human.js';
import { formatImageTable, imageIds, repoTagPairs, splitRepoTag } from './images.js';
import { formatKeyValues, formatTable } from './table.js';
import { ellipsis, quote, shortId } from './text.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

test('humanDuration matches go-units wording and rounding', () => {
  const cases: [number, string][] = [
    [-5 * S, 'Less than a second'],
    [999, 'Less than a second'],
    [S, '1 second'],
    [59 * S, '59 seconds'],
    [60 * S, 'About a minute'],
    [119 * S, 'About a minute'],
    [2 * M, '2 minutes'],
    [59 * M, '59 minutes'],
    [60 * M, 'About an hour'],
    [89 * M, 'About an hour'],
    [90 * M, '2 hours'],
    [47 * H, '47 hours'],
    [48 * H, '2 days'],
    [13 * D, '13 days'],
    [14 * D, '2 weeks'],
    [59 * D, '8 weeks'],
    [60 * D, '2 months'],
    [729 * D, '24 months'],
    [730 * D, '2 years'],
  ];
  for (const [ms, want] of cases) assert.equal(humanDuration(ms), want, `${ms} ms`);
});

test('sizes in decimal (images) and binary (info) units like go-units', () => {
  assert.equal(humanSize(0), '0B');
  assert.equal(humanSize(999), '999B');
  assert.equal(humanSize(1000), '1kB');
  assert.equal(humanSize(4_261_000), '4.26MB');
  assert.equal(humanSize(7_800_000), '7.8MB');
  assert.equal(humanSize(1_240_000_000), '1.24GB');
  assert.equal(humanSize(999_999), '1e+03kB');
  assert.equal(bytesSize(25_000_000_000), '23.28GiB');
  assert.equal(bytesSize(1024), '1KiB');
  assert.equal(formatG(0.00001234, 3), '1.23e-05');
  assert.equal(formatG(123.456, 3), '123');
  assert.equal(formatG(4, 3), '4');
});

test('ellipsis truncates to N code points with a trailing …; quote and shortId', () => {
  assert.equal(ellipsis('short', 20), 'short');
  assert.equal(ellipsis('sh -c while true; do sleep 1; done', 20), 'sh -c while true; d…');
  assert.equal([...ellipsis('日本語のコマンドをとても長く書いたものです', 20)].length, 20);
  assert.equal(ellipsis('abc', 1), 'a');
  assert.equal(ellipsis('abc', 0), '');
  assert.equal(quote('sh -c "x"'), '"sh -c \\"x\\""');
  assert.equal(shortId('sha256:0123456789abcdef0123'), '0123456789ab');
});

test('tables pad columns to the widest cell + 3, at least 10, last column unpadded', () => {
  const out = formatTable([
    ['A', 'LONGER HEADER', 'LAST'],
    ['value-longer-than-ten', 'x', 'end'],
  ]);
  assert.equal(
    out,
    'A                       LONGER HEADER   LAST\n' +
      'value-longer-than-ten   x               end\n',
  );
});

test('key/value listings align per block, at least 20 wide', () => {
  const out = formatKeyValues(['Client:', [' Version:', '0.1.0'], [' API version:', '1.56'], '']);
  assert.equal(out, 'Client:\n Version:           0.1.0\n API version:       1.56\n\n');
});

test('ps table: short id, quoted truncated command, age, names without slash', () => {
  const now = Date.UTC(2024, 0, 1);
  const c: ContainerSummary = {
    Id: 'f'.repeat(64),
    Names: ['/web', '/other/alias'],
    Image: 'busybox@sha256:' + 'e'.repeat(64),
    Command: 'sh -c while true; do sleep 1; done',
    Created: now / 1000 - 2,
    Status: 'Up 2 seconds',
    Ports: [{ IP: '0.0.0.0', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' }],
  };
  const lines = formatContainerTable([c], { now }).split('\n');
  assert.equal(
    lines[0],
    'CONTAINER ID   IMAGE     COMMAND                  CREATED         STATUS         PORTS                  NAMES',
  );
  assert.equal(
    lines[1],
    'ffffffffffff   busybox   "sh -c while true; d…"   2 seconds ago   Up 2 seconds   0.0.0.0:8080->80/tcp   web',
  );
  const full = formatContainerTable([c], { now, noTrunc: true }).split('\n')[1] ?? '';
  assert.ok(full.startsWith('f'.repeat(64)));
  assert.ok(full.includes('"sh -c while true; do sleep 1; done"'));
  assert.ok(full.endsWith('web,other/alias'));
});

test('ports: unpublished, IPv6 bracketed, sorted', () => {
  assert.equal(
    formatPorts([
      { PrivatePort: 443, Type: 'tcp' },
      { IP: '::', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' },
    ]),
    '[::]:8080->80/tcp, 443/tcp',
  );
});

test('images table: one row per tag, <none> for untagged, decimal sizes', () => {
  const now = Date.UTC(2024, 0, 1);
  const base = { ParentId: '', SharedSize: -1, Labels: {}, Containers: -1, RepoDigests: [] };
  const images: ImageSummary[] = [
    {
      ...base,
      Id: 'sha256:' + 'a'.repeat(64),
      RepoTags: ['busybox:latest', 'bb:1'],
      Created: now / 1000 - 3 * 3600,
      Size: 4_261_000,
    },
    { ...base, Id: 'sha256:' + 'b'.repeat(64), RepoTags: [], Created: now / 1000 - 60, Size: 999 },
  ];
  assert.equal(
    formatImageTable(images, { now }),
    'REPOSITORY   TAG       IMAGE ID       CREATED              SIZE\n' +
      'busybox      latest    aaaaaaaaaaaa   3 hours ago          4.26MB\n' +
      'bb           1         aaaaaaaaaaaa   3 hours ago          4.26MB\n' +
      '<none>       <none>    bbbbbbbbbbbb   About a minute ago   999B\n',
  );
  assert.deepEqual(imageIds(images), ['aaaaaaaaaaaa', 'bbbbbbbbbbbb']);
});

test('repository/tag splitting handles registry ports and digests', () => {
  assert.deepEqual(splitRepoTag('localhost:5000/x/y:1.0'), {
    repository: 'localhost:5000/x/y',
    tag: '1.0',
  });
  assert.deepEqual(splitRepoTag('localhost:5000/x'), {
    repository: 'localhost:5000/x',
    tag: '<none>',
  });
  const base = {
    Id: 'sha256:1',
    ParentId: '',
    Created: 0,
    Size: 0,
    SharedSize: 0,
    Labels: {},
    Containers: 0,
  };
  assert.deepEqual(repoTagPairs({ ...base, RepoTags: [], RepoDigests: ['busybox@sha256:1'] }), [
    ['busybox', '<none>'],
  ]);
});
