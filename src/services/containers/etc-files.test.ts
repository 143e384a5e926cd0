import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { buildHosts, selfNames } from './hosts-file.js';
import { buildResolvConf, fallbackNameservers, parseResolvConf } from './resolv-conf.js';
import { checkNameOptions, parseExtraHost } from './name-options.js';
import { hostResolvConf, writeEtcFiles } from './etc-files.js';
import type { ContainerConfig } from './types.js';

const head = [
  '127.0.0.1\tlocalhost',
  '::1\tlocalhost ip6-localhost ip6-loopback',
  'fe00::0\tip6-localnet',
  'ff00::0\tip6-mcastprefix',
  'ff02::1\tip6-allnodes',
  'ff02::2\tip6-allrouters',
];

test('hosts: Docker layout — head, --add-host, links, then the container IPs', () => {
  const text = buildHosts({
    hostname: 'web',
    domainname: 'corp.example',
    addresses: ['10.9.0.2', 'fd00::2'],
    extraHosts: [
      { name: 'db', ip: '10.1.1.1' },
      { name: 'v6', ip: '::1' },
    ],
    links: [{ ip: '172.17.0.3', names: ['alias', 'abcdef012345', 'target'] }],
  });
  assert.equal(
    text,
    [
      ...head,
      '10.1.1.1\tdb',
      '::1\tv6',
      '172.17.0.3\talias abcdef012345 target',
      '10.9.0.2\tweb.corp.example web',
      'fd00::2\tweb.corp.example web',
      '',
    ].join('\n'),
  );
});

test('hosts: no address → 127.0.1.1 with the names; host networking → no own line', () => {
  const base = { hostname: 'abc', domainname: '', addresses: [], extraHosts: [], links: [] };
  assert.equal(buildHosts(base), [...head, '127.0.1.1\tabc', ''].join('\n'));
  assert.equal(buildHosts({ ...base, omitSelf: true }), [...head, ''].join('\n'));
  assert.equal(selfNames('a.b.c', ''), 'a.b.c a');
  assert.equal(selfNames('a', 'b.c'), 'a.b.c a');
});

test('--add-host formats and Docker messages', () => {
  assert.deepEqual(parseExtraHost('db:10.0.0.1'), { name: 'db', ip: '10.0.0.1' });
  assert.deepEqual(parseExtraHost('db=10.0.0.1'), { name: 'db', ip: '10.0.0.1' });
  assert.deepEqual(parseExtraHost('v6:2001:db8::1'), { name: 'v6', ip: '2001:db8::1' });
  assert.deepEqual(parseExtraHost('v6=[2001:db8::1]'), { name: 'v6', ip: '2001:db8::1' });
  assert.deepEqual(parseExtraHost('gw:host-gateway'), { name: 'gw', ip: 'host-gateway' });
  assert.throws(
    () => parseExtraHost('nohost'),
    /^InvalidParameterError: bad format for add-host: "nohost"$/,
  );
  assert.throws(() => parseExtraHost(':1.2.3.4'), /bad format for add-host/);
  assert.throws(() => parseExtraHost('a b:1.2.3.4'), /bad format for add-host/);
  assert.throws(() => parseExtraHost('a:1.2.3'), /invalid IP address in add-host: "1.2.3"/);
  assert.throws(() => parseExtraHost('a:1.2.3.4\nevil'), /invalid IP address in add-host/);
});

test('--dns/--dns-search/--dns-option validation', () => {
  const ok = checkNameOptions({
    dns: [' 10.0.0.53 ', '2001:db8::53'],
    dnsSearch: ['corp.example', '.'],
    dnsOptions: ['ndots:2', 'edns0'],
    extraHosts: ['a:1.2.3.4'],
  });
  assert.deepEqual(ok.dns, ['10.0.0.53', '2001:db8::53']);
  assert.deepEqual(ok.extraHosts, ['a:1.2.3.4']);
  assert.deepEqual(checkNameOptions({}), {
    dns: [],
    dnsSearch: [],
    dnsOptions: [],
    extraHosts: [],
  });
  assert.throws(
    () => checkNameOptions({ dns: ['dns.google'] }),
    /^InvalidParameterError: dns.google is not an ip address$/,
  );
  assert.throws(() => checkNameOptions({ dnsSearch: ['-bad-'] }), /-bad- is not a valid domain/);
  assert.throws(
    () => checkNameOptions({ dnsSearch: ['a\nnameserver 1.1.1.1'] }),
    /is not a valid domain/,
  );
  assert.throws(() => checkNameOptions({ dnsOptions: ['ndots:1 x'] }), /invalid DNS option/);
  assert.throws(() => checkNameOptions({ dnsOptions: [''] }), /invalid DNS option/);
  assert.throws(() => checkNameOptions({ hostname: 'a\nb' }), /invalid hostname format/);
  assert.throws(() => checkNameOptions({ hostname: 'x'.repeat(65) }), /invalid hostname format/);
  assert.throws(() => checkNameOptions({ domainname: 'a b' }), /invalid domainname format/);
});

