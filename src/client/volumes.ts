import type {
  Volume,
  VolumeCreateRequest,
  VolumeListResponse,
  VolumePruneResponse,
} from '../api/index.js';
import { buildQuery, segment } from './query.js';
import type { RequestSpec } from './transport.js';

type Json = <T>(method: RequestSpec['method'], path: string, body?: unknown) => Promise<T>;

/**
 * The volume endpoints, bound to a client's request helper (BerthClient exposes them as
 * `client.volumes`). Non-2xx answers reject with ApiError, as everywhere in the client.
 */
export function volumeApi(json: Json) {
  return {
    /** POST /volumes/create (an existing name answers with that volume). */
    create: (body: VolumeCreateRequest = {}): Promise<Volume> =>
      json('POST', '/volumes/create', body),
    /** GET /volumes. */
    list: (filters?: Record<string, string[]>): Promise<VolumeListResponse> =>
      json('GET', `/volumes${buildQuery({ filters })}`),
    /** GET /volumes/{name}. */
    inspect: (name: string): Promise<Volume> => json('GET', `/volumes/${segment(name)}`),
    /** DELETE /volumes/{name}. */
    remove: async (name: string, force = false): Promise<void> => {
      await json('DELETE', `/volumes/${segment(name)}${buildQuery({ force })}`);
    },
    /** POST /volumes/prune (`all: ["true"]` for named volumes too). */
    prune: (filters?: Record<string, string[]>): Promise<VolumePruneResponse> =>
      json('POST', `/volumes/prune${buildQuery({ filters })}`),
  };
}

/** The type of `client.volumes`. */
export type VolumeApi = ReturnType<typeof volumeApi>;
