import type { Digest } from '../../lib/digest.js';

/**
 * Filesystem snapshots for images and containers. Committed, read-only layer snapshots are keyed
 * by chain id (a layer plus everything below it); container snapshots by container id (or any
 * key matching `[A-Za-z0-9][A-Za-z0-9_.-]{0,127}`).
 *
 * Contracts:
 * - Everything is on disk: a new instance over the same root (after a daemon restart) sees every
 *   layer and container snapshot, and `mount(key)` needs only the key.
 * - Calls for the same chain id or key are serialised inside the instance; the caller still owns
 *   the lifecycle (it must not `remove` a container snapshot whose container is running).
 * - Mount and unmount are idempotent and every external command has a deadline.
 * - Errors are BerthErrors: NotFound for unknown layers/keys, Conflict for duplicates and layers
 *   in use, InvalidParameter for bad keys/digests or too deep a stack, System otherwise.
 */
export interface Snapshotter {
  /** Driver name as shown by `docker info` / GraphDriver.Name (`overlay2`). */
  readonly name: string;

  hasLayer(chainId: Digest): Promise<boolean>;

  /**
   * Creates the committed read-only layer `chainId` on top of `parent` by running `fill(dir)`
   * into a fresh, empty directory, then renaming it into place atomically. Idempotent and safe
   * against concurrent calls for the same chainId (a second caller waits for the first, and
   * retries if the first failed). A failed fill leaves nothing. NotFound if `parent` is missing.
   */
  ensureLayer(
    chainId: Digest,
    parent: Digest | null,
    fill: (dir: string) => Promise<void>,
  ): Promise<void>;

  /** Deletes a layer; no-op when absent. Conflict while a container snapshot or child layer uses it. */
  removeLayer(chainId: Digest): Promise<void>;

  /** Bytes used by the layer's own files (hardlinks counted once). NotFound when absent. */
  layerSize(chainId: Digest): Promise<number>;

  /** Every committed layer (order unspecified). */
  listLayers(): Promise<Digest[]>;

  /**
   * Creates a container snapshot: an init layer (dev, dev/pts, dev/shm, proc, sys, etc and empty
   * etc/hostname, etc/hosts, etc/resolv.conf, so runc does not create mountpoints in the upper
   * dir) plus empty upper and work dirs, over `layers` (chain ids, bottom first; may be empty).
   * Does not mount. NotFound for a missing layer, Conflict if `key` exists.
   */
  prepare(key: string, layers: Digest[]): Promise<void>;

  /** Mounts the container rootfs and returns its path; idempotent. NotFound for an unknown key. */
  mount(key: string): Promise<string>;

  /** Unmounts; idempotent (retries, then falls back to a lazy unmount). */
  unmount(key: string): Promise<void>;

  /** Unmounts if needed and deletes the container snapshot; no-op when absent. */
  remove(key: string): Promise<void>;

  /** The container's writable layer directory (what `docker diff`/`commit` read). */
  upperDir(key: string): string;

  /** Bytes used by the container's writable layer (Docker's SizeRw). NotFound for an unknown key. */
  upperSize(key: string): Promise<number>;

  /** Every container snapshot key (order unspecified). */
  listContainers(): Promise<string[]>;

  /** GraphDriver.Data for `docker inspect` (LowerDir, MergedDir, UpperDir, WorkDir). */
  driverData(key: string): Promise<Record<string, string>>;
}
