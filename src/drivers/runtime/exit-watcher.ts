import { EventEmitter } from 'node:events';
import { watch, type FSWatcher } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isValidRuntimeId } from './runtime.js';

/**
 * Watches conmon's exit dir (LOWLEVEL §3.5) with one inotify watch; no polling. conmon writes
 * `<id>.XXXXXX` and renames it to `<id>`, so a file named like a container id is complete.
 *
 * Emits `('exit', id, code)` once per exit file; after {@link clear} (which deletes the file) the
 * same id may exit again (a restart). Emits `('error', err)` if the watch itself fails. The
 * caller must create the watcher before starting containers and use {@link readExit} for exits
 * that happened while it was not watching (boot reconcile).
 */
export class ExitWatcher extends EventEmitter {
  readonly #dir: string;
  readonly #watcher: FSWatcher;
  /** Ids already reported whose file still exists: inotify may report a file more than once. */
  readonly #reported = new Set<string>();
  #closed = false;

  /** Starts watching `exitDir`, which must exist. */
  constructor(exitDir: string) {
    super();
    this.#dir = exitDir;
    this.#watcher = watch(exitDir, (_event, name) => {
      if (name === null)
        void this.#rescan(); // the kernel queue overflowed: look at everything
      else void this.#check(name.toString());
    });
    this.#watcher.on('error', (err) => this.emit('error', err));
  }

  /** The exit code conmon recorded for `id`, or null when there is none (yet). */
  async readExit(id: string): Promise<number | null> {
    if (!isValidRuntimeId(id)) return null;
    let text: string;
    try {
      text = await readFile(join(this.#dir, id), 'utf8');
    } catch {
      return null;
    }
    return parseExitCode(text);
  }

  /** Ids that have an exit file now (for boot reconcile). */
  async pending(): Promise<string[]> {
    return (await readdir(this.#dir)).filter(isValidRuntimeId).filter((n) => !isTempName(n));
  }

  /** Deletes the exit file of `id` so that its next exit is reported again. */
  async clear(id: string): Promise<void> {
    if (!isValidRuntimeId(id)) return;
    this.#reported.delete(id);
    await rm(join(this.#dir, id), { force: true });
  }

  /** Stops watching; no event is emitted afterwards. */
  close(): void {
    this.#closed = true;
    this.#watcher.close();
  }

  async #check(name: string): Promise<void> {
    if (this.#closed || isTempName(name) || !isValidRuntimeId(name)) return;
    const code = await this.readExit(name);
    if (code === null) {
      // Deleted (or not yet written): a later file for this id is a new exit.
      this.#reported.delete(name);
      return;
    }
    if (this.#closed || this.#reported.has(name)) return;
    this.#reported.add(name);
    this.emit('exit', name, code);
  }

  async #rescan(): Promise<void> {
    try {
      for (const name of await this.pending()) await this.#check(name);
    } catch (err) {
      if (!this.#closed) this.emit('error', err);
    }
  }
}

/** conmon's temporary names are `<id>.` plus six random characters (mkstemp). */
function isTempName(name: string): boolean {
  return /\.[A-Za-z0-9]{6}$/.test(name);
}

/** The exit file holds a decimal code (128+signal for a signal death). */
export function parseExitCode(text: string): number | null {
  const t = text.trim();
  if (!/^-?\d{1,10}$/.test(t)) return null;
  return Number(t);
}
