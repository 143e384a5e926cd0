import { arch } from 'node:os';
import { release } from 'node:os';
import type { SystemInfo as WireInfo, SystemVersion } from '../../../api/index.js';
import type { SystemService } from '../../../services/system/service.js';
import { maxApiVersion, minApiVersion } from '../../api-version.js';
import { responseOf, type Handler } from '../../context.js';
import { sendJson } from '../../http.js';

const goArch = (): string => (arch() === 'x64' ? 'amd64' : arch());

/** GET/HEAD /_ping: `OK` plus the headers clients negotiate with. */
export function pingHandler(): Handler {
  return async (ctx) => {
    const res = responseOf(ctx);
    res.writeHead(200, {
      'Api-Version': maxApiVersion,
      Ostype: 'linux',
      'Docker-Experimental': 'false',
      'Builder-Version': '1',
      'Cache-Control': 'no-cache, no-store, must-revalidate',
      Pragma: 'no-cache',
      'Content-Type': 'text/plain; charset=utf-8',
      'Content-Length': ctx.req.method === 'HEAD' ? '0' : '2',
    });
    res.end(ctx.req.method === 'HEAD' ? undefined : 'OK');
  };
}

/** GET /version. */
export function versionHandler(system: SystemService): Handler {
  return async (ctx) => {
    const f = system.facts;
    const body: SystemVersion = {
      Platform: { Name: `Berth Engine ${f.version}` },
      Components: [
        {
          Name: 'Engine',
          Version: f.version,
          Details: {
            ApiVersion: maxApiVersion,
            MinAPIVersion: minApiVersion,
            GitCommit: f.gitCommit,
            Os: 'linux',
            Arch: goArch(),
            KernelVersion: release(),
            NodeVersion: process.version,
          },
        },
        { Name: f.runtime.name, Version: f.runtime.name, Details: { Path: f.runtime.path } },
      ],
      Version: f.version,
      ApiVersion: maxApiVersion,
      MinAPIVersion: minApiVersion,
      GitCommit: f.gitCommit,
      GoVersion: `node ${process.version}`,
      Os: 'linux',
      Arch: goArch(),
      KernelVersion: release(),
      BuildTime: '',
    };
    sendJson(responseOf(ctx), 200, body);
  };
}

/** GET /info. */
export function infoHandler(system: SystemService): Handler {
  return async (ctx) => {
    const i = await system.info();
    const f = i.facts;
    const body: WireInfo = {
      ID: i.id,
      Containers: i.containers.total,
      ContainersRunning: i.containers.running,
      ContainersPaused: i.containers.paused,
      ContainersStopped: i.containers.stopped,
      Images: i.images,
      Driver: 'overlay',
      DriverStatus: [['Backing Filesystem', 'extfs']],
      DockerRootDir: f.dataRoot,
      Plugins: {
        Volume: ['local'],
        Network: ['bridge', 'host', 'null'],
        Authorization: [],
        Log: ['json-file', 'local', 'none'],
      },
      MemoryLimit: true,
      SwapLimit: true,
      CpuCfsPeriod: true,
      CpuCfsQuota: true,
      CPUShares: true,
      CPUSet: true,
      PidsLimit: true,
      OomKillDisable: f.cgroupVersion === '1',
      IPv4Forwarding: true,
      Debug: false,
      NFd: 0,
      NGoroutines: 0,
      SystemTime: i.systemTime,
      LoggingDriver: 'json-file',
      CgroupDriver: 'cgroupfs',
      CgroupVersion: f.cgroupVersion,
      NEventsListener: i.eventListeners,
      KernelVersion: i.kernelVersion,
      OperatingSystem: i.operatingSystem,
      OSVersion: '',
      OSType: 'linux',
      Architecture: arch() === 'x64' ? 'x86_64' : arch(),
      NCPU: i.ncpu,
      MemTotal: i.memTotal,
      IndexServerAddress: 'https://index.docker.io/v1/',
      RegistryConfig: { IndexConfigs: {}, InsecureRegistryCIDRs: ['127.0.0.0/8'], Mirrors: [] },
      HttpProxy: '',
      HttpsProxy: '',
      NoProxy: '',
      Name: i.name,
      Labels: [],
      ExperimentalBuild: false,
      ServerVersion: f.version,
      Runtimes: { [f.runtime.name]: { path: f.runtime.path } },
      DefaultRuntime: f.runtime.name,
      Swarm: {
        LocalNodeState: 'inactive',
        NodeID: '',
        NodeAddr: '',
        ControlAvailable: false,
        Error: '',
        RemoteManagers: null,
      },
      LiveRestoreEnabled: true,
      Isolation: 'default',
      InitBinary: '',
      SecurityOptions: ['name=seccomp,profile=builtin', ...(f.securityOptions ?? [])],
      Warnings: f.warnings,
    };
    sendJson(responseOf(ctx), 200, body);
  };
}
