import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HostConfig } from '../../../api/index.js';
import { securityFromHostConfig, securityHostConfigOf } from './security-mapper.js';

test('zero values the docker CLI sends map to no security request', () => {
  const hc = {
    Privileged: false,
    ReadonlyRootfs: false,
    CapAdd: null,
    CapDrop: null,
    SecurityOpt: null,
    GroupAdd: null,
    Ulimits: [],
    Sysctls: {},
    PidMode: '',
    IpcMode: '',
    UTSMode: '',
    MaskedPaths: null,
    ReadonlyPaths: null,
  } as unknown as HostConfig;
  assert.equal(securityFromHostConfig(hc), undefined);
});

test('set fields are mapped; empty MaskedPaths (systempaths=unconfined) is kept', () => {
  const hc = {
    Privileged: true,
    ReadonlyRootfs: true,
    CapAdd: ['NET_ADMIN'],
    CapDrop: ['ALL'],
    SecurityOpt: ['no-new-privileges'],
    GroupAdd: ['audio'],
    Ulimits: [{ Name: 'nofile', Soft: 1, Hard: 2 }],
    Sysctls: { 'net.ipv4.ip_forward': '1' },
    PidMode: 'host',
    IpcMode: 'shareable',
    UTSMode: 'host',
    MaskedPaths: [],
    ReadonlyPaths: [],
  } as unknown as HostConfig;
  assert.deepEqual(securityFromHostConfig(hc), {
    privileged: true,
    readonlyRootfs: true,
    capAdd: ['NET_ADMIN'],
    capDrop: ['ALL'],
    securityOpt: ['no-new-privileges'],
    groupAdd: ['audio'],
    maskedPaths: [],
    readonlyPaths: [],
    ulimits: [{ name: 'nofile', soft: 1, hard: 2 }],
    sysctls: { 'net.ipv4.ip_forward': '1' },
    pidMode: 'host',
    ipcMode: 'shareable',
    utsMode: 'host',
  });
});

test('wrong wire types are refused naming the field', () => {
  const bad = (hc: unknown, re: RegExp): void =>
    assert.throws(() => securityFromHostConfig(hc as HostConfig), re);
  bad({ Privileged: 'yes' }, /HostConfig.Privileged/);
  bad({ CapAdd: [1] }, /HostConfig.CapAdd/);
  bad({ Ulimits: [{ Name: 'nofile', Soft: '1', Hard: 2 }] }, /HostConfig.Ulimits/);
  bad({ Sysctls: { a: 1 } }, /HostConfig.Sysctls/);
  bad({ PidMode: 3 }, /HostConfig.PidMode/);
});

test('inspect: Docker defaults for old rows', () => {
  const v = securityHostConfigOf(undefined);
  assert.equal(v.Privileged, false);
  assert.equal(v.CapAdd, null);
  assert.equal(v.IpcMode, 'private');
  assert.deepEqual(v.Ulimits, []);
});
