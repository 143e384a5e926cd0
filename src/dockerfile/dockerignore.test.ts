import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IgnoreMatcher, parseDockerignore } from './dockerignore.js';

const matcher = (text: string): IgnoreMatcher => new IgnoreMatcher(parseDockerignore(text));

test('parsing: comments, blank lines, cleaning, leading slash, exceptions', () => {
  const p = parseDockerignore('# c\n\n  /a/./b/  \n!c\n./d/../e\n');
  assert.deepEqual(
    p.map((x) => [x.pattern, x.exclusion]),
    [
      ['a/b', false],
      ['c', true],
      ['e', false],
    ],
  );
});

test('a matched directory excludes everything below it', () => {
  const m = matcher('node_modules\nbuild/out');
  assert.equal(m.excluded('node_modules'), true);
  assert.equal(m.excluded('node_modules/x/y.js'), true);
  assert.equal(m.excluded('build/out/a'), true);
  assert.equal(m.excluded('build/in'), false);
  assert.equal(m.excluded('src/node_modules'), false);
});

test('* and ? stay within one path element; ** crosses directories', () => {
  const m = matcher('*.log\n?.tmp\n**/*.bak\ndocs/**/draft*');
  assert.equal(m.excluded('a.log'), true);
  assert.equal(m.excluded('sub/a.log'), false);
  assert.equal(m.excluded('x.tmp'), true);
  assert.equal(m.excluded('xy.tmp'), false);
  assert.equal(m.excluded('a.bak'), true);
  assert.equal(m.excluded('deep/er/a.bak'), true);
  assert.equal(m.excluded('docs/draft1'), true);
  assert.equal(m.excluded('docs/a/b/draft2.md'), true);
  assert.equal(m.excluded('docs/final.md'), false);
});

test('! exceptions: the last matching line wins', () => {
  const m = matcher('*.md\n!README.md\nREADME*.md');
  assert.equal(m.excluded('a.md'), true);
  assert.equal(m.excluded('README.md'), true);
  const n = matcher('logs\n!logs/keep.txt');
  assert.equal(n.excluded('logs/x'), true);
  assert.equal(n.excluded('logs/keep.txt'), false);
  assert.equal(n.canSkipDir('logs'), false);
  assert.equal(matcher('logs').canSkipDir('logs'), true);
});

test('character classes and escapes', () => {
  const m = matcher('file[0-9].txt\nq\\*');
  assert.equal(m.excluded('file3.txt'), true);
  assert.equal(m.excluded('filex.txt'), false);
  assert.equal(m.excluded('q*'), true);
  assert.equal(m.excluded('qq'), false);
});
