// Names, keys and contexts come from the document, and a credential pasted where a name goes is
// still a credential (issue 32, finding 3): each one is judged by the credential detector before a
// message, a title, a suggestion or a hover quotes it, and one that is a credential is described
// by its kind, never quoted. Diagnostics judge a name per reference, so verdicts are cached by name.

import { credentialIn, type CredentialVerdict } from './credentials';
import type { VaultModel } from './model';

/** Shorter text is never a credential to the detector (its shortest literal): no lookup at all. */
const MIN_JUDGED = 8;
/** Verdicts kept; past this the cache starts again (names repeat far less than this within a session). */
const MAX_CACHED = 4096;
const verdicts = new Map<string, CredentialVerdict | null>();

/** The credential `text` is, when written where a name goes; null for a name. */
export function credentialName(text: string): CredentialVerdict | null {
  if (text.length < MIN_JUDGED) return null;
  let verdict = verdicts.get(text);
  if (verdict === undefined) {
    if (verdicts.size >= MAX_CACHED) verdicts.clear();
    verdict = credentialIn(text);
    verdicts.set(text, verdict);
  }
  return verdict;
}

/**
 * The credential a secret read's name is, as the diagnostics report it: a provider's format
 * always; the random shape alone only when the vault has no secret of that name.
 */
export function credentialRead(name: string, model: VaultModel): CredentialVerdict | null {
  const verdict = credentialName(name);
  if (verdict === null || verdict.byFormat || !model.ready) return verdict;
  return model.secret(name) === undefined ? verdict : null;
}

/** `a Stripe secret key`, `an AWS access key ID`. */
export function withArticle(kind: string): string {
  return `${/^[AEIOaeio]/.test(kind) ? 'an' : 'a'} ${kind}`;
}

/** `'name'`, or for a credential `named by a GitHub personal access token (not shown)`: words that read after "Secret" or "key". */
export function quoted(text: string): string {
  const verdict = credentialName(text);
  return verdict === null ? `'${text}'` : `named by ${withArticle(verdict.kind)} (not shown)`;
}

/** Plain quoting in a message (`'…'`) with every quoted credential described instead: a last guard for messages built elsewhere. */
export function scrubQuoted(message: string): string {
  return message.replace(/'([^'\n]{8,})'/g, (whole, inner: string) => (credentialName(inner) === null ? whole : quoted(inner)));
}
