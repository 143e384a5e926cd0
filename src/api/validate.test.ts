import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { RequestValidationError, validateRequestBody } from './index.js';

const require = createRequire(import.meta.url);

/** The body `docker run --rm busybox echo hi` (docker CLI 27) posts to /containers/create. */
function cliCreateBody(): Record<string, unknown> & { HostConfig: Record<string, unknown> } {
  return JSON.parse(
    '{"Hostname":"","Domainname":"","User":"","AttachStdin":false,"AttachStdout":true,' +
      '"AttachStderr":true,"Tty":false,"OpenStdin":false,"StdinOnce":false,"Env":[],' +
      '"Cmd":["echo","hi"],"Image":"busybox","Volumes":{},"WorkingDir":"","Entrypoint":null,' +
      '"OnBuild":null,"Labels":{},"HostConfig":{"Binds":null,"ContainerIDFile":"",' +
      '"LogConfig":{"Type":"","Config":{}},"NetworkMode":"default","PortBindings":{},' +
      '"RestartPolicy":{"Name":"no","MaximumRetryCount":0},"AutoRemove":true,"VolumeDriver":"",' +
      '"VolumesFrom":null,"ConsoleSize":[0,0],"CapAdd":null,"CapDrop":null,"CgroupnsMode":"",' +
      '"Dns":[],"DnsOptions":[],"DnsSearch":[],"ExtraHosts":null,"GroupAdd":null,"IpcMode":"",' +
      '"Cgroup":"","Links":null,"OomScoreAdj":0,"PidMode":"","Privileged":false,' +
      '"PublishAllPorts":false,"ReadonlyRootfs":false,"SecurityOpt":null,"UTSMode":"",' +
      '"UsernsMode":"","ShmSize":0,"Isolation":"","CpuShares":0,"Memory":0,"NanoCpus":0,' +
      '"CgroupParent":"","BlkioWeight":0,"BlkioWeightDevice":[],"BlkioDeviceReadBps":[],' +
      '"BlkioDeviceWriteBps":[],"BlkioDeviceReadIOps":[],"BlkioDeviceWriteIOps":[],"CpuPeriod":0,' +
      '"CpuQuota":0,"CpuRealtimePeriod":0,"CpuRealtimeRuntime":0,"CpusetCpus":"","CpusetMems":"",' +
      '"Devices":[],"DeviceCgroupRules":null,"DeviceRequests":null,"MemoryReservation":0,' +
      '"MemorySwap":0,"MemorySwappiness":null,"OomKillDisable":null,"PidsLimit":null,"Ulimits":[],' +
      '"CpuCount":0,"CpuPercent":0,"IOMaximumIOps":0,"IOMaximumBandwidth":0,"MaskedPaths":null,' +
      '"ReadonlyPaths":null},"NetworkingConfig":{"EndpointsConfig":{}}}',
  ) as ReturnType<typeof cliCreateBody>;
}

/** Asserts that validation fails with a RequestValidationError for `field` and `message`. */
function rejects(operationId: string, body: unknown, field: string, message: RegExp): void {
  assert.throws(
    () => validateRequestBody(operationId, body),
    (err: unknown) => {
      assert.ok(
        err instanceof RequestValidationError,
        `not a RequestValidationError: ${String(err)}`,
      );
      assert.equal(err.operationId, operationId);
      assert.equal(err.field, field);
      assert.match(err.message, message);
      return true;
    },
  );
}

// Runs first (tests run in order): nothing may be loaded or compiled at import time.
test('importing the validator loads neither ajv nor the schemas', () => {
  const ajvPath = require.resolve('ajv');
  assert.equal(require.cache[ajvPath], undefined);
});

test('the docker CLI create body, nulls and all, passes', () => {
  validateRequestBody('ContainerCreate', cliCreateBody());
  const ajvPath = require.resolve('ajv');
  assert.ok(require.cache[ajvPath], 'ajv is loaded on first use');
});

