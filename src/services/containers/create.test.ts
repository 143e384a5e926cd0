import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isKind } from '../../errors/index.js';
import { resolveConfig } from './create.js';
import type { ResolvedImage } from './deps.js';
import type { CreateContainerRequest } from './types.js';

/** An image like busybox: no entrypoint, Cmd ["sh"], PATH set. */
function image(config: Partial<ResolvedImage['config']> = {}): ResolvedImage {
  return {
    id: 'sha256:' + 'a'.repeat(64),
    layers: ['sha256:' + 'b'.repeat(64)],
    config: {
      env: ['PATH=/usr/bin:/bin'],
      cmd: ['sh'],
      entrypoint: [],
      workingDir: '',
      user: '',
      stopSignal: '',
      labels: {},
      ...config,
    },
  };
}

const req = (r: Partial<CreateContainerRequest> = {}): CreateContainerRequest => ({
  image: 'busybox',
  ...r,
});

function invalid(r: Partial<CreateContainerRequest>, img: ResolvedImage, message: string): void {
  assert.throws(
    () => resolveConfig(req(r), img),
    (e: unknown) => isKind(e, 'InvalidParameter') && (e as Error).message === message,
  );
}

const withEp = image({ entrypoint: ['/entry.sh', '--flag'], cmd: ['serve'] });

test('Cmd and Entrypoint: the image defaults apply when the user gives neither', () => {
  const c = resolveConfig(req(), withEp);
  assert.deepEqual([c.entrypoint, c.cmd], [['/entry.sh', '--flag'], ['serve']]);
});

test("Cmd and Entrypoint: a user Cmd replaces the image's and keeps its entrypoint", () => {
  const c = resolveConfig(req({ cmd: ['echo', 'hi'] }), withEp);
  assert.deepEqual(
    [c.entrypoint, c.cmd],
    [
      ['/entry.sh', '--flag'],
      ['echo', 'hi'],
    ],
  );
});

test("Cmd and Entrypoint: a user entrypoint resets the image's Cmd", () => {
  const c = resolveConfig(req({ entrypoint: ['/bin/true'] }), withEp);
  assert.deepEqual([c.entrypoint, c.cmd], [['/bin/true'], []]);
});

test('Cmd and Entrypoint: a user entrypoint and Cmd are both kept', () => {
  const c = resolveConfig(req({ entrypoint: ['env'], cmd: ['-i'] }), withEp);
  assert.deepEqual([c.entrypoint, c.cmd], [['env'], ['-i']]);
});

test('Cmd and Entrypoint: an empty Cmd list means "not given" (image Cmd), as in Docker', () => {
  const c = resolveConfig(req({ cmd: [] }), image());
  assert.deepEqual([c.entrypoint, c.cmd], [[], ['sh']]);
});

test('Cmd and Entrypoint: an empty entrypoint list clears the image entrypoint, keeps its Cmd', () => {
  const c = resolveConfig(req({ entrypoint: [] }), withEp);
  assert.deepEqual([c.entrypoint, c.cmd], [[], ['serve']]);
});

test('Cmd and Entrypoint: `--entrypoint ""` ([""]) means no entrypoint at all', () => {
  const c = resolveConfig(req({ entrypoint: [''], cmd: ['echo', 'hi'] }), withEp);
  assert.deepEqual([c.entrypoint, c.cmd], [[], ['echo', 'hi']]);
  invalid({ entrypoint: [''] }, withEp, 'No command specified');
});

test("Cmd and Entrypoint: nothing to run is Docker's 'No command specified'", () => {
  const bare = image({ cmd: [], entrypoint: [] });
  invalid({}, bare, 'No command specified');
  invalid({ cmd: [] }, bare, 'No command specified');
  invalid({ entrypoint: [], cmd: [] }, bare, 'No command specified');
});

test('Env: user values override the image by key, new keys are added', () => {
  const img = image({ env: ['PATH=/bin', 'A=1', 'B=2'] });
  const c = resolveConfig(req({ env: ['A=10', 'C=3'] }), img);
  assert.deepEqual(new Set(c.env), new Set(['PATH=/bin', 'B=2', 'A=10', 'C=3']));
  assert.equal(c.env.length, 4);
});

test('Env: a bare NAME unsets the image variable and is not stored', () => {
  const img = image({ env: ['PATH=/bin', 'SECRET=x'] });
  const c = resolveConfig(req({ env: ['SECRET', 'NOT_IN_IMAGE'] }), img);
  assert.deepEqual(c.env, ['PATH=/bin']);
});

test('Env: values may contain "=" and be empty; the key is what precedes the first "="', () => {
  const img = image({ env: ['A=old'] });
  const c = resolveConfig(req({ env: ['A=x=y', 'EMPTY='] }), img);
  assert.deepEqual(c.env, ['A=x=y', 'EMPTY=']);
});

test('Env: an empty entry or one without a name is refused', () => {
  invalid({ env: [''] }, image(), 'invalid environment variable: ');
  invalid({ env: ['=x'] }, image(), 'invalid environment variable: =x');
});

