import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BerthError } from '../errors/index.js';
import type { Instruction } from './instructions.js';
import { parseDockerfile, targetStage } from './parse.js';

function only(src: string): Instruction {
  const df = parseDockerfile(`FROM scratch\n${src}`);
  const i = df.stages[0]?.instructions[0];
  assert.ok(i);
  return i;
}

function parseFails(src: string, message: RegExp): void {
  assert.throws(
    () => parseDockerfile(src),
    (e: unknown) =>
      e instanceof BerthError && e.kind === 'InvalidParameter' && message.test(e.message),
  );
}

test('stages, AS names (lower-cased), --platform, meta ARGs, target', () => {
  const df = parseDockerfile(
    'ARG BASE=busybox\nFROM --platform=linux/amd64 $BASE AS Build\nRUN make\nfrom build\nCOPY --from=build /a /b\n',
  );
  assert.equal(df.metaArgs.length, 1);
  assert.deepEqual(df.metaArgs[0]?.args, [{ name: 'BASE', rawDefault: 'busybox' }]);
  assert.equal(df.stages.length, 2);
  assert.equal(df.stages[0]?.name, 'build');
  assert.equal(df.stages[0]?.from.platform, 'linux/amd64');
  assert.equal(df.stages[0]?.from.image, '$BASE');
  assert.equal(df.stages[1]?.from.image, 'build');
  assert.equal(targetStage(df, 'BUILD').index, 0);
  assert.equal(targetStage(df, undefined).index, 1);
  assert.throws(() => targetStage(df, 'nope'), /failed to reach build target nope/);
});

test('directives, comments, continuations (with comments and blank lines inside)', () => {
  const df = parseDockerfile(
    '# syntax=docker/dockerfile:1\n# escape=`\n\n# a comment\nFROM busybox\nRUN echo a `\n  # inner comment\n\n  && echo b\n',
  );
  assert.equal(df.escape, '`');
  assert.equal(df.syntax, 'docker/dockerfile:1');
  const run = df.stages[0]?.instructions[0];
  assert.equal(run?.kind, 'RUN');
  assert.deepEqual(run?.kind === 'RUN' && run.command, {
    form: 'shell',
    text: 'RUN echo a   && echo b'.slice(4),
  });
  assert.equal(run?.line, 6);
  // A directive after the first comment is just a comment.
  assert.equal(parseDockerfile('# hi\n# escape=`\nFROM a\nRUN x \\\n y').escape, '\\');
  parseFails('# escape=x\nFROM a', /invalid escape token 'x'/);
});

test('exec and shell forms of RUN, CMD, ENTRYPOINT; SHELL needs JSON', () => {
  assert.deepEqual((only('CMD ["echo", "hi"]') as { command: unknown }).command, {
    form: 'exec',
    args: ['echo', 'hi'],
  });
  assert.deepEqual((only('ENTRYPOINT [not json') as { command: unknown }).command, {
    form: 'shell',
    text: '[not json',
  });
  assert.deepEqual((only('SHELL ["/bin/bash", "-c"]') as { shell: unknown }).shell, [
    '/bin/bash',
    '-c',
  ]);
  parseFails(
    'FROM a\nSHELL /bin/bash -c',
    /line 2: SHELL requires the arguments to be in JSON form/,
  );
  parseFails(
    'FROM a\nRUN --mount=type=cache,target=/x make',
    /line 2: the --mount option requires BuildKit/,
  );
});

