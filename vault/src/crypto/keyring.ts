// Envelope encryption. Values are sealed under a data key; data keys (and the HMAC key that digests
// tokens) are stored in the database wrapped under a master key. Rotation makes a new data key
// (and, with a key file, a new master key), re-seals every value in small transactions while the
// service keeps running, then drops what is no longer used.

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SecretValue } from '../../../protocol/names';
import type { DataKeyRow, SealedValue, VaultStore } from '../store/types';
import { aad, KEY_BYTES, open, openOrUndefined, seal, DecryptionError } from './aead';
import { FileMasterKey, MasterKeyError, newKeyMaterial, newMasterKeyId, type MasterKeySource } from './master';

/** The meta row that holds the wrapped token key. */
export const TOKEN_KEY_META = 'token_key';
/**
 * The meta row the schema migration that adds value MACs sets to 'pending': the values written before
 * it have none, and only the service (holding the key) can compute them. Set to 'done' once it has.
 */
export const VALUE_MAC_META = 'value_macs';
const TAG_BYTES = 16;

/** A sealed value whose MAC was verified for these coordinates, with their additional data. */
interface VerifiedValue {
  accountId: string;
  name: string;
  valueVersion: number;
  aad: Buffer;
}

export interface WrappedKey {
  masterId: string;
  nonce: Buffer;
  wrapped: Buffer;
}

export interface RotationReport {
  dataKey: string;
  masterKey: string;
  masterRotated: boolean;
  resealed: number;
  droppedDataKeys: string[];
  /** Values that failed authentication: left as they are, under their old key, which is kept. */
  unreadable: { accountId: string; name: string }[];
}

export class Keyring {
  private readonly dataKeys = new Map<string, Buffer>();
  private tokenKey!: Buffer;
  private macKey!: Buffer;
  /**
   * Sealed current values whose MAC this process has verified, with the coordinates it was verified
   * for and their additional data: a store's run-time cache hands out the same object on every hit,
   * so the hot path computes one HMAC and one AAD per cached entry, not one per read.
   */
  private readonly verified = new WeakMap<SealedValue, VerifiedValue>();
  /** Existing values given a MAC at open (the upgrade of a vault written before MACs), for a notice. */
  macsAdded = 0;

  private constructor(
    private readonly store: VaultStore,
    private readonly master: MasterKeySource,
  ) {}

  /**
   * Opens the keyring of a vault, creating the first data key and token key on a new vault.
   * Throws MasterKeyError when the master key cannot unwrap them: the service must not start.
   */
  static async open(store: VaultStore, master: MasterKeySource, now = new Date().toISOString()): Promise<Keyring> {
    const ring = new Keyring(store, master);
    if ((await store.keys.activeDataKeyId()) === undefined) {
      await ring.addDataKey(now);
      await store.keys.setMeta(TOKEN_KEY_META, encodeWrapped(ring.wrap(randomBytes(KEY_BYTES), 'token-key')));
    }
    // Unwrap everything now: a wrong master key is found at start, not at the first request.
    for (const k of await store.keys.listDataKeys()) ring.dataKeys.set(k.id, ring.unwrap(k, dataKeyLabel(k.id)));
    const tokenKey = await store.keys.getMeta(TOKEN_KEY_META);
    if (!tokenKey) throw new MasterKeyError('This vault has data keys but no token key: the database is incomplete.');
    ring.tokenKey = ring.unwrap(decodeWrapped(tokenKey), 'token-key');
    ring.macKey = createHmac('sha256', ring.tokenKey).update('secrets-vault current-value mac key v1', 'utf8').digest();
    await ring.addMissingMacs();
    return ring;
  }

  /**
   * The MAC that marks a sealed value as its secret's current one. The AEAD
   * binds a ciphertext to its own account, name and value version, so an older value copied over
   * the current row with its version still opened; the MAC, under a key derived from the token key
   * (which only the master key unwraps, never in the database in the clear), is written only with
   * the current row and never kept with older values, so a database writer cannot make one for
   * another ciphertext. It covers the nonce and the GCM tag, which authenticate the ciphertext.
   */
  valueMac(accountId: string, name: string, valueVersion: number, sealed: SealedValue): Buffer {
    const tag = sealed.ciphertext.subarray(Math.max(0, sealed.ciphertext.length - TAG_BYTES));
    return createHmac('sha256', this.macKey).update(aad('current-value', accountId, name, valueVersion, sealed.keyId)).update(sealed.nonce).update(tag).digest();
  }

