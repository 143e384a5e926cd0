import { invalidParameter } from '../errors/index.js';
import type { EscapeChar } from './shell-lex.js';

/** A here-document attached to an instruction (`RUN <<EOF` … `EOF`). */
export interface Heredoc {
  name: string;
  content: string;
  /** False when the delimiter was quoted (`<<"EOF"`): no variable expansion in the body. */
  expand: boolean;
}

/** One instruction's text after continuations are joined, with its here-documents. */
export interface LogicalLine {
  /** 1-based line of the instruction's first physical line. */
  line: number;
  text: string;
  heredocs: Heredoc[];
}

/** The parser directives at the top of a Dockerfile and its logical lines. */
export interface LineSplit {
  directives: { escape: EscapeChar; syntax?: string };
  lines: LogicalLine[];
}

const directiveRe = /^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.*?)\s*$/;
const heredocRe = /<<(-?)(["']?)([A-Za-z_][A-Za-z0-9_]*)\2/g;
const heredocInstructions = /^(RUN|COPY|ADD)\s/i;

/** A parse error Docker's way: `dockerfile parse error line N: …` (InvalidParameter, a 400). */
export function parseError(line: number, message: string): Error {
  return invalidParameter(`dockerfile parse error line ${line}: ${message}`);
}

function readDirectives(physical: string[]): { escape: EscapeChar; syntax?: string; next: number } {
  const seen = new Map<string, string>();
  let next = 0;
  for (; next < physical.length; next++) {
    const m = directiveRe.exec(physical[next] as string);
    if (!m) break;
    const key = (m[1] as string).toLowerCase();
    if (key !== 'escape' && key !== 'syntax' && key !== 'check') break; // an ordinary comment
    if (seen.has(key)) throw parseError(next + 1, `only one ${key} parser directive can be used`);
    seen.set(key, m[2] as string);
  }
  const escape = seen.get('escape') ?? '\\';
  if (escape !== '\\' && escape !== '`') {
    throw parseError(1, `invalid escape token '${escape}' does not match \` or \\`);
  }
  const syntax = seen.get('syntax');
  return { escape, ...(syntax !== undefined ? { syntax } : {}), next };
}

/** Heredoc delimiters named in an instruction's text, outside single or double quotes. */
function heredocMarkers(text: string): { name: string; stripTabs: boolean; expand: boolean }[] {
  const unquoted = text.replace(/(?<!<<-?)('[^']*'|"(?:[^"\\]|\\.)*")/g, (q) =>
    ' '.repeat(q.length),
  );
  const found: { name: string; stripTabs: boolean; expand: boolean }[] = [];
  for (const m of unquoted.matchAll(heredocRe)) {
    // The match positions are the same in `text`: quoted spans were blanked, not removed.
    const real = text.slice(m.index, m.index + m[0].length);
    const q = /^<<-?(["']?)/.exec(real)?.[1] ?? '';
    found.push({ name: m[3] as string, stripTabs: m[1] === '-', expand: q === '' });
  }
  return found;
}

/**
 * Splits Dockerfile text into its directives and logical lines: comments and blank lines dropped
 * (also inside a continuation), lines ending in the escape character joined with the next, and
 * the bodies of `RUN`/`COPY`/`ADD` here-documents read up to their delimiter lines.
 */
export function splitLines(source: string): LineSplit {
  const physical = source.replace(/^\uFEFF/, '').split(/\r?\n/);
  const { next, ...directives } = readDirectives(physical);
  const continuation = new RegExp(`${directives.escape === '\\' ? '\\\\' : '`'}[ \\t]*$`);
  const lines: LogicalLine[] = [];
  let i = next;
  while (i < physical.length) {
    const first = physical[i] as string;
    const start = i++;
    if (first.trim() === '' || first.trimStart().startsWith('#')) continue;
    let text = first;
    while (continuation.test(text)) {
      text = text.replace(continuation, '');
      // Blank lines and comments inside a continuation are skipped, as Docker does.
      while (i < physical.length && /^\s*(#.*)?$/.test(physical[i] as string)) i++;
      if (i >= physical.length) break;
      text += physical[i++] as string;
    }
    text = text.trim();
    const heredocs: Heredoc[] = [];
    if (heredocInstructions.test(text)) {
      for (const marker of heredocMarkers(text)) {
        const body: string[] = [];
        for (;;) {
          if (i >= physical.length) {
            throw parseError(start + 1, `unterminated heredoc ${marker.name}`);
          }
          const raw = physical[i++] as string;
          const l = marker.stripTabs ? raw.replace(/^\t+/, '') : raw;
          if (l === marker.name) break;
          body.push(l);
        }
        const content = body.length > 0 ? `${body.join('\n')}\n` : '';
        heredocs.push({ name: marker.name, content, expand: marker.expand });
      }
    }
    lines.push({ line: start + 1, text, heredocs });
  }
  return { directives, lines };
}
