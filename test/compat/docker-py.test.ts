import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from '../../src/lib/exec.js';
import { startTestDaemon, type TestDaemon } from '../helpers/test-daemon.js';

// The unmodified docker-py (Debian's python3-docker 5.0.3, for Debian's /usr/bin/python3: a
// python3 earlier on PATH may carry another docker-py) against berthd. Each test runs a small
// Python scenario that prints its observations as JSON; the assertions are made here.
let d: TestDaemon;
before(async () => {
  d = await startTestDaemon();
});
after(async () => {
  await d.cleanup();
});

/** Shared by every scenario: the client (API version negotiated), `r` to fill, `done()`. */
const PRELUDE = `
import docker, io, json, sys, tarfile, time
c = docker.DockerClient(base_url='unix://' + sys.argv[1])
r = {}
def done():
    print(json.dumps(r, default=str))
`;

/** Runs `PRELUDE + script` against the test daemon and returns what it printed as JSON. */
async function py<T>(script: string): Promise<T> {
  const res = await execFile('/usr/bin/python3', ['-c', PRELUDE + script, d.socket], {
    timeoutMs: 120_000,
  });
  assert.equal(res.code, 0, `python failed:\n${res.stderr}`);
  return JSON.parse(res.stdout) as T;
}

/** Events as `type action name` strings (a volume's name is its ID; exec actions lose their command). */
type Event = {
  Type: string;
  Action: string;
  Actor: { ID: string; Attributes: Record<string, string> };
};
const eventKeys = (evs: Event[]): string[] =>
  evs.map((e) => `${e.Type} ${e.Action.split(':')[0]} ${e.Actor.Attributes['name'] ?? e.Actor.ID}`);

test('ping, version, info; run() returns the output of a removed container', async () => {
  const r = await py<{
    ping: boolean;
    version: { ApiVersion: string; Os: string };
    info: { Images: number; Driver: string };
    run: string | null;
    left: string[];
  }>(`
r['ping'] = c.ping()
r['version'] = c.version()
r['info'] = c.info()
out = c.containers.run('busybox', ['sh', '-c', 'echo out; echo err >&2'], remove=True, stderr=True)
r['run'] = None if out is None else out.decode()
r['left'] = [x.name for x in c.containers.list(all=True)]
done()
`);
  assert.equal(r.ping, true);
  assert.equal(r.version.ApiVersion, '1.56');
  assert.equal(r.version.Os, 'linux');
  assert.ok(r.info.Images >= 1);
  // docker-py reads the logs back (json-file/journald log drivers only) and returns them.
  assert.notEqual(r.run, null, 'containers.run() returned None: it did not read the logs');
  assert.deepEqual((r.run ?? '').split('\n').sort(), ['', 'err', 'out']);
  assert.deepEqual(r.left, []);
});

