import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startTestDaemon, type TestDaemon } from '../../helpers/test-daemon.js';
import { raw, type RawResponse } from '../../helpers/raw-http.js';
import { assertMatchesSpec, assertStatusInSpec } from '../../compat/spec-check.js';

let d: TestDaemon;
let tmp: string;
before(async () => {
  d = await startTestDaemon();
  tmp = await mkdtemp('/tmp/bvm-');
});
after(async () => {
  await d.cleanup();
  await rm(tmp, { recursive: true, force: true });
});

const api = (method: string, path: string, body?: unknown): Promise<RawResponse> =>
  raw(d.socket, method, `/v1.56${path}`, body === undefined ? undefined : JSON.stringify(body));

async function create(hostConfig: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const r = await api('POST', '/containers/create', {
    Image: 'busybox',
    Cmd: ['true'],
    ...extra,
    HostConfig: hostConfig,
  });
  assertStatusInSpec('POST', '/containers/create', r.status);
  return r;
}

interface Inspect {
  Mounts: Record<string, unknown>[];
  HostConfig: Record<string, unknown>;
}

async function inspect(id: string): Promise<Inspect> {
  const r = await api('GET', `/containers/${id}/json`);
  assertMatchesSpec('GET', '/containers/{id}/json', 200, r.json);
  return r.json as Inspect;
}

const volumeNames = async (): Promise<string[]> =>
  ((await api('GET', '/volumes')).json as { Volumes: { Name: string }[] }).Volumes.map(
    (v) => v.Name,
  );

test('inspect shows every mount type and echoes the request', async () => {
  const mounts = [
    { Type: 'volume', Source: 'mv1', Target: '/v', VolumeOptions: { Labels: { x: 'y' } } },
    { Type: 'bind', Source: tmp, Target: '/b', ReadOnly: true },
    { Type: 'tmpfs', Target: '/t', TmpfsOptions: { SizeBytes: 1048576 } },
  ];
  const r = await create({ Mounts: mounts, Binds: ['mv2:/w:ro'], Tmpfs: { '/run': 'size=1m' } });
  assert.equal(r.status, 201, r.text);
  const id = (r.json as { Id: string }).Id;
  const ins = await inspect(id);
  const byDst = Object.fromEntries(ins.Mounts.map((m) => [m['Destination'], m]));
  assert.deepEqual(byDst['/v'], {
    Type: 'volume',
    Name: 'mv1',
    Source: join(d.dataRoot, 'volumes', 'mv1', '_data'),
    Destination: '/v',
    Driver: 'local',
    Mode: '',
    RW: true,
    Propagation: '',
  });
  assert.deepEqual(byDst['/b'], {
    Type: 'bind',
    Source: tmp,
    Destination: '/b',
    Mode: '',
    RW: false,
    Propagation: 'rprivate',
  });
  assert.equal(byDst['/w']?.['RW'], false);
  assert.equal(byDst['/w']?.['Mode'], 'ro');
  assert.equal(byDst['/t']?.['Type'], 'tmpfs');
  assert.equal(byDst['/run']?.['Type'], 'tmpfs');
  assert.deepEqual(ins.HostConfig['Binds'], ['mv2:/w:ro']);
  assert.deepEqual(ins.HostConfig['Tmpfs'], { '/run': 'size=1m' });
  assert.equal((ins.HostConfig['Mounts'] as unknown[]).length, 3);
  // The volume created through Mounts carries its VolumeOptions labels.
  const v = await api('GET', '/volumes/mv1');
  assert.deepEqual((v.json as { Labels: unknown }).Labels, { x: 'y' });
  assert.equal((await api('DELETE', `/containers/${id}?v=1`)).status, 204);
  assert.deepEqual((await volumeNames()).sort(), ['mv1', 'mv2']);
  for (const n of ['mv1', 'mv2']) await api('DELETE', `/volumes/${n}`);
});

