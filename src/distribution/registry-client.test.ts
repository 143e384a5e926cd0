import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { test } from 'node:test';
import { RegistryClient } from './registry-client.js';

async function serve(
  handler: Parameters<typeof createServer>[1],
): Promise<{ server: Server; host: string }> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const a = server.address();
  return { server, host: `127.0.0.1:${typeof a === 'object' && a ? a.port : 0}` };
}
const close = (s: Server) =>
  new Promise<void>((r) => {
    s.closeAllConnections();
    s.close(() => r());
  });

test('retries 5xx with backoff, then succeeds', async () => {
  let n = 0;
  const { server, host } = await serve((_q, res) => {
    n++;
    res.writeHead(n < 3 ? 503 : 200).end('ok');
  });
  try {
    const c = new RegistryClient(host, { backoffMs: 1 });
    const res = await c.request({ path: '/v2/', what: 'ping' });
    res.resume();
    assert.equal(res.statusCode, 200);
    assert.equal(n, 3);
  } finally {
    await close(server);
  }
});

test("reports the registry's errors[0].message and does not retry a 404", async () => {
  let n = 0;
  const { server, host } = await serve((_q, res) => {
    n++;
    res.writeHead(404, { 'Content-Type': 'application/json' });
    res.end(
      JSON.stringify({
        errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown', detail: {} }],
      }),
    );
  });
  try {
    const c = new RegistryClient(host, { backoffMs: 1 });
    await assert.rejects(
      c.request({ path: '/v2/x/manifests/1', what: 'manifest for x:1' }),
      (e: Error & { kind?: string }) => {
        assert.equal(e.kind, 'NotFound');
        assert.equal(e.message, 'manifest for x:1: manifest_unknown: manifest unknown');
        return true;
      },
    );
    assert.equal(n, 1);
  } finally {
    await close(server);
  }
});

test('answers a Bearer challenge with a token fetched with basic credentials, cached per scope', async () => {
  const tokenRequests: string[] = [];
  const { server, host } = await serve((q, res) => {
    const url = new URL(q.url ?? '/', 'http://x');
    if (url.pathname === '/token') {
      tokenRequests.push(`${url.searchParams.get('scope')} ${q.headers.authorization}`);
      res.writeHead(200, { 'Content-Type': 'application/json' });
      return void res.end(JSON.stringify({ token: 'T1', expires_in: 300 }));
    }
    if (q.headers.authorization === 'Bearer T1') return void res.writeHead(200).end('{}');
    res.writeHead(401, { 'WWW-Authenticate': `Bearer realm="http://${host}/token",service="svc"` });
    res.end(
      JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }),
    );
  });
  try {
    const c = new RegistryClient(host, { auth: { username: 'u', password: 'p' } });
    for (let i = 0; i < 3; i++)
      (
        await c.request({ path: '/v2/a/manifests/1', scope: 'repository:a:pull', what: 'm' })
      ).resume();
    assert.deepEqual(tokenRequests, [
      `repository:a:pull Basic ${Buffer.from('u:p').toString('base64')}`,
    ]);
    const anon = new RegistryClient(host, { auth: { registrytoken: 'wrong' } });
    await assert.rejects(
      anon.request({ path: '/v2/a/manifests/1', scope: 'repository:a:pull', what: 'm' }),
      /authentication required/,
    );
  } finally {
    await close(server);
  }
});
