import { invalidParameter } from '../../../errors/index.js';
import type { BuildOptions } from '../../../services/build/types.js';
import { boolQuery, intQuery } from '../../http.js';
import { buildRunOptionsFromQuery } from './build-run-options.js';

/** A JSON-object query parameter (`buildargs`, `labels`) of string (or null) values. */
function jsonMap(
  q: URLSearchParams,
  name: string,
  allowNull: boolean,
): Record<string, string | null> {
  const raw = q.get(name);
  if (raw === null || raw === '') return {};
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    throw invalidParameter(`invalid ${name} parameter: not JSON`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw invalidParameter(`invalid ${name} parameter: not a JSON object`);
  }
  for (const [k, val] of Object.entries(v)) {
    if (typeof val !== 'string' && !(allowNull && val === null)) {
      throw invalidParameter(`invalid ${name} parameter: the value of ${k} is not a string`);
    }
  }
  return v as Record<string, string | null>;
}

function jsonList(q: URLSearchParams, name: string): string[] {
  const raw = q.get(name);
  if (raw === null || raw === '') return [];
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    throw invalidParameter(`invalid ${name} parameter: not JSON`);
  }
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) {
    throw invalidParameter(`invalid ${name} parameter: not a JSON list of strings`);
  }
  return v;
}

/** The host's platform as `os/arch`, the only one this engine builds for. */
const hostPlatform = `linux/${process.arch === 'x64' ? 'amd64' : process.arch}`;

/** Parses and checks the query of POST /build (Docker's names and defaults). */
export function buildOptionsFromQuery(q: URLSearchParams): BuildOptions {
  const version = q.get('version') ?? '1';
  if (version !== '1' && version !== '') {
    // BuildKit clients use /session and /grpc, which this engine does not serve (docs/build.md).
    throw invalidParameter(
      `builder version ${version} (BuildKit) is not supported: use the classic builder (DOCKER_BUILDKIT=0)`,
    );
  }
  const platform = q.get('platform') ?? '';
  if (platform !== '' && platform !== hostPlatform && platform !== 'linux') {
    throw invalidParameter(
      `platform ${platform} is not supported: this engine builds ${hostPlatform}`,
    );
  }
  const networkMode = q.get('networkmode') ?? '';
  if (networkMode !== '' && !/^(default|bridge|none|host)$/.test(networkMode)) {
    throw invalidParameter(`network mode "${networkMode}" is not supported for builds`);
  }
  const shmSize = intQuery(q, 'shmsize', 0);
  if (shmSize < 0) throw invalidParameter('shmsize can not be less than 0');
  const target = q.get('target') ?? '';
  const run = buildRunOptionsFromQuery(q);
  return {
    tags: q.getAll('t').filter((t) => t !== ''),
    dockerfile: q.get('dockerfile') ?? 'Dockerfile',
    buildArgs: jsonMap(q, 'buildargs', true),
    noCache: boolQuery(q, 'nocache'),
    pull: boolQuery(q, 'pull'),
    rm: boolQuery(q, 'rm', true),
    forceRm: boolQuery(q, 'forcerm'),
    labels: jsonMap(q, 'labels', false) as Record<string, string>,
    ...(target !== '' ? { target } : {}),
    quiet: boolQuery(q, 'q'),
    cacheFrom: jsonList(q, 'cachefrom'),
    networkMode,
    extraHosts: q.getAll('extrahosts').filter((h) => h !== ''),
    shmSize,
    ...(run.resources || run.security ? { run } : {}),
  };
}
