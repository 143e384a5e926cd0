import type { IncomingMessage } from 'node:http';
import { DEFAULT_API_VERSION, isApiVersion, negotiateApiVersion } from './api-version.js';
import { hijack, type AttachConnection } from './hijack.js';
import { describeEndpoint, type Endpoint } from './endpoint.js';
import { resolveEndpoint } from './resolve-endpoint.js';
import type {
  BerthClientOptions,
  ContainerAttachOptions,
  ContainerListOptions,
  ContainerLogsOptions,
  ContainerRemoveOptions,
  ContainerStopOptions,
  ContainerWait,
  ImageListOptions,
  PingResult,
  WaitCondition,
} from './options.js';
import { buildQuery, imageSegment, segment } from './query.js';
import { outputChunks, type OutputChunk } from './stdcopy.js';
import { jsonLines } from './json-lines.js';
import { readText, Transport, type RequestSpec } from './transport.js';
import type { ExecStartOptions } from './exec-options.js';
import type { Readable } from 'node:stream';
import { multiQuery, sendStream } from './archives.js';
import {
  archiveQuery,
  pathStatOf,
  type ContainerPathStat,
  type PutArchiveOptions,
} from './container-fs.js';
import { networkApi, type NetworkApi } from './networks.js';
import { volumeApi, type VolumeApi } from './volumes.js';
import { buildApi, type BuildApi } from './build.js';
import type {
  ContainerExecBody,
  ExecInspectResponse,
  IDResponse,
  ContainerCreateBody,
  ContainerCreateResponse,
  ContainerInspectResponse,
  ContainerStatsResponse,
  EventMessage,
  ContainerSummary,
  ContainerWaitResponse,
  FilesystemChange,
  ImageInspect,
  ImageSummary,
  ImageDeleteResponseItem,
  ImageHistoryResponseItem,
  ImagePruneResponse,
  SystemInfo,
  SystemVersion,
} from '../api/index.js';

/**
 * Typed Docker Engine API client over berthd's unix socket. Every method maps to one endpoint;
 * non-2xx answers reject with `ApiError`, an absent daemon with `DaemonUnreachableError`.
 * Call {@link close} when done so idle keep-alive sockets are released.
 */
export class BerthClient {
  /** The unix socket path, or `tcp://host:port` for a TCP endpoint. */
  readonly socketPath: string;
  /** Where requests go (unix socket, TCP, TLS). */
  readonly endpoint: Endpoint;
  private currentVersion: string;
  private readonly transport: Transport;

  constructor(opts: BerthClientOptions = {}) {
    this.endpoint =
      opts.endpoint ??
      (opts.socketPath !== undefined
        ? { kind: 'unix', socketPath: opts.socketPath }
        : resolveEndpoint({ env: process.env }));
    this.socketPath =
      this.endpoint.kind === 'unix' ? this.endpoint.socketPath : describeEndpoint(this.endpoint);
    const v = opts.apiVersion ?? DEFAULT_API_VERSION;
    if (!isApiVersion(v)) throw new Error(`invalid API version: ${JSON.stringify(v)}`);
    this.currentVersion = v;
    this.transport = new Transport(this.endpoint);
  }

  /** The API version requests are prefixed with (`/v1.56/...`). */
  get apiVersion(): string {
    return this.currentVersion;
  }

  /** Pings the daemon and lowers the API version to the daemon's when that is older. */
  async negotiate(): Promise<string> {
    const ping = await this.ping();
    this.currentVersion = negotiateApiVersion(ping.apiVersion, this.currentVersion);
    return this.currentVersion;
  }

  /** GET /_ping (unversioned). */
  async ping(): Promise<PingResult> {
    const res = await this.transport.send({ method: 'GET', path: '/_ping' });
    await readText(res);
    const h = (name: string): string | undefined => {
      const v = res.headers[name];
      return typeof v === 'string' ? v : undefined;
    };
    const result: PingResult = { experimental: h('docker-experimental') === 'true' };
    const apiVersion = h('api-version');
    const osType = h('ostype');
    const builderVersion = h('builder-version');
    if (apiVersion !== undefined) result.apiVersion = apiVersion;
    if (osType !== undefined) result.osType = osType;
    if (builderVersion !== undefined) result.builderVersion = builderVersion;
    return result;
  }

