import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tcpSecurity } from './tls.js';

const none = { tls: false, tlsverify: false, insecureTcp: false };

test('tcpSecurity: plain TCP is refused unless --insecure-tcp', () => {
  assert.deepEqual(tcpSecurity(none, []), { kind: 'insecure' }, 'no tcp hosts: nothing to secure');
  assert.throws(
    () => tcpSecurity(none, ['tcp://127.0.0.1:2375']),
    /refusing to listen on tcp:\/\/127\.0\.0\.1:2375 without TLS/,
  );
  assert.deepEqual(tcpSecurity({ ...none, insecureTcp: true }, ['tcp://127.0.0.1:2375']), {
    kind: 'insecure',
  });
});

test('tcpSecurity: --tlsverify needs a CA, cert and key; --tls needs cert and key', () => {
  const files = { tlscert: '/c.pem', tlskey: '/k.pem' };
  assert.throws(
    () => tcpSecurity({ ...none, tlsverify: true, ...files }, []),
    /--tlsverify needs --tlscacert/,
  );
  assert.throws(
    () => tcpSecurity({ ...none, tls: true, tlscert: '/c.pem' }, []),
    /need --tlscert and --tlskey/,
  );
  assert.deepEqual(tcpSecurity({ ...none, tls: true, ...files }, []), {
    kind: 'tls',
    verifyClients: false,
    certPath: '/c.pem',
    keyPath: '/k.pem',
  });
  assert.deepEqual(tcpSecurity({ ...none, tlsverify: true, tlscacert: '/ca.pem', ...files }, []), {
    kind: 'tls',
    verifyClients: true,
    certPath: '/c.pem',
    keyPath: '/k.pem',
    caPath: '/ca.pem',
  });
});
