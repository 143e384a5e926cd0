/**
 * The exec model of the containers service: extra processes run inside a running container
 * (`docker exec`). Nothing here knows about HTTP or the Engine API's casing.
 */
import type { AttachConnection } from '../../../drivers/runtime/attach.js';

/** What a client asked for when creating an exec. */
export interface ExecCreateRequest {
  /** The command line; must not be empty. */
  cmd: string[];
  /** `KEY=value` entries overlaid on the container's environment. */
  env: string[];
  /** Absolute path; '' means the container's working directory. */
  workingDir: string;
  /** `user[:group]`; '' means the container's user. */
  user: string;
  privileged: boolean;
  tty: boolean;
  attachStdin: boolean;
  attachStdout: boolean;
  attachStderr: boolean;
  /** Docker's detach key sequence as given (kept for inspect). */
  detachKeys: string;
  /** Initial [rows, columns] of the exec's pty. */
  consoleSize: [number, number] | null;
}

/** An exec as the service hands it out (GET /exec/{id}/json). */
export interface ExecView {
  id: string;
  containerId: string;
  running: boolean;
  /** null until the process has exited (or failed to start). */
  exitCode: number | null;
  /** The exec process in the host pid namespace; 0 before it started. */
  pid: number;
  openStdin: boolean;
  openStdout: boolean;
  openStderr: boolean;
  detachKeys: string;
  canRemove: boolean;
  processConfig: {
    privileged: boolean;
    user: string;
    tty: boolean;
    entrypoint: string;
    arguments: string[];
  };
}

/** The life of one exec: created → starting → running → exited (or straight to exited on failure). */
export type ExecPhase = 'created' | 'starting' | 'running' | 'exited';

/** One exec held in the registry. Mutated only by the exec verbs. */
export interface ExecRecord {
  id: string;
  containerId: string;
  config: ExecCreateRequest;
  phase: ExecPhase;
  pid: number;
  exitCode: number | null;
  /** Epoch ms of the exit, for pruning finished execs. */
  exitedAt: number;
  /** The dir conmon uses for this exec (its ctl FIFO answers resizes). */
  execDir: string;
  /** Settles once the exec left 'created'/'starting' (resize waits for it). */
  started: Promise<void>;
  markStarted: () => void;
}

/** Where an attached exec start sends its output; the edge implements it over the hijack. */
export interface ExecOutput {
  /** Output of the exec (all 'stdout' with a TTY), for the streams the exec attached. */
  write(stream: 'stdout' | 'stderr', data: Buffer): void;
  /** Called once, after the exit code is recorded (inspect shows it from then on). */
  end(): void;
  /** Called once the exec's stdio is connected: the edge forwards its client's stdin here. */
  onConnected?(conn: AttachConnection): void;
}

/** How POST /exec/{id}/start runs an exec. */
export interface ExecStartOptions {
  /** Run in the background; the start resolves once the process runs. */
  detach: boolean;
  /** Overrides the create's console size. */
  consoleSize?: [number, number];
  /**
   * Attached starts only: called after every check passed and just before the process starts;
   * returns where output goes. A start failure after this is written there, not thrown.
   */
  open?: () => ExecOutput;
}
