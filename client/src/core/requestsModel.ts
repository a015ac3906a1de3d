// What the Access Requests view shows (issue 18), without vscode: admins see every pending request
// of the account, to approve or deny; a developer sees their own, to know what is still waiting.
// Metadata only: a request names a secret, an agent, a person and their reason, never a value.

import type { AccessRequest, Agent, Role } from '../../../protocol/api';
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
  const nodes = shown.map((r) => requestNode(r, admin));
  return { nodes, empty: nodes.length > 0 ? undefined : admin ? 'none' : 'none-mine' };
}

function requestNode(r: AccessRequest, admin: boolean): RequestNode {
  const tokens = ['accessRequest'];
  if (admin) tokens.push('admin');
  if (r.newSecret) tokens.push('newSecret');
  const what = r.newSecret ? 'new secret, ' : '';
  return {
    type: 'request',
    id: r.id,
    request: r,
    label: r.secret,
    description: `${r.newSecret ? 'new secret · ' : ''}for ${r.agent} · ${r.requestedBy}`,
    accessibilityLabel: `${r.secret}, ${what}for ${r.agent}, requested by ${r.requestedBy}`,
    contextValue: tokens.join(' '),
  };
}

/** Markdown (rendered untrusted): who asked for what, when, and why; the reason is theirs, escaped. */
export function requestTooltip(r: AccessRequest, agents: readonly Agent[]): string {
  const agent = agents.find((a) => a.id === r.agent);
  const agentLabel = agent && agent.name !== agent.id ? `${r.agent} (${agent.name})` : r.agent;
  const lines = [
    r.newSecret
      ? `**${escapeMarkdown(r.secret)}** does not exist yet: ${escapeMarkdown(r.requestedBy)} asks for it to be created for ${escapeMarkdown(agentLabel)}`
      : `${escapeMarkdown(r.requestedBy)} asks that ${escapeMarkdown(agentLabel)} may read **${escapeMarkdown(r.secret)}**`,
  ];
  if (r.newSecret && r.kind) lines.push(r.kind === 'kv' && r.keys?.length ? `Key/value, keys: ${r.keys.map((k) => `\`${k}\``).join(', ')}` : 'Single value');
  lines.push(r.reason ? `Reason: ${escapeMarkdown(r.reason)}` : 'No reason given');
  lines.push(`Asked ${r.createdAt.slice(0, 16).replace('T', ' ')} UTC`);
  return lines.join('\n\n');
}
