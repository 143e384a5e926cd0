import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isKind } from '../../../errors/index.js';
import { resolveConfig } from '../create.js';
import type { ResolvedImage } from '../deps.js';
import {
  HEALTH_DEFAULTS,
  healthFromImage,
  mergeHealthConfig,
  probeOf,
  validateHealthConfig,
  type HealthConfig,
} from './config.js';

const MS = 1_000_000;
const hc = (h: Partial<HealthConfig> = {}): HealthConfig => ({
  test: [],
  intervalNs: 0,
  timeoutNs: 0,
  startPeriodNs: 0,
  startIntervalNs: 0,
  retries: 0,
  ...h,
});

/** An image whose config carries a HEALTHCHECK. */
const imageCheck = hc({
  test: ['CMD-SHELL', 'wget -q localhost'],
  intervalNs: 10_000 * MS,
  timeoutNs: 3000 * MS,
  retries: 5,
});

function image(healthcheck: HealthConfig | null): ResolvedImage {
  const config = { env: [], cmd: ['sh'], entrypoint: [], workingDir: '', user: '' };
  return {
    id: 'sha256:' + 'a'.repeat(64),
    layers: [],
    config: { ...config, stopSignal: '', labels: {}, healthcheck },
  };
}

function invalid(h: Partial<HealthConfig>, message: string): void {
  assert.throws(
    () => validateHealthConfig(hc(h)),
    (e: unknown) => isKind(e, 'InvalidParameter') && (e as Error).message === message,
  );
}

test("validation: Docker's messages for too-short durations and negative retries", () => {
  invalid({ intervalNs: 999_999 }, 'Interval in Healthcheck cannot be less than 1ms');
  invalid({ intervalNs: -1 }, 'Interval in Healthcheck cannot be less than 1ms');
  invalid({ timeoutNs: 5 }, 'Timeout in Healthcheck cannot be less than 1ms');
  invalid({ retries: -1 }, 'Retries in Healthcheck cannot be negative');
  invalid({ startPeriodNs: 1 }, 'StartPeriod in Healthcheck cannot be less than 1ms');
  invalid({ startIntervalNs: 1 }, 'StartInterval in Healthcheck cannot be less than 1ms');
  invalid({ intervalNs: 0.5 }, 'Interval in Healthcheck is not valid');
  // Docker's order: Timeout before Retries before StartPeriod.
  invalid({ timeoutNs: 1, retries: -1 }, 'Timeout in Healthcheck cannot be less than 1ms');
  invalid({ retries: -1, startPeriodNs: 1 }, 'Retries in Healthcheck cannot be negative');
  validateHealthConfig(hc({ test: ['CMD', 'true'], intervalNs: MS, retries: 0 }));
  validateHealthConfig(hc());
});

test('merge: no user check takes the image check whole; no image check keeps the user one', () => {
  assert.deepEqual(mergeHealthConfig(undefined, imageCheck), imageCheck);
  assert.equal(mergeHealthConfig(undefined, null), null);
  const user = hc({ test: ['CMD', 'true'], retries: 2 });
  assert.deepEqual(mergeHealthConfig(user, null), user);
});

test('merge: an empty test and zero fields inherit from the image, set ones win', () => {
  const merged = mergeHealthConfig(hc({ intervalNs: 200 * MS, retries: 2 }), imageCheck);
  assert.deepEqual(merged, {
    test: ['CMD-SHELL', 'wget -q localhost'],
    intervalNs: 200 * MS,
    timeoutNs: 3000 * MS,
    startPeriodNs: 0,
    startIntervalNs: 0,
    retries: 2,
  });
  const cmd = mergeHealthConfig(hc({ test: ['CMD', 'true'] }), imageCheck);
  assert.deepEqual(cmd?.test, ['CMD', 'true']);
  assert.equal(cmd?.retries, 5);
});

test("--no-healthcheck (Test ['NONE']) disables the image's HEALTHCHECK", () => {
  const c = resolveConfig({ image: 'x', healthcheck: hc({ test: ['NONE'] }) }, image(imageCheck));
  assert.deepEqual(c.healthcheck?.test, ['NONE']);
  assert.equal(probeOf(c.healthcheck), null);
});

test("resolveConfig: the image's HEALTHCHECK applies, flags override, bad flags are 400s", () => {
  const inherited = resolveConfig({ image: 'x' }, image(imageCheck));
  assert.deepEqual(inherited.healthcheck, imageCheck);
  const tuned = resolveConfig(
    { image: 'x', healthcheck: hc({ intervalNs: MS, retries: 1 }) },
    image(imageCheck),
  );
  assert.deepEqual([tuned.healthcheck?.test[0], tuned.healthcheck?.intervalNs], ['CMD-SHELL', MS]);
  assert.equal(resolveConfig({ image: 'x' }, image(null)).healthcheck, null);
  assert.throws(
    () => resolveConfig({ image: 'x', healthcheck: hc({ retries: -3 }) }, image(imageCheck)),
    /Retries in Healthcheck cannot be negative/,
  );
});

test('probe: CMD runs its argv, CMD-SHELL runs /bin/sh -c, defaults fill zeros', () => {
  assert.deepEqual(probeOf(hc({ test: ['CMD', 'cat', '/x'] })), {
    argv: ['cat', '/x'],
    ...HEALTH_DEFAULTS,
  });
  const p = probeOf(hc({ test: ['CMD-SHELL', 'test -f /tmp/ok'], intervalNs: 200 * MS }));
  assert.deepEqual(p?.argv, ['/bin/sh', '-c', 'test -f /tmp/ok']);
  assert.equal(p?.intervalNs, 200 * MS);
  assert.equal(p?.timeoutNs, 30_000 * MS);
  assert.equal(p?.retries, 3);
});

test('probe: none for no config, an empty test, NONE or an unknown type', () => {
  assert.equal(probeOf(null), null);
  assert.equal(probeOf(undefined), null);
  assert.equal(probeOf(hc()), null);
  assert.equal(probeOf(hc({ test: ['NONE'] })), null);
  assert.equal(probeOf(hc({ test: ['HTTP', 'x'] })), null);
});

test('probe: nonsense from an image config gets defaults or the 1ms floor, never a hot loop', () => {
  const p = probeOf(hc({ test: ['CMD', 'true'], intervalNs: 5, timeoutNs: -4, retries: -2 }));
  assert.equal(p?.intervalNs, MS);
  assert.equal(p?.timeoutNs, HEALTH_DEFAULTS.timeoutNs);
  assert.equal(p?.retries, 3);
});

test("image configs: Docker's Healthcheck object is read, junk is ignored", () => {
  assert.deepEqual(
    healthFromImage({
      Test: ['CMD-SHELL', 'true'],
      Interval: 10_000 * MS,
      Timeout: 3000 * MS,
      StartPeriod: 2000 * MS,
      StartInterval: 1000 * MS,
      Retries: 4,
    }),
    {
      test: ['CMD-SHELL', 'true'],
      intervalNs: 10_000 * MS,
      timeoutNs: 3000 * MS,
      startPeriodNs: 2000 * MS,
      startIntervalNs: 1000 * MS,
      retries: 4,
    },
  );
  assert.equal(healthFromImage(undefined), null);
  assert.equal(healthFromImage('CMD true'), null);
  assert.deepEqual(
    healthFromImage({ Test: [1, 'x'], Interval: '5s', Retries: 1.5 }),
    hc({ test: ['x'] }),
  );
});
