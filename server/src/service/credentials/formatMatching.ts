// Format matching for the credential detector: a literal's text, or its value when escapes or
// concatenation make them differ, searched for the provider formats (protocol/credentials/), and
// the context rule, which judges the value given to a secret-like name by its shape. The text is
// searched first; nothing is decoded unless it may hide what the value shows.

import { S_ESCAPE, S_FORMAT, S_TEMPLATE, TokenBuffer } from '../scan/tokens';
import { AUTHORIZATION, AWS_SECRET, AWS_SECRET_VALUE, SECRET, type ContextKind } from '../../../../protocol/credentials/secretLikeNames';
import { formatIn, isDataUrl, NONE } from '../../../../protocol/credentials/credentialIn';
import { isReadableBase64 } from '../../../../protocol/credentials/formatChecks';
import { FORMAT_RULES } from '../../../../protocol/credentials/formats';
import { looksLikePassword, looksRandom } from '../../../../protocol/credentials/shape';

/** The index of Google's API key in FORMAT_RULES (a Firebase web app's is public). */
export const GOOGLE_API_KEY = FORMAT_RULES.findIndex((r) => r.id === 'google-api-key');

/**
 * The format the text [from, to) of a one-token literal matches: the index in FORMAT_RULES of the
 * format found, or `NONE`, or `REJECTED` (a format's check refused the literal). A data: URL is none.
 */
export function formatInText(text: string, from: number, to: number): number {
  return isDataUrl(text, from) ? NONE : formatIn(text, from, to, null);
}

/** The format a decoded literal's value matches, as formatInText. */
export function formatInValue(value: string): number {
  return isDataUrl(value, 0) ? NONE : formatIn(value, 0, value.length, value);
}

/**
 * Whether the one-token literal `token` may hide a credential its text does not show: escapes
 * (`"\x73k_live_…"`), or `{{` in an f-string and CR in a template, which shift positions. Its
 * value is then searched too (a literal of several tokens, `"sk_" "live_…"`, always is).
 */
export function mayHideInText(buf: TokenBuffer, token: number): boolean {
  return (buf.aux[token]! & (S_ESCAPE | S_FORMAT | S_TEMPLATE)) !== 0;
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
