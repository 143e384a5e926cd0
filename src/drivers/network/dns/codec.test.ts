import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeMessage } from './decode.js';
import { encodeMessage } from './encode.js';
import { addressOfReverseName, ipv6Bytes, ipv6Text } from './ip-bytes.js';
import { CLASS_IN, DnsFormatError, queryFlags, RecordType, type DnsMessage } from './message.js';

/** Hand-built query: id 0x1234, RD, one question `web.example` A IN. */
const webQuery = Buffer.from([
  0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0,
  3, 0x77, 0x65, 0x62, 7, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 0,
  0, 1, 0, 1,
]); // prettier-ignore

test('decodes a hand-built query: header, flags and question', () => {
  const m = decodeMessage(webQuery);
  assert.equal(m.id, 0x1234);
  assert.deepEqual(m.flags, { ...queryFlags });
  assert.deepEqual(m.questions, [{ name: 'web.example', type: RecordType.A, class: CLASS_IN }]);
  assert.equal(m.answers.length + m.authorities.length + m.additionals.length, 0);
});

test('encodes a query byte for byte like the hand-built one', () => {
  const q: DnsMessage = {
    id: 0x1234,
    flags: queryFlags,
    questions: [{ name: 'web.example.', type: RecordType.A, class: CLASS_IN }],
    answers: [],
    authorities: [],
    additionals: [],
  };
  assert.deepEqual(encodeMessage(q), webQuery);
});

test('answers compress names that repeat the question (pointer 0xc00c)', () => {
  const m: DnsMessage = {
    id: 7,
    flags: { ...queryFlags, qr: true, aa: true, ra: true },
    questions: [{ name: 'Web.Example', type: RecordType.A, class: CLASS_IN }],
    answers: [
      { name: 'web.example', type: RecordType.A, class: CLASS_IN, ttl: 600, data: '10.0.0.2' },
      { name: 'WEB.example', type: RecordType.A, class: CLASS_IN, ttl: 600, data: '10.0.0.3' },
    ],
    authorities: [],
    additionals: [],
  };
  const b = encodeMessage(m);
  // header 12 + question 17 + two answers of 2 (pointer) + 10 + 4 = 16 each
  assert.equal(b.length, 12 + 17 + 32);
  assert.equal(b.readUInt16BE(29), 0xc00c);
  assert.equal(b.readUInt16BE(45), 0xc00c);
  assert.deepEqual(b.subarray(41, 45), Buffer.from([10, 0, 0, 2]));
  const back = decodeMessage(b);
  assert.equal(back.flags.qr, true);
  assert.equal(back.flags.aa, true);
  assert.deepEqual(
    back.answers.map((a) => [a.name, a.data, a.ttl]),
    [
      ['Web.Example', '10.0.0.2', 600],
      ['Web.Example', '10.0.0.3', 600],
    ],
  );
});

test('PTR and AAAA records round-trip; PTR targets share suffixes', () => {
  const m: DnsMessage = {
    id: 1,
    flags: { ...queryFlags, qr: true },
    questions: [{ name: '2.0.0.10.in-addr.arpa', type: RecordType.PTR, class: CLASS_IN }],
    answers: [
      {
        name: '2.0.0.10.in-addr.arpa',
        type: RecordType.PTR,
        class: CLASS_IN,
        ttl: 5,
        data: 'web.net1',
      },
      { name: 'web.net1', type: RecordType.AAAA, class: CLASS_IN, ttl: 5, data: 'fd00::1:2' },
      { name: 'net1', type: RecordType.ANY, class: CLASS_IN, ttl: 5, data: Buffer.from([1, 2, 3]) },
    ],
    authorities: [],
    additionals: [],
  };
  const back = decodeMessage(encodeMessage(m));
  assert.deepEqual(back.answers, m.answers);
});

test('a message over maxSize is sent as its question with TC set', () => {
  const answers = Array.from({ length: 40 }, (_, i) => ({
    name: 'many.example',
    type: RecordType.A,
    class: CLASS_IN,
    ttl: 60,
    data: `10.1.0.${i}`,
  }));
  const m: DnsMessage = {
    id: 9,
    flags: { ...queryFlags, qr: true },
    questions: [{ name: 'many.example', type: RecordType.A, class: CLASS_IN }],
    answers,
    authorities: [],
    additionals: [],
  };
  assert.ok(encodeMessage(m).length > 512);
  const cut = decodeMessage(encodeMessage(m, { maxSize: 512 }));
  assert.equal(cut.flags.tc, true);
  assert.equal(cut.answers.length, 0);
  assert.equal(cut.questions[0]?.name, 'many.example');
  assert.equal(decodeMessage(encodeMessage(m, { maxSize: 4096 })).flags.tc, false);
});

test('malformed packets are rejected with DnsFormatError, never anything else', () => {
  const header = (qd: number, an = 0): number[] => [0, 1, 1, 0, 0, qd, 0, an, 0, 0, 0, 0];
  const bad: [string, Buffer][] = [
    ['short', Buffer.from([1, 2, 3])],
    ['label past end', Buffer.from([...header(1), 5, 0x61, 0x62])],
    ['question without type', Buffer.from([...header(1), 1, 0x61, 0])],
    ['pointer to itself', Buffer.from([...header(1), 0xc0, 12, 0, 1, 0, 1])],
    ['forward pointer', Buffer.from([...header(1), 0xc0, 14, 0, 1, 0, 1, 0])],
    ['loop a→b→a', Buffer.from([...header(1), 1, 0x61, 0xc0, 12, 0, 1, 0, 1])],
    ['huge counts', Buffer.from([0, 1, 1, 0, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 1, 0, 1])],
    ['reserved label type', Buffer.from([...header(1), 0x41, 0, 0, 1, 0, 1])],
    ['A with 3 bytes', Buffer.from([...header(0, 1), 0, 0, 1, 0, 1, 0, 0, 0, 1, 0, 3, 1, 2, 3])],
    [
      'name over 255 octets',
      Buffer.from([
        ...header(1),
        ...Array.from({ length: 5 }, () => [63, ...Array<number>(63).fill(0x61)]).flat(),
        0,
        0,
        1,
        0,
        1,
      ]),
    ],
  ];
  for (const [what, b] of bad) {
    assert.throws(() => decodeMessage(b), DnsFormatError, what);
  }
});

test('IPv6 text and reverse names', () => {
  assert.equal(ipv6Text(ipv6Bytes('FD00:0:0:0:0:0:0:1')), 'fd00::1');
  assert.equal(ipv6Text(ipv6Bytes('::ffff:10.0.0.1')), '::ffff:a00:1');
  assert.equal(ipv6Text(ipv6Bytes('1:0:2:0:3:0:4:5')), '1:0:2:0:3:0:4:5');
  assert.equal(addressOfReverseName('4.3.2.10.IN-ADDR.ARPA.'), '10.2.3.4');
  assert.equal(addressOfReverseName('3.2.10.in-addr.arpa'), undefined);
  const nib = '1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.f.ip6.arpa';
  assert.equal(addressOfReverseName(nib), 'fd00::1');
  assert.equal(addressOfReverseName('example.com'), undefined);
});
