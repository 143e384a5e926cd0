import type { ContainerSummary, PortSummary } from '../../api/index.js';
import { humanDuration, humanSize } from './human.js';
import { formatTable } from './table.js';
import { ellipsis, quote, shortId } from './text.js';

/** How `ps` renders rows. */
export interface ContainerTableOptions {
  /** Full ids and commands instead of truncated ones. */
  noTrunc?: boolean;
  /** "Now" in ms since the epoch, for the CREATED column. */
  now: number;
  /** Add docker's SIZE column: `SizeRw (virtual SizeRootFs)`. */
  size?: boolean;
}

const header = ['CONTAINER ID', 'IMAGE', 'COMMAND', 'CREATED', 'STATUS', 'PORTS', 'NAMES'];

/** The `ps` table, header included. */
export function formatContainerTable(
  containers: readonly ContainerSummary[],
  opts: ContainerTableOptions,
): string {
  const trunc = opts.noTrunc !== true;
  const rows = containers.map((c) => [
    trunc ? shortId(c.Id ?? '') : (c.Id ?? ''),
    imageCell(c.Image ?? '', trunc),
    quote(trunc ? ellipsis(c.Command ?? '', 20) : (c.Command ?? '')),
    c.Created === undefined ? '' : `${humanDuration(opts.now - c.Created * 1000)} ago`,
    c.Status ?? '',
    formatPorts(c.Ports ?? []),
    namesCell(c.Names ?? [], trunc),
    ...(opts.size === true
      ? [`${humanSize(c.SizeRw ?? 0)} (virtual ${humanSize(c.SizeRootFs ?? 0)})`]
      : []),
  ]);
  return formatTable([opts.size === true ? [...header, 'SIZE'] : header, ...rows]);
}

/** An image column: an image id is shortened, a pinned digest dropped (when truncating). */
function imageCell(image: string, trunc: boolean): string {
  if (!trunc) return image;
  if (/^sha256:[0-9a-f]{64}$/.test(image)) return shortId(image);
  const at = image.indexOf('@');
  return at > 0 ? image.slice(0, at) : image;
}

/** Names without the API's leading `/`; legacy link aliases (`/a/b`) only with --no-trunc. */
function namesCell(names: readonly string[], trunc: boolean): string {
  return names
    .map((n) => n.replace(/^\//, ''))
    .filter((n) => !trunc || !n.includes('/'))
    .join(',');
}

/** Ports like docker: `0.0.0.0:8080->80/tcp, [::]:8080->80/tcp, 443/tcp`. */
export function formatPorts(ports: readonly PortSummary[]): string {
  const sorted = [...ports].sort(
    (a, b) =>
      (a.PrivatePort ?? 0) - (b.PrivatePort ?? 0) ||
      (a.Type ?? '').localeCompare(b.Type ?? '') ||
      (a.IP ?? '').localeCompare(b.IP ?? ''),
  );
  return sorted
    .map((p) => {
      const priv = `${p.PrivatePort ?? ''}/${p.Type ?? 'tcp'}`;
      if (p.PublicPort === undefined || p.PublicPort === 0) return priv;
      const ip = p.IP ?? '';
      const host = ip.includes(':') ? `[${ip}]` : ip;
      return `${host}:${p.PublicPort}->${priv}`;
    })
    .join(', ');
}
