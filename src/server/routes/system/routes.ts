import type { Route } from '../../context.js';
import type { SystemService } from '../../../services/system/service.js';
import { infoHandler, pingHandler, versionHandler } from './handlers.js';
import { eventsHandler } from './events.js';
import { dfHandler } from './df-handler.js';

/** /_ping, /version, /info, /events, /system/df. */
export function systemRoutes(system: SystemService): Route[] {
  const ping = pingHandler();
  return [
    { method: 'GET', path: '/_ping', handler: ping },
    { method: 'HEAD', path: '/_ping', handler: ping },
    { method: 'GET', path: '/version', handler: versionHandler(system) },
    { method: 'GET', path: '/info', handler: infoHandler(system) },
    { method: 'GET', path: '/events', handler: eventsHandler(system) },
    { method: 'GET', path: '/system/df', handler: dfHandler(system) },
  ];
}