test('detached container: labels, env, exec_run, archives, top, stats, pause, rename, diff, wait, logs', async () => {
  const r = await py<Record<string, unknown>>(`
ct = c.containers.run('busybox', ['sh', '-c', 'echo hello; exec sleep 300'], detach=True,
                      name='pyc', labels={'app': 'py'}, environment={'E1': 'v1'})
ct.reload()
r['status'], r['labels'], r['env'] = ct.status, ct.labels, ct.attrs['Config']['Env']
e = ct.exec_run(['sh', '-c', 'echo eo; echo ee >&2; exit 3'])
r['exec'] = [e.exit_code, e.output.decode()]
e = ct.exec_run(['sh', '-c', 'echo eo; echo ee >&2'], demux=True)
r['demux'] = [e.exit_code, e.output[0].decode(), e.output[1].decode()]
buf = io.BytesIO()
with tarfile.open(fileobj=buf, mode='w') as t:
    ti = tarfile.TarInfo('f.txt'); ti.size = 8; ti.mode = 0o640
    t.addfile(ti, io.BytesIO(b'archived'))
r['put'] = ct.put_archive('/tmp', buf.getvalue())
bits, stat = ct.get_archive('/tmp/f.txt')
with tarfile.open(fileobj=io.BytesIO(b''.join(bits))) as t:
    m = t.getmembers()[0]
    r['get'] = [stat['name'], stat['size'], stat['mode'] & 0o777, m.name, t.extractfile(m).read().decode()]
r['top'] = [p[-1] for p in ct.top()['Processes']]
s = ct.stats(stream=False)
r['stats'] = [s['name'], s['pids_stats']['current'], s['memory_stats']['usage'] > 0]
ct.pause(); ct.reload(); r['paused'] = ct.status
ct.unpause(); ct.reload(); r['unpaused'] = ct.status
ct.rename('pyc2'); ct.reload(); r['renamed'] = ct.name
r['diff'] = sorted([x['Path'], x['Kind']] for x in ct.diff())
ct.stop(timeout=1)
r['wait'] = ct.wait()
r['logs'] = ct.logs().decode()
ct.remove()
r['left'] = [x.name for x in c.containers.list(all=True)]
done()
`);
  assert.equal(r['status'], 'running');
  assert.deepEqual(r['labels'], { app: 'py' });
  assert.ok((r['env'] as string[]).includes('E1=v1'));
  assert.deepEqual(r['exec'], [3, 'eo\nee\n']);
  assert.deepEqual(r['demux'], [0, 'eo\n', 'ee\n']);
  assert.equal(r['put'], true);
  assert.deepEqual(r['get'], ['f.txt', 8, 0o640, 'f.txt', 'archived']);
  assert.deepEqual(r['top'], ['sleep 300']);
  assert.deepEqual(r['stats'], ['/pyc', 1, true]);
  assert.equal(r['paused'], 'paused');
  assert.equal(r['unpaused'], 'running');
  assert.equal(r['renamed'], 'pyc2');
  assert.deepEqual(r['diff'], [
    ['/tmp', 0],
    ['/tmp/f.txt', 1],
  ]);
  assert.deepEqual(r['wait'], { StatusCode: 137 }); // sleep as pid 1 ignores SIGTERM
  assert.equal(r['logs'], 'hello\n');
  assert.deepEqual(r['left'], []);
});

test('volumes and networks: labels, a container on a user network with a volume, connect/disconnect', async () => {
  const r = await py<Record<string, unknown>>(`
v = c.volumes.create('pyvol', labels={'k': 'v'})
r['vol'] = [v.name, v.attrs['Labels']]
r['vols'] = [x.name for x in c.volumes.list(filters={'label': 'k=v'})]
n = c.networks.create('pynet', driver='bridge', labels={'k': 'v'})
r['net'] = [n.name, n.attrs['Driver'], n.attrs['Labels']]
ct = c.containers.run('busybox', ['sh', '-c', 'echo kept > /v/f; exec sleep 300'], detach=True,
                      name='pync', network='pynet', volumes={'pyvol': {'bind': '/v', 'mode': 'rw'}})
b = c.containers.run('busybox', ['sleep', '300'], detach=True, name='pyb')
n.connect(b); n.reload()
r['connected'] = sorted(x.name for x in n.containers)
ping = ['sh', '-c', 'ping -c1 -W2 pyb >/dev/null && echo reach']
e = ct.exec_run(ping)
r['reach'] = [e.exit_code, e.output.decode()]
n.disconnect(b); n.reload()
r['disconnected'] = sorted(x.name for x in n.containers)
r['gone'] = ct.exec_run(ping).exit_code
r['volfile'] = ct.exec_run(['cat', '/v/f']).output.decode()
ct.remove(force=True); b.remove(force=True)
n.remove(); v.remove()
r['nets'] = [x.name for x in c.networks.list()]
r['vols_after'] = [x.name for x in c.volumes.list()]
done()
`);
  assert.deepEqual(r['vol'], ['pyvol', { k: 'v' }]);
  assert.deepEqual(r['vols'], ['pyvol']);
  assert.deepEqual(r['net'], ['pynet', 'bridge', { k: 'v' }]);
  assert.deepEqual(r['connected'], ['pyb', 'pync']);
  assert.deepEqual(r['reach'], [0, 'reach\n']);
  assert.deepEqual(r['disconnected'], ['pync']);
  assert.notEqual(r['gone'], 0); // no longer a member: its name no longer resolves there
  assert.equal(r['volfile'], 'kept\n');
  assert.deepEqual((r['nets'] as string[]).sort(), ['bridge', 'host', 'none']);
  assert.deepEqual(r['vols_after'], []);
});

