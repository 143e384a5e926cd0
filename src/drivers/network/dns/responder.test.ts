import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeMessage } from './decode.js';
import { encodeMessage } from './encode.js';
import { CLASS_IN, Rcode, RecordType, queryFlags, type DnsMessage } from './message.js';
import { decide, servFail, type DnsLookup } from './responder.js';

const names: Record<string, string[]> = {
  web: ['10.5.0.2'],
  'web-alias': ['10.5.0.2'],
  '0123456789ab': ['10.5.0.2'],
  many: Array.from({ length: 40 }, (_, i) => `10.5.1.${i}`),
};
const lookup: DnsLookup = (n) => names[n] ?? [];
const reverse = (ip: string): string | undefined => (ip === '10.5.0.2' ? 'web.net1' : undefined);

function query(name: string, type: number, extra: Partial<DnsMessage> = {}): Buffer {
  return encodeMessage({
    id: 0x4242,
    flags: queryFlags,
    questions: [{ name, type, class: CLASS_IN }],
    answers: [],
    authorities: [],
    additionals: [],
    ...extra,
  });
}

function answered(packet: Buffer, transport: 'udp' | 'tcp' = 'udp'): DnsMessage {
  const d = decide(packet, transport, lookup, reverse);
  assert.equal(d.kind, 'answer');
  return decodeMessage((d as { packet: Buffer }).packet);
}

test('A for a container name, alias and short id; case-insensitive, trailing dot', () => {
  for (const n of ['web', 'WEB.', 'Web-Alias', '0123456789AB']) {
    const m = answered(query(n, RecordType.A));
    assert.equal(m.id, 0x4242);
    assert.equal(m.flags.qr, true);
    assert.equal(m.flags.rcode, Rcode.NOERROR);
    assert.deepEqual(
      m.answers.map((a) => [a.type, a.data]),
      [[RecordType.A, '10.5.0.2']],
    );
  }
});

test('AAAA (and MX) of a known name: NOERROR with no records; ANY gets the A records', () => {
  for (const t of [RecordType.AAAA, RecordType.MX]) {
    const m = answered(query('web', t));
    assert.equal(m.flags.rcode, Rcode.NOERROR);
    assert.equal(m.answers.length, 0);
  }
  assert.equal(answered(query('web', RecordType.ANY)).answers[0]?.data, '10.5.0.2');
});

test('PTR for a known IP; unknown IPs and names are forwarded', () => {
  const m = answered(query('2.0.5.10.in-addr.arpa', RecordType.PTR));
  assert.deepEqual(
    m.answers.map((a) => [a.type, a.data]),
    [[RecordType.PTR, 'web.net1']],
  );
  assert.equal(
    decide(query('3.0.5.10.in-addr.arpa', RecordType.PTR), 'udp', lookup, reverse).kind,
    'forward',
  );
  assert.equal(decide(query('example.org', RecordType.A), 'udp', lookup, reverse).kind, 'forward');
  assert.equal(
    decide(
      query('web.', RecordType.A, { questions: [{ name: 'web', type: 1, class: 3 }] }),
      'udp',
      lookup,
    ).kind,
    'forward',
  );
});

test('too many addresses for 512 bytes: TC over UDP, everything over TCP or with EDNS', () => {
  const udp = answered(query('many', RecordType.A));
  assert.equal(udp.flags.tc, true);
  assert.equal(udp.answers.length, 0);
  assert.equal(answered(query('many', RecordType.A), 'tcp').answers.length, 40);
  const opt = { name: '', type: RecordType.OPT, class: 1232, ttl: 0, data: Buffer.alloc(0) };
  const edns = answered(query('many', RecordType.A, { additionals: [opt] }));
  assert.equal(edns.flags.tc, false);
  assert.equal(edns.answers.length, 40);
});

test('hostile packets: dropped or FORMERR/NOTIMP, never a throw', () => {
  assert.equal(decide(Buffer.from([1, 2, 3]), 'udp', lookup).kind, 'drop');
  const response = query('web', RecordType.A);
  response[2] = response[2]! | 0x80;
  assert.equal(decide(response, 'udp', lookup).kind, 'drop');
  const loop = Buffer.from([0, 9, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 12, 0, 1, 0, 1]);
  const fe = decide(loop, 'udp', lookup);
  assert.equal(fe.kind, 'answer');
  const feBytes = (fe as { packet: Buffer }).packet;
  assert.equal(feBytes.readUInt16BE(0), 9);
  assert.equal(feBytes[3]! & 0xf, Rcode.FORMERR);
  const huge = Buffer.from([0, 9, 1, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
  assert.equal(decide(huge, 'udp', lookup).kind, 'answer');
  const two = query('web', RecordType.A, {
    questions: [
      { name: 'web', type: 1, class: 1 },
      { name: 'web', type: 1, class: 1 },
    ],
  });
  assert.equal(answered(two).flags.rcode, Rcode.FORMERR);
  const notify = query('web', RecordType.A, { flags: { ...queryFlags, opcode: 4 } });
  assert.equal(answered(notify).flags.rcode, Rcode.NOTIMP);
  assert.equal(decide(query('', RecordType.A), 'udp', lookup).kind, 'forward');
});

test('servFail echoes the question', () => {
  const m = decodeMessage(servFail(query('example.org', RecordType.A))!);
  assert.equal(m.flags.rcode, Rcode.SERVFAIL);
  assert.equal(m.questions[0]?.name, 'example.org');
  assert.equal(servFail(Buffer.from([1])), undefined);
});
