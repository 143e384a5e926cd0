import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { capabilitiesInMask, CAPABILITY_NAMES, maskOfCapabilities } from './capabilities.js';
import { clampToHost, parseCapEff, parseProcLimits, type HostLimits } from './host-limits.js';
import { readHostLimits } from './read-host-limits.js';
import { buildSpec, withCapabilities, withRlimits } from './spec-options.js';

// This machine's root: CapEff 000001fffeffffff, i.e. every capability but CAP_SYS_RESOURCE (P1).
const HOST: HostLimits = {
  capEff: 0x000001fffeffffffn,
  rlimits: new Map([
    ['RLIMIT_NOFILE', { soft: 20000, hard: 20000 }],
    ['RLIMIT_NPROC', { soft: 96365, hard: 96365 }],
    ['RLIMIT_CORE', { soft: 0, hard: Infinity }],
  ]),
};

test('clampToHost drops CAP_SYS_RESOURCE from every set and clamps rlimits', () => {
  const spec = buildSpec(
    withCapabilities(['CAP_CHOWN', 'CAP_SYS_RESOURCE', 'CAP_SYS_ADMIN']),
    withRlimits([
      { type: 'RLIMIT_NOFILE', soft: 1048576, hard: 1048576 },
      { type: 'RLIMIT_NPROC', soft: 1024, hard: 1048576 },
      { type: 'RLIMIT_CORE', soft: 0, hard: 1 << 30 },
      { type: 'RLIMIT_MSGQUEUE', soft: 10, hard: 10 },
    ]),
  );
  const caps0 = spec.process?.capabilities;
  if (caps0 !== undefined) caps0.ambient = ['CAP_SYS_RESOURCE'];
  const before = structuredClone(spec);
  const out = clampToHost(spec, HOST);
  assert.deepEqual(spec, before, 'input is not modified');
  const caps = out.process?.capabilities;
  for (const set of [caps?.bounding, caps?.effective, caps?.permitted]) {
    assert.deepEqual(set, ['CAP_CHOWN', 'CAP_SYS_ADMIN']);
  }
  assert.deepEqual(caps?.ambient, []);
  assert.deepEqual(out.process?.rlimits, [
    { type: 'RLIMIT_NOFILE', soft: 20000, hard: 20000 },
    { type: 'RLIMIT_NPROC', soft: 1024, hard: 96365 },
    { type: 'RLIMIT_CORE', soft: 0, hard: 1 << 30 }, // unlimited host hard limit: unchanged
    { type: 'RLIMIT_MSGQUEUE', soft: 10, hard: 10 }, // unknown to the host: unchanged
  ]);
});

test('clampToHost leaves a spec without process alone', () => {
  assert.deepEqual(clampToHost({ ociVersion: '1.0.2-dev' }, HOST), { ociVersion: '1.0.2-dev' });
});

test('parseProcLimits reads the kernel format, unlimited as Infinity', () => {
  const text = [
    'Limit                     Soft Limit           Hard Limit           Units     ',
    'Max cpu time              unlimited            unlimited            seconds   ',
    'Max core file size        0                    unlimited            bytes     ',
    'Max processes             96365                96365                processes ',
    'Max open files            20000                20000                files     ',
    'Max nice priority         0                    0                    ',
    'garbage',
  ].join('\n');
  const m = parseProcLimits(text);
  assert.deepEqual(m.get('RLIMIT_CPU'), { soft: Infinity, hard: Infinity });
  assert.deepEqual(m.get('RLIMIT_CORE'), { soft: 0, hard: Infinity });
  assert.deepEqual(m.get('RLIMIT_NPROC'), { soft: 96365, hard: 96365 });
  assert.deepEqual(m.get('RLIMIT_NOFILE'), { soft: 20000, hard: 20000 });
  assert.deepEqual(m.get('RLIMIT_NICE'), { soft: 0, hard: 0 });
  assert.equal(m.size, 5);
});

test('parseCapEff reads the hex mask', () => {
  const mask = parseCapEff('Name:\tx\nCapPrm:\t0000000000000001\nCapEff:\t000001fffeffffff\n');
  assert.equal(mask, 0x1fffeffffffn);
  assert.ok(!capabilitiesInMask(mask).includes('CAP_SYS_RESOURCE'));
  assert.throws(() => parseCapEff('Name:\tx\n'));
});

test('readHostLimits agrees with /proc/self on this machine', () => {
  const host = readHostLimits();
  const status = readFileSync('/proc/self/status', 'utf8');
  assert.equal(host.capEff, parseCapEff(status));
  assert.equal(host.rlimits.size, 16);
  const nofile = host.rlimits.get('RLIMIT_NOFILE');
  assert.ok(nofile !== undefined && nofile.hard >= nofile.soft);
  // Whatever this host lacks, clamping with it never leaves a capability it does not hold.
  const all = buildSpec(withCapabilities(CAPABILITY_NAMES));
  const kept = clampToHost(all, host).process?.capabilities?.effective ?? [];
  assert.equal(maskOfCapabilities(kept), host.capEff & maskOfCapabilities(CAPABILITY_NAMES));
});
