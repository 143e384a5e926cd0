import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmdirSync,
  rmSync,
} from 'node:fs';
import { symlinkSync, writeFileSync } from 'node:fs';
import { release } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { execFile } from '../lib/exec.js';
import { dockerDefaultSpec, type DockerSpecInput } from './docker-defaults.js';
import { bindMount } from './options/mounts.js';
import { readHostLimits } from './read-host-limits.js';

/*
 * The spec builder against the real runtime: a busybox rootfs run by runc 1.1.5 with
 * dockerDefaultSpec's config.json must get Docker's caps and seccomp, a private empty netns,
 * and (P1) must start even when asking for what this host's root does not have.
 */

const skip =
  process.getuid?.() !== 0 || !existsSync('/usr/sbin/runc') ? 'needs root and runc' : false;
const tag = randomBytes(4).toString('hex');
const cgroupParent = `/berth-test-oci-${tag}`;
const ids: string[] = [];
let dir = '';

before(() => {
  if (skip !== false) return;
  dir = mkdtempSync('/tmp/berth-test-');
  const bin = join(dir, 'rootfs', 'bin');
  mkdirSync(bin, { recursive: true });
  copyFileSync('/bin/busybox', join(bin, 'busybox'));
  for (const applet of ['sh', 'echo', 'cat', 'id', 'grep', 'unshare', 'true']) {
    symlinkSync('busybox', join(bin, applet));
  }
  writeFileSync(join(dir, 'hosts'), '127.0.0.1 localhost berth-smoke\n');
});

after(async () => {
  if (dir === '') return;
  for (const id of ids) {
    await execFile('runc', ['--root', join(dir, 'runc'), 'delete', '-f', id], {
      timeoutMs: 10_000,
    });
  }
  // runc delete removes <hierarchy>/<parent>/<id> but never the parent (LOWLEVEL §4).
  const failures: unknown[] = [];
  for (const hierarchy of readdirSync('/sys/fs/cgroup')) {
    for (const p of [...ids.map((id) => `${cgroupParent}/${id}`), cgroupParent]) {
      const path = join('/sys/fs/cgroup', hierarchy, p);
      try {
        if (existsSync(path)) rmdirSync(path);
      } catch (err) {
        failures.push(err);
      }
    }
  }
  rmSync(dir, { recursive: true, force: true });
  assert.deepEqual(failures, [], 'cgroup cleanup');
});

function kernel(): { major: number; minor: number } {
  const [major = 0, minor = 0] = release()
    .split('.')
    .map((s) => parseInt(s, 10));
  return { major, minor };
}

/** Writes config.json for `args` into a fresh bundle and runs it to completion with runc. */
async function runContainer(args: string[], extra: Partial<DockerSpecInput> = {}) {
  const id = `berth-smoke-${tag}-${ids.length}`;
  const bundle = join(dir, id);
  mkdirSync(bundle);
  const spec = dockerDefaultSpec({
    id,
    rootfs: join(dir, 'rootfs'),
    args,
    env: [],
    cwd: '/',
    user: { uid: 0, gid: 0, additionalGids: [0] },
    hostname: 'smoke',
    tty: false,
    cgroupParent,
    networkNamespace: 'none-new',
    mounts: [bindMount(join(dir, 'hosts'), '/etc/hosts', { readonly: true })],
    shmSize: 64 * 1024 * 1024,
    hostLimits: readHostLimits(),
    kernel: kernel(),
    ...extra,
  });
  writeFileSync(join(bundle, 'config.json'), JSON.stringify(spec));
  ids.push(id);
  return execFile('runc', ['--root', join(dir, 'runc'), 'run', '--bundle', bundle, id], {
    timeoutMs: 20_000,
  });
}

test(
  'runc runs the default spec with Docker caps, seccomp and an empty netns',
  { skip },
  async () => {
    const script = [
      'grep -E "^(CapEff|Seccomp):" /proc/self/status',
      'if unshare -n true; then echo unshare=allowed; else echo unshare=denied; fi',
      'echo "netdevs=$(grep -c : /proc/net/dev)"',
      'echo "hostname=$(cat /proc/sys/kernel/hostname)"',
      'cat /etc/hosts',
    ].join('; ');
    const r = await runContainer(['sh', '-c', script]);
    assert.equal(r.code, 0, r.stderr);
    const out = r.stdout;
    assert.match(out, /^CapEff:\s+00000000a80425fb$/m);
    assert.match(out, /^Seccomp:\s+2$/m);
    assert.match(out, /^unshare=denied$/m);
    assert.match(r.stderr, /unshare.*Operation not permitted/);
    assert.match(out, /^netdevs=1$/m); // only lo
    assert.match(out, /^hostname=smoke$/m);
    assert.match(out, /berth-smoke/);
  },
);

test('P1: asking for CAP_SYS_RESOURCE and a huge NOFILE still starts', { skip }, async () => {
  const host = readHostLimits();
  const r = await runContainer(['sh', '-c', 'ulimit -n; grep "^CapEff:" /proc/self/status'], {
    capAdd: ['SYS_RESOURCE'],
    rlimits: [{ type: 'RLIMIT_NOFILE', soft: 1048576, hard: 1048576 }],
  });
  assert.equal(r.code, 0, r.stderr);
  const nofile = host.rlimits.get('RLIMIT_NOFILE')?.hard ?? Infinity;
  assert.match(r.stdout, new RegExp(`^${nofile === Infinity ? 1048576 : nofile}$`, 'm'));
  const capEff = BigInt(`0x${/^CapEff:\s+([0-9a-f]+)$/m.exec(r.stdout)?.[1] ?? '0'}`);
  const sysResource = 1n << 24n;
  assert.equal((capEff & sysResource) !== 0n, (host.capEff & sysResource) !== 0n);
});
