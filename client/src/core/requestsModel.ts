// What the Access Requests view shows, without vscode: admins see every pending request
// of the account, to approve or deny; a developer sees their own, to know what is still waiting.
// Metadata only: a request names a secret, an agent, a person and their reason, never a value.

import type { AccessRequest, Agent, Role } from '../../../protocol/api';
import { showInvisible } from '../../../protocol/safeText';
import { agentLabel } from './agentLabels';
import { escapeMarkdown } from './treeModel';

export interface RequestsInput {
  /** The account's pending requests (the connection's store), newest first. */
  requests: readonly AccessRequest[];
  /** Null offline: nothing can be decided, and the view says so. */
  role: Role | null;
  /** The signed-in key's id (whoami's principal): a developer's own requests are those it made. */
  me: string | null;
  agents: readonly Agent[];
}

export interface RequestNode {
  type: 'request';
  id: string;
  request: AccessRequest;
  /** The secret's name: rows are found by it (`aria-label` starts with it). */
  label: string;
  description: string;
  /** For screen readers and the tests that read rows: "stripe_api_key, for booking-agent, requested by Dana". */
  accessibilityLabel: string;
  /** `accessRequest [admin] [newSecret]`: Approve and Deny need an admin. */
  contextValue: string;
}

export type RequestsEmpty = 'none' | 'none-mine' | undefined;

export interface RequestsModel {
  nodes: RequestNode[];
  empty: RequestsEmpty;
}

export function requestsView(input: RequestsInput): RequestsModel {
  const admin = input.role === 'admin';
  const shown = admin ? input.requests : input.requests.filter((r) => input.me !== null && r.requestedById === input.me);
  const nodes = shown.map((r) => requestNode(r, admin, input.agents));
  return { nodes, empty: nodes.length > 0 ? undefined : admin ? 'none' : 'none-mine' };
}

function requestNode(r: AccessRequest, admin: boolean, agents: readonly Agent[]): RequestNode {
  const tokens = ['accessRequest'];
  if (admin) tokens.push('admin');
  if (r.newSecret) tokens.push('newSecret');
  const what = r.newSecret ? 'new secret, ' : '';
  // The requester's key name is someone else's text: invisible characters show as escapes.
  const by = showInvisible(r.requestedBy);
  // The agent beside its display name.
  const agent = agentLabel(r.agent, agents);
  return {
    type: 'request',
    id: r.id,
    request: r,
    label: r.secret,
    description: `${r.newSecret ? 'new secret · ' : ''}for ${agent} · ${by}`,
    accessibilityLabel: `${r.secret}, ${what}for ${agent}, requested by ${by}`,
    contextValue: tokens.join(' '),
  };
}

/**
 * Pending requests grouped for "Deny Several…": all of them, each requester's (most
 * first, so a flood is the first choice after all), and the requests one by one.
 */
export function bulkDenyChoices(requests: readonly AccessRequest[]): { all: number; byRequester: { id: string; name: string; count: number }[] } {
  const by = new Map<string, { id: string; name: string; count: number }>();
  for (const r of requests) {
    const entry = by.get(r.requestedById) ?? { id: r.requestedById, name: showInvisible(r.requestedBy), count: 0 };
    entry.count++;
    by.set(r.requestedById, entry);
  }
  return { all: requests.length, byRequester: [...by.values()].sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : 1)) };
}

/** Markdown (rendered untrusted): who asked for what, when, and why; the reason is theirs, escaped. */
export function requestTooltip(r: AccessRequest, agents: readonly Agent[]): string {
  const agent = agentLabel(r.agent, agents);
  const lines = [
    r.newSecret
      ? `**${escapeMarkdown(r.secret)}** does not exist yet: ${escapeMarkdown(r.requestedBy)} asks for it to be created for ${escapeMarkdown(agent)}`
      : `${escapeMarkdown(r.requestedBy)} asks that ${escapeMarkdown(agent)} may read **${escapeMarkdown(r.secret)}**`,
  ];
  if (r.newSecret && r.kind) lines.push(r.kind === 'kv' && r.keys?.length ? `Key/value, keys: ${r.keys.map((k) => `\`${k}\``).join(', ')}` : 'Single value');
  lines.push(r.reason ? `Reason: ${escapeMarkdown(r.reason)}` : 'No reason given');
  lines.push(`Asked ${r.createdAt.slice(0, 16).replace('T', ' ')} UTC`);
  return lines.join('\n\n');
}
