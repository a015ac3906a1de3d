// The vault as the language features see it: metadata only (never a value), indexed so that every
// request is a map lookup. Built once from the first snapshot; after that changes (deltas, or the
// difference of a later snapshot) are applied in place: the sorted list, the did-you-mean index and
// the word index each take or lose one entry, nothing is rebuilt. `apply` answers what a change
// touched, so the server re-checks only documents it can affect, and which entries it put or
// removed, so that lists kept outside the model (completion's, in features/) follow it the same way.

import type { AgentInfo, ConnectionState, FolderAgent, MetadataChange, PendingAccess, SecretInfo, StaleInfo, VaultSnapshot } from '../../../../protocol/lsp';
import type { NamingStyle } from '../../../../protocol/names';
import type { Role } from '../../../../protocol/api';
import { sameFolderAgents, samePending, sameSecret } from '../../../../protocol/sync';
import { nearestProjectRoot } from '../../../../protocol/adkProject';
import { NameIndex, type NearMatch } from './nearest';
import { WordPrefixIndex } from './wordPrefixIndex';

export interface SecretEntry {
  /** Stable while the secret exists: the word index and the completion lists refer to it by this. */
  readonly id: number;
  readonly info: SecretInfo;
  readonly agents: ReadonlySet<string>;
  readonly keys: ReadonlySet<string>;
}

/** Everything in the metadata but the secrets and agents. */
export interface ModelContext {
  connection: ConnectionState;
  namingStyle: NamingStyle;
  role: Role | null;
  folders: FolderAgent[];
  defaultAgent: string | null;
  stale: StaleInfo | null;
  /** The account's pending access requests (the diagnostics say "access requested, pending"). */
  pendingAccess: PendingAccess[];
  /** The environment chosen in the editor: 'all', or the one whose computed names are reported. */
  environment: string;
}

/** What a change touched, as far as diagnostics are concerned. */
export interface ModelImpact {
  /** Something changed at all (caches, hovers and code actions may differ). */
  changed: boolean;
  /** Every document's diagnostics may differ (naming style, connection, staleness). */
  all: boolean;
  /** Secrets created, updated or deleted. */
  names: Set<string>;
  /** Of those, the names that appeared or disappeared: did-you-mean suggestions near them may change. */
  addedOrRemoved: Set<string>;
  /** Set when folders or the default agent changed: the agent a document had before. */
  agentBefore?: (uri: string) => string | null;
  /** The chosen environment changed: documents with computed reads (candidates) may differ. */
  environment?: boolean;
  /** Set by `VaultModel.apply`: the entries it put and removed, for lists kept per secret outside the model. */
  entries?: EntryChanges;
}

/** An impact as `apply` makes it, entry changes included. */
type AppliedImpact = ModelImpact & { entries: EntryChanges };

/** One entry put (`old` is the one it replaces, undefined for a new secret) or removed. */
export type EntryChange = { readonly kind: 'put'; readonly entry: SecretEntry; readonly old: SecretEntry | undefined } | { readonly kind: 'removed'; readonly old: SecretEntry };

/**
 * What one update did to the secret entries: the changes in order, or, after a change of many
 * secrets, `cleared` (the model rebuilt its indexes; whatever is kept per secret is built afresh).
 */
export interface EntryChanges {
  cleared: boolean;
  /** Empty when `cleared`. */
  readonly changes: EntryChange[];
}

/** Told of every update's entry changes, once `apply` has finished. */
export type EntryListener = (changes: EntryChanges) => void;

export function noImpact(): ModelImpact {
  return { changed: false, all: false, names: new Set(), addedOrRemoved: new Set() };
}

/** Answers kept per model; cleared when full or when the names change. */
const NEAR_CACHE_SIZE = 2000;
/** A change of more secrets than this rebuilds the indexes in one go, which is quicker then. */
const BULK_CHANGE = 512;

interface FolderRule {
  prefix: string;
  agent: string | null;
}

