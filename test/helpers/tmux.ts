import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { execFile } from '../../src/lib/exec.js';

/** The outer shell's prompt on the last line (capture-pane drops trailing blanks). */
export const PROMPT = /OUT\$ ?$/m;

/** A real terminal for interactive tests: one tmux server of its own, one session, one pane. */
export interface TmuxTerminal {
  /** Types keys (tmux key names such as `Enter`, `C-p`, or literal text with `literal`). */
  keys(...keys: string[]): Promise<void>;
  /** Types text literally, then Enter. */
  line(text: string): Promise<void>;
  /** The pane's visible text. */
  screen(): Promise<string>;
  /** Waits until the screen matches; the error shows the screen. */
  waitFor(pattern: RegExp, ms?: number): Promise<string>;
  /** Clears the screen and tmux's history so later waits see only new output. */
  clear(): Promise<void>;
  resize(cols: number, rows: number): Promise<void>;
  /** The pane's [rows, cols]. */
  size(): Promise<[number, number]>;
  /** Kills the tmux server (and the shell in it). */
  kill(): Promise<void>;
}

/**
 * Starts `bash --norc` in a detached tmux session on a private server (`tmux -L <unique>`), with
 * `env` added, PS1 `OUT$ ` and the given size.
 */
export async function startTmux(
  env: Record<string, string>,
  cols = 100,
  rows = 30,
): Promise<TmuxTerminal> {
  const server = `berth-${randomBytes(4).toString('hex')}`;
  const tmux = async (...args: string[]): Promise<string> => {
    const r = await execFile('tmux', ['-L', server, ...args], { timeoutMs: 10_000 });
    if (r.code !== 0) throw new Error(`tmux ${args[0]}: ${r.stderr}`);
    return r.stdout;
  };
  const envArgs = Object.entries({ ...env, PS1: 'OUT$ ', TERM: 'xterm' }).map(
    ([k, v]) => `${k}=${v}`,
  );
  await tmux(
    'new-session',
    '-d',
    '-s',
    'main',
    '-x',
    String(cols),
    '-y',
    String(rows),
    'env',
    ...envArgs,
    'bash',
    '--norc',
    '--noprofile',
  );
  await tmux('set-option', '-t', 'main', 'status', 'off');
  const screen = () => tmux('capture-pane', '-p', '-t', 'main');
  const term: TmuxTerminal = {
    keys: async (...keys) => void (await tmux('send-keys', '-t', 'main', ...keys)),
    line: async (text) => {
      await tmux('send-keys', '-t', 'main', '-l', text);
      await tmux('send-keys', '-t', 'main', 'Enter');
    },
    screen,
    waitFor: async (pattern, ms = 15_000) => {
      const deadline = Date.now() + ms;
      for (;;) {
        const s = await screen();
        if (pattern.test(s)) return s;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}:\n${s}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    clear: async () => {
      await tmux('send-keys', '-t', 'main', '-R');
      await tmux('clear-history', '-t', 'main');
    },
    resize: async (c, r) =>
      void (await tmux('resize-window', '-t', 'main', '-x', String(c), '-y', String(r))),
    size: async () => {
      const out = await tmux('display-message', '-p', '-t', 'main', '#{pane_height} #{pane_width}');
      const [h, w] = out.trim().split(' ').map(Number);
      return [h ?? 0, w ?? 0];
    },
    kill: async () => {
      await execFile('tmux', ['-L', server, 'kill-server'], { timeoutMs: 10_000 });
      await rm(`/tmp/tmux-${process.getuid?.() ?? 0}/${server}`, { force: true });
    },
  };
  try {
    await term.waitFor(PROMPT);
  } catch (e) {
    await term.kill();
    throw e;
  }
  return term;
}
