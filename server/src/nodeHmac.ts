// Gives the language service node:crypto's HMAC (see protocol/credentials/hmac.ts): imported, for
// this effect, by the language server and the check engine, which run the service in Node.

import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import { provideHmac } from '../../protocol/credentials/hmac';

/** The keys asked for (the JWT rule's few published ones), prepared once: a tenth off each HMAC. */
const keys = new Map<string, KeyObject>();

provideHmac((hash, key, data) => {
  let prepared = keys.get(key);
  if (prepared === undefined) {
    prepared = createSecretKey(Buffer.from(key, 'utf8'));
    if (keys.size < 64) keys.set(key, prepared);
  }
  return createHmac(hash, prepared).update(data).digest('base64url');
});