  /** Throws DecryptionError unless `sealed` carries the MAC of the current value of this secret at this value version. */
  private verifyCurrent(accountId: string, name: string, valueVersion: number, sealed: SealedValue): VerifiedValue {
    const seen = this.verified.get(sealed);
    if (seen !== undefined && seen.accountId === accountId && seen.name === name && seen.valueVersion === valueVersion) return seen;
    const mac = sealed.mac;
    if (!mac || mac.length !== 32 || !timingSafeEqual(mac, this.valueMac(accountId, name, valueVersion, sealed))) {
      throw new DecryptionError(`secret '${name}'`);
    }
    // Its additional data kept with it: building it was a tenth of a run-time read (public coordinates only, never a value).
    const verified = { accountId, name, valueVersion, aad: valueAad(accountId, name, valueVersion, sealed.keyId) };
    this.verified.set(sealed, verified);
    return verified;
  }

  /**
   * The upgrade step SQL cannot do: MACs for the values a vault held before they existed, once, when
   * the migration has marked them pending. Compare-and-swap per row (another replica may do the same).
   */
  private async addMissingMacs(): Promise<void> {
    const marker = await this.store.keys.getMeta(VALUE_MAC_META);
    if (marker === undefined || marker.toString('utf8') !== 'pending') return;
    for (;;) {
      const batch = await this.store.keys.secretsWithoutMac(200);
      if (batch.length === 0) break;
      let added = 0;
      for (const s of batch) {
        if (await this.store.keys.setValueMac(s.accountId, s.name, s.valueVersion, s.sealed, this.valueMac(s.accountId, s.name, s.valueVersion, s.sealed))) added++;
      }
      this.macsAdded += added;
      if (added === 0) break; // another process is on the same rows: it finishes them
    }
    await this.store.keys.setMeta(VALUE_MAC_META, Buffer.from('done', 'utf8'));
  }

  /** A 16-byte key for audit record ids (see auditIds.ts), derived from the token key: stable across rotations. */
  auditIdKey(): Buffer {
    return createHmac('sha256', this.tokenKey).update('secrets-vault audit-id key v1', 'utf8').digest().subarray(0, 16);
  }

  /** HMAC-SHA256 of a token under the vault's token key: all the database ever holds of a token. */
  tokenDigest(token: string): Buffer {
    return createHmac('sha256', this.tokenKey).update(token, 'utf8').digest();
  }

  async sealValue(accountId: string, name: string, version: number, value: SecretValue): Promise<SealedValue> {
    const keyId = await this.store.keys.activeDataKeyId();
    if (keyId === undefined) throw new Error('The vault has no active data key.');
    return this.sealWith(keyId, await this.dataKey(keyId), accountId, name, version, Buffer.from(JSON.stringify(value), 'utf8'));
  }

  /**
   * A kept value sealed again for another value version of the same secret (a rollback makes an old
   * value the newest): opened with its own version's additional data, sealed under the active key
   * for `toVersion`; the plaintext bytes are zeroed and never become a string.
   */
  async resealForVersion(accountId: string, name: string, fromVersion: number, sealed: SealedValue, toVersion: number): Promise<SealedValue> {
    const key = await this.dataKey(sealed.keyId);
    const plain = open(key, sealed, valueAad(accountId, name, fromVersion, sealed.keyId), `secret '${name}'`);
    try {
      const keyId = await this.store.keys.activeDataKeyId();
      if (keyId === undefined) throw new Error('The vault has no active data key.');
      return this.sealWith(keyId, await this.dataKey(keyId), accountId, name, toVersion, plain);
    } finally {
      plain.fill(0);
    }
  }

  async openValue(accountId: string, name: string, version: number, sealed: SealedValue): Promise<SecretValue> {
    return JSON.parse(await this.openValueJson(accountId, name, version, sealed)) as SecretValue;
  }

  /**
   * The value as the JSON text it was sealed as (sealValue writes JSON.stringify of it, and the
   * tag proves these are those bytes), for a response that embeds it without parsing it again.
   */
  async openValueJson(accountId: string, name: string, version: number, sealed: SealedValue): Promise<string> {
    const json = this.openValueJsonNow(accountId, name, version, sealed);
    if (json !== undefined) return json;
    await this.dataKey(sealed.keyId);
    return this.openValueJsonNow(accountId, name, version, sealed)!;
  }

