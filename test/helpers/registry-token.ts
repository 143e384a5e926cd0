import { createPrivateKey, randomBytes, sign, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { execFile } from '../../src/lib/exec.js';

/** A tiny bearer-token server (the Docker token protocol) for a test registry. */
export interface TokenServer {
  /** `http://127.0.0.1:PORT/token`: the realm the registry advertises. */
  realm: string;
  issuer: string;
  /** The PEM certificate whose key signs tokens (the registry's `rootcertbundle`). */
  certPath: string;
  /** Every request's query string, for tests that check the scopes asked for. */
  requests: string[];
  stop(): Promise<void>;
}

const b64url = (b: Buffer | string): string => Buffer.from(b).toString('base64url');

/**
 * Starts a token server on 127.0.0.1: it checks basic credentials (anonymous requests get 401)
 * and answers `{token, access_token, expires_in}` with an ES256 JWT granting the requested
 * scopes, signed by a fresh self-signed key whose certificate travels in the `x5c` header.
 */
export async function startTokenServer(opts: {
  dir: string;
  service: string;
  username: string;
  password: string;
}): Promise<TokenServer> {
  const keyPath = join(opts.dir, 'token-key.pem');
  const certPath = join(opts.dir, 'token-cert.pem');
  const gen = await execFile(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyPath,
      '-out',
      certPath,
      '-days',
      '2',
      '-subj',
      '/CN=berth-test-token',
    ],
    { timeoutMs: 20_000 },
  );
  if (gen.code !== 0) throw new Error(`openssl failed: ${gen.stderr}`);
  const key = createPrivateKey(await readFile(keyPath));
  const certDer = new X509Certificate(await readFile(certPath)).raw;
  const issuer = 'berth-test-issuer';
  const requests: string[] = [];
  const expected = `Basic ${Buffer.from(`${opts.username}:${opts.password}`).toString('base64')}`;

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(url.search);
    if (req.headers.authorization !== expected) {
      res.writeHead(401, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ details: 'incorrect username or password' }));
      return;
    }
    const access = url.searchParams.getAll('scope').flatMap((s) => {
      const [type, name, actions] = s.split(':');
      return type && name && actions ? [{ type, name, actions: actions.split(',') }] : [];
    });
    const now = Math.floor(Date.now() / 1000);
    const header = { typ: 'JWT', alg: 'ES256', x5c: [certDer.toString('base64')] };
    const claims = {
      iss: issuer,
      sub: opts.username,
      aud: url.searchParams.get('service') ?? opts.service,
      exp: now + 300,
      nbf: now - 10,
      iat: now,
      jti: randomBytes(8).toString('hex'),
      access,
    };
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    const sig = sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
    const token = `${input}.${b64url(sig)}`;
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ token, access_token: token, expires_in: 300 }));
  };
  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
  return {
    realm: `http://127.0.0.1:${port}/token`,
    issuer,
    certPath,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
