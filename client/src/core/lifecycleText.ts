// Words and checks of a secret's lifecycle commands that need no vscode: a request's reason as the
// vault takes it, and a kept version as the Roll Back pick describes it.

import type { SecretVersionInfo } from '../../../protocol/api';
import { MAX_ACCESS_REQUEST_REASON } from '../../../protocol/api';
import { SAFE_TEXT_PATTERN } from '../../../protocol/safeText';
import { formatDate } from '../../../protocol/dates';

const SAFE_TEXT = new RegExp(SAFE_TEXT_PATTERN, 'u');

/** Why a typed reason would be refused by the vault, or undefined. */
export function reasonProblem(text: string): string | undefined {
  if (text.trim().length > MAX_ACCESS_REQUEST_REASON) return `At most ${MAX_ACCESS_REQUEST_REASON} characters.`;
  if (!SAFE_TEXT.test(text)) return 'No control or invisible characters, please.';
  return undefined;
}

/** "2026-11-20 10:00 UTC" */
export const utcMinute = (iso: string): string => formatDate(iso, { time: true });

/** The version a quick pick row describes: when and by whom it was set, its shape, what it restored. */
export function versionDetail(v: SecretVersionInfo): string {
  const parts = [`set ${utcMinute(v.createdAt)} by ${v.createdBy}`, v.kind === 'kv' ? `key/value: ${v.keys.join(', ')}` : 'single value'];
  if (v.restoredFrom !== undefined) parts.push(`restored from version ${v.restoredFrom}`);
  return parts.join(' · ');
}
