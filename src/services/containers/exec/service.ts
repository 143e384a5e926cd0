import { invalidParameter, systemError } from '../../../errors/index.js';
import type { ContainerContext } from '../context.js';
import { createExec } from './create.js';
import { ExecRegistry } from './registry.js';
import { startExec } from './start.js';
import type { ExecCreateRequest, ExecRecord, ExecStartOptions, ExecView } from './types.js';

/** How long a resize waits for its exec to start (Docker waits 10 s as well). */
const START_WAIT_MS = 10_000;

/**
 * `docker exec` for the containers service: create, start, inspect and resize of execs, held in
 * an in-memory {@link ExecRegistry} (execs do not survive a daemon restart). A container's execs
 * are forgotten when it is destroyed.
 */
export class ExecService {
  private readonly registry = new ExecRegistry();

  constructor(private readonly ctx: ContainerContext) {
    ctx.deps.events.subscribe((ev) => {
      if (ev.type === 'container' && ev.action === 'destroy') {
        this.registry.dropContainer(ev.actor.id);
      }
    });
  }

  /** POST /containers/{id}/exec; returns the new exec's id. */
  create(idOrName: string, req: ExecCreateRequest): string {
    return createExec(this.ctx, this.registry, idOrName, req);
  }

  /** POST /exec/{id}/start; see startExec for what resolves when. */
  start(execId: string, opts: ExecStartOptions): Promise<void> {
    return startExec(this.ctx, this.registry, execId, opts);
  }

  /** GET /exec/{id}/json. */
  inspect(execId: string): ExecView {
    return viewOf(this.registry.get(execId));
  }

  /** Drops a finished exec's record (its result has been read). */
  forget(execId: string): void {
    this.registry.forgetFinished(execId);
  }

  /** Ids of a container's running execs. */
  runningIds(containerId: string): string[] {
    return this.registry.runningOf(containerId);
  }

  /** POST /exec/{id}/resize: waits (up to 10 s) for the exec to start, then resizes its pty. */
  async resize(execId: string, rows: number, cols: number): Promise<void> {
    const r = this.registry.get(execId);
    for (const n of [rows, cols]) {
      if (!Number.isInteger(n) || n < 0 || n > 0xffff) {
        throw invalidParameter(`invalid terminal size ${rows}x${cols}`);
      }
    }
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>(
      (res) => (timer = setTimeout(() => res(true), START_WAIT_MS)),
    );
    const late = await Promise.race([r.started.then(() => false), timedOut]);
    clearTimeout(timer);
    if (late) throw systemError('timeout waiting for exec session ready');
    if (r.phase !== 'running') throw invalidParameter('exec process is not running');
    if (!r.config.tty) throw invalidParameter(`exec ${r.id} has no TTY to resize`);
    try {
      await this.ctx.deps.runtime.resize(r.execDir, rows, cols);
    } catch (e) {
      // The exec ended between the check and the write: its ctl FIFO has no reader any more.
      if ((r.phase as string) === 'exited') throw invalidParameter('exec process is not running');
      throw e;
    }
  }
}

function viewOf(r: ExecRecord): ExecView {
  const [entrypoint = '', ...args] = r.config.cmd;
  return {
    id: r.id,
    containerId: r.containerId,
    running: r.phase === 'running',
    exitCode: r.exitCode,
    pid: r.pid,
    openStdin: r.config.attachStdin,
    openStdout: r.config.attachStdout,
    openStderr: r.config.attachStderr,
    detachKeys: r.config.detachKeys,
    canRemove: false,
    processConfig: {
      privileged: r.config.privileged,
      user: r.config.user,
      tty: r.config.tty,
      entrypoint,
      arguments: args,
    },
  };
}
