// Names, keys and contexts come from the document, and a credential pasted where a name goes is
// still a credential: each one is judged by the credential detector before a
// message, a title, a suggestion or a hover quotes it, and one that is a credential is described
// by its kind, never quoted.

import { safeText } from '../../../../protocol/safeText';
import { credentialIn, type CredentialVerdict } from '../credentials';
import type { SecretEntry, VaultModel } from '../model/model';

/** The last text judged: a diagnostic's message quotes the name its reference was just judged for. */
let lastText: string | null = null;
let lastVerdict: CredentialVerdict | null = null;

/**
 * The credential `text` is, when written where a name goes; null for a name. Diagnostics ask for
 * every reference's name, so this must stay cheap: a name stops at the detector's prefix table and
 * its word-length test (a fraction of a µs); only one long run without separators is measured for
 * randomness. A cache of all verdicts measured slower than judging again (a workspace's names
 * outgrow it); only the last one is kept.
 */
export function credentialName(text: string): CredentialVerdict | null {
  if (text !== lastText) {
    lastVerdict = credentialIn(text);
    lastText = text;
  }
  return lastVerdict;
}

/** Verdicts on the vault's own names, judged once per entry (a change of a secret makes a new entry). */
const entryVerdicts = new WeakMap<SecretEntry, CredentialVerdict | null>();

function entryCredential(entry: SecretEntry): CredentialVerdict | null {
  let verdict = entryVerdicts.get(entry);
  if (verdict === undefined) {
    verdict = credentialIn(entry.info.name);
    entryVerdicts.set(entry, verdict);
  }
  return verdict;
}

/**
 * The credential a secret read's name is, as the diagnostics report it: a provider's format
 * always; the random shape alone only when the vault has no secret of that name. Most references
 * name a secret the vault has, whose verdict is kept with its entry.
 */
export function credentialRead(name: string, model: VaultModel): CredentialVerdict | null {
  return credentialOfRead(name, model.ready ? model.secret(name) : undefined);
}

/** credentialRead for a name whose entry the caller has looked up (undefined: none, or the vault is not ready). */
export function credentialOfRead(name: string, entry: SecretEntry | undefined): CredentialVerdict | null {
  if (entry === undefined) return credentialName(name);
  const verdict = entryCredential(entry);
  return verdict !== null && verdict.byFormat ? verdict : null;
}

/** quoted() for a secret of the vault. */
export function quotedSecret(entry: SecretEntry): string {
  const verdict = entryCredential(entry);
  return verdict === null ? `'${safeText(entry.info.name)}'` : `named by ${withArticle(verdict.kind)} (not shown)`;
}

/** `a Stripe secret key`, `an AWS access key ID`. */
export function withArticle(kind: string): string {
  return `${/^[AEIOaeio]/.test(kind) ? 'an' : 'a'} ${kind}`;
}

/**
 * `'name'`, or for a credential `named by a GitHub personal access token (not shown)`: words that
 * read after "Secret" or "key". A name comes from the document: a control or bidirectional-control
 * character in it is shown as an escape (`\u202e`), so that a message cannot be reordered or split.
 */
export function quoted(text: string): string {
  const verdict = credentialName(text);
  return verdict === null ? `'${safeText(text)}'` : `named by ${withArticle(verdict.kind)} (not shown)`;
}

/** Plain quoting in a message (`'…'`) with every quoted credential described instead: a last guard for messages built elsewhere. */
export function scrubQuoted(message: string): string {
  return message.replace(/'([^'\n]{8,})'/g, (whole, inner: string) => (credentialName(inner) === null ? whole : quoted(inner)));
}

/**
 * Whether every string literal in `code` is closed on its line and shorter than a credential can be
 * (under 8 characters: `env == 'live'`), so that scrubCode leaves it as it is: CODE_LITERAL's
 * matches found without the regular expression. A backslash in a literal (an escape, which may carry
 * it past its quote) leaves the answer to CODE_LITERAL.
 */
function onlyShortLiterals(code: string): boolean {
  const n = code.length;
  for (let i = 0; i < n; i++) {
    const c = code.charCodeAt(i);
    if (c !== 34 && c !== 39 && c !== 96) continue; // " ' `
    let j = i + 1;
    while (j < n) {
      const d = code.charCodeAt(j);
      if (d === c || d === 10 || d === 92) break;
      j++;
    }
    if (j >= n || code.charCodeAt(j) !== c || j - i - 1 >= 8) return false;
    i = j;
  }
  return true;
}

/** A string literal in a quoted piece of code, closed or cut off by the end of the piece (any prefix before it stays). */
const CODE_LITERAL = /(["'`])((?:\\.|(?!\1)[^\\\n])*)(\1|$)/g;

/**
 * A piece of code as a message quotes it (a test, the part of a name the editor cannot follow),
 * with every string literal in it that is a credential described instead of shown:
 * `decode("sk_live_…")` reads `decode(<a Stripe secret key, not shown>)`. A literal the piece's end
 * cuts off (the scanner quotes at most a few dozen characters) cannot be judged, so none of its text
 * is shown: `decode("…`.
 */
export function scrubCode(code: string): string {
  if (code.length < 10 || onlyShortLiterals(code)) return code;
  return code.replace(CODE_LITERAL, (whole, quote: string, inner: string, close: string) => {
    if (close === '') return inner === '' ? whole : `${quote}…`;
    if (inner.length < 8) return whole;
    const verdict = credentialName(inner);
    return verdict === null ? whole : `<${withArticle(verdict.kind)}, not shown>`;
  });
}
