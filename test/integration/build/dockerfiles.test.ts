import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { docker, startTestDaemon, type TestDaemon } from '../../helpers/test-daemon.js';
import { build, buildOk, runImage } from './build-helpers.js';

// Real Dockerfiles through POST /build; the result checked by inspect and by running it.
let d: TestDaemon;
before(async () => {
  d = await startTestDaemon();
});
after(async () => {
  await d.cleanup();
});

test('multi-stage: a "compiler" stage makes an artifact, COPY --from=<name> and =0, --target', async () => {
  const dockerfile = [
    'FROM busybox AS compiler',
    'WORKDIR /src',
    'COPY prog.src .',
    // the "compiler": turns the source into an executable script
    `RUN (echo '#!/bin/sh'; sed 's/^say /echo /' prog.src) > /prog && chmod 755 /prog`,
    'FROM busybox AS other',
    'RUN echo from-other > /other.txt',
    'FROM busybox',
    'COPY --from=compiler /prog /usr/local/bin/prog',
    'COPY --from=0 /src/prog.src /prog.src',
    'COPY --from=other /other.txt /',
    'CMD ["prog"]',
  ].join('\n');
  const files = { Dockerfile: dockerfile, 'prog.src': 'say compiled-hello\n' };
  const r = await buildOk(d, files, { tags: ['ms:final'] });
  assert.match(r.output, /^Step 1\/11 : FROM busybox AS compiler$/m);
  assert.match(r.output, /Successfully tagged ms:final/);
  assert.equal(await runImage(d, 'ms:final', []), 'compiled-hello\n');
  assert.equal(
    await runImage(d, 'ms:final', ['cat', '/other.txt', '/prog.src']),
    'from-other\nsay compiled-hello\n',
  );
  const t = await buildOk(d, files, { tags: ['ms:compiler'], target: 'compiler' });
  assert.match(t.output, /Step 4\/4 : RUN/);
  assert.doesNotMatch(t.output, /Step 5\//, 'stages after the target are not built');
  assert.equal(
    await runImage(d, 'ms:compiler', ['sh', '-c', 'pwd; /prog']),
    '/src\ncompiled-hello\n',
  );
});

test('ARG/ENV substitution: defaults, ${VAR:-x}, ${VAR:+x}, build-arg overrides, unused warning', async () => {
  const dockerfile = [
    'ARG BASE=busybox',
    'FROM ${BASE}',
    'ARG WHO=world',
    'ARG EMPTY',
    'ENV GREETING="hello ${WHO}" FALLBACK=${EMPTY:-fallback} ALT=${WHO:+set}',
    'RUN echo "$GREETING/$FALLBACK/$ALT/$WHO" > /out.txt',
    'LABEL who=$WHO',
  ].join('\n');
  const def = await buildOk(d, { Dockerfile: dockerfile }, { tags: ['args:default'] });
  assert.equal(
    await runImage(d, 'args:default', ['cat', '/out.txt']),
    'hello world/fallback/set/world\n',
  );
  assert.doesNotMatch(def.output, /were not consumed/);
  const over = await buildOk(
    d,
    { Dockerfile: dockerfile },
    {
      tags: ['args:over'],
      buildArgs: { WHO: 'berth', EMPTY: 'given', NOTUSED: 'x' },
    },
  );
  assert.equal(
    await runImage(d, 'args:over', ['cat', '/out.txt']),
    'hello berth/given/set/berth\n',
  );
  assert.match(over.output, /\[Warning\] One or more build-args \[NOTUSED\] were not consumed/);
  const img = await d.client.imageInspect('args:over');
  assert.equal(img.Config?.Labels?.['who'], 'berth');
  assert.ok(img.Config?.Env?.includes('GREETING=hello berth'));
  assert.ok(!img.Config?.Env?.some((e) => e.startsWith('WHO=')), 'ARGs are not kept in the image');
});

test('USER and WORKDIR: the image runs as that user in that directory', async () => {
  const dockerfile = [
    'FROM busybox',
    "RUN echo 'app:x:1234:1234::/home/app:/bin/sh' >> /etc/passwd",
    'WORKDIR /home/app',
    'WORKDIR data',
    'USER app',
    'RUN id -u > /tmp/whoami && pwd > /tmp/where',
  ].join('\n');
  await buildOk(d, { Dockerfile: dockerfile }, { tags: ['userwd'] });
  const img = await d.client.imageInspect('userwd');
  assert.equal(img.Config?.User, 'app');
  assert.equal(img.Config?.WorkingDir, '/home/app/data');
  assert.equal(
    await runImage(d, 'userwd', ['sh', '-c', 'id -u; pwd; cat /tmp/whoami /tmp/where']),
    '1234\n/home/app/data\n1234\n/home/app/data\n',
  );
});

test('.dockerignore with ! exceptions and ** is applied to COPY', async () => {
  const files = {
    Dockerfile: 'FROM busybox\nCOPY . /ctx/\n',
    '.dockerignore': ['**/*.log', '!keep/important.log', 'secret', 'tmp/**', '# comment'].join(
      '\n',
    ),
    'a.txt': 'a',
    'debug.log': 'no',
    'sub/deep/trace.log': 'no',
    'sub/deep/code.c': 'yes',
    'keep/important.log': 'yes',
    secret: 'no',
    'tmp/x/y': 'no',
  };
  await buildOk(d, files, { tags: ['ignored'] });
  const out = await runImage(d, 'ignored', ['find', '/ctx', '-type', 'f']);
  assert.deepEqual(out.trim().split('\n').sort(), [
    '/ctx/.dockerignore',
    '/ctx/Dockerfile',
    '/ctx/a.txt',
    '/ctx/keep/important.log',
    '/ctx/sub/deep/code.c',
  ]);
});

test('ONBUILD: triggers are stored, then run in the child built FROM the base', async () => {
  const base = [
    'FROM busybox',
    'ONBUILD COPY app.txt /app/',
    'ONBUILD RUN echo built >> /app/app.txt',
  ];
  await buildOk(d, { Dockerfile: base.join('\n') }, { tags: ['onbuild-base'] });
  const img = await d.client.imageInspect('onbuild-base');
  assert.deepEqual(img.Config?.OnBuild, ['COPY app.txt /app/', 'RUN echo built >> /app/app.txt']);
  const child = await buildOk(
    d,
    { Dockerfile: 'FROM onbuild-base\nCMD ["cat", "/app/app.txt"]\n', 'app.txt': 'child\n' },
    { tags: ['onbuild-child'] },
  );
  assert.match(child.output, /# Executing 2 build triggers/);
  assert.equal(await runImage(d, 'onbuild-child', []), 'child\nbuilt\n');
  const c = await d.client.imageInspect('onbuild-child');
  assert.ok((c.Config?.OnBuild ?? []).length === 0, 'triggers run once, not inherited');
});

test('HEALTHCHECK, VOLUME, EXPOSE, LABEL, STOPSIGNAL, SHELL, ENTRYPOINT+CMD in the config', async () => {
  const dockerfile = [
    'FROM busybox',
    'HEALTHCHECK --interval=5s --timeout=2s --retries=4 CMD wget -q localhost || exit 1',
    'VOLUME ["/data", "/logs"]',
    'VOLUME /v1 /v2',
    'EXPOSE 80 53/udp',
    'LABEL org.test.a="one two" b=2',
    'STOPSIGNAL SIGQUIT',
    'SHELL ["/bin/sh", "-ec"]',
    'RUN echo "$0 $-" > /shell.txt',
    'ENTRYPOINT ["echo", "entry"]',
    'CMD ["default-arg"]',
  ].join('\n');
  await buildOk(d, { Dockerfile: dockerfile }, { tags: ['cfg'] });
  const c = (await d.client.imageInspect('cfg')).Config;
  assert.deepEqual(c?.Healthcheck, {
    Test: ['CMD-SHELL', 'wget -q localhost || exit 1'],
    Interval: 5e9,
    Timeout: 2e9,
    Retries: 4,
  });
  assert.deepEqual(Object.keys(c?.Volumes ?? {}).sort(), ['/data', '/logs', '/v1', '/v2']);
  assert.deepEqual(Object.keys(c?.ExposedPorts ?? {}).sort(), ['53/udp', '80/tcp']);
  assert.equal(c?.Labels?.['org.test.a'], 'one two');
  assert.equal(c?.Labels?.['b'], '2');
  assert.equal(c?.StopSignal, 'SIGQUIT');
  assert.deepEqual(c?.Entrypoint, ['echo', 'entry']);
  assert.deepEqual(c?.Cmd, ['default-arg']);
  assert.equal(await runImage(d, 'cfg', []), 'entry default-arg\n');
  assert.equal(await runImage(d, 'cfg', ['x']), 'entry x\n');
  const shell = await docker(d, ['run', '--rm', '--entrypoint', 'cat', 'cfg', '/shell.txt']);
  assert.match(shell.stdout, /^\/bin\/sh \S*e\S*\n$/, 'RUN went through SHELL ["/bin/sh", "-ec"]');
});

test('heredocs: RUN <<EOF runs the script, COPY <<EOF writes the file (variables expanded)', async () => {
  const dockerfile = [
    'FROM busybox',
    'ENV NAME=berth',
    'RUN <<EOF',
    'echo line1 > /run.txt',
    'echo "line2 $NAME" >> /run.txt',
    'EOF',
    'COPY <<CONF /etc/app.conf',
    'name=${NAME}',
    'CONF',
    "COPY <<'RAW' /raw.txt",
    'keep $NAME',
    'RAW',
  ].join('\n');
  await buildOk(d, { Dockerfile: dockerfile }, { tags: ['heredoc'] });
  assert.equal(
    await runImage(d, 'heredoc', ['cat', '/run.txt', '/etc/app.conf', '/raw.txt']),
    'line1\nline2 berth\nname=berth\nkeep $NAME\n',
  );
});

test('COPY --chown/--chmod set owner and mode; ADD of a local tar extracts it', async () => {
  const tarBuf = await tarOf({ 'pkg/a.txt': 'A', 'pkg/b/c.txt': 'C' });
  const dockerfile = [
    'FROM busybox',
    'COPY --chown=1000:2000 --chmod=0640 f.txt /f.txt',
    'COPY --chown=nobody d/ /d/',
    'ADD pkg.tar /opt/',
    'COPY pkg.tar /copied/',
    'COPY f.txt /tmp', // an existing directory without a trailing slash: into it
  ].join('\n');
  const files = { Dockerfile: dockerfile, 'f.txt': 'f', 'd/x': 'x', 'pkg.tar': tarBuf };
  await buildOk(d, files, { tags: ['chown'] });
  const out = await runImage(d, 'chown', [
    'sh',
    '-c',
    'stat -c "%u:%g %a" /f.txt /d/x; cat /opt/pkg/a.txt /opt/pkg/b/c.txt; echo; ls /copied; cat /tmp/f.txt',
  ]);
  assert.equal(out, '1000:2000 640\n65534:65534 644\nAC\npkg.tar\nf');
});

test('ADD of a URL fetches it from a local HTTP server (mode 600, named after the path)', async () => {
  const server = createServer((req, res) => {
    if (req.url === '/files/remote.txt') {
      res.writeHead(200, { 'Last-Modified': 'Wed, 21 Oct 2015 07:28:00 GMT' });
      res.end('remote-content\n');
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const { port } = server.address() as AddressInfo;
    const url = `http://127.0.0.1:${port}/files/remote.txt`;
    await buildOk(d, { Dockerfile: `FROM busybox\nADD ${url} /dl/\n` }, { tags: ['addurl'] });
    const out = await runImage(d, 'addurl', [
      'sh',
      '-c',
      'cat /dl/remote.txt; stat -c %a /dl/remote.txt',
    ]);
    assert.equal(out, 'remote-content\n600\n');
    const missing = await build(d, {
      Dockerfile: `FROM busybox\nADD http://127.0.0.1:${port}/nope /x\n`,
    });
    assert.match(missing.error ?? '', /404/);
  } finally {
    server.close();
  }
});

/** A small uncompressed tar of `files`. */
async function tarOf(files: Record<string, string>): Promise<Buffer> {
  const { contextTar } = await import('./build-helpers.js');
  const chunks: Buffer[] = [];
  for await (const c of contextTar(files)) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}