  /**
   * openValueJson without a promise: undefined when the value's data key is not in memory yet (one
   * made by another process since this one loaded its keys), which openValueJson loads. Throws
   * DecryptionError as it does. The run-time read's hot path.
   */
  openValueJsonNow(accountId: string, name: string, version: number, sealed: SealedValue): string | undefined {
    // Only a secret's current value is opened here: it must carry its MAC (a rolled-back one fails closed).
    const { aad } = this.verifyCurrent(accountId, name, version, sealed);
    const key = this.dataKeys.get(sealed.keyId);
    if (key === undefined) return undefined;
    const plain = openOrUndefined(key, sealed, aad);
    if (plain === undefined) throw new DecryptionError(`secret '${name}'`); // its label is made only when it is thrown
    try {
      return plain.toString('utf8');
    } finally {
      plain.fill(0);
    }
  }

  async rotate(onProgress: (resealed: number) => void = () => {}): Promise<RotationReport> {
    const now = new Date().toISOString();
    let masterRotated = false;
    if (this.master instanceof FileMasterKey) {
      // Keep the old master keys in the file until nothing is wrapped under them any more.
      const keys = new Map(this.master.ids().map((id) => [id, this.master.get(id)!]));
      const id = newMasterKeyId();
      keys.set(id, newKeyMaterial());
      this.master.write(id, keys);
      masterRotated = true;
    }
    const dataKey = await this.addDataKey(now);
    // Re-wrap every other data key and the token key under the (possibly new) active master key.
    const rewrapped: DataKeyRow[] = [];
    for (const k of await this.store.keys.listDataKeys()) {
      if (k.masterId === this.master.activeId) continue;
      const material = this.unwrap(k, dataKeyLabel(k.id));
      rewrapped.push({ ...k, ...this.wrap(material, dataKeyLabel(k.id)) });
    }
    await this.store.keys.rewrapDataKeys(rewrapped);
    await this.store.keys.setMeta(TOKEN_KEY_META, encodeWrapped(this.wrap(this.tokenKey, 'token-key')));

    let resealed = 0;
    const unreadable = new Map<string, { accountId: string; name: string }>();
    // Passes over everything not yet under the new key, until one pass re-seals nothing: that also
    // picks up values the running service wrote under the old key meanwhile.
    for (let progress = true; progress; ) {
      progress = false;
      let after: { accountId: string; name: string } | undefined;
      for (;;) {
        const batch = await this.store.keys.secretsNotUnder(dataKey, 200, after);
        if (batch.length === 0) break;
        for (const s of batch) {
          after = { accountId: s.accountId, name: s.name };
          let plain: Buffer;
          try {
            // A current row without its MAC (rolled back, tampered) is not given a fresh one.
            this.verifyCurrent(s.accountId, s.name, s.valueVersion, s.sealed);
            const key = await this.dataKey(s.sealed.keyId);
            plain = open(key, s.sealed, valueAad(s.accountId, s.name, s.valueVersion, s.sealed.keyId), `secret '${s.name}'`);
          } catch (e) {
            if (!(e instanceof DecryptionError)) throw e;
            unreadable.set(`${s.accountId}/${s.name}`, { accountId: s.accountId, name: s.name });
            continue;
          }
          const fresh = this.sealWith(dataKey, await this.dataKey(dataKey), s.accountId, s.name, s.valueVersion, plain);
          plain.fill(0);
          // False when the service changed the secret meanwhile: the next pass picks up the new row.
          if (await this.store.keys.resealSecret(s.accountId, s.name, s.valueVersion, fresh, s.sealed)) {
            resealed++;
            progress = true;
            unreadable.delete(`${s.accountId}/${s.name}`);
          }
        }
        onProgress(resealed);
      }
      // The older values kept for rollback, likewise (each sealed for its own value version).
      let afterOld: { accountId: string; name: string; valueVersion: number } | undefined;
      for (;;) {
        const batch = await this.store.keys.secretVersionsNotUnder(dataKey, 200, afterOld);
        if (batch.length === 0) break;
        for (const s of batch) {
          afterOld = { accountId: s.accountId, name: s.name, valueVersion: s.valueVersion };
          const where = `${s.accountId}/${s.name}@${s.valueVersion}`;
          let plain: Buffer;
          try {
            const key = await this.dataKey(s.sealed.keyId);
            plain = open(key, s.sealed, valueAad(s.accountId, s.name, s.valueVersion, s.sealed.keyId), `secret '${s.name}' version ${s.valueVersion}`);
          } catch (e) {
            if (!(e instanceof DecryptionError)) throw e;
            unreadable.set(where, { accountId: s.accountId, name: s.name });
            continue;
          }
          const fresh = this.sealWith(dataKey, await this.dataKey(dataKey), s.accountId, s.name, s.valueVersion, plain);
          plain.fill(0);
          // False when it was pruned or the secret deleted meanwhile: nothing left to re-seal.
          if (await this.store.keys.resealSecretVersion(s.accountId, s.name, s.valueVersion, fresh, s.sealed)) {
            resealed++;
            progress = true;
            unreadable.delete(where);
          }
        }
        onProgress(resealed);
      }
    }
    const droppedDataKeys = await this.store.keys.dropUnusedDataKeys();
    for (const id of droppedDataKeys) this.dataKeys.delete(id);
    if (this.master instanceof FileMasterKey) {
      const inUse = new Set((await this.store.keys.listDataKeys()).map((k) => k.masterId));
      inUse.add(this.master.activeId);
      const keep = new Map(this.master.ids().filter((id) => inUse.has(id)).map((id) => [id, this.master.get(id)!]));
      this.master.write(this.master.activeId, keep);
    }
    return { dataKey, masterKey: this.master.activeId, masterRotated, resealed, droppedDataKeys, unreadable: [...unreadable.values()] };
  }

