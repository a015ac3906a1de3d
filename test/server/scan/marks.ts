// Expected spans written into the source: `⟦…⟧` marks a span and is stripped before scanning.
// Spans are numbered by their opening marker, so nested marks read naturally:
// `x = ⟦conv.utils.get_secret(⟦'a'⟧)⟧` gives spans[0] = the call and spans[1] = the literal.

import type { KeyAccess, SecretReference, Span, StringLiteral } from '../../../server/src/service/scan/types';

export function marked(source: string): { text: string; spans: Span[] } {
  const spans: Span[] = [];
  const open: number[] = [];
  let text = '';
  for (const ch of source) {
    if (ch === '⟦') {
      open.push(spans.length);
      spans.push({ start: text.length, end: -1 });
    } else if (ch === '⟧') {
      const i = open.pop();
      if (i === undefined) throw new Error(`unbalanced ⟧ in ${source}`);
      spans[i]!.end = text.length;
    } else text += ch;
  }
  if (open.length > 0) throw new Error(`unbalanced ⟦ in ${source}`);
  return { text, spans };
}

/** The literal written at `span`: its content is what lies inside the prefix and the quotes. */
export function lit(text: string, span: Span, value: string, closed = true): StringLiteral {
  const written = text.slice(span.start, span.end);
  const prefix = /^[a-zA-Z]*/.exec(written)![0].length;
  const q = written[prefix];
  const quoteLen = written.startsWith(q!.repeat(3), prefix) ? 3 : 1;
  const start = span.start + prefix + quoteLen;
  const end = closed ? span.end - quoteLen : span.end;
  return { value, contentSpan: { start, end }, span: { ...span }, closed };
}

/** Several adjacent literals written at `first` … `last`, implicitly concatenated. */
export function concat(text: string, first: Span, last: Span, value: string): StringLiteral {
  const a = lit(text, first, '');
  const b = lit(text, last, '');
  return { value, contentSpan: { start: a.contentSpan.start, end: b.contentSpan.end }, span: { start: first.start, end: last.end }, closed: true };
}

/** A dynamic name or key: the whole expression at `span`. */
export function dyn(span: Span, closed = true): StringLiteral {
  return { value: null, contentSpan: { ...span }, span: { ...span }, closed };
}

/** An identifier used as a name (`process.env.X`). */
export function ident(text: string, span: Span): StringLiteral {
  return { value: text.slice(span.start, span.end), contentSpan: { ...span }, span: { ...span }, closed: true };
}

/** The empty literal of a call or subscript with no argument yet. */
export function empty(at: number): StringLiteral {
  return { value: '', contentSpan: { start: at, end: at }, span: { start: at, end: at }, closed: false };
}

export function ref(form: SecretReference['form'], literal: StringLiteral, span: Span, keys: KeyAccess[] = []): SecretReference {
  return { form, name: literal.value, literal, keys, span: { ...span } };
}

export function key(literal: StringLiteral, via: KeyAccess['via']): KeyAccess {
  return { key: literal.value, literal, via };
}
