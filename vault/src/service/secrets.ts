// Secrets and their versions: create, read metadata, update, delete, list kept versions, roll back.

import { KEY_SENSITIVITIES, sameKeyMarks, type KeySensitivity } from '../../../protocol/keySensitivity';
import { type CreateSecretRequest, MAX_ROTATION_DAYS, MIN_ROTATION_DAYS, type SecretMetadata, type SecretVersionInfo, type UpdateSecretRequest } from '../../../protocol/api';
import { checkKey, checkSecretName, checkSecretValue, MAX_VALUE_BYTES, NAME_TWIN_RULE, type SecretValue } from '../../../protocol/names';
import type { Principal } from '../auth';
import { DecryptionError } from '../crypto/aead';
import { refuseProcessControlName } from '../nameChecks';
import { problems } from '../errors';
import type { SealedValue, WriteResult } from '../store/types';
import { decryptionProblem, detailOf, ServiceContext, uniqueSorted, withClient, type User } from './serviceContext';

/** Secrets and versions. Values are sealed here and never returned. */
export class SecretsService {
  constructor(private readonly ctx: ServiceContext) {}

  async listSecrets(p: Principal, agent?: string): Promise<SecretMetadata[]> {
    const user = this.checkLister(p);
    return this.ctx.store.secrets.listSecrets(user.accountId, agent);
  }

  /** Who may list the secrets (a user's key, either role); the listing's 304 checks it alone. */
  checkLister(p: Principal): User {
    return this.ctx.user(p);
  }

  async getSecret(p: Principal, name: string): Promise<SecretMetadata> {
    const user = this.ctx.user(p);
    const row = await this.ctx.store.secrets.getSecret(user.accountId, name);
    if (!row) throw problems.notFound(`Secret '${name}' does not exist.`);
    const { sealed: _sealed, ...meta } = row;
    // Only here, not in the listing: a listing of 10,000 secrets would read every last read, and
    // its ETag (the last event id) would no longer name its content, since reads make no events.
    return { ...meta, lastReads: await this.ctx.store.reads.lastReads(user.accountId, name) };
  }

  async createSecret(p: Principal, body: CreateSecretRequest): Promise<SecretMetadata> {
    const user = await this.ctx.admin(p, 'secret.create', body.name);
    const account = await this.ctx.account(user.accountId);
    const nameProblem = checkSecretName(body.name, account.namingStyle);
    if (nameProblem) throw problems.invalidName(nameProblem);
    refuseProcessControlName(body.name, account.namingStyle);
    checkValue(body.value);
    const lifecycle = lifecycleChange(body);
    const marks = checkMarks(body.keySensitivity ?? {}, shape(body.value).keys);
    const agents = uniqueSorted(body.agents ?? []);
    let r: WriteResult<SecretMetadata>;
    // A concurrent rotate-key can drop the data key between sealing and writing: seal again.
    for (let attempt = 0; ; attempt++) {
      const sealed = await this.ctx.keyring.sealValue(user.accountId, body.name, 1, body.value);
      r = await this.ctx.store.secrets.createSecret(
        user.accountId,
        { name: body.name, description: body.description ?? '', ...shape(body.value), agents, sealed, ...lifecycle, keySensitivity: marks },
        this.ctx.mutation(user, 'secret.create', body.name, detailOf({ kind: shape(body.value).kind, agents, ...lifecycle, ...(Object.keys(marks).length ? { keySensitivity: marks } : {}) })),
      );
      if (r.ok || r.reason !== 'stale-key' || attempt >= 5) break;
    }
    return this.ctx.unwrap(user.accountId, r, {
      // Names that differ only in case, spacing, `_` or `-` are one name to a person (isNameTwin; look-alike letters too, nameSkeleton): the twin is refused, naming the one that exists.
      exists: (_a, _v, existing) =>
        problems.conflict(
          existing === undefined || existing === body.name
            ? `Secret '${body.name}' already exists.`
            : `Secret '${existing}' already exists; ${NAME_TWIN_RULE}.`,
          'name',
        ),
      'unknown-agent': (agent) => problems.badRequest(`Agent '${agent}' does not exist.`, 'agents'),
    });
  }

