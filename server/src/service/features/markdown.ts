// What we say about a secret in hovers and completion details: metadata from the snapshot only.
// The model holds no values, so none can appear here; descriptions are escaped because users write them.

import { lifecycleOf, lifecycleSummary } from '../../../../protocol/lifecycle';
import { formatDate } from '../../../../protocol/dates';
import { capitalized, lastReadPhrase } from '../../../../protocol/lastReads';
import { showInvisible } from '../../../../protocol/safeText';
import { defaultKeySensitivity, keySensitivity } from '../../../../protocol/keySensitivity';
import type { SecretEntry } from '../model/model';

const SPECIAL = /[\\`*_{}[\]()#+\-.!|<>~]/g;

export function escapeMarkdown(text: string): string {
  // Invisible characters first (text a vault held before it refused them): shown as
  // escapes, so that one description or name cannot pass for another.
  return showInvisible(text).replace(SPECIAL, (c) => `\\${c}`);
}

/** Inline code, unless the text could break out of the span. */
export function code(text: string): string {
  return text.includes('`') || text.includes('\n') ? escapeMarkdown(text) : `\`${showInvisible(text)}\``;
}

export function kindLabel(entry: SecretEntry): string {
  if (entry.info.kind === 'single') return 'single value';
  const n = entry.info.keys.length;
  return `key/value, ${n} ${n === 1 ? 'key' : 'keys'}`;
}

/** What `get_secret` returns for this secret, in the reader's language. */
export function returnsLabel(entry: SecretEntry): string {
  return entry.info.kind === 'single' ? 'a str' : 'a dict';
}

/** An agent's display name (Agent Studio's project name), when the metadata has one. */
export type AgentNames = (id: string) => string | undefined;

/** `` `PROJECT-DEMO0001` (Field Service Template) ``: the id as code, the display name escaped. */
export function agentLabel(id: string, names?: AgentNames): string {
  const name = names?.(id)?.trim();
  return name && name !== id ? `${code(id)} (${escapeMarkdown(name)})` : code(id);
}

export function accessLine(entry: SecretEntry, names?: AgentNames): string {
  const agents = entry.info.agents;
  return agents.length === 0 ? 'No agent has access.' : `Agents with access: ${agents.map((a) => agentLabel(a, names)).join(', ')}`;
}

export function grantLine(entry: SecretEntry, agent: string | null, names?: AgentNames): string | undefined {
  if (agent === null) return undefined;
  const label = agentLabel(agent, names);
  return entry.agents.has(agent) ? `✓ Granted to ${label}.` : `✗ Not granted to ${label}.`;
}

/**
 * The agent's last run-time read of the secret, when the editor fetched that agent's reads (the
 * vault keeps them; protocol/lastReads.ts words them as the CLI does): "Last read by … 3 days ago
 * (live)", "Never read by …". Nothing when the reads are not known.
 */
export function readLine(entry: SecretEntry, agent: string | null, nowMs: number, names?: AgentNames): string | undefined {
  if (agent === null) return undefined;
  const read = entry.info.reads?.find((r) => r.agent === agent);
  if (read === undefined) return undefined;
  const environment = read.environment === null ? null : escapeMarkdown(read.environment);
  return capitalized(lastReadPhrase(agentLabel(agent, names), { at: read.at, environment }, nowMs)) + '.';
}

/** A day in the locale the client gave at initialize (protocol/dates.ts); ISO without one. */
const day = (ms: number) => formatDate(ms);

/**
 * A secret's life, for people: what needs attention now (protocol/lifecycle.ts's words,
 * so that the sidebar and the CLI say the same), the expiry and reminder that are set, and when the
 * value last changed and by whom. Undefined when the metadata says none of it.
 */
export function lifecycleMarkdown(entry: SecretEntry, nowMs: number): string | undefined {
  const info = entry.info;
  const l = lifecycleOf(info, nowMs);
  const lines: string[] = [];
  const summary = lifecycleSummary(l, nowMs, day);
  if (summary) lines.push(`${l.expired ? '✗' : '⚠'} ${escapeMarkdown(info.name)}: ${summary}${l.expired ? ' (run-time reads are refused)' : ''}.`);
  const set: string[] = [];
  if (l.expiresAtMs !== null && !l.expired && !l.expiringSoon) set.push(`expires on ${day(l.expiresAtMs)}`);
  if (typeof info.rotationDays === 'number') set.push(`rotation reminder every ${info.rotationDays} days`);
  if (set.length) lines.push(`${set.join('; ').replace(/^./, (c) => c.toUpperCase())}.`);
  if (info.valueUpdatedAt !== undefined) {
    const at = Date.parse(info.valueUpdatedAt);
    if (Number.isFinite(at)) lines.push(`Value last changed ${day(at)}${info.valueUpdatedBy ? ` by ${escapeMarkdown(info.valueUpdatedBy)}` : ''}.`);
  }
  return lines.length ? lines.join('\n\n') : undefined;
}

/** Why a key is or is not sensitive, for people: an admin's mark, or the default its name implies. */
export function keySensitivityLabel(entry: SecretEntry, key: string): string {
  const marks = entry.info.keySensitivity;
  const sensitive = keySensitivity(key, marks) === 'sensitive';
  const marked = marks !== undefined && Object.prototype.hasOwnProperty.call(marks, key) && marks[key] !== defaultKeySensitivity(key);
  return `${sensitive ? 'sensitive' : 'not sensitive'} (${marked ? 'marked by an admin' : 'by its name'})`;
}

/**
 * The keys of a key/value secret that hold configuration rather than a credential (secret-in-log
 * does not report their values), each with why: undefined when every key is sensitive.
 */
export function notSensitiveLine(entry: SecretEntry): string | undefined {
  const marks = entry.info.keySensitivity;
  const plain = entry.info.keys.filter((k) => keySensitivity(k, marks) === 'not-sensitive');
  if (plain.length === 0) return undefined;
  const why = (k: string) => (marks !== undefined && Object.prototype.hasOwnProperty.call(marks, k) && marks[k] !== defaultKeySensitivity(k) ? 'marked' : 'by its name');
  return `Not sensitive (configuration; a log of it is not reported): ${plain.map((k) => `${code(k)} (${why(k)})`).join(', ')}`;
}

/**
 * The full description of a secret, for a hover or a completion item's documentation. `withDescription`
 * false leaves the description out where the editor shows it already (a completion item's detail).
 */
export function secretMarkdown(entry: SecretEntry, agent: string | null, nowMs: number = Date.now(), names?: AgentNames, withDescription = true): string {
  const parts = [`**${escapeMarkdown(entry.info.name)}** (${kindLabel(entry)})`];
  if (withDescription && entry.info.description.trim() !== '') parts.push(escapeMarkdown(entry.info.description));
  if (entry.info.kind === 'kv') {
    parts.push(`Keys: ${entry.info.keys.map(code).join(', ')}`);
    const plain = notSensitiveLine(entry);
    if (plain) parts.push(plain);
  }
  parts.push(accessLine(entry, names));
  const grant = grantLine(entry, agent, names);
  if (grant) parts.push(grant);
  const read = readLine(entry, agent, nowMs, names);
  if (read) parts.push(read);
  const life = lifecycleMarkdown(entry, nowMs);
  if (life) parts.push(life);
  return parts.join('\n\n');
}
