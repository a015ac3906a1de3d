// Literal decoding for the credential detector: where a string token's content lies, and the value
// a literal (one token, or in Python a run of implicitly concatenated ones) stands for. Most
// literals are their own value and are sliced, not decoded character by character.

import { PREFIX_SHIFT, S_BYTES, S_CLOSED, S_ESCAPE, S_FORMAT, S_RAW, S_TEMPLATE, S_TRIPLE, TokenBuffer } from '../scan/tokens';
import { decodeJs, decodePython } from '../scan/literals';

/** Where the content of the string token `token` starts: after its prefix and opening quote. */
export function contentStart(buf: TokenBuffer, token: number): number {
  const aux = buf.aux[token]!;
  return buf.start[token]! + ((aux >> PREFIX_SHIFT) & 3) + (aux & S_TRIPLE ? 3 : 1);
}

/** Where the content of the string token `token` ends: before its closing quote, if it has one. */
export function contentEnd(buf: TokenBuffer, token: number): number {
  const aux = buf.aux[token]!;
  if (!(aux & S_CLOSED)) return buf.end[token]!;
  return Math.max(contentStart(buf, token), buf.end[token]! - (aux & S_TRIPLE ? 3 : 1));
}

/** The value of the string token `token`. */
export function decodeToken(text: string, buf: TokenBuffer, token: number, python: boolean): string {
  const from = contentStart(buf, token);
  const to = contentEnd(buf, token);
  const aux = buf.aux[token]!;
  // Most literals are their own value: slice instead of decoding character by character.
  if (!(aux & S_ESCAPE) || (python && aux & S_RAW)) {
    if (!(aux & (S_FORMAT | S_TEMPLATE)) || !(aux & S_FORMAT ? hasDoubledBrace(text, from, to) : hasCarriageReturn(text, from, to))) {
      return text.slice(from, to);
    }
  } else if (!(aux & (S_RAW | S_FORMAT | S_TEMPLATE))) {
    const simple = decodeSimpleEscapes(text, from, to);
    if (simple !== null) return simple;
  }
  return python ? decodePython(text, from, to, aux) : decodeJs(text, from, to, aux);
}

function hasDoubledBrace(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if ((c === 123 || c === 125) && text.charCodeAt(i + 1) === c) return true;
  }
  return false;
}

function hasCarriageReturn(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (text.charCodeAt(i) === 13) return true;
  return false;
}

/** `\n`, `\t`, `\r`, `\\`, `\'`, `\"` only (PEM keys written on one line): decoded by slices; null for any other escape. */
function decodeSimpleEscapes(text: string, from: number, to: number): string | null {
  let out = '';
  let chunk = from;
  for (let i = from; i < to; i++) {
    if (text.charCodeAt(i) !== 92) continue;
    const e = text.charCodeAt(i + 1);
    const decoded = e === 110 ? '\n' : e === 116 ? '\t' : e === 114 ? '\r' : e === 92 || e === 39 || e === 34 ? String.fromCharCode(e) : null;
    if (decoded === null || i + 1 >= to) return null;
    out += text.slice(chunk, i) + decoded;
    i++;
    chunk = i + 1;
  }
  return out + text.slice(chunk, to);
}

/** The decoded value of the literal made of tokens [first, end). */
export function decodeRun(text: string, buf: TokenBuffer, first: number, end: number, python: boolean): string {
  if (end === first + 1) return decodeToken(text, buf, first, python);
  let value = '';
  for (let t = first; t < end; t++) value += decodeToken(text, buf, t, python);
  return value;
}

/** Whether the text between the quotes of the literal [first, end) differs from its value (or the literal has several parts). */
export function isEscaped(text: string, buf: TokenBuffer, first: number, end: number): boolean {
  if (end > first + 1) return true;
  const aux = buf.aux[first]!;
  if (aux & (S_ESCAPE | S_RAW | S_BYTES)) return true;
  if (!(aux & (S_FORMAT | S_TEMPLATE))) return false;
  // f-strings: `{{` and `}}` stand for one brace; templates: a CR or CRLF is read as LF.
  const to = contentEnd(buf, first);
  for (let i = contentStart(buf, first); i < to; i++) {
    const c = text.charCodeAt(i);
    if (aux & S_FORMAT ? (c === 123 || c === 125) && text.charCodeAt(i + 1) === c : c === 13) return true;
  }
  return false;
}
