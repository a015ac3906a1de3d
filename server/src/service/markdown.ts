// What we say about a secret in hovers and completion details: metadata from the snapshot only.
// The model holds no values, so none can appear here; descriptions are escaped because users write them.

import type { SecretEntry } from './model';

const SPECIAL = /[\\`*_{}[\]()#+\-.!|<>~]/g;

export function escapeMarkdown(text: string): string {
  return text.replace(SPECIAL, (c) => `\\${c}`);
}

/** Inline code, unless the text could break out of the span. */
export function code(text: string): string {
  return text.includes('`') || text.includes('\n') ? escapeMarkdown(text) : `\`${text}\``;
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

export function accessLine(entry: SecretEntry): string {
  const agents = entry.info.agents;
  return agents.length === 0 ? 'No agent has access.' : `Agents with access: ${agents.map(code).join(', ')}`;
}

export function grantLine(entry: SecretEntry, agent: string | null): string | undefined {
  if (agent === null) return undefined;
  return entry.agents.has(agent) ? `✓ Granted to ${code(agent)}.` : `✗ Not granted to ${code(agent)}.`;
}

/** The full description of a secret, for a hover or a completion item's documentation. */
export function secretMarkdown(entry: SecretEntry, agent: string | null): string {
  const parts = [`**${escapeMarkdown(entry.info.name)}** (${kindLabel(entry)})`];
  if (entry.info.description.trim() !== '') parts.push(escapeMarkdown(entry.info.description));
  if (entry.info.kind === 'kv') parts.push(`Keys: ${entry.info.keys.map(code).join(', ')}`);
  parts.push(accessLine(entry));
  const grant = grantLine(entry, agent);
  if (grant) parts.push(grant);
  return parts.join('\n\n');
}
