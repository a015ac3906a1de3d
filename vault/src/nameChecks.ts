// Names the vault refuses for what they are, not how they are spelled (protocol/names.ts does that).
//
// Credentials sent where a name goes. The editor and `check` never quote a name the credential
// detector says is a credential (protocol/credentials/credentialIn.ts); the vault judges every
// name, key, agent id and reason it receives by the same detector, so that a value passed where a
// name goes (`get_secret(get_secret('stripe_key'))`, an assistant's slip) is never echoed in an
// answer, an audit record, an event or an access request. A request that must still be recorded
// (a denied run-time read) is recorded under the credential's digest, never the text.

import { createHash } from 'node:crypto';
import { credentialIn, type CredentialVerdict } from '../../protocol/credentials/credentialIn';
import type { NamingStyle } from '../../protocol/names';
import { injectionNotice } from '../../protocol/processEnv';
import { MAX_ACCESS_REQUEST_REASON } from '../../protocol/api';
import { firstUnsafeCodePoint } from '../../protocol/safeText';
import { problems } from './errors';

/**
 * What the audit records instead of a credential: `credential sha256:` and the first 12 hex digits
 * of its SHA-256, in groups of four (so that the record itself is never judged a credential). It
 * tells two such reads apart and links them to each other, and reveals nothing: the detector flags
 * only high-entropy text.
 */
export function credentialDigest(text: string): string {
  const hex = createHash('sha256').update(text, 'utf8').digest('hex');
  return `credential sha256:${hex.slice(0, 4)}-${hex.slice(4, 8)}-${hex.slice(8, 12)}`;
}

/** `text`, or its digest when it is a credential: for a record that must name what was asked. */
export function auditableName(text: string): string {
  return credentialInText(text) === null ? text : credentialDigest(text);
}

/**
 * The credential in `text`, judged whole and, for a text with spaces (a reason, a name such as
 * 'Prod API Credentials', an assistant's target), word by word: a key pasted into a sentence.
 */
export function credentialInText(text: string): CredentialVerdict | null {
  const whole = credentialIn(text);
  if (whole !== null || !/\s/.test(text)) return whole;
  for (const word of text.split(/\s+/)) {
    const verdict = credentialIn(word);
    if (verdict !== null) return verdict;
  }
  return null;
}

/**
 * Refuses (400 credential_in_name, naming the field, never the text) when any of `fields`' texts
 * holds a credential (credentialInText). A list (keys) is judged item by item; undefined is skipped.
 */
export function refuseCredentials(fields: Readonly<Record<string, string | readonly string[] | undefined>>): void {
  for (const [field, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    for (const text of typeof value === 'string' ? [value] : value) {
      const verdict = credentialInText(text);
      if (verdict !== null) throw problems.credentialInName(field, verdict.kind);
    }
  }
}

/**
 * refuseCredentials for names of things that may exist (a secret's name, an agent id): a
 * provider's credential is always refused; text that only looks random is refused unless `known`
 * says the account has it (real names may look random, as the editor's rule has it too).
 */
export async function refuseCredentialNames(
  fields: Readonly<Record<string, string | undefined>>,
  known: (field: string, text: string) => Promise<boolean>,
): Promise<void> {
  for (const [field, text] of Object.entries(fields)) {
    if (text === undefined) continue;
    const verdict = credentialInText(text);
    if (verdict !== null && (verdict.byFormat || !(await known(field, text)))) throw problems.credentialInName(field, verdict.kind);
  }
}

/**
 * Environment-style accounts, where a secret's name becomes a variable of every local run: a name
 * that controls a process (protocol/processEnv.ts) is refused (400 process_control_name), since no
 * run would inject it and whoever set it would be trying to.
 */
export function refuseProcessControlName(name: string, namingStyle: NamingStyle): void {
  if (namingStyle !== 'UPPER_CASE') return;
  const notice = injectionNotice(name);
  if (notice?.refused) throw problems.processControlName(notice.message);
}

/**
 * A reason (an access request's, a denial's, an access change's): trimmed, bounded, no control or
 * invisible characters (it is shown in tables and the editor), never a credential (it is kept in the
 * audit and shown to admins); the refusal names the code point, never quoting the text.
 */
export function checkReason(reason: string | undefined): string {
  const text = (reason ?? '').trim();
  if (text.length > MAX_ACCESS_REQUEST_REASON) throw problems.badRequest(`A reason is at most ${MAX_ACCESS_REQUEST_REASON} characters.`, 'reason');
  const unsafe = firstUnsafeCodePoint(text);
  if (unsafe) throw problems.badRequest(`A reason must not contain control or invisible characters (it holds ${unsafe}).`, 'reason');
  refuseCredentials({ reason: text });
  return text;
}