  /** GET /version. */
  version(): Promise<SystemVersion> {
    return this.json('GET', '/version');
  }

  /** GET /info. */
  info(): Promise<SystemInfo> {
    return this.json('GET', '/info');
  }

  /** POST /containers/create. */
  containerCreate(
    body: ContainerCreateBody,
    opts: { name?: string; platform?: string } = {},
  ): Promise<ContainerCreateResponse> {
    const q = buildQuery({ name: opts.name, platform: opts.platform });
    return this.json('POST', `/containers/create${q}`, body);
  }

  /** POST /containers/{id}/start (already running is not an error). */
  async containerStart(id: string): Promise<void> {
    await this.empty('POST', `/containers/${segment(id)}/start`);
  }

  /** POST /containers/{id}/stop (already stopped is not an error). */
  async containerStop(id: string, opts: ContainerStopOptions = {}): Promise<void> {
    const q = buildQuery({ t: opts.t, signal: opts.signal });
    await this.empty('POST', `/containers/${segment(id)}/stop${q}`);
  }

  /** POST /containers/{id}/kill (default signal SIGKILL, chosen by the daemon). */
  async containerKill(id: string, signal?: string): Promise<void> {
    await this.empty('POST', `/containers/${segment(id)}/kill${buildQuery({ signal })}`);
  }

  /** DELETE /containers/{id}. */
  async containerRemove(id: string, opts: ContainerRemoveOptions = {}): Promise<void> {
    const q = buildQuery({ force: opts.force, v: opts.v });
    await this.empty('DELETE', `/containers/${segment(id)}${q}`);
  }

  /** GET /containers/{id}/json. */
  containerInspect(id: string): Promise<ContainerInspectResponse> {
    return this.json('GET', `/containers/${segment(id)}/json`);
  }

  /** GET /containers/json. */
  containerList(opts: ContainerListOptions = {}): Promise<ContainerSummary[]> {
    const { all, limit, size, filters } = opts;
    return this.json('GET', `/containers/json${buildQuery({ all, limit, size, filters })}`);
  }

  /**
   * POST /containers/{id}/wait. Resolves as soon as the daemon has answered the headers — from
   * then on the wait is registered, so a following start cannot race past it — with `result`,
   * which settles when the body (the exit status) arrives.
   */
  async containerWait(
    id: string,
    condition: WaitCondition = 'not-running',
  ): Promise<ContainerWait> {
    const res = await this.transport.send({
      method: 'POST',
      path: this.path(`/containers/${segment(id)}/wait${buildQuery({ condition })}`),
    });
    const result = readText(res).then((text) => JSON.parse(text) as ContainerWaitResponse);
    // Mark as handled: a caller that awaits `result` later still sees the rejection.
    result.catch(() => undefined);
    return { result };
  }

  /**
   * GET /containers/{id}/logs. Rejects before streaming for a bad id; the iterable then yields
   * chunks until the log ends (or, with `follow`, the container stops). Breaking out of the
   * iteration closes the request.
   */
  async containerLogs(
    id: string,
    opts: ContainerLogsOptions = {},
  ): Promise<AsyncIterable<OutputChunk>> {
    const { follow, stdout, stderr, since, until, timestamps, tail } = opts;
    const q = buildQuery({ follow, stdout, stderr, since, until, timestamps, tail });
    const res = await this.transport.send({
      method: 'GET',
      path: this.path(`/containers/${segment(id)}/logs${q}`),
    });
    const raw = String(res.headers['content-type'] ?? '').includes('raw-stream');
    const multiplexed = opts.tty === undefined ? !raw : !opts.tty;
    async function* chunks(): AsyncGenerator<OutputChunk> {
      try {
        yield* outputChunks(res as AsyncIterable<Buffer>, multiplexed);
      } finally {
        res.destroy();
      }
    }
    return chunks();
  }

