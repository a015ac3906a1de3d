// What the Secrets and All Secrets views show, built from metadata, the current agent and the
// workspace's usage counts, without vscode: the TreeDataProvider only turns these into TreeItems.

import type { Agent, Role, SecretKind, SecretLastRead, SecretMetadata, SecretVersionInfo } from '../../../protocol/api';
import { capitalized, lastReadPhrase } from '../../../protocol/lastReads';
import { keySensitivity, type KeySensitivity } from '../../../protocol/keySensitivity';
import { lifecycleOf, lifecycleSummary } from '../../../protocol/lifecycle';
import { formatDate } from '../../../protocol/dates';
import { showInvisible } from '../../../protocol/safeText';
import { agentLabel } from './agentLabels';

export interface TreeInput {
  secrets: readonly SecretMetadata[];
  agents: readonly Agent[];
  /** The agent of the active folder; null when none is chosen. */
  agent: string | null;
  /** The agent as the views name it when it is an ADK project's (`Name (PROJECT-ID)`); agentLabel's otherwise. */
  agentText?: string | undefined;
  role: Role | null;
  /** Secret name → references in the workspace, from the language server. */
  usage: ReadonlyMap<string, number>;
  /** Case-insensitive text matched against names and descriptions. */
  filter?: string | undefined;
  /** The time the lifecycle marks are for (epoch ms); now when absent. */
  now?: number;
  /** The current agent's last read of each secret it has read (core/lastReads.ts); absent: not known yet. */
  lastReads?: ReadonlyMap<string, SecretLastRead> | undefined;
}

/** What a secret's item says of its life, from protocol/lifecycle.ts. */
export interface LifeMark {
  expired: boolean;
  expiringSoon: boolean;
  rotationDue: boolean;
  /** lifecycleSummary's phrase ("expired on 2026-11-01"), for the tooltip; null when nothing is due. */
  summary: string | null;
  /** The short word beside the label. */
  short: string | null;
}

/** The "Versions" child of a secret: its kept values, fetched when expanded (metadata only). */
export interface VersionsNode {
  type: 'versions';
  id: string;
  secret: string;
  contextValue: 'secretVersions';
}

/** One kept value of a secret. */
export interface VersionNode {
  type: 'version';
  id: string;
  secret: string;
  info: SecretVersionInfo;
  label: string;
  description: string;
  /** `secretVersion current|earlier [admin]`: Roll Back applies to an earlier one, for admins. */
  contextValue: string;
}

export interface KeyNode {
  type: 'key';
  id: string;
  secret: string;
  key: string;
  /** Whether the key holds a credential (protocol/keySensitivity.ts), and whether an admin's mark or its name says so. */
  sensitivity: KeySensitivity;
  by: 'mark' | 'default';
  /** Beside the label: "not sensitive" for configuration; empty for a credential (the usual case says nothing). */
  description: string;
  tooltip: string;
  contextValue: 'secretKey';
}

export interface SecretNode {
  type: 'secret';
  id: string;
  name: string;
  description: string;
  kind: SecretKind;
  /** A codicon id: the kind's, or a warning for a secret that needs attention. */
  icon: 'key' | 'symbol-namespace' | 'error' | 'warning';
  life: LifeMark;
  granted: boolean;
  /** References in the workspace; updated in place when the language server reports a change. */
  usage: number;
  /** The metadata it shows; the tooltip is built from it when the editor asks (resolveTreeItem). */
  secret: SecretMetadata;
  /** Space-separated tokens for `viewItem =~ /\btoken\b/` menu clauses. */
  contextValue: string;
  keys: KeyNode[];
  versions: VersionsNode;
}

export type TreeNode = SecretNode | KeyNode | VersionsNode | VersionNode;

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

/** Secrets a view lists at first, and how many more each "Show more" adds. */
export const PAGE_SIZE = 500;

/**
 * The secrets a view lists when `shown` of them are asked for, and whether it holds more (then it
 * ends with a "Show more" item): the editor makes a row for every item a view returns and sends it
 * to the window, and the 13,000 rows of both views of a 10,000-secret vault took seconds to show.
 */
export function pageOf<T>(nodes: readonly T[], shown: number): { nodes: readonly T[]; more: { shown: number; total: number; next: number } | null } {
  if (nodes.length <= shown) return { nodes, more: null };
  return { nodes: nodes.slice(0, shown), more: { shown, total: nodes.length, next: Math.min(PAGE_SIZE, nodes.length - shown) } };
}

