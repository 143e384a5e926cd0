import type { Route } from '../../context.js';
import type { VolumesService } from '../../../services/volumes/service.js';
import {
  createHandler,
  deleteHandler,
  inspectHandler,
  listHandler,
  pruneHandler,
  updateHandler,
} from './handlers.js';

/** The volume endpoints (`docker volume ...`). */
export function volumeRoutes(svc: VolumesService): Route[] {
  return [
    { method: 'GET', path: '/volumes', handler: listHandler(svc) },
    { method: 'POST', path: '/volumes/create', handler: createHandler(svc) },
    { method: 'POST', path: '/volumes/prune', handler: pruneHandler(svc) },
    { method: 'GET', path: '/volumes/:name', handler: inspectHandler(svc) },
    { method: 'PUT', path: '/volumes/:name', handler: updateHandler(svc) },
    { method: 'DELETE', path: '/volumes/:name', handler: deleteHandler(svc) },
  ];
}