test('a wrong scalar type names the nested field', () => {
  const body = cliCreateBody();
  body.HostConfig['Memory'] = 'lots';
  rejects(
    'ContainerCreate',
    body,
    'HostConfig.Memory',
    /^invalid value for HostConfig\.Memory: must be integer$/,
  );
});

test('strslice fields accept a string or an array of strings, not other types', () => {
  const body = cliCreateBody();
  Object.assign(body, { Cmd: 'echo hi', Entrypoint: '/bin/sh -c', Shell: 'sh' });
  body['Healthcheck'] = { Test: 'CMD-SHELL true', Interval: 0 };
  validateRequestBody('ContainerCreate', body);
  validateRequestBody('ContainerExec', { Cmd: 'sh', AttachStdout: true });
  rejects(
    'ContainerCreate',
    { ...cliCreateBody(), Cmd: ['echo', 1] },
    'Cmd[1]',
    /Cmd\[1\]: must be string/,
  );
  rejects(
    'ContainerCreate',
    { ...cliCreateBody(), Entrypoint: 5 },
    'Entrypoint',
    /must be array or string/,
  );
  rejects('ContainerCreate', { ...cliCreateBody(), Env: 'A=b' }, 'Env', /Env: must be array$/);
});

test('nulls anywhere below the root pass; a null body does not', () => {
  const body = cliCreateBody();
  Object.assign(body, { Labels: { a: null }, Healthcheck: null, Volumes: null, Tty: null });
  body['NetworkingConfig'] = { EndpointsConfig: { bridge: { IPAMConfig: null, Aliases: [null] } } };
  validateRequestBody('ContainerCreate', body);
  rejects('ContainerCreate', null, '', /request body: must not be null/);
  rejects('ContainerCreate', [], '', /^invalid request body: must be object$/);
});

test('numeric bounds are left to the services (dockerd accepts MemorySwappiness -1)', () => {
  const body = cliCreateBody();
  Object.assign(body.HostConfig, { MemorySwappiness: -1, BlkioWeight: 5000, ConsoleSize: [0] });
  validateRequestBody('ContainerCreate', body);
  body.HostConfig['MemorySwappiness'] = 1.5;
  rejects('ContainerCreate', body, 'HostConfig.MemorySwappiness', /must be integer/);
});

test('unknown properties are ignored, as Docker does', () => {
  validateRequestBody('ContainerCreate', {
    ...cliCreateBody(),
    MacAddress: '',
    Futuristic: { x: 1 },
  });
});

test('enums: the spec values and Go zero value pass, anything else is named', () => {
  const body = cliCreateBody();
  body.HostConfig['RestartPolicy'] = { Name: '', MaximumRetryCount: 0 };
  validateRequestBody('ContainerCreate', body);
  body.HostConfig['RestartPolicy'] = { Name: 'sometimes' };
  rejects(
    'ContainerCreate',
    body,
    'HostConfig.RestartPolicy.Name',
    /HostConfig\.RestartPolicy\.Name: must be one of: .*"always".*"on-failure"/,
  );
});

test('map keys that are not words are bracketed in the field path', () => {
  const body = cliCreateBody();
  body.HostConfig['PortBindings'] = { '80/tcp': [{ HostIp: '', HostPort: 8080 }] };
  rejects(
    'ContainerCreate',
    body,
    'HostConfig.PortBindings["80/tcp"][0].HostPort',
    /PortBindings\["80\/tcp"\]\[0\]\.HostPort: must be string/,
  );
});

test('required fields and bodies are enforced', () => {
  rejects('NetworkCreate', { Driver: 'bridge' }, 'Name', /^missing required field Name$/);
  validateRequestBody('NetworkCreate', { Name: 'net1', Driver: 'bridge', Options: null });
  rejects('ContainerCreate', undefined, '', /request body is required/);
  validateRequestBody('ContainerStart', undefined);
  validateRequestBody('ExecStart', undefined);
});

test('an operation the spec does not have is a programming error, not a 400', () => {
  assert.throws(
    () => validateRequestBody('ContainerTeleport', {}),
    (err: unknown) => err instanceof Error && !(err instanceof RequestValidationError),
  );
});
