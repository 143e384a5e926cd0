// The embedded DNS server end to end without the networks service: a network namespace and a
// veth pair of this test's own (a private 10.x.y.z/30), the server on the host side, and
// busybox nslookup inside the namespace asking it. Upstream is a fake on 127.0.0.1.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomInt } from 'node:crypto';
import { execFile } from '../../../src/lib/exec.js';
import { EmbeddedDns } from '../../../src/drivers/network/dns/index.js';
import {
  startFakeUpstream,
  type FakeUpstream,
} from '../../../src/drivers/network/dns/fake-upstream.js';

const tag = randomBytes(3).toString('hex');
const ns = `btdns-${tag}`;
const hostIf = `bdh${tag}`;
const nsIf = `bdc${tag}`;
let hostIp = '';
let nsIp = '';
let up: FakeUpstream;
let dns: EmbeddedDns;

async function sh(file: string, args: string[]): Promise<string> {
  const r = await execFile(file, args, { timeoutMs: 15_000 });
  assert.equal(r.code, 0, `${file} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** A /30 under 10/8 that no route on the host covers or is covered by. */
async function freeSubnet(): Promise<[string, string]> {
  const routes = await sh('ip', ['-4', 'route', 'show', 'table', 'all']);
  for (;;) {
    const [a, b, c] = [randomInt(100, 250), randomInt(0, 256), randomInt(0, 64) * 4];
    if (!routes.includes(`10.${a}.`)) return [`10.${a}.${b}.${c + 1}`, `10.${a}.${b}.${c + 2}`];
  }
}

before(async () => {
  [hostIp, nsIp] = await freeSubnet();
  await sh('ip', ['netns', 'add', ns]);
  await sh('ip', ['link', 'add', hostIf, 'type', 'veth', 'peer', 'name', nsIf]);
  await sh('ip', ['link', 'set', nsIf, 'netns', ns]);
  await sh('ip', ['addr', 'add', `${hostIp}/30`, 'dev', hostIf]);
  await sh('ip', ['link', 'set', hostIf, 'up']);
  await sh('ip', ['-n', ns, 'addr', 'add', `${nsIp}/30`, 'dev', nsIf]);
  await sh('ip', ['-n', ns, 'link', 'set', nsIf, 'up']);
  await sh('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
  up = await startFakeUpstream();
  dns = new EmbeddedDns({ upstreams: [`127.0.0.1:${up.port}`], log: () => undefined });
  const names: Record<string, string[]> = { web: [nsIp], 'web-alias': [nsIp] };
  await dns.serve(`net-${tag}`, hostIp, (n) => names[n] ?? [], {
    reverse: (ip) => (ip === nsIp ? 'web' : undefined),
  });
});

after(async () => {
  await dns?.close();
  await up?.close();
  // Deleting the namespace destroys its end of the pair, and with it the host end.
  await execFile('ip', ['netns', 'del', ns], { timeoutMs: 15_000 });
  await execFile('ip', ['link', 'del', hostIf], { timeoutMs: 15_000 });
  const left = await execFile('ip', ['link', 'show', hostIf], { timeoutMs: 15_000 });
  assert.notEqual(left.code, 0, 'host veth left behind');
});

/** `busybox nslookup NAME SERVER` inside the namespace. */
async function nslookup(name: string): Promise<{ code: number | null; out: string }> {
  const r = await execFile('ip', ['netns', 'exec', ns, '/bin/busybox', 'nslookup', name, hostIp], {
    timeoutMs: 30_000,
  });
  return { code: r.code, out: r.stdout + r.stderr };
}

test('a container name on the network resolves through the embedded server', async () => {
  const r = await nslookup('web');
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, new RegExp(`Address:?\\s+(1: )?${nsIp.replace(/\./g, '\\.')}\\b`));
  const alias = await nslookup('WEB-ALIAS');
  assert.match(alias.out, new RegExp(nsIp.replace(/\./g, '\\.')));
  assert.ok(!up.asked.some((q) => /:web(-alias)?$/i.test(q)), 'local names never go upstream');
});

test('another name is forwarded to the upstream and its answer relayed', async () => {
  const r = await nslookup('svc.upstream.test');
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /198\.51\.100\.1\b/);
  assert.ok(up.asked.includes('udp:svc.upstream.test'));
});

test('a reverse lookup of a known address answers its name', async () => {
  const r = await nslookup(nsIp);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /\bweb\b/);
});
