import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { get } from 'node:http';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { docker, startTestDaemon, type TestDaemon } from '../helpers/test-daemon.js';
import { execFile } from '../../src/lib/exec.js';

// Networking through the real docker CLI: busybox httpd reached by IP, through a published port
// on 127.0.0.1 and by name from another container; UDP; isolation; connect/disconnect on a
// running container; a daemon restart; and nothing left behind. Traffic goes only to loopback
// and to containers this file started.

let d: TestDaemon;
const tag = randomBytes(3).toString('hex');
const netA = `na-${tag}`;
const netB = `nb-${tag}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What this daemon's networking has on the host: counted before the scenarios and after. */
interface Footprint {
  veths: number;
  rules: number;
  bridges: number;
  netns: number;
}
let baseline: Footprint;

/** veths on its bridges, iptables rules naming its bridges, its bridges, its sandboxes. */
async function footprint(bridges: string[]): Promise<Footprint> {
  let veths = 0;
  let present = 0;
  for (const b of bridges) {
    const r = await execFile('ip', ['-o', 'link', 'show', 'master', b], { timeoutMs: 10_000 });
    veths += r.stdout.split('\n').filter((l) => l.trim() !== '').length;
    if ((await execFile('ip', ['link', 'show', b], { timeoutMs: 10_000 })).code === 0) present++;
  }
  const saved = await execFile('sh', ['-c', 'iptables-save; iptables-save -t nat'], {
    timeoutMs: 10_000,
  });
  const rules = saved.stdout.split('\n').filter((l) => bridges.some((b) => l.includes(b))).length;
  const netns = (await readdir(join(d.execRoot, 'netns')).catch(() => [] as string[])).length;
  return { veths, rules, bridges: present, netns };
}

const defaultBridge = (): Promise<string> =>
  ok(['network', 'inspect', '-f', '{{index .Options "com.docker.network.bridge.name"}}', 'bridge']);

before(async () => {
  d = await startTestDaemon();
  baseline = await footprint([await defaultBridge()]);
});
after(async () => {
  await d.cleanup();
});

async function ok(args: string[]): Promise<string> {
  const r = await docker(d, args);
  assert.equal(r.code, 0, `docker ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

/** GET http://host:port/ from the host, with a deadline; the body, or null on failure. */
function fetchText(host: string, port: number): Promise<string | null> {
  return new Promise((resolve) => {
    const req = get({ host, port, path: '/', timeout: 3000 }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve(body));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(null));
  });
}

/** Retries `fetchText` while the server inside the container starts. */
async function fetchEventually(host: string, port: number): Promise<string | null> {
  for (let i = 0; i < 40; i++) {
    const t = await fetchText(host, port);
    if (t !== null) return t;
    await sleep(100);
  }
  return null;
}

/** Starts busybox httpd serving `text` on port 80. */
async function httpd(name: string, text: string, extra: string[]): Promise<string> {
  return ok([
    'run',
    '-d',
    '--name',
    name,
    ...extra,
    'busybox',
    'sh',
    '-c',
    `mkdir -p /www && echo ${text} > /www/index.html && exec httpd -f -p 80 -h /www`,
  ]);
}

const ipOn = async (name: string, net: string): Promise<string> =>
  ok(['inspect', '-f', `{{(index .NetworkSettings.Networks "${net}").IPAddress}}`, name]);

/** wget from a throwaway container on `net`; exit code and output. */
async function wgetFrom(net: string, url: string): Promise<{ code: number | null; out: string }> {
  // sh stays PID 1 (a trailing command stops it exec-ing wget): PID 1 ignores timeout's TERM.
  const cmd = `timeout 3 wget -q -O - ${url}; exit $?`;
  const r = await docker(d, ['run', '--rm', '--network', net, 'busybox', 'sh', '-c', cmd]);
  return { code: r.code, out: r.stdout.trim() };
}

test('default bridge: httpd by IP from the host and through -p 127.0.0.1:<port>:80; docker port; ps', async () => {
  await httpd(`web-${tag}`, 'hello-bridge', ['-p', '127.0.0.1::80']);
  const ip = await ok(['inspect', '-f', '{{.NetworkSettings.IPAddress}}', `web-${tag}`]);
  assert.match(ip, /^10\.\d+\.\d+\.\d+$/);
  assert.equal(await fetchEventually(ip, 80), 'hello-bridge\n');
  const mapped = await ok(['port', `web-${tag}`, '80/tcp']);
  const m = /^127\.0\.0\.1:(\d+)$/.exec(mapped);
  assert.ok(m, mapped);
  assert.equal(await fetchEventually('127.0.0.1', Number(m[1])), 'hello-bridge\n');
  const ps = await ok(['ps', '--filter', `name=web-${tag}`, '--format', '{{.Ports}}']);
  assert.equal(ps, `127.0.0.1:${m[1]}->80/tcp`);
  // A second container asking for the same host port fails clearly and is left exited.
  const clash = await docker(d, [
    'run',
    '-d',
    '--name',
    `clash-${tag}`,
    '-p',
    `127.0.0.1:${m[1]}:80`,
    'busybox',
    'sleep',
    '30',
  ]);
  assert.notEqual(clash.code, 0);
  assert.match(clash.stderr, /port is already allocated/);
  assert.equal(
    await ok([
      'inspect',
      '-f',
      '{{.State.Status}} {{.NetworkSettings.SandboxKey}}',
      `clash-${tag}`,
    ]),
    'exited',
  );
  await ok(['rm', `clash-${tag}`]);
});

