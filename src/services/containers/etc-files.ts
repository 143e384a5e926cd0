import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { atomicWrite } from '../../lib/atomic-write.js';
import type { ContainerConfig } from './types.js';

/** The three files Docker bind-mounts into every container, written into its own dir. */
export interface EtcFiles {
  hostname: string;
  hosts: string;
  resolvConf: string;
}

let hostResolvConf: Promise<string> | undefined;

/**
 * The host's resolv.conf without loopback nameservers (they mean nothing inside a container's
 * network namespace); read once per daemon.
 */
function resolvConfForContainers(): Promise<string> {
  hostResolvConf ??= readFile('/etc/resolv.conf', 'utf8')
    .catch(() => '')
    .then((text) =>
      text
        .split('\n')
        .filter((l) => !/^\s*nameserver\s+(127\.|::1\s*$)/.test(l))
        .join('\n'),
    );
  return hostResolvConf;
}

/** The container's hostname: its configured one, or the short id as Docker does. */
export function hostnameOf(id: string, config: ContainerConfig): string {
  return config.hostname || id.slice(0, 12);
}

/** Writes hostname, hosts and resolv.conf for a container about to start. */
export async function writeEtcFiles(
  dir: string,
  id: string,
  config: ContainerConfig,
): Promise<EtcFiles> {
  const hostname = hostnameOf(id, config);
  const files: EtcFiles = {
    hostname: join(dir, 'hostname'),
    hosts: join(dir, 'hosts'),
    resolvConf: join(dir, 'resolv.conf'),
  };
  const hosts = [
    '127.0.0.1\tlocalhost',
    '::1\tlocalhost ip6-localhost ip6-loopback',
    'fe00::0\tip6-localnet',
    'ff00::0\tip6-mcastprefix',
    'ff02::1\tip6-allnodes',
    'ff02::2\tip6-allrouters',
    config.networkMode === 'host' ? '' : `127.0.1.1\t${hostname}`,
    '',
  ].join('\n');
  await Promise.all([
    atomicWrite(files.hostname, `${hostname}\n`),
    atomicWrite(files.hosts, hosts),
    atomicWrite(files.resolvConf, await resolvConfForContainers()),
  ]);
  return files;
}
