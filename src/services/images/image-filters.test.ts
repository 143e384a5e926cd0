import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  boolFilter,
  globToRegExp,
  labelMatches,
  untilCutoff,
  assertFilterKeys,
} from './image-filters.js';
import { isSingleReference } from './remove.js';
import { tagReference } from './tag.js';
import { filterImages } from './list-filters.js';
import type { Image } from './types.js';
import type { ImageVerbContext } from './verb-context.js';

test('globToRegExp follows Go path.Match: * and ? stop at /, classes, escapes', () => {
  assert.ok(globToRegExp('busy*').test('busybox'));
  assert.ok(!globToRegExp('busy*').test('x/busybox'));
  assert.ok(globToRegExp('*/busybox').test('test/busybox'));
  assert.ok(!globToRegExp('*/busybox').test('busybox'));
  assert.ok(globToRegExp('b?sybox:[0-9]').test('busybox:1'));
  assert.ok(!globToRegExp('busybox:[^0-9]').test('busybox:1'));
  assert.ok(globToRegExp('a\\*b').test('a*b'));
  assert.ok(!globToRegExp('a\\*b').test('axb'));
  assert.ok(globToRegExp('127.0.0.1:5000/*').test('127.0.0.1:5000/x'));
  assert.ok(!globToRegExp('127.0.0.1:5000/*').test('127a0.0.1:5000/x'), 'dots are literal');
  assert.throws(() => globToRegExp('[abc'), /invalid reference filter pattern/);
  assert.throws(() => globToRegExp('abc\\'), /invalid reference filter pattern/);
});

test('labels, booleans, until and filter keys', () => {
  assert.ok(labelMatches({ a: '1' }, 'a'));
  assert.ok(labelMatches({ a: '1' }, 'a=1'));
  assert.ok(!labelMatches({ a: '1' }, 'a=2'));
  assert.ok(!labelMatches({}, 'toString'));
  assert.equal(boolFilter({}, 'dangling', true), true);
  assert.equal(boolFilter({ dangling: ['0'] }, 'dangling', true), false);
  assert.equal(boolFilter({ dangling: ['TRUE'] }, 'dangling', false), true);
  assert.throws(
    () => boolFilter({ dangling: ['maybe'] }, 'dangling', true),
    /invalid filter 'dangling=maybe'/,
  );
  assert.throws(() => boolFilter({ dangling: ['1', 'false'] }, 'dangling', true), /invalid filter/);
  const now = 1_700_000_000_000;
  assert.equal(untilCutoff('1600000000', now), 1_600_000_000_000);
  assert.equal(untilCutoff('1h30m', now), now - 5_400_000);
  assert.equal(untilCutoff('2024-01-01T00:00:00Z', now), Date.parse('2024-01-01T00:00:00Z'));
  assert.throws(() => untilCutoff('soon', now), /invalid filter 'until=soon'/);
  assert.throws(() => assertFilterKeys({ x: [] }, ['label']), /invalid filter 'x'/);
});

test("isSingleReference: one tag plus digests of its own repository, as Docker's", () => {
  const d = `sha256:${'a'.repeat(64)}`;
  assert.equal(isSingleReference([]), false);
  assert.equal(isSingleReference(['docker.io/library/busybox:latest']), true);
  assert.equal(
    isSingleReference(['docker.io/library/busybox:latest', `docker.io/library/busybox@${d}`]),
    true,
  );
  assert.equal(
    isSingleReference(['docker.io/library/busybox:latest', 'docker.io/library/busybox:1']),
    false,
  );
  assert.equal(
    isSingleReference(['docker.io/library/busybox:latest', `docker.io/library/other@${d}`]),
    false,
  );
});

test('tagReference: Docker messages and the latest default', () => {
  assert.equal(tagReference('busybox', ''), 'docker.io/library/busybox:latest');
  assert.equal(tagReference('127.0.0.1:5000/a/b', '1'), '127.0.0.1:5000/a/b:1');
  assert.throws(() => tagReference('', '1'), /repository name must have at least one component/);
  assert.throws(() => tagReference('Bad', '1'), /must be lowercase/);
  assert.throws(() => tagReference('x', '-1'), /invalid tag format/);
  assert.throws(() => tagReference(`x@sha256:${'b'.repeat(64)}`, ''), /cannot tag with a digest/);
  assert.throws(() => tagReference('sha256', 'x'), /ambiguous tag/);
});

test('filterImages: before/since compare created times with the named image', () => {
  const img = (id: string, created: string, tags: string[]): Image => ({
    id,
    repoTags: tags,
    repoDigests: [],
    created,
    size: 1,
    config: {},
    layers: [],
  });
  const images = [
    img('sha256:1', '2020-01-01T00:00:00Z', ['old:1']),
    img('sha256:2', '2021-01-01T00:00:00Z', ['mid:1']),
    img('sha256:3', '2022-01-01T00:00:00Z', []),
  ];
  const ctx = {
    find: (r: string) => {
      const i = images.find((x) => x.repoTags.includes(r) || x.id === r);
      if (!i) throw new Error(`No such image: ${r}`);
      return { ...i, manifestDigest: null, storedAt: '', refs: [] };
    },
  } as unknown as ImageVerbContext;
  const ids = (f: Record<string, string[]>) => filterImages(ctx, images, f).map((i) => i.id);
  assert.deepEqual(ids({ before: ['mid:1'] }), ['sha256:1']);
  assert.deepEqual(ids({ since: ['mid:1'] }), ['sha256:3']);
  assert.deepEqual(ids({ dangling: ['true'] }), ['sha256:3']);
  assert.deepEqual(ids({ dangling: ['false'] }), ['sha256:1', 'sha256:2']);
  assert.deepEqual(ids({ until: ['2020-06-01T00:00:00Z'] }), ['sha256:1']);
  assert.throws(() => ids({ since: ['nosuch'] }), /No such image/);
});