/** How many secrets to list so that the one at `index` is among them: whole pages, never fewer than `shown`. */
export function shownThrough(index: number, shown: number): number {
  return index < shown ? shown : (Math.floor(index / PAGE_SIZE) + 1) * PAGE_SIZE;
}

function matches(s: SecretMetadata, filter: string | undefined): boolean {
  const f = filter?.trim().toLowerCase();
  if (!f) return true;
  return s.name.toLowerCase().includes(f) || s.description.toLowerCase().includes(f);
}

const NO_MARK: LifeMark = Object.freeze({ expired: false, expiringSoon: false, rotationDue: false, summary: null, short: null });

/** A secret's life at `nowMs`: expired, expiring within 7 days, rotation due (the CLI's --due says the same). */
export function lifeMark(s: SecretMetadata, nowMs: number): LifeMark {
  // Most secrets have neither an expiry nor a rotation period: nothing to parse or word (a
  // listing of 10,000 spent a quarter of its model's time here).
  if ((s.expiresAt ?? null) === null && !(typeof s.rotationDays === 'number' && s.rotationDays > 0)) return NO_MARK;
  const l = lifecycleOf(s, nowMs);
  const days = l.expiresAtMs === null ? 0 : Math.ceil((l.expiresAtMs - nowMs) / 86_400_000);
  const short = l.expired
    ? 'expired'
    : l.expiringSoon
      ? days <= 1
        ? 'expires within a day'
        : `expires in ${days} days`
      : l.rotationDue
        ? 'rotation due'
        : null;
  return { expired: l.expired, expiringSoon: l.expiringSoon, rotationDue: l.rotationDue, summary: lifecycleSummary(l, nowMs, (ms) => formatDate(ms)), short };
}

/**
 * When the marks of these secrets next change by time alone (epoch ms), or null: the views are
 * rebuilt then, as after a change of the metadata.
 */
export function nextMarkChange(secrets: readonly SecretMetadata[], nowMs: number): number | null {
  let next: number | null = null;
  for (const s of secrets) {
    if ((s.expiresAt ?? null) === null && (s.rotationDays ?? null) === null) continue;
    const l = lifecycleOf(s, nowMs);
    let t = l.nextChangeMs;
    // "expires in 3 days" becomes "expires in 2 days": a change of the words, if not of the state.
    if (l.expiringSoon && l.expiresAtMs !== null) {
      const dayStep = l.expiresAtMs - (Math.ceil((l.expiresAtMs - nowMs) / 86_400_000) - 1) * 86_400_000;
      if (dayStep > nowMs && (t === null || dayStep < t)) t = dayStep;
    }
    if (t !== null && (next === null || t < next)) next = t;
  }
  return next;
}

/** The few distinct context values, by their flags: 10,000 items share them rather than join their own. */
const contextValues = new Map<number, string>();

/** Space-separated tokens for the menus' `viewItem` clauses. */
function secretContextValue(s: SecretMetadata, granted: boolean, input: Pick<TreeInput, 'agent' | 'role'>, life: LifeMark): string {
  const flags =
    (s.kind === 'kv' ? 1 : 0) | (granted ? 2 : 0) | (input.agent !== null ? 4 : 0) | (input.role === 'admin' ? 8 : 0) | (life.expired ? 16 : 0) | (life.expiringSoon ? 32 : 0) | (life.rotationDue ? 64 : 0);
  let value = contextValues.get(flags);
  if (value === undefined) contextValues.set(flags, (value = contextValueOf(s, granted, input, life)));
  return value;
}

function contextValueOf(s: SecretMetadata, granted: boolean, input: Pick<TreeInput, 'agent' | 'role'>, life: LifeMark): string {
  const tokens = ['secret', s.kind, granted ? 'granted' : 'notGranted'];
  if (input.agent !== null) tokens.push('hasAgent');
  if (input.role === 'admin') tokens.push('admin');
  if (life.expired) tokens.push('expired');
  if (life.expiringSoon) tokens.push('expiringSoon');
  if (life.rotationDue) tokens.push('rotationDue');
  return tokens.join(' ');
}

/**
 * The All Secrets view's nodes, built for one agent, changed in place for `input.agent` (the same
 * metadata, role, filter and marks; both agents set): only the secrets granted to either change
 * (their grant, menus, and the description that names the agent), so moving between two projects'
 * files redraws a handful of items instead of building and sending every secret again. Returns those.
 */
