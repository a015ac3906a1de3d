// Format matching for the credential detector: a literal's text, or its value when escapes or
// concatenation make them differ, searched for the provider formats (protocol/credentials/), and
// the context rule, which judges the value given to a secret-like name by its shape.

import { S_ESCAPE, S_FORMAT, S_TEMPLATE, TokenBuffer } from '../scan/tokens';
import { AUTHORIZATION, AWS_SECRET, AWS_SECRET_VALUE, SECRET, type ContextKind } from '../../../../protocol/credentials/secretLikeNames';
import { formatIn, isDataUrl, NONE } from '../../../../protocol/credentials/credentialIn';
import { isReadableBase64 } from '../../../../protocol/credentials/formatChecks';
import { FORMAT_RULES } from '../../../../protocol/credentials/formats';
import { looksLikePassword, looksRandom } from '../../../../protocol/credentials/shape';
import { decodeRun } from './literalDecoding';

/** The index of Google's API key in FORMAT_RULES (a Firebase web app's is public). */
export const GOOGLE_API_KEY = FORMAT_RULES.findIndex((r) => r.id === 'google-api-key');

export interface FormatMatch {
  /** The index in FORMAT_RULES of the format found, or `NONE`, or `REJECTED` (a format's check refused the literal). */
  rule: number;
  /** The literal's value, when it was decoded to be searched; null when its text was enough. */
  value: string | null;
}

/**
 * The format the literal of tokens [first, end), with content [from, to), matches. The source text
 * is searched first. Escapes and concatenation can hide a credential there (`"\x73k_live_…"`,
 * `"sk_" "live_…"`) and `{{` in an f-string shifts positions: when the text holds none, such
 * literals are decoded and their value searched.
 */
export function matchFormat(text: string, buf: TokenBuffer, first: number, end: number, python: boolean, from: number, to: number): FormatMatch {
  let value: string | null = null;
  let rule = NONE;
  const single = end === first + 1;
  if (single) rule = isDataUrl(text, from) ? NONE : formatIn(text, from, to, null);
  if (!single || (rule < 0 && buf.aux[first]! & (S_ESCAPE | S_FORMAT | S_TEMPLATE))) {
    value = decodeRun(text, buf, first, end, python);
    // (An f-string or template without `{{` or CR decodes to its own text: nothing new to search.)
    if (!single || value.length !== to - from) {
      const decoded = isDataUrl(value, 0) ? NONE : formatIn(value, 0, value.length, value);
      if (decoded !== NONE) rule = decoded;
    }
  }
  return { rule, value };
}

// ---- The context rule ----

const AUTH_SCHEME = /^(?:Bearer|Basic|Token|Bot|Digest|Key|ApiKey|SSWS)\s+(\S+)$/i;

/** The rule and kind a value under a name of kind `ctx` is reported as, or null when it is not a credential. */
export function contextFinding(ctx: ContextKind, value: string): ContextKind | null {
  if (ctx === AUTHORIZATION) {
    const scheme = AUTH_SCHEME.exec(value);
    const credential = scheme ? scheme[1]! : value;
    return looksRandom(credential) && !isReadableBase64(credential) ? AUTHORIZATION : null;
  }
  if (ctx === AWS_SECRET) {
    if (AWS_SECRET_VALUE.test(value) && looksRandom(value)) return AWS_SECRET;
    return looksRandom(value) ? SECRET : null;
  }
  if (ctx.password) return looksLikePassword(value) ? ctx : null;
  // Base64 of `username:password`, of a sentence or of small JSON looks random; decoded, it is none.
  return looksRandom(value) && !isReadableBase64(value) ? ctx : null;
}
