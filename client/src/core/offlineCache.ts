// The last known metadata (never a value), kept in the extension's storage so that diagnostics,
// completion, hover and the sidebar keep working, marked stale, when the vault cannot be reached,
// at start-up too. One file per vault URL and API key (so per account: a key belongs to one), named
// by a digest of both: neither the key nor anything derived from it that could be used is stored.
// What is read back is checked with the protocol's validators before use. No vscode here.

import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { Agent, SecretMetadata, WhoAmI } from '../../../protocol/api';
import { hasValidLifecycle, isPendingAccess, isSecretInfo } from '../../../protocol/guards';
import { isKeyMarks, keyMarksOf } from '../../../protocol/sync';
import type { PendingAccess } from '../../../protocol/lsp';
import { NAMING_STYLES } from '../../../protocol/names';
import { formatDate } from '../../../protocol/dates';

export const CACHE_FORMAT = 'secrets-vault/offline-metadata@1';

export interface CachedMetadata {
  format: typeof CACHE_FORMAT;
  url: string;
  /** ISO time the metadata was last known to be current (the last listing, event or check). */
  savedAt: string;
  whoami: WhoAmI;
  secrets: SecretMetadata[];
  agents: Agent[];
  /**
   * The pending access requests' (secret, agent) pairs: offline, a requester's problem still says
   * "access requested, pending". Optional: caches from before access requests have none.
   */
  pendingAccess?: PendingAccess[];
}

/** The file for one vault and key: a digest, so the file name says nothing about either. */
export function cacheFileName(url: string, token: string): string {
  return `metadata-${createHash('sha256').update(`${url}\n${token}`).digest('hex').slice(0, 32)}.json`;
}

/** Copies only the metadata fields, so that nothing else an API answer might carry is written. */
export function toCache(
  url: string,
  savedAt: string,
  whoami: WhoAmI,
  secrets: readonly SecretMetadata[],
  agents: readonly Agent[],
  pendingAccess: readonly PendingAccess[] = [],
): CachedMetadata {
  return {
    format: CACHE_FORMAT,
    url,
    savedAt,
    whoami: {
      account: { id: whoami.account.id, name: whoami.account.name, namingStyle: whoami.account.namingStyle },
      principal:
        whoami.principal.type === 'user'
          ? { type: 'user', id: whoami.principal.id, name: whoami.principal.name, role: whoami.principal.role }
          : { type: 'agent', id: whoami.principal.id, name: whoami.principal.name },
    },
    secrets: secrets.map((s) => {
      const copy: SecretMetadata = {
        name: s.name,
        description: s.description,
        kind: s.kind,
        keys: [...s.keys],
        agents: [...s.agents],
        version: s.version,
        createdAt: s.createdAt,
        updatedAt: s.updatedAt,
        updatedBy: s.updatedBy,
      };
      // A secret's life: offline too, expired references are errors and the sidebar marks them.
      if (s.valueVersion !== undefined) copy.valueVersion = s.valueVersion;
      if (s.valueUpdatedAt !== undefined) copy.valueUpdatedAt = s.valueUpdatedAt;
      if (s.valueUpdatedBy !== undefined) copy.valueUpdatedBy = s.valueUpdatedBy;
      if (s.expiresAt !== undefined) copy.expiresAt = s.expiresAt;
      if (s.rotationDays !== undefined) copy.rotationDays = s.rotationDays;
      // An admin's key marks: offline too, the sidebar and secret-in-log follow them.
      const marks = keyMarksOf(s.keySensitivity);
      if (marks) copy.keySensitivity = marks;
      return copy;
    }),
    agents: agents.map((a) => ({ id: a.id, name: a.name, description: a.description, createdAt: a.createdAt })),
    pendingAccess: pendingAccess.map((p) => ({ secret: p.secret, agent: p.agent })),
  };
}

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';

function isSecretMetadata(v: unknown): v is SecretMetadata {
  // The protocol's SecretInfo check, plus the fields the sidebar shows.
  return (
    isSecretInfo(v) &&
    isObject(v) &&
    Number.isSafeInteger(v.version) &&
    isString(v.createdAt) &&
    isString(v.updatedAt) &&
    isString(v.updatedBy) &&
    hasValidLifecycle(v) &&
    (v.keySensitivity === undefined || isKeyMarks(v.keySensitivity)) &&
    (v.valueVersion === undefined || Number.isSafeInteger(v.valueVersion))
  );
}

function isAgent(v: unknown): v is Agent {
  return isObject(v) && isString(v.id) && isString(v.name) && isString(v.description) && isString(v.createdAt);
}

function isWhoAmI(v: unknown): v is WhoAmI {
  if (!isObject(v) || !isObject(v.account) || !isObject(v.principal)) return false;
  const a = v.account;
  const p = v.principal;
  return (
    isString(a.id) &&
    isString(a.name) &&
    NAMING_STYLES.includes(a.namingStyle as never) &&
    isString(p.id) &&
    isString(p.name) &&
    (p.type === 'agent' || (p.type === 'user' && (p.role === 'admin' || p.role === 'developer')))
  );
}

/** Why `value` is not a cache for `url`, or undefined when it is one. */
export function cacheProblem(value: unknown, url: string): string | undefined {
  if (!isObject(value)) return 'not an object';
  if (value.format !== CACHE_FORMAT) return 'unknown format';
  if (value.url !== url) return 'written for another vault';
  if (!isString(value.savedAt) || Number.isNaN(Date.parse(value.savedAt))) return 'bad savedAt';
  if (!isWhoAmI(value.whoami)) return 'bad whoami';
  if (!Array.isArray(value.secrets) || !value.secrets.every(isSecretMetadata)) return 'bad secrets';
  if (!Array.isArray(value.agents) || !value.agents.every(isAgent)) return 'bad agents';
  if (value.pendingAccess !== undefined && !(Array.isArray(value.pendingAccess) && value.pendingAccess.every(isPendingAccess))) return 'bad pendingAccess';
  return undefined;
}

export type CacheRead = { cache: CachedMetadata; problem?: undefined } | { cache?: undefined; problem?: string };

/** Reads the cache for `url` and `token`: nothing when there is none, a problem when it is unusable. */
export async function readCache(dir: string, url: string, token: string): Promise<CacheRead> {
  let text: string;
  try {
    text = await readFile(path.join(dir, cacheFileName(url, token)), 'utf8');
  } catch {
    return {};
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { problem: 'the offline cache is not valid JSON; ignored' };
  }
  const problem = cacheProblem(parsed, url);
  return problem ? { problem: `the offline cache is unusable (${problem}); ignored` } : { cache: parsed as CachedMetadata };
}

/** Writes atomically (a temporary file renamed over), so a crash never leaves half a file. */
export async function writeCache(dir: string, token: string, cache: CachedMetadata): Promise<void> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, cacheFileName(cache.url, token));
  const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, JSON.stringify(cache), { mode: 0o600 });
  await rename(tmp, file);
}

export async function deleteCache(dir: string, url: string, token: string): Promise<void> {
  await rm(path.join(dir, cacheFileName(url, token)), { force: true });
}

/** "14:02" today, the date and time before (protocol/dates.ts): the view description and status item say since when. */
export function formatSince(since: string, now: Date = new Date()): string {
  const d = new Date(since);
  const hm = `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
  if (d.toDateString() === now.toDateString()) return hm;
  return formatDate(since, { time: true });
}
