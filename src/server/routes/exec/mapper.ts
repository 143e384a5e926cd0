import type { ContainerExecBody, ExecInspectResponse, ExecStartBody } from '../../../api/index.js';
import { invalidParameter } from '../../../errors/index.js';
import type { ExecCreateRequest, ExecView } from '../../../services/containers/exec/types.js';

/** A validated body may still carry null anywhere and a string Cmd (see api/validate.ts). */
type Lenient<T> = { [K in keyof T]?: T[K] | null };

/** `[h, w]` as the service takes it; null or absent is no size. */
function consoleSizeOf(v: unknown): [number, number] | null {
  if (v === null || v === undefined) return null;
  if (!Array.isArray(v) || v.length !== 2 || !v.every((n) => Number.isInteger(n) && n >= 0)) {
    throw invalidParameter(`invalid ConsoleSize: ${JSON.stringify(v)}`);
  }
  return [v[0] as number, v[1] as number];
}

/** POST /containers/{id}/exec body → the service's request (after validateRequestBody). */
export function execRequestFromBody(body: Lenient<ContainerExecBody>): ExecCreateRequest {
  const cmd: unknown = body.Cmd;
  return {
    cmd: typeof cmd === 'string' ? [cmd] : (body.Cmd ?? []),
    env: body.Env ?? [],
    workingDir: body.WorkingDir ?? '',
    user: body.User ?? '',
    privileged: body.Privileged ?? false,
    tty: body.Tty ?? false,
    attachStdin: body.AttachStdin ?? false,
    attachStdout: body.AttachStdout ?? false,
    attachStderr: body.AttachStderr ?? false,
    detachKeys: body.DetachKeys ?? '',
    consoleSize: consoleSizeOf(body.ConsoleSize),
  };
}

/** POST /exec/{id}/start body → detach, tty (the stream's framing) and an optional size. */
export function startOptionsFromBody(body: Lenient<ExecStartBody> | undefined): {
  detach: boolean;
  tty: boolean;
  consoleSize: [number, number] | null;
} {
  return {
    detach: body?.Detach ?? false,
    tty: body?.Tty ?? false,
    consoleSize: consoleSizeOf(body?.ConsoleSize),
  };
}

/**
 * GET /exec/{id}/json. ExitCode is null until the exec ends, as dockerd sends it (the spec does
 * not mark the field nullable, but Docker clients expect the null).
 */
export function toExecInspect(v: ExecView): ExecInspectResponse {
  return {
    CanRemove: v.canRemove,
    DetachKeys: v.detachKeys,
    ID: v.id,
    Running: v.running,
    ExitCode: v.exitCode as number,
    ProcessConfig: {
      privileged: v.processConfig.privileged,
      user: v.processConfig.user,
      tty: v.processConfig.tty,
      entrypoint: v.processConfig.entrypoint,
      arguments: v.processConfig.arguments,
    },
    OpenStdin: v.openStdin,
    OpenStderr: v.openStderr,
    OpenStdout: v.openStdout,
    ContainerID: v.containerId,
    Pid: v.pid,
  };
}