export class VaultModel {
  private readonly byName = new Map<string, SecretEntry>();
  /** By name; kept sorted as secrets come and go. */
  private sorted: SecretEntry[] = [];
  private readonly agentsById = new Map<string, AgentInfo>();
  private context: ModelContext | null;
  private folderRules: FolderRule[] = [];
  /** Agent id → the name of the ADK project whose folder rule gives it (a fallback display name). */
  private projectNames = new Map<string, string>();
  /** `secret\0agent` of every pending request, for a lookup per reference. */
  private pending = new Set<string>();
  private nameIndex: NameIndex;
  private wordIndex: WordPrefixIndex | undefined;
  private readonly nearCache = new Map<string, NearMatch[]>();
  private nextId = 0;
  private readonly freeIds: number[] = [];
  /** Lists kept per secret outside the model (completion's), told of each update's entry changes. */
  private readonly listeners: EntryListener[] = [];
  private updates = 0;

  /** A model before the client has sent anything: only checks that need no vault apply. */
  static get empty(): VaultModel {
    return new VaultModel(null);
  }

  static fromSnapshot(snapshot: VaultSnapshot): VaultModel {
    return new VaultModel(snapshot);
  }

  private constructor(snapshot: VaultSnapshot | null) {
    this.context = snapshot ? contextOf(snapshot) : null;
    for (const s of snapshot?.secrets ?? []) {
      const old = this.byName.get(s.name);
      const entry = this.entryOf(s, old?.id);
      this.byName.set(s.name, entry);
    }
    for (const a of snapshot?.agents ?? []) this.agentsById.set(a.id, { id: a.id, name: a.name });
    this.sorted = [...this.byName.values()].sort((a, b) => compare(a.info.name, b.info.name));
    // Built with the snapshot, so that the first check after it is as quick as the next ones.
    this.nameIndex = new NameIndex(this.byName.keys()).prepare();
    this.folderRules = rulesOf(this.context?.folders ?? []);
    this.projectNames = projectNamesOf(this.context?.folders ?? []);
    this.pending = pendingKeys(this.context?.pendingAccess ?? []);
  }

  private entryOf(s: SecretInfo, id?: number): SecretEntry {
    // Copy the known fields only: whatever else a client might attach stays out of every answer.
    const info: SecretInfo = { name: s.name, description: s.description, kind: s.kind, keys: [...s.keys], agents: [...s.agents] };
    if (s.updatedAt !== undefined) info.updatedAt = s.updatedAt;
    if (s.expiresAt !== undefined) info.expiresAt = s.expiresAt;
    if (s.rotationDays !== undefined) info.rotationDays = s.rotationDays;
    if (s.valueUpdatedAt !== undefined) info.valueUpdatedAt = s.valueUpdatedAt;
    if (s.valueUpdatedBy !== undefined) info.valueUpdatedBy = s.valueUpdatedBy;
    if (s.keySensitivity !== undefined) info.keySensitivity = { ...s.keySensitivity };
    if (s.reads !== undefined) info.reads = s.reads.map((r) => ({ agent: r.agent, at: r.at, environment: r.environment }));
    return { id: id ?? this.freeIds.pop() ?? this.nextId++, info, agents: new Set(info.agents), keys: new Set(info.keys) };
  }

  /**
   * How many updates `apply` has made: what is worked out from the model (the diagnostics' verdicts
   * per name) holds while this stays the same. A new model starts again from 0: key such answers
   * on the model too.
   */
  get generation(): number {
    return this.updates;
  }

  /** Whether the model has received metadata at all. */
  get loaded(): boolean {
    return this.context !== null;
  }

  /** The account's naming style, or null before any snapshot. */
  get namingStyle(): NamingStyle | null {
    return this.context?.namingStyle ?? null;
  }

  get connection(): ConnectionState | null {
    return this.context?.connection ?? null;
  }

  /** Since when the metadata is not live (offline cache, vault unreachable); null when it is. */
  get stale(): StaleInfo | null {
    return this.context?.stale ?? null;
  }

