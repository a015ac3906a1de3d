// Turning the tokens of an argument or subscript into a StringLiteral: decoded value when it is a
// plain literal, the whole expression's span when it is dynamic.

import type { SecretReference, StringLiteral } from './types';
import {
  CH_LPAREN,
  CLOSE,
  OPEN,
  PREFIX_SHIFT,
  STRING,
  S_BYTES,
  S_CLOSED,
  S_ESCAPE,
  S_FORMAT,
  S_RAW,
  S_TEMPLATE,
  S_TRIPLE,
  TPL_HEAD,
  TPL_TAIL,
  TokenBuffer,
} from './tokens';

/** Orders references by where they start; they are found nearly in order, so check first. */
export function sortBySpan(refs: SecretReference[]): void {
  for (let i = 1; i < refs.length; i++) {
    if (refs[i]!.span.start < refs[i - 1]!.span.start) {
      refs.sort((x, y) => x.span.start - y.span.start);
      return;
    }
  }
}

/** An empty literal at `pos`: a call or subscript with no argument typed yet. */
export function emptyLiteral(pos: number): StringLiteral {
  return { value: '', contentSpan: { start: pos, end: pos }, span: { start: pos, end: pos }, closed: false };
}

function contentStart(buf: TokenBuffer, t: number): number {
  const aux = buf.aux[t]!;
  const quote = aux & S_TRIPLE ? 3 : 1;
  return buf.start[t]! + ((aux >> PREFIX_SHIFT) & 3) + quote;
}

function contentEnd(buf: TokenBuffer, t: number): number {
  const aux = buf.aux[t]!;
  if (!(aux & S_CLOSED)) return buf.end[t]!;
  return buf.end[t]! - (aux & S_TRIPLE ? 3 : 1);
}

/**
 * The literal formed by tokens [first, end): one string token (Python: several adjacent ones, implicitly
 * concatenated) is a literal; anything else is a dynamic expression.
 */
export function literalOf(text: string, buf: TokenBuffer, first: number, end: number, python: boolean): StringLiteral {
  // Python: `(('name'))` is the literal itself; the parentheses only group it.
  if (python && buf.kind[first] === OPEN) {
    let a = first;
    let b = end;
    while (b - a >= 3 && buf.kind[a] === OPEN && buf.aux[a] === CH_LPAREN && buf.match[a] === b - 1) {
      a++;
      b--;
    }
    if (a > first && allStringsIn(buf, a, b)) {
      first = a;
      end = b;
    }
  }
  let allStrings = end > first && (python || end === first + 1);
  let closed = true;
  for (let t = first; t < end && allStrings; t++) {
    if (buf.kind[t] !== STRING) allStrings = false;
    else if (!(buf.aux[t]! & S_CLOSED)) closed = false;
  }
  const span = { start: buf.start[first]!, end: buf.end[end - 1]! };
  if (!allStrings) {
    return { value: null, contentSpan: { ...span }, span, closed: expressionClosed(buf, end - 1) };
  }
  return {
    value: stringsValue(text, buf, first, end, python),
    contentSpan: { start: contentStart(buf, first), end: Math.max(contentStart(buf, end - 1), contentEnd(buf, end - 1)) },
    span,
    closed,
  };
}

/**
 * The decoded value of the string tokens [first, end) (Python: implicitly concatenated): a name is the
 * literal's decoded text (`'it\\'s'` reads `it's`). Only `\N{…}` names a character by Unicode's name
 * table, which we do not carry: such a literal's text is not known for sure (null), so it counts as
 * a computed name (dynamic-name), never as a wrong one.
 */
export function stringsValue(text: string, buf: TokenBuffer, first: number, end: number, python: boolean): string | null {
  let value = '';
  for (let t = first; t < end; t++) {
    const from = contentStart(buf, t);
    const to = Math.max(from, contentEnd(buf, t));
    const aux = buf.aux[t]!;
    if (python && aux & S_ESCAPE && !(aux & (S_RAW | S_BYTES)) && hasNamedEscape(text, from, to)) return null;
    value += python ? decodePython(text, from, to, aux) : decodeJs(text, from, to, aux);
  }
  return value;
}

/** Whether [from, to) holds a Python `\N{…}` escape (a backslash that is not itself escaped). */
function hasNamedEscape(text: string, from: number, to: number): boolean {
  for (let k = text.indexOf('\\N{', from); k >= 0 && k < to; k = text.indexOf('\\N{', k + 1)) {
    let run = 0;
    for (let j = k; j >= from && text.charCodeAt(j) === 92; j--) run++;
    if (run % 2 === 1) return true;
  }
  return false;
}

function allStringsIn(buf: TokenBuffer, s: number, e: number): boolean {
  for (let t = s; t < e; t++) if (buf.kind[t] !== STRING) return false;
  return true;
}

/** A dynamic expression counts as closed unless it ends in an unterminated string or group. */
function expressionClosed(buf: TokenBuffer, last: number): boolean {
  const kind = buf.kind[last]!;
  if (kind === STRING || kind === TPL_TAIL) return (buf.aux[last]! & S_CLOSED) !== 0;
  if (kind === OPEN || kind === TPL_HEAD) return false;
  if (kind === CLOSE) return buf.match[last]! >= 0;
  return true;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  b: '\b',
  f: '\f',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
};

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 102);
}

function hexRun(text: string, from: number, count: number, limit: number): boolean {
  if (from + count > limit) return false;
  for (let k = 0; k < count; k++) if (!isHex(text.charCodeAt(from + k))) return false;
  return true;
}

