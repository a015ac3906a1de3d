// The last run-time reads of the agents the editor follows (the workspace's projects'), for the
// Secrets views' tooltips and, through the snapshot, the hovers (issue 53). The vault's listing
// leaves them out (its cost at 10,000 secrets), so they are fetched per agent, once for each
// metadata version (GET /v1/agents/{id}/reads): a handful of requests when something changed, none
// while nothing did. Reads make no vault event, so a read since then shows at the next change or
// reconnection. The Access review view asks the same requests for its agents (agentReads). Metadata
// only. No vscode here.

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
  /** This epoch's requests by agent (null: the vault answered 404), shared by `get` and `agentReads`. */
  private lists = { epoch: '', byAgent: new Map<string, Promise<AgentReadList | null>>() };

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
      if (wanted.length > 0) void this.load(key, epoch, wanted);
    }
    return this.known;
  }

  /**
   * One agent's reads for `epoch`, by secret, for the Access review: the request `get` made or makes
   * for it (one per agent and epoch, whoever asks first). Null when the vault answers 404 (it keeps
   * no reads, or does not know the agent); rejects on other failures.
   */
  async agentReads(agent: string, epoch: string): Promise<ReadonlyMap<string, SecretLastRead> | null> {
    const list = await this.list(agent, epoch);
    return list && byReadSecret(list);
  }

  /** Another vault or key: nothing known. */
  clear(): void {
    this.known = undefined;
    this.key = '';
    this.lists = { epoch: '', byAgent: new Map() };
    this.generation++;
  }

  private list(agent: string, epoch: string): Promise<AgentReadList | null> {
    if (this.lists.epoch !== epoch) this.lists = { epoch, byAgent: new Map() };
    const lists = this.lists.byAgent;
    let request = lists.get(agent);
    if (!request) {
      const made = this.fetch(agent).catch((e: unknown) => ((e as { status?: number }).status === 404 ? null : Promise.reject(e)));
      // A failed request is not kept: the next one who asks asks the vault again.
      made.catch(() => {
        if (lists.get(agent) === made) lists.delete(agent);
      });
      lists.set(agent, made);
      request = made;
    }
    return request;
  }

  private async load(key: string, epoch: string, agents: string[]): Promise<void> {
    let lists: AgentReadList[];
    try {
      // An agent the vault does not know (a project not created there yet) has read nothing.
      lists = await Promise.all(agents.map(async (a) => (await this.list(a, epoch)) ?? { agent: a, reads: [] }));
    } catch (e) {
      // Not retried until the metadata or the agents change: a failure must not become a loop.
      if (key === this.key) this.onError(e);
      return;
    }
    if (key !== this.key) return;
    this.known = { agents, byAgent: new Map(lists.map((list) => [list.agent, byReadSecret(list)])) };
    this.generation++;
    this.onChange();
  }
}

function byReadSecret(list: AgentReadList): Map<string, SecretLastRead> {
  return new Map(list.reads.map((r) => [r.secret, { agent: list.agent, at: r.at, environment: r.environment }]));
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
