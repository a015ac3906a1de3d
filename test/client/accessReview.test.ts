// The Access review's model (core/accessReview.ts): from what each agent's code reads (as the
// language server's AgentNeedsRequest answers) and the vault's metadata, the groups the view shows.

import { describe, expect, it } from 'vitest';
import type { SecretMetadata } from '../../protocol/api';
import type { AgentNeeds } from '../../protocol/lsp';
import { lastReadText, reviewModel, unresolvedRevokeQuestion, type ReviewInput, type ReviewItemNode } from '../../client/src/core/accessReview';
import { revokeRefusal } from '../../client/src/core/revokeAccess';
import { readRows } from '../../client/src/core/secretReads';

const NOW = Date.parse('2026-11-26T12:00:00Z');
const at = (line: number) => ({ start: { line, character: 4 }, end: { line, character: 14 } });
const place = (file: string, line: number, environments: string[] | null = null) => ({ uri: `file:///ws/${file}`, range: at(line), environments });

function secret(name: string, agents: string[]): SecretMetadata {
  return { name, description: '', kind: 'single', keys: [], agents, version: 1, createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z', updatedBy: 'admin' };
}

const SUPPORT: AgentNeeds = {
  agent: 'PROJECT-WEVYLLDV',
  agentName: 'Support Line',
  needs: [
    { name: 'crm_key', environments: null, locations: [place('support/functions/crm.py', 3)] },
    { name: 'sandbox_only', environments: ['sandbox'], locations: [place('support/functions/pay.py', 5, ['sandbox'])] },
    { name: 'stripe_key', environments: null, locations: [place('support/functions/pay.py', 4), place('support/flows/Billing Flow/functions/charge.py', 7)] },
    { name: 'typo_key', environments: null, locations: [place('support/functions/crm.py', 9)] },
  ],
  unresolved: [],
};
const BILLING: AgentNeeds = { agent: 'PROJECT-BILLING1', agentName: null, needs: [], unresolved: [{ uri: 'file:///ws/billing/functions/x.py', range: at(2) }] };

const SECRETS = [
  secret('crm_key', []),
  secret('sandbox_only', ['PROJECT-WEVYLLDV']),
  secret('stripe_key', ['PROJECT-WEVYLLDV', 'PROJECT-BILLING1']),
  secret('old_webhook', ['PROJECT-WEVYLLDV']),
  secret('legacy_token', ['PROJECT-WEVYLLDV']),
  secret('unrelated', ['someone-else']),
];

function input(over: Partial<ReviewInput> = {}): ReviewInput {
  return {
    needs: [BILLING, SUPPORT],
    secrets: SECRETS,
    agents: [{ id: 'PROJECT-BILLING1', name: 'Billing Desk', description: '', createdAt: '2026-01-01T00:00:00Z' }],
    role: 'admin',
    current: 'PROJECT-WEVYLLDV',
    lastReads: new Map(),
    pendingAccess: [],
    now: NOW,
    ...over,
  };
}

/** Each agent as `label — description` with its groups and `name — description [context] places`. */
function shown(model: ReturnType<typeof reviewModel>): unknown {
  return model.agents.map((a) => ({
    agent: `${a.label} — ${a.description}`,
    groups: a.children.map((g) => ({
      [g.label]: g.children.map((c) =>
        c.type === 'reviewItem' ? `${c.name} — ${c.description} [${c.contextValue}] ${c.places.map((p) => `${p.uri.slice(11)}:${p.range.start.line}`).join(' ')}`.trimEnd() : `${c.place.uri.slice(11)}:${c.place.range.start.line}`,
      ),
    })),
  }));
}

describe('Access review model', () => {
  it('an admin reviews every agent: missing, unused, only-some-environments, unknown and unresolved', () => {
    const lastReads = new Map([
      ['PROJECT-WEVYLLDV', new Map([['old_webhook', { at: '2026-11-23T08:00:00Z', environment: 'live' }]])],
      ['PROJECT-BILLING1', null],
    ]);
    expect(shown(reviewModel(input({ lastReads })))).toEqual([
      {
        // Billing's code reads nothing it can name; one read it cannot: its grant is unused only "unless".
        agent: 'PROJECT-BILLING1 (Billing Desk) — 1 unused · 1 unresolved read',
        groups: [
          { 'Unused (1)': ['stripe_key — last read: not kept by this vault · unless read by the 1 unresolved read [reviewUnused admin]'] },
          { 'Unresolved reads (1)': ['billing/functions/x.py:2'] },
        ],
      },
      {
        // The server's project name when the vault has none.
        agent: 'PROJECT-WEVYLLDV (Support Line) — 1 missing · 2 unused · 1 unknown',
        groups: [
          { 'Missing (1)': ['crm_key — 1 read [reviewMissing admin] support/functions/crm.py:3'] },
          { 'Unused (2)': ['legacy_token — never read [reviewUnused admin]', 'old_webhook — last read 3 days ago (live) [reviewUnused admin]'] },
          // Read in sandbox only: needed (an access list is per agent), so never offered for revoking.
          { 'Only read in some environments (1)': ['sandbox_only — only read in sandbox [reviewPartly admin] support/functions/pay.py:5'] },
          { 'Unknown (1)': ['typo_key — 1 read [reviewUnknown admin] support/functions/crm.py:9'] },
        ],
      },
    ]);
  });

  it('a developer reviews the current agent only, and sees a pending request', () => {
    const model = reviewModel(input({ role: 'developer', pendingAccess: [{ secret: 'crm_key', agent: 'PROJECT-WEVYLLDV' }] }));
    expect(model.agents.map((a) => a.agent)).toEqual(['PROJECT-WEVYLLDV']);
    const missing = model.agents[0]!.children[0]!.children[0] as ReviewItemNode;
    expect([missing.description, missing.contextValue]).toEqual(['1 read · access requested', 'reviewMissing developer']);
    // Offline: listed, no action.
    expect((reviewModel(input({ role: null })).agents[0]!.children[0]!.children[0] as ReviewItemNode).contextValue).toBe('reviewMissing');
    // No agent followed: nothing to review, and the view says why.
    expect(reviewModel(input({ role: 'developer', current: null }))).toEqual({ agents: [], empty: 'no-agent' });
    // An agent whose code reads nothing here: its grants are all unused.
    expect(shown(reviewModel(input({ role: 'developer', current: 'PROJECT-BILLING1', needs: [SUPPORT] })))).toEqual([
      { agent: 'PROJECT-BILLING1 (Billing Desk) — 1 unused', groups: [{ 'Unused (1)': ['stripe_key — last read: not kept by this vault [reviewUnused developer]'] }] },
    ]);
  });

  it('a grant every agent reads and needs shows as matching; the metadata\'s lastReads light up when the vault sends them', () => {
    const secrets = [secret('stripe_key', ['PROJECT-WEVYLLDV']), { ...secret('spare', ['PROJECT-WEVYLLDV']), lastReads: [{ agent: 'PROJECT-WEVYLLDV', at: '2026-11-25T23:00:00Z', environment: null }] }];
    const needs: AgentNeeds[] = [{ ...SUPPORT, needs: [SUPPORT.needs[2]!] }];
    expect(shown(reviewModel(input({ needs, secrets })))).toEqual([
      { agent: 'PROJECT-WEVYLLDV (Support Line) — 1 unused', groups: [{ 'Unused (1)': ['spare — last read 13 hours ago [reviewUnused admin]'] }] },
    ]);
    expect((shown(reviewModel(input({ needs, secrets: [secrets[0]!] }))) as unknown[])[0]).toEqual({ agent: 'PROJECT-WEVYLLDV (Support Line) — grants match the code', groups: [] });
  });

  it('says a last read in days, and escapes what it quotes', () => {
    expect(lastReadText(undefined, NOW)).toBe('never read');
    expect(lastReadText({ at: '2026-11-25T11:00:00Z', environment: null }, NOW)).toBe('last read 1 day ago');
    expect(lastReadText({ at: '2026-08-28T12:00:00Z', environment: 'sandbox' }, NOW)).toBe('last read 90 days ago (sandbox)');
    const odd = reviewModel(input({ needs: [{ agent: 'a', agentName: null, needs: [], unresolved: [] }], secrets: [secret('bad\u001bname', ['a'])] }));
    expect((odd.agents[0]!.children[0]!.children[0] as ReviewItemNode).label).not.toContain('\u001b');
  });

  it('a revoke of a grant marked "unless" is asked; one with no unresolved read is not', () => {
    expect(unresolvedRevokeQuestion('stripe_key', 'PROJECT-BILLING1', 0)).toBeUndefined();
    expect(unresolvedRevokeQuestion('stripe_key', 'PROJECT-BILLING1', 2)?.message).toBe(
      "Revoke 'PROJECT-BILLING1' from 'stripe_key'? No code of it names 'stripe_key', but 2 reads whose name the code does not determine may read it.",
    );
    expect(reviewModel(input()).agents.map((a) => [a.agent, a.unresolved])).toEqual([['PROJECT-BILLING1', 1], ['PROJECT-WEVYLLDV', 0]]);
  });

  it('a refused revoke lists the reads', () => {
    const rows = readRows([{ uri: 'file:///ws/support/functions/pay.py', range: at(4), agent: 'PROJECT-WEVYLLDV', agentName: 'Support Line', environments: null }], (u) => u.slice(11));
    expect(revokeRefusal('stripe_key', 'PROJECT-WEVYLLDV', rows)).toEqual({
      message: "Not revoked: 'PROJECT-WEVYLLDV' still reads 'stripe_key' (1 read).",
      detail: "A grant the agent's code reads is not unused. Remove these reads first:\nsupport/functions/pay.py:5 — PROJECT-WEVYLLDV (Support Line) — every environment",
    });
  });
});