test('Labels: user labels override the image labels by key', () => {
  const img = image({ labels: { a: '1', b: '2' } });
  const c = resolveConfig(req({ labels: { b: 'user', c: '3' } }), img);
  assert.deepEqual(c.labels, { a: '1', b: 'user', c: '3' });
  assert.deepEqual(img.config.labels, { a: '1', b: '2' }, 'the image is not mutated');
});

test('Defaults: SIGTERM, 64 MiB /dev/shm, default network, no restart, nothing attached', () => {
  const c = resolveConfig(req(), image());
  assert.equal(c.stopSignal, 'SIGTERM');
  assert.equal(c.shmSize, 64 * 1024 * 1024);
  assert.equal(c.networkMode, 'default');
  assert.deepEqual(c.restartPolicy, { name: 'no', maximumRetryCount: 0 });
  assert.equal(c.stopTimeout, null);
  assert.equal(c.consoleSize, null);
  assert.equal(c.autoRemove, false);
  assert.equal(c.init, false);
  assert.equal(c.tty || c.openStdin || c.attachStdin || c.attachStdout, false);
  assert.deepEqual(c.layers, image().layers);
});

test('Defaults: the image stop signal, user and working dir apply unless the user sets them', () => {
  const img = image({ stopSignal: 'SIGQUIT', user: 'nobody', workingDir: '/srv' });
  const c = resolveConfig(req(), img);
  assert.deepEqual([c.stopSignal, c.user, c.workingDir], ['SIGQUIT', 'nobody', '/srv']);
  const u = resolveConfig(req({ stopSignal: 'SIGINT', user: '0', workingDir: '/tmp' }), img);
  assert.deepEqual([u.stopSignal, u.user, u.workingDir], ['SIGINT', '0', '/tmp']);
  const empty = resolveConfig(req({ stopSignal: '', user: '', workingDir: '' }), img);
  assert.deepEqual([empty.stopSignal, empty.user, empty.workingDir], ['SIGQUIT', 'nobody', '/srv']);
});

test('ShmSize: a given size is kept; 0 is the default; negative is refused', () => {
  assert.equal(resolveConfig(req({ shmSize: 1024 }), image()).shmSize, 1024);
  assert.equal(resolveConfig(req({ shmSize: 0 }), image()).shmSize, 64 * 1024 * 1024);
  invalid({ shmSize: -1 }, image(), 'SHM size can not be less than 0');
});

test('Network mode: the modes, container:<x> and network names are accepted; junk is refused', () => {
  for (const m of ['default', 'bridge', 'none', 'host', 'container:abc', 'mynet', 'HOST']) {
    assert.equal(resolveConfig(req({ networkMode: m }), image()).networkMode, m);
  }
  for (const m of ['host\n', ' bridge', 'container:', 'a b']) {
    invalid({ networkMode: m }, image(), `invalid network mode "${m}"`);
  }
});

test('AutoRemove conflicts with any restart policy but "no"', () => {
  const msg = "can't create 'AutoRemove' container with restart policy";
  for (const name of ['always', 'unless-stopped', 'on-failure']) {
    invalid({ autoRemove: true, restartPolicy: { name, maximumRetryCount: 0 } }, image(), msg);
  }
  const ok = resolveConfig(
    req({ autoRemove: true, restartPolicy: { name: 'no', maximumRetryCount: 0 } }),
    image(),
  );
  assert.equal(ok.autoRemove, true);
  assert.equal(resolveConfig(req({ autoRemove: true }), image()).autoRemove, true);
});

test("Restart policy: valid policies are kept, invalid ones get Docker's messages", () => {
  const rp = (name: string, maximumRetryCount = 0) => ({
    restartPolicy: { name, maximumRetryCount },
  });
  for (const name of ['no', 'always', 'unless-stopped', 'on-failure']) {
    assert.equal(resolveConfig(req(rp(name)), image()).restartPolicy.name, name);
  }
  assert.equal(resolveConfig(req(rp('on-failure', 3)), image()).restartPolicy.maximumRetryCount, 3);
  invalid(
    rp('sometimes'),
    image(),
    "invalid restart policy: unknown policy 'sometimes'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'",
  );
  invalid(
    rp('on-failure', -1),
    image(),
    'invalid restart policy: maximum retry count cannot be negative',
  );
  invalid(
    rp('always', 2),
    image(),
    "invalid restart policy: maximum retry count can only be used with 'on-failure'",
  );
});

test('Request values are carried over', () => {
  const c = resolveConfig(
    req({
      hostname: 'h',
      domainname: 'example.org',
      tty: true,
      openStdin: true,
      stdinOnce: true,
      attachStdin: true,
      attachStdout: true,
      attachStderr: true,
      stopTimeout: 3,
      consoleSize: [24, 80],
      init: true,
    }),
    image(),
  );
  assert.deepEqual(
    [c.hostname, c.domainname, c.tty, c.openStdin, c.stdinOnce, c.stopTimeout, c.consoleSize],
    ['h', 'example.org', true, true, true, 3, [24, 80]],
  );
  assert.deepEqual([c.attachStdin, c.attachStdout, c.attachStderr], [true, true, true]);
  assert.equal(c.init, true);
});
