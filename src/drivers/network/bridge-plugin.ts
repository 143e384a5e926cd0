import type { PluginConfig } from './cni-plugin.js';
import type { BridgeNetworkSpec } from './types.js';

/** The bridge plugin's config: static IPAM with the service's address; no plugin-side NAT. */
export function bridgePlugin(spec: BridgeNetworkSpec, address: string, mac: string): PluginConfig {
  return {
    cniVersion: '1.0.0',
    name: `berth-${spec.bridge}`,
    type: 'bridge',
    bridge: spec.bridge,
    isGateway: false, // the gateway address is put on the bridge once, in ensureNetwork
    ipMasq: false, // one MASQUERADE rule per network instead of a chain per container
    hairpinMode: true,
    ...(spec.mtu ? { mtu: spec.mtu } : {}),
    runtimeConfig: { mac },
    ipam: {
      type: 'static',
      addresses: [{ address, gateway: spec.gateway }],
      routes: spec.internal ? [] : [{ dst: '0.0.0.0/0', gw: spec.gateway }],
    },
  };
}
