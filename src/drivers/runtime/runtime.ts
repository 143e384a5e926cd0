/**
 * The OCI runtime driver contract. A driver builds conmon/runtime argv, parses their output and
 * puts a deadline on every call; it decides nothing about a container's lifecycle (that is the
 * container service's and the monitor's job). Callers serialise calls per container.
 */

import type { Process } from '../../oci/types.js';
import type { AttachConnection } from './attach.js';

/** What the caller prepared for one container before {@link OciRuntime.create}. */
export interface RuntimeCreateOptions {
  /** Container id: `[A-Za-z0-9][A-Za-z0-9_.-]*`, also conmon's `-c`/`-u`. */
  id: string;
  /** Container name, passed to conmon `-n` (informational). */
  name: string;
  /** Holds config.json (written by the caller); conmon's attach/ctl/winsz/pidfile land here. */
  bundleDir: string;
  /** The k8s-file log conmon writes. */
  logPath: string;
  /** conmon `--exit-dir`: it writes `<exitDir>/<id>` with the exit code. Created if missing. */
  exitDir: string;
  /** conmon `-0`: it writes `exit` (and `oom`) here. Created if missing. */
  persistDir: string;
  /** conmon `-t`; must agree with `process.terminal` in config.json. */
  tty: boolean;
  /** conmon `-i`: keep the container's stdin open for attach clients. */
  stdin: boolean;
  /** conmon `--leave-stdin-open`: an attach client leaving does not close stdin. */
  leaveStdinOpen: boolean;
  /** conmon `--log-size-max` in bytes (conmon truncates, it keeps no rotated file). */
  logSizeMax?: number;
  /** Keep no log at all (conmon's `none` driver): output reaches only attached clients. */
  noLog?: boolean;
  /** TTY only: the pty starts at 0x0, so it is resized to this before create returns. */
  initialSize?: { rows: number; cols: number };
  /** Deadline for the whole create, in ms (default 30 000). */
  timeoutMs?: number;
}

/** A container that exists in the runtime in state `created` (not started). */
export interface CreatedContainer {
  /** The container's init process, in the host pid namespace. */
  pid: number;
  /** The long-lived conmon process that owns stdio, the log and the exit file. */
  conmonPid: number;
  /** Field 22 of /proc/<pid>/stat (clock ticks since boot): guards against pid reuse. */
  pidStartTime: bigint;
}

/** What `runc state` reports. `status` is the runtime's word, not Berth's lifecycle state. */
export interface RuntimeState {
  id: string;
  pid: number;
  status: 'creating' | 'created' | 'running' | 'paused' | 'stopped';
  bundle: string;
  /** RFC 3339 creation time. */
  created: string;
}

/**
 * An OCI runtime driven through conmon. Errors are BerthErrors: 'NotFound' when the runtime does
 * not know the container, 'Conflict' when the container is in the wrong runtime state for the
 * verb (e.g. kill of a stopped container), 'InvalidParameter' for a malformed id or signal, and
 * 'System' for everything else, with the runtime's own message (log wrapper removed) intact.
 */
export interface OciRuntime {
  readonly name: string;
  /** conmon → `runtime create`; resolves once the pid is known. The container is NOT started. */
  create(o: RuntimeCreateOptions): Promise<CreatedContainer>;
  /** `runtime start`: runs the user process of a created container. */
  start(id: string): Promise<void>;
  /** `runtime kill`; `all` signals every process in the container. */
  kill(id: string, signal: string, all?: boolean): Promise<void>;
  /** `runtime delete`; idempotent: a container the runtime does not know is success. */
  delete(id: string, force?: boolean): Promise<void>;
  /** `runtime state`; null when the runtime does not know the container. */
  state(id: string): Promise<RuntimeState | null>;
  /** Every container the runtime knows under its root. */
  list(): Promise<RuntimeState[]>;
  pause(id: string): Promise<void>;
  resume(id: string): Promise<void>;
  /** Changes a running container's cgroup limits (`runc update`); `resources` is OCI LinuxResources. */
  update(id: string, resources: object): Promise<void>;
  /** Host pids of every process in the container (`runc ps`). */
  pids(id: string): Promise<number[]>;
  /** Resizes the pty of a TTY container through conmon's ctl FIFO. */
  resize(bundleDir: string, rows: number, cols: number): Promise<void>;
  /**
   * Runs an extra process in a running container (conmon `-e`, LOWLEVEL §2.5); resolves once its
   * pid is known. A process that cannot be started rejects with the runtime's message (see
   * {@link classifyStartError}). Resize the exec's pty with `resize(o.execDir, …)`.
   */
  exec(o: RuntimeExecOptions): Promise<RuntimeExecProcess>;
}