test('bad mount specs are 400 with Docker messages; a failed create keeps volume data', async () => {
  await api('POST', '/volumes/create', { Name: 'precious' });
  const mp = join(d.dataRoot, 'volumes', 'precious', '_data');
  await writeFile(join(mp, 'f'), 'data');
  const cases: [Record<string, unknown>, string][] = [
    [{ Binds: ['precious:/d', 'rel:tive'] }, "invalid volume specification: 'rel:tive'"],
    [
      { Mounts: [{ Type: 'bind', Source: join(tmp, 'nope'), Target: '/m' }] },
      `invalid mount config for type "bind": bind source path does not exist: ${join(tmp, 'nope')}`,
    ],
    [{ Mounts: [{ Type: 'volume', Source: 'precious' }] }, 'field Target must not be empty'],
    [{ Binds: ['precious:/d'], VolumesFrom: ['ghost'] }, 'No such container: ghost'],
    [{ Binds: ['precious:/d', '/etc:/d'] }, 'Duplicate mount point: /d'],
    [{ Binds: ['precious:/d'], Tmpfs: { '/t': 'size=1m,remount,bind' } }, 'invalid tmpfs option'],
  ];
  for (const [hc, msg] of cases) {
    const r = await create(hc);
    assert.ok(r.status === 400 || r.status === 404, `${JSON.stringify(hc)}: ${r.text}`);
    assert.ok((r.json as { message: string }).message.includes(msg), r.text);
  }
  assert.equal(await readFile(join(mp, 'f'), 'utf8'), 'data');
  // Nothing references it: the failed creates left no container and no reference.
  const dangling = await api(
    'GET',
    `/volumes?filters=${encodeURIComponent('{"dangling":["true"]}')}`,
  );
  assert.deepEqual(
    (dangling.json as { Volumes: { Name: string }[] }).Volumes.map((v) => v.Name),
    ['precious'],
  );
  await api('DELETE', '/volumes/precious');
});

test('body Volumes: an anonymous volume each; rm -v and AutoRemove take them, events', async () => {
  const since = Math.floor(Date.now() / 1000) - 1;
  const r = await create({}, { Volumes: { '/anon': {} }, Cmd: ['sh', '-c', 'echo x > /anon/f'] });
  assert.equal(r.status, 201, r.text);
  const id = (r.json as { Id: string }).Id;
  const name = (await inspect(id)).Mounts[0]?.['Name'] as string;
  assert.match(name, /^[0-9a-f]{64}$/);
  assert.equal((await api('POST', `/containers/${id}/start`)).status, 204);
  await api('POST', `/containers/${id}/wait`);
  assert.equal((await api('DELETE', `/containers/${id}`)).status, 204); // without v: kept
  assert.ok((await volumeNames()).includes(name));
  const events = await api(
    'GET',
    `/events?since=${since}&until=${Math.floor(Date.now() / 1000) + 1}&filters=${encodeURIComponent('{"type":["volume"]}')}`,
  );
  const actions = events.text
    .trim()
    .split('\n')
    .map(
      (l) =>
        JSON.parse(l) as {
          Action: string;
          Actor: { ID: string; Attributes: Record<string, string> };
        },
    )
    .filter((e) => e.Actor.ID === name);
  assert.deepEqual(
    actions.map((e) => e.Action),
    ['create', 'mount', 'unmount'],
  );
  assert.equal(actions[1]?.Actor.Attributes['destination'], '/anon');
  assert.equal(actions[1]?.Actor.Attributes['container'], id);
  await api('DELETE', `/volumes/${name}`);

  const auto = await create({ AutoRemove: true }, { Volumes: { '/anon': {} } });
  const autoId = (auto.json as { Id: string }).Id;
  const autoVol = (await inspect(autoId)).Mounts[0]?.['Name'] as string;
  const removed = api('POST', `/containers/${autoId}/wait?condition=removed`);
  await api('POST', `/containers/${autoId}/start`);
  await removed;
  assert.ok(!(await volumeNames()).includes(autoVol));
});
