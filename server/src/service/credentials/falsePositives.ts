// False-positive filters of the credential detector: literals that match a format or the context
// rule and are still no secret (a provider's documented example, a key issued to be public, a
// Firebase web app's API key, a field of a data record, the name of a key/value entry). The last
// three read the keys beside a literal as the front end recorded them (scan/literalContexts.ts).

import { IDENT, NUMBER, STRING, type TokenBuffer, tokenIs } from '../scan/tokens';
import type { LiteralContexts } from '../scan/literalContexts';
import { PUBLIC_KEY } from '../../../../protocol/credentials/credentialIn';
import { isDocumentedExample } from '../../../../protocol/credentials/formatChecks';
import { contentEnd, contentStart } from './literalDecoding';

/** Keys only a Firebase web app's configuration has beside its `apiKey`. */
const FIREBASE_CONFIG_KEYS = ['authDomain', 'messagingSenderId', 'storageBucket'];
/** Keys a data record has beside its fields, and a configuration does not (`id` only with a record's id value). */
const RECORD_KEYS = ['id', 'created_at', 'updated_at', 'createdAt', 'updatedAt'];

/** A provider's documented example, or a key its provider issues to be public: never a finding, whatever it is called. */
export function isExampleOrPublic(value: string): boolean {
  return isDocumentedExample(value) || PUBLIC_KEY.test(value);
}

// What a literal's sibling keys say (the bits of a dict's verdict).
/** A Firebase web app's configuration. */
const FIREBASE_CONFIG = 1;
/** A data record. */
const DATA_RECORD = 2;
/** A key/value entry (it has a `value`). */
const ENTRY = 4;

/**
 * The dicts and object literals of one document, as its front end recorded them
 * (scan/literalContexts.ts's entries): whether a literal is the value of an entry, and what the keys
 * beside it say. Each literal's keys are read once, along the front end's chain of its entries,
 * however many of its values are asked about.
 */
export class SiblingKeys {
  /** Each literal's verdict (the bits above), by its first entry. */
  private verdicts: Map<number, number> | null = null;

  constructor(
    private readonly text: string,
    private readonly buf: TokenBuffer,
    private readonly contexts: LiteralContexts,
  ) {}

  /**
   * Whether the literal at token `literal` is the API key of a Firebase web app's configuration (an
   * object with `authDomain` and its siblings): it only names the project and ships in every page;
   * Firebase's documentation says it is no secret.
   */
  inFirebaseConfig(literal: number): boolean {
    return (this.verdict(literal) & FIREBASE_CONFIG) !== 0;
  }

  /**
   * Whether the literal at token `literal` is a field of a data record: an object with a record's `id`,
   * a timestamp, or two numeric references to other records (`product_id: 632910392`,
   * `variantId: 808950810`).
   */
  inDataRecord(literal: number): boolean {
    return (this.verdict(literal) & DATA_RECORD) !== 0;
  }

  /** Whether the literal at token `literal` is the `key` of an object that has a `value` too (AWS's and Kubernetes' tags and labels). */
  isEntryName(literal: number): boolean {
    return (this.verdict(literal) & ENTRY) !== 0;
  }

  /** The verdict on the keys beside the literal at token `literal` when it is an entry's value (the whole value), else 0. */
  private verdict(literal: number): number {
    const { contexts } = this;
    const entry = contexts.entryAt(literal);
    if (entry < 0) return 0;
    const first = contexts.firstEntry(entry);
    this.verdicts ??= new Map();
    let verdict = this.verdicts.get(first);
    if (verdict === undefined) {
      verdict = this.read(first);
      this.verdicts.set(first, verdict);
    }
    return verdict;
  }

  /** What the keys of the literal whose first entry is `first` say. */
  private read(first: number): number {
    const { text, buf, contexts } = this;
    let verdict = 0;
    let references = 0;
    for (let e = first; e >= 0; e = contexts.nextEntry(e)) {
      const key = contexts.entryKey(e);
      if (key < 0) continue;
      if (FIREBASE_CONFIG_KEYS.some((word) => keyIs(text, buf, key, word))) verdict |= FIREBASE_CONFIG;
      if (keyIs(text, buf, key, 'value') || keyIs(text, buf, key, 'Value')) verdict |= ENTRY;
      const value = contexts.entryValue(e);
      const recordKey = RECORD_KEYS.find((word) => keyIs(text, buf, key, word));
      if (recordKey !== undefined) {
        if (recordKey !== 'id' || recordId(text, buf, value)) verdict |= DATA_RECORD;
      } else if (buf.kind[value] === NUMBER && FOREIGN_ID.test(keyText(text, buf, key)) && ++references >= 2) verdict |= DATA_RECORD;
    }
    return verdict;
  }
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
