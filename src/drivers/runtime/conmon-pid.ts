import { readFile } from 'node:fs/promises';

/**
 * Process identity checks through /proc. A pid alone is not an identity: pids wrap (pid_max is
 * 32768 here) and a dead conmon lingers as a zombie for up to a second (LOWLEVEL P9), during
 * which `kill(pid, 0)` still succeeds. So a pid is checked together with something that the
 * recycled process could not share: the process start time, or conmon's command line.
 */

/** The parts of /proc/<pid>/stat Berth uses. */
export interface ProcStat {
  /** One-letter state: R, S, D, Z (zombie), X (dead), T, t, I… */
  state: string;
  /** Field 22: start time in clock ticks after boot. */
  startTime: bigint;
}

/** Parses the text of /proc/<pid>/stat; null when it is malformed. */
export function parseProcStat(text: string): ProcStat | null {
  // comm (field 2) is in parentheses and may itself contain spaces and ')'.
  const close = text.lastIndexOf(')');
  if (close < 0) return null;
  const fields = text
    .slice(close + 1)
    .trim()
    .split(/\s+/);
  // fields[0] is field 3 (state), so field 22 is fields[19].
  const state = fields[0];
  const start = fields[19];
  if (state === undefined || start === undefined || !/^\d+$/.test(start)) return null;
  return { state, startTime: BigInt(start) };
}

/** Reads /proc/<pid>/stat; null when the process does not exist. */
export async function readProcStat(pid: number): Promise<ProcStat | null> {
  if (!Number.isSafeInteger(pid) || pid <= 0) return null;
  try {
    return parseProcStat(await readFile(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}

/** The start time (stat field 22) of a live process, or null. */
export async function readProcessStartTime(pid: number): Promise<bigint | null> {
  return (await readProcStat(pid))?.startTime ?? null;
}

const gone = (s: ProcStat | null): boolean => s === null || s.state === 'Z' || s.state === 'X';

/**
 * True when `pid` is a live (non-zombie) process that started at `startTime`, i.e. the very
 * process that was recorded, not a successor that got the same pid.
 */
export async function isProcessAlive(pid: number, startTime: bigint | number): Promise<boolean> {
  const s = await readProcStat(pid);
  return !gone(s) && s !== null && s.startTime === BigInt(startTime);
}

/**
 * True when `conmonPid` is a live conmon for container `id`: not a zombie, and its command line
 * carries the id as the argument of `-c`/`--cid`.
 */
export async function isConmonAlive(conmonPid: number, id: string): Promise<boolean> {
  if (gone(await readProcStat(conmonPid))) return false;
  let argv: string[];
  try {
    argv = (await readFile(`/proc/${conmonPid}/cmdline`, 'utf8')).split('\0');
  } catch {
    return false;
  }
  return cmdlineNamesContainer(argv, id);
}

/** True when a conmon argv names container `id` (`-c ID`, `--cid ID` or `--cid=ID`). */
export function cmdlineNamesContainer(argv: readonly string[], id: string): boolean {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if ((a === '-c' || a === '--cid') && argv[i + 1] === id) return true;
    if (a === `--cid=${id}` || a === `-c${id}`) return true;
  }
  return false;
}
