import type { Route } from '../../context.js';
import type { ContainersService } from '../../../services/containers/service.js';
import {
  execCreateHandler,
  execInspectHandler,
  execResizeHandler,
  execStartHandler,
} from './handlers.js';

/** The exec endpoints (`docker exec`). Exec start hijacks the connection, like attach. */
export function execRoutes(svc: ContainersService): Route[] {
  return [
    { method: 'POST', path: '/containers/:id/exec', handler: execCreateHandler(svc) },
    { method: 'POST', path: '/exec/:id/start', handler: execStartHandler(svc), upgradable: true },
    { method: 'POST', path: '/exec/:id/resize', handler: execResizeHandler(svc) },
    { method: 'GET', path: '/exec/:id/json', handler: execInspectHandler(svc) },
  ];
}
