import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BerthClient, resolveEndpoint } from '../../../src/client/index.js';
import { execFile } from '../../../src/lib/exec.js';
import { berthCli, startTestDaemon, type TestDaemon } from '../../helpers/test-daemon.js';
import { freePort, makeTestCerts, type TestCerts } from './certs.js';

const berthd = resolve(fileURLToPath(import.meta.url), '../../../../bin/berthd.js');

let certs: TestCerts;
let d: TestDaemon;
let port: number;

before(async () => {
  certs = await makeTestCerts();
  port = await freePort();
  d = await startTestDaemon({
    extraArgs: [
      '-H',
      `tcp://127.0.0.1:${port}`,
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

function tlsClient(cert?: string, key?: string): Promise<BerthClient> {
  return Promise.all([readFile(certs.ca), cert && readFile(cert), key && readFile(key)]).then(
    ([ca, c, k]) =>
      new BerthClient({
        endpoint: {
          kind: 'tcp',
          host: '127.0.0.1',
          port,
          tls: { verify: true, ca, ...(c ? { cert: c } : {}), ...(k ? { key: k } : {}) },
        },
      }),
  );
}

/** The berth CLI over TCP+TLS configured the docker way: environment only. */
function berthTls(args: string[], input?: string) {
  return execFile(process.execPath, [berthCli, ...args], {
    timeoutMs: 60_000,
    env: {
      PATH: process.env['PATH'] ?? '',
      DOCKER_HOST: `tcp://127.0.0.1:${port}`,
      DOCKER_TLS_VERIFY: '1',
      DOCKER_CERT_PATH: certs.clientDir,
    },
    ...(input !== undefined ? { input } : {}),
  });
}

test('a client with a certificate from the CA is served over TLS', async () => {
  const c = await tlsClient(certs.clientCert, certs.clientKey);
  try {
    const ping = await c.ping();
    assert.ok(ping.apiVersion);
    const v = await c.version();
    assert.equal(v.ApiVersion, ping.apiVersion);
  } finally {
    c.close();
  }
});

test('a client without a certificate, or with one from another CA, is refused', async () => {
  for (const [cert, key] of [
    [undefined, undefined],
    [certs.strangerCert, certs.strangerKey],
  ] as const) {
    const c = await tlsClient(cert, key);
    try {
      await assert.rejects(c.ping());
    } finally {
      c.close();
    }
  }
  assert.match(d.output(), /TLS handshake from 127\.0\.0\.1 refused|refused/);
});

test('plain HTTP to the TLS port gets no API answer', async () => {
  const outcome = await new Promise<string>((done) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/_ping' }, (res) => {
      res.resume();
      done(`status ${res.statusCode}`);
    });
    req.on('error', (e) => done(`error ${e.message}`));
  });
  assert.match(outcome, /^error /);
});

test('berth CLI with DOCKER_HOST, DOCKER_TLS_VERIFY and DOCKER_CERT_PATH: run, exec -i', async () => {
  const run = await berthTls(['run', '--rm', 'busybox', 'echo', 'hi over tls']);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, 'hi over tls\n');
  const up = await berthTls(['run', '-d', '--name', 'tls-web', 'busybox', 'sleep', '600']);
  assert.equal(up.code, 0, up.stderr);
  const ex = await berthTls(['exec', '-i', 'tls-web', 'tr', 'a-z', 'A-Z'], 'piped in\n');
  assert.equal(ex.code, 0, ex.stderr);
  assert.equal(ex.stdout, 'PIPED IN\n');
  const piped = await berthTls(['run', '--rm', '-i', 'busybox', 'cat'], 'stdin to run\n');
  assert.equal(piped.stdout, 'stdin to run\n');
});

test('the berth CLI refuses a missing CA under --tlsverify with a clear message', () => {
  assert.throws(
    () =>
      resolveEndpoint({
        host: `tcp://127.0.0.1:${port}`,
        tlsverify: true,
        env: { DOCKER_CERT_PATH: '/nonexistent-dir' },
      }),
    /needs a CA certificate/,
  );
});

test('berthd refuses tcp:// without TLS unless --insecure-tcp is given', async () => {
  const r = await execFile(process.execPath, [berthd, '-H', `tcp://127.0.0.1:${port + 1}`], {
    timeoutMs: 30_000,
  });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /refusing to listen on tcp:\/\/127\.0\.0\.1:\d+ without TLS/);
  const noKey = await execFile(process.execPath, [berthd, '-H', 'tcp://127.0.0.1:1', '--tls'], {
    timeoutMs: 30_000,
  });
  assert.equal(noKey.code, 1);
  assert.match(noKey.stderr, /need --tlscert and --tlskey/);
});
