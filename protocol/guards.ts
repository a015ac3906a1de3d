// Shape checks for metadata and config that arrive as JSON from another process or a file (a
// snapshot, secrets-vault.json). Type-only imports, so this file costs a bundle nothing beyond itself.

import type { PendingAccess, SecretInfo } from './lsp';
import type { WorkspaceConfig } from './api';

/** Whether `value` has the shape of SecretInfo (JSON from another process is checked before use). */
export function isSecretInfo(value: unknown): value is SecretInfo {
  if (typeof value !== 'object' || value === null) return false;
  const s = value as Record<string, unknown>;
  const strings = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === 'string');
  return (
    typeof s.name === 'string' &&
    typeof s.description === 'string' &&
    (s.kind === 'single' || s.kind === 'kv') &&
    strings(s.keys) &&
    strings(s.agents) &&
    (s.updatedAt === undefined || typeof s.updatedAt === 'string')
  );
}

/**
 * Whether the lifecycle fields of a secret's metadata, where present, are well-typed:
 * `expiresAt` and `valueUpdatedAt` dates, `rotationDays` a positive whole number, `valueUpdatedBy` a
 * name; null clears the first two. Apart from isSecretInfo, whose shape a snapshot file (anyone may
 * edit one) must have while a badly typed lifecycle field of it is only dropped (check.ts
 * secretInfoOf); the sync messages and the offline cache are refused instead, since only our own
 * code writes them.
 */
export function hasValidLifecycle(value: object): boolean {
  const s = value as Record<string, unknown>;
  const date = (v: unknown) => typeof v === 'string' && Number.isFinite(Date.parse(v));
  return (
    (s.expiresAt === undefined || s.expiresAt === null || date(s.expiresAt)) &&
    (s.rotationDays === undefined || s.rotationDays === null || (typeof s.rotationDays === 'number' && Number.isSafeInteger(s.rotationDays) && s.rotationDays > 0)) &&
    (s.valueUpdatedAt === undefined || date(s.valueUpdatedAt)) &&
    (s.valueUpdatedBy === undefined || typeof s.valueUpdatedBy === 'string')
  );
}

/** Whether `value` has the shape of a PendingAccess (a secret name and an agent id). */
export function isPendingAccess(value: unknown): value is PendingAccess {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const p = value as Record<string, unknown>;
  return typeof p.secret === 'string' && typeof p.agent === 'string';
}

/**
 * Reads a folder's `secrets-vault.json` text: the config, and why parts of it were ignored (a
 * sentence naming `file`). Unknown fields are ignored; a field of the wrong type is dropped.
 */
export function parseWorkspaceConfig(text: string, file: string): { config?: WorkspaceConfig; problem?: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { problem: `${file} is not valid JSON; ignored.` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { problem: `${file} must hold an object like {"vault": "http://127.0.0.1:8787", "agent": "booking-agent"}; ignored.` };
  }
  const o = parsed as Record<string, unknown>;
  const config: WorkspaceConfig = {};
  const problems: string[] = [];
  for (const field of ['vault', 'agent'] as const) {
    const v = o[field];
    if (v === undefined) continue;
    if (typeof v === 'string') config[field] = v;
    else problems.push(`"${field}" must be a string`);
  }
  if (o.inject !== undefined) {
    if (Array.isArray(o.inject) && o.inject.every((n) => typeof n === 'string')) config.inject = o.inject as string[];
    else problems.push('"inject" must be a list of variable names');
  }
  if (o.staleDays !== undefined) {
    if (typeof o.staleDays === 'number' && Number.isInteger(o.staleDays) && o.staleDays >= 0) config.staleDays = o.staleDays;
    else problems.push('"staleDays" must be a whole number of days');
  }
  return problems.length ? { config, problem: `${file}: ${problems.join('; ')}; ignored those.` } : { config };
}
