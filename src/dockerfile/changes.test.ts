import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BerthError } from '../errors/index.js';
import { applyChanges } from './changes.js';
import { splitWords } from './words.js';

test('CMD and ENTRYPOINT: JSON form, shell form, ENTRYPOINT clears an inherited CMD', () => {
  assert.deepEqual(applyChanges(['CMD ["echo","hi"]']).Cmd, ['echo', 'hi']);
  assert.deepEqual(applyChanges(['cmd echo hi there']).Cmd, ['/bin/sh', '-c', 'echo hi there']);
  assert.deepEqual(applyChanges(['CMD [not json']).Cmd, ['/bin/sh', '-c', '[not json']);
  const a = applyChanges(['ENTRYPOINT ["/bin/x"]'], { Cmd: ['old'] });
  assert.deepEqual(a.Entrypoint, ['/bin/x']);
  assert.equal(a.Cmd, null);
  const b = applyChanges(['CMD ["a"]', 'ENTRYPOINT ["/bin/x"]'], { Cmd: ['old'] });
  assert.deepEqual(b.Cmd, ['a']);
});

test('ENV and LABEL: key=value pairs with quotes, legacy form, replacement', () => {
  const c = applyChanges(['ENV A=1 B="two words"', 'ENV C legacy value', 'ENV A=3'], {
    Env: ['PATH=/bin'],
  });
  assert.deepEqual(c.Env, ['PATH=/bin', 'B=two words', 'C=legacy value', 'A=3']);
  const l = applyChanges(['LABEL a=b "c d"=\'e f\''], { Labels: { x: 'y' } });
  assert.deepEqual(l.Labels, { x: 'y', a: 'b', 'c d': 'e f' });
});

test('EXPOSE, VOLUME, USER, WORKDIR, STOPSIGNAL', () => {
  const c = applyChanges([
    'EXPOSE 80 53/udp 8000-8001',
    'VOLUME ["/data", "/logs"]',
    'VOLUME /x /y',
    'USER 1000:1000',
    'WORKDIR /app',
    'WORKDIR sub',
    'STOPSIGNAL SIGINT',
  ]);
  assert.deepEqual(Object.keys(c.ExposedPorts ?? {}), ['80/tcp', '53/udp', '8000/tcp', '8001/tcp']);
  assert.deepEqual(Object.keys(c.Volumes ?? {}), ['/data', '/logs', '/x', '/y']);
  assert.equal(c.User, '1000:1000');
  assert.equal(c.WorkingDir, '/app/sub');
  assert.equal(c.StopSignal, 'SIGINT');
});

test('invalid changes are InvalidParameter naming the line', () => {
  const bad = [
    'FROM busybox',
    'RUN echo',
    'CMD',
    'EXPOSE 99999',
    'EXPOSE abc',
    'ENV =x',
    'USER a b',
  ];
  for (const line of bad) {
    assert.throws(
      () => applyChanges([line]),
      (e: unknown) =>
        e instanceof BerthError && e.kind === 'InvalidParameter' && e.message.includes(line),
      line,
    );
  }
  assert.throws(() => applyChanges(['LABEL a="unterminated']), BerthError);
});

test('does not modify the base config', () => {
  const base = { Env: ['A=1'], Labels: { a: 'b' } };
  applyChanges(['ENV A=2', 'LABEL a=c'], base);
  assert.deepEqual(base, { Env: ['A=1'], Labels: { a: 'b' } });
});

test('splitWords handles quotes and escapes', () => {
  assert.deepEqual(splitWords(`a "b c" 'd e' f\\ g x="y z"`), ['a', 'b c', 'd e', 'f g', 'x=y z']);
  assert.deepEqual(splitWords('  '), []);
  assert.deepEqual(splitWords('""'), ['']);
});
