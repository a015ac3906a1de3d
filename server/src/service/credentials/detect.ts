// Hard-coded credentials in string literals: run over the token buffer the scanner has just filled
// (no second lex). Each STRING token (Python: each run of implicitly concatenated ones) is one
// literal; f-strings and templates with placeholders are not literals and are skipped. This file is
// the pass; each concern is a module beside it: literal decoding (literalDecoding.ts), format
// matching and the context rule (formatMatching.ts), where a literal stands (literalPositions.ts:
// the front end says which literals are names), the false-positive filters (falsePositives.ts: the
// keys beside a literal as the front end recorded them) and the ignore markers (ignoreMarkers.ts).
// No token around a literal is walked: what stands around it is the front end's reading.
//
// Cost, per change of a document: one pass over the tokens with a few typed-array reads each;
// literals shorter than 8 characters stop there. Longer ones are read for the rules' prefixes (a
// table lookup per character, a prefix compare only at word starts) up to the first credential that
// passes its check, each rule's expression anchored where its prefix is; then, only when the front
// end recorded a name the literal is given to (a cursor over its records, in document order), the
// name is classified and, when secret-like, the value measured. Nothing is decoded unless escapes or concatenation
// make the source text differ from the value.

import type { TokenBuffer } from '../scan/tokens';
import type { LiteralContexts } from '../scan/literalContexts';
import type { Span } from '../scan/types';
import { classifyName } from '../../../../protocol/credentials/secretLikeNames';
import { MIN_LITERAL, NONE, REJECTED } from '../../../../protocol/credentials/credentialIn';
import { FORMAT_RULES } from '../../../../protocol/credentials/formats';
import { contentEnd, contentStart, decodeRun, isEscaped } from './literalDecoding';
import { contextFinding, formatInText, formatInValue, GOOGLE_API_KEY, mayHideInText } from './formatMatching';
import { contextName, type NameLiterals } from './literalPositions';
import { isExampleOrPublic, SiblingKeys } from './falsePositives';
import { IGNORE_MARKER, withoutIgnored } from './ignoreMarkers';

export interface HardcodedFinding {
  /** The whole literal, prefix and quotes included. */
  span: Span;
  /** Between the quotes. */
  contentSpan: Span;
  /** The rule's id, e.g. 'stripe-secret-key', 'context-secret'. */
  rule: string;
  /** Human name of the credential kind, for the message ("Stripe secret key"). Never any part of the value. */
  kind: string;
  /** The name the literal is assigned to or passed as (variable, dict key, keyword argument, property), for a suggested secret name; null when none. */
  context: string | null;
  /** True when the source text between the quotes is not the value itself (escapes, raw/bytes prefixes, implicit concatenation): a tool that moves the value must not copy the text. */
  escaped: boolean;
}

/**
 * Hard-coded credentials in the string literals of `text`, which `buf` holds lexed (by `lexPython`
 * or `lexJs`), in document order. `names` are the literals the front end read as names
 * (literalPositions.ts's nameLiterals over its references): a NAME is never a finding, whatever it
 * looks like; `contexts` the names it read values given to, the callees of pairs and the entries of dicts and object literals (frontEnds.ts's scanReferences). A literal whose first or last line carries the ignore comment is left out. Never
 * reports any part of a value: findings carry spans, rule ids and names only.
 */
export function findHardcoded(text: string, buf: TokenBuffer, python: boolean, names: NameLiterals, contexts: LiteralContexts): HardcodedFinding[] {
  const found: HardcodedFinding[] = [];
  // The lexer lists its STRING tokens: the rest of the stream is never walked.
  const strings = buf.strings;
  const count = buf.stringCount;
  const { starts, count: nameCount } = names;
  const { value: valued, count: contextCount } = contexts;
  const siblings = new SiblingKeys(text, buf, contexts);
  let n = 0;
  let c = 0;
  let j = 0;
  while (j < count) {
    const t = strings[j++]!;
    let e = t + 1;
    // Python's implicit concatenation: STRING tokens in a row are one literal.
    if (python) {
      while (j < count && strings[j] === e) {
        j++;
        e++;
      }
    }
    // Both lists are in document order: one cursor over the names.
    const at = buf.start[t]!;
    while (n < nameCount && starts[n]! < at) n++;
    if (n < nameCount && starts[n] === at) continue;
    const from = contentStart(buf, t);
    const to = contentEnd(buf, e - 1);
    if (to - from >= MIN_LITERAL) {
      while (c < contextCount && valued[c]! < t) c++;
      const finding = examine(text, buf, t, e, python, from, to, contexts, c < contextCount && valued[c] === t ? c : -1, siblings);
      if (finding !== null) found.push(finding);
    }
  }
  if (found.length > 0 && text.includes(IGNORE_MARKER)) return withoutIgnored(text, buf, python, found);
  return found;
}

/** The literal of tokens [first, end); `given` is the index of its record in `contexts`, or -1; `siblings` the keys beside it, when it is a dict's value. */
function examine(text: string, buf: TokenBuffer, first: number, end: number, python: boolean, from: number, to: number, contexts: LiteralContexts, given: number, siblings: SiblingKeys): HardcodedFinding | null {
  // The source text is searched first; a literal of several tokens, or one whose escapes or
  // f-string braces may hide a credential, is decoded and its value searched.
  const single = end === first + 1;
  let k = single ? formatInText(text, from, to) : NONE;
  let value: string | null = null;
  if (!single || (k < 0 && mayHideInText(buf, first))) {
    value = decodeRun(text, buf, first, end, python);
    // (An f-string or template without `{{` or CR decodes to its own text: nothing new to search.)
    if (!single || value.length !== to - from) {
      const decoded = formatInValue(value);
      if (decoded !== NONE) k = decoded;
    }
  }
  if (k === REJECTED || (k === NONE && given < 0)) return null;
  const name = given < 0 ? null : contextName(text, buf, contexts, given, python);
  if (k >= 0) {
    const rule = FORMAT_RULES[k]!;
    if (k === GOOGLE_API_KEY && siblings.inFirebaseConfig(first)) return null;
    return finding(text, buf, first, end, rule.id, rule.kind, name, from, to);
  }
  if (name === null) return null;
  const ctx = classifyName(name);
  if (ctx === null) return null;
  value ??= decodeRun(text, buf, first, end, python);
  if (isExampleOrPublic(value)) return null;
  const hit = contextFinding(ctx, value);
  if (hit === null) return null;
  // A field of a data record (an API's response in a test, a fixture, seed data: an object with an
  // `id` or a timestamp) is data: Shopify's checkout `token`, a line item's `key`.
  if (siblings.inDataRecord(first)) return null;
  // `{"key": …, "value": …}`: an entry's name beside its value (a tag, a label, a setting), not a key.
  if ((name === 'key' || name === 'Key') && siblings.isEntryName(first)) return null;
  return finding(text, buf, first, end, hit.id, hit.kind, name, from, to);
}

function finding(text: string, buf: TokenBuffer, first: number, end: number, rule: string, kind: string, context: string | null, from: number, to: number): HardcodedFinding {
  return {
    span: { start: buf.start[first]!, end: buf.end[end - 1]! },
    contentSpan: { start: from, end: to },
    rule,
    kind,
    context,
    escaped: isEscaped(text, buf, first, end),
  };
}
