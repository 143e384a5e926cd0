import assert from 'node:assert/strict';
import { docker, type TestDaemon } from '../../helpers/test-daemon.js';

/** A docker CLI result. */
export type Run = { code: number | null; stdout: string; stderr: string };

/** Fails the test unless the docker command succeeded; returns its result. */
export const ok = (r: Run): Run => (assert.equal(r.code, 0, r.stderr), r);

/** `docker run -d` of a shell script that touches /ready last; waits until it has. */
export async function runScript(
  d: TestDaemon,
  name: string,
  flags: string[],
  script: string,
): Promise<void> {
  const run = ['run', '-d', '--name', name, ...flags, 'busybox', 'sh', '-c'];
  ok(await docker(d, [...run, `${script}; touch /ready; exec sleep 300`]));
  for (let i = 0; i < 200; i++) {
    if ((await docker(d, ['exec', name, 'test', '-e', '/ready'])).code === 0) return;
    await new Promise((res) => setTimeout(res, 50));
  }
  assert.fail('setup script did not finish');
}
