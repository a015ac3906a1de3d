// Choose Agent's words without vscode: the id rules as the Create Agent input box explains them while
// the id is typed, and what the picker says when a folder's setting decides the agent instead of the
// secrets-vault.json it writes.

import type { Agent } from '../../../protocol/api';
import { agentIdFold, checkAgentId, MAX_AGENT_ID_LENGTH } from '../../../protocol/names';
import { safeText } from '../../../protocol/safeText';

const ID_RULES = `1 to ${MAX_AGENT_ID_LENGTH} letters, digits, hyphens or underscores, starting with a letter or digit.`;

/** The prompt under the Create Agent input box: what an id may be. */
export const AGENT_ID_PROMPT = `The agent's id: an Agent Studio project id (PROJECT-BK7QF2MA) or a name such as booking-agent. ${ID_RULES}`;

/** Why `value` cannot be a new agent's id (undefined: it can): the input box's validation message. */
export function newAgentIdProblem(value: string, agents: readonly Agent[]): string | undefined {
  const id = value.trim();
  if (id === '') return `Type the agent's id. ${ID_RULES}`;
  const problem = checkAgentId(id);
  if (problem !== undefined) return problem;
  const same = agents.find((a) => agentIdFold(a.id) === agentIdFold(id));
  if (same) return same.id === id ? `The vault has the agent '${safeText(id)}' already: choose it in the list.` : `The vault has '${safeText(same.id)}', which differs only in case: ids that differ only in case are one agent.`;
  return undefined;
}

/**
 * The picker's placeholder. A `secretsVault.agent` set in the folder's or workspace's settings wins
 * over secrets-vault.json (as documented), so the picker says so rather than write a choice that
 * would not apply.
 */
export function agentPickerPlaceholder(settingAgent: string | undefined): string {
  if (settingAgent === undefined) return "The agent whose functions you write here (saved in the folder's secrets-vault.json)";
  return `The setting secretsVault.agent ('${safeText(settingAgent)}') decides this folder's agent and wins over secrets-vault.json: clear it in Settings for this choice to apply`;
}
