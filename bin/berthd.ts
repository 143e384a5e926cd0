#!/usr/bin/env node
// berthd: the Berth daemon. Argument parsing only; src/daemon does the rest.
import { parseArgs } from 'node:util';
import { startDaemon } from '../src/daemon/daemon.js';
import { defaultConfig } from '../src/daemon/config.js';
import { engineVersion } from '../src/daemon/version.js';

const usage = `Usage: berthd [OPTIONS]

A Docker-compatible container engine daemon.

Options:
  -H, --host unix://PATH     Socket to serve the Engine API on (repeatable; default unix://${defaultConfig.hosts[0]})
      --data-root DIR        Persistent state (default ${defaultConfig.dataRoot})
      --exec-root DIR        Runtime state (default ${defaultConfig.execRoot})
      --cgroup-parent PATH   Absolute cgroup parent for containers (default ${defaultConfig.cgroupParent})
      --runtime PATH         OCI runtime binary (default ${defaultConfig.runtimePath})
      --conmon PATH          conmon binary (default ${defaultConfig.conmonPath})
      --init-path PATH       Static init binary for --init (default ${defaultConfig.initPath})
      --insecure-registry HOST  Registry to reach over plain HTTP (host[:port] or CIDR; repeatable)
      --no-bootstrap         Do not build busybox:latest from the host's busybox-static
  -v, --version              Print the version and exit
  -h, --help                 Print this help and exit
`;

function fail(msg: string): never {
  process.stderr.write(`berthd: ${msg}\n`);
  process.exit(1);
}

function socketPath(host: string): string {
  if (host.startsWith('unix://')) return host.slice('unix://'.length);
  if (host.startsWith('/')) return host;
  fail(`unsupported host "${host}": only unix:// sockets are supported yet`);
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        host: { type: 'string', short: 'H', multiple: true },
        'data-root': { type: 'string' },
        'exec-root': { type: 'string' },
        'cgroup-parent': { type: 'string' },
        runtime: { type: 'string' },
        conmon: { type: 'string' },
        'init-path': { type: 'string' },
        'no-bootstrap': { type: 'boolean' },
        'insecure-registry': { type: 'string', multiple: true },
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
  const daemon = await startDaemon({
    ...defaultConfig,
    hosts: (v.host ?? [`unix://${defaultConfig.hosts[0]}`]).map(socketPath),
    dataRoot: v['data-root'] ?? defaultConfig.dataRoot,
    execRoot: v['exec-root'] ?? defaultConfig.execRoot,
    cgroupParent,
    runtimePath: v.runtime ?? defaultConfig.runtimePath,
    conmonPath: v.conmon ?? defaultConfig.conmonPath,
    initPath: v['init-path'] ?? defaultConfig.initPath,
    bootstrapBusybox: !v['no-bootstrap'],
    insecureRegistries: v['insecure-registry'] ?? [],
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
