import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { berth, docker, startTestDaemon, type TestDaemon } from '../../helpers/test-daemon.js';
import { raw } from '../../helpers/raw-http.js';
import { openJsonLines, type JsonLineStream } from '../../helpers/json-lines.js';
import { assertMatchesSpec, assertStatusInSpec } from '../../compat/spec-check.js';

let d: TestDaemon;
before(async () => {
  d = await startTestDaemon();
});
after(async () => {
  await d.cleanup();
});

interface Ev {
  Type: string;
  Action: string;
  Actor: { ID: string; Attributes: Record<string, string> };
  status?: string;
  id?: string;
  from?: string;
  time: number;
  timeNano: number;
}

const post = (path: string, body?: unknown) =>
  raw(d.socket, 'POST', `/v1.56${path}`, body === undefined ? undefined : JSON.stringify(body));
const q = (o: Record<string, string>): string => new URLSearchParams(o).toString();
const nowSec = (): string => (Date.now() / 1000).toFixed(3);

/** Runs a short container to completion and removes it; returns its id. */
async function runOnce(name: string, labels: Record<string, string> = {}): Promise<string> {
  const c = await post(`/containers/create?name=${name}`, {
    Image: 'busybox',
    Cmd: ['sh', '-c', 'exit 2'],
    Labels: labels,
  });
  assert.equal(c.status, 201, c.text);
  const id = (c.json as { Id: string }).Id;
  assert.equal((await post(`/containers/${id}/start`)).status, 204);
  await post(`/containers/${id}/wait`);
  assert.equal((await raw(d.socket, 'DELETE', `/v1.56/containers/${id}`)).status, 204);
  return id;
}

/** GET /events with a past `until`: the whole answer, each object checked against the spec. */
async function history(params: Record<string, string>): Promise<Ev[]> {
  const r = await raw(d.socket, 'GET', `/v1.56/events?${q(params)}`);
  assert.equal(r.status, 200, r.text);
  const events = r.text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Ev);
  for (const e of events) assertMatchesSpec('GET', '/events', 200, e);
  return events;
}

async function eventListeners(): Promise<number> {
  const r = await raw(d.socket, 'GET', '/v1.56/info');
  return (r.json as { NEventsListener: number }).NEventsListener;
}

