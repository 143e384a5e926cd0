import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { execFile } from '../../../src/lib/exec.js';

/** Certificates made by openssl for one test file: a CA, its server and client, and a stranger. */
export interface TestCerts {
  dir: string;
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  /** A client certificate signed by another CA: the daemon must refuse it. */
  strangerCert: string;
  strangerKey: string;
  /** A docker-style cert dir (ca.pem, cert.pem, key.pem) for DOCKER_CERT_PATH. */
  clientDir: string;
  cleanup(): Promise<void>;
}

async function openssl(args: string[]): Promise<void> {
  const r = await execFile('openssl', args, { timeoutMs: 30_000 });
  if (r.code !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.stderr}`);
}

async function makeCa(dir: string, name: string): Promise<{ cert: string; key: string }> {
  const cert = join(dir, `${name}.pem`);
  const key = join(dir, `${name}-key.pem`);
  await openssl([
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-days',
    '2',
    '-subj',
    `/CN=${name}`,
    '-keyout',
    key,
    '-out',
    cert,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  return { cert, key };
}

async function makeLeaf(
  dir: string,
  name: string,
  ca: { cert: string; key: string },
  ext: string,
): Promise<{ cert: string; key: string }> {
  const key = join(dir, `${name}-key.pem`);
  const csr = join(dir, `${name}.csr`);
  const cert = join(dir, `${name}.pem`);
  const extFile = join(dir, `${name}.ext`);
  await writeFile(extFile, ext);
  await openssl([
    'req',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-subj',
    `/CN=${name}`,
    '-keyout',
    key,
    '-out',
    csr,
  ]);
  await openssl([
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    ca.cert,
    '-CAkey',
    ca.key,
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    extFile,
    '-out',
    cert,
  ]);
  return { cert, key };
}

/** Generates every certificate in a fresh temp dir; `cleanup()` deletes it. */
export async function makeTestCerts(): Promise<TestCerts> {
  const dir = await mkdtemp('/tmp/btls-');
  const ca = await makeCa(dir, 'ca');
  const other = await makeCa(dir, 'other-ca');
  const server = await makeLeaf(
    dir,
    'server',
    ca,
    'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\nkeyUsage=digitalSignature\n',
  );
  const clientExt = 'extendedKeyUsage=clientAuth\nkeyUsage=digitalSignature\n';
  const client = await makeLeaf(dir, 'client', ca, clientExt);
  const stranger = await makeLeaf(dir, 'stranger', other, clientExt);
  const clientDir = join(dir, 'docker');
  await mkdir(clientDir);
  await copyFile(ca.cert, join(clientDir, 'ca.pem'));
  await copyFile(client.cert, join(clientDir, 'cert.pem'));
  await copyFile(client.key, join(clientDir, 'key.pem'));
  return {
    dir,
    ca: ca.cert,
    serverCert: server.cert,
    serverKey: server.key,
    clientCert: client.cert,
    clientKey: client.key,
    strangerCert: stranger.cert,
    strangerKey: stranger.key,
    clientDir,
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** A loopback port that was free a moment ago (the daemon binds it next). */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const addr = s.address();
  await new Promise((resolve) => s.close(resolve));
  if (addr === null || typeof addr !== 'object') throw new Error('no port');
  return addr.port;
}
