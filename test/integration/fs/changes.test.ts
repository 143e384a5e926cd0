import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { docker, startTestDaemon, type TestDaemon } from '../../helpers/test-daemon.js';
import { raw } from '../../helpers/raw-http.js';
import { assertMatchesSpec, assertStatusInSpec } from '../../compat/spec-check.js';

let d: TestDaemon;
before(async () => {
  d = await startTestDaemon();
});
after(async () => {
  await d.cleanup();
});

const ok = (r: { code: number | null; stderr: string }) => assert.equal(r.code, 0, r.stderr);

test('changes after adds, edits and deletes, in Docker order and kinds; docker diff', async () => {
  ok(
    await docker(d, [
      'run',
      '--name',
      'df1',
      'busybox',
      'sh',
      '-c',
      'mkdir -p /tmp/new/deep && echo a > /tmp/new/deep/f && echo edit >> /etc/passwd && ' +
        'rm /bin/zcat && rm -rf /home && mkdir /var/opq && touch /var/opq/x',
    ]),
  );
  const r = await raw(d.socket, 'GET', '/v1.56/containers/df1/changes');
  assert.equal(r.status, 200, r.text);
  assertMatchesSpec('GET', '/containers/{id}/changes', 200, r.json);
  assert.deepEqual(r.json, [
    { Path: '/bin', Kind: 0 },
    { Path: '/bin/zcat', Kind: 2 },
    { Path: '/etc', Kind: 0 },
    { Path: '/etc/passwd', Kind: 0 },
    { Path: '/home', Kind: 2 },
    { Path: '/tmp', Kind: 0 },
    { Path: '/tmp/new', Kind: 1 },
    { Path: '/tmp/new/deep', Kind: 1 },
    { Path: '/tmp/new/deep/f', Kind: 1 },
    { Path: '/var', Kind: 0 },
    { Path: '/var/opq', Kind: 1 },
    { Path: '/var/opq/x', Kind: 1 },
  ]);
  const cli = await docker(d, ['diff', 'df1']);
  ok(cli);
  assert.match(cli.stdout, /^C \/bin\nD \/bin\/zcat\nC \/etc\nC \/etc\/passwd\nD \/home\n/);
  assert.match(cli.stdout, /A \/tmp\/new\/deep\/f\n/);
  assert.equal((await raw(d.socket, 'GET', '/v1.56/containers/nosuch/changes')).status, 404);
  assertStatusInSpec('GET', '/containers/{id}/changes', 404);
  ok(await docker(d, ['rm', 'df1']));
});

test('an opaque directory reports its hidden lower content deleted', async () => {
  ok(
    await docker(d, [
      'run',
      '--name',
      'df2',
      'busybox',
      'sh',
      '-c',
      'rm -rf /var && mkdir /var && echo n > /var/only',
    ]),
  );
  const changes = (await raw(d.socket, 'GET', '/v1.56/containers/df2/changes')).json as {
    Path: string;
    Kind: number;
  }[];
  assert.deepEqual(changes, [
    { Path: '/var', Kind: 0 },
    { Path: '/var/only', Kind: 1 },
    { Path: '/var/spool', Kind: 2 },
    { Path: '/var/www', Kind: 2 },
  ]);
  ok(await docker(d, ['rm', 'df2']));
});

test('size=1 on list and inspect; docker ps -s and inspect -s', async () => {
  ok(
    await docker(d, [
      'run',
      '--name',
      'sz',
      'busybox',
      'sh',
      '-c',
      'head -c 100000 /dev/zero > /big',
    ]),
  );
  const list = await raw(d.socket, 'GET', '/v1.56/containers/json?all=1&size=1');
  assertMatchesSpec('GET', '/containers/json', 200, list.json);
  const item = (list.json as { Names: string[]; SizeRw: number; SizeRootFs: number }[]).find(
    (c) => c.Names[0] === '/sz',
  );
  assert.ok(item);
  assert.ok(item.SizeRw >= 100000 && item.SizeRw < 200000, `SizeRw ${item.SizeRw}`);
  assert.ok(item.SizeRootFs > item.SizeRw + 500000, `SizeRootFs ${item.SizeRootFs}`);
  const plain = (await raw(d.socket, 'GET', '/v1.56/containers/json?all=1')).json as object[];
  assert.equal('SizeRw' in (plain[0] ?? {}), false);
  const ins = await raw(d.socket, 'GET', '/v1.56/containers/sz/json?size=1');
  assertMatchesSpec('GET', '/containers/{id}/json', 200, ins.json);
  const sized = ins.json as { SizeRw: number; SizeRootFs: number };
  assert.equal(sized.SizeRw, item.SizeRw);
  assert.equal(sized.SizeRootFs, item.SizeRootFs);
  const ps = await docker(d, ['ps', '-a', '-s', '--format', '{{.Names}} {{.Size}}']);
  ok(ps);
  assert.match(ps.stdout, /^sz 100kB \(virtual \d+(\.\d+)?[kM]B\)$/m);
  const cli = await docker(d, ['inspect', '-s', '-f', '{{.SizeRw}}', 'sz']);
  assert.equal(cli.stdout.trim(), String(item.SizeRw));
  ok(await docker(d, ['rm', 'sz']));
});
