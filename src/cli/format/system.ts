import type { SystemInfo, SystemVersion } from '../../api/index.js';
import { bytesSize } from './human.js';
import { formatKeyValues, type KeyValueLine } from './table.js';

/** The client half of `berth version`. */
export interface ClientVersion {
  version: string;
  apiVersion: string;
  nodeVersion: string;
  os: string;
  arch: string;
}

/** `berth version`'s Client section (and Server section when the daemon answered), docker's layout. */
export function formatVersion(client: ClientVersion, server: SystemVersion | undefined): string {
  const lines: KeyValueLine[] = [
    'Client:',
    [' Version:', client.version],
    [' API version:', client.apiVersion],
    [' Node.js version:', client.nodeVersion],
    [' OS/Arch:', `${client.os}/${client.arch}`],
  ];
  if (server !== undefined) lines.push('', ...serverLines(server));
  return formatKeyValues(lines);
}

function serverLines(v: SystemVersion): KeyValueLine[] {
  const name = v.Platform?.Name;
  const lines: KeyValueLine[] = [name ? `Server: ${name}` : 'Server:', ' Engine:'];
  const pair = (key: string, value: unknown): void => {
    if (value !== undefined && value !== '') lines.push([`  ${key}:`, String(value)]);
  };
  pair('Version', v.Version);
  const min = v.MinAPIVersion ? ` (minimum version ${v.MinAPIVersion})` : '';
  pair('API version', v.ApiVersion === undefined ? undefined : `${v.ApiVersion}${min}`);
  pair('Go version', v.GoVersion);
  pair('Git commit', v.GitCommit);
  pair('Built', v.BuildTime);
  pair('OS/Arch', v.Os === undefined ? undefined : `${v.Os}/${v.Arch ?? ''}`);
  pair('Experimental', v.Experimental ?? false);
  for (const c of v.Components ?? []) {
    if (c.Name === 'Engine') continue;
    lines.push(` ${c.Name}:`);
    pair('Version', c.Version);
    const details = c.Details ?? {};
    for (const key of Object.keys(details).sort()) pair(key, details[key]);
  }
  return lines;
}

/** `berth info`: a short summary in `docker info`'s wording. */
export function formatInfo(clientVersion: string, info: SystemInfo): string {
  const out: string[] = ['Client:', ` Version: ${clientVersion}`, '', 'Server:'];
  const line = (indent: string, key: string, value: unknown): void => {
    if (value !== undefined && value !== null && value !== '')
      out.push(`${indent}${key}: ${String(value)}`);
  };
  line(' ', 'Containers', info.Containers ?? 0);
  line('  ', 'Running', info.ContainersRunning ?? 0);
  line('  ', 'Paused', info.ContainersPaused ?? 0);
  line('  ', 'Stopped', info.ContainersStopped ?? 0);
  line(' ', 'Images', info.Images ?? 0);
  line(' ', 'Server Version', info.ServerVersion);
  line(' ', 'Storage Driver', info.Driver);
  line(' ', 'Logging Driver', info.LoggingDriver);
  line(' ', 'Cgroup Driver', info.CgroupDriver);
  line(' ', 'Cgroup Version', info.CgroupVersion);
  line(' ', 'Runtimes', info.Runtimes ? Object.keys(info.Runtimes).sort().join(' ') : undefined);
  line(' ', 'Default Runtime', info.DefaultRuntime);
  line(' ', 'Kernel Version', info.KernelVersion);
  line(' ', 'Operating System', info.OperatingSystem);
  line(' ', 'OSType', info.OSType);
  line(' ', 'Architecture', info.Architecture);
  line(' ', 'CPUs', info.NCPU);
  line(' ', 'Total Memory', info.MemTotal === undefined ? undefined : bytesSize(info.MemTotal));
  line(' ', 'Name', info.Name);
  line(' ', 'ID', info.ID);
  line(' ', 'Root Dir', info.DockerRootDir);
  line(' ', 'Debug Mode', info.Debug);
  for (const w of info.Warnings ?? []) out.push(`WARNING: ${w}`);
  return out.map((l) => `${l}\n`).join('');
}
