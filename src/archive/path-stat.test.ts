import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodePathStat, goFileMode, isGoDir, rfc3339Nano } from './path-stat.js';

test('goFileMode maps Unix type and special bits to Go os.FileMode', () => {
  assert.equal(goFileMode({ mode: 0o100644 }), 0o644);
  assert.equal(goFileMode({ mode: 0o040755 }), 2 ** 31 + 0o755);
  assert.equal(goFileMode({ mode: 0o120777 }), 2 ** 27 + 0o777);
  assert.equal(goFileMode({ mode: 0o020666 }), 2 ** 26 + 2 ** 21 + 0o666); // char device
  assert.equal(goFileMode({ mode: 0o060660 }), 2 ** 26 + 0o660); // block device
  assert.equal(goFileMode({ mode: 0o010600 }), 2 ** 25 + 0o600); // fifo
  assert.equal(goFileMode({ mode: 0o140755 }), 2 ** 24 + 0o755); // socket
  assert.equal(goFileMode({ mode: 0o104755 }), 2 ** 23 + 0o755); // setuid
  assert.equal(goFileMode({ mode: 0o102755 }), 2 ** 22 + 0o755); // setgid
  assert.equal(goFileMode({ mode: 0o041777 }), 2 ** 31 + 2 ** 20 + 0o777); // sticky dir
  assert.equal(isGoDir(goFileMode({ mode: 0o040700 })), true);
  assert.equal(isGoDir(goFileMode({ mode: 0o100700 })), false);
});

test('rfc3339Nano formats like Go: UTC, nanoseconds without trailing zeros', () => {
  assert.equal(
    rfc3339Nano({ mtimeMs: 0, mtimeNs: 1_700_000_000_123_456_789n }),
    '2023-11-14T22:13:20.123456789Z',
  );
  assert.equal(
    rfc3339Nano({ mtimeMs: 0, mtimeNs: 1_700_000_000_500_000_000n }),
    '2023-11-14T22:13:20.5Z',
  );
  assert.equal(rfc3339Nano({ mtimeMs: 1_700_000_000_000 }), '2023-11-14T22:13:20Z');
});

test('the stat header is base64 JSON (the client decodes it: src/client/container-fs.ts)', () => {
  const s = { name: 'f', size: 3, mode: 0o644, mtime: '2023-11-14T22:13:20Z', linkTarget: '' };
  const h = encodePathStat(s);
  assert.deepEqual(JSON.parse(Buffer.from(h, 'base64').toString()), s);
});
