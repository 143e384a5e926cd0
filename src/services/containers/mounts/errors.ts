import { invalidParameter, type BerthError } from '../../../errors/index.js';

/** Docker's wrapper for a bad HostConfig.Mounts entry. */
export const mountConfigError = (type: string, why: string): BerthError =>
  invalidParameter(`invalid mount config for type ${JSON.stringify(type)}: ${why}`);

/** Docker's wrapper for a bad `-v` string. */
export const volumeSpecError = (spec: string, why?: string): BerthError =>
  invalidParameter(`invalid volume specification: '${spec}'${why ? `: ${why}` : ''}`);

/** Docker's message for a relative container path. */
export const notAbsolute = (path: string): string =>
  `invalid mount path: '${path}' mount path must be absolute`;
