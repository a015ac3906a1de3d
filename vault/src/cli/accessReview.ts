// `secrets-vault access review` and the MCP server's access_review: for each agent of a repository,
// what its code may read (the check engine's own analysis: CheckReport.reads), what the vault grants
// it (access lists) and what it did read (the vault's last reads), compared. Metadata only: names,
// agents, times and places, never a value. `gatherReview` talks to the vault; `reviewOf` is a pure
// function of what was gathered, so that the CLI and the MCP tool say the same thing.

import type { AgentReadList, Role, SecretMetadata } from '../../../protocol/api';
import { secretInfoOf, type AgentReads, type CheckEngine, type CheckReport, type CheckRequest, type DynamicRead, type ReadLocation } from '../../../protocol/check';
import { VaultApiError, type VaultApi } from '../../../protocol/client';
import type { PendingAccess } from '../../../protocol/lsp';
import { pendingAccess } from './check';

/** Days without a read (and without a read by the code) after which a secret is stale, unless `--stale-days` or secrets-vault.json's `staleDays` says otherwise. */
export const DEFAULT_STALE_DAYS = 90;

/** Whether the vault keeps last reads: `kept`; `not-kept` (a vault from before them answers 404); `hidden` (this key may not list them). */
export type ReadsKnown = 'kept' | 'not-kept' | 'hidden';

export interface LastRead {
  at: string;
  environment: string | null;
}

/** A name the code needs: which environments read it and where. */
export interface NeededName {
  name: string;
  environments: string[] | null;
  locations: ReadLocation[];
}

export interface MissingGrant extends NeededName {
  /** An access request for it is pending. */
  requested: boolean;
}

export interface UnusedGrant {
  name: string;
  /** ISO 8601, or null: never read (or the vault keeps no reads). */
  lastRead: string | null;
  lastReadEnvironment: string | null;
  /** The agent's code has reads whose name is unknown: the grant is unused unless one of them reads it. */
  unlessDynamic: boolean;
}

/** A grant the code reads only in some environments (a name chosen by conv.env): needed, said so. */
export interface PartialGrant extends NeededName {
  environments: string[];
  lastRead: string | null;
  lastReadEnvironment: string | null;
}

export interface AgentReview {
  agent: string;
  /** The project's name, else the vault's display name of the agent; null when neither. */
  name: string | null;
  /** The project.yaml and secrets-vault.json files that gave it, relative to the working folder. */
  sources: string[];
  inVault: boolean;
  missing: MissingGrant[];
  unused: UnusedGrant[];
  /** Granted, and read only in some environments. */
  someEnvironments: PartialGrant[];
  /** Needed names the vault does not have. */
  unknown: NeededName[];
  /** Reads whose name is unknown (dynamic-name). */
  dynamic: DynamicRead[];
}

export interface StaleSecret {
  name: string;
  agents: string[];
  lastRead: string | null;
  lastReadBy: string | null;
  createdAt: string;
  /** An agent on its access list has reads whose name is unknown. */
  unlessDynamic: boolean;
}

export interface AccessReview {
  vault: string;
  staleDays: number;
  reads: ReadsKnown;
  agents: AgentReview[];
  stale: StaleSecret[];
  /** Files read by no agent's rule (no project.yaml or secrets-vault.json above them): their reads count as needed, by nobody in particular. */
  withoutAgent: string[];
  configProblems: CheckReport['configProblems'];
  filesChecked: number;
  skipped: CheckReport['skipped'];
}

export interface GatherOptions {
  vault: string;
  api: VaultApi;
  engine: CheckEngine;
  /** The check's walk: the working folder, paths, exclusions and limits (metadata, agent and reads are set here). */
  walk: Omit<CheckRequest, 'metadata' | 'agent' | 'reads' | 'fixes' | 'environment'>;
  /** One agent for every file, or null for each file's own (project.yaml, secrets-vault.json), decided once the vault's agents are known. */
  agent: (agents: { id: string; name: string }[]) => string | null;
  staleDays: number;
  now: Date;
}

export interface Gathered {
  review: AccessReview;
  role: Role | null;
  secrets: SecretMetadata[];
}

