// The built `secrets-vault` CLI and a secret's life: --expires/--rotation-days and their
// clearing, `secrets list --due` (its exact output and exit code, for cron), versions and rollback,
// versions-kept, access requests from request to decision, and marks on keys (not sensitive).

import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteStore } from '../helpers/sqliteStore';
import { runChildCli, type CliRun } from '../helpers/childCli';
import { startTestVault, type TestVault } from '../helpers/vault';

const CLI = path.resolve('dist/vault/cli.js');
const DAY = 86_400_000;
let v: TestVault;
let developer: string;

beforeAll(async () => {
  execFileSync(process.execPath, ['scripts/build.mjs']);
  v = await startTestVault();
  await v.api().createAgent({ id: 'cli-agent' });
  developer = (await v.api().createUserKey({ name: 'dev', role: 'developer' })).token;
});
afterAll(() => v.stop());

function run(args: string[], options: { token?: string; input?: string } = {}): Promise<CliRun> {
  return runChildCli(CLI, args, { PATH: process.env.PATH, SECRETS_VAULT_URL: v.url, SECRETS_VAULT_TOKEN: options.token ?? v.adminKey }, options.input);
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe('secrets-vault CLI: a secret\'s life', () => {
  it('sets, shows and clears an expiry and a rotation reminder; refuses bad ones with exit 2', async () => {
    const created = await run(['--json', 'secrets', 'create', 'cli_exp', '--expires', '2099-12-31', '--rotation-days', '30', '--agent', 'cli-agent'], { input: 'exp-value-61ce' });
    expect(created.code, created.err).toBe(0);
    expect(JSON.parse(created.out)).toMatchObject({ expiresAt: '2099-12-31T00:00:00.000Z', rotationDays: 30, valueVersion: 1 });
    const shown = await run(['secrets', 'get', 'cli_exp']);
    expect(shown.out).toContain('expires: 2099-12-31T00:00:00.000Z; rotation reminder: every 30 days');
    expect(shown.out).toMatch(/value version 1, set \S+ by initial admin/);
    const cleared = await run(['--json', 'secrets', 'update', 'cli_exp', '--no-expiry', '--no-rotation']);
    expect(cleared.code, cleared.err).toBe(0);
    expect(JSON.parse(cleared.out)).toMatchObject({ expiresAt: null, rotationDays: null, valueVersion: 1 });
    expect((await run(['secrets', 'update', 'cli_exp', '--rotation-days', '0'])).code).toBe(2);
    expect((await run(['secrets', 'update', 'cli_exp', '--expires', '2099-01-01', '--no-expiry'])).code).toBe(2);
    const bad = await run(['secrets', 'update', 'cli_exp', '--expires', 'next tuesday']);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('expiresAt');
    expect((await run(['secrets', 'update', 'cli_exp'])).err).toContain('Nothing to change');
  });

  it('`secrets list --due` lists expired, expiring and rotation-due secrets with the reason, exactly; nothing and exit 0 when none', async () => {
    // Nothing due yet (cli_exp has neither an expiry nor a reminder now).
    const none = await run(['secrets', 'list', '--due']);
    expect(none).toMatchObject({ code: 0, out: '' });
    expect(JSON.parse((await run(['--json', 'secrets', 'list', '--due'])).out)).toEqual([]);

    const now = Date.now();
    const soon = new Date(now + 3 * DAY).toISOString();
    await v.api().createSecret({ name: 'a_expired', value: 'x1', expiresAt: '2020-01-02T00:00:00Z' });
    await v.api().createSecret({ name: 'b_soon', value: 'x2', expiresAt: soon });
    await v.api().createSecret({ name: 'c_rotate', value: 'x3', rotationDays: 30 });
    await v.api().createSecret({ name: 'd_fine', value: 'x4', expiresAt: '2099-01-01T00:00:00Z', rotationDays: 30 });
    // The value of c_rotate was set 40 days ago (the vault's clock cannot be moved; its row can).
    const setAt = new Date(now - 40 * DAY).toISOString();
    sqliteStore(v.vault.store).db.prepare("UPDATE secrets SET value_updated_at = ? WHERE name = 'c_rotate'").run(setAt);

    const due = await run(['secrets', 'list', '--due']);
    expect(due.code, due.err).toBe(0);
    expect(due.out).toBe(
      [
        'NAME       DUE',
        'a_expired  expired 2020-01-02',
        `b_soon     expires ${day(Date.parse(soon))}`,
        `c_rotate   rotation due since ${day(Date.parse(setAt) + 30 * DAY)}`,
        '',
      ].join('\n'),
    );
    const json = JSON.parse((await run(['--json', 'secrets', 'list', '--due'])).out) as { name: string; reasons: string[] }[];
    expect(json.map((x) => [x.name, x.reasons])).toEqual([
      ['a_expired', ['expired 2020-01-02']],
      ['b_soon', [`expires ${day(Date.parse(soon))}`]],
      ['c_rotate', [`rotation due since ${day(Date.parse(setAt) + 30 * DAY)}`]],
    ]);
    // The developer's key sees the same (metadata is for both roles).
    expect((await run(['secrets', 'list', '--due'], { token: developer })).out).toBe(due.out);
  });

  it('lists kept values and rolls back (admins); versions-kept is an account setting', async () => {
    await run(['secrets', 'update', 'cli_exp', '--value'], { input: 'exp-value-2-9a0d' });
    const versions = await run(['secrets', 'versions', 'cli_exp'], { token: developer });
    expect(versions.code, versions.err).toBe(0);
    expect(versions.out).toMatch(/^VERSION\s+KIND\s+SET AT\s+SET BY\s+NOTE\n2\s+current\s+single .*initial admin\s*\n1\s+single .*initial admin\s*\n$/);
    expect(versions.out).not.toContain('exp-value');
    // Documented exit codes: 4 refused (403), 5 conflict (409/412).
    const refused = await run(['secrets', 'rollback', 'cli_exp', '1'], { token: developer });
    expect(refused.code).toBe(4);
    const rolled = await run(['secrets', 'rollback', 'cli_exp', '1']);
    expect(rolled.code, rolled.err).toBe(0);
    expect(rolled.out).toBe("Rolled 'cli_exp' back to the value of version 1 (now value version 3).\n");
    const token = (await v.api().createAgentToken('cli-agent')).token;
    expect((await run(['runtime', 'get', 'cli_exp'], { token })).out.trim()).toBe('exp-value-61ce');
    expect((await run(['secrets', 'rollback', 'cli_exp', '1', '--if-match', '1'])).code).toBe(5);
    const kept = await run(['account', 'set', 'versions-kept', '2']);
    expect(kept.out).toBe('Each secret now keeps its last 2 value(s), the current one included.\n');
    expect((await run(['account', 'show'])).out).toContain('versions kept: 2');
    expect(JSON.parse((await run(['--json', 'secrets', 'versions', 'cli_exp'])).out).map((x: { version: number }) => x.version)).toEqual([3, 2]);
    expect((await run(['account', 'set', 'versions-kept', '0'])).code).toBe(2);
  });

  it('a developer requests access; an admin lists, approves and denies', async () => {
    await v.api().createSecret({ name: 'cli_wanted', value: 'wanted-2f7a' });
    const asked = await run(['access', 'request', 'cli_wanted', 'cli-agent', '--reason', 'the booking flow'], { token: developer });
    expect(asked.code, asked.err).toBe(0);
    const id = /req_[0-9a-f]{16}/.exec(asked.out)![0];
    expect(asked.out).toBe(`Requested: ${id} ('cli-agent' on 'cli_wanted'), pending an admin's decision.\n`);
    expect((await run(['access', 'request', 'cli_wanted', 'cli-agent'], { token: developer })).out).toContain(`Already requested: ${id}`);
    const newOne = await run(['--json', 'access', 'request', 'cli_new', 'cli-agent', '--key', 'id', 'secret'], { token: developer });
    expect(JSON.parse(newOne.out)).toMatchObject({ outcome: 'created', request: { newSecret: true, kind: 'kv', keys: ['id', 'secret'] } });
    const listed = await run(['access', 'requests', '--status', 'pending'], { token: developer });
    expect(listed.out.split('\n')[0]).toMatch(/^ID\s+STATUS\s+SECRET\s+AGENT\s+BY\s+KEY ID\s+REASON$/);
    expect(listed.out).toMatch(new RegExp(`${id}\\s+pending\\s+cli_wanted\\s+cli-agent\\s+dev\\s+key_[0-9a-f]+\\s+the booking flow`));
    expect(listed.out).toContain('cli_new (new, kv)');
    expect((await run(['access', 'approve', id], { token: developer })).code).toBe(4);
    expect((await run(['access', 'approve', id])).out).toBe(`Approved ${id}: 'cli-agent' can now read 'cli_wanted'.\n`);
    expect((await run(['access', 'request', 'cli_wanted', 'cli-agent'], { token: developer })).out).toBe("'cli-agent' can already read 'cli_wanted': nothing to ask.\n");
    const newId = JSON.parse(newOne.out).request.id as string;
    const early = await run(['access', 'approve', newId]);
    expect(early.code).toBe(5);
    expect(early.err).toContain('create it first');
    expect((await run(['access', 'deny', newId, '--reason', 'use cli_wanted'])).out).toBe(`Denied ${newId} ('cli-agent' on 'cli_new').\n`);
    expect((await run(['access', 'requests', '--status', 'denied'])).out).toContain('/ denied: use cli_wanted');
    expect((await run(['access', 'requests', '--status', 'bogus'])).code).toBe(2);
  });

  it('an admin denies in bulk: listed ids, one key\'s pending requests, or all; exactly one of them', async () => {
    const devKey = (await v.api().listUserKeys()).find((k) => k.name === 'dev')!.id;
    const ask = async (secret: string, token = developer) => JSON.parse((await run(['--json', 'access', 'request', secret, 'cli-agent'], { token })).out).request.id as string;
    const [a, b, c] = [await ask('bulk_a'), await ask('bulk_b'), await ask('bulk_c')];
    const mine = await ask('bulk_admin', v.adminKey);
    expect((await run(['access', 'deny'])).code).toBe(2);
    expect((await run(['access', 'deny', a, '--all'])).code).toBe(2);
    expect((await run(['access', 'deny', '--all'], { token: developer })).code).toBe(4);
    expect((await run(['access', 'deny', a, b, '--reason', 'flood'])).out).toBe('Denied 2 pending requests.\n');
    expect(JSON.parse((await run(['--json', 'access', 'deny', '--requester', devKey])).out)).toEqual({ denied: [c] });
    expect((await run(['access', 'deny', '--requester', devKey])).out).toBe('No pending request matched; nothing denied.\n');
    expect((await run(['access', 'deny', '--all'])).out).toBe('Denied 1 pending request.\n');
    expect((await v.api().listAccessRequests('pending')).map((q) => q.id)).toEqual([]);
    expect((await v.api().listAccessRequests('denied')).filter((q) => [a, b, c, mine].includes(q.id))).toHaveLength(4);
  });
});

describe('secrets-vault CLI: marks on keys (not sensitive)', () => {
  const VALUE = JSON.stringify({ API_KEY: 'cli-mark-key-5e0b', BASE_URL: 'https://oms.cli.test', REGION: 'eu-west-1', ACCOUNT_ID: 'acct-42' });

  it('create marks keys; get and list say which keys are not sensitive, by mark or by default; update changes marks alone', async () => {
    const created = await run(['--json', 'secrets', 'create', 'cli_oms', '--kv', '--not-sensitive', 'REGION', '--sensitive', 'ACCOUNT_ID'], { input: VALUE });
    expect(created.code, created.err).toBe(0);
    expect(JSON.parse(created.out)).toMatchObject({ keys: ['ACCOUNT_ID', 'API_KEY', 'BASE_URL', 'REGION'], keySensitivity: { ACCOUNT_ID: 'sensitive', REGION: 'not-sensitive' } });
    // BASE_URL by its name; REGION by its mark; ACCOUNT_ID's name says identifier, but its mark overrules it.
    const shown = await run(['secrets', 'show', 'cli_oms']);
    expect(shown.code, shown.err).toBe(0);
    expect(shown.out).toContain('  not sensitive: BASE_URL (default), REGION (marked)\n');
    const listed = await run(['secrets', 'list']);
    expect(listed.out).toMatch(/NAME\s+KIND\s+NOT SENSITIVE\s+AGENTS\s+DESCRIPTION/);
    expect(listed.out).toMatch(/cli_oms\s+kv \(ACCOUNT_ID, API_KEY, BASE_URL, REGION\)\s+BASE_URL \(default\), REGION \(marked\)/);

    // Marks alone (no value): merged with the marks read, under If-Match of that version.
    const before = await v.api().getSecret('cli_oms');
    const updated = await run(['--json', 'secrets', 'update', 'cli_oms', '--not-sensitive', 'ACCOUNT_ID', '--unmark', 'REGION', '--sensitive', 'BASE_URL']);
    expect(updated.code, updated.err).toBe(0);
    expect(JSON.parse(updated.out)).toMatchObject({ version: before.version + 1, valueVersion: before.valueVersion, keySensitivity: { ACCOUNT_ID: 'not-sensitive', BASE_URL: 'sensitive' } });
    expect((await run(['secrets', 'get', 'cli_oms'])).out).toContain('  not sensitive: ACCOUNT_ID (marked), REGION (default)\n');
    // The value never shows, in any of it.
    for (const r of [created, shown, listed, updated]) expect(r.out + r.err).not.toContain('cli-mark-key-5e0b');
  });

  it('refuses marks the vault refuses (exit 1, naming the key), marks without --kv and a key marked both ways (exit 2)', async () => {
    const unknown = await run(['secrets', 'update', 'cli_oms', '--not-sensitive', 'HOSTNAME']);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain("'HOSTNAME'");
    expect((await run(['secrets', 'create', 'cli_single_marked', '--not-sensitive', 'X'], { input: 'v' })).code).toBe(2);
    expect((await run(['secrets', 'update', 'cli_oms', '--not-sensitive', 'REGION', '--sensitive', 'REGION'])).code).toBe(2);
    expect((await run(['secrets', 'update', 'cli_oms', '--not-sensitive', 'REGION', '--unmark', 'REGION'])).code).toBe(2);
    // A single-value secret shows no line about keys.
    await v.api().createSecret({ name: 'cli_single', value: 'single-5a1c' });
    expect((await run(['secrets', 'get', 'cli_single'])).out).not.toContain('not sensitive');
  });
});

describe('secrets-vault CLI: last reads (issue 53)', () => {
  it("`secrets show` says each agent's last read or never; `agents reads` lists an agent's, in text and JSON", async () => {
    // An agent of its own: the other tests' reads are not in its list.
    await v.api().createAgent({ id: 'cli-reader' });
    await v.api().createAgent({ id: 'cli-other' });
    await v.api().createSecret({ name: 'cli_reads', value: 'reads-value-0c4e', agents: ['cli-reader', 'cli-other'] });
    const token = (await v.api().createAgentToken('cli-reader')).token;
    expect((await v.http('GET', '/v1/runtime/secrets/cli_reads', { token, headers: { 'x-secrets-vault-environment': 'live' } })).status).toBe(200);

    const shown = await run(['secrets', 'show', 'cli_reads']);
    expect(shown.code, shown.err).toBe(0);
    expect(shown.out).toMatch(/\n {2}never read by cli-other\n {2}last read by cli-reader (just now|1 minute ago) \(live\)\n$/);
    // A revoked agent's read stays, said as history.
    await v.api().revoke('cli_reads', 'cli-reader');
    expect((await run(['secrets', 'show', 'cli_reads'])).out).toMatch(/\n {2}never read by cli-other\n {2}last read by cli-reader (just now|1 minute ago) \(live\); no longer granted\n/);

    const reads = await run(['agents', 'reads', 'cli-reader']);
    expect(reads.code, reads.err).toBe(0);
    expect(reads.out).toMatch(/^SECRET\s+LAST READ\s+AGO\s+ENVIRONMENT\ncli_reads\s+\d{4}-\d\d-\d\dT\S+Z\s+(just now|1 minute ago)\s+live\n$/);
    const json = JSON.parse((await run(['--json', 'agents', 'reads', 'cli-reader'])).out) as unknown;
    expect(json).toEqual({ agent: 'cli-reader', reads: [{ secret: 'cli_reads', at: expect.any(String), environment: 'live' }] });
    expect((await run(['agents', 'reads', 'cli-other'])).out).toBe("'cli-other' has read no secret (since the vault began keeping reads).\n");
    // A developer's key lists them too (agent metadata); an unknown agent fails, naming it.
    expect((await run(['agents', 'reads', 'cli-reader'], { token: developer })).code).toBe(0);
    const missing = await run(['agents', 'reads', 'no-such-agent']);
    expect(missing.code).not.toBe(0);
    expect(missing.err).toContain("Agent 'no-such-agent' does not exist.");
    expect(shown.out + reads.out).not.toContain('reads-value-0c4e');
  });
});
