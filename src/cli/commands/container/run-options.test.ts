import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startFailureCode } from './run.js';
import { parseEnvFlag, runOptionsToCreateBody, withDefaultTag } from './run-options.js';

test('a plain run attaches stdout/stderr and sends only what was asked', () => {
  assert.deepEqual(runOptionsToCreateBody({ image: 'busybox', command: [] }), {
    Image: 'busybox',
    Tty: false,
    OpenStdin: false,
    StdinOnce: false,
    AttachStdin: false,
    AttachStdout: true,
    AttachStderr: true,
    HostConfig: {},
  });
});

test('every run flag lands in the create body', () => {
  const body = runOptionsToCreateBody(
    {
      image: 'busybox:1',
      command: ['sh', '-c', 'echo $FOO', '-x'],
      rm: true,
      env: ['FOO=bar', 'HOME', 'UNSET_VAR', 'EMPTY='],
      workdir: '/tmp',
      user: '1000:1000',
      entrypoint: '/bin/env',
      interactive: true,
      tty: true,
      network: 'none',
      consoleSize: [40, 120],
    },
    { HOME: '/root' },
  );
  assert.deepEqual(body, {
    Image: 'busybox:1',
    Cmd: ['sh', '-c', 'echo $FOO', '-x'],
    Entrypoint: ['/bin/env'],
    Env: ['FOO=bar', 'HOME=/root', 'UNSET_VAR', 'EMPTY='],
    WorkingDir: '/tmp',
    User: '1000:1000',
    Tty: true,
    OpenStdin: true,
    StdinOnce: true,
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    HostConfig: { AutoRemove: true, NetworkMode: 'none', ConsoleSize: [40, 120] },
  });
});

test('detached runs attach nothing; -i keeps stdin open but not once', () => {
  const body = runOptionsToCreateBody({ image: 'x', command: [], detach: true, interactive: true });
  assert.equal(body.AttachStdin, false);
  assert.equal(body.AttachStdout, false);
  assert.equal(body.AttachStderr, false);
  assert.equal(body.OpenStdin, true);
  assert.equal(body.StdinOnce, false);
});

test('an empty --entrypoint clears the image entrypoint; no terminal size without -t', () => {
  const body = runOptionsToCreateBody({
    image: 'x',
    command: [],
    entrypoint: '',
    consoleSize: [1, 2],
  });
  assert.deepEqual(body.Entrypoint, ['']);
  assert.deepEqual(body.HostConfig, {});
});

test('-e parsing: KEY=value kept, bare KEY from the environment, bad keys rejected', () => {
  assert.equal(parseEnvFlag('A=b=c', {}), 'A=b=c');
  assert.equal(parseEnvFlag('A', { A: 'x y' }), 'A=x y');
  assert.equal(parseEnvFlag('A', { A: '' }), 'A=');
  assert.equal(parseEnvFlag('A', {}), 'A');
  assert.throws(() => parseEnvFlag('=v', {}), /invalid environment variable: =v/);
  assert.throws(() => parseEnvFlag('', {}), /invalid environment variable/);
  assert.throws(() => runOptionsToCreateBody({ image: '', command: [] }), /image name/);
});

test('image names get :latest unless tagged or pinned', () => {
  assert.equal(withDefaultTag('busybox'), 'busybox:latest');
  assert.equal(withDefaultTag('localhost:5000/busybox'), 'localhost:5000/busybox:latest');
  assert.equal(withDefaultTag('busybox:1.36'), 'busybox:1.36');
  assert.equal(withDefaultTag('busybox@sha256:abc'), 'busybox@sha256:abc');
});

test('start failures map to 127 / 126 / 125 like docker', () => {
  assert.equal(startFailureCode('exec: "nope": executable file not found in $PATH'), 127);
  assert.equal(startFailureCode('exec /bin/x: no such file or directory'), 127);
  assert.equal(startFailureCode('exec /etc/passwd: permission denied'), 126);
  assert.equal(startFailureCode('cgroup setup failed'), 125);
});

test('--log-driver and --log-opt become HostConfig.LogConfig', () => {
  const body = runOptionsToCreateBody({
    image: 'busybox',
    command: [],
    logDriver: 'local',
    logOpt: ['max-size=1m', 'max-file=3'],
  });
  assert.deepEqual(body.HostConfig?.LogConfig, {
    Type: 'local',
    Config: { 'max-size': '1m', 'max-file': '3' },
  });
  const optsOnly = runOptionsToCreateBody({ image: 'b', command: [], logOpt: ['max-size=1k'] });
  assert.deepEqual(optsOnly.HostConfig?.LogConfig, { Config: { 'max-size': '1k' } });
  assert.equal(
    runOptionsToCreateBody({ image: 'b', command: [] }).HostConfig?.LogConfig,
    undefined,
  );
  assert.throws(
    () => runOptionsToCreateBody({ image: 'b', command: [], logOpt: ['=x'] }),
    /invalid key value pair format in log options: =x/,
  );
});