  /**
   * Whether vault-dependent checks apply: connected, or unreachable with the last known metadata
   * (marked stale). Signed out, or unreachable with nothing known, reporting every reference as
   * unknown would only bury the real problems.
   */
  /** The environment chosen in the editor ('all' before any snapshot or when none was chosen). */
  get environment(): string {
    return this.context?.environment ?? 'all';
  }

  get ready(): boolean {
    const c = this.context;
    if (!c) return false;
    return c.connection === 'connected' || (c.connection === 'unreachable' && c.stale !== null);
  }

  get role(): Role | null {
    return this.context?.role ?? null;
  }

  get isAdmin(): boolean {
    return this.context?.role === 'admin';
  }

  /** Every secret, sorted by name. */
  get secrets(): readonly SecretEntry[] {
    return this.sorted;
  }

  get agents(): readonly AgentInfo[] {
    return [...this.agentsById.values()];
  }

  get folders(): readonly FolderAgent[] {
    return this.context?.folders ?? [];
  }

  get defaultAgent(): string | null {
    return this.context?.defaultAgent ?? null;
  }

  secret(name: string): SecretEntry | undefined {
    return this.byName.get(name);
  }

  /** Whether someone has asked, and no admin has decided yet, that `agent` may read `secret`. */
  isPending(secret: string, agent: string): boolean {
    return this.pending.has(pendingKey(secret, agent));
  }

  /** Secrets with an expiry or a rotation reminder: the only ones whose state changes with time alone. */
  *timed(): Generator<SecretEntry> {
    for (const e of this.sorted) {
      const i = e.info;
      if ((i.expiresAt !== undefined && i.expiresAt !== null) || (i.rotationDays !== undefined && i.rotationDays !== null)) yield e;
    }
  }

  /** The lower-case names' word index, for completion in a large vault; built on first use. */
  words(): WordPrefixIndex {
    if (!this.wordIndex) {
      // Built in one sort; later changes add and remove single names.
      const byId: (string | undefined)[] = [];
      for (const e of this.sorted) byId[e.id] = e.info.name.toLowerCase();
      this.wordIndex = new WordPrefixIndex(byId);
    }
    return this.wordIndex;
  }

  /**
   * Names close to `name` (a typo away), nearest first. Answers are kept: every keystroke re-checks
   * the same unknown names.
   */
  nearestNames(name: string, max = 3): NearMatch[] {
    const key = `${max}\u0000${name}`;
    let found = this.nearCache.get(key);
    if (!found) {
      found = this.nameIndex.nearest(name, max);
      if (this.nearCache.size >= NEAR_CACHE_SIZE) this.nearCache.clear();
      this.nearCache.set(key, found);
    }
    return found;
  }

  /** The agent whose access applies to a document: the innermost workspace folder's, else the default. */
  agentFor(uri: string): string | null {
    return agentByRules(this.folderRules, this.context?.defaultAgent ?? null, uri);
  }

  /** The agents the folder rules choose (each once): the workspace's agents, read or not. */
  folderAgents(): string[] {
    const out = new Set<string>();
    for (const f of this.context?.folders ?? []) if (f.agent !== null) out.add(f.agent);
    return [...out];
  }

  /**
   * The folder URI of the innermost ADK project (a folder rule with a `name`, even null: the client
   * sends one for each folder holding a project.yaml) that holds the document; null outside every
   * project.
   */
  projectRootFor(uri: string): string | null {
    const roots = (this.context?.folders ?? []).flatMap((f) => (f.name !== undefined ? [f.folderUri] : []));
    return roots.length === 0 ? null : nearestProjectRoot(uri, roots);
  }

  /** The agent's display name when the metadata knows it, else its id. */
  agentName(id: string): string {
    return this.agentsById.get(id)?.name ?? this.projectNames.get(id) ?? id;
  }

