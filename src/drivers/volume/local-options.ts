import { invalidParameter } from '../../errors/index.js';

const known = new Set(['type', 'device', 'o', 'size']);

/** True when the options ask for a device mount (tmpfs, bind, nfs...) rather than a plain dir. */
export const mountsDevice = (opts: Readonly<Record<string, string>>): boolean =>
  (opts['type'] ?? '') !== '' || (opts['device'] ?? '') !== '' || (opts['o'] ?? '') !== '';

/** The comma-separated `o` option split into mount options. */
export const mountOptions = (opts: Readonly<Record<string, string>>): string[] =>
  (opts['o'] ?? '').split(',').filter((o) => o !== '');

/**
 * Validates the local driver's options as Docker's does: only type, device, o (and size, which
 * needs project quotas this engine does not set up). A device mount needs a device, and a type
 * unless `o` makes it a bind. No value may hold a NUL or a newline (they reach mount(8)).
 */
export function validateLocalOptions(opts: Readonly<Record<string, string>>): void {
  for (const [k, v] of Object.entries(opts)) {
    if (!known.has(k)) throw invalidParameter(`invalid option key: ${JSON.stringify(k)}`);
    if (typeof v !== 'string' || /[\0\n]/.test(v)) {
      throw invalidParameter(`invalid option value for ${JSON.stringify(k)}`);
    }
  }
  if ((opts['size'] ?? '') !== '') {
    throw invalidParameter('quota size requested but no quota support');
  }
  if (!mountsDevice(opts)) return;
  if ((opts['device'] ?? '') === '') throw invalidParameter('missing required option: "device"');
  const isBind = mountOptions(opts).some((o) => o === 'bind' || o === 'rbind');
  if ((opts['type'] ?? '') === '' && !isBind) {
    throw invalidParameter('missing required option: "type"');
  }
  if (isBind && !(opts['device'] ?? '').startsWith('/')) {
    throw invalidParameter(`invalid bind device: ${opts['device']}: must be an absolute path`);
  }
}
