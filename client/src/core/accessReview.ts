// What the Access review view shows, without vscode (issue 53): for each reviewed agent, the grants
// its code needs and lacks (Missing), the grants no code of it reads (Unused, with the last read when
// the vault keeps it), the names it reads that no secret has (Unknown), and the grants read only in
// some environments. The needs come from the language server (AgentNeedsRequest), the grants from
// the vault's metadata: names, agents and times only, never a value.
//
// An access list is per agent, not per environment: a grant the code reads in sandbox only is
// needed (revoking it breaks sandbox), so it is never Unused; it is listed on its own, "only read
// in sandbox", for an admin to judge. A read whose name the code does not determine may read any
// secret: the agent says so, and each Unused grant is "unless read by the N unresolved reads".

import { timeAgo } from '../../../protocol/dates';
import type { Agent, Role, SecretMetadata } from '../../../protocol/api';
import type { AgentNeed, AgentNeeds, PendingAccess } from '../../../protocol/lsp';
import { safeText } from '../../../protocol/safeText';
import { displayName } from './agentLabels';
import { environmentsText } from './secretReads';

/** A place in the code: the view shows it as `path:line` and opens it on click. */
export interface ReviewPlace {
  uri: string;
  range: AgentNeed['locations'][number]['range'];
  environments: string[] | null;
}

/** The last read of each secret by one agent, by secret name; null when the vault keeps none (an older vault). */
export type AgentLastReads = ReadonlyMap<string, { at: string; environment: string | null }> | null;

export interface ReviewInput {
  needs: readonly AgentNeeds[];
  secrets: readonly SecretMetadata[];
  agents: readonly Agent[];
  /** Null offline: the view lists, but offers no action. */
  role: Role | null;
  /** The agent the views follow (the current project's): a developer's review is of it alone. */
  current: string | null;
  /** Agent → its last reads (GET /v1/agents/{id}/reads); an agent absent: not asked, as null. */
  lastReads: ReadonlyMap<string, AgentLastReads>;
  pendingAccess: readonly PendingAccess[];
  now: number;
}

export type ReviewGroup = 'missing' | 'unused' | 'partly' | 'unknown' | 'unresolved';

export interface ReviewAgentNode {
  type: 'reviewAgent';
  id: string;
  agent: string;
  /** Its reads whose name the code does not determine. */
  unresolved: number;
  label: string;
  description: string;
  tooltip: string;
  children: ReviewGroupNode[];
}

export interface ReviewGroupNode {
  type: 'reviewGroup';
  id: string;
  agent: string;
  group: ReviewGroup;
  label: string;
  tooltip: string;
  children: (ReviewItemNode | ReviewPlaceNode)[];
}

export interface ReviewItemNode {
  type: 'reviewItem';
  id: string;
  agent: string;
  group: Exclude<ReviewGroup, 'unresolved'>;
  /** The secret's name (the commands' argument, with `agent`). */
  name: string;
  label: string;
  description: string;
  tooltip: string;
  /** `reviewMissing admin`, `reviewUnused admin`, `reviewMissing developer`…: which actions apply. */
  contextValue: string;
  places: ReviewPlace[];
}

export interface ReviewPlaceNode {
  type: 'reviewPlace';
  id: string;
  place: ReviewPlace;
}

export type ReviewNode = ReviewAgentNode | ReviewGroupNode | ReviewItemNode | ReviewPlaceNode;

export interface ReviewModel {
  agents: ReviewAgentNode[];
  /** Why the view is empty: no agent to review. */
  empty: 'no-agent' | undefined;
}

const GROUP_LABELS: Record<ReviewGroup, string> = {
  missing: 'Missing',
  unused: 'Unused',
  partly: 'Only read in some environments',
  unknown: 'Unknown',
  unresolved: 'Unresolved reads',
};

const GROUP_TOOLTIPS: Record<ReviewGroup, string> = {
  missing: 'Read by this agent’s code, but the agent is not on the secret’s access list: the read fails with MissingAccess.',
  unused: 'On the access list, but no code of this agent reads it: least privilege says revoke.',
  partly:
    'Read only in some environments. An access list is per agent, not per environment, so the grant is needed: revoking it breaks those environments.',
  unknown: 'Read by this agent’s code, but the vault has no secret of that name: the read fails with SecretNotFound.',
  unresolved: 'Reads whose name the code does not determine: they may read any secret, so no grant is called unused for certain.',
};

