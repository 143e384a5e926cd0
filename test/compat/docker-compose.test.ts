import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { execFile } from '../../src/lib/exec.js';
import { docker, startTestDaemon, type TestDaemon } from '../helpers/test-daemon.js';

// The unmodified docker-compose (Debian's 1.29.2, Python, on docker-py) against berthd: a web
// service with a published port, a volume and a healthcheck, a client that finds it by name,
// then a project that builds its image.
let d: TestDaemon;
let dir: string;
const tag = randomBytes(3).toString('hex');
const web = `bcweb${tag}`; // project names: lowercase letters and digits survive compose's rules
const bld = `bcbld${tag}`;

before(async () => {
  d = await startTestDaemon();
  dir = await mkdtemp('/tmp/dcc-');
});
after(async () => {
  for (const p of [web, bld]) {
    await compose(p, ['down', '-v', '--rmi', 'local', '-t', '1']).catch(() => undefined);
  }
  await d.cleanup();
  await rm(dir, { recursive: true, force: true });
});

/** `docker-compose -p project args` in the project's directory; never throws on exit codes. */
function compose(project: string, args: string[]) {
  return execFile('docker-compose', ['-p', project, ...args], {
    timeoutMs: 180_000,
    cwd: join(dir, project),
    env: {
      ...process.env,
      DOCKER_HOST: d.host,
      DOCKER_CONFIG: join(d.dataRoot, '..', 'docker-config'),
      // compose hands build, run and exec to the docker CLI (its default on Linux); the CLI
      // builds with its classic builder. (COMPOSE_INTERACTIVE_NO_CLI=1 would attach `run` through
      // dockerpty after the start, which loses early output against any engine.)
      DOCKER_BUILDKIT: '0',
    },
  });
}

/** `docker-compose` that must succeed: its stdout and stderr. */
async function ok(project: string, args: string[]): Promise<string> {
  const r = await compose(project, args);
  assert.equal(r.code, 0, `docker-compose ${args.join(' ')}:\n${r.stderr}\n${r.stdout}`);
  return r.stdout + r.stderr;
}

/** The docker CLI against the daemon; must succeed. */
async function dk(args: string[]): Promise<string> {
  const r = await docker(d, args);
  assert.equal(r.code, 0, `docker ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** A TCP port that was free on 127.0.0.1 a moment ago. */
async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const addr = srv.address();
  await new Promise((resolve) => srv.close(resolve));
  assert.ok(addr !== null && typeof addr === 'object');
  return addr.port;
}

/** Calls `probe` every 200 ms until it returns true; fails after `tries` calls. */
async function eventually(what: string, probe: () => Promise<boolean>, tries = 300) {
  for (let i = 0; i < tries; i++) {
    if (await probe()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.fail(`never happened: ${what}`);
}

/** GET http://127.0.0.1:port/ → the body, or null when nothing answers. */
async function get(port: number): Promise<string | null> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/`);
    return await res.text();
  } catch {
    return null;
  }
}

