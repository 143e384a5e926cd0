import type { Readable } from 'node:stream';
import type { Snapshotter } from '../../drivers/snapshot/snapshotter.js';
import type { BuildCacheRepository } from '../../store/metadata/build-cache-repository.js';
import type { Container, CreateContainerRequest, WaitResult } from '../containers/types.js';
import type { Image, OciImageConfig } from '../images/types.js';

/** The query parameters of POST /build that the classic builder honours. */
export interface BuildOptions {
  /** Normalised references to tag the result with. */
  tags: string[];
  /** Path of the Dockerfile inside the context. */
  dockerfile: string;
  buildArgs: Record<string, string | null>;
  noCache: boolean;
  pull: boolean;
  /** Remove intermediate containers after a successful step (default true). */
  rm: boolean;
  /** Remove them after a failed step too. */
  forceRm: boolean;
  labels: Record<string, string>;
  target?: string;
  quiet: boolean;
  /** Images whose build history may serve as cache (`--cache-from`). */
  cacheFrom: string[];
  networkMode: string;
  extraHosts: string[];
  shmSize: number;
  /** Limits and security options of the RUN containers (absent: none). */
  run?: BuildRunOptions;
}

/** `docker build` limits (memory, cpu, cpuset, cgroup parent) and `--ulimit`, `--security-opt`. */
export interface BuildRunOptions {
  resources?: CreateContainerRequest['resources'];
  security?: CreateContainerRequest['security'];
}

/** One message of the build's JSON stream (Docker's classic builder shapes). */
export type BuildMessage =
  { stream: string } | { aux: { ID: string } } | { status: string; id?: string; progress?: string };

/** The run configuration an image carries (and a build step edits). */
export type RunConfig = NonNullable<OciImageConfig['config']> & {
  Shell?: string[];
  OnBuild?: string[] | null;
};

/** What the builder needs of the images service. */
export interface BuildImages {
  inspect(ref: string): Promise<Image>;
  /** Pulls `ref`, reporting progress lines; resolves once the image is stored. */
  pull(ref: string, progress: (m: BuildMessage) => void, signal: AbortSignal): Promise<void>;
  commit(req: {
    parentId: string | null;
    layer: Readable | null;
    config: RunConfig;
    createdBy: string;
    refs: string[];
    comment?: string;
    author?: string;
  }): Promise<string>;
  tag(id: string, ref: string): void;
  /** A stored layer blob as an uncompressed tar stream (a `--cache-from` hit reuses it). */
  openLayer(digest: string): Promise<Readable>;
  /** Every stored image, intermediates included (build cache accounting). */
  list(): Promise<Image[]>;
  /**
   * Removes one unnamed build-step image, leaving its parents (Docker's `noprune`); false when
   * it stays (an image or a container needs it).
   */
  removeStep(id: string): Promise<boolean>;
}

/** What the builder needs of the containers service (RUN steps run in real containers). */
export interface BuildContainers {
  create(req: CreateContainerRequest): Promise<{ id: string }>;
  start(id: string): Promise<void>;
  wait(id: string): Promise<WaitResult>;
  /** The container's output as it is written, until it exits. */
  output(id: string, signal: AbortSignal): AsyncIterable<Buffer>;
  kill(id: string): Promise<void>;
  remove(id: string): Promise<void>;
  /** The container's writable layer (what a commit packs). */
  upperDir(id: string): string;
  /** What POST /commit reads of a container. */
  inspect(idOrName: string): Container;
  pause(id: string): Promise<void>;
  unpause(id: string): Promise<void>;
  /** The ids of the images containers use (what a build cache prune must keep). */
  imagesInUse(): Set<string>;
}

/** Everything the build service is built from. */
export interface BuildDeps {
  images: BuildImages;
  containers: BuildContainers;
  snapshotter: Snapshotter;
  cache: BuildCacheRepository;
  /** A directory for build contexts (removed after each build). */
  tmpDir: string;
  log: (msg: string) => void;
}