  /** Sealed with its MAC as a current value; a store keeps the MAC only on the current row. */
  private sealWith(keyId: string, key: Buffer, accountId: string, name: string, version: number, plain: Buffer): SealedValue {
    const sealed = seal(key, plain, valueAad(accountId, name, version, keyId));
    const value: SealedValue = { keyId, nonce: sealed.nonce, ciphertext: sealed.ciphertext };
    value.mac = this.valueMac(accountId, name, version, value);
    return value;
  }

  private async addDataKey(now: string): Promise<string> {
    const id = `dk_${randomBytes(6).toString('hex')}`;
    const material = randomBytes(KEY_BYTES);
    await this.store.keys.addDataKey({ id, ...this.wrap(material, dataKeyLabel(id)), state: 'active', createdAt: now });
    this.dataKeys.set(id, material);
    return id;
  }

  /** A data key by id; one added by another process (rotate-key) is loaded on first use. */
  private async dataKey(id: string): Promise<Buffer> {
    const cached = this.dataKeys.get(id);
    if (cached) return cached;
    const row = await this.store.keys.getDataKey(id);
    if (!row) throw new DecryptionError(`data key ${id}`);
    if (!this.master.get(row.masterId)) this.master.reload();
    const material = this.unwrap(row, dataKeyLabel(id));
    this.dataKeys.set(id, material);
    return material;
  }

  private wrap(material: Buffer, label: string): WrappedKey {
    const masterId = this.master.activeId;
    const sealed = seal(this.master.get(masterId)!, material, aad('wrap', label, masterId));
    return { masterId, nonce: sealed.nonce, wrapped: sealed.ciphertext };
  }

  private unwrap(w: WrappedKey, label: string): Buffer {
    return unwrapKey(this.master, w, label);
  }
}

// The functions below are exported for `migrate`, which checks a copy's keys and values inside its
// copy transaction (before commit) with exactly the keyring's unwrapping and additional data.

/** `data-key:<id>` for a data key, `token-key` for the token key: bound into the wrapping's additional data. */
export function dataKeyLabel(id: string): string {
  return `data-key:${id}`;
}

/** Unwraps a data key or the token key with the master key that wrapped it; MasterKeyError when it cannot. */
export function unwrapKey(masterKeys: MasterKeySource, w: WrappedKey, label: string): Buffer {
  const master = masterKeys.get(w.masterId);
  if (!master) {
    throw new MasterKeyError(
      `This vault's keys are wrapped with master key ${w.masterId}, which ${masterKeys.origin} does not hold (it has ${masterKeys.ids().join(', ')}).`,
    );
  }
  try {
    return open(master, { nonce: w.nonce, ciphertext: w.wrapped }, aad('wrap', label, w.masterId), label);
  } catch {
    throw new MasterKeyError(`The master key from ${masterKeys.origin} does not open this vault's keys: wrong key, or tampered data.`);
  }
}

/** The additional data a value is sealed with: its account, name, value version and data key. */
export function valueAad(accountId: string, name: string, version: number, keyId: string): Buffer {
  return aad('secret-value', accountId, name, version, keyId);
}

function encodeWrapped(w: WrappedKey): Buffer {
  return Buffer.from(JSON.stringify({ masterId: w.masterId, nonce: w.nonce.toString('base64'), wrapped: w.wrapped.toString('base64') }));
}

export function decodeWrapped(b: Buffer): WrappedKey {
  const o = JSON.parse(b.toString('utf8')) as { masterId: string; nonce: string; wrapped: string };
  return { masterId: o.masterId, nonce: Buffer.from(o.nonce, 'base64'), wrapped: Buffer.from(o.wrapped, 'base64') };
}
