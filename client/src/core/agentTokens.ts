// Words of the Agent Tokens… command that need no vscode: an agent's live tokens as quick
// pick rows, and the confirmation before one is revoked. Ids, kinds, minters and times only: the
// vault never sends a token after it is minted.

import type { AgentTokenInfo } from '../../../protocol/api';
import { utcMinute } from './lifecycleText';

export interface TokenPickItem {
  label: string;
  description: string;
  detail: string;
  token: AgentTokenInfo;
}

/** "in 14 min", "in 11 h", "in 3 days": how long a run token has left at `now`. */
export function timeLeft(expiresAt: string, now: number): string {
  const min = Math.max(0, Math.floor((Date.parse(expiresAt) - now) / 60_000));
  if (min < 60) return `in ${min} min`;
  if (min < 48 * 60) return `in ${Math.floor(min / 60)} h`;
  return `in ${Math.floor(min / 1440)} days`;
}

/** One row per token, run tokens first (the short-lived ones someone minted), each oldest first. */
export function tokenPickItems(tokens: AgentTokenInfo[], now: number): TokenPickItem[] {
  const ordered = [...tokens.filter((t) => t.kind === 'run'), ...tokens.filter((t) => t.kind === 'agent')];
  return ordered.map((t) => ({
    label: `$(${t.kind === 'run' ? 'play' : 'key'}) ${t.id}`,
    description: t.kind === 'run' ? `run token minted by ${t.minter?.name ?? 'unknown'} (${t.minter?.id ?? '?'})` : 'agent token',
    detail: [`created ${utcMinute(t.createdAt)}`, t.expiresAt ? `expires ${utcMinute(t.expiresAt)} (${timeLeft(t.expiresAt, now)})` : 'never expires'].join(' · '),
    token: t,
  }));
}

/** The modal question and its detail before revoking `t` of `agent`. */
export function revokeConfirmation(agent: string, t: AgentTokenInfo): { message: string; detail: string } {
  const who = t.kind === 'run' ? `the run token ${t.id} minted by ${t.minter?.name ?? 'unknown'}` : `the agent token ${t.id}`;
  const effect =
    t.kind === 'run'
      ? 'A local run using it stops reading secrets at once.'
      : `Whatever runs as '${agent}' with this token (a deployment, a CI job) stops reading secrets at once; give it a new token first if it should keep running.`;
  return { message: `Revoke ${who}?`, detail: `${effect} This cannot be undone.` };
}
