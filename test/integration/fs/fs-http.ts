import { request } from 'node:http';
import { Readable } from 'node:stream';
import * as tar from 'tar-stream';

/** A binary HTTP answer. */
export interface BinResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** One request with a binary body (or none) over a unix socket; the whole answer. */
export function bin(
  socketPath: string,
  method: string,
  path: string,
  body?: Buffer,
): Promise<BinResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        socketPath,
        method,
        path,
        headers: body ? { 'Content-Type': 'application/x-tar', 'Content-Length': body.length } : {},
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** A tar entry read back: its header and content. */
export interface ReadEntry {
  name: string;
  type: string;
  mode: number;
  uid: number;
  gid: number;
  linkname: string | null;
  content: string;
}

/** Parses a tar held in memory. */
export async function readTar(buf: Buffer): Promise<ReadEntry[]> {
  const extract = tar.extract();
  const out: ReadEntry[] = [];
  Readable.from([buf]).pipe(extract as unknown as NodeJS.WritableStream);
  for await (const e of extract) {
    const chunks: Buffer[] = [];
    for await (const c of e) chunks.push(c as Buffer);
    const h = e.header;
    out.push({
      name: h.name,
      type: h.type ?? 'file',
      mode: h.mode ?? 0,
      uid: h.uid ?? 0,
      gid: h.gid ?? 0,
      linkname: h.linkname ?? null,
      content: Buffer.concat(chunks).toString('utf8'),
    });
  }
  return out;
}

/** Decodes X-Docker-Container-Path-Stat. */
export function statOf(r: BinResponse): {
  name: string;
  size: number;
  mode: number;
  mtime: string;
  linkTarget: string;
} {
  const h = r.headers['x-docker-container-path-stat'];
  if (typeof h !== 'string') throw new Error(`no stat header (status ${r.status})`);
  return JSON.parse(Buffer.from(h, 'base64').toString('utf8'));
}