/** Reads the vault's metadata and last reads, runs the analysis, and reviews. Vault errors propagate (VaultApiError). */
export async function gatherReview(o: GatherOptions): Promise<Gathered> {
  const [who, secrets, agents, pending] = await Promise.all([o.api.whoami(), o.api.listSecrets(), o.api.listAgents(), pendingAccess(o.api)]);
  const report = await o.engine.check({
    ...o.walk,
    metadata: {
      namingStyle: who.account.namingStyle,
      secrets: secrets.map((s) => secretInfoOf(s)),
      agents: agents.map((a) => ({ id: a.id, name: a.name })),
      pendingAccess: pending,
    },
    agent: o.agent(agents.map((a) => ({ id: a.id, name: a.name }))),
    reads: true,
  });
  const reads = await lastReads(o.api, agents.map((a) => a.id));
  const review = reviewOf({ vault: o.vault, report, secrets, agents, reads, pending, now: o.now, staleDays: o.staleDays });
  return { review, role: who.principal.type === 'user' ? who.principal.role : null, secrets };
}

/**
 * Every agent's last reads, by agent and secret. A vault that keeps none answers 404 (the first
 * agent asked says so for all); a key that may not list them, 403.
 */
async function lastReads(api: VaultApi, agents: readonly string[]): Promise<{ known: ReadsKnown; byAgent: Map<string, Map<string, LastRead>> }> {
  const byAgent = new Map<string, Map<string, LastRead>>();
  for (const [i, id] of agents.entries()) {
    let list: AgentReadList;
    try {
      list = await api.agentReads(id);
    } catch (e) {
      if (!(e instanceof VaultApiError)) throw e;
      // The first answer says it for every agent; a later 404 is an agent deleted meanwhile.
      if (e.status === 404 && i > 0) continue;
      if (e.status === 404 || e.status === 403) return { known: e.status === 404 ? 'not-kept' : 'hidden', byAgent: new Map() };
      throw e;
    }
    byAgent.set(list.agent, new Map(list.reads.map((r) => [r.secret, { at: r.at, environment: r.environment }])));
  }
  return { known: 'kept', byAgent };
}

export interface ReviewInput {
  vault: string;
  report: CheckReport;
  secrets: readonly SecretMetadata[];
  agents: readonly { id: string; name: string }[];
  reads: { known: ReadsKnown; byAgent: ReadonlyMap<string, ReadonlyMap<string, LastRead>> };
  pending: readonly PendingAccess[];
  now: Date;
  staleDays: number;
}

/** The review of what was gathered: pure, sorted, so that one state gives one output. */
export function reviewOf(input: ReviewInput): AccessReview {
  const { report, reads } = input;
  const secrets = new Map(input.secrets.map((s) => [s.name, s]));
  const vaultAgents = new Map(input.agents.map((a) => [a.id, a]));
  const pending = new Set(input.pending.map((p) => `${p.agent}\u0000${p.secret}`));
  const readsOf = report.reads ?? [];
  const projectNames = new Map(report.agents.map((a) => [a.id, a.name]));
  const agents: AgentReview[] = [];
  /** Names some reviewed code reads (any agent's, or files with none). */
  const neededAnywhere = new Set<string>();
  const dynamicAgents = new Set<string>();
  for (const r of readsOf) for (const n of r.names) neededAnywhere.add(n.name);
  for (const r of readsOf) {
    if (r.agent === null) continue;
    agents.push(agentReview(r, r.agent, secrets, vaultAgents, pending, reads.byAgent.get(r.agent), projectNames.get(r.agent) ?? null));
    if (r.dynamic.length > 0) dynamicAgents.add(r.agent);
  }
  const reviewed = new Set(agents.map((a) => a.agent));
  const cutoff = input.now.getTime() - input.staleDays * 86_400_000;
  const stale: StaleSecret[] = [];
  for (const s of [...secrets.values()].sort((a, b) => compare(a.name, b.name))) {
    if (neededAnywhere.has(s.name)) continue;
    // Without reads, only a secret whose every grantee's code was reviewed can be said unneeded.
    if (reads.known !== 'kept' && !s.agents.every((a) => reviewed.has(a))) continue;
    let last: { at: string; agent: string } | null = null;
    for (const [agent, m] of reads.byAgent) {
      const r = m.get(s.name);
      if (r && (last === null || r.at > last.at)) last = { at: r.at, agent };
    }
    const since = Math.max(Date.parse(last?.at ?? s.createdAt), Date.parse(s.createdAt));
    if (since > cutoff) continue;
    stale.push({ name: s.name, agents: [...s.agents], lastRead: last?.at ?? null, lastReadBy: last?.agent ?? null, createdAt: s.createdAt, unlessDynamic: s.agents.some((a) => dynamicAgents.has(a)) });
  }
  return {
    vault: input.vault,
    staleDays: input.staleDays,
    reads: reads.known,
    agents,
    stale,
    withoutAgent: report.withoutAgent,
    configProblems: report.configProblems,
    filesChecked: report.filesChecked,
    skipped: report.skipped,
  };
}

