// Whether a Create Secret link (vscode://secrets-vault.secrets-vault/create-secret?…) may fill the
// form in: only when the Secrets Vault server this editor runs for its assistants made it
// (propose_secret signs it with the session's key: protocol/assistantClient.ts), recently, and it
// was never opened before. Any other link opens the form empty, and the form says why. Pure: the
// key, the clock and the record of opened nonces are given.

import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  CREATE_SECRET_LINK_LIFETIME_MS,
  createSecretLinkPayload,
  type CreateSecretLink,
  type ParsedCreateSecretLink,
} from '../../../protocol/assistantClient';
import type { CreateFormOrigin } from '../../../protocol/webview';

/** Why a link's fields were not filled in. */
export type LinkRefusal = 'unsigned' | 'altered' | 'expired' | 'replayed';

export type LinkVerdict =
  /** A link with nothing to fill in: the form opens as the palette opens it. */
  | { kind: 'empty' }
  | { kind: 'signed'; fields: CreateSecretLink; at: number }
  | { kind: 'refused'; reason: LinkRefusal };

/** A clock skew allowed for a link made "in the future" (the server runs on the same machine). */
const FUTURE_SKEW_MS = 60 * 1000;

/**
 * The verdict on a parsed link. `claim(once)` is asked last, only for a link that is otherwise
 * good, and answers true the first time a nonce is claimed (UsedLinks.claim).
 */
export function verifyCreateSecretLink(link: ParsedCreateSecretLink, key: Uint8Array, now: number, claim: (once: string) => boolean): LinkVerdict {
  if (!link.prefills && !link.proof) return { kind: 'empty' };
  if (!link.proof) return { kind: 'refused', reason: 'unsigned' };
  if (!link.fields) return { kind: 'refused', reason: 'altered' };
  const { once, at, sig } = link.proof;
  const expected = createHmac('sha256', key).update(createSecretLinkPayload({ ...link.fields, once, at })).digest();
  const given = Buffer.from(sig, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { kind: 'refused', reason: 'altered' };
  if (at > now + FUTURE_SKEW_MS || now - at > CREATE_SECRET_LINK_LIFETIME_MS) return { kind: 'refused', reason: 'expired' };
  if (!claim(once)) return { kind: 'refused', reason: 'replayed' };
  return { kind: 'signed', fields: link.fields, at };
}

/** What the form says about where its fields came from, or why it has none. */
export function linkOrigin(verdict: LinkVerdict): CreateFormOrigin | undefined {
  switch (verdict.kind) {
    case 'empty':
      return undefined;
    case 'signed':
      return { kind: 'assistant', tool: 'propose_secret', at: new Date(verdict.at).toISOString() };
    case 'refused':
      return { kind: 'refused', message: REFUSALS[verdict.reason] };
  }
}

/** What the Create Secret form opens with for a verdict: the fields of a signed link only, and where they came from. */
export function linkTarget(verdict: LinkVerdict): { prefill?: CreateSecretLink; origin?: CreateFormOrigin } {
  const origin = linkOrigin(verdict);
  return { ...(verdict.kind === 'signed' ? { prefill: verdict.fields } : {}), ...(origin ? { origin } : {}) };
}

const REFUSALS: Record<LinkRefusal, string> = {
  unsigned: 'This link was not made by your Secrets Vault assistant: its fields were not filled in.',
  altered: 'This link was not made by your Secrets Vault assistant, or was changed after: its fields were not filled in.',
  expired: `This link from your Secrets Vault assistant is more than ${CREATE_SECRET_LINK_LIFETIME_MS / 60000} minutes old: its fields were not filled in. Ask the assistant to propose the secret again.`,
  replayed: 'This link was opened before (each link fills the form in once): its fields were not filled in. Ask the assistant to propose the secret again.',
};
