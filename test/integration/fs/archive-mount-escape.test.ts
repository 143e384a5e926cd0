import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { docker, startTestDaemon, type TestDaemon } from '../../helpers/test-daemon.js';
import { ok, runScript as runScriptIn, type Run } from './run-script.js';

// Links inside a volume pointing at `/` or `..` stay in the container's view (issue 6), whether
// the kernel resolves the mounts (running) or Berth maps them (stopped).
let d: TestDaemon;
let dir: string;
const marker = `berth-cpvol-${process.pid}`;
before(async () => {
  d = await startTestDaemon();
  dir = await mkdtemp('/tmp/cpve-');
  await writeFile(join(dir, marker), 'inside');
});
after(async () => {
  await d.cleanup();
  await rm(dir, { recursive: true, force: true });
});

const dk = async (...args: string[]): Promise<Run> => docker(d, args);
const runScript = (name: string, flags: string[], script: string): Promise<void> =>
  runScriptIn(d, name, flags, script);

const setup =
  'mkdir -p /vol/a/b && ln -s / /vol/toroot && ln -s ../../.. /vol/a/b/up && ln -s .. /vol/parent && ' +
  'echo ctr-secret > /etc/shadow';

/** Reads a container file through `docker cp ... -` (a tar on stdout): its content. */
async function cpOut(ctr: string, path: string, name: string): Promise<string> {
  ok(await dk('cp', `${ctr}:${path}`, join(dir, name)));
  return readFile(join(dir, name), 'utf8');
}

async function checkEscapes(ctr: string, vol: string, tag: string): Promise<void> {
  // Out: through the links, the container's own files.
  assert.equal(await cpOut(ctr, '/vol/toroot/etc/shadow', `${tag}-1`), 'ctr-secret\n');
  assert.equal(await cpOut(ctr, '/vol/a/b/up/etc/shadow', `${tag}-2`), 'ctr-secret\n');
  assert.equal(await cpOut(ctr, '/vol/parent/etc/shadow', `${tag}-3`), 'ctr-secret\n');
  // In: through the links, into the container's `/`, never the host's nor the volume's top.
  const name = `${marker}-${tag}`;
  await writeFile(join(dir, name), tag);
  ok(await dk('cp', join(dir, name), `${ctr}:/vol/toroot/`));
  ok(await dk('cp', join(dir, name), `${ctr}:/vol/a/b/up/tmp/`));
  assert.equal(await cpOut(ctr, `/${name}`, `${tag}-back`), tag);
  assert.equal(await cpOut(ctr, `/tmp/${name}`, `${tag}-back2`), tag);
  assert.equal(existsSync(`/${name}`), false);
  assert.equal(existsSync(`/tmp/${name}`), false);
  const data = await readdir(vol);
  assert.equal(data.includes(name), false);
  assert.equal(data.includes('tmp'), false);
  assert.equal((await readFile('/etc/shadow', 'utf8')).includes('ctr-secret'), false);
}

test('running: links in a volume to / and .. stay inside the container', async () => {
  await runScript('esc', ['-v', 'cpv-esc:/vol'], setup);
  const vol = ok(await dk('volume', 'inspect', '-f', '{{.Mountpoint}}', 'cpv-esc')).stdout.trim();
  await checkEscapes('esc', vol, 'live');
  assert.equal(ok(await dk('exec', 'esc', 'cat', `/${marker}-live`)).stdout, 'live');
  // Stopped: Berth maps the volume itself; the same links still resolve in the container.
  ok(await dk('stop', '-t', '0', 'esc'));
  await checkEscapes('esc', vol, 'cold');
  ok(await dk('start', 'esc'));
  assert.equal(ok(await dk('exec', 'esc', 'cat', `/${marker}-cold`)).stdout, 'cold');
  ok(await dk('rm', '-f', 'esc'));
});
