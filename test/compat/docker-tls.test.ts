import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { execFile } from '../../src/lib/exec.js';
import { startTestDaemon, type TestDaemon } from '../helpers/test-daemon.js';
import { freePort, makeTestCerts, type TestCerts } from '../integration/access/certs.js';

// The unmodified docker CLI against berthd's TCP+TLS listener with client certificates.
let certs: TestCerts;
let d: TestDaemon;
let host: string;

before(async () => {
  certs = await makeTestCerts();
  host = `tcp://127.0.0.1:${await freePort()}`;
  d = await startTestDaemon({
    extraArgs: [
      '-H',
      host,
      '--tlsverify',
      '--tlscacert',
      certs.ca,
      '--tlscert',
      certs.serverCert,
      '--tlskey',
      certs.serverKey,
    ],
  });
});
after(async () => {
  await d?.cleanup();
  await certs?.cleanup();
});

/** docker with explicit TLS flags; `cert` picks the client identity (none, ours, a stranger's). */
function dockerTls(args: string[], who: 'client' | 'stranger' | 'none' = 'client', input?: string) {
  const identity =
    who === 'none'
      ? []
      : who === 'client'
        ? ['--tlscert', certs.clientCert, '--tlskey', certs.clientKey]
        : ['--tlscert', certs.strangerCert, '--tlskey', certs.strangerKey];
  return execFile(
    'docker',
    ['--tlsverify', '--tlscacert', certs.ca, ...identity, '-H', host, ...args],
    {
      timeoutMs: 60_000,
      // An empty cert dir: the CLI must not pick up a default client certificate from ~/.docker.
      env: {
        PATH: process.env['PATH'] ?? '',
        HOME: certs.dir,
        DOCKER_CONFIG: join(certs.dir, 'cfg'),
      },
      ...(input !== undefined ? { input } : {}),
    },
  );
}

test('docker --tlsverify: version and run --rm busybox echo hi', async () => {
  const v = await dockerTls(['version', '--format', '{{.Server.Platform.Name}}']);
  assert.equal(v.code, 0, v.stderr);
  assert.match(v.stdout, /^Berth Engine/);
  const r = await dockerTls(['run', '--rm', 'busybox', 'echo', 'hi']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'hi\n');
});

test('docker exec -i and run -i stream stdin over TLS', async () => {
  const up = await dockerTls(['run', '-d', '--name', 'tls-exec', 'busybox', 'sleep', '600']);
  assert.equal(up.code, 0, up.stderr);
  const ex = await dockerTls(['exec', '-i', 'tls-exec', 'tr', 'a-z', 'A-Z'], 'client', 'hello\n');
  assert.equal(ex.code, 0, ex.stderr);
  assert.equal(ex.stdout, 'HELLO\n');
  const run = await dockerTls(['run', '--rm', '-i', 'busybox', 'wc', '-c'], 'client', '12345\n');
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout.trim(), '6');
});

test('docker without a client certificate, or with one from another CA, is refused', async () => {
  const none = await dockerTls(['version', '--format', '{{.Server.Version}}'], 'none');
  assert.notEqual(none.code, 0);
  assert.equal(none.stdout.trim(), '');
  const stranger = await dockerTls(['version', '--format', '{{.Server.Version}}'], 'stranger');
  assert.notEqual(stranger.code, 0);
  assert.match(stranger.stderr, /certificate|tls|remote error/i);
});

test('docker over plain TCP to the TLS port fails', async () => {
  const r = await execFile('docker', ['-H', host, 'version', '--format', '{{.Server.Version}}'], {
    timeoutMs: 60_000,
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: certs.dir,
      DOCKER_CONFIG: join(certs.dir, 'cfg'),
    },
  });
  assert.notEqual(r.code, 0);
  assert.equal(r.stdout.trim(), '');
});
