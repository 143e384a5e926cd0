import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ContainerCreateBody } from '../../../api/index.js';
import { isKind } from '../../../errors/index.js';
import { resolveConfig } from '../../../services/containers/create.js';
import type { ResolvedImage } from '../../../services/containers/deps.js';
import { createRequestFromBody } from './create-mapper.js';

/** The body `docker run --rm busybox echo hi` (docker CLI 27) posts: nulls, [] and zeros. */
const cliBody =
  '{"Hostname":"","Domainname":"","User":"","AttachStdin":false,"AttachStdout":true,' +
  '"AttachStderr":true,"Tty":false,"OpenStdin":false,"StdinOnce":false,"Env":[],' +
  '"Cmd":["echo","hi"],"Image":"busybox","Volumes":{},"WorkingDir":"","Entrypoint":null,' +
  '"OnBuild":null,"Labels":{},"HostConfig":{"Binds":null,"ContainerIDFile":"",' +
  '"LogConfig":{"Type":"","Config":{}},"NetworkMode":"default","PortBindings":{},' +
  '"RestartPolicy":{"Name":"no","MaximumRetryCount":0},"AutoRemove":true,"VolumeDriver":"",' +
  '"VolumesFrom":null,"ConsoleSize":[0,0],"Annotations":null,"CapAdd":null,"CapDrop":null,' +
  '"CgroupnsMode":"","Dns":[],"DnsOptions":[],"DnsSearch":[],"ExtraHosts":null,"GroupAdd":null,' +
  '"IpcMode":"","Cgroup":"","Links":null,"OomScoreAdj":0,"PidMode":"","Privileged":false,' +
  '"PublishAllPorts":false,"ReadonlyRootfs":false,"SecurityOpt":null,"UTSMode":"",' +
  '"UsernsMode":"","ShmSize":0,"Isolation":"","CpuShares":0,"Memory":0,"NanoCpus":0,' +
  '"CgroupParent":"","BlkioWeight":0,"BlkioWeightDevice":[],"BlkioDeviceReadBps":[],' +
  '"BlkioDeviceWriteBps":[],"BlkioDeviceReadIOps":[],"BlkioDeviceWriteIOps":[],"CpuPeriod":0,' +
  '"CpuQuota":0,"CpuRealtimePeriod":0,"CpuRealtimeRuntime":0,"CpusetCpus":"","CpusetMems":"",' +
  '"Devices":[],"DeviceCgroupRules":null,"DeviceRequests":null,"MemoryReservation":0,' +
  '"MemorySwap":0,"MemorySwappiness":null,"OomKillDisable":null,"PidsLimit":null,"Ulimits":[],' +
  '"CpuCount":0,"CpuPercent":0,"IOMaximumIOps":0,"IOMaximumBandwidth":0,"MaskedPaths":null,' +
  '"ReadonlyPaths":null},"NetworkingConfig":{"EndpointsConfig":{}}}';

type Body = Record<string, unknown> & { HostConfig: Record<string, unknown> };
const cli = (): Body => JSON.parse(cliBody) as Body;
const map = (body: unknown, name: string | null = null) =>
  createRequestFromBody(body as ContainerCreateBody, name);

const busybox: ResolvedImage = {
  id: 'sha256:' + 'a'.repeat(64),
  layers: [],
  config: {
    env: ['PATH=/bin'],
    cmd: ['sh'],
    entrypoint: [],
    workingDir: '',
    user: '',
    stopSignal: '',
    labels: {},
  },
};

function refused(body: unknown, message: string): void {
  assert.throws(
    () => map(body),
    (e: unknown) => isKind(e, 'InvalidParameter') && (e as Error).message === message,
    message,
  );
}

