// `secrets-vault access review`, run as CI and an admin run it: the built CLI on a repository of ADK
// projects (test/check/fixtures/review-repo: project.yaml, functions/, flows/*/functions/, _gen/, a
// folder named with a space, a secrets-vault.json naming an agent, a secret named with spaces)
// against a real vault over loopback. Grants that are missing, unused, read but not needed, and
// needed only in one environment; exact text, JSON and SARIF; --fail-on; --apply, then a second
// review with nothing to do; every change audited; a developer's key cannot apply and files
// requests instead; no value and no credential-shaped string in any output.
// A read-but-not-needed grant carries the vault's last run-time read of it.

import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../protocol/api';
import { readAtRunTime, startTestVault, type TestVault } from '../helpers/vault';
import { CLI, copyProject, expected, ROOT, runCli, writeFile, type RunResult } from './helpers';
import { sarifValidator } from './sarif';

const BOOKING = 'PROJECT-BOOKREVW';
const SUPPORT = 'PROJECT-SUPPRTRV';
const VALUES = Array.from({ length: 13 }, (_, i) => `SENTINEL-review-${i}-${randomBytes(4).toString('hex')}`);
/** A Stripe-format key made now (none is committed): written into a function, and as a name. */
const KEY = `sk_live_${randomBytes(18).toString('hex')}`;

let dir: string;
let repo: string;
let developerKey: string;
const temps: string[] = [];

const v: TestVault = await startTestVault();
await v.api().createAgent({ id: BOOKING, name: 'Booking (vault name)' });

beforeAll(async () => {
  await promisify(execFile)(process.execPath, ['scripts/build.mjs'], { cwd: ROOT });
  ({ dir, project: repo } = copyProject('review-repo'));
  temps.push(dir);
  // A credential in the code, and one pasted where a name goes: hardcoded-secret, never a name here.
  appendFileSync(path.join(repo, 'agents/booking', BOOKING, 'functions/take_payment.py'), `\n\nFALLBACK = "${KEY}"\n\n\ndef refund(conv: Conversation):\n    return conv.utils.get_secret("${KEY}")\n`);
  const api = v.api();
  for (const [id, name] of [
    [SUPPORT, 'Support'],
    ['ops-agent', 'Ops'],
    ['other-agent', 'Other'],
  ] as const) {
    await api.createAgent({ id, name });
  }
  const secrets: [string, string[], boolean?][] = [
    ['stripe_api_key', [BOOKING]], // needed and granted
    ['amadeus', [], true], // needed, not granted: missing
    ['x_prod_api', []], // needed in live only, not granted: missing in live
    ['x_uat_api', [BOOKING]], // needed in sandbox only, granted
    ['payroll_token', [BOOKING]], // granted, not needed, never read: unused
    ['legacy_crm', [BOOKING]], // granted, not needed, read at run time: unused, read
    ['webhook_token', [BOOKING]], // needed by the project's configuration
    ['openai_key', [SUPPORT]],
    ['zendesk_token', [SUPPORT]], // unused unless the support agent's dynamic read reads it
    ['Prod API Credentials', [], true], // needed by ops-agent (a name with spaces): missing
    ['old_unused', []], // nobody's: stale
    ['other_secret', ['other-agent']], // an agent whose code is not here
  ];
  for (const [i, [name, agents, kv]] of secrets.entries()) {
    await api.createSecret({ name, value: kv ? { client_id: VALUES[i]!, client_secret: VALUES[i]! } : VALUES[i]!, agents });
  }
  developerKey = (await api.createUserKey({ name: 'dev-laptop', role: 'developer' })).token;
  // The booking agent reads a secret its code no longer needs (an older deployment).
  await readAtRunTime(v, BOOKING, 'legacy_crm');
}, 120_000);

