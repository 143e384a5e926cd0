import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';
import { readlink } from 'node:fs/promises';
import { ApiError } from '../../../src/client/errors.js';
import { execFile } from '../../../src/lib/exec.js';
import { addSubidRange, dropSubidRange } from '../../helpers/subid-ranges.js';
import { docker, startTestDaemon, type TestDaemon } from '../../helpers/test-daemon.js';

// Bridge networking of remapped containers: runc creates the netns inside the container's user
// namespace and berthd attaches it between create and start, so `docker exec` can join it.
const user = `bn${randomBytes(3).toString('hex')}`;
const net = `un${randomBytes(3).toString('hex')}`;
let d: TestDaemon;

before(async () => {
  const r = await execFile('useradd', ['--system', '--no-create-home', '-U', user], {
    timeoutMs: 30_000,
  });
  assert.equal(r.code, 0, r.stderr);
  await addSubidRange(user);
  d = await startTestDaemon({ extraArgs: ['--userns-remap', user] });
});
after(async () => {
  await d?.cleanup();
  await dropSubidRange(user);
  await execFile('userdel', [user], { timeoutMs: 30_000 });
  await execFile('groupdel', [user], { timeoutMs: 30_000 });
});

async function ok(args: string[]): Promise<string> {
  const r = await docker(d, args);
  assert.equal(r.code, 0, `docker ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

/** GET http://127.0.0.1:<port>/ with node's client (loopback only). */
function fetchLocal(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/', timeout: 10_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve(body));
    })
      .on('timeout', function (this: { destroy(e: Error): void }) {
        this.destroy(new Error('timeout'));
      })
      .on('error', reject);
  });
}

/** Exec works, root inside, its address on eth0, a real sysfs of its own netns, sysctls set. */
async function assertNetworked(name: string, network: string): Promise<void> {
  const ip = await ok([
    'inspect',
    '-f',
    `{{.NetworkSettings.Networks.${network}.IPAddress}}`,
    name,
  ]);
  assert.match(ip, /^\d+\.\d+\.\d+\.\d+$/);
  assert.equal(await ok(['exec', name, 'id', '-u']), '0');
  assert.match(await ok(['exec', name, 'ip', '-o', 'addr']), new RegExp(`eth0\\s+inet ${ip}/`));
  assert.match(await ok(['exec', name, 'ls', '/sys/class/net']), /\beth0\b/);
  const cat = ['exec', name, 'cat', '/proc/sys/net/ipv4/ip_unprivileged_port_start'];
  assert.equal(await ok(cat), '0');
  assert.match(await ok(['exec', name, 'cat', '/etc/hosts']), new RegExp(`^${ip}\\s`, 'm'));
  // The netns belongs to the container's user namespace, not to the host's.
  const pid = await ok(['inspect', '-f', '{{.State.Pid}}', name]);
  const userns = (await readlink(`/proc/${pid}/ns/user`)).replace(/\D/g, '');
  // lsns scans every process: one exiting meanwhile (other tests run in parallel) can fail a
  // scan, so it gets a few tries.
  let r = { code: 1 as number | null, stdout: '', stderr: '' };
  for (let i = 0; i < 5 && r.code !== 0; i++) {
    r = await execFile('lsns', ['-p', pid, '-t', 'net', '-n', '-o', 'ONS'], { timeoutMs: 10_000 });
  }
  assert.equal(r.code, 0, `lsns: ${r.stderr}`);
  assert.equal(r.stdout.trim(), userns);
}

test('default bridge: exec, published port on 127.0.0.1, docker and berthd restarts', async () => {
  const httpd = 'mkdir -p /www && echo hello-userns > /www/index.html && httpd -f -p 80 -h /www';
  await ok(['run', '-d', '--name', 'web', '-p', '127.0.0.1::80', 'busybox', 'sh', '-c', httpd]);
  await assertNetworked('web', 'bridge');
  const port = Number(/:(\d+)$/.exec(await ok(['port', 'web', '80/tcp']))?.[1]);
  assert.ok(port > 0);
  assert.equal((await fetchLocal(port)).trim(), 'hello-userns');
  await ok(['restart', '-t', '1', 'web']);
  await assertNetworked('web', 'bridge');
  const again = Number(/:(\d+)$/.exec(await ok(['port', 'web', '80/tcp']))?.[1]);
  assert.equal((await fetchLocal(again)).trim(), 'hello-userns');
  // A berthd restart keeps it running and attached (the pinned netns outlives berthd).
  await d.stop();
  await d.restart();
  await assertNetworked('web', 'bridge');
  assert.equal((await fetchLocal(again)).trim(), 'hello-userns');
  const id = await ok(['inspect', '-f', '{{.Id}}', 'web']);
  await ok(['rm', '-f', 'web']);
  assert.equal(existsSync(join(d.execRoot, 'netns', id)), false);
});

test('user network: exec, embedded DNS from an exec, a port conflict fails before create', async () => {
  await ok(['network', 'create', net]);
  await ok(['run', '-d', '--name', 'una', '--network', net, 'busybox', 'sleep', '600']);
  await ok(['run', '-d', '--name', 'unb', '--network', net, 'busybox', 'sleep', '600']);
  await assertNetworked('unb', net);
  const gw = await ok(['network', 'inspect', '-f', '{{(index .IPAM.Config 0).Gateway}}', net]);
  assert.match(
    await ok(['exec', 'unb', 'cat', '/etc/resolv.conf']),
    new RegExp(`nameserver ${gw}`),
  );
  const ip = await ok(['inspect', '-f', `{{.NetworkSettings.Networks.${net}.IPAddress}}`, 'una']);
  assert.match(await ok(['exec', 'unb', 'nslookup', 'una', gw]), new RegExp(ip));
  // A few tries: the first packet to a just-started peer may meet an unresolved neighbour.
  await ok(['exec', 'unb', 'ping', '-c', '3', '-W', '2', 'una']);
  // Ports are checked before the runtime is asked for anything: nothing is left behind.
  await ok(['run', '-d', '--name', 'p1', '-p', '127.0.0.1::80', 'busybox', 'sleep', '600']);
  const busy = `${await ok(['port', 'p1', '80/tcp'])}:80`;
  const r = await docker(d, ['run', '-d', '--name', 'p2', '-p', busy, 'busybox', 'sleep', '600']);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /already allocated/);
  assert.equal(await ok(['inspect', '-f', '{{.State.Running}}', 'p2']), 'false');
  // A failure after `runc create` (the MAC is taken at attach) deletes the runtime container and
  // the pinned netns.
  const mac = ['--network', net, '--mac-address', '02:42:0a:0b:0c:0d', 'busybox', 'sleep', '600'];
  await ok(['run', '-d', '--name', 'm1', ...mac]);
  const m2 = await docker(d, ['run', '-d', '--name', 'm2', ...mac]);
  assert.notEqual(m2.code, 0);
  assert.match(m2.stderr, /02:42:0a:0b:0c:0d/i);
  const id = await ok(['inspect', '-f', '{{.Id}}', 'm2']);
  assert.equal(existsSync(join(d.execRoot, 'netns', id)), false);
  const st = await execFile('runc', ['--root', join(d.execRoot, 'runc'), 'state', id], {
    timeoutMs: 10_000,
  });
  assert.notEqual(st.code, 0, 'the runtime container was deleted');
  assert.match(await ok(['exec', 'm1', 'ip', '-o', 'link']), /02:42:0a:0b:0c:0d/);
  await ok(['rm', '-f', 'una', 'unb', 'p1', 'p2', 'm1', 'm2']);
  await ok(['network', 'rm', net]);
});

/** The inode of a process's user namespace (the join happened when two are equal). */
async function usernsOf(name: string): Promise<string> {
  const pid = await ok(['inspect', '-f', '{{.State.Pid}}', name]);
  return readlink(`/proc/${pid}/ns/user`);
}

test('--network container:<x> joins x user namespace too: exec, restart, nothing left', async () => {
  await ok(['run', '-d', '--name', 'jx', 'busybox', 'sleep', '300']);
  await ok(['run', '-d', '--name', 'jj', '--network', 'container:jx', 'busybox', 'sleep', '300']);
  const ip = await ok(['inspect', '-f', '{{.NetworkSettings.Networks.bridge.IPAddress}}', 'jx']);
  assert.match(ip, /^\d+\.\d+\.\d+\.\d+$/);
  const check = async (): Promise<void> => {
    assert.equal(await usernsOf('jj'), await usernsOf('jx'));
    assert.equal(await ok(['exec', 'jj', 'id', '-u']), '0');
    assert.match(await ok(['exec', 'jj', 'ip', '-o', 'addr']), new RegExp(`inet ${ip}/`));
    // The joined netns belongs to the joined user namespace: a real sysfs of it.
    assert.match(await ok(['exec', 'jj', 'ls', '/sys/class/net']), /\beth0\b/);
  };
  await check();
  await ok(['restart', '-t', '1', 'jj']);
  await check();
  // --pid container:<x> joins the same user namespace (pid and net donors agree).
  const pidJoin = ['--pid', 'container:jx', '--network', 'container:jx'];
  await ok(['run', '-d', '--name', 'jp', ...pidJoin, 'busybox', 'sleep', '300']);
  assert.equal(await usernsOf('jp'), await usernsOf('jx'));
  assert.match(await ok(['exec', 'jp', 'ps']), /sleep 300/);
  const ids = await Promise.all(['jx', 'jj', 'jp'].map((n) => ok(['inspect', '-f', '{{.Id}}', n])));
  await ok(['rm', '-f', 'jp', 'jj', 'jx']);
  assert.equal(await ok(['ps', '-aq', '--filter', 'name=^j[xjp]$']), '');
  const runc = await execFile('runc', ['--root', join(d.execRoot, 'runc'), 'list', '-q'], {
    timeoutMs: 10_000,
  });
  for (const id of ids) {
    assert.ok(!runc.stdout.includes(id), `runtime container ${id} is gone`);
    assert.equal(existsSync(join(d.execRoot, 'netns', id)), false);
  }
});

test('a remapped container may not join the namespaces of a --userns host one (400)', async () => {
  await ok(['run', '-d', '--name', 'hx', '--userns', 'host', 'busybox', 'sleep', '300']);
  const r = await docker(d, ['run', '-d', '--name', 'hj', '--network', 'container:hx', 'busybox']);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /without a user namespace \(--userns host\)/);
  await assert.rejects(
    d.client.containerStart('hj'),
    (e: unknown) => e instanceof ApiError && e.statusCode === 400,
  );
  // The reverse works: a --userns host container joins a remapped one's netns, exec included.
  await ok(['run', '-d', '--name', 'rx', 'busybox', 'sleep', '300']);
  const hostJoin = ['--userns', 'host', '--network', 'container:rx'];
  await ok(['run', '-d', '--name', 'rj', ...hostJoin, 'busybox', 'sleep', '300']);
  assert.equal(await ok(['exec', 'rj', 'id', '-u']), '0');
  await ok(['rm', '-f', 'hj', 'hx', 'rj', 'rx']);
});
