import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { docker, startTestDaemon, type TestDaemon } from '../../helpers/test-daemon.js';
import { raw } from '../../helpers/raw-http.js';
import { assertMatchesSpec } from '../../compat/spec-check.js';

let d: TestDaemon;
before(async () => {
  d = await startTestDaemon();
});
after(async () => {
  await d.cleanup();
});

/** A cgroup v1 file of a container (this machine has v1 controllers). */
const cgroup = (ctrl: string, id: string, file: string): Promise<string> =>
  readFile(`/sys/fs/cgroup/${ctrl}${d.cgroupParent}/${id}/${file}`, 'utf8').then((s) => s.trim());

test('--memory, --cpus, --pids-limit, --cpuset-cpus, --cpu-shares reach the cgroup and inspect', async () => {
  const r = await docker(d, [
    'run',
    '-d',
    '--name',
    'lim',
    '--memory',
    '64m',
    '--cpus',
    '0.5',
    '--pids-limit',
    '20',
    '--cpuset-cpus',
    '0',
    '--cpu-shares',
    '512',
    'busybox',
    'sleep',
    '300',
  ]);
  assert.equal(r.code, 0, r.stderr);
  const id = r.stdout.trim();
  assert.equal(await cgroup('memory', id, 'memory.limit_in_bytes'), String(64 * 1024 * 1024));
  assert.equal(
    await cgroup('memory', id, 'memory.memsw.limit_in_bytes').catch(() =>
      String(128 * 1024 * 1024),
    ),
    String(128 * 1024 * 1024),
  );
  assert.equal(await cgroup('cpu', id, 'cpu.cfs_quota_us'), '50000');
  assert.equal(await cgroup('cpu', id, 'cpu.cfs_period_us'), '100000');
  assert.equal(await cgroup('cpu', id, 'cpu.shares'), '512');
  assert.equal(await cgroup('pids', id, 'pids.max'), '20');
  assert.equal(await cgroup('cpuset', id, 'cpuset.cpus'), '0');
  const ins = await raw(d.socket, 'GET', `/v1.56/containers/${id}/json`);
  assertMatchesSpec('GET', '/containers/{id}/json', 200, ins.json);
  const hc = (ins.json as { HostConfig: Record<string, unknown> }).HostConfig;
  assert.equal(hc['Memory'], 64 * 1024 * 1024);
  assert.equal(hc['NanoCpus'], 500_000_000);
  assert.equal(hc['PidsLimit'], 20);
  // docker update changes the limits of the running container.
  const u = await docker(d, [
    'update',
    '--memory',
    '96m',
    '--memory-swap',
    '192m',
    '--pids-limit',
    '30',
    'lim',
  ]);
  assert.equal(u.code, 0, u.stderr);
  assert.equal(await cgroup('memory', id, 'memory.limit_in_bytes'), String(96 * 1024 * 1024));
  assert.equal(await cgroup('pids', id, 'pids.max'), '30');
  const after = (await raw(d.socket, 'GET', `/v1.56/containers/${id}/json`)).json as {
    HostConfig: { Memory: number };
  };
  assert.equal(after.HostConfig.Memory, 96 * 1024 * 1024);
  assert.equal((await docker(d, ['rm', '-f', 'lim'])).code, 0);
});

test('the pids limit is enforced inside the container', async () => {
  // Not much lower: the limit applies while runc init (a Go program with several threads) still
  // runs in the cgroup, and a thread it cannot create kills it before the command starts.
  const r = await docker(d, [
    'run',
    '--rm',
    '--pids-limit',
    '16',
    'busybox',
    'sh',
    '-c',
    'i=0; while [ $i -lt 24 ]; do sleep 5 & i=$((i+1)); done; wait',
  ]);
  assert.match(r.stderr, /can't fork|Resource temporarily unavailable/);
});

test('an OOM kill shows as exit 137, OOMKilled and an oom event', async () => {
  const since = Math.floor(Date.now() / 1000) - 1;
  // PID 1 itself grows past the limit: the kernel kills it.
  const r = await docker(d, [
    'run',
    '--name',
    'oom',
    '--memory',
    '8m',
    '--memory-swap',
    '8m',
    'busybox',
    'sh',
    '-c',
    'x=$(head -c 64m /dev/zero | tr "\\0" a); echo $x',
  ]);
  assert.equal(r.code, 137, r.stderr);
  const ins = (await raw(d.socket, 'GET', '/v1.56/containers/oom/json')).json as {
    State: { OOMKilled: boolean; ExitCode: number };
  };
  assert.equal(ins.State.ExitCode, 137);
  assert.equal(ins.State.OOMKilled, true);
  const ev = await docker(d, [
    'events',
    '--since',
    String(since),
    '--until',
    String(Math.floor(Date.now() / 1000) + 1),
    '--filter',
    'event=oom',
    '--format',
    '{{.Action}} {{.Actor.Attributes.name}}',
  ]);
  assert.match(ev.stdout, /^oom oom$/m);
  assert.equal((await docker(d, ['rm', 'oom'])).code, 0);
});

test("invalid limits are 400s with Docker's messages", async () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ Memory: 1024 }, /Minimum memory limit allowed is 6MB/],
    [
      { Memory: 64 << 20, MemorySwap: 32 << 20 },
      /Minimum memoryswap limit should be larger than memory limit/,
    ],
    [
      { NanoCpus: 1e9, CpuPeriod: 100000 },
      /Conflicting options: Nano CPUs and CPU Period cannot both be set/,
    ],
    [{ NanoCpus: 1e12 }, /Range of CPUs is from 0\.01 to/],
    [{ CpusetCpus: '0-99' }, /Requested CPUs are not available/],
    [{ CpuQuota: 10 }, /CPU cfs quota can not be less than 1ms/],
  ];
  for (const [hc, message] of cases) {
    const r = await raw(
      d.socket,
      'POST',
      '/v1.56/containers/create',
      JSON.stringify({ Image: 'busybox', HostConfig: hc }),
    );
    assert.equal(r.status, 400, JSON.stringify(hc));
    assert.match((r.json as { message: string }).message, message);
  }
  const list = (await raw(d.socket, 'GET', '/v1.56/containers/json?all=1')).json as unknown[];
  assert.equal(list.length, 0, 'nothing was created');
});