test('the docker CLI body for `docker run --rm busybox echo hi` maps cleanly', () => {
  const req = map(cli());
  assert.deepEqual(req, {
    image: 'busybox',
    cmd: ['echo', 'hi'],
    env: [],
    workingDir: '',
    user: '',
    hostname: '',
    domainname: '',
    labels: {},
    tty: false,
    openStdin: false,
    stdinOnce: false,
    attachStdin: false,
    attachStdout: true,
    attachStderr: true,
    autoRemove: true,
    networkMode: 'default',
    restartPolicy: { name: 'no', maximumRetryCount: 0 },
    consoleSize: [0, 0],
  });
  const config = resolveConfig(req, busybox);
  assert.deepEqual(
    [config.entrypoint, config.cmd, config.env],
    [[], ['echo', 'hi'], ['PATH=/bin']],
  );
  assert.equal(config.autoRemove, true);
});

test('a minimal body maps to just the image', () => {
  assert.deepEqual(map({ Image: 'busybox' }), { image: 'busybox' });
  assert.deepEqual(map({ Image: 'busybox', HostConfig: null }), { image: 'busybox' });
});

test('the ?name= parameter is passed on; empty or absent means generated', () => {
  assert.equal(map({ Image: 'busybox' }, 'web').name, 'web');
  assert.equal('name' in map({ Image: 'busybox' }, ''), false);
  assert.equal('name' in map({ Image: 'busybox' }, null), false);
});

test('strslice: Cmd and Entrypoint may be a string, a list, or null', () => {
  const s = map({ Image: 'i', Cmd: 'echo hi', Entrypoint: '/bin/sh' });
  assert.deepEqual([s.cmd, s.entrypoint], [['echo hi'], ['/bin/sh']]);
  const l = map({ Image: 'i', Cmd: ['a', 'b c'], Entrypoint: [''] });
  assert.deepEqual([l.cmd, l.entrypoint], [['a', 'b c'], ['']]);
  const n = map({ Image: 'i', Cmd: null, Entrypoint: null });
  assert.equal('cmd' in n || 'entrypoint' in n, false);
  const e = map({ Image: 'i', Cmd: [] });
  assert.deepEqual(e.cmd, []);
});

test('a body without an image is refused', () => {
  const msg = 'config cannot be empty in order to create a container';
  for (const body of [{}, { Image: '' }, { Image: null }, { Image: 42 }]) refused(body, msg);
});

/** A value for each host option that is not implemented yet, as a user would set it. */
const unsupported: Record<string, unknown> = {
  DeviceRequests: [{ Driver: 'nvidia', Count: -1 }],
};

test('ports, publish-all, links and endpoint settings map to the networking request', () => {
  const body = cli();
  body.HostConfig['PortBindings'] = { '80/tcp': [{ HostIp: '', HostPort: '8080' }] };
  body.HostConfig['PublishAllPorts'] = true;
  body.HostConfig['Links'] = ['/db:/web/database'];
  const r = map({
    ...body,
    ExposedPorts: { '80/tcp': {}, '53/udp': {} },
    NetworkingConfig: {
      EndpointsConfig: { net1: { IPAMConfig: { IPv4Address: '10.9.0.5' }, Aliases: ['a'] } },
    },
  } as Body);
  assert.deepEqual(r.ports, {
    exposed: ['80/tcp', '53/udp'],
    bindings: { '80/tcp': [{ hostIp: '', hostPort: '8080' }] },
    publishAll: true,
  });
  assert.deepEqual(r.links, ['db:database']);
  assert.deepEqual(r.endpoints, { net1: { ipv4: '10.9.0.5', aliases: ['a'] } });
});

test('a runtime other than runc is refused; runc or none is fine', () => {
  const withRuntime = (Runtime: string): Body => ({
    ...cli(),
    HostConfig: { ...cli().HostConfig, Runtime },
  });
  assert.throws(() => map(withRuntime('crun')), /unknown or invalid runtime name: crun/);
  assert.doesNotThrow(() => map(withRuntime('runc')));
});

test('host options that are not supported yet are refused, naming HostConfig.<Field>', () => {
  for (const [field, value] of Object.entries(unsupported)) {
    const body = cli();
    body.HostConfig[field] = value;
    refused(body, `HostConfig.${field} is not supported by this engine yet`);
  }
});

