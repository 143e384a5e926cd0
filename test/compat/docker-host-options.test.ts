import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { docker, dockerOk, startTestDaemon, type TestDaemon } from '../helpers/test-daemon.js';
import { raw } from '../helpers/raw-http.js';
import { assertStatusInSpec } from './spec-check.js';

// Create options that were once accepted and silently dropped: each is now either honoured
// (oom_score_adj, memory swappiness, annotations, NetworkDisabled) or refused as Docker refuses it.
let d: TestDaemon;
before(async () => {
  d = await startTestDaemon();
});
after(async () => {
  await d.cleanup();
});

const ok = (args: string[]): Promise<string> => dockerOk(d, args, { timeoutMs: 120_000 });

async function refused(args: string[], message: RegExp): Promise<void> {
  const r = await docker(d, ['create', ...args, 'busybox', 'true']);
  assert.notEqual(r.code, 0, args.join(' '));
  assert.match(r.stderr, message);
}

test('--oom-score-adj reaches the container init and inspect; out of range is refused', async () => {
  const out = await ok([
    'run',
    '--rm',
    '--oom-score-adj',
    '300',
    'busybox',
    'cat',
    '/proc/1/oom_score_adj',
  ]);
  assert.equal(out, '300\n');
  await ok(['create', '--name', 'oom', '--oom-score-adj', '250', 'busybox', 'true']);
  assert.equal((await ok(['inspect', '-f', '{{.HostConfig.OomScoreAdj}}', 'oom'])).trim(), '250');
  await ok(['rm', 'oom']);
  await refused(
    ['--oom-score-adj', '1001'],
    /Invalid value 1001, range for oom score adj is \[-1000, 1000\]/,
  );
});

test('--memory-swappiness lands in the memory cgroup (v1) and inspect; 101 is refused', async () => {
  const v1 = existsSync('/sys/fs/cgroup/memory/memory.swappiness');
  await ok(['run', '-d', '--name', 'swp', '--memory-swappiness', '7', 'busybox', 'sleep', '60']);
  assert.equal(
    (await ok(['inspect', '-f', '{{.HostConfig.MemorySwappiness}}', 'swp'])).trim(),
    '7',
  );
  const id = (await ok(['inspect', '-f', '{{.Id}}', 'swp'])).trim();
  const spec = JSON.parse(await readFile(join(d.execRoot, 'c', id, 'config.json'), 'utf8')) as {
    linux: { resources: { memory?: { swappiness?: number } } };
  };
  // cgroup v2 has no per-cgroup swappiness: left out with Docker's warning in the daemon log.
  assert.equal(spec.linux.resources.memory?.swappiness, v1 ? 7 : undefined);
  if (v1) {
    const inside = await ok(['exec', 'swp', 'cat', '/sys/fs/cgroup/memory/memory.swappiness']);
    assert.equal(inside, '7\n');
  }
  await ok(['rm', '-f', 'swp']);
  // (the docker CLI checks the range itself; the API answers other clients)
  const body = { Image: 'busybox', HostConfig: { MemorySwappiness: 101 } };
  const res = await raw(d.socket, 'POST', '/v1.56/containers/create', JSON.stringify(body));
  assert.equal(res.status, 400);
  assert.deepEqual(res.json, {
    message: 'Invalid value: 101, valid memory swappiness range is 0-100',
  });
});

test('--annotation reaches the OCI spec and inspect', async () => {
  await ok([
    'run',
    '-d',
    '--name',
    'ann',
    '--annotation',
    'org.example.team=infra',
    'busybox',
    'sleep',
    '60',
  ]);
  const shown = JSON.parse(await ok(['inspect', '-f', '{{json .HostConfig.Annotations}}', 'ann']));
  assert.deepEqual(shown, { 'org.example.team': 'infra' });
  const id = (await ok(['inspect', '-f', '{{.Id}}', 'ann'])).trim();
  const spec = JSON.parse(await readFile(join(d.execRoot, 'c', id, 'config.json'), 'utf8')) as {
    annotations?: Record<string, string>;
  };
  assert.equal(spec.annotations?.['org.example.team'], 'infra');
  await ok(['rm', '-f', 'ann']);
});

test('Config.NetworkDisabled gives a container with loopback only', async () => {
  const body = { Image: 'busybox', Cmd: ['ip', '-o', 'link'], NetworkDisabled: true };
  const res = await raw(
    d.socket,
    'POST',
    '/v1.56/containers/create?name=nonet',
    JSON.stringify(body),
  );
  assert.equal(res.status, 201, res.text);
  const links = await ok(['start', '-a', 'nonet']);
  const names = links
    .trim()
    .split('\n')
    .map((l) => l.split(':')[1]?.trim());
  assert.deepEqual(names, ['lo']);
  await ok(['rm', 'nonet']);
});

test("options Berth cannot honour on Linux are refused with Docker's messages (400)", async () => {
  await refused(['--isolation', 'hyperv'], /invalid isolation 'hyperv' on linux/);
  await refused(
    ['--storage-opt', 'size=1G'],
    /--storage-opt is supported only for overlay over xfs/,
  );
  await refused(
    ['--cpu-rt-runtime', '950000'],
    /CpuRealtimeRuntime is not supported by this engine/,
  );
  await refused(['--volume-driver', 'nfs', '-v', 'vd:/vd'], /error looking up volume plugin nfs/);
  const body = { Image: 'busybox', HostConfig: { IOMaximumIOps: 100 } };
  const res = await raw(d.socket, 'POST', '/v1.56/containers/create', JSON.stringify(body));
  assert.equal(res.status, 400);
  assertStatusInSpec('POST', '/containers/create', 400);
  assert.match(String((res.json as { message: string }).message), /Invalid QoS settings/);
  await ok(['create', '--isolation', 'default', '--name', 'iso', 'busybox', 'true']);
  assert.equal((await ok(['ps', '-aq'])).trim().split('\n').length, 1, 'only the valid create');
  await ok(['rm', 'iso']);
});
