import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { decodeMessage } from './decode.js';
import { EmbeddedDns } from './embedded-dns.js';
import { startFakeUpstream, type FakeUpstream } from './fake-upstream.js';
import { Rcode, RecordType } from './message.js';
import { queryPacket, tcpExchange, udpExchange } from './query-client.js';

// A random loopback address of this test's own (all of 127/8 is local), port 53 as in real use.
const addr = `127.53.${randomInt(1, 255)}.${randomInt(1, 255)}`;
const addr2 = `127.54.${randomInt(1, 255)}.${randomInt(1, 255)}`;
const lookup = (n: string): string[] => (n === 'web' || n === 'web-alias' ? ['10.7.0.2'] : []);
const reverse = (ip: string): string | undefined => (ip === '10.7.0.2' ? 'web.net' : undefined);

let up: FakeUpstream;
let dns: EmbeddedDns;
let noUpstreams: EmbeddedDns;
const logs: string[] = [];

before(async () => {
  up = await startFakeUpstream();
  dns = new EmbeddedDns({ upstreams: [`127.0.0.1:${up.port}`], log: (m) => logs.push(m) });
  noUpstreams = new EmbeddedDns({ upstreams: [], log: () => undefined });
  await dns.serve('net1', addr, lookup, { reverse });
  await noUpstreams.serve('net2', addr2, lookup);
});
after(async () => {
  await dns.close();
  await noUpstreams.close();
  await up.close();
});

async function ask(name: string, type: number, at = addr) {
  const b = await udpExchange(at, 53, queryPacket(name, type));
  assert.ok(b, `no answer for ${name}`);
  return decodeMessage(b);
}

test('names of the network are answered locally over UDP and TCP', async () => {
  const a = await ask('WEB-alias.', RecordType.A);
  assert.deepEqual(
    a.answers.map((r) => r.data),
    ['10.7.0.2'],
  );
  const t = await tcpExchange(addr, 53, queryPacket('web', RecordType.A));
  assert.deepEqual(
    t.answers.map((r) => r.data),
    ['10.7.0.2'],
  );
  const ptr = await ask('2.0.7.10.in-addr.arpa', RecordType.PTR);
  assert.deepEqual(
    ptr.answers.map((r) => r.data),
    ['web.net'],
  );
  const aaaa = await ask('web', RecordType.AAAA);
  assert.equal(aaaa.flags.rcode, Rcode.NOERROR);
  assert.equal(aaaa.answers.length, 0);
  assert.ok(!up.asked.some((q) => q.endsWith(':web') || q.endsWith(':WEB-alias')));
});

test('other names go to the upstream; a truncated answer is fetched over TCP for TCP clients', async () => {
  const a = await ask('x.upstream.test', RecordType.A);
  assert.deepEqual(
    a.answers.map((r) => r.data),
    ['198.51.100.1'],
  );
  const nx = await ask('nothing.invalid', RecordType.A);
  assert.equal(nx.flags.rcode, Rcode.NXDOMAIN);
  const big = await ask('big.upstream.test', RecordType.A);
  assert.equal(big.flags.tc, true);
  const bigTcp = await tcpExchange(addr, 53, queryPacket('big.upstream.test', RecordType.A));
  assert.equal(bigTcp.answers.length, 60);
  assert.ok(up.asked.includes('udp:x.upstream.test'));
  assert.ok(up.asked.includes('tcp:big.upstream.test'));
});

test('SERVFAIL when no upstream answers, and without any upstream nothing is forwarded', async () => {
  const asked = up.asked.length;
  const m = await ask('y.upstream.test', RecordType.A, addr2);
  assert.equal(m.flags.rcode, Rcode.SERVFAIL);
  assert.equal(up.asked.length, asked);
  // An upstream with nothing listening (ICMP port unreachable) also ends in SERVFAIL.
  const deadPort = createSocket('udp4');
  await new Promise<void>((r) => deadPort.bind(0, '127.0.0.1', r));
  const port = deadPort.address().port;
  await new Promise<void>((r) => deadPort.close(() => r()));
  const dead = new EmbeddedDns({ upstreams: [`127.0.0.1:${port}`], log: () => undefined });
  const addr3 = `127.55.${randomInt(1, 255)}.${randomInt(1, 255)}`;
  await dead.serve('n3', addr3, lookup);
  try {
    assert.equal((await ask('z.upstream.test', RecordType.A, addr3)).flags.rcode, Rcode.SERVFAIL);
  } finally {
    await dead.close();
  }
});

test('hostile packets do not stop the server', async () => {
  const loop = Buffer.from([0, 9, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 12, 0, 1, 0, 1]);
  const fe = await udpExchange(addr, 53, loop);
  assert.ok(fe);
  assert.equal(fe[3]! & 0xf, Rcode.FORMERR);
  const huge = Buffer.from([0, 9, 1, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
  assert.equal((await udpExchange(addr, 53, huge))![3]! & 0xf, Rcode.FORMERR);
  assert.equal(await udpExchange(addr, 53, Buffer.from([1, 2]), 300), undefined);
  // A TCP stream that is not DNS is closed; the server still answers afterwards.
  const { connect } = await import('node:net');
  await new Promise<void>((res) => {
    const c = connect({ host: addr, port: 53 }, () => c.write(Buffer.from([0, 3, 1, 2, 3])));
    c.on('close', () => res());
    c.on('error', () => undefined);
  });
  assert.deepEqual(
    (await ask('web', RecordType.A)).answers.map((r) => r.data),
    ['10.7.0.2'],
  );
});

test('stop releases the sockets; serve again rebinds; a bad address rejects cleanly', async () => {
  const extra = `127.56.${randomInt(1, 255)}.${randomInt(1, 255)}`;
  const d = new EmbeddedDns({ upstreams: [], log: () => undefined });
  await d.serve('a', extra, lookup);
  await assert.rejects(
    new EmbeddedDns({ upstreams: [], log: () => undefined }).serve('b', extra, lookup),
    /cannot listen on/,
  );
  await d.stop('a');
  await d.stop('a');
  await d.serve('a', extra, lookup);
  assert.deepEqual([...d.served()], [['a', extra]]);
  await d.close();
  assert.equal(d.served().size, 0);
  await assert.rejects(d.serve('c', '198.51.100.200', lookup), /cannot listen on/);
  assert.throws(() => new EmbeddedDns({ upstreams: ['not-an-ip'], log: () => undefined }));
});

test("a client's own upstreams (a container's --dns) are used instead of the daemon's", async () => {
  const addr4 = `127.57.${randomInt(1, 255)}.${randomInt(1, 255)}`;
  const seen: string[] = [];
  await noUpstreams.serve('net4', addr4, lookup, {
    upstreamsFor: (ip) => {
      seen.push(ip);
      return [`127.0.0.1:${up.port}`];
    },
  });
  try {
    const m = await ask('own.upstream.test', RecordType.A, addr4);
    assert.deepEqual(
      m.answers.map((r) => r.data),
      ['198.51.100.1'],
    );
    assert.ok(up.asked.includes('udp:own.upstream.test'));
    assert.ok(seen.length > 0 && seen.every((ip) => ip.startsWith('127.')));
  } finally {
    await noUpstreams.stop('net4');
  }
});
