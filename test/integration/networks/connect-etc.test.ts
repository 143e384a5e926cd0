import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { dockerOk, startTestDaemon, type TestDaemon } from '../../helpers/test-daemon.js';

// `docker network connect` / `disconnect` of a running container rewrites its /etc/hosts and
// resolv.conf in place, as Docker does: a container started on the default bridge and connected
// to a user network resolves that network's names through the embedded DNS.
let d: TestDaemon;
before(async () => {
  d = await startTestDaemon();
});
after(async () => {
  await d.cleanup();
});

const ok = (args: string[]): Promise<string> => dockerOk(d, args);

const ipOn = async (name: string, net: string): Promise<string> =>
  (
    await ok(['inspect', '-f', `{{(index .NetworkSettings.Networks "${net}").IPAddress}}`, name])
  ).trim();

test('connect gives a default-bridge container the user network names; disconnect takes them back', async () => {
  await ok(['network', 'create', 'ce-net']);
  await ok(['run', '-d', '--name', 'ce-a', '--network', 'ce-net', 'busybox', 'sleep', '300']);
  await ok(['run', '-d', '--name', 'ce-c', 'busybox', 'sleep', '300']);
  await ok(['run', '-d', '--name', 'ce-b', '--link', 'ce-c:old', 'busybox', 'sleep', '300']);
  const before = await ok(['exec', 'ce-b', 'cat', '/etc/resolv.conf']);
  await ok(['network', 'connect', 'ce-net', 'ce-b']);
  const gateway = (
    await ok(['network', 'inspect', '-f', '{{(index .IPAM.Config 0).Gateway}}', 'ce-net'])
  ).trim();
  const resolv = await ok(['exec', 'ce-b', 'cat', '/etc/resolv.conf']);
  assert.match(resolv, new RegExp(`^nameserver ${gateway.replace(/\./g, '\\.')}$`, 'm'));
  assert.match(resolv, /ndots:0/);
  const hosts = await ok(['exec', 'ce-b', 'cat', '/etc/hosts']);
  const ipOnNet = await ipOn('ce-b', 'ce-net');
  assert.match(hosts, new RegExp(`^${ipOnNet.replace(/\./g, '\\.')}\\s`, 'm'));
  assert.match(hosts, /\sold(\s|$)/m, 'the --link entry stays');
  const lookup = await ok(['exec', 'ce-b', 'nslookup', 'ce-a', gateway]);
  assert.ok(lookup.includes(await ipOn('ce-a', 'ce-net')), lookup);
  assert.match(
    await ok(['exec', 'ce-b', 'ping', '-c', '1', '-W', '2', 'ce-a']),
    /1 packets received/,
  );

  await ok(['network', 'disconnect', 'ce-net', 'ce-b']);
  assert.equal(await ok(['exec', 'ce-b', 'cat', '/etc/resolv.conf']), before);
  assert.doesNotMatch(await ok(['exec', 'ce-b', 'cat', '/etc/hosts']), new RegExp(ipOnNet));
  await ok(['rm', '-f', 'ce-a', 'ce-b', 'ce-c']);
  await ok(['network', 'rm', 'ce-net']);
});
