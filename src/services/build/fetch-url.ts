import { invalidParameter } from '../../errors/index.js';

/** ADD downloads are held in memory: larger ones are refused rather than filling the daemon. */
const MAX_BYTES = 256 * 1024 * 1024;
const TIMEOUT_MS = 120_000;

/**
 * Downloads an ADD source (http or https), with a deadline and a size cap. The file's time is the
 * server's Last-Modified when it sends one, as Docker does. Any failure is an InvalidParameter
 * naming the URL (the build reports it in its stream).
 */
export async function fetchUrl(
  url: string,
  signal: AbortSignal,
): Promise<{ body: Buffer; mtime: Date }> {
  const timeout = AbortSignal.timeout(TIMEOUT_MS);
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.any([signal, timeout]), redirect: 'follow' });
  } catch (e) {
    throw invalidParameter(`failed to GET ${url}: ${(e as Error).message}`);
  }
  if (!res.ok)
    throw invalidParameter(`failed to GET ${url} with status ${res.status} ${res.statusText}`);
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of res.body ?? []) {
    n += (c as Uint8Array).length;
    if (n > MAX_BYTES) throw invalidParameter(`ADD ${url}: larger than ${MAX_BYTES} bytes`);
    chunks.push(Buffer.from(c as Uint8Array));
  }
  const lm = res.headers.get('last-modified');
  const t = lm === null ? NaN : Date.parse(lm);
  return { body: Buffer.concat(chunks), mtime: Number.isNaN(t) ? new Date() : new Date(t) };
}
