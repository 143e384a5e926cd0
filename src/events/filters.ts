import { invalidParameter } from '../errors/index.js';
import type { EngineEvent } from './event-bus.js';

/** Docker's `filters` of GET /events: key → accepted values (values of one key are OR-ed). */
export type EventFilters = Record<string, string[]>;

/** The filter keys dockerd accepts for events. */
const acceptedKeys = new Set([
  'config',
  'container',
  'daemon',
  'event',
  'image',
  'label',
  'network',
  'node',
  'plugin',
  'scope',
  'secret',
  'service',
  'type',
  'volume',
]);

/** Keys matched against the actor's id or `name` attribute, by prefix (Docker's fuzzy match). */
const nameKeys = [
  'container',
  'volume',
  'network',
  'daemon',
  'plugin',
  'node',
  'service',
  'secret',
  'config',
];

/** Throws InvalidParameter (400) for a key dockerd would refuse, with dockerd's message. */
export function checkEventFilters(filters: EventFilters): void {
  for (const key of Object.keys(filters)) {
    if (!acceptedKeys.has(key)) throw invalidParameter(`invalid filter '${key}'`);
  }
}

/** True when no value is given for `key`, or `test` holds for one of them. */
function anyOf(filters: EventFilters, key: string, test: (v: string) => boolean): boolean {
  const values = filters[key];
  return values === undefined || values.length === 0 || values.some(test);
}

/** `name:tag` → `name` (a registry port's colon before the last slash is kept). */
function withoutTag(ref: string): string {
  const at = ref.indexOf('@');
  const base = at >= 0 ? ref.slice(0, at) : ref;
  const colon = base.lastIndexOf(':');
  return colon > base.lastIndexOf('/') ? base.slice(0, colon) : base;
}

/** The action, or for `health_status: healthy`/`exec_start: sh` its part before the colon. */
function actionMatches(action: string, v: string): boolean {
  if (action === v) return true;
  const colon = action.indexOf(':');
  return colon > 0 && action.slice(0, colon) === v;
}

/**
 * The image filter: the image's id or name for image events, the container's image for others;
 * either as given or without its tag.
 */
function imageMatches(ev: EngineEvent, v: string): boolean {
  const attr = ev.type === 'image' ? 'name' : 'image';
  const name = ev.actor.attributes[attr] ?? '';
  const candidates = [ev.actor.id, name, withoutTag(ev.actor.id), withoutTag(name)];
  return candidates.some((c) => c !== '' && c === v);
}

/** `key` or `key=value` against the actor's attributes. */
function labelMatches(attrs: Record<string, string>, v: string): boolean {
  const eq = v.indexOf('=');
  if (eq < 0) return Object.hasOwn(attrs, v);
  const key = v.slice(0, eq);
  return Object.hasOwn(attrs, key) && attrs[key] === v.slice(eq + 1);
}

/**
 * Whether `ev` passes `filters`, with dockerd's semantics: values of one key are alternatives,
 * different keys must all hold, and every `label` value must hold.
 */
export function eventMatches(filters: EventFilters, ev: EngineEvent): boolean {
  const { id, attributes } = ev.actor;
  const fuzzy = (v: string): boolean =>
    id.startsWith(v) || (attributes['name'] ?? '').startsWith(v);
  return (
    anyOf(filters, 'type', (v) => v === ev.type) &&
    anyOf(filters, 'event', (v) => actionMatches(ev.action, v)) &&
    anyOf(filters, 'scope', (v) => v === 'local') &&
    nameKeys.every((k) => anyOf(filters, k, (v) => v !== '' && fuzzy(v))) &&
    anyOf(filters, 'image', (v) => imageMatches(ev, v)) &&
    (filters['label'] ?? []).every((v) => labelMatches(attributes, v))
  );
}
