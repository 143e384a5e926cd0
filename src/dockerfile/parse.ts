import { invalidParameter } from '../errors/index.js';
import type { ArgInstruction, Dockerfile, Stage } from './instructions.js';
import { parseError, splitLines } from './logical-lines.js';
import { parseInstruction } from './parse-instruction.js';

/** Dockerfiles larger than this are refused before parsing (Docker's limit is similar). */
export const MAX_DOCKERFILE_BYTES = 4 * 1024 * 1024;

/**
 * Parses a Dockerfile into its stages. Pure: no file or variable is looked at; arguments stay raw
 * for the builder to expand step by step. Throws InvalidParameter with Docker's message and the
 * line for anything malformed: an unknown instruction, an instruction before the first FROM (ARG
 * excepted), two stages with one name, an empty file.
 */
export function parseDockerfile(source: string): Dockerfile {
  if (Buffer.byteLength(source) > MAX_DOCKERFILE_BYTES) {
    throw invalidParameter(`the Dockerfile is larger than ${MAX_DOCKERFILE_BYTES} bytes`);
  }
  const { directives, lines } = splitLines(source);
  const metaArgs: ArgInstruction[] = [];
  const stages: Stage[] = [];
  const names = new Set<string>();
  for (const l of lines) {
    const instr = parseInstruction(l, directives.escape);
    if (instr.kind === 'FROM') {
      if (instr.stageName !== undefined) {
        if (names.has(instr.stageName)) {
          throw parseError(instr.line, `duplicate name ${instr.stageName}`);
        }
        names.add(instr.stageName);
      }
      stages.push({
        index: stages.length,
        ...(instr.stageName !== undefined ? { name: instr.stageName } : {}),
        from: instr,
        instructions: [],
      });
      continue;
    }
    const current = stages[stages.length - 1];
    if (current === undefined) {
      if (instr.kind !== 'ARG') throw parseError(instr.line, 'no build stage in current context');
      metaArgs.push(instr);
      continue;
    }
    current.instructions.push(instr);
  }
  if (stages.length === 0) {
    throw invalidParameter(
      lines.length === 0
        ? 'the Dockerfile cannot be empty'
        : 'dockerfile parse error: no FROM instruction',
    );
  }
  return { ...directives, metaArgs, stages };
}

/**
 * The stage a build ends with: the one named `target` (case-insensitive), or the last. An unknown
 * target is Docker's "target stage … could not be found".
 */
export function targetStage(df: Dockerfile, target: string | undefined): Stage {
  if (target === undefined || target === '') return df.stages[df.stages.length - 1] as Stage;
  const want = target.toLowerCase();
  const stage = df.stages.find((s) => s.name === want);
  if (!stage) throw invalidParameter(`failed to reach build target ${target} in Dockerfile`);
  return stage;
}