  /** The agent's display name, or undefined when the metadata has none (for hovers: `id (name)`). */
  readonly agentDisplayName = (id: string): string | undefined => {
    const name = this.agentsById.get(id)?.name;
    // The vault's name when it says more than the id, else the ADK project's (project.yaml's project_name).
    return (name && name !== id ? name : undefined) ?? this.projectNames.get(id) ?? (name || undefined);
  };

  /** The metadata the model holds, as a snapshot (with `revision`), e.g. to compare with a new one. */
  toSnapshot(revision: number): VaultSnapshot | null {
    const c = this.context;
    if (!c) return null;
    return { revision, ...c, folders: c.folders.map((f) => ({ ...f })), pendingAccess: c.pendingAccess.map((p) => ({ ...p })), secrets: this.sorted.map((e) => e.info), agents: [...this.agentsById.values()] };
  }

  /**
   * The changes that turn this model's metadata into `snapshot`'s: a later snapshot (a resync) is
   * applied as its difference, so that it costs what changed rather than a rebuild.
   */
  differenceTo(snapshot: VaultSnapshot): MetadataChange[] {
    const changes: MetadataChange[] = [];
    const c = this.context;
    const context: MetadataChange & { kind: 'context' } = { kind: 'context' };
    const next = contextOf(snapshot);
    if (!c || c.connection !== next.connection) context.connection = next.connection;
    if (!c || c.namingStyle !== next.namingStyle) context.namingStyle = next.namingStyle;
    if (!c || c.role !== next.role) context.role = next.role;
    if (!c || c.defaultAgent !== next.defaultAgent) context.defaultAgent = next.defaultAgent;
    if (!c || (c.stale?.since ?? null) !== (next.stale?.since ?? null)) context.stale = next.stale;
    if (!c || !sameFolders(c.folders, next.folders)) context.folders = next.folders;
    if (!c || !samePending(c.pendingAccess, next.pendingAccess)) context.pendingAccess = next.pendingAccess;
    if (!c || c.environment !== next.environment) context.environment = next.environment;
    if (Object.keys(context).length > 1) changes.push(context);
    const incoming = new Map(snapshot.secrets.map((s) => [s.name, s]));
    for (const name of this.byName.keys()) if (!incoming.has(name)) changes.push({ kind: 'secretDeleted', name });
    for (const s of incoming.values()) {
      const old = this.byName.get(s.name);
      if (!old || !sameSecret(old.info, s)) changes.push({ kind: 'secret', secret: s });
    }
    const agents = new Map(snapshot.agents.map((a) => [a.id, a]));
    for (const id of this.agentsById.keys()) if (!agents.has(id)) changes.push({ kind: 'agentDeleted', id });
    for (const a of agents.values()) if (this.agentsById.get(a.id)?.name !== a.name) changes.push({ kind: 'agent', agent: a });
    return changes;
  }

  /**
   * Lets a list kept per secret outside the model (completion's) follow it: `listener` hears each
   * later `apply`'s entry changes, so it changes in place as the model does and is never rebuilt.
   */
  onEntryChanges(listener: EntryListener): void {
    this.listeners.push(listener);
  }

  /** Applies changes in order, in place; says what they touched. */
  apply(changes: readonly MetadataChange[]): ModelImpact {
    // Every update counts, even one that changes nothing: a first context sets defaults silently.
    this.updates++;
    const impact: AppliedImpact = { ...noImpact(), entries: { cleared: false, changes: [] } };
    const secretChanges = changes.reduce((n, c) => n + (c.kind === 'secret' || c.kind === 'secretDeleted' ? 1 : 0), 0);
    const bulk = secretChanges > BULK_CHANGE;
    for (const change of changes) {
      switch (change.kind) {
        case 'secret':
          this.putSecret(change.secret, impact, bulk);
          break;
        case 'secretDeleted':
          this.deleteSecret(change.name, impact, bulk);
          break;
        case 'agent':
          if (this.agentsById.get(change.agent.id)?.name !== change.agent.name) {
            // Messages name agents by id: a new or renamed agent changes hovers, not diagnostics.
            this.agentsById.set(change.agent.id, { id: change.agent.id, name: change.agent.name });
            impact.changed = true;
          }
          break;
        case 'agentDeleted':
          if (this.agentsById.delete(change.id)) impact.changed = true;
          break;
        case 'context':
          this.applyContext(change, impact);
          break;
      }
    }
    if (bulk) {
      this.rebuildIndexes();
      impact.entries.cleared = true;
    }
    if (impact.addedOrRemoved.size > 0) this.nearCache.clear();
    if (impact.entries.cleared || impact.entries.changes.length > 0) for (const listener of this.listeners) listener(impact.entries);
    return impact;
  }