  /**
   * GET /containers/{id}/stats: one object (`stream: false`) or one per second until the container
   * stops. Rejects before streaming for a bad id; breaking out of the iteration closes the request.
   */
  async containerStats(
    id: string,
    opts: { stream?: boolean; oneShot?: boolean } = {},
  ): Promise<AsyncIterable<ContainerStatsResponse>> {
    const q = buildQuery({ stream: opts.stream ?? true, 'one-shot': opts.oneShot });
    const res = await this.transport.send({
      method: 'GET',
      path: this.path(`/containers/${segment(id)}/stats${q}`),
    });
    return closingJsonLines<ContainerStatsResponse>(res);
  }

  /**
   * GET /events: history (with `since`/`until`, unix seconds or RFC 3339), then live events until
   * `until`. Breaking out of the iteration closes the request.
   */
  async events(
    opts: { since?: string; until?: string; filters?: Record<string, string[]> } = {},
  ): Promise<AsyncIterable<EventMessage>> {
    const res = await this.transport.send({
      method: 'GET',
      path: this.path(
        `/events${buildQuery({ since: opts.since, until: opts.until, filters: opts.filters })}`,
      ),
    });
    return closingJsonLines<EventMessage>(res);
  }

  /** POST /containers/{id}/attach, hijacked: resolves once the daemon answered 101. */
  containerAttach(id: string, opts: ContainerAttachOptions): Promise<AttachConnection> {
    const { stream, stdin, stdout, stderr, logs, detachKeys } = opts;
    const q = buildQuery({ stream, stdin, stdout, stderr, logs, detachKeys });
    return hijack(this.endpoint, this.path(`/containers/${segment(id)}/attach${q}`), opts.tty);
  }

  /** POST /containers/{id}/resize: sets a running TTY container's size (rows × columns). */
  async containerResize(id: string, size: { h: number; w: number }): Promise<void> {
    await this.empty('POST', `/containers/${segment(id)}/resize${buildQuery(size)}`);
  }

  /** POST /containers/{id}/exec: returns the exec's id. */
  async execCreate(id: string, body: ContainerExecBody): Promise<string> {
    const res = await this.json<IDResponse>('POST', `/containers/${segment(id)}/exec`, body);
    return res.Id;
  }

  /**
   * POST /exec/{id}/start, hijacked: resolves once the daemon answered 101; the output ends when
   * the exec exits (its exit code is then in {@link execInspect}).
   */
  execStart(id: string, opts: ExecStartOptions = {}): Promise<AttachConnection> {
    const body = { Detach: false, Tty: opts.tty ?? false, ConsoleSize: opts.consoleSize ?? null };
    return hijack(this.endpoint, this.path(`/exec/${segment(id)}/start`), body.Tty, body);
  }

  /** POST /exec/{id}/start with Detach: resolves once the exec runs in the background. */
  async execStartDetached(id: string, opts: ExecStartOptions = {}): Promise<void> {
    const body = { Detach: true, Tty: opts.tty ?? false, ConsoleSize: opts.consoleSize ?? null };
    await this.transport.empty({
      method: 'POST',
      path: this.path(`/exec/${segment(id)}/start`),
      body,
    });
  }

  /** GET /exec/{id}/json (ExitCode is null while the exec runs). */
  execInspect(id: string): Promise<ExecInspectResponse> {
    return this.json('GET', `/exec/${segment(id)}/json`);
  }

  /** POST /exec/{id}/resize. */
  async execResize(id: string, size: { h: number; w: number }): Promise<void> {
    await this.empty('POST', `/exec/${segment(id)}/resize${buildQuery(size)}`);
  }

  /** GET /images/json. */
  imageList(opts: ImageListOptions = {}): Promise<ImageSummary[]> {
    const { all, digests, filters } = opts;
    return this.json('GET', `/images/json${buildQuery({ all, digests, filters })}`);
  }

  /** GET /images/{name}/json. */
  imageInspect(name: string): Promise<ImageInspect> {
    return this.json('GET', `/images/${imageSegment(name)}/json`);
  }

  /** POST /images/{name}/tag: names the image `repo:tag` (tag defaults to latest). */
  async imageTag(name: string, repo: string, tag?: string): Promise<void> {
    await this.empty('POST', `/images/${imageSegment(name)}/tag${buildQuery({ repo, tag })}`);
  }

