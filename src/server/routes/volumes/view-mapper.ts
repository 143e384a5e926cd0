import type { Volume } from '../../../api/index.js';
import type { VolumeView } from '../../../services/volumes/types.js';

/** Docker's `Volume`; UsageData only when the service computed it (list for `system df`). */
export function toVolume(v: VolumeView): Volume {
  return {
    CreatedAt: v.createdAt,
    Driver: v.driver,
    Labels: v.labels,
    Mountpoint: v.mountpoint,
    Name: v.name,
    Options: v.options,
    Scope: v.scope,
    ...(v.usage ? { UsageData: { Size: v.usage.size, RefCount: v.usage.refCount } } : {}),
  };
}
