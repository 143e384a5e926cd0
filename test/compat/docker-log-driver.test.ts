import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import {
  berth,
  docker,
  dockerOk,
  startTestDaemon,
  type TestDaemon,
} from '../helpers/test-daemon.js';
import { raw } from '../helpers/raw-http.js';
import { assertMatchesSpec, assertStatusInSpec } from './spec-check.js';

// --log-driver / --log-opt: json-file (the default, what clients such as docker-py expect to
// see), local, none; max-size/max-file bound the log on disk; the rest is refused as Docker does.
let d: TestDaemon;
before(async () => {
  d = await startTestDaemon();
});
after(async () => {
  await d.cleanup();
});

const ok = (args: string[]): Promise<string> => dockerOk(d, args, { timeoutMs: 120_000 });

const logConfigOf = async (name: string): Promise<unknown> =>
  JSON.parse(await ok(['inspect', '-f', '{{json .HostConfig.LogConfig}}', name]));

test('the default driver is json-file, in inspect and info', async () => {
  await ok(['create', '--name', 'deflog', 'busybox', 'true']);
  assert.deepEqual(await logConfigOf('deflog'), { Type: 'json-file', Config: {} });
  const info = await raw(d.socket, 'GET', '/v1.56/info');
  assertMatchesSpec('GET', '/info', info.status, info.json);
  const body = info.json as { LoggingDriver: string; Plugins: { Log: string[] } };
  assert.equal(body.LoggingDriver, 'json-file');
  assert.deepEqual(body.Plugins.Log, ['json-file', 'local', 'none']);
  await ok(['rm', 'deflog']);
});

test('none keeps no log: docker logs is refused, an attached run still prints', async () => {
  assert.equal(
    await ok(['run', '--rm', '--log-driver', 'none', 'busybox', 'echo', 'live']),
    'live\n',
  );
  await ok([
    'run',
    '-d',
    '--name',
    'nolog',
    '--log-driver',
    'none',
    'busybox',
    'sh',
    '-c',
    'echo x',
  ]);
  await ok(['wait', 'nolog']);
  const logs = await docker(d, ['logs', 'nolog']);
  assert.notEqual(logs.code, 0);
  assert.match(logs.stderr, /configured logging driver does not support reading/);
  assert.deepEqual(await logConfigOf('nolog'), { Type: 'none', Config: {} });
  assert.equal(existsSync((await ok(['inspect', '-f', '{{.LogPath}}', 'nolog'])).trim()), false);
  await ok(['rm', 'nolog']);
});

test('max-size x max-file bounds the log on disk; docker logs shows the newest lines', async () => {
  const line = 'y'.repeat(90);
  const script = `i=0; while [ $i -lt 3000 ]; do echo "$i ${line}"; i=$((i+1)); done`;
  const opts = ['--log-opt', 'max-size=10k', '--log-opt', 'max-file=2'];
  await ok(['run', '--name', 'capped', ...opts, 'busybox', 'sh', '-c', script]);
  assert.deepEqual(await logConfigOf('capped'), {
    Type: 'json-file',
    Config: { 'max-size': '10k', 'max-file': '2' },
  });
  const path = (await ok(['inspect', '-f', '{{.LogPath}}', 'capped'])).trim();
  assert.ok((await stat(path)).size <= 20_000, 'log file within max-size x max-file');
  const lines = (await ok(['logs', 'capped'])).trimEnd().split('\n');
  assert.ok(lines.length > 0 && lines.length < 3000, `${lines.length} lines kept`);
  assert.equal(lines.at(-1), `2999 ${line}`);
  await ok(['rm', 'capped']);
});

test("unknown drivers and options are refused with Docker's messages (400)", async () => {
  const cases: [string[], RegExp][] = [
    [['--log-driver', 'syslog'], /logger: no log driver named 'syslog' is registered/],
    [['--log-opt', 'colour=red'], /unknown log opt 'colour' for json-file log driver/],
    [['--log-opt', 'max-size=lots'], /invalid size: 'lots'/],
    [['--log-opt', 'max-file=0'], /max-file cannot be less than 1/],
  ];
  for (const [flags, message] of cases) {
    const r = await docker(d, ['create', ...flags, 'busybox', 'true']);
    assert.notEqual(r.code, 0, flags.join(' '));
    assert.match(r.stderr, message);
  }
  const body = JSON.stringify({ Image: 'busybox', HostConfig: { LogConfig: { Type: 'gelf' } } });
  const res = await raw(d.socket, 'POST', '/v1.56/containers/create', body);
  assert.equal(res.status, 400);
  assertStatusInSpec('POST', '/containers/create', 400);
  assert.deepEqual(res.json, { message: "logger: no log driver named 'gelf' is registered" });
  // (the docker CLI refuses options for `none` itself; the API answers for other clients)
  const noneOpts = {
    Image: 'busybox',
    HostConfig: { LogConfig: { Type: 'none', Config: { 'max-size': '1m' } } },
  };
  const res2 = await raw(d.socket, 'POST', '/v1.56/containers/create', JSON.stringify(noneOpts));
  assert.equal(res2.status, 400);
  assert.deepEqual(res2.json, { message: "unknown log opt 'max-size' for none log driver" });
  const left = await ok(['ps', '-aq']);
  assert.equal(left, '');
});

test('berth run takes --log-driver and --log-opt', async () => {
  const r = await berth(d, [
    'run',
    '--name',
    'bl',
    '--log-driver',
    'local',
    '--log-opt',
    'max-size=1m',
    'busybox',
    'true',
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(await logConfigOf('bl'), { Type: 'local', Config: { 'max-size': '1m' } });
  const bad = await berth(d, ['run', '--log-opt', 'novalue', 'busybox', 'true']);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /invalid key value pair format in log options: novalue/);
  await ok(['rm', 'bl']);
});