test('ENV and LABEL: pairs keep raw values, legacy form, errors', () => {
  assert.deepEqual((only('ENV A=1 B="two words" C=$A') as { pairs: unknown }).pairs, [
    ['A', '1'],
    ['B', '"two words"'],
    ['C', '$A'],
  ]);
  assert.deepEqual((only('ENV NAME  legacy  value') as { pairs: unknown }).pairs, [
    ['NAME', 'legacy  value'],
  ]);
  assert.deepEqual((only('LABEL "a b"=c') as { pairs: unknown }).pairs, [['"a b"', 'c']]);
  parseFails('FROM a\nENV A', /line 2: ENV must have two arguments/);
  parseFails('FROM a\nENV A=1 B', /Syntax error - can't find = in "B"/);
  parseFails('FROM a\nENV =1', /ENV names can not be blank/);
});

test('ARG with and without defaults; EXPOSE, VOLUME, WORKDIR, USER, STOPSIGNAL', () => {
  assert.deepEqual((only('ARG A B=2') as { args: unknown }).args, [
    { name: 'A' },
    { name: 'B', rawDefault: '2' },
  ]);
  assert.deepEqual((only('EXPOSE 80 53/udp') as { values: unknown }).values, ['80', '53/udp']);
  assert.deepEqual((only('VOLUME ["/a", "/b"]') as { values: unknown }).values, ['/a', '/b']);
  assert.deepEqual((only('VOLUME /a /b') as { values: unknown }).values, ['/a', '/b']);
  assert.equal((only('WORKDIR /my dir') as { value: string }).value, '/my dir');
  assert.equal((only('USER app:app') as { value: string }).value, 'app:app');
  parseFails('FROM a\nSTOPSIGNAL A B', /STOPSIGNAL requires exactly one argument/);
  parseFails('FROM a\nVOLUME [""]', /VOLUME specified can not be an empty string/);
  parseFails('FROM a\nWORKDIR', /WORKDIR requires exactly one argument/);
});

test('COPY and ADD: flags, JSON form, heredoc sources, missing destination', () => {
  const c = only('COPY --from=build --chown=1:2 --chmod=0755 a b* /dst/');
  assert.equal(c.kind, 'COPY');
  if (c.kind !== 'COPY') return;
  assert.deepEqual(c.sources, ['a', 'b*']);
  assert.equal(c.dest, '/dst/');
  assert.equal(c.from, 'build');
  assert.equal(c.chown, '1:2');
  assert.equal(c.chmod, '0755');
  const j = only('ADD ["a b", "/c"]');
  assert.deepEqual(j.kind === 'ADD' && j.sources, ['a b']);
  const h = parseDockerfile('FROM a\nCOPY <<EOF /etc/x\nline 1\n  $HOME\nEOF\nRUN true').stages[0];
  const hc = h?.instructions[0];
  assert.ok(hc?.kind === 'COPY');
  assert.deepEqual(hc.sources, ['<<EOF']);
  assert.deepEqual(hc.heredocs, [{ name: 'EOF', content: 'line 1\n  $HOME\n', expand: true }]);
  assert.equal(h?.instructions[1]?.line, 6);
  parseFails(
    'FROM a\nCOPY onlyone',
    /COPY requires at least two arguments, but only one was provided/,
  );
  parseFails('FROM a\nCOPY --bogus=1 a b', /unknown flag: --bogus/);
});

test('RUN heredocs: quoted delimiter, tab stripping, several per line', () => {
  const df = parseDockerfile(
    'FROM a\nRUN <<-"EOT" sh\n\techo $X\n\tEOT\nRUN cat <<A <<B\na\nA\nb\nB\n',
  );
  const [r1, r2] = df.stages[0]?.instructions ?? [];
  assert.ok(r1?.kind === 'RUN' && r2?.kind === 'RUN');
  assert.deepEqual(r1.heredocs, [{ name: 'EOT', content: 'echo $X\n', expand: false }]);
  assert.deepEqual(
    r2.heredocs.map((h) => h.content),
    ['a\n', 'b\n'],
  );
  parseFails('FROM a\nRUN <<EOF\nno end', /line 2: unterminated heredoc EOF/);
  // `<<` inside quotes is not a heredoc.
  const q = parseDockerfile("FROM a\nRUN echo '<<EOF'\n").stages[0]?.instructions[0];
  assert.deepEqual(q?.kind === 'RUN' && q.heredocs, []);
});

test('HEALTHCHECK: CMD forms, NONE, durations in ns, errors', () => {
  const h = only('HEALTHCHECK --interval=5s --timeout=2s --retries=3 CMD wget -q http://x/');
  assert.ok(h.kind === 'HEALTHCHECK');
  assert.deepEqual(h.test, ['CMD-SHELL', 'wget -q http://x/']);
  assert.equal(h.intervalNs, 5e9);
  assert.equal(h.timeoutNs, 2e9);
  assert.equal(h.retries, 3);
  const e = only('HEALTHCHECK CMD ["true"]');
  assert.deepEqual(e.kind === 'HEALTHCHECK' && e.test, ['CMD', 'true']);
  assert.deepEqual((only('HEALTHCHECK NONE') as { test: unknown }).test, ['NONE']);
  parseFails('FROM a\nHEALTHCHECK NONE x', /HEALTHCHECK NONE takes no arguments/);
  parseFails('FROM a\nHEALTHCHECK FOO x', /Unknown type "FOO" in HEALTHCHECK \(try CMD\)/);
  parseFails('FROM a\nHEALTHCHECK --retries=-1 CMD x', /--retries cannot be negative \(-1\)/);
  parseFails(
    'FROM a\nHEALTHCHECK --interval=10us CMD x',
    /Interval "10us" cannot be less than 1ms/,
  );
});

test('ONBUILD keeps the trigger text and refuses FROM, MAINTAINER, ONBUILD', () => {
  const o = only('ONBUILD RUN echo hi');
  assert.ok(o.kind === 'ONBUILD');
  assert.equal(o.trigger, 'RUN echo hi');
  assert.equal(o.parsed.kind, 'RUN');
  parseFails(
    'FROM a\nONBUILD ONBUILD RUN x',
    /Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed/,
  );
  parseFails('FROM a\nONBUILD FROM b', /FROM isn't allowed as an ONBUILD trigger/);
});

test('file-level errors name the line', () => {
  parseFails('FROM a\n\nFOO bar', /dockerfile parse error line 3: unknown instruction: FOO/);
  parseFails('RUN x\nFROM a', /line 1: no build stage in current context/);
  parseFails('FROM a b', /FROM requires either one or three arguments/);
  parseFails('FROM a AS 1x', /invalid name for build stage: "1x"/);
  parseFails('FROM a AS x\nFROM b AS X', /line 2: duplicate name x/);
  parseFails('', /the Dockerfile cannot be empty/);
  parseFails('# only a comment\n', /cannot be empty/);
});