afterAll(async () => {
  await v.stop();
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

const live = (token = v.adminKey) => ({ SECRETS_VAULT_URL: v.url, SECRETS_VAULT_TOKEN: token });
const review = (args: string[], cwd = repo, token?: string) => runCli(['access', 'review', ...args], { cwd, env: live(token) });
/** What changes from run to run: the vault's port, creation and read times. */
const portless = (s: string) => s.replaceAll(v.url, '<VAULT>').replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, '<TIME>');
/** The review at a terminal (a pseudo-terminal: test/check/terminal.py), answering its question with `answer`; stdout and stderr as the terminal showed them. */
function reviewAtTerminal(args: string[], answer: 'y' | 'n', token = v.adminKey, cwd = repo, gate?: string): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', [path.join(__dirname, 'terminal.py'), answer, process.execPath, CLI, 'access', 'review', ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? '', ...live(token), ...(gate ? { TERMINAL_GATE: gate } : {}) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += String(c)));
    child.stderr.on('data', (c) => (err += String(c)));
    child.on('error', reject);
    // A terminal writes \r\n for \n, and readline moves the cursor around its question.
    child.on('close', (code) => resolve({ code, out: out.replace(/\r+\n/g, '\n').replace(/\x1b\[[0-9;]*[A-Za-z]/g, ''), err }));
  });
}
const outputs: RunResult[] = [];
const keep = (r: RunResult) => (outputs.push(r), r);

describe('access review of a repository of ADK projects', () => {
  it('text (a vault that keeps last reads): the read-but-not-needed grant with its last read, the others never read', async () => {
    const r = keep(await review(['--stale-days', '0']));
    expect(r.err).toBe('');
    expect(portless(r.out)).toBe(expected('review-repo-reads.txt'));
  });

  it('json: agents[] with agent, missing[] {name, environments, locations}, unused[] {name, lastRead}; the plan', async () => {
    const r = keep(await review(['--format', 'json', '--stale-days', '0']));
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out);
    expect(report.agents.map((a: { agent: string }) => a.agent)).toEqual([BOOKING, SUPPORT, 'ops-agent']);
    const booking = report.agents[0];
    expect(booking.missing.map((m: { name: string; environments: string[] | null }) => [m.name, m.environments])).toEqual([
      ['amadeus', null],
      ['x_prod_api', ['live']],
    ]);
    expect(booking.missing[1].locations).toEqual([{ path: `agents/booking/${BOOKING}/flows/checkout/functions/confirm_booking.py`, line: 3, column: 24, environments: ['live'] }]);
    expect(booking.someEnvironments.map((p: { name: string; environments: string[] }) => [p.name, p.environments])).toEqual([['x_uat_api', ['sandbox']]]);
    expect(booking.unused.map((u: { name: string }) => u.name)).toEqual(['legacy_crm', 'payroll_token']);
    expect(report.agents[1].unused).toEqual([{ name: 'zendesk_token', lastRead: null, lastReadEnvironment: null, unlessDynamic: true }]);
    expect(report.agents[1].unknown.map((u: { name: string }) => u.name)).toEqual(['helpdesk_tokn']);
    expect(report.plan.grant).toEqual([
      { secret: 'amadeus', agent: BOOKING },
      { secret: 'x_prod_api', agent: BOOKING },
      { secret: 'Prod API Credentials', agent: 'ops-agent' },
    ]);
    // Never on a guess: the support agent's grant stays, its code reads a name it cannot tell.
    expect(report.plan.revoke).toEqual([
      { secret: 'legacy_crm', agent: BOOKING },
      { secret: 'payroll_token', agent: BOOKING },
    ]);
  });

  it('json (a vault that keeps last reads): exact; lastRead is the run-time read’s ISO time, or null', async () => {
    const r = keep(await review(['--format', 'json', '--stale-days', '0']));
    expect(portless(r.out)).toBe(expected('review-repo-reads.json'));
    const report = JSON.parse(r.out);
    expect(report.reads).toBe('kept');
    const unused = report.agents[0].unused as { name: string; lastRead: string | null }[];
    expect(unused.find((u) => u.name === 'legacy_crm')!.lastRead).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(unused.find((u) => u.name === 'payroll_token')!.lastRead).toBeNull();
    // A secret granted to an agent whose code is not here, never read: stale once reads are known.
    expect(report.stale.map((s: { name: string }) => s.name)).toContain('other_secret');
  });

  it('sarif: exact, valid against the SARIF 2.1.0 schema; missing and unknown at the reads, unused at the project file, stale in the run properties', async () => {
    const r = keep(await review(['--format', 'sarif', '--stale-days', '0']));
    const log = JSON.parse(r.out);
    expect(sarifValidator()(log)).toEqual([]);
    const results = log.runs[0].results as { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[];
    expect(results.map((x) => `${x.ruleId} ${x.level} ${x.locations[0]?.physicalLocation.artifactLocation.uri}`)).toEqual([
      `not-granted error agents/booking/${BOOKING}/flows/checkout/functions/confirm_booking.py`,
      `not-granted error agents/booking/${BOOKING}/flows/checkout/functions/confirm_booking.py`,
      `unused-grant warning agents/booking/${BOOKING}/project.yaml`,
      `unused-grant warning agents/booking/${BOOKING}/project.yaml`,
      'unknown-secret error support%20desk/functions/handoff.py',
      'unused-grant note support%20desk/project.yaml',
      'dynamic-name note support%20desk/functions/handoff.py',
      'not-granted error ops/rotate.py',
    ]);
    const base = `${new URL(`file://${repo}`).href}/`;
    // Without last reads (a vault from before them: that expected file goes once the vault keeps them).
    expect(portless(r.out.replaceAll(base, 'file:///REPO/'))).toBe(expected('review-repo-reads.sarif'));
  });

  it('--fail-on: missing (the default) and unused fail on a missing grant; none never; unused alone fails only --fail-on unused', async () => {
    expect((await review(['--fail-on', 'none'])).code).toBe(0);
    expect((await review([])).code).toBe(1);
    expect((await review(['--fail-on', 'unused'])).code).toBe(1);
    // A project whose only problem is an unused grant.
    const tidy = copyProject('review-repo');
    temps.push(tidy.dir);
    const project = path.join(tidy.dir, 'tidy');
    writeFile(path.join(project, 'project.yaml'), 'account_id: acme-travel\nproject_id: PROJECT-TIDYONLY\nregion: euw-1\n');
    writeFile(path.join(project, 'functions/lookup.py'), 'from _gen import *  # <AUTO GENERATED>\n\n\ndef lookup(conv: Conversation):\n    return conv.utils.get_secret("stripe_api_key")\n');
    await v.api().createAgent({ id: 'PROJECT-TIDYONLY', name: 'Tidy' });
    await v.api().grant('stripe_api_key', 'PROJECT-TIDYONLY');
    await v.api().grant('old_unused', 'PROJECT-TIDYONLY');
    try {
      const missing = await review([], project);
      expect(missing.out).toContain("'old_unused'");
      expect(missing.code).toBe(0);
      expect((await review(['--fail-on', 'unused'], project)).code).toBe(1);
    } finally {
      await v.api().revoke('old_unused', 'PROJECT-TIDYONLY');
      await v.api().revoke('stripe_api_key', 'PROJECT-TIDYONLY');
      await v.api().deleteAgent('PROJECT-TIDYONLY');
    }
  });

  it('usage errors are exit code 2: an unknown --agent, a path that does not exist, a bad --stale-days', async () => {
    const agent = await review(['--agent', 'nobody']);
    expect(agent.code).toBe(2);
    expect(agent.err).toContain("The vault has no agent 'nobody'");
    expect((await review(['no-such-folder'])).code).toBe(2);
    expect((await review(['--stale-days', 'soon'])).code).toBe(2);
  });

  it('secrets-vault.json "staleDays" is the default of --stale-days', async () => {
    const config = path.join(repo, 'secrets-vault.json');
    writeFile(config, JSON.stringify({ staleDays: 0 }));
    try {
      expect(JSON.parse((await review(['--format', 'json'])).out).staleDays).toBe(0);
    } finally {
      rmSync(config);
    }
    expect(JSON.parse((await review(['--format', 'json'])).out).staleDays).toBe(90);
  });
});

