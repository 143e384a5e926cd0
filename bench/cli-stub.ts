// A stand-in engine for measuring what the docker CLI itself costs in `docker cp`: it answers only
// the calls `docker cp` makes, stores nothing a copy in sends (the body is read and dropped) and
// answers a copy out with a prepared tar file. A copy against it costs the client's packing or
// unpacking plus one socket, with no engine work at all: the least any engine can take.
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';

/** Docker's stat header for a directory named `name` (mode: os.ModeDir | 0755). */
function dirStat(name: string): string {
  const st = {
    name,
    size: 4096,
    mode: 2147484141,
    mtime: new Date().toISOString(),
    linkTarget: '',
  };
  return Buffer.from(JSON.stringify(st)).toString('base64');
}

export interface CliStub {
  socket: string;
  close(): Promise<void>;
}

/**
 * Serves on `socket`: `/` and `/<outName>` exist as directories; GET of `/<outName>` sends the tar
 * file `outTar` (its entries named `<outName>/…`); PUT drains the body. Anything else is a 404.
 */
export async function startCliStub(
  socket: string,
  outName: string,
  outTar: string,
): Promise<CliStub> {
  await rm(socket, { force: true });
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://stub');
    const path = url.searchParams.get('path');
    res.setHeader('Api-Version', '1.45');
    if (url.pathname.endsWith('/_ping')) return void res.end('OK');
    if (!url.pathname.endsWith('/archive') || path === null) {
      res.writeHead(404, { 'Content-Type': 'application/json' });
      return void res.end('{"message":"not served by the stub"}');
    }
    const known = path === '/' || path.replace(/\/$/, '') === `/${outName}`;
    if (req.method === 'PUT') {
      req.on('data', () => undefined);
      req.on('end', () => res.end());
      return;
    }
    if (!known) {
      res.writeHead(404, { 'Content-Type': 'application/json' });
      return void res.end(JSON.stringify({ message: `Could not find the file ${path}` }));
    }
    res.setHeader('X-Docker-Container-Path-Stat', dirStat(path === '/' ? '/' : outName));
    if (req.method === 'HEAD') return void res.end();
    res.setHeader('Content-Type', 'application/x-tar');
    createReadStream(outTar).pipe(res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socket, resolve);
  });
  return {
    socket,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
