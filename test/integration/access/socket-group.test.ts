import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import http from 'node:http';
import { execFile } from '../../../src/lib/exec.js';
import { startTestDaemon, type TestDaemon } from '../../helpers/test-daemon.js';
import { freePort } from './certs.js';

const group = `btg${randomBytes(3).toString('hex')}`;
let d: TestDaemon;
let port: number;

before(async () => {
  const g = await execFile('groupadd', ['--system', group], { timeoutMs: 30_000 });
  assert.equal(g.code, 0, g.stderr);
  port = await freePort();
  d = await startTestDaemon({
    extraArgs: ['-G', group, '--no-bootstrap', '-H', `tcp://127.0.0.1:${port}`, '--insecure-tcp'],
  });
});
after(async () => {
  await d?.cleanup();
  await execFile('groupdel', [group], { timeoutMs: 30_000 });
});

test('-G: the socket is root:<group>, mode 0660', async () => {
  const line = (await readFile('/etc/group', 'utf8'))
    .split('\n')
    .find((l) => l.startsWith(`${group}:`));
  const gid = Number(line?.split(':')[2]);
  const st = await stat(d.socket);
  assert.ok(st.isSocket());
  assert.equal(st.uid, 0);
  assert.equal(st.gid, gid);
  assert.equal(st.mode & 0o777, 0o660);
});

test('--insecure-tcp serves plain HTTP and warns loudly', async () => {
  const body = await new Promise<string>((done, fail) => {
    http
      .get({ host: '127.0.0.1', port, path: '/_ping' }, (res) => {
        let s = '';
        res.on('data', (b: Buffer) => (s += b.toString()));
        res.on('end', () => done(s));
      })
      .on('error', fail);
  });
  assert.equal(body, 'OK');
  assert.match(
    d.output(),
    /WARNING: serving the Engine API on tcp:\/\/127\.0\.0\.1:\d+ WITHOUT TLS/,
  );
});

test('-G with a group that does not exist stops berthd with a clear message', async () => {
  const { resolve } = await import('node:path');
  const { fileURLToPath } = await import('node:url');
  const berthd = resolve(fileURLToPath(import.meta.url), '../../../../bin/berthd.js');
  const r = await execFile(
    process.execPath,
    [
      berthd,
      '-G',
      `${group}-none`,
      '-H',
      `unix:///tmp/${group}/x.sock`,
      '--data-root',
      `/tmp/${group}/d`,
      '--exec-root',
      `/tmp/${group}/r`,
      '--no-bootstrap',
    ],
    { timeoutMs: 30_000 },
  );
  await execFile('rm', ['-rf', `/tmp/${group}`], { timeoutMs: 10_000 });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /group "btg\w+-none" for the API socket does not exist/);
});