  async updateSecret(p: Principal, name: string, body: UpdateSecretRequest, ifMatch?: number): Promise<SecretMetadata> {
    const user = await this.ctx.admin(p, 'secret.update', name);
    if (
      body.description === undefined &&
      body.value === undefined &&
      body.expiresAt === undefined &&
      body.rotationDays === undefined &&
      body.keySensitivity === undefined
    ) {
      throw problems.badRequest('Nothing to change: give a description, a value, expiresAt, rotationDays or keySensitivity.');
    }
    if (body.value !== undefined) checkValue(body.value);
    // Marks given with a new value are for its keys: checked before anything is sealed.
    if (body.value !== undefined && body.keySensitivity !== undefined) checkMarks(body.keySensitivity, shape(body.value).keys);
    const lifecycle = lifecycleChange(body);
    const changed = [
      body.description !== undefined && 'description',
      body.value !== undefined && 'value',
      body.expiresAt !== undefined && 'expiresAt',
      body.rotationDays !== undefined && 'rotationDays',
      body.keySensitivity !== undefined && 'keySensitivity',
    ]
      .filter(Boolean)
      .join(', ');
    const mutation = this.ctx.mutation(user, 'secret.update', name);
    // A description, lifecycle or marks change alone is a metadata write: the stored ciphertext is not touched.
    return this.ctx.writeWithVersion(user, name, ifMatch, 'secret.updated', async (current) => {
      const keys = body.value !== undefined ? shape(body.value).keys : current.keys;
      // Absent: the marks stay, but those on keys a new value drops go with them.
      const marks =
        body.keySensitivity !== undefined
          ? checkMarks(body.keySensitivity, keys)
          : body.value !== undefined
            ? marksFor(current.keySensitivity, keys)
            : undefined;
      const marksChanged = marks !== undefined && !sameKeyMarks(marks, current.keySensitivity);
      // The record says which keys were marked how (key names are metadata; a value never is), read from the current secret on each attempt.
      mutation.audit.detail = withClient(
        [`changed: ${changed}`, detailOf({ ...lifecycle, ...(body.keySensitivity !== undefined || marksChanged ? { keySensitivity: marks } : {}) })]
          .filter(Boolean)
          .join('; '),
        user,
      );
      return {
        description: body.description,
        ...lifecycle,
        ...(marks !== undefined ? { keySensitivity: marks } : {}),
        ...(body.value !== undefined
          ? { ...shape(body.value), sealed: await this.ctx.keyring.sealValue(user.accountId, name, current.valueVersion + 1, body.value) }
          : {}),
      };
    }, mutation);
  }

  // ---- versions and rollback ----

  /** The kept values' metadata (never a value), newest first; any user of the account. */
  async listSecretVersions(p: Principal, name: string): Promise<SecretVersionInfo[]> {
    const user = this.ctx.user(p);
    const versions = await this.ctx.store.secrets.listSecretVersions(user.accountId, name);
    if (!versions) throw problems.notFound(`Secret '${name}' does not exist.`);
    return versions;
  }

  /**
   * The value of a kept `version` becomes a new current version (admins, If-Match required): opened
   * with its own version's additional data and sealed again for the new one, so the old ciphertext
   * is never put back as it was (it would not open as the new version, by design).
   */
  async rollbackSecret(p: Principal, name: string, version: number, ifMatch: number | undefined): Promise<SecretMetadata> {
    const user = await this.ctx.admin(p, 'secret.rollback', name);
    if (ifMatch === undefined) throw problems.preconditionRequired(`Rolling back '${name}' needs If-Match with the version you read.`);
    const current = await this.ctx.store.secrets.getSecret(user.accountId, name);
    if (!current) throw problems.notFound(`Secret '${name}' does not exist.`);
    if (current.version !== ifMatch) throw problems.preconditionFailed(name, current.version);
    if (version === current.valueVersion) throw problems.conflict(`Version ${version} is already the current value of '${name}'.`, 'version');
    const missing = () => problems.notFound(`Secret '${name}' keeps no value version ${version}; list its versions to see those kept.`);
    if (!(await this.ctx.store.secrets.getSecretVersion(user.accountId, name, version))) throw missing();
    // If-Match pins the version, and so the value version: the new value is current.valueVersion + 1.
    const detail = `to the value of version ${version} (now version ${current.valueVersion + 1})`;
    return this.ctx.writeWithVersion(user, name, ifMatch, 'secret.updated', async (cur) => {
      // Read again on each attempt: a concurrent rotate-key may have re-sealed it under a new key.
      const old = await this.ctx.store.secrets.getSecretVersion(user.accountId, name, version);
      if (!old) throw missing();
      let sealed: SealedValue;
      try {
        sealed = await this.ctx.keyring.resealForVersion(user.accountId, name, old.valueVersion, old.sealed, cur.valueVersion + 1);
      } catch (e) {
        if (e instanceof DecryptionError) await this.ctx.record(user, 'secret.rollback', name, 'failed', `version ${version}: decryption failed`);
        throw decryptionProblem(e, name);
      }
      // Marks on keys the restored value does not have go (a single value has none).
      return { kind: old.kind, keys: old.keys, sealed, restoredFrom: version, keySensitivity: marksFor(cur.keySensitivity, old.keys) };
    }, this.ctx.mutation(user, 'secret.rollback', name, detail));
  }

