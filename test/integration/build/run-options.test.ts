import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestDaemon, type TestDaemon } from '../../helpers/test-daemon.js';
import { buildOk } from './build-helpers.js';

// The RUN containers get the build's networkmode and extrahosts.
let d: TestDaemon;
before(async () => {
  d = await startTestDaemon();
});
after(async () => {
  await d.cleanup();
});

test('extrahosts reach /etc/hosts of RUN; networkmode none leaves only loopback', async () => {
  const r = await buildOk(
    d,
    {
      Dockerfile:
        'FROM busybox\nRUN grep -E "10\\.9\\.8\\.7\\s+myhost" /etc/hosts && ls /sys/class/net | tr "\\n" " "; echo\n',
    },
    { extraHosts: ['myhost:10.9.8.7'], networkMode: 'none', noCache: true },
  );
  assert.match(r.output, /10\.9\.8\.7\s+myhost/);
  assert.match(r.output, /^lo $/m);
  const bridged = await buildOk(
    d,
    { Dockerfile: 'FROM busybox\nRUN ls /sys/class/net | tr "\\n" " "; echo\n' },
    { noCache: true },
  );
  assert.match(bridged.output, /^eth0 lo $/m, 'the default: the default bridge');
});