  /** DELETE /images/{name}: what was untagged and deleted. */
  imageRemove(
    name: string,
    opts: { force?: boolean; noprune?: boolean } = {},
  ): Promise<ImageDeleteResponseItem[]> {
    const q = buildQuery({ force: opts.force, noprune: opts.noprune });
    return this.json('DELETE', `/images/${imageSegment(name)}${q}`);
  }

  /** GET /images/{name}/history, newest first. */
  imageHistory(name: string): Promise<ImageHistoryResponseItem[]> {
    return this.json('GET', `/images/${imageSegment(name)}/history`);
  }

  /** POST /images/prune. */
  imagePrune(filters: Record<string, string[]> = {}): Promise<ImagePruneResponse> {
    return this.json('POST', `/images/prune${buildQuery({ filters })}`);
  }

  /**
   * POST /images/{name}/push: the progress JSON lines (`status`, `progressDetail`, `aux`,
   * `errorDetail`...). `auth` is the decoded X-Registry-Auth object (sent base64url-encoded).
   */
  async imagePush(
    name: string,
    opts: { tag?: string; auth?: Record<string, string> } = {},
  ): Promise<AsyncIterable<Record<string, unknown>>> {
    const auth = Buffer.from(JSON.stringify(opts.auth ?? {})).toString('base64url');
    const res = await this.transport.send({
      method: 'POST',
      path: this.path(`/images/${imageSegment(name)}/push${buildQuery({ tag: opts.tag })}`),
      headers: { 'X-Registry-Auth': auth },
    });
    return closingJsonLines<Record<string, unknown>>(res);
  }

  /**
   * POST /images/create?fromImage=&tag=&platform= (a pull): rejects before streaming for a bad
   * reference or an unknown repository/tag (404); then the progress JSON lines, a failure arriving
   * as a line with `errorDetail`. `name` is `name[:tag|@digest]`; `auth` the decoded
   * X-Registry-Auth object.
   */
  async imagePull(
    name: string,
    opts: { platform?: string; auth?: Record<string, string> } = {},
  ): Promise<AsyncIterable<Record<string, unknown>>> {
    const at = name.indexOf('@');
    const colon = name.lastIndexOf(':');
    const split = at !== -1 ? at : colon > name.lastIndexOf('/') ? colon : -1;
    const fromImage = split === -1 ? name : name.slice(0, split);
    const tag = split === -1 ? 'latest' : name.slice(split + 1);
    const q = buildQuery({ fromImage, tag, platform: opts.platform });
    const headers: Record<string, string> = {};
    if (opts.auth)
      headers['X-Registry-Auth'] = Buffer.from(JSON.stringify(opts.auth)).toString('base64url');
    const res = await this.transport.send({
      method: 'POST',
      path: this.path(`/images/create${q}`),
      headers,
    });
    return closingJsonLines<Record<string, unknown>>(res);
  }

  /** POST /auth: checks credentials against a registry; rejects (401) when refused. */
  login(auth: {
    username: string;
    password: string;
    serveraddress: string;
  }): Promise<{ Status: string }> {
    return this.json('POST', '/auth', auth);
  }

  /** GET /images/get?names=… (`docker save`): the archive as a tar stream. */
  async imageSave(names: string[]): Promise<IncomingMessage> {
    const q = multiQuery({}, { names });
    return this.transport.send({ method: 'GET', path: this.path(`/images/get${q}`) });
  }

  /** POST /images/load (`docker load`): the progress JSON lines (`stream`, `errorDetail`...). */
  async imageLoad(
    archive: Readable,
    opts: { quiet?: boolean } = {},
  ): Promise<AsyncIterable<Record<string, unknown>>> {
    const q = multiQuery({ quiet: opts.quiet === false ? '0' : '1' });
    const res = await sendStream(this.endpoint, 'POST', this.path(`/images/load${q}`), archive);
    return closingJsonLines<Record<string, unknown>>(res);
  }