const hostConf = [
  '# generated',
  'search lan.example',
  'nameserver 127.0.0.53',
  'nameserver 10.0.0.1',
  'nameserver ::1',
  'nameserver 2001:db8::1',
  'options edns0 trust-ad',
  '',
].join('\n');
const none = { dns: [], dnsSearch: [], dnsOptions: [], ipv6: false };

test('resolv.conf (default bridge/none): host file minus loopback and IPv6 nameservers', () => {
  assert.equal(
    buildResolvConf({ host: hostConf, ...none }),
    '# generated\nsearch lan.example\nnameserver 10.0.0.1\noptions edns0 trust-ad\n',
  );
  assert.match(
    buildResolvConf({ host: hostConf, ...none, ipv6: true }),
    /nameserver 2001:db8::1\n/,
  );
});

test("resolv.conf: only loopback nameservers left → Docker's fallback 8.8.8.8/8.8.4.4", () => {
  const text = buildResolvConf({ host: 'nameserver 127.0.0.1\nsearch x.example\n', ...none });
  assert.equal(text, 'search x.example\nnameserver 8.8.8.8\nnameserver 8.8.4.4\n');
  assert.deepEqual(
    parseResolvConf(buildResolvConf({ host: '', ...none })).nameservers,
    fallbackNameservers,
  );
  const v6 = parseResolvConf(buildResolvConf({ host: '', ...none, ipv6: true })).nameservers;
  assert.equal(v6.length, 4);
});

test('resolv.conf: --dns/--dns-search/--dns-option each replace only their part', () => {
  assert.equal(
    buildResolvConf({ host: hostConf, ...none, dns: ['10.2.2.2'] }),
    'search lan.example\nnameserver 10.2.2.2\noptions edns0 trust-ad\n',
  );
  assert.equal(
    buildResolvConf({
      host: hostConf,
      ...none,
      dnsSearch: ['a.example', 'b.example'],
      dnsOptions: ['ndots:3'],
    }),
    'search a.example b.example\nnameserver 10.0.0.1\noptions ndots:3\n',
  );
  assert.equal(
    buildResolvConf({ host: hostConf, ...none, dnsSearch: ['.'] }),
    'nameserver 10.0.0.1\noptions edns0 trust-ad\n',
  );
});

test('resolv.conf on a user network: the embedded server, host search, ndots:0 unless set', () => {
  assert.equal(
    buildResolvConf({ host: hostConf, ...none, embeddedDns: '10.9.0.1' }),
    'search lan.example\nnameserver 10.9.0.1\noptions edns0 trust-ad ndots:0\n',
  );
  assert.equal(
    buildResolvConf({ host: hostConf, ...none, embeddedDns: '10.9.0.1', dnsOptions: ['ndots:2'] }),
    'search lan.example\nnameserver 10.9.0.1\noptions ndots:2\n',
  );
});

const dir = await mkdtemp('/tmp/bt-etc-');
after(() => rm(dir, { recursive: true, force: true }));
const config = (over: Partial<ContainerConfig>): ContainerConfig =>
  ({ hostname: '', domainname: '', networkMode: 'none', ...over }) as ContainerConfig;
const id = '0123456789abcdef'.repeat(4);

test('writeEtcFiles without facts keeps the unnetworked layout; host-gateway needs a fact', async () => {
  const files = await writeEtcFiles(
    dir,
    id,
    config({ extraHosts: ['h:10.3.3.3'], dns: ['10.4.4.4'] }),
  );
  assert.equal(await readFile(files.hostname, 'utf8'), '0123456789ab\n');
  assert.equal(
    await readFile(files.hosts, 'utf8'),
    [...head, '10.3.3.3\th', '127.0.1.1\t0123456789ab', ''].join('\n'),
  );
  assert.match(await readFile(files.resolvConf, 'utf8'), /^nameserver 10\.4\.4\.4$/m);
  await assert.rejects(
    writeEtcFiles(dir, id, config({ extraHosts: ['gw:host-gateway'] })),
    /unable to derive the IP value for host-gateway/,
  );
});

test('writeEtcFiles with facts: IPs, host-gateway, links, embedded DNS; host mode copies the host', async () => {
  const c = config({
    hostname: 'web',
    domainname: 'd.example',
    networkMode: 'mynet',
    extraHosts: ['gw:host-gateway'],
  });
  const facts = { ips: ['10.9.0.2'], embeddedDns: '10.9.0.1', hostGateway: '10.8.0.1', links: [] };
  const files = await writeEtcFiles(dir, id, c, facts);
  const hosts = await readFile(files.hosts, 'utf8');
  assert.match(hosts, /^10\.8\.0\.1\tgw\n10\.9\.0\.2\tweb\.d\.example web\n$/m);
  assert.match(
    await readFile(files.resolvConf, 'utf8'),
    /^nameserver 10\.9\.0\.1\n(.*\n)*options .*ndots:0\n$/m,
  );
  assert.equal(await readFile(files.hostname, 'utf8'), 'web\n');
  const host = await writeEtcFiles(dir, id, config({ networkMode: 'host' }), { ...facts, ips: [] });
  assert.equal(await readFile(host.hosts, 'utf8'), await readFile('/etc/hosts', 'utf8'));
  assert.equal(await readFile(host.resolvConf, 'utf8'), await hostResolvConf());
});
