import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Container, ContainerConfig } from '../../../services/containers/types.js';
import { statusText, toInspect, toSummary } from './view-mapper.js';

const now = Date.parse('2024-05-01T12:00:00Z');
const ago = (ms: number): string => new Date(now - ms).toISOString();
const sec = 1000;
const min = 60 * sec;

/** A container with a busybox-like config; `state` and `config` override parts. */
function container(
  state: Partial<Container['state']> = {},
  config: Partial<ContainerConfig> = {},
): Container {
  return {
    id: '0123456789ab' + 'c'.repeat(52),
    name: 'web',
    imageId: 'sha256:' + 'a'.repeat(64),
    imageRef: 'busybox',
    createdAt: ago(10 * min),
    config: {
      entrypoint: [],
      cmd: ['sh'],
      env: ['PATH=/bin'],
      workingDir: '',
      user: '',
      hostname: '',
      domainname: '',
      labels: { a: 'b' },
      tty: false,
      openStdin: false,
      stdinOnce: false,
      attachStdin: false,
      attachStdout: true,
      attachStderr: true,
      stopSignal: 'SIGTERM',
      stopTimeout: null,
      autoRemove: false,
      init: false,
      networkMode: 'default',
      restartPolicy: { name: 'no', maximumRetryCount: 0 },
      shmSize: 64 * 1024 * 1024,
      consoleSize: null,
      layers: [],
      ...config,
    },
    state: {
      status: 'created',
      pid: 0,
      exitCode: 0,
      error: '',
      oomKilled: false,
      startedAt: null,
      finishedAt: null,
      restartCount: 0,
      ...state,
    },
    paths: { logPath: '/l', hostnamePath: '/h', hostsPath: '/hs', resolvConfPath: '/r' },
  };
}

test('statusText: created, removing and dead', () => {
  assert.equal(statusText(container(), now), 'Created');
  assert.equal(statusText(container({ status: 'removing' }), now), 'Removal In Progress');
  assert.equal(statusText(container({ status: 'dead' }), now), 'Dead');
});

test('statusText: running and paused count from the start time', () => {
  const running = container({ status: 'running', startedAt: ago(5 * sec) });
  assert.equal(statusText(running, now), 'Up 5 seconds');
  const paused = container({ status: 'paused', startedAt: ago(2 * min) });
  assert.equal(statusText(paused, now), 'Up 2 minutes (Paused)');
  const long = container({ status: 'running', startedAt: ago(90 * min) });
  assert.equal(statusText(long, now), 'Up 2 hours');
});

test('statusText: a start time in the future (clock skew) reads as less than a second', () => {
  const skewed = container({ status: 'running', startedAt: ago(-30 * sec) });
  assert.equal(statusText(skewed, now), 'Up Less than a second');
});

test('statusText: exited shows the code and how long ago', () => {
  const ok = container({ status: 'exited', startedAt: ago(5 * min), finishedAt: ago(3 * min) });
  assert.equal(statusText(ok, now), 'Exited (0) 3 minutes ago');
  const killed = container({
    status: 'exited',
    exitCode: 137,
    startedAt: ago(2 * min),
    finishedAt: ago(1 * sec),
  });
  assert.equal(statusText(killed, now), 'Exited (137) 1 second ago');
});

test('statusText: restarting shows the last exit code and how long ago', () => {
  const r = container({ status: 'restarting', exitCode: 1, finishedAt: ago(2 * sec) });
  assert.equal(statusText(r, now), 'Restarting (1) 2 seconds ago');
});

test("toSummary's Command quotes arguments with spaces as Docker does", () => {
  const cmd = (entrypoint: string[], cmd: string[]): string =>
    toSummary(container({}, { entrypoint, cmd })).Command ?? '';
  assert.equal(cmd([], ['sh', '-c', 'echo hi']), "sh -c 'echo hi'");
  assert.equal(cmd(['/entry.sh', '--flag'], ['serve']), '/entry.sh --flag serve');
  assert.equal(cmd([], ['sh']), 'sh');
  // Docker never quotes the path itself, nor arguments without a space.
  assert.equal(cmd(['/my app/run'], ['a\tb', "it's"]), "/my app/run a\tb it's");
  assert.equal(cmd([], ['echo', '']), 'echo ');
  assert.equal(cmd([], []), '');
});

test('toSummary: names, image, times, state and network', () => {
  const c = container({ status: 'running', startedAt: ago(5 * sec) }, { networkMode: 'default' });
  const s = toSummary(c);
  assert.deepEqual(s.Names, ['/web']);
  assert.equal(s.Id, c.id);
  assert.equal(s.Image, 'busybox');
  assert.equal(s.ImageID, c.imageId);
  assert.equal(s.Created, Math.floor(Date.parse(c.createdAt) / 1000));
  assert.equal(s.State, 'running');
  assert.match(s.Status ?? '', /^Up /);
  assert.deepEqual(s.Labels, { a: 'b' });
  assert.deepEqual(s.HostConfig, { NetworkMode: 'bridge' });
  assert.equal(toSummary(container({}, { networkMode: 'host' })).HostConfig?.NetworkMode, 'host');
});

test('toInspect: Path and Args split the command; zero times for a fresh container', () => {
  const i = toInspect(container({}, { entrypoint: ['/e'], cmd: ['a', 'b c'] }), {});
  assert.equal(i.Path, '/e');
  assert.deepEqual(i.Args, ['a', 'b c']);
  assert.equal(i.Name, '/web');
  assert.equal(i.State?.StartedAt, '0001-01-01T00:00:00Z');
  assert.equal(i.State?.FinishedAt, '0001-01-01T00:00:00Z');
  assert.equal(i.Config?.Hostname, '0123456789ab', 'the hostname defaults to the short id');
  assert.equal(i.HostConfig?.NetworkMode, 'bridge');
});

test('toInspect: running, paused and restarting flags', () => {
  const flags = (status: Container['state']['status']) => {
    const s = toInspect(container({ status }), {}).State;
    return [s?.Running, s?.Paused, s?.Restarting, s?.Dead];
  };
  assert.deepEqual(flags('running'), [true, false, false, false]);
  assert.deepEqual(flags('paused'), [true, true, false, false]);
  assert.deepEqual(flags('restarting'), [true, false, true, false]);
  assert.deepEqual(flags('exited'), [false, false, false, false]);
  assert.deepEqual(flags('dead'), [false, false, false, true]);
});
