import type {
  EndpointSettings,
  NetworkCreateBody,
  NetworkCreateResponse,
  NetworkInspect,
  NetworkPruneResponse,
  NetworkSummary,
} from '../api/index.js';
import { buildQuery, segment } from './query.js';
import type { RequestSpec } from './transport.js';

/** A network as GET /networks/{id} answers (Docker adds the Containers map to the spec's Network). */
export type NetworkInspectResult = NetworkInspect & {
  Containers?: Record<
    string,
    {
      Name?: string;
      EndpointID?: string;
      MacAddress?: string;
      IPv4Address?: string;
      IPv6Address?: string;
    }
  >;
};

type Json = <T>(method: RequestSpec['method'], path: string, body?: unknown) => Promise<T>;

/**
 * The network endpoints, bound to a client's request helper (BerthClient exposes them as
 * `client.networks`). Non-2xx answers reject with ApiError, as everywhere in the client.
 */
export function networkApi(json: Json) {
  return {
    /** POST /networks/create. */
    create: (body: NetworkCreateBody): Promise<NetworkCreateResponse> =>
      json('POST', '/networks/create', body),
    /** GET /networks. */
    list: (filters?: Record<string, string[]>): Promise<NetworkSummary[]> =>
      json('GET', `/networks${buildQuery({ filters })}`),
    /** GET /networks/{id}. */
    inspect: (id: string): Promise<NetworkInspectResult> => json('GET', `/networks/${segment(id)}`),
    /** DELETE /networks/{id}. */
    remove: async (id: string): Promise<void> => {
      await json('DELETE', `/networks/${segment(id)}`);
    },
    /** POST /networks/prune. */
    prune: (filters?: Record<string, string[]>): Promise<NetworkPruneResponse> =>
      json('POST', `/networks/prune${buildQuery({ filters })}`),
    /** POST /networks/{id}/connect. */
    connect: async (id: string, container: string, endpoint?: EndpointSettings): Promise<void> => {
      await json('POST', `/networks/${segment(id)}/connect`, {
        Container: container,
        ...(endpoint ? { EndpointConfig: endpoint } : {}),
      });
    },
    /** POST /networks/{id}/disconnect. */
    disconnect: async (id: string, container: string, force = false): Promise<void> => {
      await json('POST', `/networks/${segment(id)}/disconnect`, {
        Container: container,
        Force: force,
      });
    },
  };
}

/** The type of `client.networks`. */
export type NetworkApi = ReturnType<typeof networkApi>;