/** Decodes a Python string body [from, to) according to its prefix flags. */
export function decodePython(text: string, from: number, to: number, flags: number): string {
  const format = (flags & S_FORMAT) !== 0;
  if ((!(flags & S_ESCAPE) || flags & S_RAW) && !format) return text.slice(from, to);
  const raw = (flags & S_RAW) !== 0;
  const bytes = (flags & S_BYTES) !== 0;
  let out = '';
  let k = from;
  while (k < to) {
    const c = text.charCodeAt(k);
    if (format && (c === 123 || c === 125) && text.charCodeAt(k + 1) === c) {
      out += text[k];
      k += 2;
      continue;
    }
    if (c !== 92 || raw || k + 1 >= to) {
      out += text[k];
      k++;
      continue;
    }
    const e = text[k + 1]!;
    const ec = text.charCodeAt(k + 1);
    if (ec === 10) {
      k += 2;
      continue;
    }
    if (ec === 13) {
      k += text.charCodeAt(k + 2) === 10 ? 3 : 2;
      continue;
    }
    const simple = SIMPLE_ESCAPES[e];
    if (simple !== undefined) {
      out += simple;
      k += 2;
      continue;
    }
    if (e === 'a') {
      out += '\x07';
      k += 2;
      continue;
    }
    if (ec >= 48 && ec <= 55) {
      let j = k + 1;
      let code = 0;
      while (j < to && j < k + 4 && text.charCodeAt(j) >= 48 && text.charCodeAt(j) <= 55) {
        code = code * 8 + text.charCodeAt(j) - 48;
        j++;
      }
      out += String.fromCharCode(code);
      k = j;
      continue;
    }
    if (e === 'x' && hexRun(text, k + 2, 2, to)) {
      out += String.fromCharCode(parseInt(text.slice(k + 2, k + 4), 16));
      k += 4;
      continue;
    }
    if (!bytes && e === 'u' && hexRun(text, k + 2, 4, to)) {
      out += String.fromCharCode(parseInt(text.slice(k + 2, k + 6), 16));
      k += 6;
      continue;
    }
    if (!bytes && e === 'U' && hexRun(text, k + 2, 8, to)) {
      const cp = parseInt(text.slice(k + 2, k + 10), 16);
      out += cp <= 0x10ffff ? String.fromCodePoint(cp) : text.slice(k, k + 10);
      k += 10;
      continue;
    }
    // Unknown escapes (and \N{…}, which needs the Unicode name table) stay as written.
    out += '\\';
    k++;
  }
  return out;
}

/** Decodes a JavaScript string or template body [from, to). */
export function decodeJs(text: string, from: number, to: number, flags: number): string {
  if (!(flags & S_ESCAPE)) return flags & S_TEMPLATE ? text.slice(from, to).replace(/\r\n?/g, '\n') : text.slice(from, to);
  let out = '';
  let k = from;
  while (k < to) {
    const c = text.charCodeAt(k);
    if (c !== 92 || k + 1 >= to) {
      if (c === 13 && flags & S_TEMPLATE) {
        out += '\n';
        k += text.charCodeAt(k + 1) === 10 ? 2 : 1;
        continue;
      }
      out += text[k];
      k++;
      continue;
    }
    const e = text[k + 1]!;
    const ec = text.charCodeAt(k + 1);
    if (ec === 10 || ec === 0x2028 || ec === 0x2029) {
      k += 2;
      continue;
    }
    if (ec === 13) {
      k += text.charCodeAt(k + 2) === 10 ? 3 : 2;
      continue;
    }
    const simple = SIMPLE_ESCAPES[e];
    if (simple !== undefined) {
      out += simple;
      k += 2;
      continue;
    }
    if (e === '0' && !(text.charCodeAt(k + 2) >= 48 && text.charCodeAt(k + 2) <= 57)) {
      out += '\0';
      k += 2;
      continue;
    }
    if (e === 'x' && hexRun(text, k + 2, 2, to)) {
      out += String.fromCharCode(parseInt(text.slice(k + 2, k + 4), 16));
      k += 4;
      continue;
    }
    if (e === 'u') {
      if (text.charCodeAt(k + 2) === 123) {
        const close = text.indexOf('}', k + 3);
        if (close > 0 && close < to && close > k + 3 && hexRun(text, k + 3, close - k - 3, to)) {
          const cp = parseInt(text.slice(k + 3, close), 16);
          if (cp <= 0x10ffff) {
            out += String.fromCodePoint(cp);
            k = close + 1;
            continue;
          }
        }
      } else if (hexRun(text, k + 2, 4, to)) {
        out += String.fromCharCode(parseInt(text.slice(k + 2, k + 6), 16));
        k += 6;
        continue;
      }
    }
    if (ec >= 49 && ec <= 55 && !(flags & S_TEMPLATE)) {
      // Legacy octal escapes (sloppy-mode strings).
      let j = k + 1;
      let code = 0;
      while (j < to && j < k + 4 && text.charCodeAt(j) >= 48 && text.charCodeAt(j) <= 55 && code * 8 + text.charCodeAt(j) - 48 <= 255) {
        code = code * 8 + text.charCodeAt(j) - 48;
        j++;
      }
      out += String.fromCharCode(code);
      k = j;
      continue;
    }
    // Any other escaped character stands for itself.
    out += e;
    k += 2;
  }
  return out;
}
