/** Public surface of Berth's typed Engine API client (package export `./client`). */
export { BerthClient } from './client.js';
export type {
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
export type { AttachConnection } from './hijack.js';
export type { NetworkApi, NetworkInspectResult } from './networks.js';
export type { VolumeApi } from './volumes.js';
export type { BuildApi, ImageBuildOptions, ImageCommitOptions } from './build.js';
export { collectBuild } from './build.js';
export type { ExecStartOptions } from './exec-options.js';
export type { ContainerPathStat, PutArchiveOptions } from './container-fs.js';
export { GO_MODE_DIR, GO_MODE_SYMLINK } from './container-fs.js';
export { ApiError, DaemonUnreachableError } from './errors.js';
export { DEFAULT_API_VERSION, compareApiVersions, negotiateApiVersion } from './api-version.js';
export { DEFAULT_SOCKET_PATH, resolveSocketPath, socketPathOfHost } from './host.js';
export type { HostOptions } from './host.js';
export { describeEndpoint, type Endpoint, type EndpointTls } from './endpoint.js';
export {
  parseTcpHost,
  resolveEndpoint,
  type EndpointOptions,
  type TlsFlags,
} from './resolve-endpoint.js';
export {
  StreamError,
  demuxStdcopy,
  outputChunks,
  type OutputChunk,
  type OutputStream,
} from './stdcopy.js';
export type {
  ContainerCreateBody,
  ContainerCreateResponse,
  ContainerInspectResponse,
  ContainerSummary,
  ContainerWaitResponse,
  ContainerExecBody,
  ExecInspectResponse,
  ImageInspect,
  ImageSummary,
  SystemInfo,
  SystemVersion,
} from '../api/index.js';
