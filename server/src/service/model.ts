// The vault as the language features see it: one snapshot of metadata (never a value), indexed once
// so that every request is a map lookup. A new snapshot builds a new model; nothing is mutated.

import type { SecretInfo, VaultSnapshot } from '../../../protocol/lsp';
import type { NamingStyle } from '../../../protocol/names';
import type { Role } from '../../../protocol/api';
import { NameIndex, type NearMatch } from './nearest';

export interface SecretEntry {
  readonly info: SecretInfo;
  readonly agents: ReadonlySet<string>;
  readonly keys: ReadonlySet<string>;
}

/** Answers kept per model; cleared when full, which only costs recomputing them. */
const NEAR_CACHE_SIZE = 2000;

interface FolderRule {
  prefix: string;
  agent: string | null;
}

export class VaultModel {
  private readonly byName = new Map<string, SecretEntry>();
  private readonly sorted: SecretEntry[];
  private readonly folderRules: FolderRule[];
  private readonly nameIndex: NameIndex;
  private readonly nearCache = new Map<string, NearMatch[]>();

  /** A model before the client has sent anything: only checks that need no vault apply. */
  static readonly empty = new VaultModel(null);

  static fromSnapshot(snapshot: VaultSnapshot): VaultModel {
    return new VaultModel(snapshot);
  }

  private constructor(readonly snapshot: VaultSnapshot | null) {
    for (const s of snapshot?.secrets ?? []) {
      // Copy the known fields only: whatever else a client might attach stays out of every answer.
      const info: SecretInfo = { name: s.name, description: s.description, kind: s.kind, keys: [...s.keys], agents: [...s.agents] };
      if (s.updatedAt !== undefined) info.updatedAt = s.updatedAt;
      this.byName.set(info.name, { info, agents: new Set(info.agents), keys: new Set(info.keys) });
    }
    this.sorted = [...this.byName.values()].sort((a, b) => compare(a.info.name, b.info.name));
    // Built with the snapshot, so that the first check after it is as quick as the next ones.
    this.nameIndex = new NameIndex(this.byName.keys()).prepare();
    // Longest folder first, so the first match is the innermost folder.
    this.folderRules = (snapshot?.folders ?? [])
      .map((f) => ({ prefix: trimSlash(f.folderUri), agent: f.agent }))
      .sort((a, b) => b.prefix.length - a.prefix.length);
  }

  /** The account's naming style, or null before any snapshot. */
  get namingStyle(): NamingStyle | null {
    return this.snapshot?.namingStyle ?? null;
  }

  /**
   * Whether vault-dependent checks apply. Signed out or unreachable, the secret list is unknown or
   * stale, and reporting every reference as unknown would only bury the real problems.
   */
  get ready(): boolean {
    return this.snapshot?.connection === 'connected';
  }

  get role(): Role | null {
    return this.snapshot?.role ?? null;
  }

  get isAdmin(): boolean {
    return this.snapshot?.role === 'admin';
  }

  /** Every secret, sorted by name. */
  get secrets(): readonly SecretEntry[] {
    return this.sorted;
  }

  secret(name: string): SecretEntry | undefined {
    return this.byName.get(name);
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
    for (const rule of this.folderRules) {
      if (uri === rule.prefix || (uri.startsWith(rule.prefix) && uri.charCodeAt(rule.prefix.length) === 47 /* / */)) {
        return rule.agent;
      }
    }
    return this.snapshot?.defaultAgent ?? null;
  }

  /** The agent's display name when the snapshot knows it, else its id. */
  agentName(id: string): string {
    return this.snapshot?.agents.find((a) => a.id === id)?.name ?? id;
  }
}

function trimSlash(uri: string): string {
  return uri.endsWith('/') ? uri.slice(0, -1) : uri;
}

export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
