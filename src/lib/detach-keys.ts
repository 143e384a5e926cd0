/**
 * Docker's detach key sequences: parsing the `--detach-keys` / `detachKeys` format and spotting
 * the sequence in a stream of typed input.
 */

/** ctrl-p, ctrl-q: what Docker uses when no sequence is given. */
export const DEFAULT_DETACH_KEYS = 'ctrl-p,ctrl-q';

/** The characters that may follow `ctrl-`, in the order of the control codes they name (0–31). */
const CTRL_NAMES = '@abcdefghijklmnopqrstuvwxyz[\\]^_';

/**
 * Parses Docker's detach key format: comma-separated keys, each a single character (`a`), a
 * control key `ctrl-<c>` with `<c>` one of a–z, `@`, `[`, `\`, `]`, `^`, `_`, or `DEL`.
 * An empty string means {@link DEFAULT_DETACH_KEYS}. Throws an Error naming the bad key for
 * anything else (the caller turns it into its own error kind).
 */
export function parseDetachKeys(spec: string): Buffer {
  const text = spec === '' ? DEFAULT_DETACH_KEYS : spec;
  const codes: number[] = [];
  for (const key of text.split(',')) {
    if (key.length === 1 && key.charCodeAt(0) < 0x80) {
      codes.push(key.charCodeAt(0));
      continue;
    }
    if (key === 'DEL') {
      codes.push(0x7f);
      continue;
    }
    const m = /^ctrl-(.)$/.exec(key);
    const index = m?.[1] === undefined ? -1 : CTRL_NAMES.indexOf(m[1]);
    if (index < 0) throw new Error(`Unknown character: '${key}'`);
    codes.push(index);
  }
  return Buffer.from(codes);
}

/** What {@link DetachScanner.push} decided for one chunk of input. */
export interface ScanResult {
  /** Bytes to pass on now (a held partial sequence is released once it stops matching). */
  forward: Buffer;
  /** True when the whole sequence was typed: the caller detaches and drops later input. */
  detached: boolean;
}

/**
 * Watches input for a detach sequence across chunk boundaries. Bytes that could be the start of
 * the sequence are held back; when the next byte does not continue it they are forwarded, so
 * nothing typed is lost. Overlapping sequences (`a,a,b` after `a,a,a,b`) are handled.
 */
export class DetachScanner {
  /** How many bytes of the sequence are currently held. */
  #matched = 0;
  #detached = false;

  constructor(private readonly keys: Buffer) {
    if (keys.length === 0) throw new Error('empty detach sequence');
  }

  push(chunk: Buffer): ScanResult {
    if (this.#detached) return { forward: Buffer.alloc(0), detached: true };
    const out: number[] = [];
    for (const byte of chunk) {
      if (byte === this.keys[this.#matched]) {
        this.#matched++;
        if (this.#matched === this.keys.length) {
          this.#detached = true;
          this.#matched = 0;
          return { forward: Buffer.from(out), detached: true };
        }
        continue;
      }
      // Mismatch: the held bytes plus this one; keep the longest tail that still starts the
      // sequence, forward what comes before it.
      const held = [...this.keys.subarray(0, this.#matched), byte];
      let keep = Math.min(held.length, this.keys.length - 1);
      while (keep > 0 && !this.#startsSequence(held.slice(held.length - keep))) keep--;
      out.push(...held.slice(0, held.length - keep));
      this.#matched = keep;
    }
    return { forward: Buffer.from(out), detached: false };
  }

  /** Releases a held partial sequence (at end of input). */
  flush(): Buffer {
    const held = this.keys.subarray(0, this.#matched);
    this.#matched = 0;
    return Buffer.from(held);
  }

  #startsSequence(bytes: number[]): boolean {
    return bytes.every((b, i) => this.keys[i] === b);
  }
}
