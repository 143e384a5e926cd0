import { invalidParameter } from '../../errors/index.js';

/**
 * A container's log driver, as `HostConfig.LogConfig` names it. Berth keeps every readable log the
 * same way (conmon's per-container file, LOWLEVEL §2.2) and reports it as Docker's default
 * `json-file`, the name clients test for (docker-py reads a `run`'s output only for `json-file`
 * or `journald`); `local` is accepted as the same store. `none` keeps no log: `docker logs` is
 * refused as Docker refuses it.
 */
export type LogDriver = 'json-file' | 'local' | 'none';

export interface LogConfig {
  type: LogDriver;
  /** The options as given (`--log-opt k=v`), validated. */
  config: Record<string, string>;
}

/** What a create asks for: `Type` ("" means the daemon's default) and `Config`. */
export interface LogConfigRequest {
  type?: string;
  config?: Record<string, string>;
}

export const DEFAULT_LOG_CONFIG: LogConfig = { type: 'json-file', config: {} };

/** The options each driver takes: the ones Berth honours (see {@link logSizeLimit}). */
const knownOpts: Record<LogDriver, readonly string[]> = {
  'json-file': ['max-size', 'max-file', 'compress'],
  local: ['max-size', 'max-file', 'compress'],
  none: [],
};

/** Options Docker takes that Berth has nothing to do with: refused rather than ignored. */
const unsupportedOpts = ['labels', 'labels-regex', 'env', 'env-regex', 'tag', 'mode'];

/**
 * Validates a create's LogConfig the way Docker does before anything is created: an unknown
 * driver or option, a malformed size or count is InvalidParameter with Docker's message.
 */
export function resolveLogConfig(req: LogConfigRequest | undefined): LogConfig {
  const type = req?.type ?? '';
  const config = { ...(req?.config ?? {}) };
  if (type === '') return { ...DEFAULT_LOG_CONFIG, config: checkOpts('json-file', config) };
  if (type !== 'json-file' && type !== 'local' && type !== 'none') {
    throw invalidParameter(`logger: no log driver named '${type}' is registered`);
  }
  return { type, config: checkOpts(type, config) };
}

function checkOpts(type: LogDriver, config: Record<string, string>): Record<string, string> {
  for (const [key, value] of Object.entries(config)) {
    if (typeof value !== 'string') throw invalidParameter(`log opt '${key}' must be a string`);
    if (knownOpts[type].includes(key)) continue;
    if (type !== 'none' && (unsupportedOpts.includes(key) || key === 'max-buffer-size')) {
      throw invalidParameter(`log opt '${key}' is not supported by this engine`);
    }
    throw invalidParameter(`unknown log opt '${key}' for ${type} log driver`);
  }
  const size = config['max-size'];
  if (size !== undefined && parseHumanSize(size) <= 0) {
    throw invalidParameter('max-size must be a positive number');
  }
  const files = config['max-file'];
  if (files !== undefined) {
    if (!/^-?\d+$/.test(files)) {
      throw invalidParameter(`strconv.Atoi: parsing "${files}": invalid syntax`);
    }
    if (Number(files) < 1) throw invalidParameter('max-file cannot be less than 1');
  }
  const compress = config['compress'];
  if (compress !== undefined) {
    if (!/^(1|t|T|TRUE|true|True|0|f|F|FALSE|false|False)$/.test(compress)) {
      throw invalidParameter(`strconv.ParseBool: parsing "${compress}": invalid syntax`);
    }
    if (/^(1|t|T|TRUE|true|True)$/.test(compress) && (Number(files ?? 1) < 2 || !size)) {
      throw invalidParameter(
        'compress cannot be true when max-file is less than 2 or max-size is not set',
      );
    }
  }
  return config;
}

/**
 * Bytes a human size means, as Docker's `max-size` reads it: decimal units (`10k` = 10 000,
 * `1.5m`, `2gb`, `100` bytes). Throws InvalidParameter for anything else.
 */
export function parseHumanSize(s: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kKmMgGtTpP]?)[bB]?\s*$/.exec(s);
  if (m === null) throw invalidParameter(`invalid size: '${s}'`);
  const unit = m[2] ? 'kmgtp'.indexOf(m[2].toLowerCase()) + 1 : 0;
  return Math.floor(Number(m[1]) * 1000 ** unit);
}

/**
 * The most log bytes kept on disk, or undefined for no limit. conmon keeps one file and starts it
 * over when it would pass the limit (no rotated files are kept), so Docker's `max-file` copies of
 * `max-size` become one file of `max-size` × `max-file`: the same bound on disk use, but right
 * after a start-over the history is empty where Docker would still show the previous file.
 * `compress` only concerns rotated files, so it changes nothing here.
 */
export function logSizeLimit(c: LogConfig): number | undefined {
  const size = c.config['max-size'];
  if (c.type === 'none' || size === undefined) return undefined;
  return parseHumanSize(size) * Number(c.config['max-file'] ?? '1');
}
