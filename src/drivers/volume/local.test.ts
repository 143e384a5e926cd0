import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { execFile } from '../../lib/exec.js';
import { volumeDriverConformance } from './conformance.js';
import { LocalVolumeDriver } from './local.js';

volumeDriverConformance('local', async (t) => {
  const root = await mkdtemp('/tmp/bvl-');
  t.after(async () => {
    const mounts = (await readFile('/proc/self/mounts', 'utf8'))
      .split('\n')
      .map((l) => l.split(' ')[1] ?? '')
      .filter((m) => m.startsWith(`${root}/`));
    for (const m of mounts) await execFile('umount', ['-l', m], { timeoutMs: 10_000 });
    await rm(root, { recursive: true, force: true });
  });
  return new LocalVolumeDriver(root);
});
