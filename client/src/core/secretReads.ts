// The workspace's reads of a secret as the editor words them: before a delete or a revoke, and in
// the Show Reads pick. The reads come from the language server (SecretReadsRequest), whatever
// environment is chosen: a read taken only in sandbox is listed with live chosen, saying so.

import type { SecretRead } from '../../../protocol/lsp';
import { safeText } from '../../../protocol/safeText';

/** At most this many reads are listed in a confirmation; the rest are counted. */
export const READS_LISTED = 10;

export interface ReadRow {
  /** `functions/pay.py:12` (the path as the workspace shows it, the line from 1). */
  place: string;
  /** The agent the file runs as, `PROJECT-WEVYLLDV (Field Service Template)`, or that none is chosen. */
  project: string;
  /** `every environment`, `sandbox`, `sandbox and live`. */
  environments: string;
  read: SecretRead;
}

/** The rows for `reads`; `pathOf` gives a file's path as the workspace shows it. */
export function readRows(reads: readonly SecretRead[], pathOf: (uri: string) => string): ReadRow[] {
  return reads.map((read) => ({
    place: `${safeText(pathOf(read.uri))}:${read.range.start.line + 1}`,
    project: projectText(read),
    environments: environmentsText(read.environments),
    read,
  }));
}

/** The agent as everywhere (`id (display name)`, as agentLabels.ts says it); the server knows the name (the vault's, else project.yaml's). */
function projectText(read: SecretRead): string {
  if (read.agent === null) return 'no agent chosen';
  return read.agentName && read.agentName !== read.agent ? `${read.agent} (${safeText(read.agentName)})` : read.agent;
}

/** `functions/pay.py:12 — PROJECT-WEVYLLDV (Field Service Template) — sandbox`. */
export function readLine(row: ReadRow): string {
  return `${row.place} — ${row.project} — ${row.environments}`;
}

/** `every environment` for null, else the environments joined as a sentence says them. */
export function environmentsText(envs: readonly string[] | null): string {
  if (envs === null) return 'every environment';
  const names = envs.map((e) => safeText(e));
  if (names.length === 0) return 'no environment';
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** `3 reads`, `1 read`. */
export function readsCount(n: number): string {
  return `${n} read${n === 1 ? '' : 's'}`;
}

/** The lines of a confirmation's detail: at most `max` reads, then how many more. Empty for none. */
export function readsList(rows: readonly ReadRow[], max = READS_LISTED): string[] {
  const lines = rows.slice(0, max).map(readLine);
  if (rows.length > max) lines.push(`and ${rows.length - max} more`);
  return lines;
}

/** The question before deleting `name`: who loses it, the code that reads it, and that the value is gone. */
export function deleteConfirmation(name: string, agents: readonly string[], rows: readonly ReadRow[]): { message: string; detail: string } {
  const losers = agents.length ? `These agents lose it: ${agents.join(', ')}. Their functions that read it will fail.` : 'No agent has access to it.';
  const reads = rows.length
    ? `${readsCount(rows.length)} in this workspace will fail:\n${readsList(rows).join('\n')}`
    : 'No code in this workspace reads it.';
  return {
    message: rows.length ? `Delete the secret '${name}'? Code in this workspace reads it (${readsCount(rows.length)}).` : `Delete the secret '${name}'?`,
    detail: `${losers}\n\n${reads}\n\nThe value cannot be recovered.`,
  };
}

/** The reads that run as `agent`: the ones a revoke breaks. */
export function readsAs(rows: readonly ReadRow[], agent: string): ReadRow[] {
  return rows.filter((r) => r.read.agent === agent);
}
