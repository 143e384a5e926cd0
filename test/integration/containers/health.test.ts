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

interface HealthLog {
  Start: string;
  End: string;
  ExitCode: number;
  Output: string;
}
interface Inspect {
  Id: string;
  State: { Status: string; Health?: { Status: string; FailingStreak: number; Log: HealthLog[] } };
  Config: {
    Healthcheck?: { Test: string[]; Interval?: number; Timeout?: number; Retries?: number };
  };
}
interface Ev {
  Action: string;
  Actor: { ID: string; Attributes: Record<string, string> };
  time: number;
}

async function inspect(name: string): Promise<Inspect> {
  const r = await raw(d.socket, 'GET', `/v1.56/containers/${name}/json`);
  assert.equal(r.status, 200, r.text);
  assertMatchesSpec('GET', '/containers/{id}/json', 200, r.json);
  return r.json as Inspect;
}

async function until(what: string, check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The container events of GET /events between two times (seconds), checked against the spec. */
async function events(since: number, filters: Record<string, string[]>): Promise<Ev[]> {
  const q = new URLSearchParams({
    since: since.toFixed(3),
    until: (Date.now() / 1000).toFixed(3),
    filters: JSON.stringify(filters),
  });
  const r = await raw(d.socket, 'GET', `/v1.56/events?${q.toString()}`);
  assert.equal(r.status, 200, r.text);
  const out = r.text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Ev);
  for (const e of out) assertMatchesSpec('GET', '/events', 200, e);
  return out;
}

const healthStatus = async (name: string): Promise<string> =>
  (await docker(d, ['inspect', '--format', '{{.State.Health.Status}}', name])).stdout.trim();
/** The STATUS column of `docker ps` for one container ('' when not listed). */
async function psStatus(name: string): Promise<string> {
  const r = await docker(d, ['ps', '--format', '{{.Names}}\t{{.Status}}']);
  assert.equal(r.code, 0, r.stderr);
  const line = r.stdout.split('\n').find((l) => l.startsWith(`${name}\t`));
  return line?.slice(name.length + 1) ?? '';
}

test('--health-cmd: unhealthy after 2 failing probes, then healthy; inspect, ps, events', async () => {
  const since = Date.now() / 1000 - 1;
  const run = await docker(d, [
    'run',
    '-d',
    '--name',
    'hc1',
    '--health-cmd',
    'test -f /tmp/ok',
    '--health-interval',
    '200ms',
    '--health-retries',
    '2',
    'busybox',
    'sh',
    '-c',
    'sleep 2; touch /tmp/ok; sleep 300',
  ]);
  assert.equal(run.code, 0, run.stderr);
  const seen = new Set<string>();
  await until('unhealthy', async () => {
    const s = await healthStatus('hc1');
    seen.add(s);
    return s === 'unhealthy';
  });
  assert.match(await psStatus('hc1'), /^Up .* \(unhealthy\)$/);
  const bad = await inspect('hc1');
  assert.ok((bad.State.Health?.FailingStreak ?? 0) >= 2);
  assert.equal(bad.State.Health?.Log.at(-1)?.ExitCode, 1);
  await until('healthy', async () => (await healthStatus('hc1')) === 'healthy');
  assert.match(await psStatus('hc1'), /^Up \d+ seconds? \(healthy\)$|^Up .* \(healthy\)$/);

  const c = await inspect('hc1');
  const h = c.State.Health;
  assert.ok(h);
  assert.equal(h.FailingStreak, 0);
  assert.ok(h.Log.length >= 1 && h.Log.length <= 5, `log of ${h.Log.length}`);
  assert.equal(h.Log.at(-1)?.ExitCode, 0);
  for (const l of h.Log) assert.ok(Date.parse(l.End) >= Date.parse(l.Start));
  assert.deepEqual(c.Config.Healthcheck, {
    Test: ['CMD-SHELL', 'test -f /tmp/ok'],
    Interval: 200_000_000,
    Retries: 2,
  });

  const evs = await events(since, { event: ['health_status'], container: ['hc1'] });
  const actions = evs.map((e) => e.Action);
  assert.deepEqual(actions.slice(0, 2), ['health_status: unhealthy', 'health_status: healthy']);
  assert.equal(evs[0]?.Actor.Attributes['name'], 'hc1');
  assert.equal(evs[0]?.Actor.Attributes['image'], 'busybox');
});

