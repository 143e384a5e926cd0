/** A non-2xx answer from the daemon; `message` is the body's `{"message": ...}`. */
export class ApiError extends Error {
  readonly statusCode: number;
  constructor(statusCode: number, message: string) {
    super(message);
    this.name = 'ApiError';
    this.statusCode = statusCode;
  }
}

/** The daemon could not be reached (absent, refused, or permission denied). */
export class DaemonUnreachableError extends Error {
  /** The address dialled: `unix:///path` or `tcp://host:port` (a bare path means unix). */
  readonly address: string;
  constructor(address: string, cause: unknown) {
    const url = address.startsWith('/') ? `unix://${address}` : address;
    super(`Cannot connect to the Berth daemon at ${url}. Is berthd running?`, { cause });
    this.name = 'DaemonUnreachableError';
    this.address = url;
  }
}

const unreachableCodes = new Set(['ENOENT', 'ECONNREFUSED', 'EACCES', 'ENOTSOCK', 'EPERM']);

/** True when `err` is a connect-time failure that means "no daemon there". */
export function isConnectError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && unreachableCodes.has(code);
}

/**
 * The error message carried by a daemon error body: `{"message": "..."}` when it parses, else the
 * trimmed text, else a generic `HTTP <status>`.
 */
export function messageOfErrorBody(statusCode: number, body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed !== null && typeof parsed === 'object') {
      const m = (parsed as { message?: unknown }).message;
      if (typeof m === 'string') return m;
    }
  } catch {
    // not JSON: fall through to the raw text
  }
  const text = body.trim();
  return text === '' ? `HTTP ${statusCode}` : text;
}
