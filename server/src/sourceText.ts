// Turning a source file's bytes into the text the language service reads, shared by the editor's
// workspace index and `secrets-vault check` so that both skip the same files and count offsets alike.

import { isAscii } from 'node:buffer';

/** Bytes looked at for a NUL to call a file binary, as git does. */
export const BINARY_SNIFF = 8192;

/** Whether the file looks binary: a NUL byte near the start, as git decides. */
export function looksBinary(bytes: Uint8Array): boolean {
  return bytes.subarray(0, BINARY_SNIFF).includes(0);
}

/** The file's text as an editor shows it: UTF-8, without a byte-order mark (editors drop it, so offsets must too). */
export function sourceText(bytes: Buffer): string {
  // ASCII (most source files) is the same text in Latin-1, which is copied rather than decoded (bench/check).
  if (isAscii(bytes)) return bytes.toString('latin1');
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
