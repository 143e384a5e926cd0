import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePublish } from './publish.js';

test('-p forms: container only, host:container, ip:host:container, udp', () => {
  const p = parsePublish(['80', '8080:81', '127.0.0.1:9000:82/udp', '127.0.0.1::83']);
  assert.deepEqual(p.bindings, {
    '80/tcp': [{ HostIp: '', HostPort: '' }],
    '81/tcp': [{ HostIp: '', HostPort: '8080' }],
    '82/udp': [{ HostIp: '127.0.0.1', HostPort: '9000' }],
    '83/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }],
  });
  assert.deepEqual(Object.keys(p.exposed).sort(), ['80/tcp', '81/tcp', '82/udp', '83/tcp']);
});

test('ranges pair up; a host range for one port stays a range; --expose ranges', () => {
  const p = parsePublish(['8000-8001:80-81', '9000-9010:90'], ['100-101/udp']);
  assert.deepEqual(p.bindings['80/tcp'], [{ HostIp: '', HostPort: '8000' }]);
  assert.deepEqual(p.bindings['81/tcp'], [{ HostIp: '', HostPort: '8001' }]);
  assert.deepEqual(p.bindings['90/tcp'], [{ HostIp: '', HostPort: '9000-9010' }]);
  assert.ok('100/udp' in p.exposed && '101/udp' in p.exposed);
});

test('bad specs are usage errors', () => {
  for (const s of ['x', '0', '70000', '1:2:3:4', '8000-8002:80-81', '80/icmp'])
    assert.throws(() => parsePublish([s]), /invalid/, s);
});
