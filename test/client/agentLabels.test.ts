// How the editor names an agent: the id exactly as given, its display name beside it,
// someone else's text made inert for the places that render icons or markdown.

import { describe, expect, it } from 'vitest';
import type { Agent } from '../../protocol/api';
import { agentLabel, agentPickItems, clip, displayName, noIcons } from '../../client/src/core/agentLabels';

const agent = (id: string, name: string, description = ''): Agent => ({ id, name, description, createdAt: '2026-01-01T00:00:00.000Z' });
const AGENTS = [
  agent('PROJECT-WEVYLLDV', 'Field Service Template', 'Agent Studio project'),
  agent('booking-agent', 'booking-agent'),
  agent('PROJECT-ICONS001', '$(check) approved $(alert)'),
  agent('PROJECT-BIDI0001', 'Support\u202Etpircs'),
];

describe('agent labels', () => {
  it('puts the display name beside the id, which keeps its case', () => {
    expect(agentLabel('PROJECT-WEVYLLDV', AGENTS)).toBe('PROJECT-WEVYLLDV (Field Service Template)');
    expect(displayName('PROJECT-WEVYLLDV', AGENTS)).toBe('Field Service Template');
    // Ids are case-sensitive: another case is another (unknown) agent, shown as given.
    expect(agentLabel('project-wevylldv', AGENTS)).toBe('project-wevylldv');
    // A name that says nothing more than the id, or an agent not (yet) listed: the id alone.
    expect(agentLabel('booking-agent', AGENTS)).toBe('booking-agent');
    expect(agentLabel('PROJECT-GONE0001', AGENTS)).toBe('PROJECT-GONE0001');
  });

  it('shows a name on one line with bidi controls as escapes, so it cannot reorder what follows', () => {
    expect(agentLabel('PROJECT-BIDI0001', AGENTS)).toBe('PROJECT-BIDI0001 (Support\\u202etpircs)');
  });

  it('keeps $( as text where labels render icons', () => {
    expect(noIcons('$(check) approved $(alert)')).toBe('\\$(check) approved \\$(alert)');
    expect(noIcons('costs $5 (net)')).toBe('costs $5 (net)');
  });

  it('clips by code points, never splitting an emoji', () => {
    expect(clip('Field Service Template', 32)).toBe('Field Service Template');
    expect(clip('🔑'.repeat(40), 32)).toBe(`${'🔑'.repeat(31)}…`);
  });

  it('offers agents by id with the display name beside it, and carries the id apart from the label', () => {
    const items = agentPickItems(AGENTS, 'PROJECT-WEVYLLDV');
    expect(items[0]).toEqual({ label: 'PROJECT-WEVYLLDV', description: 'Field Service Template (current)', detail: 'Agent Studio project', agent: 'PROJECT-WEVYLLDV' });
    expect(items[1]).toEqual({ label: 'booking-agent', description: '', detail: undefined, agent: 'booking-agent' });
    expect(items[2]).toMatchObject({ description: '\\$(check) approved \\$(alert)', agent: 'PROJECT-ICONS001' });
    // Never lower-cased anywhere.
    expect(items.map((i) => i.agent)).toEqual(AGENTS.map((a) => a.id));
  });
});
