import { invalidParameter } from '../errors/index.js';

/**
 * Splits an instruction's arguments into words as the Dockerfile parser does for key=value and
 * list forms: whitespace separates words; double quotes group (a backslash escapes the next
 * character inside them), single quotes group literally, a backslash outside quotes escapes the
 * next character. Quotes may appear inside a word (`a="b c"` → `a=b c`). An unterminated quote
 * throws InvalidParameter.
 */
export function splitWords(s: string): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (quote === "'") {
      if (c === "'") quote = null;
      else cur += c;
    } else if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === '\\' && i + 1 < s.length) cur += s[++i];
      else cur += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < s.length) {
      cur += s[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (quote !== null) throw invalidParameter(`unterminated quote in ${JSON.stringify(s)}`);
  if (inWord) words.push(cur);
  return words;
}
