import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertMatchesSpec, assertStatusInSpec } from './spec-check.js';

const ID = 'f'.repeat(64);

/** `GET /containers/{id}/json` as dockerd 27 answers it for `docker run -d busybox sleep 60`. */
function realInspect(): Record<string, unknown> & {
  State: Record<string, unknown>;
  HostConfig: Record<string, unknown>;
} {
  return {
    Id: ID,
    Created: '2025-01-01T10:00:00.123456789Z',
    Path: 'sleep',
    Args: ['60'],
    State: {
      Status: 'running',
      Running: true,
      Paused: false,
      Restarting: false,
      OOMKilled: false,
      Dead: false,
      Pid: 4242,
      ExitCode: 0,
      Error: '',
      StartedAt: '2025-01-01T10:00:00.2Z',
      FinishedAt: '0001-01-01T00:00:00Z',
    },
    Image: `sha256:${'a'.repeat(64)}`,
    ResolvConfPath: `/var/lib/docker/containers/${ID}/resolv.conf`,
    HostnamePath: `/var/lib/docker/containers/${ID}/hostname`,
    HostsPath: `/var/lib/docker/containers/${ID}/hosts`,
    LogPath: `/var/lib/docker/containers/${ID}/${ID}-json.log`,
    Name: '/eager_turing',
    RestartCount: 0,
    Driver: 'overlay2',
    Platform: 'linux',
    MountLabel: '',
    ProcessLabel: '',
    AppArmorProfile: 'docker-default',
    ExecIDs: null,
    HostConfig: {
      Binds: null,
      ContainerIDFile: '',
      LogConfig: { Type: 'json-file', Config: {} },
      NetworkMode: 'bridge',
      PortBindings: {},
      RestartPolicy: { Name: 'no', MaximumRetryCount: 0 },
      AutoRemove: false,
      VolumeDriver: '',
      VolumesFrom: null,
      ConsoleSize: [24, 80],
      CapAdd: null,
      CapDrop: null,
      CgroupnsMode: 'private',
      Dns: [],
      DnsOptions: [],
      DnsSearch: [],
      ExtraHosts: null,
      GroupAdd: null,
      IpcMode: 'private',
      Cgroup: '',
      Links: null,
      OomScoreAdj: 0,
      PidMode: '',
      Privileged: false,
      PublishAllPorts: false,
      ReadonlyRootfs: false,
      SecurityOpt: null,
      UTSMode: '',
      UsernsMode: '',
      ShmSize: 67108864,
      Runtime: 'runc',
      Isolation: '',
      CpuShares: 0,
      Memory: 0,
      NanoCpus: 0,
      CgroupParent: '',
      BlkioWeight: 0,
      BlkioWeightDevice: [],
      BlkioDeviceReadBps: [],
      BlkioDeviceWriteBps: [],
      BlkioDeviceReadIOps: [],
      BlkioDeviceWriteIOps: [],
      CpuPeriod: 0,
      CpuQuota: 0,
      CpuRealtimePeriod: 0,
      CpuRealtimeRuntime: 0,
      CpusetCpus: '',
      CpusetMems: '',
      Devices: [],
      DeviceCgroupRules: null,
      DeviceRequests: null,
      MemoryReservation: 0,
      MemorySwap: 0,
      MemorySwappiness: null,
      OomKillDisable: null,
      PidsLimit: null,
      Ulimits: null,
      CpuCount: 0,
      CpuPercent: 0,
      IOMaximumIOps: 0,
      IOMaximumBandwidth: 0,
      MaskedPaths: ['/proc/asound', '/proc/acpi'],
      ReadonlyPaths: ['/proc/bus', '/proc/fs'],
    },
    GraphDriver: { Data: { MergedDir: '/m', UpperDir: '/u', WorkDir: '/w' }, Name: 'overlay2' },
    Mounts: [],
    Config: {
      Hostname: 'ffffffffffff',
      Domainname: '',
      User: '',
      AttachStdin: false,
      AttachStdout: false,
      AttachStderr: false,
      Tty: false,
      OpenStdin: false,
      StdinOnce: false,
      Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
      Cmd: ['sleep', '60'],
      Image: 'busybox',
      Volumes: null,
      WorkingDir: '',
      Entrypoint: null,
      OnBuild: null,
      Labels: {},
    },
    NetworkSettings: {
      Bridge: '',
      SandboxID: 'b'.repeat(64),
      SandboxKey: '/var/run/docker/netns/bbbbbbbbbbbb',
      Ports: {},
      HairpinMode: false,
      SecondaryIPAddresses: null,
      Networks: {
        bridge: {
          IPAMConfig: null,
          Links: null,
          Aliases: null,
          MacAddress: '02:42:ac:11:00:02',
          DriverOpts: null,
          GwPriority: 0,
          NetworkID: 'c'.repeat(64),
          EndpointID: 'd'.repeat(64),
          Gateway: '172.17.0.1',
          IPAddress: '172.17.0.2',
          IPPrefixLen: 16,
          IPv6Gateway: '',
          GlobalIPv6Address: '',
          GlobalIPv6PrefixLen: 0,
          DNSNames: null,
        },
      },
    },
  };
}

