import { describe, expect, it } from 'vitest';
import type { SecretRead } from '../../protocol/lsp';
import { revokeAccessConfirmation } from '../../client/src/core/revokeAccess';
import { deleteConfirmation, environmentsText, readRows, readsAs, readsList } from '../../client/src/core/secretReads';

const read = (file: string, line: number, agent: string | null, agentName: string | null, environments: string[] | null): SecretRead => ({
  uri: `file:///ws/${file}`,
  range: { start: { line: line - 1, character: 4 }, end: { line: line - 1, character: 12 } },
  agent,
  agentName,
  environments,
});
const rows = (reads: SecretRead[]) => readRows(reads, (uri) => uri.slice('file:///ws/'.length));

describe('the reads of a secret, as the questions before a delete or a revoke list them', () => {
  it('say each read as file:line — project — environments', () => {
    expect(
      rows([
        read('support/functions/refund.py', 9, 'PROJECT-SUPPORT1', 'Support Line', null),
        read('billing/functions/charge.py', 4, 'PROJECT-BILLING1', null, ['sandbox', 'pre-release']),
        read('scratch.py', 1, null, null, ['live']),
      ]).map((r) => readsList([r])[0]),
    ).toEqual([
      'support/functions/refund.py:9 — PROJECT-SUPPORT1 (Support Line) — every environment',
      'billing/functions/charge.py:4 — PROJECT-BILLING1 — sandbox and pre-release',
      'scratch.py:1 — no agent chosen — live',
    ]);
    expect(environmentsText(['sandbox', 'pre-release', 'live'])).toBe('sandbox, pre-release and live');
    // Names from files and projects are someone else's text: one line, escapes shown.
    expect(rows([read('a\nb.py', 2, 'PROJECT-X', 'Evil\u202ename', null)])[0]!.project).not.toMatch(/[\n\u202e]/);
    expect(rows([read('a\nb.py', 2, 'PROJECT-X', null, null)])[0]!.place).not.toContain('\n');
  });

  it('list at most ten in a confirmation, then how many more', () => {
    const many = rows(Array.from({ length: 13 }, (_, i) => read(`f${i}.py`, i + 1, 'a', null, null)));
    const listed = readsList(many);
    expect(listed).toHaveLength(11);
    expect(listed[9]).toBe('f9.py:10 — a — every environment');
    expect(listed[10]).toBe('and 3 more');
    expect(readsList(many.slice(0, 10))).toHaveLength(10);
    expect(readsList([])).toEqual([]);
  });

  it('before a delete: the agents that lose it, the reads that will fail, and that the value is gone', () => {
    const r = rows([read('billing/functions/charge.py', 4, 'PROJECT-BILLING1', 'Billing Desk', ['sandbox'])]);
    expect(deleteConfirmation('stripe_key', ['PROJECT-BILLING1 (Billing Desk)'], r)).toEqual({
      message: "Delete the secret 'stripe_key'? Code in this workspace reads it (1 read).",
      detail:
        'These agents lose it: PROJECT-BILLING1 (Billing Desk). Their functions that read it will fail.\n\n' +
        '1 read in this workspace will fail:\nbilling/functions/charge.py:4 — PROJECT-BILLING1 (Billing Desk) — sandbox\n\n' +
        'The value cannot be recovered.',
    });
    expect(deleteConfirmation('unused', [], [])).toEqual({
      message: "Delete the secret 'unused'?",
      detail: 'No agent has access to it.\n\nNo code in this workspace reads it.\n\nThe value cannot be recovered.',
    });
  });

  it('before a revoke: only the reads that run as that agent, and nothing asked when none does', () => {
    const r = rows([
      read('support/functions/refund.py', 9, 'PROJECT-SUPPORT1', 'Support Line', null),
      read('billing/functions/charge.py', 4, 'PROJECT-BILLING1', null, ['sandbox']),
      read('billing/functions/other.py', 7, 'PROJECT-BILLING1', null, null),
    ]);
    expect(revokeAccessConfirmation('stripe_key', 'PROJECT-NOBODY', readsAs(r, 'PROJECT-NOBODY'))).toBeUndefined();
    expect(revokeAccessConfirmation('stripe_key', 'PROJECT-BILLING1', readsAs(r, 'PROJECT-BILLING1'))).toEqual({
      message: "Revoke 'PROJECT-BILLING1' from 'stripe_key'? Its code reads it (2 reads).",
      detail:
        "When this code runs as 'PROJECT-BILLING1', reading 'stripe_key' fails with MissingAccess:\n" +
        'billing/functions/charge.py:4 — PROJECT-BILLING1 — sandbox\nbilling/functions/other.py:7 — PROJECT-BILLING1 — every environment',
    });
  });
});
