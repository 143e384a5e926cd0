import type { EventMessage } from '../../../api/index.js';
import type { EngineEvent } from '../../../events/event-bus.js';

/** An event on the wire, with the legacy fields dockerd still sends for some types. */
export type WireEvent = EventMessage & { status?: string; id?: string; from?: string };

/**
 * An engine event in dockerd's JSON shape. Container and image events also carry the legacy
 * `status`/`id` (and for containers `from`, the image) that old clients read.
 */
export function toWireEvent(ev: EngineEvent): WireEvent {
  const legacy: { status?: string; id?: string; from?: string } = {};
  if (ev.type === 'container' || ev.type === 'image') {
    legacy.status = ev.action;
    legacy.id = ev.actor.id;
    if (ev.type === 'container' && ev.actor.attributes['image'] !== undefined) {
      legacy.from = ev.actor.attributes['image'];
    }
  }
  return {
    ...legacy,
    Type: ev.type,
    Action: ev.action,
    Actor: { ID: ev.actor.id, Attributes: { ...ev.actor.attributes } },
    scope: 'local',
    time: Number(ev.timeNano / 1_000_000_000n),
    timeNano: Number(ev.timeNano),
  };
}