test('a real dockerd inspect body, with its nulls and extra legacy fields, matches', () => {
  assertMatchesSpec('GET', '/containers/{id}/json', 200, realInspect());
});

test('a wrong type is reported with the operation, status and field', () => {
  const body = realInspect();
  body.State['Pid'] = '4242';
  assert.throws(
    () => assertMatchesSpec('get', '/containers/{id}/json', 200, body),
    /ContainerInspect 200: invalid value for State\.Pid: must be integer/,
  );
});

test('null is accepted for arrays and maps, not for objects the spec does not mark nullable', () => {
  const body = realInspect();
  body.Mounts = null;
  body.HostConfig['PortBindings'] = null;
  assertMatchesSpec('GET', '/containers/{id}/json', 200, body);
  body.HostConfig['RestartPolicy'] = null;
  assert.throws(
    () => assertMatchesSpec('GET', '/containers/{id}/json', 200, body),
    /HostConfig\.RestartPolicy: must be object/,
  );
});

test('list responses: nil slices and maps inside pass, a null root does not', () => {
  const item = {
    Id: ID,
    Names: ['/eager_turing'],
    Image: 'busybox',
    ImageID: `sha256:${'a'.repeat(64)}`,
    Command: 'sleep 60',
    Created: 1735725600,
    Ports: null,
    Labels: null,
    State: 'running',
    Status: 'Up 2 seconds',
    HostConfig: { NetworkMode: 'bridge' },
    NetworkSettings: { Networks: { bridge: { IPAMConfig: null, Links: null, Aliases: null } } },
    Mounts: null,
  };
  assertMatchesSpec('GET', '/containers/json', 200, [item]);
  assert.throws(() => assertMatchesSpec('GET', '/containers/json', 200, null), /ContainerList 200/);
  assert.throws(
    () => assertMatchesSpec('GET', '/containers/json', 200, [{ ...item, State: 'sleeping' }]),
    /\[0\]\.State: must be one of/,
  );
});

test('required fields, error bodies and bodiless statuses', () => {
  assertMatchesSpec('POST', '/containers/create', 201, { Id: ID, Warnings: [] });
  assert.throws(
    () => assertMatchesSpec('POST', '/containers/create', 201, { Warnings: [] }),
    /missing required field Id/,
  );
  assertMatchesSpec('POST', '/containers/create', 404, { message: 'No such image: nope:latest' });
  assertMatchesSpec('DELETE', '/containers/{id}', 204, undefined);
  assert.throws(
    () => assertMatchesSpec('DELETE', '/containers/{id}', 204, { ok: true }),
    /no response body/,
  );
  assertMatchesSpec('POST', '/containers/{id}/wait', 200, { StatusCode: 0 });
});

test('assertStatusInSpec accepts listed statuses only, and unknown operations fail', () => {
  assertStatusInSpec('POST', '/containers/{id}/start', 204);
  assertStatusInSpec('POST', '/containers/{id}/start', 304);
  assert.throws(
    () => assertStatusInSpec('GET', '/containers/{id}/json', 201),
    /ContainerInspect .* answered 201; the spec lists 200, 404, 500/,
  );
  assert.throws(() => assertStatusInSpec('GET', '/containers/{id}/teleport', 200), /no operation/);
});
