/**
 * The Dockerfile instruction model. Text fields hold *raw* words (quotes and `$VAR` intact): the
 * builder expands them with the variables in force at that step (see expand.ts), as Docker does.
 */
import type { Heredoc } from './logical-lines.js';

/** A command in exec form (`["a","b"]`, not expanded) or shell form (run by the stage's SHELL). */
export type CommandForm = { form: 'exec'; args: string[] } | { form: 'shell'; text: string };

interface Base {
  /** 1-based line of the instruction. */
  line: number;
  /** The instruction as written (continuations joined), e.g. for ONBUILD and error messages. */
  original: string;
}

export interface FromInstruction extends Base {
  kind: 'FROM';
  image: string;
  stageName?: string;
  platform?: string;
}
export interface RunInstruction extends Base {
  kind: 'RUN';
  command: CommandForm;
  heredocs: Heredoc[];
}
export interface CmdInstruction extends Base {
  kind: 'CMD' | 'ENTRYPOINT';
  command: CommandForm;
}
export interface KeyValueInstruction extends Base {
  kind: 'ENV' | 'LABEL';
  /** [key, raw value] in order. */
  pairs: [string, string][];
}
export interface ArgInstruction extends Base {
  kind: 'ARG';
  args: { name: string; rawDefault?: string }[];
}
export interface ListInstruction extends Base {
  kind: 'EXPOSE' | 'VOLUME';
  /** Raw words (VOLUME's JSON form: its strings). */
  values: string[];
}
export interface SingleInstruction extends Base {
  kind: 'WORKDIR' | 'USER' | 'STOPSIGNAL' | 'MAINTAINER';
  /** The raw argument (WORKDIR and USER keep inner spaces, as Docker's). */
  value: string;
}
export interface CopyInstruction extends Base {
  kind: 'COPY' | 'ADD';
  /** Raw source words; a here-document source is `<<NAME` and found in `heredocs`. */
  sources: string[];
  dest: string;
  heredocs: Heredoc[];
  from?: string;
  chown?: string;
  chmod?: string;
  checksum?: string;
  link?: boolean;
}
export interface HealthcheckInstruction extends Base {
  kind: 'HEALTHCHECK';
  /** `["NONE"]`, `["CMD", …args]` or `["CMD-SHELL", text]`, as in the image config. */
  test: string[];
  intervalNs: number;
  timeoutNs: number;
  startPeriodNs: number;
  startIntervalNs: number;
  retries: number;
}
export interface ShellInstruction extends Base {
  kind: 'SHELL';
  shell: string[];
}
export interface OnbuildInstruction extends Base {
  kind: 'ONBUILD';
  /** The trigger's text as stored in the image config's OnBuild. */
  trigger: string;
  parsed: Instruction;
}

/** Any instruction. */
export type Instruction =
  | FromInstruction
  | RunInstruction
  | CmdInstruction
  | KeyValueInstruction
  | ArgInstruction
  | ListInstruction
  | SingleInstruction
  | CopyInstruction
  | HealthcheckInstruction
  | ShellInstruction
  | OnbuildInstruction;

/** One build stage: its FROM and the instructions up to the next FROM. */
export interface Stage {
  index: number;
  /** Lower-cased `AS` name, if any. */
  name?: string;
  from: FromInstruction;
  instructions: Instruction[];
}

/** A parsed Dockerfile. */
export interface Dockerfile {
  escape: '\\' | '`';
  syntax?: string;
  /** ARGs before the first FROM: usable in FROM lines and redeclared inside stages. */
  metaArgs: ArgInstruction[];
  stages: Stage[];
}