function agentReview(
  r: AgentReads,
  agent: string,
  secrets: ReadonlyMap<string, SecretMetadata>,
  vaultAgents: ReadonlyMap<string, { id: string; name: string }>,
  pending: ReadonlySet<string>,
  reads: ReadonlyMap<string, LastRead> | undefined,
  projectName: string | null,
): AgentReview {
  const missing: MissingGrant[] = [];
  const unknown: NeededName[] = [];
  const someEnvironments: PartialGrant[] = [];
  const needed = new Set<string>();
  for (const n of r.names) {
    needed.add(n.name);
    const s = secrets.get(n.name);
    const entry: NeededName = { name: n.name, environments: n.environments, locations: n.locations };
    if (!s) unknown.push(entry);
    else if (!s.agents.includes(agent)) missing.push({ ...entry, requested: pending.has(`${agent}\u0000${n.name}`) });
    else if (n.environments !== null) someEnvironments.push({ ...entry, environments: n.environments, ...lastOf(reads, n.name) });
  }
  const unused: UnusedGrant[] = [];
  for (const s of [...secrets.values()].sort((a, b) => compare(a.name, b.name))) {
    if (!s.agents.includes(agent) || needed.has(s.name)) continue;
    unused.push({ name: s.name, ...lastOf(reads, s.name), unlessDynamic: r.dynamic.length > 0 });
  }
  const known = vaultAgents.get(agent);
  return {
    agent,
    name: projectName ?? (known?.name || null),
    sources: r.sources,
    inVault: known !== undefined,
    missing,
    unused,
    someEnvironments,
    unknown,
    dynamic: r.dynamic,
  };
}

function lastOf(reads: ReadonlyMap<string, LastRead> | undefined, name: string): { lastRead: string | null; lastReadEnvironment: string | null } {
  const r = reads?.get(name);
  return { lastRead: r?.at ?? null, lastReadEnvironment: r?.environment ?? null };
}

// ---- the plan of --apply ----

export interface PlanChange {
  secret: string;
  agent: string;
}

export interface ReviewPlan {
  /** Grants to add: missing grants of existing secrets to agents the vault has. */
  grant: PlanChange[];
  /** Grants to revoke: unused ones, never on a guess (an agent with unresolved reads keeps its grants). */
  revoke: PlanChange[];
  /** Missing grants the plan cannot add: the agent is not in the vault. */
  cannotGrant: PlanChange[];
}

export function planOf(review: AccessReview): ReviewPlan {
  const plan: ReviewPlan = { grant: [], revoke: [], cannotGrant: [] };
  for (const a of review.agents) {
    for (const m of a.missing) (a.inVault ? plan.grant : plan.cannotGrant).push({ secret: m.name, agent: a.agent });
    for (const u of a.unused) if (!u.unlessDynamic) plan.revoke.push({ secret: u.name, agent: a.agent });
  }
  return plan;
}

export const planIsEmpty = (p: ReviewPlan): boolean => p.grant.length === 0 && p.revoke.length === 0;

// ---- --fail-on ----

export const REVIEW_FAIL_ON = ['missing', 'unused', 'none'] as const;
export type ReviewFailOn = (typeof REVIEW_FAIL_ON)[number];

/**
 * Whether the review fails at `failOn`: `missing` fails on a missing grant or a needed name the vault
 * lacks (both fail at run time); `unused` on those and on an unused grant (one marked "unless read by
 * the unresolved reads" is a guess, and fails nothing); `none` never.
 */
export function reviewFails(review: AccessReview, failOn: ReviewFailOn): boolean {
  if (failOn === 'none') return false;
  const runTime = review.agents.some((a) => a.missing.length > 0 || a.unknown.length > 0);
  if (failOn === 'missing') return runTime;
  return runTime || review.agents.some((a) => a.unused.some((u) => !u.unlessDynamic));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
