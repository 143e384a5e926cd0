import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { PassThrough, type Readable } from 'node:stream';
import Docker from 'dockerode';
import { startTestDaemon, type TestDaemon } from '../helpers/test-daemon.js';

// The unmodified dockerode (v4, with docker-modem) against berthd, as a Node program uses it.
let d: TestDaemon;
let docker: Docker;
let dir: string;
before(async () => {
  d = await startTestDaemon();
  docker = new Docker({ socketPath: d.socket });
  dir = await mkdtemp('/tmp/dnc-');
});
after(async () => {
  await d.cleanup();
  await rm(dir, { recursive: true, force: true });
});

/** A writable that collects what it is given as text. */
function collector(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (b: Buffer) => chunks.push(b));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

/** Reads a stream to its end. */
async function drain(s: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const b of s) chunks.push(b as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Splits a stdcopy-multiplexed buffer into its stdout and stderr text. */
function demux(buf: Buffer): { out: string; err: string } {
  const parts: Record<number, Buffer[]> = { 1: [], 2: [] };
  for (let i = 0; i + 8 <= buf.length;) {
    const n = buf.readUInt32BE(i + 4);
    parts[buf[i] ?? 0]?.push(buf.subarray(i + 8, i + 8 + n));
    i += 8 + n;
  }
  return {
    out: Buffer.concat(parts[1] ?? []).toString(),
    err: Buffer.concat(parts[2] ?? []).toString(),
  };
}

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

test('ping, version; run() streams the output of a TTY container', async () => {
  assert.equal((await docker.ping()).toString(), 'OK');
  const v = await docker.version();
  assert.equal(v.ApiVersion, '1.56');
  assert.equal(v.Os, 'linux');
  const out = collector();
  const [res, c] = (await docker.run(
    'busybox',
    ['sh', '-c', 'echo hi; echo there'],
    out.stream,
  )) as [{ StatusCode: number }, Docker.Container];
  assert.equal(res.StatusCode, 0);
  assert.equal(out.text(), 'hi\r\nthere\r\n'); // run() creates the container with Tty: true
  await c.remove();
});

test('container lifecycle: create/start/inspect, exec, list, top, stats, pause, kill, wait, logs, remove', async () => {
  const c = await docker.createContainer({
    Image: 'busybox',
    Cmd: ['sh', '-c', 'echo started; echo oops >&2; exec sleep 300'],
    name: 'dnc',
    Labels: { app: 'dn' },
  });
  await c.start();
  const ins = await c.inspect();
  assert.deepEqual(
    [ins.Name, ins.State.Status, ins.Config.Labels],
    ['/dnc', 'running', { app: 'dn' }],
  );

  const ex = await c.exec({
    Cmd: ['sh', '-c', 'echo eo; echo ee >&2; exit 4'],
    AttachStdout: true,
    AttachStderr: true,
  });
  const stream = await ex.start({ hijack: true, stdin: false });
  const so = collector();
  const se = collector();
  docker.modem.demuxStream(stream, so.stream, se.stream);
  await new Promise((resolve) => stream.on('end', resolve));
  assert.deepEqual([so.text(), se.text()], ['eo\n', 'ee\n']);
  const exInfo = await ex.inspect();
  assert.deepEqual([exInfo.ExitCode, exInfo.Running], [4, false]);

  const listed = await docker.listContainers({ filters: { label: ['app=dn'] } });
  assert.deepEqual(
    listed.map((x) => x.Names),
    [['/dnc']],
  );
  assert.deepEqual(await docker.listContainers({ filters: { label: ['app=other'] } }), []);
  const top = await c.top();
  assert.deepEqual(
    (top.Processes as string[][]).map((p) => p.at(-1)),
    ['sleep 300'],
  );
  const stats = await c.stats({ stream: false });
  assert.equal(stats.name, '/dnc');
  assert.ok(stats.memory_stats.usage > 0);
  await c.pause();
  assert.equal((await c.inspect()).State.Status, 'paused');
  await c.unpause();
  assert.equal((await c.inspect()).State.Status, 'running');

  const waited = c.wait();
  await c.kill();
  assert.deepEqual(await waited, { StatusCode: 137 });
  const logs = demux((await c.logs({ stdout: true, stderr: true })) as Buffer);
  assert.deepEqual(logs, { out: 'started\n', err: 'oops\n' });
  await c.remove({ v: true });
  await assert.rejects(c.inspect(), (e: { statusCode?: number }) => e.statusCode === 404);
});

test('attach before start: the output, multiplexed', async () => {
  const c = await docker.createContainer({
    Image: 'busybox',
    Cmd: ['sh', '-c', 'echo to-out; echo to-err >&2'],
    AttachStdout: true,
    AttachStderr: true,
  });
  const s = await c.attach({ stream: true, stdout: true, stderr: true });
  const so = collector();
  const se = collector();
  docker.modem.demuxStream(s, so.stream, se.stream);
  const ended = new Promise((resolve) => s.on('end', resolve));
  await c.start();
  assert.deepEqual(await c.wait(), { StatusCode: 0 });
  await ended;
  assert.deepEqual([so.text(), se.text()], ['to-out\n', 'to-err\n']);
  await c.remove();
});

test('attach with stdin (hijacked): input reaches the container, the request body does not', async () => {
  const c = await docker.createContainer({
    Image: 'busybox',
    Cmd: ['sh', '-c', 'read l; echo got-$l'],
    OpenStdin: true,
    StdinOnce: true,
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
  });
  // docker-modem sends the options as a JSON body too; Docker drops a hijacked request's body.
  const s = await c.attach({ stream: true, stdin: true, stdout: true, stderr: true, hijack: true });
  const so = collector();
  docker.modem.demuxStream(s, so.stream, new PassThrough());
  const ended = new Promise((resolve) => s.on('end', resolve));
  await c.start();
  s.end('line\n');
  assert.deepEqual(await c.wait(), { StatusCode: 0 });
  await ended;
  assert.equal(so.text(), 'got-line\n');
  await c.remove();
});

test('images: inspect, history; buildImage from a context dir with followProgress', async () => {
  const img = docker.getImage('busybox');
  const ins = await img.inspect();
  assert.deepEqual(ins.RepoTags, ['busybox:latest']);
  const hist = await img.history();
  assert.ok(hist.length >= 1);
  assert.equal(hist[0]?.Id, ins.Id);

  await writeFile(
    `${dir}/Dockerfile`,
    'FROM busybox\nARG A=unset\nRUN echo "a=$A" > /a\nCMD ["cat", "/a"]\n',
  );
  const stream = await docker.buildImage(
    { context: dir, src: ['Dockerfile'] },
    { t: 'dnimg:1', buildargs: { A: 'yo' } },
  );
  const progress = await new Promise<{ aux?: { ID: string }; error?: string }[]>(
    (resolve, reject) =>
      docker.modem.followProgress(stream, (err, res) => (err ? reject(err) : resolve(res))),
  );
  assert.deepEqual(
    progress.filter((p) => p.error),
    [],
  );
  const ids = progress.flatMap((p) => (p.aux ? [p.aux.ID] : []));
  assert.equal(ids.length, 1);
  const built = await docker.getImage('dnimg:1').inspect();
  assert.equal(built.Id, ids[0]);
  const out = collector();
  const errs = collector();
  // Without a TTY, run() demultiplexes into the [stdout, stderr] pair it is given.
  const streams = [out.stream, errs.stream];
  const [res, c] = (await docker.run('dnimg:1', [], streams, { Tty: false })) as [
    { StatusCode: number },
    Docker.Container,
  ];
  assert.equal(res.StatusCode, 0);
  assert.deepEqual([out.text(), errs.text()], ['a=yo\n', '']);
  await c.remove();
  await docker.getImage('dnimg:1').remove();
  await assert.rejects(
    docker.getImage('dnimg:1').inspect(),
    (e: { statusCode?: number }) => e.statusCode === 404,
  );
});

test('volumes, networks, df, and events between since and until', async () => {
  const since = nowSeconds() - 1;
  const v = await docker.createVolume({ Name: 'dnvol', Labels: { a: 'b' } }); // a Volume handle
  const vIns = await v.inspect();
  assert.deepEqual([vIns.Name, vIns.Labels, vIns.Driver], ['dnvol', { a: 'b' }, 'local']);
  const vols = await docker.listVolumes({ filters: { label: ['a=b'] } });
  assert.deepEqual(
    vols.Volumes.map((x) => x.Name),
    ['dnvol'],
  );
  await v.remove();
  assert.deepEqual((await docker.listVolumes()).Volumes, []);

  const n = await docker.createNetwork({ Name: 'dnnet', Labels: { a: 'b' } });
  const nIns = await n.inspect();
  assert.deepEqual([nIns.Name, nIns.Driver, nIns.Labels], ['dnnet', 'bridge', { a: 'b' }]);
  assert.match(nIns.IPAM?.Config?.[0]?.Subnet ?? '', /^10\.\d+\.\d+\.0\/24$/);
  await n.remove();
  await assert.rejects(n.inspect(), (e: { statusCode?: number }) => e.statusCode === 404);

  const df = await docker.df();
  assert.ok(df.ImageUsage.TotalCount >= 1, JSON.stringify(df));

  const events = await docker.getEvents({ since, until: nowSeconds() + 1 });
  const lines = (await drain(events as unknown as Readable)).trim().split('\n');
  const seen = lines
    .map((l) => JSON.parse(l) as { Type: string; Action: string; Actor: { ID: string } })
    .map((e) => `${e.Type} ${e.Action}`);
  for (const k of ['volume create', 'volume destroy', 'network create', 'network destroy']) {
    assert.ok(seen.includes(k), `no "${k}" event in ${seen.join(', ')}`);
  }
});
