import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EngineEvent, EventType } from './event-bus.js';
import { checkEventFilters, eventMatches } from './filters.js';

const ev = (
  type: EventType,
  action: string,
  id: string,
  attributes: Record<string, string> = {},
): EngineEvent => ({ type, action, actor: { id, attributes }, timeNano: 1n });

const start = ev('container', 'start', 'abc123', {
  name: 'web',
  image: 'busybox:latest',
  'com.example.tier': 'front',
});
const tag = ev('image', 'tag', 'sha256:feed', { name: 'busybox:latest' });
const health = ev('container', 'health_status: healthy', 'abc123', { name: 'web' });

test('no filters match everything', () => {
  assert.ok(eventMatches({}, start));
  assert.ok(eventMatches({}, tag));
});

test('type and event: alternatives within a key, all keys must hold', () => {
  assert.ok(eventMatches({ type: ['image', 'container'] }, start));
  assert.ok(!eventMatches({ type: ['image'] }, start));
  assert.ok(eventMatches({ type: ['container'], event: ['die', 'start'] }, start));
  assert.ok(!eventMatches({ type: ['container'], event: ['die'] }, start));
  assert.ok(eventMatches({ event: ['health_status'] }, health), 'the part before the colon');
  assert.ok(eventMatches({ event: ['health_status: healthy'] }, health));
});

test('container: id or name, by prefix', () => {
  assert.ok(eventMatches({ container: ['abc'] }, start));
  assert.ok(eventMatches({ container: ['web'] }, start));
  assert.ok(!eventMatches({ container: ['db'] }, start));
  assert.ok(!eventMatches({ container: ['web'] }, tag));
  assert.ok(!eventMatches({ container: [''] }, start), 'an empty value matches nothing');
});

test('image: the container image or the image name, with or without tag', () => {
  assert.ok(eventMatches({ image: ['busybox'] }, start));
  assert.ok(eventMatches({ image: ['busybox:latest'] }, start));
  assert.ok(eventMatches({ image: ['busybox'] }, tag));
  assert.ok(eventMatches({ image: ['sha256:feed'] }, tag));
  assert.ok(!eventMatches({ image: ['alpine'] }, start));
  const reg = ev('image', 'tag', 'x', { name: 'localhost:5000/app:1' });
  assert.ok(eventMatches({ image: ['localhost:5000/app'] }, reg));
});

test('label: every value must hold, key alone or key=value', () => {
  assert.ok(eventMatches({ label: ['com.example.tier'] }, start));
  assert.ok(eventMatches({ label: ['com.example.tier=front'] }, start));
  assert.ok(!eventMatches({ label: ['com.example.tier=back'] }, start));
  assert.ok(!eventMatches({ label: ['com.example.tier', 'other'] }, start));
});

test('scope local matches; swarm-only keys match no local event', () => {
  assert.ok(eventMatches({ scope: ['local'] }, start));
  assert.ok(!eventMatches({ scope: ['swarm'] }, start));
  assert.ok(!eventMatches({ service: ['x'] }, start));
  assert.ok(!eventMatches({ volume: ['v'] }, start));
});

test('unknown keys are refused with dockerd message', () => {
  assert.doesNotThrow(() => checkEventFilters({ type: ['container'], label: ['a'] }));
  assert.throws(() => checkEventFilters({ bogus: ['x'] }), {
    kind: 'InvalidParameter',
    message: "invalid filter 'bogus'",
  });
});
