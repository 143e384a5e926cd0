import { invalidParameter } from '../errors/index.js';

/** The Dockerfile's escape character: `\` by default, `` ` `` with `# escape=``. */
export type EscapeChar = '\\' | '`';

/** Variables visible to an instruction (build args and ENV so far). Unset names expand to ''. */
export type Vars = ReadonlyMap<string, string>;

const nameStart = /[A-Za-z_]/;
const nameChar = /[A-Za-z0-9_]/;

/**
 * Splits instruction text into raw words at unquoted whitespace. Quotes and escapes are kept, so
 * each word can be processed later (with the variables of the moment) by {@link processWord}, as
 * Docker defers quote removal to expansion. An unterminated quote is left to processWord to report.
 */
export function rawWords(text: string, escape: EscapeChar = '\\'): string[] {
  const words: string[] = [];
  let cur = '';
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quote === null && /\s/.test(c)) {
      if (cur !== '') words.push(cur);
      cur = '';
      continue;
    }
    cur += c;
    if (c === escape && quote !== "'" && i + 1 < text.length) cur += text[++i];
    else if (quote === null && (c === '"' || c === "'")) quote = c;
    else if (c === quote) quote = null;
  }
  if (cur !== '') words.push(cur);
  return words;
}

/** Reads a word to its end (`stop` chars end it, unquoted), removing quotes and expanding. */
class WordProcessor {
  private i = 0;
  constructor(
    private readonly s: string,
    private readonly vars: Vars,
    private readonly escape: EscapeChar,
  ) {}

  /** Processes until the end or an unquoted char in `stop` (left unconsumed). */
  run(stop = ''): string {
    let out = '';
    while (this.i < this.s.length) {
      const c = this.s[this.i] as string;
      if (stop.includes(c)) return out;
      this.i++;
      if (c === "'") out += this.singleQuoted();
      else if (c === '"') out += this.doubleQuoted();
      else if (c === this.escape) out += this.i < this.s.length ? this.s[this.i++] : c;
      else if (c === '$') out += this.dollar();
      else out += c;
    }
    return out;
  }

  private fail(why: string): Error {
    return invalidParameter(`failed to process ${JSON.stringify(this.s)}: ${why}`);
  }

  private singleQuoted(): string {
    const end = this.s.indexOf("'", this.i);
    if (end < 0)
      throw this.fail('unexpected end of statement while looking for matching single-quote');
    const text = this.s.slice(this.i, end);
    this.i = end + 1;
    return text;
  }

  private doubleQuoted(): string {
    let out = '';
    while (this.i < this.s.length) {
      const c = this.s[this.i++] as string;
      if (c === '"') return out;
      if (c === '$') out += this.dollar();
      else if (c === this.escape && this.i < this.s.length) {
        const n = this.s[this.i] as string;
        // Inside double quotes the escape only protects `"`, `$` and itself, as in a shell.
        if (n === '"' || n === '$' || n === this.escape) {
          out += n;
          this.i++;
        } else out += c;
      } else out += c;
    }
    throw this.fail('unexpected end of statement while looking for matching double-quote');
  }

  private name(): string {
    const start = this.i;
    if (this.i >= this.s.length || !nameStart.test(this.s[this.i] as string)) return '';
    this.i++;
    while (this.i < this.s.length && nameChar.test(this.s[this.i] as string)) this.i++;
    return this.s.slice(start, this.i);
  }

  private dollar(): string {
    if (this.s[this.i] === '{') {
      this.i++;
      return this.braced();
    }
    const name = this.name();
    return name === '' ? '$' : (this.vars.get(name) ?? '');
  }

  /** `${NAME}`, `${NAME:-w}`, `${NAME-w}`, `${NAME:+w}`, `${NAME+w}`, `${NAME:?m}`, `#`/`%` trims. */
  private braced(): string {
    const name = this.name();
    if (name === '') throw this.fail('bad substitution');
    const value = this.vars.get(name);
    if (this.s[this.i] === '}') {
      this.i++;
      return value ?? '';
    }
    const op = /^(:-|:\+|:\?|-|\+|\?|##|#|%%|%)/.exec(this.s.slice(this.i))?.[1];
    if (op === undefined) throw this.fail(`unsupported modifier in \${${name}}`);
    this.i += op.length;
    const word = this.run('}');
    if (this.s[this.i] !== '}') throw this.fail("missing '}'");
    this.i++;
    const empty = value === undefined || value === '';
    switch (op) {
      case ':-':
        return empty ? word : value;
      case '-':
        return value ?? word;
      case ':+':
        return empty ? '' : word;
      case '+':
        return value === undefined ? '' : word;
      case ':?':
      case '?':
        if (op === ':?' ? empty : value === undefined)
          throw invalidParameter(`${name}: ${word || 'parameter not set or null'}`);
        return value ?? '';
      default:
        return trimPattern(value ?? '', op, word);
    }
  }
}

/** `${v#p}` `${v##p}` (prefix) and `${v%p}` `${v%%p}` (suffix) with `*` and `?` globs. */
function trimPattern(value: string, op: string, pattern: string): string {
  const glob = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  // `#`/`%` remove the shortest match, `##`/`%%` the longest.
  const lengths = [...Array(value.length + 1).keys()];
  if (op.length === 2) lengths.reverse();
  const prefix = op.startsWith('#');
  for (const n of lengths) {
    const part = prefix ? value.slice(0, n) : value.slice(value.length - n);
    if (new RegExp(`^${glob}$`, 's').test(part))
      return prefix ? value.slice(n) : value.slice(0, value.length - n);
  }
  return value;
}

/**
 * Processes one raw word as Docker's shell lexer does: quotes removed (single quotes literal,
 * double quotes expand), the escape character applied, `$NAME` and `${…}` expanded from `vars`.
 * Throws InvalidParameter on an unterminated quote or a bad substitution.
 */
export function processWord(raw: string, vars: Vars, escape: EscapeChar = '\\'): string {
  return new WordProcessor(raw, vars, escape).run();
}

/** Splits `text` into words and processes each (expanded values are not split again). */
export function processWords(text: string, vars: Vars, escape: EscapeChar = '\\'): string[] {
  return rawWords(text, escape).map((w) => processWord(w, vars, escape));
}