/** The reviewed agents: every agent of the workspace for an admin, the current one for anyone else. */
export function reviewedNeeds(input: Pick<ReviewInput, 'needs' | 'role' | 'current'>): AgentNeeds[] {
  if (input.role === 'admin') return [...input.needs];
  if (input.current === null) return [];
  const mine = input.needs.find((n) => n.agent === input.current);
  return [mine ?? { agent: input.current, agentName: null, needs: [], unresolved: [] }];
}

export function reviewModel(input: ReviewInput): ReviewModel {
  const reviewed = reviewedNeeds(input);
  if (reviewed.length === 0) return { agents: [], empty: 'no-agent' };
  // One pass over the secrets, however many agents: 10,000 secrets cost one walk, not one per agent.
  const byName = new Map<string, SecretMetadata>();
  const grants = new Map<string, SecretMetadata[]>(reviewed.map((r) => [r.agent, []]));
  for (const s of input.secrets) {
    byName.set(s.name, s);
    for (const a of s.agents) grants.get(a)?.push(s);
  }
  const pending = new Set(input.pendingAccess.map((p) => `${p.agent}\u0000${p.secret}`));
  const role = input.role === null ? '' : input.role === 'admin' ? ' admin' : ' developer';
  return {
    empty: undefined,
    agents: reviewed.map((r) => agentNode(r, grants.get(r.agent) ?? [], byName, input, pending, role)),
  };
}

function agentNode(
  r: AgentNeeds,
  granted: readonly SecretMetadata[],
  byName: ReadonlyMap<string, SecretMetadata>,
  input: ReviewInput,
  pending: ReadonlySet<string>,
  role: string,
): ReviewAgentNode {
  const agent = r.agent;
  const id = `review:${agent}`;
  const items: Record<Exclude<ReviewGroup, 'unresolved'>, ReviewItemNode[]> = { missing: [], unused: [], partly: [], unknown: [] };
  const needed = new Map(r.needs.map((n) => [n.name, n]));
  const item = (group: Exclude<ReviewGroup, 'unresolved'>, name: string, description: string, tooltip: string, places: ReviewPlace[]): void => {
    const context = { missing: 'reviewMissing', unused: 'reviewUnused', partly: 'reviewPartly', unknown: 'reviewUnknown' }[group];
    items[group].push({
      type: 'reviewItem',
      id: `${id}\u0000${group}\u0000${name}`,
      agent,
      group,
      name,
      label: safeText(name),
      description,
      tooltip,
      contextValue: `${context}${role}`,
      places,
    });
  };
  for (const need of r.needs) {
    const secret = byName.get(need.name);
    const only = need.environments === null ? '' : `only read in ${environmentsText(need.environments)}`;
    const places = need.locations.map((l) => ({ uri: l.uri, range: l.range, environments: l.environments }));
    const reads = `${places.length} read${places.length === 1 ? '' : 's'}`;
    if (!secret) item('unknown', need.name, [only, reads].filter(Boolean).join(' · '), GROUP_TOOLTIPS.unknown, places);
    else if (!secret.agents.includes(agent)) {
      const asked = pending.has(`${agent}\u0000${need.name}`) ? 'access requested' : '';
      item('missing', need.name, [only, reads, asked].filter(Boolean).join(' · '), GROUP_TOOLTIPS.missing, places);
    } else if (need.environments !== null) item('partly', need.name, only, GROUP_TOOLTIPS.partly, places);
  }
  const unresolved = r.unresolved.length;
  const unless = unresolved === 0 ? '' : `unless read by the ${unresolved} unresolved read${unresolved === 1 ? '' : 's'}`;
  const last = input.lastReads.get(agent) ?? lastReadsOf(granted, agent);
  for (const s of granted) {
    if (needed.has(s.name)) continue;
    const read = last === null ? 'last read: not kept by this vault' : lastReadText(last.get(s.name), input.now);
    item('unused', s.name, [read, unless].filter(Boolean).join(' · '), unless ? `${GROUP_TOOLTIPS.unused} Unless one of the unresolved reads reads it.` : GROUP_TOOLTIPS.unused, []);
  }
  const groups: ReviewGroupNode[] = [];
  for (const group of ['missing', 'unused', 'partly', 'unknown'] as const) {
    const list = items[group].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    if (list.length === 0) continue;
    groups.push({ type: 'reviewGroup', id: `${id}\u0000${group}`, agent, group, label: `${GROUP_LABELS[group]} (${list.length})`, tooltip: GROUP_TOOLTIPS[group], children: list });
  }
  if (unresolved > 0) {
    groups.push({
      type: 'reviewGroup',
      id: `${id}\u0000unresolved`,
      agent,
      group: 'unresolved',
      label: `${GROUP_LABELS.unresolved} (${unresolved})`,
      tooltip: GROUP_TOOLTIPS.unresolved,
      children: r.unresolved.map((l, i) => ({ type: 'reviewPlace', id: `${id}\u0000unresolved\u0000${i}`, place: { uri: l.uri, range: l.range, environments: null } })),
    });
  }
  const counts = [
    items.missing.length ? `${items.missing.length} missing` : '',
    items.unused.length ? `${items.unused.length} unused` : '',
    items.unknown.length ? `${items.unknown.length} unknown` : '',
    unresolved ? `${unresolved} unresolved read${unresolved === 1 ? '' : 's'}` : '',
  ].filter(Boolean);
  // The vault's display name, else the project's (project.yaml's project_name, as the server says it).
  const name = displayName(agent, input.agents) ?? (r.agentName && r.agentName !== agent ? safeText(r.agentName) : undefined);
  const label = name === undefined ? agent : `${agent} (${name})`;
  return {
    type: 'reviewAgent',
    id,
    agent,
    unresolved,
    label,
    description: counts.length ? counts.join(' · ') : 'grants match the code',
    tooltip: unresolved
      ? `${label}: ${unresolved} read${unresolved === 1 ? '' : 's'} whose name the code does not determine may read any secret; its unused grants are unused unless those read them.`
      : `${label}: its grants against what its code reads in this workspace.`,
    children: groups,
  };
}

