// propose_secret's link, signed with the key the editor gave this server for its session
// (protocol/assistantClient.ts says what is signed; client/src/core/createSecretLinks.ts verifies).
// The key stays in this process: read once from the environment, removed from it, never logged.

import { createHmac, randomBytes } from 'node:crypto';
import { CREATE_SECRET_LINK_KEY_ENV, createSecretLink, createSecretLinkPayload, type CreateSecretLink } from '../../../protocol/assistantClient';

/** The session's key from `env` (removed from it, so that no child process inherits it), or undefined when the editor gave none. */
export function takeLinkKey(env: NodeJS.ProcessEnv): Buffer | undefined {
  const text = env[CREATE_SECRET_LINK_KEY_ENV];
  delete env[CREATE_SECRET_LINK_KEY_ENV];
  if (text === undefined || !/^[A-Za-z0-9_-]{43}$/.test(text)) return undefined;
  return Buffer.from(text, 'base64url');
}

/** A link that fills the Create Secret form in with `fields`, made now, with a fresh nonce. */
export function signedCreateSecretLink(key: Uint8Array, fields: CreateSecretLink, now = Date.now()): string {
  const once = randomBytes(18).toString('base64url');
  const sig = createHmac('sha256', key).update(createSecretLinkPayload({ ...fields, once, at: now })).digest('base64url');
  return createSecretLink({ ...fields, once, at: now, sig });
}
