import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Instruction, RunInstruction } from '../../dockerfile/instructions.js';
import { parseDockerfile } from '../../dockerfile/parse.js';
import { runArgv } from './run-step.js';
import { applyMetadata, argEnv, stepVars, type BuildArgs, type StageState } from './stage-state.js';

/** The instructions of a one-stage Dockerfile (after its FROM). */
function instrs(src: string): Instruction[] {
  return parseDockerfile(`FROM scratch\n${src}`).stages[0]?.instructions ?? [];
}

function stage(): StageState {
  return { imageId: null, config: {}, args: new Map(), cmdSet: false, escape: '\\' };
}

function args(given: Record<string, string | null> = {}): BuildArgs {
  return { given, meta: new Map([['META', 'm']]), used: new Set() };
}

/** Applies every instruction of `src` to a fresh stage. */
function apply(src: string, a = args()): StageState {
  const s = stage();
  for (const i of instrs(src)) applyMetadata(s, i, a);
  return s;
}

test('ENV expands the values from before the line (Docker); a later ENV replaces in place', () => {
  const s = apply('ENV A=1 B=$A\nENV A=2 C="${A}-${B}" D=$A\n');
  assert.deepEqual(s.config.Env, ['A=2', 'B=', 'C=1-', 'D=1']);
  assert.equal(stepVars(s).get('D'), '1');
});

test('ARG: default, build-arg override (recorded as used), meta ARG, ENV wins over ARG', () => {
  const a = args({ GIVEN: 'g', NULLED: null });
  const s = apply('ARG D=def\nARG GIVEN=x\nARG META\nARG NONE\nARG NULLED\nENV D=env\n', a);
  assert.equal(s.args.get('GIVEN'), 'g');
  assert.equal(s.args.get('META'), 'm', 'a bare redeclaration takes the meta ARG');
  assert.ok(!s.args.has('NONE'));
  assert.ok(a.used.has('GIVEN') && a.used.has('NULLED'));
  assert.equal(stepVars(s).get('D'), 'env');
  assert.deepEqual(argEnv(s), ['GIVEN=g', 'META=m'], 'ARGs shadowed by ENV are not in RUN env');
});

test('WORKDIR resolves against the previous one; USER, LABEL, EXPOSE, VOLUME, STOPSIGNAL', () => {
  const s = apply(
    'ENV DIR=data\nWORKDIR /app\nWORKDIR $DIR\nUSER 1000:1000\nLABEL "a b"=c d=$DIR\n' +
      'EXPOSE 80 53/udp 8000-8001\nVOLUME ["/v1", "/v2"]\nSTOPSIGNAL SIGINT\n',
  );
  assert.equal(s.config.WorkingDir, '/app/data');
  assert.equal(s.config.User, '1000:1000');
  assert.deepEqual(s.config.Labels, { 'a b': 'c', d: 'data' });
  assert.deepEqual(Object.keys(s.config.ExposedPorts ?? {}).sort(), [
    '53/udp',
    '80/tcp',
    '8000/tcp',
    '8001/tcp',
  ]);
  assert.deepEqual(Object.keys(s.config.Volumes ?? {}), ['/v1', '/v2']);
  assert.equal(s.config.StopSignal, 'SIGINT');
});

test('CMD and ENTRYPOINT: shell form through SHELL; ENTRYPOINT resets an inherited CMD only', () => {
  const s = stage();
  s.config.Cmd = ['inherited'];
  for (const i of instrs('SHELL ["/bin/bash", "-c"]\nENTRYPOINT run me\n'))
    applyMetadata(s, i, args());
  assert.deepEqual(s.config.Entrypoint, ['/bin/bash', '-c', 'run me']);
  assert.equal(s.config.Cmd, null);
  const t = apply('CMD ["a"]\nENTRYPOINT ["e"]\n');
  assert.deepEqual(t.config.Cmd, ['a'], 'a CMD of this stage survives ENTRYPOINT');
});

test('HEALTHCHECK and ONBUILD are recorded; RUN is not metadata', () => {
  const s = apply('HEALTHCHECK --interval=1s --retries=2 CMD true\nONBUILD RUN echo hi\n');
  assert.deepEqual(s.config.Healthcheck, {
    Test: ['CMD-SHELL', 'true'],
    Interval: 1e9,
    Retries: 2,
  });
  assert.deepEqual(s.config.OnBuild, ['RUN echo hi']);
  const none = apply('HEALTHCHECK NONE\n');
  assert.deepEqual(none.config.Healthcheck, { Test: ['NONE'] });
  assert.throws(() => apply('RUN true\n'), /not a metadata instruction/);
  assert.throws(() => apply('EXPOSE 99999\n'), /EXPOSE|port/i);
});

test('runArgv: exec form as is, shell form via SHELL, heredoc scripts', () => {
  const s = stage();
  const run = (src: string) => runArgv(s, instrs(src)[0] as RunInstruction);
  assert.deepEqual(run('RUN ["echo", "a b"]\n'), ['echo', 'a b']);
  assert.deepEqual(run('RUN echo $HOME\n'), ['/bin/sh', '-c', 'echo $HOME']);
  assert.deepEqual(run('RUN <<EOF\necho one\necho two\nEOF\n'), [
    '/bin/sh',
    '-c',
    'echo one\necho two\n',
  ]);
  assert.deepEqual(run('RUN cat <<EOF > /f\nbody\nEOF\n'), [
    '/bin/sh',
    '-c',
    'cat <<EOF > /f\nbody\nEOF\n',
  ]);
  s.config.Shell = ['/bin/ash', '-ec'];
  assert.deepEqual(run('RUN x\n'), ['/bin/ash', '-ec', 'x']);
});
