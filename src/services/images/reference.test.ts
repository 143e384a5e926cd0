import { test } from 'node:test';
import assert from 'node:assert/strict';
import { familiarName, familiarString, normalize, parseReference } from './reference.js';
import { isKind } from '../../errors/index.js';

const hex = 'a'.repeat(64);
const dg = `sha256:${hex}`;

test('normalises familiar names as Docker does', () => {
  const cases: [string, string][] = [
    ['busybox', 'docker.io/library/busybox:latest'],
    ['busybox:1.36', 'docker.io/library/busybox:1.36'],
    ['library/busybox', 'docker.io/library/busybox:latest'],
    ['docker.io/busybox', 'docker.io/library/busybox:latest'],
    ['index.docker.io/busybox', 'docker.io/library/busybox:latest'],
    ['user/app', 'docker.io/user/app:latest'],
    ['user/sub/app:v1', 'docker.io/user/sub/app:v1'],
    ['localhost/app', 'localhost/app:latest'],
    ['localhost:5000/app:1', 'localhost:5000/app:1'],
    ['localhost:5000', 'docker.io/library/localhost:5000'],
    ['127.0.0.1:5000/a/b', '127.0.0.1:5000/a/b:latest'],
    ['[::1]:5000/app', '[::1]:5000/app:latest'],
    ['registry.example.com/team/app:Tag_1.0-rc', 'registry.example.com/team/app:Tag_1.0-rc'],
    ['Registry.Example.com/app', 'Registry.Example.com/app:latest'],
    [`busybox@${dg}`, `docker.io/library/busybox@${dg}`],
    [`busybox:1@${dg}`, `docker.io/library/busybox:1@${dg}`],
    ['a__b/c-d.e--f', 'docker.io/a__b/c-d.e--f:latest'],
  ];
  for (const [input, want] of cases) assert.equal(normalize(input), want, input);
});

test('parseReference returns the parts and adds no default tag', () => {
  assert.deepEqual(parseReference('busybox'), { domain: 'docker.io', path: 'library/busybox' });
  assert.deepEqual(parseReference('localhost:5000/x:1'), {
    domain: 'localhost:5000',
    path: 'x',
    tag: '1',
  });
  assert.deepEqual(parseReference(`x@${dg}`), {
    domain: 'docker.io',
    path: 'library/x',
    digest: dg,
  });
});

test('familiar forms', () => {
  assert.equal(familiarString('docker.io/library/busybox:latest'), 'busybox:latest');
  assert.equal(familiarString('busybox'), 'busybox');
  assert.equal(familiarString('docker.io/user/app:2'), 'user/app:2');
  assert.equal(familiarString('localhost:5000/x:1'), 'localhost:5000/x:1');
  assert.equal(familiarString(`busybox@${dg}`), `busybox@${dg}`);
  assert.equal(familiarName(parseReference('docker.io/library/a/b')), 'library/a/b');
  assert.equal(familiarString(parseReference('quay.io/org/img:3')), 'quay.io/org/img:3');
});

test('tag rules: up to 128 characters, starting with a word character', () => {
  assert.equal(normalize(`a:${'t'.repeat(128)}`), `docker.io/library/a:${'t'.repeat(128)}`);
  for (const bad of [`a:${'t'.repeat(129)}`, 'a:', 'a:.x', 'a:-x', 'a:x/y', 'a:x y', 'a:x:y']) {
    assert.throws(() => parseReference(bad), { message: 'invalid reference format' }, bad);
  }
});

test("repository names must be lowercase, with Docker's message", () => {
  assert.throws(() => parseReference('Busybox'), {
    message: 'invalid reference format: repository name (library/Busybox) must be lowercase',
  });
  assert.throws(() => parseReference('localhost:5000/Foo:1'), {
    message: /repository name \(Foo\) must be lowercase/,
  });
});

test('malformed references are InvalidParameter', () => {
  const bad = [
    '',
    ':latest',
    '/a',
    'a/',
    'a//b',
    'a b',
    '-a',
    'a-',
    'a..b',
    'a___b',
    'a/.b',
    'a@sha256:xyz',
    'a@',
    'http://x/y',
    'bad_host:5000x/a',
    'a:b@',
    '[::1/x',
  ];
  for (const s of bad) {
    assert.throws(
      () => parseReference(s),
      (e) => isKind(e, 'InvalidParameter'),
      JSON.stringify(s),
    );
  }
});

test('64-hex strings, unsupported digests and overlong names are refused', () => {
  assert.throws(() => parseReference(hex), {
    message: /cannot specify 64-byte hexadecimal strings/,
  });
  assert.throws(() => parseReference(`a@sha512:${'b'.repeat(128)}`), {
    message: /unsupported digest/,
  });
  assert.throws(
    () => parseReference(`a@sha256:${'A'.repeat(64)}`),
    (e) => isKind(e, 'InvalidParameter'),
  );
  const long = `x/${'a'.repeat(240)}`; // docker.io/ + 242 = 252
  assert.equal(normalize(long), `docker.io/${long}:latest`);
  assert.throws(() => parseReference(`x/${'a'.repeat(250)}`), { message: /not be more than 255/ });
});
