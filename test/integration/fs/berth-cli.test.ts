import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, readlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execFile } from '../../../src/lib/exec.js';
import {
  berth,
  berthCli,
  docker,
  startTestDaemon,
  type TestDaemon,
} from '../../helpers/test-daemon.js';

let d: TestDaemon;
let dir: string;
before(async () => {
  d = await startTestDaemon();
  dir = join(d.dataRoot, '..', 'bcli');
  await mkdir(join(dir, 'tree/sub'), { recursive: true });
  await writeFile(join(dir, 'tree/sub/f'), 'leaf');
  await writeFile(join(dir, 'one'), 'single');
  ok(
    await docker(d, [
      'run',
      '-d',
      '--name',
      'bc',
      'busybox',
      'sh',
      '-c',
      'mkdir -p /data/d && echo in-ctr > /data/d/x && ln -s /data/d/x /data/l && touch /ready && exec sleep 300',
    ]),
  );
  for (
    let i = 0;
    i < 200 && (await docker(d, ['exec', 'bc', 'test', '-e', '/ready'])).code !== 0;
    i++
  )
    await new Promise((res) => setTimeout(res, 50));
});
after(async () => {
  await d.cleanup();
});

const ok = (r: { code: number | null; stderr: string }) => assert.equal(r.code, 0, r.stderr);
const cat = async (path: string): Promise<string> => {
  const r = await docker(d, ['exec', 'bc', 'cat', path]);
  ok(r);
  return r.stdout;
};

test('berth cp into a container: file into a dir, renamed, a tree, contents', async () => {
  ok(await berth(d, ['cp', join(dir, 'one'), 'bc:/tmp/']));
  ok(await berth(d, ['cp', join(dir, 'one'), 'bc:/tmp/renamed']));
  ok(await berth(d, ['cp', join(dir, 'tree'), 'bc:/tmp/']));
  ok(await berth(d, ['cp', join(dir, 'tree'), 'bc:/tmp/newtree']));
  ok(await berth(d, ['cp', `${join(dir, 'tree')}/.`, 'bc:/data/d']));
  assert.equal(await cat('/tmp/one'), 'single');
  assert.equal(await cat('/tmp/renamed'), 'single');
  assert.equal(await cat('/tmp/tree/sub/f'), 'leaf');
  assert.equal(await cat('/tmp/newtree/sub/f'), 'leaf');
  assert.equal(await cat('/data/d/sub/f'), 'leaf');
  const bad = await berth(d, ['cp', join(dir, 'one'), 'bc:/nope/x/']);
  assert.notEqual(bad.code, 0);
});

test('berth cp out of a container: a file, a dir, -L, and a tar on stdout', async () => {
  ok(await berth(d, ['cp', 'bc:/data/d/x', join(dir, 'x-out')]));
  assert.equal(await readFile(join(dir, 'x-out'), 'utf8'), 'in-ctr\n');
  ok(await berth(d, ['cp', 'bc:/data', join(dir, 'data-out')]));
  assert.equal(await readFile(join(dir, 'data-out/d/x'), 'utf8'), 'in-ctr\n');
  assert.equal(await readlink(join(dir, 'data-out/l')), '/data/d/x');
  ok(await berth(d, ['cp', '-L', 'bc:/data/l', join(dir, 'followed')]));
  assert.equal(await readFile(join(dir, 'followed'), 'utf8'), 'in-ctr\n');
  const list = await execFile(
    'sh',
    ['-c', `"${process.execPath}" "${berthCli}" -H "${d.host}" cp bc:/data/d - | tar -t`],
    { timeoutMs: 60_000 },
  );
  ok(list);
  assert.equal(list.stdout.split('\n').includes('d/x'), true, list.stdout);
  const missing = await berth(d, ['cp', 'bc:/nope', join(dir, 'n')]);
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /Could not find the file \/nope in container bc/);
});

test('berth diff, ps -s and system df', async () => {
  const diff = await berth(d, ['diff', 'bc']);
  ok(diff);
  assert.match(diff.stdout, /^A \/data\/d\/x$/m);
  assert.match(diff.stdout, /^C \/tmp$/m);
  const ps = await berth(d, ['ps', '-s']);
  ok(ps);
  assert.match(ps.stdout.split('\n')[0] ?? '', /NAMES\s+SIZE$/);
  assert.match(ps.stdout, /bc\s+\d+(\.\d+)?[kM]?B \(virtual \d+(\.\d+)?MB\)/);
  const df = await berth(d, ['system', 'df']);
  ok(df);
  assert.match(df.stdout, /^TYPE\s+TOTAL\s+ACTIVE\s+SIZE\s+RECLAIMABLE$/m);
  assert.match(df.stdout, /^Containers\s+1\s+1\s+/m);
  const v = await berth(d, ['system', 'df', '-v']);
  ok(v);
  assert.match(v.stdout, /^busybox\s+latest\s+/m);
  assert.match(v.stdout, /Containers space usage:/);
});
