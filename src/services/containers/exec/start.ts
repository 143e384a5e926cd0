import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { conflict, invalidParameter, systemError } from '../../../errors/index.js';
import { classifyStartError, type RuntimeExecProcess } from '../../../drivers/runtime/runtime.js';
import { dockerEnv, mergeEnv } from '../../../oci/env.js';
import type { Spec } from '../../../oci/types.js';
import type { ContainerContext, Stored } from '../context.js';
import { hostnameOf } from '../etc-files.js';
import { resolveUser } from '../user.js';
import { execAction, requireExecutable } from './create.js';
import { execProcess } from './process-spec.js';
import type { ExecRegistry } from './registry.js';
import type { ExecOutput, ExecRecord, ExecStartOptions } from './types.js';

/** How long output may still arrive after the exit code, before the stream is closed anyway. */
const OUTPUT_GRACE_MS = 2000;

/**
 * POST /exec/{id}/start. An exec starts once: a second start is a 409 with Docker's message.
 * Checks (exec known and unstarted, container running) happen before `opts.open` is called, so
 * the edge can still answer them with an HTTP error. Detached: resolves once the process runs and
 * throws if it cannot start. Attached: output goes to what `open` returned, which is ended after
 * the exit code is recorded; a start failure (e.g. a missing binary, exit code 127) is written
 * there as text and recorded, never thrown.
 */
export async function startExec(
  ctx: ContainerContext,
  registry: ExecRegistry,
  execId: string,
  opts: ExecStartOptions,
): Promise<void> {
  const r = registry.get(execId);
  if (r.phase === 'exited') throw conflict(`Error: Exec command ${r.id} has already run`);
  if (r.phase !== 'created') throw conflict(`Error: Exec command ${r.id} is already running`);
  r.phase = 'starting'; // claimed synchronously: a concurrent start sees it
  let out: ExecOutput | undefined;
  let launching = false;
  try {
    await ctx.mutex.run(r.containerId, async () => {
      const c = ctx.reload(r.containerId);
      requireExecutable(ctx, c);
      if (opts.consoleSize !== undefined) r.config.consoleSize = opts.consoleSize;
      out = opts.open?.();
      ctx.deps.events.publish('container', execAction('exec_start', r.config.cmd), c.id, {
        execID: r.id,
        name: c.name,
        image: c.imageRef,
      });
      launching = true;
      const proc = await launch(ctx, r, c, !opts.detach);
      r.pid = proc.pid;
      r.phase = 'running';
      r.markStarted();
      void follow(ctx, r, c, proc, out);
    });
  } catch (e) {
    if (!launching) {
      r.phase = 'created'; // refused before anything ran: the exec may be started later
      throw e;
    }
    const message = `OCI runtime exec failed: ${(e as Error).message}`;
    const code = classifyStartError(message);
    finish(ctx, r, code === 125 ? 126 : code, false);
    if (out === undefined) {
      if (code === 125) throw systemError(message, e);
      throw invalidParameter(message);
    }
    out.write('stderr', Buffer.from(`${message}\r\n`));
    out.end();
  }
}

/** Builds the exec's process from the container's spec and starts it through the runtime. */
async function launch(
  ctx: ContainerContext,
  r: ExecRecord,
  c: Stored,
  attached: boolean,
): Promise<RuntimeExecProcess> {
  const { deps } = ctx;
  const specText = await readFile(join(deps.paths.bundleDir(c.id), 'config.json'), 'utf8');
  const spec = JSON.parse(specText) as Spec;
  const rootfs = spec.root?.path;
  if (spec.process === undefined || rootfs === undefined) {
    throw systemError(`container ${c.id} has no runnable spec`);
  }
  const cfg = r.config;
  const user = await resolveUser(rootfs, cfg.user || c.config.user);
  const env = dockerEnv({
    hostname: hostnameOf(c.id, c.config),
    tty: cfg.tty,
    env: mergeEnv(c.config.env, cfg.env),
  });
  const process = execProcess(
    spec.process,
    {
      args: cfg.cmd,
      env,
      cwd: cfg.workingDir || c.config.workingDir || '/',
      user: { uid: user.uid, gid: user.gid, additionalGids: user.additionalGids },
      tty: cfg.tty,
      consoleSize: cfg.consoleSize,
      privileged: cfg.privileged,
    },
    deps.host.limits,
  );
  const attach = attached && (cfg.attachStdin || cfg.attachStdout || cfg.attachStderr);
  return deps.runtime.exec({
    containerId: c.id,
    execId: r.id,
    execDir: r.execDir,
    process,
    tty: cfg.tty,
    stdin: attach && cfg.attachStdin,
    // A TTY client detaches rather than closing stdin (see the exec start handler).
    leaveStdinOpen: cfg.tty,
    attach,
  });
}

/** Relays output until the exec exits, records the exit, then ends the output. */
async function follow(
  ctx: ContainerContext,
  r: ExecRecord,
  c: Stored,
  proc: RuntimeExecProcess,
  out: ExecOutput | undefined,
): Promise<void> {
  const conn = proc.attach;
  let closed: Promise<void> = Promise.resolve();
  if (conn !== undefined && out !== undefined) {
    closed = new Promise((resolve) => conn.once('close', () => resolve()));
    conn.on('data', (stream, data) => {
      if (stream === 'stdout' ? r.config.attachStdout : r.config.attachStderr) {
        out.write(stream, data);
      }
    });
    out.onConnected?.(conn);
  }
  const code = await proc.exited;
  if (code === null) ctx.deps.log(`exec ${r.id}: conmon vanished without an exit code`);
  finish(ctx, r, code ?? 255, true, c);
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([closed, new Promise((res) => (timer = setTimeout(res, OUTPUT_GRACE_MS)))]);
  clearTimeout(timer);
  conn?.close();
  out?.end();
  await rm(r.execDir, { recursive: true, force: true }).catch(() => undefined);
}

/** Records the end of an exec; `exec_die` only for a process that ran, as Docker. */
function finish(ctx: ContainerContext, r: ExecRecord, code: number, ran: boolean, c?: Stored) {
  r.phase = 'exited';
  r.exitCode = code;
  r.exitedAt = Date.now();
  r.markStarted();
  if (ran && c !== undefined) {
    ctx.deps.events.publish('container', 'exec_die', c.id, {
      execID: r.id,
      exitCode: String(code),
      name: c.name,
      image: c.imageRef,
    });
  }
}
