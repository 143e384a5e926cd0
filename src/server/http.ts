import type { IncomingMessage, ServerResponse } from 'node:http';
import { invalidParameter } from '../errors/index.js';

const maxJsonBody = 8 * 1024 * 1024;

/**
 * Reads and parses a JSON request body. An empty body is `undefined`; a body over 8 MiB or
 * malformed JSON is a 400 whose message says what was wrong.
 */
export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxJsonBody) throw invalidParameter('request body is too large');
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw invalidParameter(`invalid JSON in request body: ${(e as Error).message}`);
  }
}

/** Sends a JSON body with its length. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

/**
 * Docker's boolean query values (its BoolValue): absent is the default; empty, `0`, `no`,
 * `false` and `none` (any case, spaces trimmed) are false; any other value is true. Clients rely
 * on this leniency (`force=yes`, `all=True`), so it is kept rather than refused.
 */
export function boolQuery(q: URLSearchParams, name: string, dflt = false): boolean {
  const v = q.get(name);
  if (v === null) return dflt;
  const l = v.trim().toLowerCase();
  return !(l === '' || l === '0' || l === 'no' || l === 'false' || l === 'none');
}

/** An integer query value, or `dflt` when absent. */
export function intQuery(q: URLSearchParams, name: string, dflt: number): number {
  const v = q.get(name);
  if (v === null || v === '') return dflt;
  if (!/^-?\d+$/.test(v)) throw invalidParameter(`invalid value for query parameter ${name}: ${v}`);
  return Number(v);
}

/**
 * Docker's `filters` query parameter: JSON mapping each key to a list of values, or (older
 * clients) to an object whose keys are the values.
 */
export function filtersQuery(q: URLSearchParams): Record<string, string[]> {
  const raw = q.get('filters');
  if (raw === null || raw === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw invalidParameter(`invalid filters: ${raw}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw invalidParameter(`invalid filters: ${raw}`);
  }
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) out[k] = v as string[];
    else if (typeof v === 'object' && v !== null && !Array.isArray(v)) out[k] = Object.keys(v);
    else throw invalidParameter(`invalid filters: ${raw}`);
  }
  return out;
}