test('UDP: a container sends a datagram to a test server on its network gateway; UDP ports publish', async () => {
  // busybox here has no UDP server (its nc lacks -u), so the datagram goes the other way: busybox
  // tftp sends a read request to a UDP socket this test binds on the Berth bridge's gateway.
  await ok(['network', 'create', `nu-${tag}`]);
  const gw = await ok([
    'network',
    'inspect',
    '-f',
    '{{(index .IPAM.Config 0).Gateway}}',
    `nu-${tag}`,
  ]);
  const sock = createSocket('udp4');
  const got = new Promise<string>((resolve) =>
    sock.once('message', (m) => resolve(m.toString('latin1'))),
  );
  await new Promise<void>((resolve) => sock.bind(0, gw, resolve));
  try {
    const port = sock.address().port;
    await docker(d, [
      'run',
      '--rm',
      '--network',
      `nu-${tag}`,
      'busybox',
      'sh',
      '-c',
      `timeout 3 tftp -g -r ping-udp-${tag} ${gw} ${port}; exit 0`,
    ]);
    assert.match(await got, new RegExp(`ping-udp-${tag}`));
  } finally {
    sock.close();
  }
  await ok(['network', 'rm', `nu-${tag}`]);
  await ok([
    'create',
    '--name',
    `udp-${tag}`,
    '-p',
    '127.0.0.1::9000/udp',
    'busybox',
    'sleep',
    '30',
  ]);
  await ok(['start', `udp-${tag}`]);
  assert.match(await ok(['port', `udp-${tag}`, '9000/udp']), /^127\.0\.0\.1:\d+$/);
  await ok(['rm', '-f', `udp-${tag}`]);
});

test('user networks: by name through the embedded DNS, alias, isolation, connect/disconnect live', async () => {
  await ok(['network', 'create', netA]);
  await ok(['network', 'create', netB]);
  await httpd(`api-${tag}`, 'hello-user', ['--network', netA, '--network-alias', 'svc']);
  const ipA = await ipOn(`api-${tag}`, netA);
  assert.equal(await fetchEventually(ipA, 80), 'hello-user\n');
  assert.deepEqual(await wgetFrom(netA, `http://api-${tag}/`), { code: 0, out: 'hello-user' });
  assert.deepEqual(await wgetFrom(netA, 'http://svc/'), { code: 0, out: 'hello-user' });
  // Isolation: from the other network the server's address is unreachable.
  assert.notEqual((await wgetFrom(netB, `http://${ipA}/`)).code, 0);
  // Connect the running server to netB: reachable there by its new address and name.
  await ok(['network', 'connect', '--alias', 'second', netB, `api-${tag}`]);
  const ipB = await ipOn(`api-${tag}`, netB);
  assert.deepEqual(await wgetFrom(netB, `http://${ipB}/`), { code: 0, out: 'hello-user' });
  assert.deepEqual(await wgetFrom(netB, 'http://second/'), { code: 0, out: 'hello-user' });
  const members = await ok([
    'network',
    'inspect',
    '-f',
    '{{range .Containers}}{{.Name}} {{.IPv4Address}}{{end}}',
    netB,
  ]);
  assert.equal(members, `api-${tag} ${ipB}/24`);
  await ok(['network', 'disconnect', netB, `api-${tag}`]);
  assert.notEqual((await wgetFrom(netB, `http://${ipB}/`)).code, 0);
  const rm = await docker(d, ['network', 'rm', netA]);
  assert.notEqual(rm.code, 0);
  assert.match(rm.stderr, /has active endpoints/);
});

test('daemon restart keeps published ports and names working', async () => {
  await d.restart();
  const mapped = await ok(['port', `web-${tag}`, '80/tcp']);
  assert.equal(await fetchEventually('127.0.0.1', Number(mapped.split(':')[1])), 'hello-bridge\n');
  assert.deepEqual(await wgetFrom(netA, `http://api-${tag}/`), { code: 0, out: 'hello-user' });
});

test('nothing left behind: veths, netns, iptables rules, bridges, leases (counted before and after)', async () => {
  const bridge = await defaultBridge();
  const userBridges: string[] = [];
  for (const n of [netA, netB])
    userBridges.push(`br-${(await ok(['network', 'inspect', '-f', '{{.Id}}', n])).slice(0, 12)}`);
  const busy = await footprint([bridge, ...userBridges]);
  assert.ok(busy.veths > 0 && busy.netns > 0 && busy.bridges === 3, JSON.stringify(busy));
  await ok(['rm', '-f', `web-${tag}`, `api-${tag}`]);
  await ok(['network', 'rm', netA, netB]);
  assert.deepEqual(await footprint([bridge, ...userBridges]), baseline);
  assert.equal(await ok(['network', 'inspect', '-f', '{{len .Containers}}', 'bridge']), '0');
});
