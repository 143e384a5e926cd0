import { createServer } from 'node:net';
import { createSocket } from 'node:dgram';
import { conflict, invalidParameter } from '../../errors/index.js';
import type { PortMapping } from '../../drivers/network/index.js';
import { ipToNumber } from './cidr.js';
import type { PortsConfig, PublishedPort } from './types.js';

const portKey = /^(\d{1,5})(?:\/(tcp|udp|sctp))?$/;
const hostPortPattern = /^(\d{1,5})?(?:-(\d{1,5}))?$/;

/** Normalises `80` → `80/tcp`; refuses what the bridge cannot publish. */
export function normalisePortKey(key: string): string {
  const m = portKey.exec(key);
  const port = Number(m?.[1]);
  if (!m || port < 1 || port > 65535)
    throw invalidParameter(`invalid port specification: "${key}"`);
  if (m[2] === 'sctp') throw invalidParameter('SCTP ports are not supported by this engine');
  return `${port}/${m[2] ?? 'tcp'}`;
}

/** Validates PortBindings/ExposedPorts at create, returning them normalised. */
export function checkPorts(p: PortsConfig): PortsConfig {
  const bindings: PortsConfig['bindings'] = {};
  for (const [key, list] of Object.entries(p.bindings)) {
    const k = normalisePortKey(key);
    bindings[k] = list.map((b) => {
      const m = hostPortPattern.exec(b.hostPort);
      const lo = Number(m?.[1] ?? 0);
      const hi = Number(m?.[2] ?? lo);
      if (!m || lo > 65535 || hi > 65535 || hi < lo)
        throw invalidParameter(`invalid hostPort: ${b.hostPort}`);
      if (b.hostIp !== '' && ipToNumber(b.hostIp) === null)
        throw invalidParameter(`invalid IP address: ${b.hostIp}`);
      return { hostIp: b.hostIp, hostPort: b.hostPort };
    });
  }
  const exposed = [...new Set([...p.exposed.map(normalisePortKey), ...Object.keys(bindings)])];
  return { exposed, bindings, publishAll: p.publishAll };
}

/** True when `port` can be bound on `ip` right now (nothing on the host holds it). */
function canBind(ip: string, port: number, proto: 'tcp' | 'udp'): Promise<boolean> {
  const host = ip || '0.0.0.0';
  return new Promise((resolve) => {
    if (proto === 'udp') {
      const s = createSocket('udp4');
      s.once('error', () => resolve(false));
      s.bind({ address: host, port, exclusive: true }, () => s.close(() => resolve(true)));
      return;
    }
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ host, port, exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

/** An ephemeral port the kernel hands out on `ip` now. */
function ephemeral(ip: string, proto: 'tcp' | 'udp'): Promise<number> {
  const host = ip || '0.0.0.0';
  return new Promise((resolve, reject) => {
    if (proto === 'udp') {
      const s = createSocket('udp4');
      s.once('error', reject);
      s.bind({ address: host, port: 0 }, () => {
        const { port } = s.address();
        s.close(() => resolve(port));
      });
      return;
    }
    const srv = createServer();
    srv.once('error', reject);
    srv.listen({ host, port: 0 }, () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

const bindError = (ip: string, port: number): Error =>
  conflict(`Bind for ${ip || '0.0.0.0'}:${port} failed: port is already allocated`);

/**
 * Turns a container's port config into the mappings to install: ranges and empty host ports
 * resolved to free ports, each checked against `held` (ports other containers published, as
 * `<ip>:<port>/<proto>`) and against the host's sockets, so a conflict fails before anything is set up.
 * A port published without a host address gets `defaultHostIp` (the network's host_binding_ipv4).
 */
export async function resolvePortMappings(
  p: PortsConfig,
  held: Set<string>,
  defaultHostIp = '',
): Promise<{ mappings: PortMapping[]; published: Record<string, PublishedPort[] | null> }> {
  const mappings: PortMapping[] = [];
  const published: Record<string, PublishedPort[] | null> = {};
  const taken = (ip: string, port: number, proto: string): boolean =>
    held.has(`${ip}:${port}/${proto}`) ||
    held.has(`:${port}/${proto}`) ||
    (ip === '' && [...held].some((h) => h.endsWith(`:${port}/${proto}`))) ||
    mappings.some(
      (m) => m.hostPort === port && m.protocol === proto && (m.hostIp === ip || !m.hostIp || !ip),
    );
  const wanted = Object.entries(p.bindings).flatMap(([k, list]) =>
    list.map((b) => ({ k, ...b, hostIp: b.hostIp || defaultHostIp })),
  );
  if (p.publishAll)
    for (const k of p.exposed)
      if (!p.bindings[k]?.length) wanted.push({ k, hostIp: defaultHostIp, hostPort: '' });
  for (const w of wanted) {
    const [portText, proto] = w.k.split('/') as [string, 'tcp' | 'udp'];
    const [loText = '', hiText] = w.hostPort.split('-');
    const lo = Number(loText || 0);
    const hi = Number(hiText ?? lo);
    let port = 0;
    if (lo === 0) {
      for (let i = 0; i < 20 && port === 0; i++) {
        const cand = await ephemeral(w.hostIp, proto);
        if (!taken(w.hostIp, cand, proto)) port = cand;
      }
    } else {
      for (let cand = lo; cand <= hi && port === 0; cand++)
        if (!taken(w.hostIp, cand, proto) && (await canBind(w.hostIp, cand, proto))) port = cand;
    }
    if (port === 0) throw bindError(w.hostIp, lo);
    mappings.push({
      hostIp: w.hostIp,
      hostPort: port,
      containerPort: Number(portText),
      protocol: proto,
    });
    (published[w.k] ??= []).push({ hostIp: w.hostIp || '0.0.0.0', hostPort: String(port) });
  }
  for (const k of p.exposed) if (!(k in published)) published[k] = null;
  return { mappings, published };
}

/** The `<ip>:<port>/<proto>` keys of published ports, for conflict checks. */
export function heldKeys(published: Record<string, PublishedPort[] | null>): string[] {
  return Object.entries(published).flatMap(([k, list]) =>
    (list ?? []).map(
      (b) => `${b.hostIp === '0.0.0.0' ? '' : b.hostIp}:${b.hostPort}/${k.split('/')[1]}`,
    ),
  );
}
