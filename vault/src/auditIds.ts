// Audit record ids as clients see them. The store names a record by its file and row (`v12`,
// `a7`), which would tell an account how many records the whole vault wrote between two of its own
// (other accounts' reads included). Clients get that name encrypted instead: one AES block under a
// key derived from the vault's token key, so ids are opaque and stable (a paging cursor still
// works), and a made-up id fails to decode (7 zero bytes must come back) rather than naming a row.

import { createCipheriv, createDecipheriv } from 'node:crypto';

const ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

export class AuditIdCodec {
  constructor(private readonly key: Buffer) {
    if (key.length !== 16) throw new Error('The audit id key is 16 bytes.');
  }

  /** `v12` → 22 base64url characters. */
  encode(storeId: string): string {
    const m = /^([av])([1-9][0-9]{0,15})$/.exec(storeId);
    if (!m) throw new Error(`Not a store audit id: ${storeId}`);
    const block = Buffer.alloc(16);
    block[0] = m[1]!.charCodeAt(0);
    block.writeBigUInt64BE(BigInt(m[2]!), 1);
    const c = createCipheriv('aes-128-ecb', this.key, null).setAutoPadding(false);
    return Buffer.concat([c.update(block), c.final()]).toString('base64url');
  }

  /** The store's id, or undefined for anything this vault did not hand out. */
  decode(id: string): string | undefined {
    if (!ID_PATTERN.test(id)) return undefined;
    const raw = Buffer.from(id, 'base64url');
    if (raw.length !== 16) return undefined;
    const d = createDecipheriv('aes-128-ecb', this.key, null).setAutoPadding(false);
    const block = Buffer.concat([d.update(raw), d.final()]);
    const source = String.fromCharCode(block[0]!);
    if ((source !== 'a' && source !== 'v') || !block.subarray(9).equals(Buffer.alloc(7))) return undefined;
    const row = block.readBigUInt64BE(1);
    return row >= 1n && row < 10n ** 16n ? `${source}${row}` : undefined;
  }
}
