import type { ImageInspect, ImageSummary } from '../../../api/index.js';
import type { Image } from '../../../services/images/types.js';

const unixSeconds = (t: string | null): number => (t ? Math.floor(Date.parse(t) / 1000) : 0);

/** GET /images/json item. */
export function toImageSummary(img: Image, containers: number): ImageSummary {
  return {
    Id: img.id,
    ParentId: img.parentId ?? '',
    RepoTags: img.repoTags,
    RepoDigests: img.repoDigests,
    Created: unixSeconds(img.created),
    Size: img.size,
    SharedSize: -1,
    Labels: img.config.config?.Labels ?? {},
    Containers: containers,
  };
}

/** The build-only fields of an image config (HEALTHCHECK, SHELL), shown only when set. */
function build(c: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (c['Healthcheck'] !== undefined && c['Healthcheck'] !== null)
    out['Healthcheck'] = c['Healthcheck'];
  if (Array.isArray(c['Shell'])) out['Shell'] = c['Shell'];
  return out;
}

/** GET /images/{name}/json. */
export function toImageInspect(img: Image): ImageInspect {
  const c = img.config.config ?? {};
  return {
    Id: img.id,
    RepoTags: img.repoTags,
    RepoDigests: img.repoDigests,
    Parent: img.parentId ?? '',
    Comment: '',
    Created: img.created ?? '',
    DockerVersion: '',
    Author: img.config.author ?? '',
    Config: {
      User: c.User ?? '',
      Env: c.Env ?? null,
      Cmd: c.Cmd ?? null,
      Entrypoint: c.Entrypoint ?? null,
      WorkingDir: c.WorkingDir ?? '',
      Labels: c.Labels ?? null,
      Volumes: c.Volumes ?? null,
      ExposedPorts: c.ExposedPorts ?? null,
      OnBuild: (c as { OnBuild?: string[] | null }).OnBuild ?? null,
      ...(c.StopSignal ? { StopSignal: c.StopSignal } : {}),
      ...build(c as Record<string, unknown>),
    },
    Architecture: img.config.architecture ?? 'amd64',
    Os: img.config.os ?? 'linux',
    Size: img.size,
    GraphDriver: { Name: 'overlay', Data: {} },
    RootFS: { Type: 'layers', Layers: img.layers.map((l) => l.diffId) },
    Metadata: { LastTagTime: img.lastTagTime ?? '0001-01-01T00:00:00Z' },
  } as ImageInspect;
}
