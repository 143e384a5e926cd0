import assert from 'node:assert/strict';
import { test } from 'node:test';
import { maskOfCapabilities } from '../../../oci/capabilities.js';
import type { HostLimits } from '../../../oci/host-limits.js';
import type { Process } from '../../../oci/types.js';
import { execProcess, type ExecProcessInput } from './process-spec.js';

const host: HostLimits = {
  capEff: maskOfCapabilities(['CAP_CHOWN', 'CAP_KILL', 'CAP_SYS_ADMIN', 'CAP_NET_ADMIN']),
  rlimits: new Map([['RLIMIT_NOFILE', { soft: 1024, hard: 4096 }]]),
};

const base: Process = {
  terminal: false,
  user: { uid: 0, gid: 0 },
  args: ['sleep', '100'],
  env: ['PATH=/bin', 'HOSTNAME=h'],
  cwd: '/',
  capabilities: { bounding: ['CAP_CHOWN'], effective: ['CAP_CHOWN'], permitted: ['CAP_CHOWN'] },
  rlimits: [{ type: 'RLIMIT_NOFILE', soft: 1024, hard: 4096 }],
  noNewPrivileges: true,
};

const input: ExecProcessInput = {
  args: ['id', '-u'],
  env: ['PATH=/bin', 'A=1'],
  cwd: '/tmp',
  user: { uid: 65534, gid: 65534, additionalGids: [] },
  tty: false,
  consoleSize: null,
  privileged: false,
};

test('replaces args, env, cwd, user and terminal; keeps caps, rlimits, noNewPrivileges', () => {
  const p = execProcess(base, input, host);
  assert.deepEqual(p.args, ['id', '-u']);
  assert.deepEqual(p.env, ['PATH=/bin', 'A=1']);
  assert.equal(p.cwd, '/tmp');
  assert.deepEqual(p.user, { uid: 65534, gid: 65534, additionalGids: [] });
  assert.equal(p.terminal, false);
  assert.deepEqual(p.capabilities?.effective, ['CAP_CHOWN']);
  assert.deepEqual(p.rlimits, base.rlimits);
  assert.equal(p.noNewPrivileges, true);
  assert.deepEqual(base.args, ['sleep', '100'], 'the base process is not modified');
});

test('a TTY gets the console size; without a TTY or with a zero size there is none', () => {
  assert.deepEqual(
    execProcess(base, { ...input, tty: true, consoleSize: [30, 100] }, host).consoleSize,
    { height: 30, width: 100 },
  );
  assert.equal(
    execProcess(base, { ...input, tty: true, consoleSize: [0, 0] }, host).consoleSize,
    undefined,
  );
  assert.equal(
    execProcess(base, { ...input, consoleSize: [30, 100] }, host).consoleSize,
    undefined,
  );
});

test('privileged: every capability the engine holds, in bounding, effective and permitted', () => {
  const p = execProcess(base, { ...input, privileged: true }, host);
  const want = ['CAP_CHOWN', 'CAP_KILL', 'CAP_NET_ADMIN', 'CAP_SYS_ADMIN'];
  assert.deepEqual(p.capabilities?.bounding, want);
  assert.deepEqual(p.capabilities?.effective, want);
  assert.deepEqual(p.capabilities?.permitted, want);
});

test('capabilities the engine lacks are dropped even when the container spec lists them', () => {
  const withResource: Process = {
    ...base,
    capabilities: { bounding: ['CAP_SYS_RESOURCE', 'CAP_KILL'], effective: ['CAP_KILL'] },
  };
  assert.deepEqual(execProcess(withResource, input, host).capabilities?.bounding, ['CAP_KILL']);
});