  /** POST /images/create?fromSrc=- (`docker import`): the progress lines (`{status: id}`). */
  async imageImport(
    rootfs: Readable,
    opts: { repo?: string; tag?: string; changes?: string[]; message?: string } = {},
  ): Promise<AsyncIterable<Record<string, unknown>>> {
    const { repo, tag, message } = opts;
    const q = multiQuery({ fromSrc: '-', repo, tag, message }, { changes: opts.changes ?? [] });
    const res = await sendStream(this.endpoint, 'POST', this.path(`/images/create${q}`), rootfs);
    return closingJsonLines<Record<string, unknown>>(res);
  }

  /** GET /containers/{id}/export (`docker export`): the rootfs as a tar stream. */
  async containerExport(id: string): Promise<IncomingMessage> {
    return this.transport.send({
      method: 'GET',
      path: this.path(`/containers/${segment(id)}/export`),
    });
  }

  /** The volume endpoints (see volumes.ts). */
  get volumes(): VolumeApi {
    return volumeApi((method, p, body) => this.json(method, p, body));
  }

  /** The build endpoints: build, commit, build cache prune (see build.ts). */
  get builder(): BuildApi {
    return buildApi(
      this.endpoint,
      (p) => this.path(p),
      (method, p, body) => this.json(method, p, body),
    );
  }

  /** The network endpoints (see networks.ts). */
  get networks(): NetworkApi {
    return networkApi((method, p, body) => this.json(method, p, body));
  }

  /** HEAD /containers/{id}/archive: the stat of a path in the container. */
  async containerStatPath(id: string, path: string): Promise<ContainerPathStat> {
    const p = `/containers/${segment(id)}/archive${archiveQuery(path)}`;
    return pathStatOf(await this.transport.empty({ method: 'HEAD', path: this.path(p) }));
  }

  /** GET /containers/{id}/archive: a tar of the path, and its stat. */
  async containerGetArchive(
    id: string,
    path: string,
  ): Promise<{ stat: ContainerPathStat; archive: IncomingMessage }> {
    const p = `/containers/${segment(id)}/archive${archiveQuery(path)}`;
    const res = await this.transport.send({ method: 'GET', path: this.path(p) });
    return { stat: pathStatOf(res.headers), archive: res };
  }

  /** PUT /containers/{id}/archive: extracts a tar (plain or gzip) into the directory `path`. */
  async containerPutArchive(
    id: string,
    path: string,
    archive: Readable,
    opts: PutArchiveOptions = {},
  ): Promise<void> {
    const p = `/containers/${segment(id)}/archive${archiveQuery(path, opts)}`;
    await readText(await sendStream(this.endpoint, 'PUT', this.path(p), archive));
  }

  /** GET /containers/{id}/changes (`docker diff`). */
  containerChanges(id: string): Promise<FilesystemChange[]> {
    return this.json('GET', `/containers/${segment(id)}/changes`);
  }

  /** GET /system/df, optionally narrowed to some types. */
  systemDf(opts: { types?: string[]; verbose?: boolean } = {}): Promise<Record<string, unknown>> {
    const q = multiQuery(
      { verbose: opts.verbose === true ? 'true' : undefined },
      { type: opts.types ?? [] },
    );
    return this.json('GET', `/system/df${q}`);
  }

  /** Releases idle connections. Streams already handed out keep working. */
  close(): void {
    this.transport.close();
  }

  private path(p: string): string {
    return `/v${this.currentVersion}${p}`;
  }

  private json<T>(method: RequestSpec['method'], p: string, body?: unknown): Promise<T> {
    const spec: RequestSpec = { method, path: this.path(p) };
    if (body !== undefined) spec.body = body;
    return this.transport.json<T>(spec);
  }

  private async empty(method: RequestSpec['method'], p: string): Promise<void> {
    await this.transport.empty({ method, path: this.path(p) });
  }
}

/** The JSON lines of a streaming response; the response is destroyed when iteration stops. */
async function* closingJsonLines<T>(res: IncomingMessage): AsyncGenerator<T> {
  try {
    yield* jsonLines<T>(res as AsyncIterable<Buffer>);
  } finally {
    res.destroy();
  }
}
