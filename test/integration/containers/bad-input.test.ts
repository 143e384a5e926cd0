import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestDaemon, type TestDaemon } from '../../helpers/test-daemon.js';
import { raw } from '../../helpers/raw-http.js';
import { assertMatchesSpec } from '../../compat/spec-check.js';

let d: TestDaemon;
let existing: string;
before(async () => {
  d = await startTestDaemon();
  const r = await raw(
    d.socket,
    'POST',
    '/v1.56/containers/create?name=keeper',
    JSON.stringify({ Image: 'busybox', Cmd: ['true'] }),
  );
  existing = (r.json as { Id: string }).Id;
});
after(async () => {
  await d.cleanup();
});

/** After every bad request: the daemon still serves and what was stored is unchanged. */
async function stillHealthy(): Promise<void> {
  assert.equal((await raw(d.socket, 'GET', '/_ping')).text, 'OK');
  const list = (await raw(d.socket, 'GET', '/v1.56/containers/json?all=1')).json as {
    Id: string;
  }[];
  assert.deepEqual(
    list.map((c) => c.Id),
    [existing],
  );
  const images = (await raw(d.socket, 'GET', '/v1.56/images/json')).json as unknown[];
  assert.equal(images.length, 1);
}

const cases: { name: string; path: string; body: string; status: number; message: RegExp }[] = [
  {
    name: 'malformed JSON',
    path: '/containers/create',
    body: '{"Image": "busybox",',
    status: 400,
    message: /invalid JSON/,
  },
  {
    name: 'a wrong type names the field',
    path: '/containers/create',
    body: '{"Image":"busybox","HostConfig":{"Memory":"lots"}}',
    status: 400,
    message: /HostConfig\.Memory/,
  },
  {
    name: 'Env of the wrong type',
    path: '/containers/create',
    body: '{"Image":"busybox","Env":"FOO=1"}',
    status: 400,
    message: /Env/,
  },
  {
    name: 'no image',
    path: '/containers/create',
    body: '{"Cmd":["true"]}',
    status: 400,
    message: /config cannot be empty/,
  },
  {
    name: 'an unknown image',
    path: '/containers/create',
    body: '{"Image":"nosuch:1"}',
    status: 404,
    message: /^No such image: nosuch:1$/,
  },
  {
    name: 'an invalid name',
    path: '/containers/create?name=bad%20name!',
    body: '{"Image":"busybox"}',
    status: 400,
    message: /Invalid container name \(bad name!\)/,
  },
  {
    name: 'a taken name',
    path: '/containers/create?name=keeper',
    body: '{"Image":"busybox"}',
    status: 409,
    message: /The container name "\/keeper" is already in use/,
  },
  {
    name: 'an invalid image reference',
    path: '/containers/create',
    body: '{"Image":"Busybox"}',
    status: 400,
    message: /invalid reference format: repository name \(library\/Busybox\) must be lowercase/,
  },
  {
    name: 'an option not supported yet',
    path: '/containers/create',
    body: '{"Image":"busybox","HostConfig":{"DeviceRequests":[{"Count":1}]}}',
    status: 400,
    message: /DeviceRequests is not supported/,
  },
  {
    name: 'a body that is not an object',
    path: '/containers/create',
    body: '[1,2]',
    status: 400,
    message: /request body/,
  },
];

for (const c of cases) {
  test(`create with ${c.name} → ${c.status}`, async () => {
    const r = await raw(d.socket, 'POST', `/v1.56${c.path}`, c.body);
    assert.equal(r.status, c.status, r.text);
    assertMatchesSpec('POST', '/containers/create', c.status, r.json);
    assert.match((r.json as { message: string }).message, c.message);
    await stillHealthy();
  });
}

test('unknown containers are 404 on every verb', async () => {
  for (const [method, path] of [
    ['GET', '/containers/nosuch/json'],
    ['POST', '/containers/nosuch/start'],
    ['POST', '/containers/nosuch/stop'],
    ['POST', '/containers/nosuch/wait'],
    ['GET', '/containers/nosuch/logs?stdout=1'],
    ['DELETE', '/containers/nosuch'],
  ] as const) {
    const r = await raw(d.socket, method, `/v1.56${path}`);
    assert.equal(r.status, 404, `${method} ${path}`);
    assert.deepEqual(r.json, { message: 'No such container: nosuch' });
  }
  await stillHealthy();
});

test('bad query values are 400s', async () => {
  const cond = await raw(d.socket, 'POST', `/v1.56/containers/${existing}/wait?condition=whenever`);
  assert.equal(cond.status, 400);
  const noStream = await raw(d.socket, 'GET', `/v1.56/containers/${existing}/logs`);
  assert.equal(noStream.status, 400);
  assert.match((noStream.json as { message: string }).message, /choose at least one stream/);
  const limit = await raw(d.socket, 'GET', '/v1.56/containers/json?limit=many');
  assert.equal(limit.status, 400);
  await stillHealthy();
});
