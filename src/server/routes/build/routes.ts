import type { BuildService } from '../../../services/build/service.js';
import type { Route } from '../../context.js';
import { buildHandler, buildPruneHandler, commitHandler } from './handlers.js';

/** POST /build, POST /build/prune and POST /commit. */
export function buildRoutes(svc: BuildService): Route[] {
  return [
    { method: 'POST', path: '/build', handler: buildHandler(svc) },
    { method: 'POST', path: '/build/prune', handler: buildPruneHandler(svc) },
    { method: 'POST', path: '/commit', handler: commitHandler(svc) },
  ];
}
