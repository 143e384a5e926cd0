import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { berth, docker, startTestDaemon, type TestDaemon } from '../../helpers/test-daemon.js';
import { raw } from '../../helpers/raw-http.js';
import { openJsonLines } from '../../helpers/json-lines.js';
import { assertMatchesSpec, assertStatusInSpec } from '../../compat/spec-check.js';

let d: TestDaemon;
let busy: string;
before(async () => {
  d = await startTestDaemon();
  busy = await run('busy', ['sh', '-c', 'while :; do :; done']);
});
after(async () => {
  await d.cleanup();
});

interface Stats {
  name: string;
  id: string;
  read: string;
  preread: string;
  cpu_stats: {
    cpu_usage: { total_usage: number; percpu_usage?: number[] };
    system_cpu_usage?: number;
    online_cpus?: number;
  };
  precpu_stats: { cpu_usage: { total_usage: number }; system_cpu_usage?: number };
  memory_stats: { usage?: number; limit?: number; stats?: Record<string, number> };
  pids_stats: { current?: number };
  networks?: unknown;
}

const post = (path: string, body?: unknown) =>
  raw(d.socket, 'POST', `/v1.56${path}`, body === undefined ? undefined : JSON.stringify(body));

async function run(name: string, cmd: string[]): Promise<string> {
  const c = await post(`/containers/create?name=${name}`, { Image: 'busybox', Cmd: cmd });
  assert.equal(c.status, 201, c.text);
  const id = (c.json as { Id: string }).Id;
  assert.equal((await post(`/containers/${id}/start`)).status, 204);
  return id;
}

async function statsOnce(idOrName: string, query: string): Promise<Stats> {
  const r = await raw(d.socket, 'GET', `/v1.56/containers/${idOrName}/stats?${query}`);
  assert.equal(r.status, 200, r.text);
  assertMatchesSpec('GET', '/containers/{id}/stats', 200, r.json);
  return r.json as Stats;
}

test('stream=false: one object with precpu from a sample about a second earlier', async () => {
  const t0 = Date.now();
  const s = await statsOnce('busy', 'stream=false');
  assert.ok(Date.now() - t0 >= 900, 'two samples about one second apart');
  assert.equal(s.name, '/busy');
  assert.equal(s.id, busy);
  const cpu = s.cpu_stats.cpu_usage.total_usage;
  const pre = s.precpu_stats.cpu_usage.total_usage;
  assert.ok(pre > 0 && cpu > pre, `total_usage grows under load: ${pre} → ${cpu}`);
  assert.ok((s.cpu_stats.system_cpu_usage ?? 0) > (s.precpu_stats.system_cpu_usage ?? 0));
  assert.ok((s.cpu_stats.online_cpus ?? 0) >= 1);
  assert.ok(Date.parse(s.read) > Date.parse(s.preread));
  assert.ok((s.memory_stats.usage ?? 0) > 0);
  assert.ok((s.memory_stats.limit ?? 0) > 0);
  assert.ok((s.pids_stats.current ?? 0) >= 1);
  // On the default bridge: eth0's counters, as Docker reports them (loopback is left out).
  const nets = s.networks as Record<string, { rx_bytes: number; tx_packets: number }>;
  assert.deepEqual(Object.keys(nets), ['eth0']);
  assert.equal(typeof nets['eth0']?.rx_bytes, 'number');
  // The CPU percentage docker computes is well above zero for a busy loop.
  const pct =
    ((cpu - pre) / ((s.cpu_stats.system_cpu_usage ?? 0) - (s.precpu_stats.system_cpu_usage ?? 0))) *
    (s.cpu_stats.online_cpus ?? 1) *
    100;
  assert.ok(pct > 20, `CPU% ${pct}`);
});

test('one-shot: a single sample without precpu; stream with one-shot is a 400', async () => {
  const s = await statsOnce(busy.slice(0, 12), 'stream=false&one-shot=true');
  assert.equal(s.preread, '0001-01-01T00:00:00Z');
  assert.equal(s.precpu_stats.cpu_usage.total_usage, 0);
  assert.ok(s.cpu_stats.cpu_usage.total_usage > 0);
  const bad = await raw(d.socket, 'GET', `/v1.56/containers/busy/stats?stream=true&one-shot=true`);
  assert.equal(bad.status, 400);
  const missing = await raw(d.socket, 'GET', '/v1.56/containers/nope/stats?stream=false');
  assert.equal(missing.status, 404);
  assertStatusInSpec('GET', '/containers/{id}/stats', 404);
});