  private applyContext(change: MetadataChange & { kind: 'context' }, impact: ModelImpact): void {
    // A context before any snapshot starts from neutral defaults; the first snapshot sets them all.
    const c: ModelContext = this.context ?? { connection: 'signed-out', namingStyle: 'snake_case', role: null, folders: [], defaultAgent: null, stale: null, pendingAccess: [], environment: 'all' };
    const wasReady = this.ready;
    const staleBefore = c.stale?.since ?? null;
    if (change.connection !== undefined && change.connection !== c.connection) {
      c.connection = change.connection;
      impact.changed = true;
      // Stale verdicts name the reason ("vault unreachable" or "offline data").
      if (c.stale !== null) impact.all = true;
    }
    if (change.namingStyle !== undefined && change.namingStyle !== c.namingStyle) {
      c.namingStyle = change.namingStyle;
      impact.changed = impact.all = true;
    }
    if (change.role !== undefined && change.role !== c.role) {
      // The role decides which quick fixes are offered, not what a diagnostic says.
      c.role = change.role;
      impact.changed = true;
    }
    if (change.stale !== undefined && (change.stale?.since ?? null) !== staleBefore) {
      c.stale = change.stale === null ? null : { since: change.stale.since };
      impact.changed = impact.all = true;
    }
    const foldersChanged = change.folders !== undefined && !sameFolders(change.folders, c.folders);
    const defaultChanged = change.defaultAgent !== undefined && change.defaultAgent !== c.defaultAgent;
    if (foldersChanged || defaultChanged) {
      if (!impact.agentBefore) {
        const rules = this.folderRules;
        const before = c.defaultAgent;
        impact.agentBefore = (uri) => agentByRules(rules, before, uri);
      }
      if (foldersChanged) {
        c.folders = change.folders!.map(folderOf);
        this.folderRules = rulesOf(c.folders);
        this.projectNames = projectNamesOf(c.folders);
      }
      if (defaultChanged) c.defaultAgent = change.defaultAgent!;
      impact.changed = true;
    }
    if (change.pendingAccess !== undefined && !samePending(change.pendingAccess, c.pendingAccess)) {
      // Only the secrets whose pending state changed are re-worded: their names are the impact.
      const next = pendingKeys(change.pendingAccess);
      for (const p of [...c.pendingAccess, ...change.pendingAccess]) {
        const key = pendingKey(p.secret, p.agent);
        if (this.pending.has(key) !== next.has(key)) impact.names.add(p.secret);
      }
      c.pendingAccess = change.pendingAccess.map((p) => ({ secret: p.secret, agent: p.agent }));
      this.pending = next;
      impact.changed = true;
    }
    if (change.environment !== undefined && change.environment !== c.environment) {
      // Only computed reads' candidates depend on it: the impact says so, the service finds them.
      c.environment = change.environment;
      impact.changed = true;
      impact.environment = true;
    }
    this.context = c;
    if (this.ready !== wasReady) impact.all = true;
  }

