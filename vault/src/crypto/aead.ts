// AES-256-GCM with a fresh 96-bit nonce per encryption and caller-supplied additional data.
// Every ciphertext in the vault goes through these two functions.

import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export interface Sealed {
  nonce: Buffer;
  /** Ciphertext followed by the 16-byte GCM tag. */
  ciphertext: Buffer;
}

export function seal(key: Buffer, plaintext: Buffer, aad: Buffer): Sealed {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(aad);
  const body = cipher.update(plaintext);
  const final = cipher.final();
  return { nonce, ciphertext: Buffer.concat([body, final, cipher.getAuthTag()]) };
}

/** Thrown when a ciphertext fails authentication: tampered, moved, or under the wrong key. */
export class DecryptionError extends Error {
  constructor(what: string) {
    super(`Could not decrypt ${what}: the stored data failed authentication.`);
    this.name = 'DecryptionError';
  }
}

export function open(key: Buffer, sealed: Sealed, aad: Buffer, what: string): Buffer {
  const plain = openOrUndefined(key, sealed, aad);
  if (plain === undefined) throw new DecryptionError(what);
  return plain;
}

/** open() without the error: undefined when the ciphertext fails authentication (the caller names what failed). */
export function openOrUndefined(key: Buffer, sealed: Sealed, aad: Buffer): Buffer | undefined {
  if (sealed.nonce.length !== NONCE_BYTES || sealed.ciphertext.length < TAG_BYTES) return undefined;
  const tag = sealed.ciphertext.subarray(sealed.ciphertext.length - TAG_BYTES);
  const body = sealed.ciphertext.subarray(0, sealed.ciphertext.length - TAG_BYTES);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.nonce);
    decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    const plain = decipher.update(body);
    decipher.final(); // throws unless the tag authenticates; GCM returns no further bytes
    return plain;
  } catch {
    return undefined;
  }
}

/** Additional data: length-prefixed parts, so that ('ab','c') and ('a','bc') never collide. */
export function aad(...parts: (string | number)[]): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const b = Buffer.from(String(part), 'utf8');
    const len = Buffer.alloc(4);
    len.writeUInt32BE(b.length);
    chunks.push(len, b);
  }
  return Buffer.concat(chunks);
}