  async deleteSecret(p: Principal, name: string, ifMatch?: number): Promise<void> {
    const user = await this.ctx.admin(p, 'secret.delete', name);
    const r = await this.ctx.store.secrets.deleteSecret(user.accountId, name, ifMatch, this.ctx.mutation(user, 'secret.delete', name));
    this.ctx.unwrap(user.accountId, r, {
      missing: () => problems.notFound(`Secret '${name}' does not exist.`),
      conflict: (_a, v) => problems.preconditionFailed(name, v!),
    });
  }
}

/** ISO 8601 date and time with seconds optional and a time zone required (Z or ±hh:mm). */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/i;

/** The expiry and rotation reminder of a create or update body, checked and normalised (absent: unchanged). */
function lifecycleChange(body: { expiresAt?: string | null; rotationDays?: number | null }): { expiresAt?: string | null; rotationDays?: number | null } {
  const out: { expiresAt?: string | null; rotationDays?: number | null } = {};
  if (body.expiresAt !== undefined) {
    const ms = body.expiresAt === null ? null : ISO_DATE_TIME.test(body.expiresAt) ? Date.parse(body.expiresAt) : NaN;
    if (ms !== null && !Number.isFinite(ms)) {
      throw problems.badRequest('expiresAt must be an ISO 8601 date and time with a time zone, for example 2026-12-31T00:00:00Z.', 'expiresAt');
    }
    out.expiresAt = ms === null ? null : new Date(ms).toISOString();
  }
  if (body.rotationDays !== undefined) {
    const d = body.rotationDays;
    if (d !== null && (!Number.isInteger(d) || d < MIN_ROTATION_DAYS || d > MAX_ROTATION_DAYS)) {
      throw problems.badRequest(`rotationDays must be a whole number of days from ${MIN_ROTATION_DAYS} to ${MAX_ROTATION_DAYS}.`, 'rotationDays');
    }
    out.rotationDays = d;
  }
  return out;
}

/**
 * Marks checked against the keys of the value they are for (a single value has none): each a key
 * of it, each mark one of KEY_SENSITIVITIES. Returns them with their keys in order. The problem
 * names the key (a key's name is metadata), never a value.
 */
function checkMarks(marks: Readonly<Record<string, KeySensitivity>>, keys: readonly string[]): Record<string, KeySensitivity> {
  const marked = Object.keys(marks);
  if (marked.length > 0 && keys.length === 0) {
    throw problems.badRequest('A single-value secret has no keys to mark: keySensitivity is only for key/value secrets.', 'keySensitivity');
  }
  const known = new Set(keys);
  for (const key of marked) {
    if (!known.has(key)) {
      // A key's name is metadata; a string that could not be a key's name (checkKey) may be a misplaced value: not echoed.
      const which = checkKey(key) === undefined ? `'${key}', which is not a key of the secret` : 'a name that is not a key of the secret';
      throw problems.badRequest(`keySensitivity marks ${which} (its keys: ${keys.join(', ')}).`, 'keySensitivity');
    }
    if (!KEY_SENSITIVITIES.includes(marks[key]!)) throw problems.badRequest(`keySensitivity of '${key}' must be 'sensitive' or 'not-sensitive'.`, 'keySensitivity');
  }
  return Object.fromEntries(marked.sort().map((k) => [k, marks[k]!]));
}

/** The marks kept for a value with `keys`: those on its keys. */
function marksFor(marks: Readonly<Record<string, KeySensitivity>> | undefined, keys: readonly string[]): Record<string, KeySensitivity> {
  return Object.fromEntries(keys.filter((k) => marks !== undefined && Object.hasOwn(marks, k)).map((k) => [k, marks![k]!]));
}

function checkValue(value: SecretValue): void {
  const problem = checkSecretValue(value);
  if (!problem) return;
  if (problem.message.includes(`${MAX_VALUE_BYTES / 1024} KiB`)) throw problems.tooLarge(problem.message, problem.field);
  throw problems.invalidValue(problem.message, problem.field);
}

function shape(value: SecretValue): { kind: 'single' | 'kv'; keys: string[] } {
  return typeof value === 'string' ? { kind: 'single', keys: [] } : { kind: 'kv', keys: Object.keys(value).sort() };
}