export function regrantAll(nodes: readonly SecretNode[], input: TreeInput & { agent: string }): SecretNode[] {
  const changed: SecretNode[] = [];
  for (const node of nodes) {
    const granted = node.secret.agents.includes(input.agent);
    if (!granted && !node.granted) continue;
    node.granted = granted;
    node.contextValue = secretContextValue(node.secret, granted, input, node.life);
    changed.push(node);
  }
  return changed;
}

function secretNode(s: SecretMetadata, input: TreeInput, view: 'granted' | 'all'): SecretNode {
  const granted = input.agent !== null && s.agents.includes(input.agent);
  const life = lifeMark(s, input.now ?? Date.now());
  let keys: KeyNode[] | undefined;
  return {
    type: 'secret',
    id: `${view}:${s.name}`,
    name: s.name,
    description: s.description,
    kind: s.kind,
    icon: life.expired ? 'error' : life.expiringSoon || life.rotationDue ? 'warning' : s.kind === 'kv' ? 'symbol-namespace' : 'key',
    life,
    granted,
    usage: input.usage.get(s.name) ?? 0,
    secret: s,
    contextValue: secretContextValue(s, granted, input, life),
    // Built when first asked for (an item expanded, a key revealed): 2,500 key/value secrets'
    // keys, each with its sensitivity and tooltip, were a third of a listing's model.
    get keys(): KeyNode[] {
      return (keys ??= s.keys.map((key) => keyNode(s, key, view)));
    },
    // Keyed by the value version: a new value (or a rollback) is another node, fetched afresh.
    versions: { type: 'versions', id: `${view}:${s.name}#versions@${s.valueVersion ?? s.version}`, secret: s.name, contextValue: 'secretVersions' },
  };
}

/** A key of a key/value secret, saying when it is not sensitive and why. */
function keyNode(s: SecretMetadata, key: string, view: 'granted' | 'all'): KeyNode {
  const sensitivity = keySensitivity(key, s.keySensitivity);
  const by = s.keySensitivity !== undefined && Object.hasOwn(s.keySensitivity, key) ? 'mark' : 'default';
  const why =
    by === 'mark'
      ? 'marked so by an admin'
      : sensitivity === 'sensitive'
        ? 'by default: its name does not say it holds an address or an identifier'
        : 'by default: its name says it holds an address or an identifier';
  const what =
    sensitivity === 'sensitive'
      ? 'sensitive: a credential; its value reaching a log is reported'
      : 'not sensitive: configuration; its value may appear in logs';
  return {
    type: 'key',
    id: `${view}:${s.name}/${key}`,
    secret: s.name,
    key,
    sensitivity,
    by,
    description: sensitivity === 'not-sensitive' ? (by === 'mark' ? 'not sensitive (marked)' : 'not sensitive') : '',
    tooltip: `Key '${showInvisible(key)}' of ${showInvisible(s.name)}: ${what} (${why}).`,
    contextValue: 'secretKey',
  };
}

/**
 * The short text beside an item's label: what needs attention first, then the grant state or
 * description. `agent` is the current agent as shown: agentLabel's `PROJECT-WEVYLLDV (Field Service
 * Template)` (core/agentLabels.ts), made once per view build rather than per item.
 */
export function itemDescription(node: SecretNode, view: 'granted' | 'all', agent: string | null, agentId: string | null = null): string {
  const base = view === 'all' && agent !== null ? `${node.granted ? `✓ ${agent}` : 'not granted'} · ${whoElse(node.secret.agents, agentId, node.granted)}` : showInvisible(node.description);
  if (!node.life.short) return base;
  return base ? `${node.life.short} · ${base}` : node.life.short;
}

/** At most this many other agents are named beside an item; its tooltip lists them all. */
const OTHERS_SHOWN = 3;

/** Who has access besides the current agent (`current`), for All Secrets: "also support-bot", "billing-bot, support-bot +2". */
function whoElse(agents: readonly string[], current: string | null, granted: boolean): string {
  const others = agents.filter((a) => a !== current);
  if (others.length === 0) return granted ? 'no other agent' : 'no agent has access';
  const named = others.slice(0, OTHERS_SHOWN).join(', ');
  const more = others.length > OTHERS_SHOWN ? ` +${others.length - OTHERS_SHOWN}` : '';
  return `${granted ? 'also ' : ''}${named}${more}`;
}

