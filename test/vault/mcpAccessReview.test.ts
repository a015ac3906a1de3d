// The MCP server's access_review tool, as a coding assistant calls it: an MCP client from the SDK
// starts the built CLI over stdio in a repository of ADK projects (test/check/fixtures/review-repo)
// against a real vault. The same review as `secrets-vault access review`: names, agents, times and
// places, never a value; read-only (no grant changes); audited as the user, marked as the assistant.

import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyProject } from '../check/helpers';
import { readAtRunTime, startTestVault, type TestVault } from '../helpers/vault';

const CLI = path.resolve('dist/vault/cli.js');
const BOOKING = 'PROJECT-BOOKREVW';
const SUPPORT = 'PROJECT-SUPPRTRV';
const VALUES = Array.from({ length: 6 }, (_, i) => `SENTINEL-mcp-review-${i}-${randomBytes(4).toString('hex')}`);

// Built before the vault starts: a build that blocks this thread longer than the vault's keep-alive
// would have the next request reuse a connection the vault is closing (ECONNRESET).
execFileSync(process.execPath, ['scripts/build.mjs']);
const v: TestVault = await startTestVault();
await v.api().createAgent({ id: BOOKING, name: 'Booking' });

let dir: string;
let repo: string;
let developerKey: string;

beforeAll(async () => {
  ({ dir, project: repo } = copyProject('review-repo'));
  const api = v.api();
  await api.createAgent({ id: SUPPORT, name: 'Support' });
  await api.createAgent({ id: 'ops-agent', name: 'Ops' });
  await api.createSecret({ name: 'stripe_api_key', value: VALUES[0]!, agents: [BOOKING] });
  await api.createSecret({ name: 'amadeus', value: { client_id: VALUES[1]! }, agents: [] });
  await api.createSecret({ name: 'legacy_crm', value: VALUES[2]!, agents: [BOOKING] });
  await api.createSecret({ name: 'x_uat_api', value: VALUES[3]!, agents: [BOOKING] });
  await api.createSecret({ name: 'zendesk_token', value: VALUES[4]!, agents: [SUPPORT] });
  await api.createSecret({ name: 'Prod API Credentials', value: { client_id: VALUES[5]! }, agents: ['ops-agent'] });
  developerKey = (await api.createUserKey({ name: 'dev-laptop', role: 'developer' })).token;
  await readAtRunTime(v, BOOKING, 'legacy_crm');
}, 120_000);
afterAll(async () => {
  await v.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function withClient<T>(token: string, run: (c: Client) => Promise<T>): Promise<T> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, 'mcp'],
    cwd: repo,
    env: { PATH: process.env.PATH ?? '', SECRETS_VAULT_URL: v.url, SECRETS_VAULT_TOKEN: token },
    stderr: 'pipe',
  });
  const client = new Client({ name: 'review-assistant', version: '1.0.0' });
  await client.connect(transport);
  try {
    return await run(client);
  } finally {
    await client.close();
  }
}

const texts: string[] = [];
function json(result: unknown): any {
  const r = result as { content: { type: string; text: string }[]; isError?: boolean };
  texts.push(r.content.map((c) => c.text).join('\n'));
  expect(r.isError ?? false).toBe(false);
  return JSON.parse(r.content[0]!.text);
}

describe('access_review over the MCP server', () => {
  it('is listed as read-only, with no value field', async () => {
    await withClient(v.adminKey, async (c) => {
      const tool = (await c.listTools()).tools.find((t) => t.name === 'access_review')!;
      expect(tool.annotations?.readOnlyHint).toBe(true);
      expect(Object.keys(tool.inputSchema.properties ?? {}).sort()).toEqual(['agent', 'path', 'staleDays']);
    });
  });

  it('each agent: missing grants with their reads, unused grants with last read, environment-only grants, unknown names, unresolved reads; the plan counted, nothing changed', async () => {
    const before = JSON.stringify(await v.api().listSecrets());
    const out = await withClient(v.adminKey, async (c) => json(await c.callTool({ name: 'access_review', arguments: {} })));
    expect(out.reads).toBe('kept');
    expect(out.agents.map((a: { agent: string }) => a.agent)).toEqual([BOOKING, SUPPORT, 'ops-agent']);
    const [booking, support, ops] = out.agents;
    expect(booking.missing).toEqual([
      { name: 'amadeus', environments: null, locations: [{ path: `agents/booking/${BOOKING}/flows/checkout/functions/confirm_booking.py`, line: 7, column: 38 }], accessRequested: false },
    ]);
    // x_prod_api and webhook_token do not exist in this vault.
    expect(booking.unknown.map((u: { name: string; environments: string[] | null }) => [u.name, u.environments])).toEqual([
      ['webhook_token', null],
      ['x_prod_api', ['live']],
    ]);
    expect(booking.unused.map((u: { name: string }) => u.name)).toEqual(['legacy_crm']);
    expect(booking.readOnlyInSomeEnvironments.map((p: { name: string; environments: string[] }) => [p.name, p.environments])).toEqual([['x_uat_api', ['sandbox']]]);
    expect(support.unused).toEqual([{ name: 'zendesk_token', lastRead: null, lastReadEnvironment: null, unlessReadByDynamicReads: true }]);
    expect(support.dynamicReads).toEqual([{ path: 'support desk/functions/handoff.py', line: 7, column: 36, message: expect.stringContaining('conv.state["integration_secret"]') }]);
    expect(ops).toMatchObject({ missing: [], unused: [], unknown: [] });
    expect(out.plan).toEqual({ grant: 1, revoke: 1 });
    expect(out.note).toContain('access review --apply');
    expect(out.note).not.toContain('keeps no last reads');
    expect(JSON.stringify(await v.api().listSecrets())).toBe(before);
  });

  it('the read-but-not-needed grant carries its last read', async () => {
    const out = await withClient(v.adminKey, async (c) => json(await c.callTool({ name: 'access_review', arguments: {} })));
    expect(out.agents[0].unused[0].lastRead).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('a path of the workspace, one agent for all, stale days; a developer may review too; a path outside is refused', async () => {
    await withClient(developerKey, async (c) => {
      const ops = json(await c.callTool({ name: 'access_review', arguments: { path: 'ops', staleDays: 0 } }));
      expect(ops.agents.map((a: { agent: string }) => a.agent)).toEqual(['ops-agent']);
      expect(ops.staleDays).toBe(0);
      const asBooking = json(await c.callTool({ name: 'access_review', arguments: { path: 'ops', agent: BOOKING } }));
      expect(asBooking.agents[0].missing.map((m: { name: string }) => m.name)).toEqual(['Prod API Credentials']);
      const outside = (await c.callTool({ name: 'access_review', arguments: { path: '../..' } })) as { isError?: boolean; content: { text: string }[] };
      expect(outside.isError).toBe(true);
      expect(outside.content[0]!.text).toContain('outside the workspace');
    });
  });

  it('audited as the user, marked as the assistant; no value in any answer or audit record', async () => {
    const records = (await v.api().audit({ limit: 50 })).records.filter((r) => r.action === 'assistant.call' && r.target.startsWith('access_review'));
    expect(records.map((r) => [r.actor, r.outcome, r.detail])).toContainEqual(['dev-laptop', 'success', 'assistant: mcp/review-assistant']);
    const all = JSON.stringify((await v.api().audit({ limit: 200 })).records);
    for (const text of [...texts, all]) for (const value of VALUES) expect(text).not.toContain(value);
    expect(texts.length).toBeGreaterThan(2);
  });
});
