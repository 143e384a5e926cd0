// --dns, --dns-search, --dns-option, --add-host, --hostname and --domainname as a container sees
// them, through the real docker CLI and berth CLI. --network none: no dependence on networks.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { berth, docker, startTestDaemon, type TestDaemon } from '../../helpers/test-daemon.js';
import { raw } from '../../helpers/raw-http.js';
import { assertMatchesSpec, assertStatusInSpec } from '../../compat/spec-check.js';
import { hostResolvConf } from '../../../src/services/containers/etc-files.js';
import { buildResolvConf } from '../../../src/services/containers/resolv-conf.js';

let d: TestDaemon;
before(async () => {
  d = await startTestDaemon();
});
after(async () => {
  await d.cleanup();
});

const show =
  'cat /etc/resolv.conf; echo ---; hostname; echo ---; cat /etc/hosts; echo ---; cat /etc/hostname';

/** The four sections `show` prints. */
function sections(out: string): {
  resolv: string;
  hostname: string;
  hosts: string;
  etcHostname: string;
} {
  const [resolv = '', hostname = '', hosts = '', etcHostname = ''] = out.split('---\n');
  return { resolv, hostname: hostname.trim(), hosts, etcHostname: etcHostname.trim() };
}

test('docker run: --dns/--dns-search/--dns-option/--add-host/--hostname/--domainname inside', async () => {
  const r = await docker(d, [
    'run', '--rm', '--network', 'none',
    '--dns', '10.1.2.3', '--dns', '2001:db8::53',
    '--dns-search', 'a.example', '--dns-option', 'ndots:3', '--dns-option', 'timeout:1',
    '--add-host', 'db:10.4.5.6', '--add-host', 'v6:2001:db8::1',
    '--hostname', 'web', '--domainname', 'corp.example',
    'busybox', 'sh', '-c', show,
  ]); // prettier-ignore
  assert.equal(r.code, 0, r.stderr);
  const s = sections(r.stdout);
  assert.equal(
    s.resolv,
    'search a.example\nnameserver 10.1.2.3\nnameserver 2001:db8::53\noptions ndots:3 timeout:1\n',
  );
  assert.equal(s.hostname, 'web');
  assert.equal(s.etcHostname, 'web');
  const lines = s.hosts.trimEnd().split('\n');
  assert.equal(lines[0], '127.0.0.1\tlocalhost');
  assert.deepEqual(lines.slice(6), [
    '10.4.5.6\tdb',
    '2001:db8::1\tv6',
    '127.0.1.1\tweb.corp.example web',
  ]);
});

test('without options: the host resolv.conf minus loopback nameservers, short id as hostname', async () => {
  const r = await docker(d, [
    'run',
    '--network',
    'none',
    '--name',
    'plain',
    'busybox',
    'sh',
    '-c',
    show,
  ]);
  assert.equal(r.code, 0, r.stderr);
  const s = sections(r.stdout);
  const expected = buildResolvConf({
    host: await hostResolvConf(),
    dns: [],
    dnsSearch: [],
    dnsOptions: [],
    ipv6: false,
  });
  assert.equal(s.resolv, expected);
  assert.doesNotMatch(s.resolv, /^nameserver (127\.|::1)/m);
  const id = (await docker(d, ['inspect', '-f', '{{.Id}}', 'plain'])).stdout.trim();
  assert.equal(s.hostname, id.slice(0, 12));
  assert.match(s.hosts, new RegExp(`^127\\.0\\.1\\.1\\t${id.slice(0, 12)}$`, 'm'));
  await docker(d, ['rm', 'plain']);
});

test('inspect echoes the options in HostConfig, matching the spec', async () => {
  const c = await docker(d, [
    'create', '--network', 'none', '--dns', '10.7.7.7', '--dns-search', 'b.example',
    '--dns-option', 'edns0', '--add-host', 'gw:10.0.0.1', 'busybox', 'true',
  ]); // prettier-ignore
  assert.equal(c.code, 0, c.stderr);
  const id = c.stdout.trim();
  const r = await raw(d.socket, 'GET', `/v1.56/containers/${id}/json`);
  assert.equal(r.status, 200);
  assertMatchesSpec('GET', '/containers/{id}/json', 200, r.json);
  const hc = (r.json as { HostConfig: Record<string, unknown> }).HostConfig;
  assert.deepEqual(
    [hc.Dns, hc.DnsSearch, hc.DnsOptions, hc.ExtraHosts],
    [['10.7.7.7'], ['b.example'], ['edns0'], ['gw:10.0.0.1']],
  );
  await docker(d, ['rm', id]);
});

test('bad values → 400 with Docker messages; the daemon keeps serving', async () => {
  const create = async (
    hostConfig: Record<string, unknown>,
    extra: Record<string, unknown> = {},
  ) => {
    const r = await raw(
      d.socket,
      'POST',
      '/v1.56/containers/create',
      JSON.stringify({
        Image: 'busybox',
        Cmd: ['true'],
        ...extra,
        HostConfig: { NetworkMode: 'none', ...hostConfig },
      }),
    );
    assertStatusInSpec('POST', '/containers/create', r.status);
    return { status: r.status, message: (r.json as { message: string }).message };
  };
  assert.deepEqual(await create({ ExtraHosts: ['nocolon'] }), {
    status: 400,
    message: 'bad format for add-host: "nocolon"',
  });
  assert.deepEqual(await create({ ExtraHosts: ['h:300.1.1.1'] }), {
    status: 400,
    message: 'invalid IP address in add-host: "300.1.1.1"',
  });
  assert.deepEqual(await create({ Dns: ['dns.example'] }), {
    status: 400,
    message: 'dns.example is not an ip address',
  });
  assert.equal((await create({ DnsSearch: ['a\nnameserver 1.1.1.1'] })).status, 400);
  assert.equal((await create({ DnsOptions: ['a b'] })).status, 400);
  assert.equal((await create({}, { Hostname: 'a\nb' })).status, 400);
  const ping = await raw(d.socket, 'GET', '/_ping');
  assert.equal(ping.status, 200);
});

test('berth run takes the same flags', async () => {
  const r = await berth(d, [
    'run', '--rm', '--network', 'none', '--dns', '10.9.9.9', '--dns-search', 'c.example',
    '--dns-option', 'ndots:1', '--add-host', 'h=10.1.1.1', '--hostname', 'hh', '--domainname', 'dd',
    'busybox', 'sh', '-c', show,
  ]); // prettier-ignore
  assert.equal(r.code, 0, r.stderr);
  const s = sections(r.stdout);
  assert.equal(s.resolv, 'search c.example\nnameserver 10.9.9.9\noptions ndots:1\n');
  assert.equal(s.hostname, 'hh');
  assert.match(s.hosts, /^10\.1\.1\.1\th\n127\.0\.1\.1\thh\.dd hh\n$/m);
});

test('--domainname is the UTS domain name inside (kernel.domainname)', async () => {
  const r = await docker(d, [
    'run', '--rm', '--network', 'none', '--domainname', 'corp.example',
    'busybox', 'cat', '/proc/sys/kernel/domainname',
  ]); // prettier-ignore
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'corp.example');
  const plain = await docker(d, [
    'run',
    '--rm',
    '--network',
    'none',
    'busybox',
    'cat',
    '/proc/sys/kernel/domainname',
  ]);
  assert.equal(plain.stdout.trim(), '(none)');
});
