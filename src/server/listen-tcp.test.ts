import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseListenAddress } from './listen-tcp.js';

test('parseListenAddress: ip and port (IPv6 in brackets); a port is required', () => {
  assert.deepEqual(parseListenAddress('tcp://127.0.0.1:2376'), { ip: '127.0.0.1', port: 2376 });
  assert.deepEqual(parseListenAddress('tcp://[::1]:0'), { ip: '::1', port: 0 });
  for (const bad of ['tcp://127.0.0.1', 'tcp://:1', 'tcp://h:99999', 'unix:///x', 'tcp://h:1/x'])
    assert.throws(() => parseListenAddress(bad), /invalid listen address/, bad);
});
