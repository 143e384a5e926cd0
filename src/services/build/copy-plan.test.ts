import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { mkdir, mkdtemp, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { IgnoreMatcher, parseDockerignore } from '../../dockerfile/dockerignore.js';
import {
  matchSources,
  planChecksum,
  planSource,
  sourcePath,
  type PlannedFile,
  type SourceRoot,
} from './copy-plan.js';

let dir: string;
let root: SourceRoot;
before(async () => {
  dir = await mkdtemp('/tmp/bcp-');
  const files: Record<string, string> = {
    'a.txt': 'a',
    'b.txt': 'b',
    'c.md': 'c',
    'src/main.c': 'main',
    'src/util.c': 'util',
    'src/skip.o': 'obj',
    'src/sub/deep.c': 'deep',
    'etc/passwd': 'context-passwd',
  };
  for (const [f, c] of Object.entries(files)) {
    await mkdir(join(dir, f, '..'), { recursive: true });
    await writeFile(join(dir, f), c);
  }
  await symlink('/etc/passwd', join(dir, 'abs-link'));
  await symlink('../../../..', join(dir, 'src/up'));
  root = {
    dir,
    ignore: new IgnoreMatcher(parseDockerignore('**/*.o\nc.md\n')),
    label: 'build context',
  };
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('sourcePath: relative, normalised, a leading / is the context root, .. refused', () => {
  assert.equal(sourcePath('a/./b/../c'), 'a/c');
  assert.equal(sourcePath('/etc/x'), 'etc/x');
  assert.equal(sourcePath('.'), '');
  assert.equal(sourcePath('dir/'), 'dir');
  assert.throws(() => sourcePath('../x'), /outside the build context/);
  assert.throws(() => sourcePath('a/../../x'), /outside the build context/);
});

test('matchSources: plain paths, globs (not crossing /), ignored and missing paths', async () => {
  assert.deepEqual(await matchSources(root, 'a.txt'), ['a.txt']);
  assert.deepEqual(await matchSources(root, '*.txt'), ['a.txt', 'b.txt']);
  assert.deepEqual(await matchSources(root, 'src/*.c'), ['src/main.c', 'src/util.c']);
  assert.deepEqual(await matchSources(root, '?.txt'), ['a.txt', 'b.txt']);
  assert.deepEqual(await matchSources(root, '[ab].txt'), ['a.txt', 'b.txt']);
  await assert.rejects(matchSources(root, 'c.md'), /excluded by \.dockerignore: stat c\.md/);
  await assert.rejects(matchSources(root, 'nope'), /file not found .*stat nope/);
  await assert.rejects(matchSources(root, '*.none'), /no source files/);
  await assert.rejects(matchSources(root, '../x'), /outside the build context/);
});

test('planSource: a directory copies its content, ignoring with context-relative patterns', async () => {
  const out: PlannedFile[] = [];
  await planSource(root, 'src', 'dest', out);
  assert.deepEqual(
    out.map((f) => f.name),
    ['dest', 'dest/main.c', 'dest/sub', 'dest/sub/deep.c', 'dest/up', 'dest/util.c'],
  );
  const up = out.find((f) => f.name === 'dest/up');
  assert.ok(up && 'st' in up && up.st.isSymbolicLink(), 'a link inside is kept as a link');
});

test('planSource: a link source is followed inside the context, never to the host', async () => {
  const out: PlannedFile[] = [];
  await planSource(root, 'abs-link', 'got', out);
  assert.equal(out.length, 1);
  const f = out[0];
  assert.ok(f && 'abs' in f);
  assert.equal(f.abs, join(dir, 'etc/passwd'));
});

test('planChecksum: content and names count, mtimes do not', async () => {
  const plan = async (): Promise<string> => {
    const out: PlannedFile[] = [];
    await planSource(root, 'a.txt', 'a.txt', out);
    return planChecksum(out);
  };
  const first = await plan();
  await utimes(join(dir, 'a.txt'), new Date(0), new Date(0));
  assert.equal(await plan(), first, 'a touch keeps the checksum');
  await writeFile(join(dir, 'a.txt'), 'A');
  assert.notEqual(await plan(), first, 'an edit changes it');
  const lit = (name: string, content: string): PlannedFile => ({
    name,
    content: Buffer.from(content),
    mode: 0o644,
    mtime: new Date(),
  });
  assert.notEqual(await planChecksum([lit('x', 'same')]), await planChecksum([lit('y', 'same')]));
  assert.equal(
    await planChecksum([lit('x', 'same')]),
    await planChecksum([{ ...lit('x', 'same'), mtime: new Date(0) }]),
  );
});
