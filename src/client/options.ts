import type { ContainerWaitResponse } from '../api/index.js';
import type { Endpoint } from './endpoint.js';

/** Options of {@link BerthClient}'s constructor. */
export interface BerthClientOptions {
  /** Socket to dial; default: `BERTH_HOST`, `DOCKER_HOST` (unix:// only), then /run/berth/berth.sock. */
  socketPath?: string;
  /** Full endpoint (TCP, TLS); wins over `socketPath`. See `resolveEndpoint`. */
  endpoint?: Endpoint;
  /** Pins the API version (`1.56` style); otherwise 1.56 until {@link BerthClient.negotiate} runs. */
  apiVersion?: string;
}

/** What GET /_ping reports. */
export interface PingResult {
  /** The `API-Version` header: the highest version the daemon speaks. */
  apiVersion?: string;
  osType?: string;
  experimental: boolean;
  builderVersion?: string;
}

/** Query of GET /containers/json. */
export interface ContainerListOptions {
  all?: boolean;
  limit?: number;
  size?: boolean;
  filters?: Record<string, string[]>;
}

/** Query of POST /containers/{id}/stop (and restart). */
export interface ContainerStopOptions {
  /** Seconds to wait before killing. */
  t?: number;
  signal?: string;
}

/** Query of DELETE /containers/{id}. */
export interface ContainerRemoveOptions {
  force?: boolean;
  /** Remove anonymous volumes too. */
  v?: boolean;
}

/** Conditions POST /containers/{id}/wait accepts. */
export type WaitCondition = 'not-running' | 'next-exit' | 'removed';

/** A registered wait: `result` settles when the container reaches the condition. */
export interface ContainerWait {
  result: Promise<ContainerWaitResponse>;
}

/** Query of GET /containers/{id}/logs, plus how to decode the stream. */
export interface ContainerLogsOptions {
  follow?: boolean;
  stdout?: boolean;
  stderr?: boolean;
  /** Unix seconds, or Docker's `seconds.nanoseconds` string. */
  since?: number | string;
  until?: number | string;
  timestamps?: boolean;
  /** Lines from the end, or `all`. */
  tail?: number | 'all';
  /** True for a TTY container (raw stream). Default: from the response's Content-Type. */
  tty?: boolean;
}

/** Query of POST /containers/{id}/attach, plus how to decode the stream. */
export interface ContainerAttachOptions {
  stream?: boolean;
  stdin?: boolean;
  stdout?: boolean;
  stderr?: boolean;
  /** Replay the container's log first. */
  logs?: boolean;
  detachKeys?: string;
  /** True for a TTY container: output is raw bytes, not stdcopy frames. */
  tty: boolean;
}

/** Query of GET /images/json. */
export interface ImageListOptions {
  all?: boolean;
  digests?: boolean;
  filters?: Record<string, string[]>;
}
