import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { parseSubIdFile } from '../../../src/daemon/userns/subid.js';
import { execFile } from '../../../src/lib/exec.js';
import { docker, startTestDaemon, type TestDaemon } from '../../helpers/test-daemon.js';

// One guarded run of `--userns-remap default` on the real /etc: only where this machine has no
// `berth` user and no berth subordinate ranges, and everything it creates is removed after.
const accounts = async (file: string): Promise<string[]> =>
  (await readFile(file, 'utf8').catch(() => ''))
    .split('\n')
    .map((l) => l.split(':')[0] ?? '')
    .filter((n) => n !== '');

let skip: string | false = false;
let groupExisted = false;
let d: TestDaemon | undefined;

before(async () => {
  const users = await accounts('/etc/passwd');
  const subs = [...(await accounts('/etc/subuid')), ...(await accounts('/etc/subgid'))];
  if (users.includes('berth') || subs.includes('berth')) {
    skip = 'this machine already has a berth user or berth subordinate ids';
    return;
  }
  groupExisted = (await accounts('/etc/group')).includes('berth');
  d = await startTestDaemon({ extraArgs: ['--userns-remap', 'default'] });
});

async function dropLines(file: string): Promise<void> {
  const text = await readFile(file, 'utf8').catch(() => '');
  await writeFile(
    file,
    text
      .split('\n')
      .filter((l) => !l.startsWith('berth:'))
      .join('\n'),
  );
}

after(async () => {
  if (skip !== false) return;
  await d?.cleanup();
  await execFile('userdel', ['berth'], { timeoutMs: 30_000 });
  if (!groupExisted) await execFile('groupdel', ['berth'], { timeoutMs: 30_000 });
  await dropLines('/etc/subuid');
  await dropLines('/etc/subgid');
});

test('default creates the berth user and a 65536-id range, and containers run remapped', async (t) => {
  if (skip !== false || d === undefined) return t.skip(String(skip));
  assert.ok((await accounts('/etc/passwd')).includes('berth'));
  const range = parseSubIdFile(await readFile('/etc/subuid', 'utf8')).get('berth');
  assert.equal(range?.length, 1);
  assert.equal(range?.[0]?.count, 65536);
  assert.ok((range?.[0]?.start ?? 0) >= 100000);
  const map = await docker(d, ['run', '--rm', 'busybox', 'cat', '/proc/self/uid_map']);
  assert.equal(map.code, 0, map.stderr);
  assert.deepEqual(map.stdout.trim().split(/\s+/), ['0', String(range?.[0]?.start), '65536']);
  assert.match(d.output(), /created system user berth/);
});
