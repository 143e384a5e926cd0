import { UsageError } from '../../errors.js';

/** ExposedPorts and PortBindings, as the create body carries them. */
export interface PublishedPorts {
  exposed: Record<string, Record<string, never>>;
  bindings: Record<string, { HostIp: string; HostPort: string }[]>;
}

function range(text: string, what: string, spec: string): [number, number] {
  const m = /^(\d+)(?:-(\d+))?$/.exec(text);
  const lo = Number(m?.[1]);
  const hi = Number(m?.[2] ?? m?.[1]);
  if (!m || lo < 1 || hi > 65535 || hi < lo)
    throw new UsageError(`invalid ${what} in port specification: ${spec}`);
  return [lo, hi];
}

/**
 * Parses `-p [ip:][hostPort:]containerPort[/proto]` as the docker CLI does: equal-length ranges
 * pair up one by one, a host range for one container port stays a range (the daemon picks one
 * free port in it), and an empty host port means a random one.
 */
export function parsePublish(specs: string[], expose: string[] = []): PublishedPorts {
  const out: PublishedPorts = { exposed: {}, bindings: {} };
  for (const e of expose) {
    const [p = '', proto = 'tcp'] = e.split('/');
    const [lo, hi] = range(p, 'port', e);
    for (let i = lo; i <= hi; i++) out.exposed[`${i}/${proto}`] = {};
  }
  for (const spec of specs) {
    const [main = '', proto = 'tcp'] = spec.split('/');
    if (!['tcp', 'udp', 'sctp'].includes(proto)) throw new UsageError(`invalid proto: ${proto}`);
    const parts = main.split(':');
    if (parts.length > 3) throw new UsageError(`invalid port specification: ${spec}`);
    const ctr = parts[parts.length - 1] ?? '';
    const host = parts.length >= 2 ? (parts[parts.length - 2] ?? '') : '';
    const ip = parts.length === 3 ? (parts[0] ?? '') : '';
    const [clo, chi] = range(ctr, 'containerPort', spec);
    const hostRange = host === '' ? null : range(host, 'hostPort', spec);
    const count = chi - clo + 1;
    if (hostRange && count > 1 && hostRange[1] - hostRange[0] + 1 !== count)
      throw new UsageError(`invalid ranges specified for container and host Ports: ${spec}`);
    for (let i = 0; i < count; i++) {
      const key = `${clo + i}/${proto}`;
      let hostPort = '';
      if (hostRange && count > 1) hostPort = String(hostRange[0] + i);
      else if (hostRange) hostPort = host;
      out.exposed[key] = {};
      (out.bindings[key] ??= []).push({ HostIp: ip, HostPort: hostPort });
    }
  }
  return out;
}
