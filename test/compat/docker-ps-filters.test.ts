import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { docker, dockerOk, startTestDaemon, type TestDaemon } from '../helpers/test-daemon.js';
import { raw } from '../helpers/raw-http.js';

// `docker ps --filter` beyond the basics: since/before, volume, network, publish/expose,
// is-task and isolation, with Docker's meanings (they were refused as unknown before).
let d: TestDaemon;
before(async () => {
  d = await startTestDaemon();
});
after(async () => {
  await d.cleanup();
});

const ok = (args: string[]): Promise<string> => dockerOk(d, args);
const names = async (...filters: string[]): Promise<string[]> =>
  (await ok(['ps', '-a', '--format', '{{.Names}}', ...filters.flatMap((f) => ['--filter', f])]))
    .split('\n')
    .filter(Boolean)
    .sort();

test('since/before, volume, network, publish/expose, is-task, isolation', async () => {
  await ok(['network', 'create', 'pf-net']);
  await ok(['create', '--name', 'pf-a', '-v', 'pf-vol:/data', 'busybox', 'true']);
  await ok(['create', '--name', 'pf-b', '--network', 'pf-net', '-p', '8080:80', 'busybox', 'true']);
  await ok([
    'create',
    '--name',
    'pf-c',
    '--expose',
    '9000-9001/udp',
    '-v',
    '/tmp:/hosttmp',
    'busybox',
    'true',
  ]);

  assert.deepEqual(await names('since=pf-a'), ['pf-b', 'pf-c']);
  assert.deepEqual(await names('before=pf-c'), ['pf-a', 'pf-b']);
  assert.deepEqual(await names('since=pf-a', 'before=pf-c'), ['pf-b']);
  assert.deepEqual(await names('volume=pf-vol'), ['pf-a']);
  assert.deepEqual(await names('volume=/hosttmp'), ['pf-c'], 'a mount destination matches too');
  assert.deepEqual(await names('network=pf-net'), ['pf-b']);
  const netId = (await ok(['network', 'inspect', '-f', '{{.Id}}', 'pf-net'])).trim();
  assert.deepEqual(await names(`network=${netId.slice(0, 12)}`), ['pf-b']);
  assert.deepEqual(await names('publish=80'), ['pf-b'], 'the container port, not the host port');
  assert.deepEqual(await names('publish=8080'), []);
  assert.deepEqual(await names('expose=80/tcp'), ['pf-b']);
  assert.deepEqual(await names('expose=9001/udp'), ['pf-c']);
  assert.deepEqual(await names('expose=8990-9000/udp'), ['pf-c']);
  assert.deepEqual(await names('is-task=true'), []);
  assert.deepEqual(await names('is-task=false'), ['pf-a', 'pf-b', 'pf-c']);
  assert.deepEqual(await names('isolation=default'), ['pf-a', 'pf-b', 'pf-c']);

  const bad = await docker(d, ['ps', '--filter', 'publish=http']);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /invalid filter 'publish=http'/);
  const filters = encodeURIComponent(JSON.stringify({ since: ['pf-none'] }));
  const missing = await raw(d.socket, 'GET', `/v1.56/containers/json?filters=${filters}`);
  assert.equal(missing.status, 404, 'an unknown anchor container is a 404, as in Docker');
  await ok(['rm', 'pf-a', 'pf-b', 'pf-c']);
  await ok(['volume', 'rm', 'pf-vol']);
  await ok(['network', 'rm', 'pf-net']);
});
