// HMAC for one check of the JWT rule: a token whose signature verifies with a key documentation
// publishes is a fixture (formatChecks.ts, signedWithPublishedKey). The language service is pure
// (no node built-ins, no libraries: ARCHITECTURE.md), so the host that runs it in Node hands it
// node:crypto's HMAC when it starts (server/src/nodeHmac.ts, from the language server and the check
// engine). Without one, no signature is checked and such tokens are reported like any other JWT.

/** HMAC of `data` under `key` with `hash`, as base64url (a JWT signature's encoding). */
export type Hmac = (hash: 'sha256' | 'sha384' | 'sha512', key: string, data: string) => string;

let provided: Hmac | null = null;

/** Sets (or, with null, removes) the HMAC the JWT rule uses. */
export function provideHmac(hmac: Hmac | null): void {
  provided = hmac;
}

/** The HMAC the host gave, or null. */
export function providedHmac(): Hmac | null {
  return provided;
}
