import type { Route } from '../../context.js';
import type { NetworksService } from '../../../services/networks/service.js';
import {
  connectHandler,
  createHandler,
  deleteHandler,
  disconnectHandler,
  inspectHandler,
  listHandler,
  pruneHandler,
} from './handlers.js';

/** The network endpoints. */
export function networkRoutes(svc: NetworksService): Route[] {
  return [
    { method: 'GET', path: '/networks', handler: listHandler(svc) },
    { method: 'POST', path: '/networks/create', handler: createHandler(svc) },
    { method: 'POST', path: '/networks/prune', handler: pruneHandler(svc) },
    { method: 'GET', path: '/networks/:id', handler: inspectHandler(svc) },
    { method: 'DELETE', path: '/networks/:id', handler: deleteHandler(svc) },
    { method: 'POST', path: '/networks/:id/connect', handler: connectHandler(svc) },
    { method: 'POST', path: '/networks/:id/disconnect', handler: disconnectHandler(svc) },
  ];
}
