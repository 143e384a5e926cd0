import { join } from 'node:path';
import { conflict, invalidParameter } from '../../../errors/index.js';
import { parseDetachKeys } from '../../../lib/detach-keys.js';
import { newId } from '../../../lib/ids.js';
import type { ContainerContext, Stored } from '../context.js';
import type { ExecRegistry } from './registry.js';
import type { ExecCreateRequest, ExecRecord } from './types.js';

/**
 * Docker's refusal to exec into a container that is not running, with its exact messages
 * (409 Conflict): paused first, then anything else that is not running.
 */
export function requireExecutable(ctx: ContainerContext, c: Stored): void {
  const status = ctx.status(c);
  if (status === 'paused') {
    throw conflict(`Container ${c.id} is paused, unpause the container before exec`);
  }
  if (status !== 'running') throw conflict(`Container ${c.id} is not running`);
}

/** Checks what the service can check without the container: Docker's 400s. */
function validate(req: ExecCreateRequest): void {
  if (req.cmd.length === 0 || req.cmd.every((a) => a === '')) {
    throw invalidParameter('No exec command specified');
  }
  for (const s of [...req.cmd, ...req.env, req.workingDir, req.user]) {
    if (s.includes('\0')) throw invalidParameter('exec configuration contains a NUL byte');
  }
  if (req.workingDir !== '' && !req.workingDir.startsWith('/')) {
    throw invalidParameter(
      `the working directory '${req.workingDir}' is invalid, it needs to be an absolute path`,
    );
  }
  for (const e of req.env) {
    if (e === '' || e.startsWith('=')) throw invalidParameter(`invalid environment variable: ${e}`);
  }
  try {
    parseDetachKeys(req.detachKeys);
  } catch {
    throw invalidParameter(`Invalid detach keys (${req.detachKeys}) provided`);
  }
  const size = req.consoleSize;
  if (size !== null && !size.every((n) => Number.isInteger(n) && n >= 0 && n <= 0xffff)) {
    throw invalidParameter(`invalid console size: ${JSON.stringify(size)}`);
  }
}

/** `exec_create: echo hi`: Docker's event action carries the command line. */
export function execAction(verb: string, cmd: readonly string[]): string {
  return `${verb}: ${cmd.join(' ')}`;
}

/**
 * POST /containers/{id}/exec: registers an exec for a running container and returns its id.
 * Nothing runs yet; the user, working dir and binary are checked when it starts, as Docker does.
 */
export function createExec(
  ctx: ContainerContext,
  registry: ExecRegistry,
  idOrName: string,
  req: ExecCreateRequest,
): string {
  validate(req);
  const c = ctx.lookup(idOrName);
  requireExecutable(ctx, c);
  const id = newId();
  let markStarted!: () => void;
  const started = new Promise<void>((resolve) => (markStarted = resolve));
  const record: ExecRecord = {
    id,
    containerId: c.id,
    config: structuredClone(req),
    phase: 'created',
    pid: 0,
    exitCode: null,
    exitedAt: 0,
    // Inside the bundle: it goes when the container stops, as its execs do.
    execDir: join(ctx.deps.paths.bundleDir(c.id), 'exec', id),
    started,
    markStarted,
  };
  registry.add(record);
  ctx.deps.events.publish('container', execAction('exec_create', req.cmd), c.id, {
    execID: id,
    name: c.name,
    image: c.imageRef,
  });
  return id;
}
