import type { ContainerCreateBody } from '../../../api/index.js';
import { invalidParameter } from '../../../errors/index.js';
import type { CreateContainerRequest } from '../../../services/containers/types.js';
import type { NetworkSettingsView } from '../../../services/networks/types.js';
import type {
  EndpointSettings,
  NetworkSettings,
  PortMap,
  PortSummary,
} from '../../../api/index.js';

/**
 * The networking fields of a create body: ExposedPorts, HostConfig.PortBindings (the CLI has
 * already expanded ranges into one key per container port), PublishAllPorts, Links and
 * NetworkingConfig.EndpointsConfig (static IPv4, aliases, MAC) with the deprecated container-wide
 * MacAddress moved into the first network's entry. Throws InvalidParameter when both MACs are
 * given and differ.
 */
export function networkFieldsOf(
  body: ContainerCreateBody,
): Pick<CreateContainerRequest, 'ports' | 'links' | 'endpoints'> {
  const hc = body.HostConfig ?? {};
  const bindings: Record<string, { hostIp: string; hostPort: string }[]> = {};
  for (const [k, list] of Object.entries(hc.PortBindings ?? {}))
    bindings[k] = (list ?? []).map((b) => ({
      hostIp: b?.HostIp ?? '',
      hostPort: b?.HostPort ?? '',
    }));
  const out: Pick<CreateContainerRequest, 'ports' | 'links' | 'endpoints'> = {};
  const exposed = Object.keys(body.ExposedPorts ?? {});
  const publishAll = hc.PublishAllPorts === true;
  if (exposed.length > 0 || Object.keys(bindings).length > 0 || publishAll)
    out.ports = { exposed, bindings, publishAll };
  if (hc.Links && hc.Links.length > 0)
    out.links = hc.Links.map((l) =>
      (l.startsWith('/') ? l.slice(1) : l).replace(/:\/?[^:]*\//, ':'),
    );
  const eps = body.NetworkingConfig?.EndpointsConfig;
  if (eps && Object.keys(eps).length > 0) {
    out.endpoints = {};
    for (const [name, e] of Object.entries(eps)) {
      const ipv4 = e?.IPAMConfig?.IPv4Address;
      out.endpoints[name] = {
        ...(ipv4 ? { ipv4 } : {}),
        ...(e?.Aliases && e.Aliases.length > 0 ? { aliases: e.Aliases } : {}),
        ...(e?.MacAddress ? { mac: e.MacAddress } : {}), // validated by the networks service
      };
    }
  }
  const legacyMac = topLevelMac(body);
  if (legacyMac !== undefined) {
    const key = primaryEndpointKey(hc.NetworkMode, out.endpoints ?? {});
    const ep = out.endpoints?.[key];
    if (ep?.mac !== undefined && ep.mac.toLowerCase() !== legacyMac.toLowerCase())
      throw invalidParameter(
        'the container-wide MAC address must match the endpoint-specific MAC address for the main network, or be left empty',
      );
    out.endpoints = { ...out.endpoints, [key]: { ...ep, mac: legacyMac } };
  }
  return out;
}

/**
 * The deprecated container-wide `MacAddress` (clients before API 1.44), or undefined when unset.
 * It is no longer in the spec's ContainerConfig, so the body's type does not have it.
 */
function topLevelMac(body: ContainerCreateBody): string | undefined {
  const v = (body as { MacAddress?: unknown }).MacAddress;
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') throw invalidParameter(`invalid MAC address: ${JSON.stringify(v)}`);
  return v;
}

/**
 * The EndpointsConfig key of the container's first network, where Docker (≥ 1.44) moves the
 * container-wide MacAddress: an existing entry for it, else the NetworkMode itself (`default`
 * when unset; a non-network mode then gets Docker's refusal from the networks service).
 */
export function primaryEndpointKey(mode: string | undefined, endpoints: object): string {
  const m = mode || 'default';
  // The networks service looks `default`'s entry up as `default`, then `bridge` (plan.ts keyOf).
  const names = m === 'default' ? ['default', 'bridge'] : [m];
  return names.find((k) => k in endpoints) ?? m;
}

/** Inspect's NetworkSettings (top-level IPAddress/Gateway/MacAddress for the default bridge). */
export function networkSettingsOf(
  v: NetworkSettingsView | undefined,
): NetworkSettings & Record<string, unknown> {
  if (!v) return { SandboxID: '', SandboxKey: '', Ports: {}, Networks: {} };
  const networks: Record<string, EndpointSettings> = {};
  for (const [name, e] of Object.entries(v.networks))
    // Docker sends null for empty lists here; the generated types say list, so cast.
    networks[name] = {
      IPAMConfig: e.ipv4Requested ? { IPv4Address: e.ipv4Requested } : null,
      Links: null,
      Aliases: e.aliases.length > 0 ? e.aliases : null,
      MacAddress: e.mac,
      DriverOpts: null,
      GwPriority: 0,
      NetworkID: e.networkId,
      EndpointID: e.endpointId,
      Gateway: e.gateway,
      IPAddress: e.ipAddress,
      IPPrefixLen: e.prefixLen,
      IPv6Gateway: '',
      GlobalIPv6Address: '',
      GlobalIPv6PrefixLen: 0,
      DNSNames: e.dnsNames.length > 0 ? [...new Set(e.dnsNames)] : null,
    } as unknown as EndpointSettings;
  const bridge = v.networks['bridge'];
  const ports: PortMap = {};
  for (const [k, list] of Object.entries(v.ports))
    ports[k] = list ? list.map((b) => ({ HostIp: b.hostIp, HostPort: b.hostPort })) : null;
  return {
    SandboxID: v.sandboxKey ? (v.sandboxKey.split('/').pop() ?? '') : '',
    SandboxKey: v.sandboxKey,
    Ports: ports,
    Networks: networks,
    // Deprecated top-level fields Docker still fills for the default bridge.
    IPAddress: bridge?.ipAddress ?? '',
    IPPrefixLen: bridge?.prefixLen ?? 0,
    Gateway: bridge?.gateway ?? '',
    MacAddress: bridge?.mac ?? '',
  };
}

/** `docker ps` Ports: one entry per published binding, and exposed ports without one. */
export function portSummaryOf(v: NetworkSettingsView | undefined): PortSummary[] {
  const out: PortSummary[] = [];
  for (const [k, list] of Object.entries(v?.ports ?? {})) {
    const [port, proto] = k.split('/') as [string, 'tcp' | 'udp'];
    if (!list) out.push({ PrivatePort: Number(port), Type: proto });
    else
      for (const b of list)
        out.push({
          IP: b.hostIp,
          PrivatePort: Number(port),
          PublicPort: Number(b.hostPort),
          Type: proto,
        });
  }
  return out;
}