test('images: build from a Dockerfile fileobj, tag, list, history, save → remove → load', async () => {
  const r = await py<Record<string, unknown>>(`
df = b'FROM busybox\\nLABEL who=py\\nRUN echo built > /built\\nCMD ["cat", "/built"]\\n'
img, logs = c.images.build(fileobj=io.BytesIO(df), tag='pyimg:1', rm=True)
r['build'] = [img.tags, img.labels, [l['stream'] for l in logs if 'stream' in l][-1]]
ct = c.containers.run('pyimg:1', detach=True)
r['ran'] = [ct.wait()['StatusCode'], ct.logs().decode()]
ct.remove()
r['tag'] = img.tag('pyimg', 'two')
r['list'] = sorted(t for i in c.images.list(name='pyimg') for t in i.tags)
r['history'] = [h['CreatedBy'] for h in img.history()][:3]
data = b''.join(img.save(named='pyimg:1'))
c.images.remove('pyimg:two'); c.images.remove('pyimg:1')
r['removed'] = [t for i in c.images.list() for t in i.tags]
r['loaded'] = [[i.id == img.id, i.tags] for i in c.images.load(data)]
c.images.remove('pyimg:1')
done()
`);
  assert.deepEqual(r['build'], [['pyimg:1'], { who: 'py' }, 'Successfully tagged pyimg:1\n']);
  assert.deepEqual(r['ran'], [0, 'built\n']);
  assert.equal(r['tag'], true);
  assert.deepEqual(r['list'], ['pyimg:1', 'pyimg:two']);
  const history = r['history'] as string[];
  assert.match(history[0] ?? '', /CMD \["cat", "\/built"\]/);
  assert.match(history[1] ?? '', /echo built > \/built/);
  assert.match(history[2] ?? '', /LABEL who=py/);
  assert.deepEqual(r['removed'], ['busybox:latest']);
  assert.deepEqual(r['loaded'], [[true, ['pyimg:1']]]);
});

test('prune calls, df, and events between since and until', async () => {
  const r = await py<Record<string, unknown>>(`
since = int(time.time()) - 1
ct = c.containers.run('busybox', ['true'], detach=True, name='pyexit'); ct.wait()
r['cid'] = ct.id
r['prune_c'] = c.containers.prune()['ContainersDeleted']
img, _ = c.images.build(fileobj=io.BytesIO(b'FROM busybox\\nLABEL dangling=yes\\n'), rm=True)
r['iid'] = img.id
r['prune_i'] = [x.get('Deleted') for x in c.images.prune(filters={'dangling': True})['ImagesDeleted'] or []]
c.networks.create('pyprune')
r['prune_n'] = c.networks.prune()['NetworksDeleted']
anon = c.volumes.create(); c.volumes.create('pykeep')
r['anon'] = anon.name
r['prune_v'] = c.volumes.prune()['VolumesDeleted']
r['vols'] = [x.name for x in c.volumes.list()]
c.volumes.get('pykeep').remove()
r['df'] = c.df()
until = int(time.time()) + 1
r['events'] = list(c.events(since=since, until=until, decode=True))
done()
`);
  assert.deepEqual(r['prune_c'], [r['cid']]);
  assert.ok((r['prune_i'] as string[]).includes(r['iid'] as string), String(r['prune_i']));
  assert.deepEqual(r['prune_n'], ['pyprune']);
  assert.deepEqual(r['prune_v'], [r['anon']]); // anonymous volumes only, named ones stay
  assert.deepEqual(r['vols'], ['pykeep']);
  const df = r['df'] as { ImageUsage: { TotalCount: number }; VolumeUsage: object };
  assert.ok(df.ImageUsage.TotalCount >= 1);
  assert.ok(df.VolumeUsage);
  const keys = eventKeys(r['events'] as Event[]);
  for (const k of [
    'container create pyexit',
    'container start pyexit',
    'container die pyexit',
    'container destroy pyexit',
    'network create pyprune',
    'network destroy pyprune',
    'volume create pykeep',
    'volume destroy pykeep',
  ]) {
    assert.ok(keys.includes(k), `no "${k}" event in ${keys.join(', ')}`);
  }
});