/** A moment in the extension's locale (protocol/dates.ts: set from VS Code's display language). */
const when = (iso: string) => formatDate(iso, { time: true });

/** A secret's kept values as children of its "Versions" item, newest first as the vault lists them. */
export function versionNodes(parent: VersionsNode, versions: readonly SecretVersionInfo[], role: Role | null): VersionNode[] {
  return versions.map((v) => {
    const notes = [v.current ? 'current' : undefined, v.restoredFrom !== undefined ? `restored from ${v.restoredFrom}` : undefined].filter(Boolean);
    const tokens = ['secretVersion', v.current ? 'current' : 'earlier'];
    if (role === 'admin') tokens.push('admin');
    return {
      type: 'version',
      id: `${parent.id}/${v.version}`,
      secret: parent.secret,
      info: v,
      label: `Version ${v.version}`,
      description: [...notes, `${when(v.createdAt)} by ${v.createdBy}`].join(' · '),
      contextValue: tokens.join(' '),
    };
  });
}

// `&` so that `&lt;` in a name stays those four characters; `$` so that `$(icon)` stays text where
// theme icons are on (the status item's tooltip). Names are free text.
const MD_SPECIAL = /[\\`*_{}[\]()#+\-.!|<>~&$]/g;
/** Markdown-escaped, invisible characters shown as escapes (`\u200b`): tooltips are text someone else wrote. */
export function escapeMarkdown(text: string): string {
  return showInvisible(text).replace(MD_SPECIAL, (c) => `\\${c}`);
}

/** Markdown (the host renders it untrusted), built only when the editor shows it. */
export function tooltipOf(node: SecretNode, input: Pick<TreeInput, 'agents' | 'agent' | 'lastReads' | 'now'>): string {
  const s = node.secret;
  const lines: string[] = [];
  lines.push(`**${escapeMarkdown(s.name)}** · ${s.kind === 'kv' ? 'key/value secret' : 'single value'}`);
  if (s.description) lines.push(escapeMarkdown(s.description));
  if (s.kind === 'kv') lines.push(`Keys: ${s.keys.map((k) => `\`${k}\``).join(', ')}`);
  // Configuration beside the credentials: their values may appear in logs (secret-in-log does not report them).
  const config = node.keys.filter((k) => k.sensitivity === 'not-sensitive');
  if (config.length) lines.push(`Not sensitive: ${config.map((k) => `\`${k.key}\` (${k.by === 'mark' ? 'marked' : 'default'})`).join(', ')}`);
  const access = s.agents.map((id) => escapeMarkdown(agentLabel(id, input.agents)) + (id === input.agent ? ' ← current' : ''));
  lines.push(`Access: ${access.length ? access.join(', ') : 'no agent'}`);
  // The current agent's last run-time read, when its reads are known and it may read the secret (or did).
  const read = input.lastReads?.get(s.name);
  if (input.agent !== null && input.lastReads !== undefined && (node.granted || read !== undefined)) {
    const words = read === undefined ? undefined : { at: read.at, environment: read.environment === null ? null : escapeMarkdown(read.environment) };
    lines.push(capitalized(lastReadPhrase(escapeMarkdown(agentLabel(input.agent, input.agents)), words, input.now ?? Date.now())));
  }
  lines.push(`Updated ${when(s.updatedAt)} by ${escapeMarkdown(s.updatedBy)}`);
  // A secret's life: what is due, the expiry and reminder set, and when the value changed.
  if (node.life.summary) lines.push(`${node.life.expired ? '✗' : '⚠'} ${escapeMarkdown(node.life.summary)}${node.life.expired ? ': run-time reads are refused' : ''}`);
  const set: string[] = [];
  if (s.expiresAt && !node.life.expired && !node.life.expiringSoon) set.push(`expires ${when(s.expiresAt)}`);
  if (typeof s.rotationDays === 'number') set.push(`rotation reminder every ${s.rotationDays} days`);
  if (set.length) lines.push(escapeMarkdown(set.join(' · ').replace(/^./, (c) => c.toUpperCase())));
  if (s.valueUpdatedAt) {
    const version = s.valueVersion !== undefined ? ` (value version ${s.valueVersion})` : '';
    lines.push(`Value set ${when(s.valueUpdatedAt)}${s.valueUpdatedBy ? ` by ${escapeMarkdown(s.valueUpdatedBy)}` : ''}${version}`);
  }
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
