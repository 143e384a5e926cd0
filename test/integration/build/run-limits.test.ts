import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { docker, startTestDaemon, type TestDaemon } from '../../helpers/test-daemon.js';

// `docker build --memory/--cpuset-cpus/--cgroup-parent/--ulimit/--security-opt` reach the RUN
// containers (they were once accepted and dropped); bad values fail before any step runs.
let d: TestDaemon;
let dir: string;
before(async () => {
  d = await startTestDaemon();
  dir = await mkdtemp('/tmp/brl-');
});
after(async () => {
  await d.cleanup();
  await rm(dir, { recursive: true, force: true });
});

async function dockerBuild(dockerfile: string, args: string[]) {
  await writeFile(join(dir, 'Dockerfile'), dockerfile);
  return docker(d, ['build', '--no-cache', ...args, dir], {
    timeoutMs: 120_000,
    env: { DOCKER_BUILDKIT: '0' },
  });
}

const v1 = existsSync('/sys/fs/cgroup/memory/memory.limit_in_bytes');

test('limits, ulimits and security options apply to RUN', async () => {
  const parent = `${d.cgroupParent}/build`; // removed with the daemon's own parent
  const probe = [
    'ulimit -n',
    'grep Seccomp: /proc/self/status',
    v1 ? 'cat /sys/fs/cgroup/memory/memory.limit_in_bytes' : 'cat /sys/fs/cgroup/memory.max',
    'cat /proc/self/cgroup',
  ].join('; ');
  const r = await dockerBuild(`FROM busybox\nRUN ${probe}\n`, [
    '--memory',
    '64m',
    '--ulimit',
    'nofile=1024:1024',
    '--security-opt',
    'seccomp=unconfined',
    '--cgroup-parent',
    parent,
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^1024$/m);
  assert.match(r.stdout, /^Seccomp:\s+0$/m);
  assert.match(r.stdout, /^67108864$/m);
  assert.ok(r.stdout.includes(`${parent}/`), 'RUN ran under the --cgroup-parent');
});

test("bad limits and other isolations are refused before any step (Docker's messages)", async () => {
  const cases: [string[], RegExp][] = [
    [['--memory', '1k'], /Minimum memory limit allowed is 6MB/],
    [['--cpuset-cpus', '99'], /Requested CPUs are not available - requested 99/],
    [['--isolation', 'hyperv'], /invalid isolation 'hyperv' on linux/],
    [
      ['--ulimit', 'nofile=2048:1024'],
      /ulimit soft limit must be less than or equal to hard limit/,
    ],
  ];
  for (const [args, message] of cases) {
    const r = await dockerBuild('FROM busybox\nRUN echo ran-a-step\n', args);
    assert.notEqual(r.code, 0, args.join(' '));
    assert.match(r.stderr, message);
    assert.doesNotMatch(r.stdout, /ran-a-step|Step 1/);
  }
});
