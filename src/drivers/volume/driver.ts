/**
 * A volume driver stores volume data. It is stateless between calls: the volumes service decides
 * who uses a volume and when (its references live in the metadata store), and calls `activate`
 * before a container needs the data and `deactivate` once no container does.
 */
export interface VolumeDriver {
  /** The driver's name as users give it (`local`). */
  readonly name: string;
  /**
   * Checks driver options before anything is stored. Throws InvalidParameter with Docker's
   * message for an unknown or inconsistent option.
   */
  validateOptions(opts: Readonly<Record<string, string>>): void;
  /** Creates the storage of a new volume. Idempotent: an existing volume is kept as it is. */
  create(name: string, opts: Readonly<Record<string, string>>): Promise<void>;
  /** The host path containers bind (Docker's Mountpoint); it may not be activated yet. */
  path(name: string): string;
  /**
   * Makes the data available at `path(name)` (mounts the device of a volume created with
   * type/device/o). Idempotent; returns `path(name)`.
   */
  activate(name: string, opts: Readonly<Record<string, string>>): Promise<string>;
  /** Undoes `activate` (unmounts a device). Idempotent. */
  deactivate(name: string): Promise<void>;
  /** Deletes the volume's data. Never deletes through a mount still active on it. */
  remove(name: string): Promise<void>;
  /** Bytes used by the data (-1 when the driver cannot tell). */
  size(name: string): Promise<number>;
}
