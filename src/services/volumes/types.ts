/** The volumes service's own model; the HTTP edge maps it to Docker's `Volume`. */
export interface VolumeView {
  name: string;
  driver: string;
  /** Host path of the data. */
  mountpoint: string;
  /** RFC 3339, seconds. */
  createdAt: string;
  labels: Record<string, string>;
  scope: 'local';
  options: Record<string, string>;
  /** Present when asked for (list/inspect with usage): size in bytes and containers using it. */
  usage?: { size: number; refCount: number };
}

/** POST /volumes/create, and the volumes a container's mounts create. */
export interface CreateVolumeRequest {
  /** Absent or empty: a random 64-hex name, labelled anonymous. */
  name?: string;
  driver?: string;
  driverOpts?: Record<string, string>;
  labels?: Record<string, string>;
}

/** Docker's label on volumes created without a name; prune without `all` removes only these. */
export const anonymousLabel = 'com.docker.volume.anonymous';
