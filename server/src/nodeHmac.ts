// Gives the language service node:crypto's HMAC (see service/credentials/hmac.ts): imported, for
// this effect, by the language server and the check engine, which run the service in Node.

import { createHmac } from 'node:crypto';
import { provideHmac } from './service/credentials/hmac';

provideHmac((hash, key, data) => createHmac(hash, key).update(data).digest('base64url'));
