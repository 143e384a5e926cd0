import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { isKind } from '../../errors/index.js';
import { execFile } from '../../lib/exec.js';
import { addChain, runPlugin } from './cni-plugin.js';

const inv = {
  containerId: 'c1',
  netns: '/nonexistent/netns',
  ifName: 'eth0',
  cniPath: '/usr/lib/cni',
};

test('a CNI error object becomes a BerthError with the plugin message', async (t) => {
  // The bridge plugin creates its bridge before it looks at the netns: remove it afterwards.
  const bridge = `bn${randomBytes(3).toString('hex')}`;
  t.after(() => execFile('ip', ['link', 'del', bridge], { timeoutMs: 10_000 }));
  const conf = { cniVersion: '1.0.0', name: 'x', type: 'bridge', bridge };
  await assert.rejects(runPlugin(conf, { ...inv, command: 'ADD' }), (e) => {
    assert.ok(isKind(e, 'System'));
    assert.match((e as Error).message, /^CNI plugin bridge ADD failed: .*netns/);
    return true;
  });
  // DEL of something that never existed is a success with no output
  assert.deepEqual(await runPlugin(conf, { ...inv, command: 'DEL' }), {});
});

test('timeouts, missing plugins and garbage output are classified; a chain rolls back', async (t) => {
  const dir = await mkdtemp('/tmp/bncni-');
  t.after(() => rm(dir, { recursive: true, force: true }));
  const log = join(dir, 'log');
  const script = (body: string) =>
    `#!/bin/sh\necho "$CNI_COMMAND $(basename $0)" >> ${log}\n${body}\n`;
  await writeFile(join(dir, 'slow'), script('exec sleep 5'));
  await writeFile(join(dir, 'junk'), script('echo not-json'));
  await writeFile(
    join(dir, 'ok'),
    script('cat >/dev/null; echo \'{"cniVersion":"1.0.0","ips":[]}\''),
  );
  for (const f of ['slow', 'junk', 'ok']) await chmod(join(dir, f), 0o755);
  const c = (type: string) => ({ cniVersion: '1.0.0', name: 'x', type });
  const here = { ...inv, cniPath: dir };
  await assert.rejects(
    runPlugin(c('slow'), { ...here, command: 'ADD', timeoutMs: 200 }),
    (e) => isKind(e, 'System') && /timed out after 200 ms/.test((e as Error).message),
  );
  await assert.rejects(runPlugin(c('absent'), { ...here, command: 'ADD' }), (e) =>
    isKind(e, 'System'),
  );
  await assert.rejects(
    runPlugin(c('junk'), { ...here, command: 'ADD' }),
    (e) => isKind(e, 'System') && /junk ADD failed/.test((e as Error).message),
  );
  await writeFile(log, '');
  await assert.rejects(addChain([c('ok'), c('junk')], here), (e) => isKind(e, 'System'));
  assert.deepEqual((await readFile(log, 'utf8')).trim().split('\n'), [
    'ADD ok',
    'ADD junk',
    'DEL ok',
  ]);
});