test('up -d: published port, service-name DNS, healthcheck; exec, run, restart, stop/start, top, down -v', async () => {
  const port = await freePort();
  await mkdir(join(dir, web));
  const yml = `version: "3.8"
services:
  web:
    image: busybox
    command: ["sh", "-c", "mkdir -p /www && echo hello-$$FOO > /www/index.html && exec httpd -f -p 8080 -h /www"]
    environment:
      FOO: bar
    ports:
      - "127.0.0.1:${port}:8080"
    volumes:
      - data:/data
    healthcheck:
      test: ["CMD", "wget", "-q", "-O-", "http://127.0.0.1:8080/"]
      interval: 1s
      timeout: 2s
      retries: 60
  client:
    image: busybox
    command: ["sh", "-c", "until wget -q -O- http://web:8080/; do sleep 0.2; done; exec sleep 300"]
    depends_on:
      - web
volumes:
  data:
`;
  await writeFile(join(dir, web, 'docker-compose.yml'), yml);
  await ok(web, ['up', '-d']);
  const webC = `${web}_web_1`;
  const net = `${web}_default`;
  const members = await dk([
    'network',
    'inspect',
    '-f',
    '{{range .Containers}}{{.Name}} {{end}}',
    net,
  ]);
  assert.deepEqual(members.trim().split(' ').sort(), [`${web}_client_1`, webC]);
  const ports = JSON.parse(await dk(['inspect', '-f', '{{json .NetworkSettings.Ports}}', webC]));
  assert.deepEqual(ports, { '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: String(port) }] });
  await eventually('web answers on the published port', async () => (await get(port)) !== null);
  assert.equal(await get(port), 'hello-bar\n');
  await eventually('client fetched web by its service name', async () =>
    (await ok(web, ['logs', '--no-color', 'client'])).includes('hello-bar'),
  );
  await eventually('web is healthy', async () => /Up \(healthy\)/.test(await ok(web, ['ps'])));
  const mounts = JSON.parse(await dk(['inspect', '-f', '{{json .Mounts}}', webC])) as {
    Name: string;
    Destination: string;
  }[];
  assert.deepEqual(
    mounts.map((m) => [m.Name, m.Destination]),
    [[`${web}_data`, '/data']],
  );

  assert.equal(await ok(web, ['exec', '-T', 'web', 'sh', '-c', 'echo $FOO']), 'bar\n');
  const ran = await ok(web, [
    'run',
    '--rm',
    '-T',
    '-e',
    'BAR=baz',
    'client',
    'sh',
    '-c',
    'echo ran-$BAR; wget -q -O- http://web:8080/',
  ]);
  assert.match(ran, /ran-baz\nhello-bar\n/);
  const oneoff = [
    'ps',
    '-aq',
    '--filter',
    `label=com.docker.compose.project=${web}`,
    '--filter',
    'label=com.docker.compose.oneoff=True',
  ];
  assert.equal(await dk(oneoff), ''); // run --rm removed its container

  const started = async (): Promise<string> =>
    (await dk(['inspect', '-f', '{{.State.StartedAt}}', webC])).trim();
  const before = await started();
  await ok(web, ['restart', '-t', '1']);
  assert.notEqual(await started(), before);
  await ok(web, ['stop', '-t', '1']);
  const states = await dk([
    'ps',
    '-a',
    '--filter',
    `label=com.docker.compose.project=${web}`,
    '--format',
    '{{.State}}',
  ]);
  assert.deepEqual(states.trim().split('\n'), ['exited', 'exited']);
  assert.equal(await get(port), null);
  await ok(web, ['start']);
  await eventually(
    'web answers again after start',
    async () => (await get(port)) === 'hello-bar\n',
  );
  const top = await ok(web, ['top']);
  assert.match(top, /httpd -f -p 8080 -h \/www/);
  assert.match(top, /sleep 300/);

  await ok(web, ['down', '-v', '-t', '1']);
  assert.equal(await dk(['ps', '-aq', '--filter', `label=com.docker.compose.project=${web}`]), '');
  assert.doesNotMatch(await dk(['network', 'ls', '--format', '{{.Name}}']), new RegExp(web));
  assert.doesNotMatch(await dk(['volume', 'ls', '--format', '{{.Name}}']), new RegExp(web));
});

test('build: with args, up in the foreground, --scale, down --rmi all -v', async () => {
  await mkdir(join(dir, bld));
  await writeFile(
    join(dir, bld, 'Dockerfile'),
    'FROM busybox\nARG GREETING=unset\nRUN echo "greeting=$GREETING" > /greeting\nCMD ["cat", "/greeting"]\n',
  );
  const yml = `version: "3.8"
services:
  app:
    build:
      context: .
      args:
        GREETING: from-compose
`;
  await writeFile(join(dir, bld, 'docker-compose.yml'), yml);
  const up = await ok(bld, ['up', '--no-color']);
  assert.match(up, /app_1 +\| greeting=from-compose/);
  assert.match(up, /exited with code 0/);
  assert.match(
    await dk(['images', '--format', '{{.Repository}}:{{.Tag}}']),
    new RegExp(`^${bld}_app:latest$`, 'm'),
  );

  await ok(bld, ['up', '-d', '--scale', 'app=3']);
  const ids = (
    await dk([
      'ps',
      '-aq',
      '--filter',
      `label=com.docker.compose.service=app`,
      '--filter',
      `label=com.docker.compose.project=${bld}`,
    ])
  )
    .trim()
    .split('\n');
  assert.equal(ids.length, 3);
  for (const id of ids) {
    assert.equal((await dk(['wait', id])).trim(), '0');
    // app_1 ran once already in the foreground `up`: its log keeps both runs.
    assert.match((await docker(d, ['logs', id])).stdout, /^(greeting=from-compose\n)+$/);
  }

  await ok(bld, ['down', '--rmi', 'all', '-v']);
  assert.equal(await dk(['ps', '-aq', '--filter', `label=com.docker.compose.project=${bld}`]), '');
  assert.doesNotMatch(await dk(['images', '--format', '{{.Repository}}']), new RegExp(bld));
  assert.doesNotMatch(await dk(['network', 'ls', '--format', '{{.Name}}']), new RegExp(bld));
});
