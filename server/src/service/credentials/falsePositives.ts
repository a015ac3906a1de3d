// False-positive filters of the credential detector: literals that match a format or the context
// rule and are still no secret (a provider's documented example, a key issued to be public, a
// Firebase web app's API key, a field of a data record, the name of a key/value entry).

import { CH_LBRACE, CLOSE, IDENT, NUMBER, OP, OPEN, OP_COLON, STRING, TokenBuffer, tokenIs } from '../scan/tokens';
import { PUBLIC_KEY } from '../../../../protocol/credentials/credentialIn';
import { isDocumentedExample } from '../../../../protocol/credentials/formatChecks';
import { contentEnd, contentStart } from './literalDecoding';

/** Keys only a Firebase web app's configuration has beside its `apiKey`. */
const FIREBASE_CONFIG_KEYS = ['authDomain', 'messagingSenderId', 'storageBucket'];
/** Keys a data record has beside its fields, and a configuration does not (`id` only with a record's id value). */
const RECORD_KEYS = ['id', 'created_at', 'updated_at', 'createdAt', 'updatedAt'];
/** How far back the object around a literal is looked for, and how much of it is read, in tokens. */
const MAX_OBJECT_TOKENS = 2048;

/** A provider's documented example, or a key its provider issues to be public: never a finding, whatever it is called. */
export function isExampleOrPublic(value: string): boolean {
  return isDocumentedExample(value) || PUBLIC_KEY.test(value);
}

/**
 * Whether the literal at token `literal` is the API key of a Firebase web app's configuration (an
 * object with `authDomain` and its siblings): it only names the project and ships in every page;
 * Firebase's documentation says it is no secret.
 */
export function inFirebaseConfig(text: string, buf: TokenBuffer, literal: number): boolean {
  return someKey(buf, literal, (t) => FIREBASE_CONFIG_KEYS.some((key) => keyIs(text, buf, t, key)));
}

/**
 * Whether the literal at token `literal` is a field of a data record: an object with a record's `id`,
 * a timestamp, or two numeric references to other records (`product_id: 632910392`,
 * `variantId: 808950810`).
 */
export function inDataRecord(text: string, buf: TokenBuffer, literal: number): boolean {
  let references = 0;
  return someKey(buf, literal, (t) => {
    for (const key of RECORD_KEYS) if (keyIs(text, buf, t, key)) return key !== 'id' || recordId(text, buf, t + 2);
    return buf.kind[t + 2] === NUMBER && FOREIGN_ID.test(keyText(text, buf, t)) && ++references >= 2;
  });
}

/** Whether the literal at token `literal` is the `key` of an object that has a `value` too (AWS's and Kubernetes' tags and labels). */
export function isEntryName(text: string, buf: TokenBuffer, literal: number): boolean {
  return someKey(buf, literal, (t) => keyIs(text, buf, t, 'value') || keyIs(text, buf, t, 'Value'));
}

/**
 * Whether the literal at token `s` is a value in an object or dict (it follows a `:`) with a
 * top-level key (the token before a `:`) that `test` accepts.
 */
function someKey(buf: TokenBuffer, s: number, test: (key: number) => boolean): boolean {
  if (buf.kind[s - 1] !== OP || buf.aux[s - 1] !== OP_COLON) return false;
  let open = -1;
  for (let t = s - 1; t >= 0 && t > s - MAX_OBJECT_TOKENS; t--) {
    const kind = buf.kind[t];
    if (kind === CLOSE && buf.match[t]! >= 0) t = buf.match[t]!;
    else if (kind === OPEN) {
      if (buf.aux[t] === CH_LBRACE) open = t;
      break;
    }
  }
  const close = open >= 0 ? buf.match[open]! : -1;
  if (close < 0) return false;
  const last = Math.min(close - 1, open + MAX_OBJECT_TOKENS);
  for (let t = open + 1; t < last; t++) {
    if (buf.kind[t] === OPEN && buf.match[t]! > t) {
      t = buf.match[t]!;
      continue;
    }
    if (buf.kind[t + 1] === OP && buf.aux[t + 1] === OP_COLON && test(t)) return true;
  }
  return false;
}

/** A key that names another record's id: `product_id`, `variantId`. */
const FOREIGN_ID = /^\w+(?:_id|Id|ID)$/;

/** The text of a key token: a name, or a string literal's content. */
function keyText(text: string, buf: TokenBuffer, t: number): string {
  if (buf.kind[t] === STRING) return text.slice(contentStart(buf, t), contentEnd(buf, t));
  return buf.kind[t] === IDENT ? text.slice(buf.start[t]!, buf.end[t]!) : '';
}

/** A record's id as a string: digits, hex (`c72185ef93b358d7`, a MongoDB ObjectId), or a UUID. */
const ID_VALUE = /^(?:[0-9]+|[0-9a-f]{8,}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/**
 * Whether the value at token `t` is a record's id: a number, digits, hex, a UUID, or null. A
 * configuration's `id` names something (`id: "my-provider"` in an OAuth provider's settings) and
 * makes no record.
 */
function recordId(text: string, buf: TokenBuffer, t: number): boolean {
  const kind = buf.kind[t];
  if (kind === NUMBER) return true;
  if (kind === IDENT) return tokenIs(text, buf, t, 'null') || tokenIs(text, buf, t, 'None');
  if (kind !== STRING || buf.end[t]! - buf.start[t]! > 40) return false;
  return ID_VALUE.test(text.slice(contentStart(buf, t), contentEnd(buf, t)));
}

/** Whether token `t` is the object key `word`: a name, or a plain string literal. */
function keyIs(text: string, buf: TokenBuffer, t: number, word: string): boolean {
  if (buf.kind[t] === IDENT) return tokenIs(text, buf, t, word);
  if (buf.kind[t] !== STRING) return false;
  const from = contentStart(buf, t);
  return contentEnd(buf, t) - from === word.length && text.startsWith(word, from);
}