test('unsupported options left at their zero value are not refused', () => {
  const body = cli();
  Object.assign(body.HostConfig, {
    OomKillDisable: false,
    Tmpfs: {},
    Sysctls: {},
    Mounts: [],
    Binds: [],
    PidsLimit: 0,
    Runtime: '',
  });
  assert.equal(map(body).image, 'busybox');
});

test('mount fields map to the service request (validated by the service)', () => {
  const r = map({
    Image: 'i',
    Volumes: { '/data': {} },
    HostConfig: {
      Binds: ['v:/v:ro'],
      Mounts: [{ Type: 'tmpfs', Target: '/t', TmpfsOptions: { SizeBytes: 1024, Mode: null } }],
      Tmpfs: { '/run': 'rw' },
      VolumesFrom: ['other'],
    },
  });
  assert.deepEqual(r.mounts, {
    binds: ['v:/v:ro'],
    mounts: [{ type: 'tmpfs', target: '/t', tmpfsOptions: { sizeBytes: 1024 } }],
    tmpfs: { '/run': 'rw' },
    volumesFrom: ['other'],
    volumes: ['/data'],
  });
});

test('Healthcheck is mapped (ns durations, zeros inherit); an empty one is absent', () => {
  const h = map({
    Image: 'i',
    Healthcheck: { Test: ['CMD-SHELL', 'true'], Interval: 200_000_000, Retries: 2 },
  }).healthcheck;
  assert.deepEqual(h, {
    test: ['CMD-SHELL', 'true'],
    intervalNs: 200_000_000,
    timeoutNs: 0,
    startPeriodNs: 0,
    startIntervalNs: 0,
    retries: 2,
  });
  assert.deepEqual(map({ Image: 'i', Healthcheck: { Test: ['NONE'] } }).healthcheck?.test, [
    'NONE',
  ]);
  assert.equal(map({ Image: 'i', Healthcheck: { Test: [] } }).healthcheck, undefined);
  assert.equal(map({ Image: 'i', Healthcheck: { Test: [] } }).image, 'i');
});

test('restart policy: a named policy is passed on, an empty name means none', () => {
  const hc = (RestartPolicy: unknown) => map({ Image: 'i', HostConfig: { RestartPolicy } });
  assert.deepEqual(hc({ Name: 'on-failure', MaximumRetryCount: 3 }).restartPolicy, {
    name: 'on-failure',
    maximumRetryCount: 3,
  });
  assert.deepEqual(hc({ Name: 'always' }).restartPolicy, { name: 'always', maximumRetryCount: 0 });
  assert.equal('restartPolicy' in hc({ Name: '', MaximumRetryCount: 0 }), false);
  assert.equal('restartPolicy' in hc(null), false);
});

test('restart policy: an invalid one is refused when the request is resolved', () => {
  const req = map({ Image: 'i', HostConfig: { RestartPolicy: { Name: 'sometimes' } } });
  assert.throws(
    () => resolveConfig(req, busybox),
    (e: unknown) =>
      isKind(e, 'InvalidParameter') && /unknown policy 'sometimes'/.test((e as Error).message),
  );
  const rm = map({
    Image: 'i',
    HostConfig: { AutoRemove: true, RestartPolicy: { Name: 'always' } },
  });
  assert.throws(() => resolveConfig(rm, busybox), /can't create 'AutoRemove' container/);
});

test('host values that are supported are carried over; zero means default', () => {
  const req = map({
    Image: 'i',
    StopSignal: 'SIGINT',
    StopTimeout: 3,
    Labels: { a: 'b' },
    HostConfig: { NetworkMode: 'host', ShmSize: 1024, ConsoleSize: [24, 80], Init: true },
  });
  assert.deepEqual(
    [req.stopSignal, req.stopTimeout, req.labels, req.networkMode, req.shmSize, req.consoleSize],
    ['SIGINT', 3, { a: 'b' }, 'host', 1024, [24, 80]],
  );
  assert.equal(req.init, true);
  const zero = map({ Image: 'i', HostConfig: { NetworkMode: '', ShmSize: 0, ConsoleSize: null } });
  assert.equal('networkMode' in zero || 'shmSize' in zero || 'consoleSize' in zero, false);
});