/** What the caller prepared for one exec before {@link OciRuntime.exec}. */
export interface RuntimeExecOptions {
  /** The running container to enter. */
  containerId: string;
  /** The exec's id: conmon's `-u` (same character rules as a container id). */
  execId: string;
  /** A fresh dir, used only by this exec: process.json, conmon's attach/ctl, exit/. */
  execDir: string;
  /** The OCI process to run (written to process.json); `terminal` must equal `tty`. */
  process: Process;
  /** conmon `-t`. */
  tty: boolean;
  /** conmon `-i`: stdin is open; half-closing the attach connection closes it. */
  stdin: boolean;
  /** conmon `--leave-stdin-open`: closing the attach connection leaves stdin open (detach). */
  leaveStdinOpen?: boolean;
  /** Connect to the exec's stdio before it starts (conmon `--exec-attach`), so no output is lost. */
  attach: boolean;
  /** Deadline until the pid is known, in ms (default 30 000). */
  timeoutMs?: number;
}

/** A started exec process. */
export interface RuntimeExecProcess {
  pid: number;
  /** The exec's stdio, connected before it started; present when `attach` was asked for. */
  attach?: AttachConnection;
  /**
   * Resolves with the exit code (128+n after signal n), or null when conmon vanished without
   * reporting one. Never rejects.
   */
  exited: Promise<number | null>;
}

/**
 * The exit code Docker reports for a container whose process could not be started, from the
 * runtime's error text: 127 when the command is missing, 126 when it cannot be executed, else 125.
 */
export function classifyStartError(message: string): 125 | 126 | 127 {
  const m = message.toLowerCase();
  // Permission problems win: "permission denied" may come with a path that also "exists".
  if (m.includes('permission denied') || m.includes('exec format error')) return 126;
  if (m.includes('executable file not found') || m.includes('no such file or directory')) {
    return 127;
  }
  return 125;
}

const logLine = /^time="[^"]*"\s+level=(\w+)\s+msg="((?:[^"\\]|\\.)*)"/;

/**
 * Strips runc's logrus wrapper (`time="…" level=error msg="…"`) from runtime output and unquotes
 * the message. Error/fatal lines are preferred; text that is not in that format is returned
 * trimmed. Identical repeated lines (runc prints its error twice) are kept once.
 */
export function cleanRuntimeMessage(text: string): string {
  const errors: string[] = [];
  const others: string[] = [];
  const plain: string[] = [];
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (t === '') continue;
    const m = logLine.exec(t);
    if (m === null) plain.push(t);
    else if (m[1] === 'error' || m[1] === 'fatal') errors.push(unquoteGo(m[2] ?? ''));
    else others.push(unquoteGo(m[2] ?? ''));
  }
  const chosen = errors.length > 0 ? errors : plain.length > 0 ? plain : others;
  return [...new Set(chosen.map((s) => s.trim()))].join('\n');
}

/** Undoes Go's strconv.Quote escapes inside a logfmt value. */
function unquoteGo(s: string): string {
  return s.replace(
    /\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{3}|.)/g,
    (_all, e: string) => {
      switch (e[0]) {
        case 'n':
          return '\n';
        case 't':
          return '\t';
        case 'r':
          return '\r';
        case 'a':
          return '\x07';
        case 'b':
          return '\b';
        case 'f':
          return '\f';
        case 'v':
          return '\v';
        case 'x':
        case 'u':
        case 'U':
          return String.fromCodePoint(parseInt(e.slice(1), 16));
        default:
          return /^[0-7]{3}$/.test(e) ? String.fromCharCode(parseInt(e, 8)) : e;
      }
    },
  );
}

const idPattern = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
/** True for an id that is safe as a runtime argument (never mistaken for a flag or a path). */
export function isValidRuntimeId(id: string): boolean {
  return idPattern.test(id);
}