async function until(cond: () => Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('since/until replay a container life cycle in Docker shape', async () => {
  const since = nowSec();
  const id = await runOnce('ev1', { 'com.example.tier': 'front' });
  const events = await history({ since, until: nowSec() });
  const mine = events.filter((e) => e.Actor.ID === id);
  assert.deepEqual(
    mine.map((e) => e.Action),
    ['create', 'start', 'die', 'destroy'],
  );
  for (const e of mine) {
    assert.equal(e.Type, 'container');
    assert.equal(e.Actor.Attributes['name'], 'ev1');
    assert.equal(e.Actor.Attributes['image'], 'busybox');
    assert.equal(e.Actor.Attributes['com.example.tier'], 'front');
    assert.equal(e.status, e.Action);
    assert.equal(e.id, id);
    assert.equal(e.from, 'busybox');
    assert.equal(e.time, Math.floor(e.timeNano / 1e9));
  }
  assert.equal(mine[2]?.Actor.Attributes['exitCode'], '2');
  // RFC 3339 works as well as unix seconds.
  const iso = await history({
    since: new Date(Number(since) * 1000).toISOString(),
    until: new Date().toISOString(),
  });
  assert.equal(iso.filter((e) => e.Actor.ID === id).length, 4);
});

test('filters: event, container, type, label, image; a bad key is a 400', async () => {
  const since = nowSec();
  const a = await runOnce('evf-a', { tier: 'a' });
  await runOnce('evf-b', { tier: 'b' });
  const end = nowSec();
  const f = (filters: Record<string, string[]>) =>
    history({ since, until: end, filters: JSON.stringify(filters) });
  assert.deepEqual(
    (await f({ event: ['die'] })).map((e) => e.Actor.Attributes['name']),
    ['evf-a', 'evf-b'],
  );
  assert.ok((await f({ container: ['evf-a'] })).every((e) => e.Actor.ID === a));
  assert.equal((await f({ container: [a.slice(0, 12)] })).length, 4);
  assert.equal((await f({ label: ['tier=b'] })).length, 4);
  assert.equal((await f({ image: ['busybox'], event: ['start'] })).length, 2);
  assert.equal((await f({ type: ['image'] })).length, 0);
  // The boot-time busybox registration is an image `tag` event in history.
  const tags = await history({ since: '0', until: end, filters: '{"type":["image"]}' });
  assert.ok(
    tags.some((e) => e.Action === 'tag' && e.Actor.Attributes['name']?.startsWith('busybox')),
  );
  const bad = await raw(
    d.socket,
    'GET',
    `/v1.56/events?filters=${encodeURIComponent('{"nope":["x"]}')}`,
  );
  assert.equal(bad.status, 400);
  assertStatusInSpec('GET', '/events', 400);
  assert.match(bad.text, /invalid filter 'nope'/);
  const badTime = await raw(d.socket, 'GET', '/v1.56/events?since=yesterday');
  assert.equal(badTime.status, 400);
  const inverted = await raw(d.socket, 'GET', '/v1.56/events?since=200&until=100');
  assert.equal(inverted.status, 400);
});

test('live: headers come at once, then events as they happen', async () => {
  const s = await openJsonLines(
    d.socket,
    `/v1.56/events?${q({ filters: JSON.stringify({ container: ['evlive'] }) })}`,
  );
  try {
    assert.equal(s.status, 200);
    assert.equal(s.headers['content-type'], 'application/json');
    const id = await runOnce('evlive');
    const seen: string[] = [];
    while (seen.length < 4) {
      const e = (await s.next()) as Ev;
      assertMatchesSpec('GET', '/events', 200, e);
      assert.equal(e.Actor.ID, id);
      seen.push(e.Action);
    }
    assert.deepEqual(seen, ['create', 'start', 'die', 'destroy']);
  } finally {
    s.close();
  }
});

test('until in the future ends the live stream on time', async () => {
  const t0 = Date.now();
  const r = await raw(d.socket, 'GET', `/v1.56/events?until=${((t0 + 700) / 1000).toFixed(3)}`);
  assert.equal(r.status, 200);
  assert.ok(Date.now() - t0 >= 600, 'the stream stayed open until `until`');
});

test('clients that disconnect leave no listener behind (NEventsListener)', async () => {
  const base = await eventListeners();
  const streams: JsonLineStream[] = [];
  for (let i = 0; i < 25; i++) streams.push(await openJsonLines(d.socket, '/v1.56/events'));
  await until(async () => (await eventListeners()) === base + 25, '25 listeners');
  for (const s of streams) s.close();
  await until(async () => (await eventListeners()) === base, 'listeners to go');
  assert.equal(await eventListeners(), base);
});

test('docker events --since --until --format, and docker events live', async () => {
  const since = nowSec();
  await runOnce('evcli');
  const r = await docker(d, [
    'events',
    '--since',
    since,
    '--until',
    nowSec(),
    '--format',
    '{{.Type}} {{.Action}} {{.Actor.Attributes.name}}',
  ]);
  assert.equal(r.code, 0, r.stderr);
  // As dockerd: the container joins the default bridge before its start and leaves it after its
  // exit (network events name the network).
  assert.deepEqual(r.stdout.trim().split('\n'), [
    'container create evcli',
    'network connect bridge',
    'container start evcli',
    'container die evcli',
    'network disconnect bridge',
    'container destroy evcli',
  ]);

  const base = await eventListeners();
  const cli = spawn(
    'docker',
    ['events', '--format', '{{.Type}} {{.Action}} {{.Actor.Attributes.name}}'],
    {
      env: {
        ...process.env,
        DOCKER_HOST: d.host,
        DOCKER_CONFIG: join(d.dataRoot, '..', 'docker-config'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  cli.stdout.on('data', (b: Buffer) => (out += b.toString()));
  try {
    await until(async () => (await eventListeners()) > base, 'docker events to connect');
    await runOnce('evcli2');
    await until(async () => out.includes('container destroy evcli2'), 'docker events output');
    assert.match(
      out,
      /^container create evcli2\nnetwork connect bridge\ncontainer start evcli2\ncontainer die evcli2\n/m,
    );
  } finally {
    const exited = new Promise((res) => cli.once('exit', res));
    cli.kill('SIGTERM');
    await exited;
  }
  await until(async () => (await eventListeners()) === base, 'the CLI listener to go');
});

test('berth events --since --until --filter', async () => {
  const since = nowSec();
  const id = await runOnce('evberth');
  const r = await berth(d, [
    'events',
    '--since',
    since,
    '--until',
    nowSec(),
    '--filter',
    'event=die',
  ]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines.length, 1, r.stdout);
  assert.match(
    lines[0] ?? '',
    new RegExp(
      `^\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z container die ${id} \\(execDuration=\\d+, exitCode=2, image=busybox, name=evberth\\)$`,
    ),
  );
});

test('docker run logs attach before start; docker save logs save', async () => {
  const since = nowSec();
  const run = await docker(d, ['run', '--rm', '--name', 'evatt', 'busybox', 'true']);
  assert.equal(run.code, 0, run.stderr);
  const saved = await docker(d, ['save', '-o', join(d.dataRoot, '..', 'ev-save.tar'), 'busybox']);
  assert.equal(saved.code, 0, saved.stderr);
  const id = (await docker(d, ['image', 'inspect', '-f', '{{.Id}}', 'busybox'])).stdout.trim();
  const format = '{{.Type}} {{.Action}} {{.Actor.Attributes.name}}';
  const r = await docker(d, ['events', '--since', since, '--until', nowSec(), '--format', format]);
  const lines = r.stdout.trim().split('\n');
  const at = (l: string): number => lines.indexOf(l);
  assert.ok(at('container attach evatt') > at('container create evatt'), r.stdout);
  assert.ok(at('container attach evatt') < at('container start evatt'), r.stdout);
  assert.ok(lines.includes(`image save ${id}`), r.stdout);
});
