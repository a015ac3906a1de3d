// The Agent Tokens… command: its words without vscode (the quick pick rows: kind, minter,
// created, expires, never a token; the confirmation before a revocation), and its HTTP through the
// extension's own connection against a real vault.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentTokenInfo } from '../../protocol/api';
import { revokeConfirmation, timeLeft, tokenPickItems } from '../../client/src/core/agentTokens';
import { VaultConnection } from '../../client/src/vault/connection';
import { startTestVault, type TestVault } from '../helpers/vault';
import { waitFor } from './wait';

const NOW = Date.parse('2026-11-23T12:00:00Z');
const plain: AgentTokenInfo = { id: 'tok_plain', kind: 'agent', name: 'booking-agent', minter: null, createdAt: '2026-01-02T03:04:05.000Z', expiresAt: null };
const run: AgentTokenInfo = {
  id: 'tok_run',
  kind: 'run',
  name: 'booking-agent',
  minter: { id: 'key_0123456789abcdef', name: 'dev laptop' },
  createdAt: '2026-11-23T11:50:00.000Z',
  expiresAt: '2026-11-23T23:50:00.000Z',
};

describe('Agent Tokens…', () => {
  it('lists run tokens first with their minter, created and expiry; agent tokens say they never expire', () => {
    const items = tokenPickItems([plain, run], NOW);
    expect(items.map((i) => i.token.id)).toEqual(['tok_run', 'tok_plain']);
    expect(items[0]).toMatchObject({
      label: '$(play) tok_run',
      description: 'run token minted by dev laptop (key_0123456789abcdef)',
      detail: 'created 2026-11-23 11:50 UTC · expires 2026-11-23 23:50 UTC (in 11 h)',
    });
    expect(items[1]).toMatchObject({ label: '$(key) tok_plain', description: 'agent token', detail: 'created 2026-01-02 03:04 UTC · never expires' });
  });

  it('says how long is left in minutes, hours or days', () => {
    expect(timeLeft('2026-11-23T12:14:59Z', NOW)).toBe('in 14 min');
    expect(timeLeft('2026-11-24T11:00:00Z', NOW)).toBe('in 23 h');
    expect(timeLeft('2026-11-27T12:00:00Z', NOW)).toBe('in 4 days');
    expect(timeLeft('2026-11-23T11:00:00Z', NOW)).toBe('in 0 min');
  });

  it('asks before revoking, and warns that an agent token may be a deployment', () => {
    expect(revokeConfirmation('booking-agent', run)).toEqual({
      message: 'Revoke the run token tok_run minted by dev laptop?',
      detail: 'A local run using it stops reading secrets at once. This cannot be undone.',
    });
    const agent = revokeConfirmation('booking-agent', plain);
    expect(agent.message).toBe('Revoke the agent token tok_plain?');
    expect(agent.detail).toContain("Whatever runs as 'booking-agent' with this token");
  });
});

describe("Agent Tokens… through the extension's connection, against a real vault", () => {
  let tv: TestVault;
  let conn: VaultConnection | undefined;
  beforeAll(async () => {
    tv = await startTestVault();
    await tv.api().createAgent({ id: 'booking-agent' });
    await tv.api().createSecret({ name: 'api_key', value: 'sk_live_agent-tokens-view-5d1e', agents: ['booking-agent'] });
  });
  afterAll(async () => {
    await conn?.dispose();
    await tv?.stop();
  });

  it("lists the current agent's live tokens as the pick shows them, and revokes the picked one (then 401)", async () => {
    const plain = await tv.api().createAgentToken('booking-agent');
    const run = await tv.api().mintRunToken('booking-agent', 600);
    conn = new VaultConnection({ url: tv.url, token: tv.adminKey, backoff: { initialMs: 20, maxMs: 100 } });
    await conn.start();
    await waitFor(() => conn!.state.state === 'connected', 'connected');
    // What the command does: list, build the rows, revoke the picked one.
    const items = tokenPickItems(await conn.api.listAgentTokens('booking-agent'), Date.now());
    expect(items.map((i) => i.token.id)).toEqual([run.id, plain.id]);
    expect(JSON.stringify(items)).not.toContain('sva_');
    await conn.api.revokeAgentToken('booking-agent', items[0]!.token.id);
    expect((await tv.http('GET', '/v1/runtime/secrets/api_key', { token: run.token })).status).toBe(401);
    expect((await tv.http('GET', '/v1/runtime/secrets/api_key', { token: plain.token })).status).toBe(200);
    expect((await conn.api.listAgentTokens('booking-agent')).map((t) => t.id)).toEqual([plain.id]);
  });
});
