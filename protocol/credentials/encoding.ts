// The encodings some credential formats carry a check in: GitHub's and npm's CRC32 in base62, and
// the base64url header of a JSON Web Token. Small and allocation-free where it matters.

const CRC_TABLE = (() => {
  const table = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c;
  }
  return table;
})();

/** CRC-32 (IEEE, as zlib) of the characters [from, to) of `s`, each taken as one byte (ASCII input). */
export function crc32(s: string, from = 0, to = s.length): number {
  let c = -1;
  for (let i = from; i < to; i++) c = CRC_TABLE[(c ^ s.charCodeAt(i)) & 0xff]! ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

/** The base62 digit value of a character code (0-9, A-Z, a-z, in that order), or -1. */
function base62Digit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 90) return c - 55;
  if (c >= 97 && c <= 122) return c - 61;
  return -1;
}

/**
 * GitHub's tokens (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`) and npm's (`npm_`) end in a checksum:
 * the CRC-32 of the 30 random characters after the prefix, in base62 (0-9A-Za-z), left-padded with
 * zeros to 6 characters (github.blog, 2021-04-05, "Behind GitHub's new authentication token
 * formats"). The token's random part is s[bodyStart, end - 6); the checksum is s[end - 6, end).
 */
export function base62ChecksumOk(s: string, bodyStart: number, end: number): boolean {
  const checksumStart = end - 6;
  if (checksumStart - bodyStart < 1) return false;
  let value = 0;
  for (let i = checksumStart; i < end; i++) {
    const d = base62Digit(s.charCodeAt(i));
    if (d < 0) return false;
    value = value * 62 + d;
  }
  return value === crc32(s, bodyStart, checksumStart);
}

const B64_VALUES = (() => {
  const v = new Int8Array(128).fill(-1);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  for (let i = 0; i < alphabet.length; i++) v[alphabet.charCodeAt(i)] = i;
  v[43] = 62; // +
  v[45] = 62; // -
  v[47] = 63; // /
  v[95] = 63; // _
  return v;
})();

/** Bytes decoded by decodeBytes, reused from call to call. */
let decoded = new Uint8Array(256);

/**
 * Decodes base64 or base64url s[from, to) (padding optional) into `decoded`: the number of bytes,
 * or -1 when a character is outside the alphabet.
 */
function decodeBytes(s: string, from: number, to: number): number {
  while (to > from && s.charCodeAt(to - 1) === 61) to--;
  const max = ((to - from) * 3) >> 2;
  if (decoded.length < max) decoded = new Uint8Array(max * 2);
  let n = 0;
  let acc = 0;
  let bits = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    const v = c < 128 ? B64_VALUES[c]! : -1;
    if (v < 0) return -1;
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      decoded[n++] = (acc >> bits) & 0xff;
    }
  }
  return n;
}

/**
 * Decodes base64 or base64url s[from, to) when it decodes to printable ASCII text (a Basic
 * credential's `user:password`); null otherwise, as soon as a byte says so (random bytes, the
 * usual case, stop at the first or second) and without building a string.
 */
export function decodeBase64Text(s: string, from = 0, to = s.length): string | null {
  const n = decodeBytes(s, from, to);
  if (n <= 0) return null;
  for (let i = 0; i < n; i++) {
    const b = decoded[i]!;
    if (b < 0x20 || b > 0x7e) return null;
  }
  return latin1(n);
}

/**
 * Decodes base64 or base64url (padding optional) into a string of byte values (Latin-1), or null
 * when a character is outside the alphabet. For short inputs: a Basic credential.
 */
export function decodeBase64(s: string, from = 0, to = s.length): string | null {
  const n = decodeBytes(s, from, to);
  if (n < 0) return null;
  return latin1(n);
}

/** The first `n` decoded bytes as a string of byte values, a chunk of them per call. */
function latin1(n: number): string {
  let out = '';
  for (let i = 0; i < n; i += LATIN1_CHUNK) out += String.fromCharCode.apply(null, decoded.subarray(i, Math.min(n, i + LATIN1_CHUNK)) as unknown as number[]);
  return out;
}

/** Bytes per String.fromCharCode call: far below any engine's limit on arguments. */
const LATIN1_CHUNK = 4096;

/**
 * Whether base64 or base64url text s[from, to) (padding optional; every character in the
 * alphabet) decodes to bytes that contain `needle` (ASCII): decodeBase64(…).includes(needle)
 * without building a string. For a JWT's header, checked on every JWT-shaped literal.
 */
export function base64Includes(s: string, from: number, to: number, needle: string): boolean {
  const n = decodeBytes(s, from, to);
  const first = needle.charCodeAt(0);
  const last = n - needle.length;
  outer: for (let i = 0; i <= last; i++) {
    if (decoded[i] !== first) continue;
    for (let k = 1; k < needle.length; k++) if (decoded[i + k] !== needle.charCodeAt(k)) continue outer;
    return true;
  }
  return false;
}
