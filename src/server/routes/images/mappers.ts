import type { ImageInspect, ImageSummary } from '../../../api/index.js';
import type { Image } from '../../../services/images/types.js';

const unixSeconds = (t: string | null): number => (t ? Math.floor(Date.parse(t) / 1000) : 0);

/** GET /images/json item. */
export function toImageSummary(img: Image, containers: number): ImageSummary {
  return {
    Id: img.id,
    ParentId: '',
    RepoTags: img.repoTags,
    RepoDigests: img.repoDigests,
    Created: unixSeconds(img.created),
    Size: img.size,
    SharedSize: -1,
    Labels: img.config.config?.Labels ?? {},
    Containers: containers,
  };
}

/** GET /images/{name}/json. */
export function toImageInspect(img: Image): ImageInspect {
  const c = img.config.config ?? {};
  return {
    Id: img.id,
    RepoTags: img.repoTags,
    RepoDigests: img.repoDigests,
    Parent: '',
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
      OnBuild: null,
      ...(c.StopSignal ? { StopSignal: c.StopSignal } : {}),
    },
    Architecture: img.config.architecture ?? 'amd64',
    Os: img.config.os ?? 'linux',
    Size: img.size,
    GraphDriver: { Name: 'overlay', Data: {} },
    RootFS: { Type: 'layers', Layers: img.layers.map((l) => l.diffId) },
    Metadata: { LastTagTime: img.lastTagTime ?? '0001-01-01T00:00:00Z' },
  } as ImageInspect;
}
