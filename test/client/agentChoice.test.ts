// Create Agent's input box explains the id rules while the id is typed, and Choose Agent's picker
// says when a folder's setting decides the agent instead of secrets-vault.json.

import { describe, expect, it } from 'vitest';
import { AGENT_ID_PROMPT, agentPickerPlaceholder, newAgentIdProblem } from '../../client/src/core/agentChoice';

const agents = [
  { id: 'booking-agent', name: 'Booking agent', description: '', createdAt: '2026-11-01T00:00:00.000Z' },
  { id: 'PROJECT-WEVYLLDV', name: 'Support', description: '', createdAt: '2026-11-01T00:00:00.000Z' },
];

describe('newAgentIdProblem', () => {
  it('Agent Studio project ids and plain ids pass', () => {
    for (const id of ['PROJECT-BK7QF2MA', 'billing-agent', 'agent_2', '7up', 'a'.repeat(64), '  PROJECT-ABC  ']) expect(newAgentIdProblem(id, agents), id).toBeUndefined();
  });

  it('says the rules for an id that breaks them', () => {
    const rules = 'An agent id is 1 to 64 letters, digits, hyphens or underscores, starting with a letter or digit (for example PROJECT-WEVYLLDV or booking-agent).';
    for (const id of ['-agent', 'booking agent', 'agent.1', 'a'.repeat(65), 'émile', 'x/y']) expect(newAgentIdProblem(id, agents), id).toBe(rules);
  });

  it('an empty box asks for the id with the rules', () => {
    expect(newAgentIdProblem('', agents)).toBe("Type the agent's id. 1 to 64 letters, digits, hyphens or underscores, starting with a letter or digit.");
    expect(AGENT_ID_PROMPT).toContain('PROJECT-BK7QF2MA');
  });

  it('an agent the vault has, or one differing only in case, is refused with what to do', () => {
    expect(newAgentIdProblem('booking-agent', agents)).toBe("The vault has the agent 'booking-agent' already: choose it in the list.");
    expect(newAgentIdProblem('project-wevyllDV', agents)).toBe("The vault has 'PROJECT-WEVYLLDV', which differs only in case: ids that differ only in case are one agent.");
  });
});

describe('agentPickerPlaceholder', () => {
  it("says where the choice is saved, and when the folder's setting wins over it", () => {
    expect(agentPickerPlaceholder(undefined)).toBe("The agent whose functions you write here (saved in the folder's secrets-vault.json)");
    expect(agentPickerPlaceholder('hr-agent')).toBe(
      "The setting secretsVault.agent ('hr-agent') decides this folder's agent and wins over secrets-vault.json: clear it in Settings for this choice to apply",
    );
  });
});
