import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { startTestDaemon, type TestDaemon } from '../../helpers/test-daemon.js';
import { raw } from '../../helpers/raw-http.js';
import { execFile } from '../../../src/lib/exec.js';

// Containers on networks through the API: -P, container:<id>, --link, network events, and crash
// recovery (a container that died while berthd was down loses its sandbox and lease at boot).

let d: TestDaemon;
const tag = randomBytes(3).toString('hex');

before(async () => {
  d = await startTestDaemon();
});
after(async () => {
  await d.cleanup();
});

const call = (method: string, path: string, body?: unknown) =>
  raw(d.socket, method, `/v1.56${path}`, body === undefined ? undefined : JSON.stringify(body));

async function run(body: Record<string, unknown>, name?: string): Promise<string> {
  const q = name ? `?name=${name}` : '';
  const r = await call('POST', `/containers/create${q}`, { Image: 'busybox', ...body });
  assert.equal(r.status, 201, r.text);
  const id = (r.json as { Id: string }).Id;
  const s = await call('POST', `/containers/${id}/start`);
  assert.equal(s.status, 204, s.text);
  return id;
}

/** Runs a command to its end and returns its output (stdcopy frames stripped to text). */
async function output(body: Record<string, unknown>): Promise<string> {
  const id = await run(body);
  const w = await call('POST', `/containers/${id}/wait`);
  assert.equal(w.status, 200);
  const logs = await call('GET', `/containers/${id}/logs?stdout=1&stderr=1`);
  await call('DELETE', `/containers/${id}?force=1`);
  // The stdcopy frame headers are binary; the tests only look for text inside the payload.
  return [...logs.text].filter((ch) => ch.charCodeAt(0) >= 9).join('');
}

interface Inspect {
  NetworkSettings: {
    IPAddress: string;
    SandboxKey: string;
    Ports: Record<string, { HostIp: string; HostPort: string }[] | null>;
    Networks: Record<string, { IPAddress: string }>;
  };
  HostConfig: { PublishAllPorts: boolean };
}
const inspect = async (id: string) => (await call('GET', `/containers/${id}/json`)).json as Inspect;

test('-P publishes every exposed port on a random host port', async () => {
  const id = await run({
    Cmd: ['sleep', '60'],
    ExposedPorts: { '80/tcp': {}, '53/udp': {} },
    HostConfig: { PublishAllPorts: true },
  });
  const i = await inspect(id);
  assert.equal(i.HostConfig.PublishAllPorts, true);
  for (const key of ['80/tcp', '53/udp']) {
    const b = i.NetworkSettings.Ports[key]?.[0];
    assert.equal(b?.HostIp, '0.0.0.0');
    assert.ok(Number(b?.HostPort) > 0, JSON.stringify(i.NetworkSettings.Ports));
  }
  await call('DELETE', `/containers/${id}?force=1`);
});

test('container:<id> shares the other container’s network namespace', async () => {
  const a = await run({ Cmd: ['sleep', '60'] }, `share-${tag}`);
  const ip = (await inspect(a)).NetworkSettings.IPAddress;
  assert.match(ip, /^10\./);
  const text = await output({
    Cmd: ['ip', '-4', '-o', 'addr', 'show', 'eth0'],
    HostConfig: { NetworkMode: `container:share-${tag}` },
  });
  assert.ok(text.includes(`inet ${ip}/`), text);
  await call('DELETE', `/containers/${a}?force=1`);
  const refused = await call('POST', '/containers/create', {
    Image: 'busybox',
    HostConfig: {
      NetworkMode: 'container:share-x',
      PortBindings: { '80/tcp': [{ HostPort: '' }] },
    },
  });
  assert.equal(refused.status, 400);
  assert.match(
    (refused.json as { message: string }).message,
    /conflicting options: port publishing/,
  );
});

test('--link puts the target’s address and alias into /etc/hosts on the default bridge', async () => {
  const a = await run({ Cmd: ['sleep', '60'] }, `target-${tag}`);
  const ip = (await inspect(a)).NetworkSettings.IPAddress;
  const hosts = await output({
    Cmd: ['cat', '/etc/hosts'],
    HostConfig: { Links: [`target-${tag}:db`] },
  });
  assert.match(hosts, new RegExp(`^${ip.replace(/\./g, '\\.')}\\s.*\\bdb\\b`, 'm'));
  await call('DELETE', `/containers/${a}?force=1`);
});

test('network events: create, connect, disconnect, destroy', async () => {
  const since = Math.floor(Date.now() / 1000) - 1;
  const name = `ev-${tag}`;
  assert.equal((await call('POST', '/networks/create', { Name: name })).status, 201);
  const c = await run({ Cmd: ['sleep', '60'] });
  assert.equal((await call('POST', `/networks/${name}/connect`, { Container: c })).status, 200);
  assert.equal((await call('POST', `/networks/${name}/disconnect`, { Container: c })).status, 200);
  assert.equal((await call('DELETE', `/networks/${name}`)).status, 204);
  await call('DELETE', `/containers/${c}?force=1`);
  const until = Math.ceil(Date.now() / 1000) + 1;
  const filters = encodeURIComponent(JSON.stringify({ type: ['network'], network: [name] }));
  const ev = await call('GET', `/events?since=${since}&until=${until}&filters=${filters}`);
  const actions = ev.text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { Action: string; Actor: { Attributes: Record<string, string> } })
    .filter((e) => e.Actor.Attributes['name'] === name)
    .map((e) => e.Action);
  assert.deepEqual(actions, ['create', 'connect', 'disconnect', 'destroy']);
});

test('crash recovery: a container that died while berthd was down loses its sandbox and lease', async () => {
  const name = `cr-${tag}`;
  assert.equal((await call('POST', '/networks/create', { Name: name })).status, 201);
  const id = await run({ Cmd: ['sleep', '600'], HostConfig: { NetworkMode: name } });
  const before = await inspect(id);
  const pid = ((await call('GET', `/containers/${id}/json`)).json as { State: { Pid: number } })
    .State.Pid;
  assert.ok(before.NetworkSettings.SandboxKey.length > 0);
  await d.kill();
  process.kill(pid, 'SIGKILL');
  // conmon writes the exit file; the next berthd reconciles it and tears the network down.
  await new Promise((r) => setTimeout(r, 500));
  await d.restart();
  const net = (await call('GET', `/networks/${name}`)).json as {
    Containers: Record<string, unknown>;
  };
  assert.deepEqual(net.Containers, {});
  const after = await inspect(id);
  assert.equal(after.NetworkSettings.SandboxKey, '');
  assert.equal(after.NetworkSettings.Networks[name]?.IPAddress, '');
  const netns = await readdir(join(d.execRoot, 'netns')).catch(() => [] as string[]);
  assert.ok(!netns.includes(id), 'the sandbox is gone');
  const bridge = `br-${((await call('GET', `/networks/${name}`)).json as { Id: string }).Id.slice(0, 12)}`;
  const veths = await execFile('ip', ['-o', 'link', 'show', 'master', bridge], {
    timeoutMs: 10_000,
  });
  assert.equal(veths.stdout.trim(), '');
  // The address is free again: a new container gets a lease.
  const again = await run({ Cmd: ['sleep', '60'], HostConfig: { NetworkMode: name } });
  assert.match((await inspect(again)).NetworkSettings.Networks[name]?.IPAddress ?? '', /^10\./);
  for (const c of [id, again]) await call('DELETE', `/containers/${c}?force=1`);
  assert.equal((await call('DELETE', `/networks/${name}`)).status, 204);
});
