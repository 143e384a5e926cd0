/** The OCI image config fields Berth reads (a subset of the image-spec's `config` object). */
export interface OciImageConfig {
  architecture?: string;
  os?: string;
  created?: string;
  author?: string;
  config?: {
    User?: string;
    Env?: string[] | null;
    Entrypoint?: string[] | null;
    Cmd?: string[] | null;
    WorkingDir?: string;
    Labels?: Record<string, string> | null;
    StopSignal?: string;
    ExposedPorts?: Record<string, object> | null;
    Volumes?: Record<string, object> | null;
    /** Docker's HEALTHCHECK (durations in ns); read by health/config.ts healthFromImage. */
    Healthcheck?: unknown;
  };
  rootfs?: { type: string; diff_ids: string[] };
  history?: { created?: string; created_by?: string; comment?: string; empty_layer?: boolean }[];
}

/** An image as the service hands it out. */
export interface Image {
  id: string;
  /** Familiar names, e.g. busybox:latest. */
  repoTags: string[];
  repoDigests: string[];
  created: string | null;
  size: number;
  config: OciImageConfig;
  layers: { digest: string; diffId: string; chainId: string; size: number }[];
  /** When `docker tag` last named it (RFC 3339), or null. */
  lastTagTime?: string | null;
  /** The image this one was built on here (a build step or commit), or null. */
  parentId?: string | null;
}