test('stream: one object per second, each with the previous as precpu; ends when removed', async () => {
  const id = await run('streamed', ['sh', '-c', 'while :; do :; done']);
  const s = await openJsonLines(d.socket, `/v1.56/containers/${id}/stats`);
  assert.equal(s.status, 200);
  const first = (await s.next()) as Stats;
  assertMatchesSpec('GET', '/containers/{id}/stats', 200, first);
  assert.equal(first.preread, '0001-01-01T00:00:00Z');
  const t0 = Date.now();
  const second = (await s.next(5000)) as Stats;
  assert.ok(Date.now() - t0 >= 800);
  assertMatchesSpec('GET', '/containers/{id}/stats', 200, second);
  assert.equal(second.preread, first.read);
  assert.equal(second.precpu_stats.cpu_usage.total_usage, first.cpu_stats.cpu_usage.total_usage);
  assert.ok(second.cpu_stats.cpu_usage.total_usage > first.cpu_stats.cpu_usage.total_usage);
  assert.equal((await raw(d.socket, 'DELETE', `/v1.56/containers/${id}?force=1`)).status, 204);
  let next: unknown;
  do next = await s.next(5000);
  while (next !== undefined);
  s.close();
});

test('a client that leaves a stats stream does not disturb the daemon', async () => {
  const streams = await Promise.all(
    Array.from({ length: 10 }, () => openJsonLines(d.socket, `/v1.56/containers/busy/stats`)),
  );
  for (const s of streams) await s.next();
  for (const s of streams) s.close();
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal((await raw(d.socket, 'GET', '/_ping')).text, 'OK');
  assert.ok(!/stats:/.test(d.output()), d.output());
});

test('a stopped container: zeroed stats without stream, an empty stream with it', async () => {
  const c = await post('/containers/create?name=stopped', { Image: 'busybox', Cmd: ['true'] });
  const id = (c.json as { Id: string }).Id;
  const s = await statsOnce(id, 'stream=false');
  assert.equal(s.name, '/stopped');
  assert.equal(s.read, '0001-01-01T00:00:00Z');
  assert.equal(s.cpu_stats.cpu_usage.total_usage, 0);
  const r = await raw(d.socket, 'GET', `/v1.56/containers/${id}/stats?stream=true`);
  assert.equal(r.status, 200);
  assert.equal(r.text, '');
});

test('docker stats --no-stream shows sane numbers that rise under load', async () => {
  const r = await docker(d, [
    'stats',
    '--no-stream',
    '--format',
    '{{.Name}} {{.CPUPerc}} {{.MemUsage}} {{.PIDs}}',
    'busy',
  ]);
  assert.equal(r.code, 0, r.stderr);
  const m = /^busy (\d+\.\d+)% (\S+) \/ (\S+) (\d+)$/.exec(r.stdout.trim());
  assert.ok(m, r.stdout);
  assert.ok(Number(m[1]) > 20, `CPU ${m[1]}%`);
  assert.match(m[2] ?? '', /^\d+(\.\d+)?[KMG]?i?B$/);
  assert.ok(Number(m[4]) >= 1);
});

test("berth stats --no-stream prints docker's table", async () => {
  const r = await berth(d, ['stats', '--no-stream', 'busy']);
  assert.equal(r.code, 0, r.stderr);
  const [head, row] = r.stdout.trim().split('\n');
  assert.match(head ?? '', /^CONTAINER ID\s+NAME\s+CPU %\s+MEM USAGE \/ LIMIT\s+MEM %\s+NET I\/O/);
  const m = /^[0-9a-f]{12}\s+busy\s+(\d+\.\d+)%\s+\S+ \/ \S+\s+\d+\.\d+%/.exec(row ?? '');
  assert.ok(m, r.stdout);
  assert.ok(Number(m[1]) > 20, `CPU ${m[1]}%`);
});