  private putSecret(s: SecretInfo, impact: AppliedImpact, bulk: boolean): void {
    const old = this.byName.get(s.name);
    if (old && sameSecret(old.info, s)) return;
    const entry = this.entryOf(s, old?.id);
    this.byName.set(s.name, entry);
    impact.changed = true;
    impact.names.add(s.name);
    if (!old) impact.addedOrRemoved.add(s.name);
    if (bulk) return;
    const at = this.position(s.name);
    if (old) this.sorted[at] = entry;
    else {
      this.sorted.splice(at, 0, entry);
      this.nameIndex.add(s.name);
      this.wordIndex?.add(entry.id, s.name.toLowerCase());
    }
    impact.entries.changes.push({ kind: 'put', entry, old });
  }

  private deleteSecret(name: string, impact: AppliedImpact, bulk: boolean): void {
    const old = this.byName.get(name);
    if (!old) return;
    this.byName.delete(name);
    impact.changed = true;
    impact.names.add(name);
    impact.addedOrRemoved.add(name);
    if (bulk) return;
    this.sorted.splice(this.position(name), 1);
    this.nameIndex.remove(name);
    this.wordIndex?.remove(old.id, name.toLowerCase());
    impact.entries.changes.push({ kind: 'removed', old });
    this.freeIds.push(old.id);
  }

  /** After a change of many secrets: every derived structure afresh, from `byName`. */
  private rebuildIndexes(): void {
    this.sorted = [...this.byName.values()].sort((a, b) => compare(a.info.name, b.info.name));
    this.nameIndex = new NameIndex(this.byName.keys()).prepare();
    this.wordIndex = undefined;
    // Ids of deleted secrets may be reused now that nothing refers to them.
    const used = new Set(this.sorted.map((e) => e.id));
    this.freeIds.length = 0;
    for (let id = 0; id < this.nextId; id++) if (!used.has(id)) this.freeIds.push(id);
  }

  /** Where `name` is, or belongs, in `sorted`. */
  private position(name: string): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.sorted[mid]!.info.name < name) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

function contextOf(s: VaultSnapshot): ModelContext {
  return {
    connection: s.connection,
    namingStyle: s.namingStyle,
    role: s.role,
    folders: s.folders.map(folderOf),
    defaultAgent: s.defaultAgent,
    stale: s.stale === null ? null : { since: s.stale.since },
    pendingAccess: (s.pendingAccess ?? []).map((p) => ({ secret: p.secret, agent: p.agent })),
    environment: s.environment ?? 'all',
  };
}

function pendingKey(secret: string, agent: string): string {
  return `${secret}\u0000${agent}`;
}

function pendingKeys(list: readonly PendingAccess[]): Set<string> {
  return new Set(list.map((p) => pendingKey(p.secret, p.agent)));
}

const sameFolders = sameFolderAgents;

/** The known fields of a folder rule (a project's name only when it has one). */
function folderOf(f: FolderAgent): FolderAgent {
  // A name, even null, marks an ADK project's folder (projectRootFor).
  return f.name !== undefined ? { folderUri: f.folderUri, agent: f.agent, name: f.name } : { folderUri: f.folderUri, agent: f.agent };
}

function projectNamesOf(folders: readonly FolderAgent[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const f of folders) if (f.agent !== null && typeof f.name === 'string' && f.name !== '' && !names.has(f.agent)) names.set(f.agent, f.name);
  return names;
}

/** Longest folder first, so the first match is the innermost folder. */
function rulesOf(folders: readonly FolderAgent[]): FolderRule[] {
  return folders.map((f) => ({ prefix: trimSlash(f.folderUri), agent: f.agent })).sort((a, b) => b.prefix.length - a.prefix.length);
}

function agentByRules(rules: readonly FolderRule[], defaultAgent: string | null, uri: string): string | null {
  for (const rule of rules) {
    if (uri === rule.prefix || (uri.startsWith(rule.prefix) && uri.charCodeAt(rule.prefix.length) === 47 /* / */)) {
      return rule.agent;
    }
  }
  return defaultAgent;
}

function trimSlash(uri: string): string {
  return uri.endsWith('/') ? uri.slice(0, -1) : uri;
}

export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
