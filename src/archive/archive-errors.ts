import { BerthError, forbidden, invalidParameter, systemError } from '../errors/index.js';

/**
 * Classifies a failure while reading an archive: our own BerthErrors pass through; zlib and tar
 * parse failures are the client's (InvalidParameter); a read-only file system is Forbidden; any
 * other fs failure is ours (System). `kind` words the message for an image layer or any archive.
 */
export function classifyArchiveError(e: unknown, entry: string, kind: 'layer' | 'archive') {
  if (e instanceof BerthError) return e;
  const err = e as NodeJS.ErrnoException;
  const where = entry ? ` (at entry ${JSON.stringify(entry)})` : '';
  if (typeof err?.code === 'string' && err.code.startsWith('Z_'))
    return invalidParameter(`invalid ${kind}: bad gzip data${where}: ${err.message}`);
  const name = kind === 'layer' ? 'layer archive' : 'archive';
  if (err?.syscall === undefined)
    return invalidParameter(`invalid ${name}${where}: ${err?.message ?? String(e)}`);
  if (err.code === 'EROFS') return forbidden(`read-only file system${where}`);
  const doing = kind === 'layer' ? 'unpacking layer' : 'extracting archive';
  return systemError(`${doing}${where}: ${err.message}`, e);
}
