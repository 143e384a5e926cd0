import type {
  EndpointSettings,
  Network,
  NetworkCreateBody,
  NetworkInspect,
} from '../../../api/index.js';
import type {
  CreateNetworkRequest,
  EndpointWish,
  NetworkView,
} from '../../../services/networks/types.js';

/** The network as GET /networks and GET /networks/{id} show it (Containers of running members). */
export function toNetwork(n: NetworkView): NetworkInspect & {
  Containers: Record<
    string,
    {
      Name: string;
      EndpointID: string;
      MacAddress: string;
      IPv4Address: string;
      IPv6Address: string;
    }
  >;
} {
  const c = n.config;
  const containers: Record<
    string,
    {
      Name: string;
      EndpointID: string;
      MacAddress: string;
      IPv4Address: string;
      IPv6Address: string;
    }
  > = {};
  for (const m of n.members)
    containers[m.containerId] = {
      Name: m.name,
      EndpointID: m.endpointId,
      MacAddress: m.mac,
      IPv4Address: m.ipv4,
      IPv6Address: '',
    };
  const ipamConfig =
    c.subnet === ''
      ? []
      : [
          {
            Subnet: c.subnet,
            Gateway: c.gateway,
            ...(c.ipRange ? { IPRange: c.ipRange } : {}),
            ...(c.auxAddresses ? { AuxiliaryAddresses: c.auxAddresses } : {}),
          },
        ];
  const out: Network = {
    Name: n.name,
    Id: n.id,
    Created: n.createdAt,
    Scope: 'local',
    Driver: n.driver,
    EnableIPv4: true,
    EnableIPv6: false,
    IPAM: {
      Driver: 'default',
      Options: null as unknown as Record<string, string>,
      Config: ipamConfig,
    },
    Internal: c.internal,
    Attachable: c.attachable,
    Ingress: false,
    ConfigFrom: { Network: '' },
    ConfigOnly: false,
    Options: c.options,
    Labels: c.labels,
  };
  return { ...out, Containers: containers };
}

/** POST /networks/create body → the service's request. */
export function createRequestOf(body: NetworkCreateBody): CreateNetworkRequest {
  const req: CreateNetworkRequest = { name: typeof body.Name === 'string' ? body.Name : '' };
  if (body.Driver) req.driver = body.Driver;
  if (body.Internal) req.internal = true;
  if (body.Attachable) req.attachable = true;
  if (body.EnableIPv6) req.enableIpv6 = true;
  if (body.Options) req.options = body.Options;
  if (body.Scope) req.scope = body.Scope;
  if (body.Ingress) req.ingress = true;
  if (body.ConfigOnly) req.configOnly = true;
  if (body.ConfigFrom?.Network) req.configFrom = body.ConfigFrom.Network;
  if (body.Labels) req.labels = body.Labels;
  if (body.IPAM) {
    req.ipam = {
      ...(body.IPAM.Driver ? { driver: body.IPAM.Driver } : {}),
      configs: (body.IPAM.Config ?? []).map((k) => ({
        ...(k.Subnet ? { subnet: k.Subnet } : {}),
        ...(k.Gateway ? { gateway: k.Gateway } : {}),
        ...(k.IPRange ? { ipRange: k.IPRange } : {}),
        ...(k.AuxiliaryAddresses && Object.keys(k.AuxiliaryAddresses).length > 0
          ? { auxAddresses: k.AuxiliaryAddresses }
          : {}),
      })),
    };
  }
  return req;
}

/** EndpointConfig of a connect request (or EndpointsConfig entry) → the service's wish. */
export function endpointWish(e: EndpointSettings | null | undefined): EndpointWish {
  const out: EndpointWish = {};
  const ip = e?.IPAMConfig?.IPv4Address;
  if (ip) out.ipv4 = ip;
  if (e?.Aliases && e.Aliases.length > 0) out.aliases = e.Aliases;
  if (e?.MacAddress) out.mac = e.MacAddress; // validated by the service
  return out;
}
