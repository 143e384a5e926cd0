import type { Route } from '../../context.js';
import type { ContainersService } from '../../../services/containers/service.js';
import {
  createHandler,
  deleteHandler,
  inspectHandler,
  killHandler,
  listHandler,
  startHandler,
  stopHandler,
  waitHandler,
} from './handlers.js';
import { attachHandler, logsHandler } from './stream-handlers.js';
import { resizeHandler } from './resize-handler.js';
import { statsHandler } from './stats-handler.js';
import { exportHandler } from './export-handler.js';
import {
  archiveGetHandler,
  archiveHeadHandler,
  archivePutHandler,
  changesHandler,
} from './archive-handlers.js';
import {
  pauseHandler,
  pruneHandler,
  renameHandler,
  restartHandler,
  topHandler,
  unpauseHandler,
  updateHandler,
} from './verb-handlers.js';

/** The container endpoints. */
export function containerRoutes(svc: ContainersService): Route[] {
  return [
    { method: 'POST', path: '/containers/create', handler: createHandler(svc) },
    { method: 'GET', path: '/containers/json', handler: listHandler(svc) },
    { method: 'GET', path: '/containers/:id/json', handler: inspectHandler(svc) },
    { method: 'POST', path: '/containers/:id/start', handler: startHandler(svc) },
    { method: 'POST', path: '/containers/:id/stop', handler: stopHandler(svc) },
    { method: 'POST', path: '/containers/:id/kill', handler: killHandler(svc) },
    { method: 'POST', path: '/containers/:id/wait', handler: waitHandler(svc) },
    { method: 'GET', path: '/containers/:id/logs', handler: logsHandler(svc) },
    { method: 'GET', path: '/containers/:id/stats', handler: statsHandler(svc) },
    {
      method: 'POST',
      path: '/containers/:id/attach',
      handler: attachHandler(svc),
      upgradable: true,
    },
    { method: 'DELETE', path: '/containers/:id', handler: deleteHandler(svc) },
    { method: 'POST', path: '/containers/:id/resize', handler: resizeHandler(svc) },
    { method: 'POST', path: '/containers/:id/pause', handler: pauseHandler(svc) },
    { method: 'POST', path: '/containers/:id/unpause', handler: unpauseHandler(svc) },
    { method: 'POST', path: '/containers/:id/restart', handler: restartHandler(svc) },
    { method: 'POST', path: '/containers/:id/rename', handler: renameHandler(svc) },
    { method: 'POST', path: '/containers/prune', handler: pruneHandler(svc) },
    { method: 'GET', path: '/containers/:id/top', handler: topHandler(svc) },
    { method: 'GET', path: '/containers/:id/export', handler: exportHandler(svc) },
    { method: 'GET', path: '/containers/:id/archive', handler: archiveGetHandler(svc) },
    { method: 'HEAD', path: '/containers/:id/archive', handler: archiveHeadHandler(svc) },
    { method: 'PUT', path: '/containers/:id/archive', handler: archivePutHandler(svc) },
    { method: 'GET', path: '/containers/:id/changes', handler: changesHandler(svc) },
    { method: 'POST', path: '/containers/:id/update', handler: updateHandler(svc) },
  ];
}
