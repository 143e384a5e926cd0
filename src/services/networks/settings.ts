import type { NetworksContext } from './context.js';
import { modeOf } from './plan.js';
import type { EndpointView, NetworkSettingsView, PortsConfig, PublishedPort } from './types.js';

/**
 * A container's NetworkSettings: every membership (with its address, MAC and endpoint while the
 * container runs, empty values otherwise, as Docker shows a stopped container), the published
 * ports of the running sandbox, and its key.
 */
export function containerSettings(
  ctx: NetworksContext,
  c: { id: string; name: string; hostname: string; networkMode: string; ports: PortsConfig },
): NetworkSettingsView {
  const { repo } = ctx.deps;
  const mode = modeOf(c.networkMode);
  const sb = repo.sandbox(c.id);
  const networks: Record<string, EndpointView> = {};
  const blank = (networkId: string): EndpointView => ({
    networkId,
    endpointId: '',
    ipAddress: '',
    prefixLen: 0,
    gateway: '',
    mac: '',
    aliases: [],
    dnsNames: [],
    ipv4Requested: null,
  });
  if (mode.kind === 'host' || mode.kind === 'none') {
    const n = repo.byName(mode.kind);
    if (n) networks[n.name] = blank(n.id);
  }
  for (const e of repo.endpointsOf(c.id)) {
    const n = repo.byId(e.networkId);
    if (!n) continue;
    const view = blank(n.id);
    view.aliases = e.config.aliases;
    view.ipv4Requested = e.config.ipv4;
    view.mac = e.config.mac ?? ''; // a stopped container shows the MAC it asked for, as Docker
    if (e.address) {
      view.endpointId = e.endpointId ?? '';
      view.ipAddress = e.address;
      view.prefixLen = Number(n.config.subnet.split('/')[1] ?? 0);
      view.gateway = n.config.gateway;
      view.mac = e.mac ?? '';
      view.dnsNames =
        n.name === 'bridge' ? [] : [c.name, ...e.config.aliases, c.id.slice(0, 12), c.hostname];
    }
    networks[n.name] = view;
  }
  let ports: Record<string, PublishedPort[] | null> = {};
  if (sb) ports = (JSON.parse(sb.ports) as { published: typeof ports }).published;
  return { sandboxKey: sb?.path ?? '', ports, networks };
}
