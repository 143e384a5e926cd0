#!/usr/bin/env node
// berthd: the Berth daemon. Argument parsing only; src/daemon does the rest.
import { isIP } from 'node:net';
import { parseArgs } from 'node:util';
import { startDaemon } from '../src/daemon/daemon.js';
import { defaultConfig } from '../src/daemon/config.js';
import { engineVersion } from '../src/daemon/version.js';
import { tcpSecurity } from '../src/daemon/tls.js';

const usage = `Usage: berthd [OPTIONS]

A Docker-compatible container engine daemon.

Options:
  -H, --host unix://PATH|tcp://IP:PORT
                             Where to serve the Engine API (repeatable; default unix://${defaultConfig.hosts[0]})
  -G, --group NAME           Group owning the unix socket (default berth, when it exists)
      --tlsverify            TLS on tcp:// hosts; clients need a certificate signed by --tlscacert
      --tls                  TLS on tcp:// hosts without client certificates (implied by --tlsverify)
      --tlscacert FILE       CA that signs client certificates
      --tlscert FILE         Server certificate
      --tlskey FILE          Server key
      --insecure-tcp         Allow tcp:// hosts WITHOUT TLS (anyone who reaches them is root here)
      --userns-remap default|USER[:GROUP]
                             Run containers in a user namespace mapped to USER's /etc/subuid and
                             /etc/subgid ranges (default: the berth user, created if missing)
      --data-root DIR        Persistent state (default ${defaultConfig.dataRoot})
      --exec-root DIR        Runtime state (default ${defaultConfig.execRoot})
      --cgroup-parent PATH   Absolute cgroup parent for containers (default ${defaultConfig.cgroupParent})
      --runtime PATH         OCI runtime binary (default ${defaultConfig.runtimePath})
      --conmon PATH          conmon binary (default ${defaultConfig.conmonPath})
      --init-path PATH       Static init binary for --init (default ${defaultConfig.initPath})
      --insecure-registry HOST  Registry to reach over plain HTTP (host[:port] or CIDR; repeatable)
      --bridge NAME          Default bridge network device (default ${defaultConfig.bridge})
      --bip CIDR             Default bridge address and subnet, e.g. 10.55.0.1/24 (default: a free pool subnet)
      --default-address-pool base=CIDR,size=N  Pool for networks without --subnet (repeatable)
      --dns-upstream IP[:PORT]  Resolver the embedded DNS forwards to (repeatable; default: the host's)
      --host-gateway-ip IP   Address of --add-host NAME:host-gateway (default: the default bridge's gateway)
      --no-bootstrap         Do not build busybox:latest from the host's busybox-static
  -v, --version              Print the version and exit
  -h, --help                 Print this help and exit
`;

function fail(msg: string): never {
  process.stderr.write(`berthd: ${msg}\n`);
  process.exit(1);
}

/** `--host-gateway-ip` must be an IP address (Docker's daemon refuses anything else too). */
function hostGatewayIp(ip: string): string {
  if (isIP(ip) === 0) fail(`--host-gateway-ip: ${ip} is not an ip address`);
  return ip;
}

function socketPath(host: string): string {
  if (host.startsWith('unix://')) return host.slice('unix://'.length);
  if (host.startsWith('/')) return host;
  fail(`unsupported host "${host}": use unix:///path or tcp://ip:port`);
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        host: { type: 'string', short: 'H', multiple: true },
        group: { type: 'string', short: 'G' },
        tls: { type: 'boolean' },
        tlsverify: { type: 'boolean' },
        tlscacert: { type: 'string' },
        tlscert: { type: 'string' },
        tlskey: { type: 'string' },
        'insecure-tcp': { type: 'boolean' },
        'userns-remap': { type: 'string' },
        'data-root': { type: 'string' },
        'exec-root': { type: 'string' },
        'cgroup-parent': { type: 'string' },
        runtime: { type: 'string' },
        conmon: { type: 'string' },
        'init-path': { type: 'string' },
        'no-bootstrap': { type: 'boolean' },
        'insecure-registry': { type: 'string', multiple: true },
        bridge: { type: 'string' },
        bip: { type: 'string' },
        'default-address-pool': { type: 'string', multiple: true },
        'dns-upstream': { type: 'string', multiple: true },
        'host-gateway-ip': { type: 'string' },
        version: { type: 'boolean', short: 'v' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    });
  } catch (e) {
    fail(`${(e as Error).message}\n\n${usage}`);
  }
  const v = parsed.values;
  if (v.help) return void process.stdout.write(usage);
  if (v.version) return void process.stdout.write(`berthd version ${engineVersion}\n`);
  if (process.getuid?.() !== 0)
    fail('berthd must run as root (it mounts filesystems and creates namespaces)');
  const cgroupParent = v['cgroup-parent'] ?? defaultConfig.cgroupParent;
  if (!cgroupParent.startsWith('/')) fail('--cgroup-parent must be an absolute path');
  const allHosts = v.host ?? [`unix://${defaultConfig.hosts[0]}`];
  const tcpHosts = allHosts.filter((h) => h.startsWith('tcp://'));
  let security;
  try {
    security = tcpSecurity(
      {
        tls: v.tls === true,
        tlsverify: v.tlsverify === true,
        tlscacert: v.tlscacert,
        tlscert: v.tlscert,
        tlskey: v.tlskey,
        insecureTcp: v['insecure-tcp'] === true,
      },
      tcpHosts,
    );
  } catch (e) {
    fail((e as Error).message);
  }
  const daemon = await startDaemon({
    ...defaultConfig,
    hosts: allHosts.filter((h) => !h.startsWith('tcp://')).map(socketPath),
    tcpHosts,
    tcpSecurity: security,
    ...(v.group !== undefined ? { socketGroup: v.group } : {}),
    ...(v['userns-remap'] !== undefined ? { usernsRemap: v['userns-remap'] } : {}),
    dataRoot: v['data-root'] ?? defaultConfig.dataRoot,
    execRoot: v['exec-root'] ?? defaultConfig.execRoot,
    cgroupParent,
    runtimePath: v.runtime ?? defaultConfig.runtimePath,
    conmonPath: v.conmon ?? defaultConfig.conmonPath,
    initPath: v['init-path'] ?? defaultConfig.initPath,
    bootstrapBusybox: !v['no-bootstrap'],
    insecureRegistries: v['insecure-registry'] ?? [],
    bridge: v.bridge ?? defaultConfig.bridge,
    bip: v.bip ?? null,
    defaultAddressPools: v['default-address-pool'] ?? defaultConfig.defaultAddressPools,
    ...(v['dns-upstream'] ? { dnsUpstreams: v['dns-upstream'] } : {}),
    ...(v['host-gateway-ip'] !== undefined
      ? { hostGatewayIp: hostGatewayIp(v['host-gateway-ip']) }
      : {}),
    log: (msg) => process.stderr.write(`${new Date().toISOString()} ${msg}\n`),
  });
  let closing = false;
  const shutdown = (signal: string): void => {
    if (closing) return;
    closing = true;
    process.stderr.write(
      `${new Date().toISOString()} ${signal}: shutting down; containers keep running\n`,
    );
    daemon.close().then(
      () => process.exit(0),
      (e: unknown) => fail(String(e)),
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((e: unknown) => fail(e instanceof Error ? e.message : String(e)));