describe("access review --apply, and a developer's key", () => {
  const accessLists = async () => Object.fromEntries((await v.api().listSecrets()).map((s) => [s.name, s.agents]));

  it("a developer's key cannot apply: the plan, then exit 4 without --request; nothing changes", async () => {
    const before = await accessLists();
    const r = keep(await review(['--apply'], repo, developerKey));
    expect(r.code).toBe(4);
    expect(r.out).toContain(`grant  'amadeus' to ${BOOKING}`);
    expect(r.err).toContain("this key is a developer's: only an admin changes access lists");
    expect(r.err).toContain('run again with --request');
    expect(await accessLists()).toEqual(before);
  });

  it("at a terminal, a developer's key is offered the access requests: no files none", async () => {
    const r = keep(await reviewAtTerminal(['--apply'], 'n', developerKey));
    expect(r.out).toContain("this key is a developer's");
    expect(r.out).toContain('File access requests for the 3 missing grants? [y/N] n\n');
    expect(r.out).toContain('No access request was filed.');
    expect(r.code).toBe(4);
    expect(await v.api().listAccessRequests('pending')).toEqual([]);
  });

  it('--request files an access request for each missing grant, with the reason; a second run has none to file', async () => {
    const r = keep(await review(['--request'], repo, developerKey));
    expect(r.code).toBe(0);
    expect(r.out.split('\n').filter((l) => l.startsWith('Requested: '))).toHaveLength(3);
    const pending = await v.api().listAccessRequests('pending');
    expect(pending.map((p) => [p.secret, p.agent, p.requestedBy]).sort()).toEqual([
      ['Prod API Credentials', 'ops-agent', 'dev-laptop'],
      ['amadeus', BOOKING, 'dev-laptop'],
      ['x_prod_api', BOOKING, 'dev-laptop'],
    ]);
    expect(pending.find((p) => p.secret === 'amadeus')!.reason).toBe(`Found by secrets-vault access review: the code of ${BOOKING} reads it at agents/booking/${BOOKING}/flows/checkout/functions/confirm_booking.py:7.`);
    const again = keep(await review(['--request'], repo, developerKey));
    expect(again.out).toBe('No access request to file: no missing grant that is not requested already.\n');
    // The review says which are asked for.
    expect((await review([])).out).toContain("'amadeus'  access requested, pending");
  });

  it('with no terminal and no --yes, --apply refuses after printing the plan; nothing changes', async () => {
    const before = await accessLists();
    const r = keep(await review(['--apply']));
    expect(r.code).toBe(2);
    expect(r.out).toBe(
      [
        'Grants to add:',
        `  grant  'amadeus' to ${BOOKING}`,
        `  grant  'x_prod_api' to ${BOOKING}`,
        "  grant  'Prod API Credentials' to ops-agent",
        'Grants to revoke:',
        `  revoke 'legacy_crm' from ${BOOKING}`,
        `  revoke 'payroll_token' from ${BOOKING}`,
        '',
      ].join('\n'),
    );
    expect(r.err).toBe('secrets-vault: Refusing to change 5 grants without confirmation: review the plan, then pass --yes.\n');
    expect(await accessLists()).toEqual(before);
  });

  it('at a terminal, --apply asks: no changes nothing; yes applies (here the ops project’s one grant)', async () => {
    const before = await accessLists();
    const no = keep(await reviewAtTerminal(['--apply'], 'n'));
    expect(no.out).toContain('Apply these 5 changes? [y/N] n\n');
    expect(no.out).toContain('secrets-vault: Nothing was changed.');
    expect(no.code).toBe(1);
    expect(await accessLists()).toEqual(before);
    const yes = keep(await reviewAtTerminal(['--apply', 'ops'], 'y'));
    expect(yes.out).toMatch(/Grants to add:\n {2}grant {2}'Prod API Credentials' to ops-agent\nApply this change\? \[y\/N\] y\nGranted 'Prod API Credentials' to ops-agent\.\n1 change applied as one audited change \(audit id [\w-]{22}\)\. A second review finds nothing to do\.\n/);
    expect(yes.code).toBe(0);
    expect((await accessLists())['Prod API Credentials']).toEqual(['ops-agent']);
  });

  it('a secret changed in the vault between the review and the answer refuses the whole plan: exit 5, nothing changes', async () => {
    const gate = mkdtempSync(path.join(tmpdir(), 'sv-gate-'));
    temps.push(gate);
    const run = reviewAtTerminal(['--apply'], 'y', v.adminKey, repo, gate);
    for (let i = 0; i < 600 && !existsSync(path.join(gate, 'asked')); i++) await new Promise((r) => setTimeout(r, 50));
    // Someone else edits a secret of the plan while the admin reads it (its version moves).
    await v.api().updateSecret('legacy_crm', { description: 'changed meanwhile' });
    const before = await accessLists();
    writeFileSync(path.join(gate, 'go'), '');
    const r = keep(await run);
    expect(r.out).toContain('Apply these 4 changes? [y/N] y\n');
    expect(r.out).toContain("secrets-vault: 'legacy_crm' changed in the vault since this review: nothing was changed. Run the review again.");
    expect(r.code).toBe(5);
    expect(await accessLists()).toEqual(before);
  });

  it('--apply --yes grants and revokes as one audited change with its reason; a second --apply has nothing to do, and a second review finds nothing', async () => {
    const r = keep(await review(['--apply', '--yes']));
    expect(r.code).toBe(0);
    expect(r.out).toContain(`Granted 'amadeus' to ${BOOKING}.\n`);
    expect(r.out).toContain(`Revoked 'payroll_token' from ${BOOKING}.\n`);
    const id = /^4 changes applied as one audited change \(audit id ([\w-]{22})\)\. A second review finds nothing to do\.$/m.exec(r.out)?.[1];
    expect(id).toBeDefined();
    const lists = await accessLists();
    expect(lists.amadeus).toEqual([BOOKING]);
    expect(lists.x_prod_api).toEqual([BOOKING]);
    expect(lists['Prod API Credentials']).toEqual(['ops-agent']);
    expect(lists.legacy_crm).toEqual([]);
    expect(lists.payroll_token).toEqual([]);
    // Kept: needed only in sandbox, and the grant an unresolved read may use.
    expect(lists.x_uat_api).toEqual([BOOKING]);
    expect(lists.zendesk_token).toEqual([SUPPORT]);

    const records: AuditRecord[] = (await v.api().audit({ limit: 100 })).records;
    // One record per --apply (this one's four changes, and the single grant of the confirmation
    // test before), each listing its changes and the run's reason; the id the run printed is its own.
    const batches = records.filter((a) => a.action === 'access.batch').map((a) => [a.id === id, a.target, a.detail, a.actor, a.outcome]);
    expect(batches).toEqual([
      [
        true,
        '4 access changes',
        `grant "amadeus" to ${BOOKING}, grant "x_prod_api" to ${BOOKING}, revoke "legacy_crm" from ${BOOKING}, revoke "payroll_token" from ${BOOKING}; reason: secrets-vault access review --apply: 2 grants the agents' code reads, 2 revokes of grants no code of the agent reads`,
        'initial admin',
        'success',
      ],
      [
        false,
        '1 access change',
        `grant "Prod API Credentials" to ops-agent; reason: secrets-vault access review --apply: 1 grant the agents' code reads, 0 revokes of grants no code of the agent reads`,
        'initial admin',
        'success',
      ],
    ]);
    // No single grant or revoke comes from an --apply: only the --fail-on test's own.
    const singles = records.filter((a) => a.action === 'access.grant' || a.action === 'access.revoke').map((a) => `${a.action} ${a.target} ${a.detail}`);
    expect(singles.sort()).toEqual(
      [
        'access.grant stripe_api_key agent: PROJECT-TIDYONLY',
        'access.grant old_unused agent: PROJECT-TIDYONLY',
        'access.revoke old_unused agent: PROJECT-TIDYONLY',
        'access.revoke stripe_api_key agent: PROJECT-TIDYONLY',
      ].sort(),
    );
    const again = keep(await review(['--apply', '--yes']));
    expect(again.code).toBe(0);
    expect(again.out).toBe('Nothing to do: every grant the code needs is there, and no grant is unused.\n');
    expect(JSON.parse(keep(await review(['--apply', '--yes', '--format', 'json'])).out)).toEqual({ plan: { grant: [], revoke: [], cannotGrant: [] }, applied: [], auditId: null });
    const second = JSON.parse(keep(await review(['--format', 'json'])).out);
    expect(second.plan).toEqual({ grant: [], revoke: [], cannotGrant: [] });
    expect(second.summary.missing).toBe(0);
    // What is left is no grant to change: a name the vault lacks, and a grant kept for an unresolved read.
    expect(second.agents.flatMap((a: { unused: { name: string; unlessDynamic: boolean }[] }) => a.unused.map((u) => [u.name, u.unlessDynamic]))).toEqual([['zendesk_token', true]]);
    expect((await review(['--fail-on', 'unused', 'agents', 'ops'])).code).toBe(0);
  });

  it('no output, error or audit record holds a value or the credential written in the code', async () => {
    const records = JSON.stringify((await v.api().audit({ limit: 200 })).records);
    for (const text of [...outputs.map((r) => r.out + r.err), records]) {
      for (const value of VALUES) expect(text).not.toContain(value);
      expect(text).not.toContain(KEY);
      expect(text).not.toContain(KEY.slice(8, 24));
    }
    expect(outputs.length).toBeGreaterThan(7);
  });
});
