// The last run-time reads of the agents the editor follows (the workspace's projects'), for the
// Secrets views' tooltips and, through the snapshot, the hovers (issue 53). The vault's listing
// leaves them out (its cost at 10,000 secrets), so they are fetched per agent, once for each
// metadata version (GET /v1/agents/{id}/reads): a handful of requests when something changed, none
// while nothing did. Reads make no vault event, so a read since then shows at the next change or
// reconnection. Metadata only. No vscode here.

import type { AgentReadList, SecretLastRead } from '../../../protocol/api';
import type { SecretInfo, SecretReadInfo } from '../../../protocol/lsp';

/** Agents whose reads are fetched at most (a workspace of many projects fetches its first ones). */
export const MAX_READ_AGENTS = 20;

export interface KnownReads {
  /** The agents fetched, sorted: for them, a secret with no read was never read. */
  readonly agents: readonly string[];
  /** Agent → secret → its last read. */
  readonly byAgent: ReadonlyMap<string, ReadonlyMap<string, SecretLastRead>>;
}

export class AgentReadsCache {
  private known: KnownReads | undefined;
  /** The epoch and agents last fetched (or being fetched). */
  private key = '';
  /** Moves when `known` changes, for views that rebuild from it. */
  generation = 0;

  constructor(
    private readonly fetch: (agent: string) => Promise<AgentReadList>,
    private readonly onChange: () => void,
    private readonly onError: (e: unknown) => void,
  ) {}

  /**
   * The reads known (possibly of other agents or an older epoch: `agents` says whose); starts
   * fetching `agents`' reads when they were not fetched for `epoch` (what moves when the vault's
   * metadata changes). onChange follows when they arrive.
   */
  get(agents: readonly (string | null)[], epoch: string): KnownReads | undefined {
    const wanted = [...new Set(agents.filter((a): a is string => a !== null))].sort().slice(0, MAX_READ_AGENTS);
    const key = `${epoch}\n${wanted.join('\n')}`;
    if (key !== this.key) {
      this.key = key;
      if (wanted.length > 0) void this.load(key, wanted);
    }
    return this.known;
  }

  /** Another vault or key: nothing known. */
  clear(): void {
    this.known = undefined;
    this.key = '';
    this.generation++;
  }

  private async load(key: string, agents: string[]): Promise<void> {
    let lists: AgentReadList[];
    try {
      // An agent the vault does not know (a project not created there yet) has read nothing.
      lists = await Promise.all(agents.map((a) => this.fetch(a).catch((e: unknown) => ((e as { status?: number }).status === 404 ? { agent: a, reads: [] } : Promise.reject(e)))));
    } catch (e) {
      // Not retried until the metadata or the agents change: a failure must not become a loop.
      if (key === this.key) this.onError(e);
      return;
    }
    if (key !== this.key) return;
    const byAgent = new Map<string, Map<string, SecretLastRead>>();
    for (const list of lists) byAgent.set(list.agent, new Map(list.reads.map((r) => [r.secret, { agent: list.agent, at: r.at, environment: r.environment }])));
    this.known = { agents, byAgent };
    this.generation++;
    this.onChange();
  }
}

/** The agent's reads by secret, when that agent's reads are known; undefined otherwise. */
export function readsOf(known: KnownReads | undefined, agent: string | null): ReadonlyMap<string, SecretLastRead> | undefined {
  if (known === undefined || agent === null || !known.agents.includes(agent)) return undefined;
  return known.byAgent.get(agent);
}

/** A secret's reads by the known agents on its access list (never-read ones with `at` null), for SecretInfo.reads; undefined when none. */
export function secretReads(info: Pick<SecretInfo, 'name' | 'agents'>, known: KnownReads | undefined): SecretReadInfo[] | undefined {
  if (known === undefined) return undefined;
  const out: SecretReadInfo[] = [];
  for (const agent of known.agents) {
    if (!info.agents.includes(agent)) continue;
    const r = known.byAgent.get(agent)?.get(info.name);
    out.push({ agent, at: r?.at ?? null, environment: r?.environment ?? null });
  }
  return out.length > 0 ? out : undefined;
}