test('ps: (health: starting), the health filter, and a bad filter value', async () => {
  const slow = ['--health-cmd', 'true', '--health-interval', '1h'];
  assert.equal(
    (await docker(d, ['run', '-d', '--name', 'hc-slow', ...slow, 'busybox', 'sleep', '300'])).code,
    0,
  );
  assert.equal(
    (await docker(d, ['run', '-d', '--name', 'hc-plain', 'busybox', 'sleep', '300'])).code,
    0,
  );
  assert.match(await psStatus('hc-slow'), /^Up .* \(health: starting\)$/);
  assert.match(await psStatus('hc-plain'), /^Up [^(]*$/);
  const names = async (health: string): Promise<string[]> => {
    const r = await docker(d, ['ps', '--filter', `health=${health}`, '--format', '{{.Names}}']);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout.split('\n').filter((n) => n.startsWith('hc-'));
  };
  assert.deepEqual(await names('starting'), ['hc-slow']);
  assert.deepEqual(await names('none'), ['hc-plain']);
  const q = encodeURIComponent(JSON.stringify({ health: ['sick'] }));
  const r = await raw(d.socket, 'GET', `/v1.56/containers/json?filters=${q}`);
  assert.equal(r.status, 400);
  assertStatusInSpec('GET', '/containers/json', 400);
  assert.match(r.text, /Unrecognised filter value for health: sick/);
  assert.equal((await docker(d, ['rm', '-f', 'hc-slow', 'hc-plain'])).code, 0);
});

test('a probe past its timeout is recorded as exceeded with exit -1 and is killed', async () => {
  const run = await docker(d, [
    'run',
    '-d',
    '--name',
    'hc-timeout',
    '--health-cmd',
    'sleep 5',
    '--health-timeout',
    '300ms',
    '--health-interval',
    '500ms',
    '--health-retries',
    '1',
    'busybox',
    'sleep',
    '300',
  ]);
  assert.equal(run.code, 0, run.stderr);
  let log: HealthLog | undefined;
  await until('a timed-out probe', async () => {
    log = (await inspect('hc-timeout')).State.Health?.Log[0];
    return log !== undefined;
  });
  assert.ok(log);
  assert.equal(log.Output, 'Health check exceeded timeout (300ms)');
  assert.equal(log.ExitCode, -1);
  const took = Date.parse(log.End) - Date.parse(log.Start);
  assert.ok(took >= 250 && took < 2000, `recorded after ${took} ms`);
  assert.equal((await inspect('hc-timeout')).State.Health?.Status, 'unhealthy');
  // The killed probe's exec ends long before its 5 s sleep would have.
  const id = (await inspect('hc-timeout')).Id;
  await until(
    'the killed probe to die',
    async () => {
      const evs = await events(Date.parse(log?.Start ?? '') / 1000, { container: [id] });
      return evs.some(
        (e) => e.Action === 'exec_die' && e.time * 1000 < Date.parse(log?.Start ?? '') + 3000,
      );
    },
    3000,
  );
  assert.equal((await docker(d, ['rm', '-f', 'hc-timeout'])).code, 0);
});

test('restart resets to starting; stop ends the probes and reads unhealthy', async () => {
  assert.equal((await docker(d, ['restart', '-t', '0', 'hc1'])).code, 0);
  const restarted = await inspect('hc1');
  assert.equal(restarted.State.Health?.Status, 'starting');
  assert.equal(restarted.State.Health?.FailingStreak, 0);
  await until('healthy again', async () => (await healthStatus('hc1')) === 'healthy');
  assert.equal((await docker(d, ['stop', '-t', '0', 'hc1'])).code, 0);
  const stoppedAt = Date.now() / 1000;
  assert.equal((await inspect('hc1')).State.Health?.Status, 'unhealthy');
  await new Promise((r) => setTimeout(r, 800)); // four intervals
  const evs = await events(stoppedAt, { container: ['hc1'] });
  assert.deepEqual(
    evs.filter((e) => e.Action.startsWith('exec_') || e.Action.startsWith('health_status')),
    [],
  );
  assert.equal((await docker(d, ['rm', 'hc1'])).code, 0);
});

test('--no-healthcheck is stored as NONE and runs no check', async () => {
  const run = await docker(d, [
    'run',
    '-d',
    '--name',
    'hc-none',
    '--no-healthcheck',
    'busybox',
    'sleep',
    '300',
  ]);
  assert.equal(run.code, 0, run.stderr);
  const c = await inspect('hc-none');
  assert.deepEqual(c.Config.Healthcheck, { Test: ['NONE'] });
  assert.equal(c.State.Health, undefined);
  assert.match(await psStatus('hc-none'), /^Up [^(]*$/);
  assert.equal((await docker(d, ['rm', '-f', 'hc-none'])).code, 0);
});

test("invalid Healthcheck values are 400s with Docker's messages", async () => {
  const create = (Healthcheck: unknown) =>
    raw(
      d.socket,
      'POST',
      '/v1.56/containers/create',
      JSON.stringify({ Image: 'busybox', Healthcheck }),
    );
  const cases: [unknown, string][] = [
    [{ Test: ['CMD', 'true'], Interval: 1000 }, 'Interval in Healthcheck cannot be less than 1ms'],
    [{ Test: ['CMD', 'true'], Timeout: 10 }, 'Timeout in Healthcheck cannot be less than 1ms'],
    [{ Test: ['CMD', 'true'], Retries: -1 }, 'Retries in Healthcheck cannot be negative'],
    [
      { Test: ['CMD', 'true'], StartPeriod: 5 },
      'StartPeriod in Healthcheck cannot be less than 1ms',
    ],
  ];
  for (const [hc, message] of cases) {
    const r = await create(hc);
    assert.equal(r.status, 400, r.text);
    assertMatchesSpec('POST', '/containers/create', 400, r.json);
    assert.equal((r.json as { message: string }).message, message);
  }
  // The docker CLI refuses negative values itself; a too-short interval reaches the daemon.
  const cli = await docker(d, [
    'create',
    '--health-cmd',
    'true',
    '--health-interval',
    '500us',
    'busybox',
  ]);
  assert.notEqual(cli.code, 0);
  assert.match(cli.stderr, /Interval in Healthcheck cannot be less than 1ms/);
});

test('API: a CMD probe logs its stdout and stderr and its exit code; a missing binary is 127', async () => {
  const create = async (name: string, Test: string[]): Promise<string> => {
    const body = {
      Image: 'busybox',
      Cmd: ['sleep', '300'],
      Healthcheck: { Test, Interval: 100_000_000, Retries: 1 },
    };
    const r = await raw(
      d.socket,
      'POST',
      `/v1.56/containers/create?name=${name}`,
      JSON.stringify(body),
    );
    assert.equal(r.status, 201, r.text);
    const id = (r.json as { Id: string }).Id;
    assert.equal((await raw(d.socket, 'POST', `/v1.56/containers/${id}/start`)).status, 204);
    return id;
  };
  await create('hc-out', ['CMD', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
  await create('hc-missing', ['CMD', '/no/such/probe']);
  const firstLog = async (name: string): Promise<HealthLog> => {
    let log: HealthLog | undefined;
    await until(`a probe of ${name}`, async () => {
      log = (await inspect(name)).State.Health?.Log[0];
      return log !== undefined;
    });
    assert.ok(log);
    return log;
  };
  const out = await firstLog('hc-out');
  assert.equal(out.ExitCode, 3);
  assert.match(out.Output, /out\n/);
  assert.match(out.Output, /err\n/);
  assert.equal((await inspect('hc-out')).State.Health?.Status, 'unhealthy');
  const missing = await firstLog('hc-missing');
  assert.equal(missing.ExitCode, 127, missing.Output);
  assert.equal((await docker(d, ['rm', '-f', 'hc-out', 'hc-missing'])).code, 0);
});

test('after a daemon restart, running containers are checked again (state starts over)', async () => {
  const flags = ['--health-cmd', 'true', '--health-interval', '200ms'];
  const run = await docker(d, [
    'run',
    '-d',
    '--name',
    'hc-boot',
    ...flags,
    'busybox',
    'sleep',
    '300',
  ]);
  assert.equal(run.code, 0, run.stderr);
  await until('healthy', async () => (await healthStatus('hc-boot')) === 'healthy');
  await d.restart();
  const after = (await inspect('hc-boot')).State.Health;
  assert.ok(after, 'health is tracked again after the restart');
  await until(
    'healthy after the restart',
    async () => (await healthStatus('hc-boot')) === 'healthy',
  );
  assert.equal((await docker(d, ['rm', '-f', 'hc-boot'])).code, 0);
});