/** The last reads the metadata carries (SecretMetadata.lastReads), when the vault sends them; null when none does. */
function lastReadsOf(granted: readonly SecretMetadata[], agent: string): AgentLastReads {
  let out: Map<string, { at: string; environment: string | null }> | null = null;
  for (const s of granted) {
    if (s.lastReads === undefined) continue;
    out ??= new Map();
    const r = s.lastReads.find((x) => x.agent === agent);
    if (r) out.set(s.name, { at: r.at, environment: r.environment });
  }
  return out;
}

/** "last read 3 days ago (live)", "last read 13 hours ago", "never read" (protocol/dates.ts timeAgo, as the hover and the CLI). */
export function lastReadText(read: { at: string; environment: string | null } | undefined, now: number): string {
  const when = read === undefined ? undefined : timeAgo(read.at, now);
  if (when === undefined) return 'never read';
  return `last read ${when}${read!.environment === null ? '' : ` (${safeText(read!.environment)})`}`;
}

/**
 * The question before revoking a grant marked "unless read by the N unresolved reads": one of those
 * reads may take the name, so the revoke is the admin's call, asked (`access review --apply` leaves
 * such grants alone). Undefined when the agent has no unresolved read.
 */
export function unresolvedRevokeQuestion(name: string, agent: string, unresolved: number): { message: string; detail: string } | undefined {
  if (unresolved === 0) return undefined;
  const reads = `${unresolved} read${unresolved === 1 ? '' : 's'}`;
  return {
    message: `Revoke '${agent}' from '${name}'? No code of it names '${name}', but ${reads} whose name the code does not determine may read it.`,
    detail: `See the agent's Unresolved reads in the Access Review view. If one of them reads '${name}', it fails with MissingAccess after the revoke.`,
  };
}
