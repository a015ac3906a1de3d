// What the Secrets and All Secrets views show, built from metadata, the current agent and the
// workspace's usage counts, without vscode: the TreeDataProvider only turns these into TreeItems.

import type { Agent, Role, SecretKind, SecretMetadata } from '../../../protocol/api';

export interface TreeInput {
  secrets: readonly SecretMetadata[];
  agents: readonly Agent[];
  /** The agent of the active folder; null when none is chosen. */
  agent: string | null;
  role: Role | null;
  /** Secret name → references in the workspace, from the language server. */
  usage: ReadonlyMap<string, number>;
  /** Case-insensitive text matched against names and descriptions. */
  filter?: string | undefined;
}

export interface KeyNode {
  type: 'key';
  id: string;
  secret: string;
  key: string;
  contextValue: 'secretKey';
}

export interface SecretNode {
  type: 'secret';
  id: string;
  name: string;
  description: string;
  kind: SecretKind;
  /** A codicon id. */
  icon: 'key' | 'symbol-namespace';
  granted: boolean;
  /** References in the workspace; updated in place when the language server reports a change. */
  usage: number;
  /** The metadata it shows; the tooltip is built from it when the editor asks (resolveTreeItem). */
  secret: SecretMetadata;
  /** Space-separated tokens for `viewItem =~ /\btoken\b/` menu clauses. */
  contextValue: string;
  keys: KeyNode[];
}

export type TreeNode = SecretNode | KeyNode;

/** Why a view is empty, for its welcome content. */
export type EmptyReason = 'no-agent' | 'no-secrets' | 'no-match' | undefined;

export interface ViewModel {
  nodes: SecretNode[];
  empty: EmptyReason;
}

/** The Secrets view: what the current agent can read, as a function editor's Secrets box shows it. */
export function grantedView(input: TreeInput): ViewModel {
  if (input.agent === null) return { nodes: [], empty: 'no-agent' };
  const granted = input.secrets.filter((s) => s.agents.includes(input.agent!));
  if (granted.length === 0) return { nodes: [], empty: 'no-secrets' };
  const nodes = granted.filter((s) => matches(s, input.filter)).map((s) => secretNode(s, input, 'granted'));
  return { nodes, empty: nodes.length === 0 ? 'no-match' : undefined };
}

/** The All Secrets view (admins): every secret, with its grant state for the current agent. */
export function allView(input: TreeInput): ViewModel {
  const nodes = input.secrets.filter((s) => matches(s, input.filter)).map((s) => secretNode(s, input, 'all'));
  const empty: EmptyReason = nodes.length > 0 ? undefined : input.secrets.length > 0 ? 'no-match' : 'no-secrets';
  return { nodes, empty };
}

function matches(s: SecretMetadata, filter: string | undefined): boolean {
  const f = filter?.trim().toLowerCase();
  if (!f) return true;
  return s.name.toLowerCase().includes(f) || s.description.toLowerCase().includes(f);
}

function secretNode(s: SecretMetadata, input: TreeInput, view: 'granted' | 'all'): SecretNode {
  const granted = input.agent !== null && s.agents.includes(input.agent);
  const tokens = ['secret', s.kind, granted ? 'granted' : 'notGranted'];
  if (input.agent !== null) tokens.push('hasAgent');
  if (input.role === 'admin') tokens.push('admin');
  return {
    type: 'secret',
    id: `${view}:${s.name}`,
    name: s.name,
    description: s.description,
    kind: s.kind,
    icon: s.kind === 'kv' ? 'symbol-namespace' : 'key',
    granted,
    usage: input.usage.get(s.name) ?? 0,
    secret: s,
    contextValue: tokens.join(' '),
    keys: s.keys.map((key) => ({ type: 'key', id: `${view}:${s.name}/${key}`, secret: s.name, key, contextValue: 'secretKey' })),
  };
}

/** The short text beside an item's label. */
export function itemDescription(node: SecretNode, view: 'granted' | 'all', agent: string | null): string {
  if (view === 'all' && agent !== null) return node.granted ? `✓ ${agent}` : 'not granted';
  return node.description;
}

const MD_SPECIAL = /[\\`*_{}[\]()#+\-.!|<>~]/g;
export function escapeMarkdown(text: string): string {
  return text.replace(MD_SPECIAL, (c) => `\\${c}`);
}

/** Markdown (the host renders it untrusted), built only when the editor shows it. */
export function tooltipOf(node: SecretNode, input: Pick<TreeInput, 'agents' | 'agent'>): string {
  const s = node.secret;
  const lines: string[] = [];
  lines.push(`**${escapeMarkdown(s.name)}** · ${s.kind === 'kv' ? 'key/value secret' : 'single value'}`);
  if (s.description) lines.push(escapeMarkdown(s.description));
  if (s.kind === 'kv') lines.push(`Keys: ${s.keys.map((k) => `\`${k}\``).join(', ')}`);
  const names = new Map(input.agents.map((a) => [a.id, a.name]));
  const access = s.agents.map((id) => {
    const label = names.get(id) && names.get(id) !== id ? `${id} (${names.get(id)})` : id;
    return escapeMarkdown(label) + (id === input.agent ? ' ← current' : '');
  });
  lines.push(`Access: ${access.length ? access.join(', ') : 'no agent'}`);
  lines.push(`Updated ${s.updatedAt.slice(0, 16).replace('T', ' ')} UTC by ${escapeMarkdown(s.updatedBy)}`);
  const n = node.usage;
  lines.push(n === 0 ? 'Not used in this workspace' : `Used ${n} time${n === 1 ? '' : 's'} in this workspace`);
  return lines.join('\n\n');
}

/**
 * Applies a usage report from the language server (protocol/lsp.ts `UsageCountsParams`) to the
 * counts held: a full report replaces them, a partial one merges. Returns the names whose count
 * changed, so that only their tree items are redrawn. A Map: a secret may be named `constructor`.
 */
export function applyCounts(counts: Map<string, number>, report: { counts: Record<string, number>; full: boolean }): string[] {
  const changed: string[] = [];
  const incoming = new Map(Object.entries(report.counts));
  if (report.full) {
    for (const name of [...counts.keys()]) {
      if (!incoming.has(name)) {
        changed.push(name);
        counts.delete(name);
      }
    }
  }
  for (const [name, n] of incoming) {
    if ((counts.get(name) ?? 0) === n) continue;
    changed.push(name);
    if (n === 0) counts.delete(name);
    else counts.set(name, n);
  }
  return changed;
}
