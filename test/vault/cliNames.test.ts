// The built `secrets-vault` CLI with names and ids as real accounts have them, run as a
// child process against a real vault on 127.0.0.1: generated names (spaces, quotes, backslashes,
// `%`, `#`, `?`, `/`, `..`, `::`, emoji, right-to-left letters, combining marks, 128 characters) and
// Agent Studio ids go through create, list, get, grant, runtime get, versions, revoke and delete;
// --json carries each exactly, and the text output quotes it, escapes nothing visible and keeps
// its tables aligned.

import { execFileSync } from 'node:child_process';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nameTwinOf } from '../../protocol/names';
import { displayWidth, safeText } from '../../protocol/safeText';
import { inertLines } from '../../vault/src/cli/io';
import { runChildCli, type CliRun } from '../helpers/childCli';
import { agentIdArb, secretNameArb } from '../helpers/names';
import { startTestVault, type TestVault } from '../helpers/vault';

const CLI = path.resolve('dist/vault/cli.js');
let v: TestVault;

beforeAll(async () => {
  execFileSync(process.execPath, ['scripts/build.mjs']);
  v = await startTestVault();
});
afterAll(() => v?.stop());

function run(args: string[], options: { token?: string; input?: string } = {}): Promise<CliRun> {
  return runChildCli(CLI, args, { PATH: process.env.PATH, SECRETS_VAULT_URL: v.url, SECRETS_VAULT_TOKEN: options.token ?? v.adminKey }, options.input);
}

/** Runs and requires exit 0, with the command line in the failure message. */
async function ok(args: string[], options: { token?: string; input?: string } = {}): Promise<CliRun> {
  const r = await run(args, options);
  expect(r.code, `${JSON.stringify(args)}: ${r.err}`).toBe(0);
  return r;
}

/** The columns of a table line, split where two or more spaces follow a cell (the table's gutter). */
function starts(line: string, cells: string[]): number[] {
  let at = 0;
  return cells.map((c) => {
    const i = line.indexOf(c, at);
    expect(i, `${JSON.stringify(c)} in ${JSON.stringify(line)}`).toBeGreaterThanOrEqual(0);
    at = i + c.length;
    return displayWidth(line.slice(0, i));
  });
}

let round = 0;

describe('secrets-vault CLI with names and ids as real accounts have them', () => {
  it('Prod API Credentials for PROJECT-DEMO0001: created with advice, never refused; quoted in messages; exact in --json', async () => {
    const agent = await ok(['agents', 'create', 'PROJECT-DEMO0001', '--name', 'Field Service Template', '--description', 'from Agent Studio']);
    expect(agent.out).toBe("Created agent 'PROJECT-DEMO0001' ('Field Service Template').\n");
    // Ids differing only in case are one agent to a person: a conflict (exit 5), naming no new twin.
    const twin = await run(['agents', 'create', 'project-demo0001']);
    expect(twin.code).toBe(5);
    const renamed = await ok(['agents', 'update', 'PROJECT-DEMO0001', '--name', 'Field Service (renamed)']);
    expect(renamed.out).toBe("Updated agent 'PROJECT-DEMO0001': name 'Field Service (renamed)'.\n");
    expect((await run(['agents', 'update', 'PROJECT-DEMO0001'])).code).toBe(2);
    const agents = await ok(['agents', 'list']);
    expect(agents.out).toMatch(/^PROJECT-DEMO0001 +Field Service \(renamed\) +from Agent Studio$/m);

    const created = await ok(['secrets', 'create', 'Prod API Credentials', '--kv', '--agent', 'PROJECT-DEMO0001'], { input: '{"client_id":"cid-7731","client_secret":"csec-7731-value"}' });
    expect(created.out).toBe("Created 'Prod API Credentials' (kv), granted to PROJECT-DEMO0001.\n");
    expect(created.err).toBe('The account advises snake_case: prod_api_credentials. The name was kept as given.\n');
    // A conforming name gets no advice; --json is unchanged and the advice stays on stderr.
    const conforming = await ok(['--json', 'secrets', 'create', 'prod_api_key'], { input: 'v-1' });
    expect(conforming.err).toBe('');
    const upper = await ok(['--json', 'secrets', 'create', 'STRIPE KEY'], { input: 'v-2' });
    expect(JSON.parse(upper.out)).toMatchObject({ name: 'STRIPE KEY' });
    expect(upper.err).toBe('The account advises snake_case: stripe_key. The name was kept as given.\n');
    // A name that differs only in case or spacing from one held is a conflict naming the held one.
    const clash = await run(['secrets', 'create', 'prod  api credentials'], { input: 'v-3' });
    expect(clash.code).toBe(5);
    expect(clash.err).toContain("'Prod API Credentials'");
    // The conventional name it advised is the same name to a person: refused, saying why.
    const advised = await run(['secrets', 'create', 'prod_api_credentials'], { input: 'v-4' });
    expect(advised.code).toBe(5);
    expect(advised.err).toContain("Secret 'Prod API Credentials' already exists; names that differ only in case, spacing, '_' or '-', or in letters that look alike are one name.");

    const got = await ok(['secrets', 'get', 'Prod API Credentials']);
    expect(got.out.split('\n')[0]).toBe("'Prod API Credentials' (kv: client_id, client_secret), version 1");
    const token = (await v.api().createAgentToken('PROJECT-DEMO0001')).token;
    const read = await ok(['runtime', 'get', 'Prod API Credentials'], { token });
    expect(JSON.parse(read.out)).toEqual({ client_id: 'cid-7731', client_secret: 'csec-7731-value' });
    expect(created.out + created.err + got.out).not.toContain('csec-7731-value');
  });

  it('a name no account can hold is refused by the vault without quoting it back, and a name starting with - goes after --', async () => {
    const bidi = await run(['secrets', 'create', 'admin\u202eyek_ipa'], { input: 'v' });
    expect(bidi.code).toBe(1);
    expect(bidi.err).toContain('U+202E');
    expect(bidi.err).not.toContain('\u202e');
    const dashed = await ok(['--json', 'secrets', 'create', '--description', 'dashed', '--', '-rf --help'], { input: 'dash-value' });
    expect(JSON.parse(dashed.out)).toMatchObject({ name: '-rf --help', description: 'dashed' });
    expect(JSON.parse((await ok(['--json', 'secrets', 'get', '--', '-rf --help'])).out).name).toBe('-rf --help');
    await ok(['secrets', 'delete', '--yes', '--', '-rf --help']);
  });

  it('a name or description that is a CI workflow command starts no line of the text output', async () => {
    await ok(['secrets', 'create', '--description', '::add-mask::x\n::error::y', '--', '::error file=a.py::pwned'], { input: 'wf-value' });
    await ok(['secrets', 'create', '--', '##[set-env name=X]y'], { input: 'wf-value-2' });
    const outputs = [
      await ok(['secrets', 'list']),
      await ok(['secrets', 'get', '--', '::error file=a.py::pwned']),
      await ok(['secrets', 'versions', '--', '##[set-env name=X]y']),
      await ok(['audit', '--limit', '5']),
    ];
    for (const r of outputs) for (const line of (r.out + r.err).split('\n')) expect(line).not.toMatch(/^\s*(?:::|##\[)/);
    expect(outputs[0]!.out).toMatch(/^\\x3a:error file=a\.py::pwned +single/m);
    expect(outputs[0]!.out).toMatch(/^\\x23#\[set-env name=X\]y +single/m);
    // --json is data, unchanged.
    const json = JSON.parse((await ok(['--json', 'secrets', 'get', '--', '::error file=a.py::pwned'])).out) as { name: string; description: string };
    expect(json).toMatchObject({ name: '::error file=a.py::pwned', description: '::add-mask::x\n::error::y' });
  });

  it('generated names and ids round-trip through create, list, get, grant, runtime get, versions, revoke and delete', async () => {
    // The tests above leave secrets whose names the generator also makes ('Prod API Credentials'): a
    // generated name that is one of them to a person (nameTwinOf) would be a conflict, not a round trip.
    const held = (JSON.parse((await ok(['--json', 'secrets', 'list'])).out) as { name: string }[]).map((s) => s.name);
    await fc.assert(
      fc.asyncProperty(secretNameArb, agentIdArb, secretNameArb, async (name, agentBase, display) => {
        fc.pre(nameTwinOf(name, held) === undefined);
        round++;
        // A fresh agent per round (ids differing only in case would be one agent); its display name is generated too.
        const agent = `${agentBase.slice(0, 56)}-r${round}`;
        const displayName = Array.from(display).slice(0, 100).join('').trim() || 'x';
        const value = `cli-prop-value-${round}`;
        await ok(['agents', 'create', '--name', displayName, '--', agent]);
        try {
          const created = await ok(['--json', 'secrets', 'create', '--', name], { input: value });
          expect(JSON.parse(created.out).name).toBe(name);

          const listed = JSON.parse((await ok(['--json', 'secrets', 'list'])).out) as { name: string }[];
          expect(listed.map((s) => s.name)).toContain(name);
          const got = JSON.parse((await ok(['--json', 'secrets', 'get', '--', name])).out) as { name: string; agents: string[] };
          expect(got.name).toBe(name);

          const granted = await ok(['access', 'grant', '--', name, agent]);
          expect(granted.out).toBe(`'${safeText(name)}' is granted to ${agent}.\n`);
          const token = (await v.api().createAgentToken(agent)).token;
          expect((await ok(['runtime', 'get', '--', name], { token })).out).toBe(`${value}\n`);

          const versions = JSON.parse((await ok(['--json', 'secrets', 'versions', '--', name])).out) as { version: number; current: boolean }[];
          expect(versions).toMatchObject([{ version: 1, current: true }]);

          // The text table: the name shown as it is (nothing visible is escaped) and the columns after it aligned.
          const table = (await ok(['secrets', 'list', '--agent', agent])).out.trimEnd().split('\n');
          expect(table).toHaveLength(2);
          const [head, row] = table as [string, string];
          const headAt = starts(head, ['NAME', 'KIND', 'AGENTS']);
          // (A name starting with `::` or `##[` shows its first character escaped: no line is a CI workflow command.)
          expect(starts(row, [inertLines(name), 'single', agent])).toEqual(headAt);
          expect(row).not.toMatch(/^\s*(?:::|##\[)/);
          const agents = (await ok(['agents', 'list'])).out.split('\n').find((l) => l.startsWith(`${agent} `));
          expect(agents, 'agents list shows the display name').toContain(displayName);

          const revoked = await ok(['access', 'revoke', '--', name, agent]);
          expect(revoked.out).toBe(`'${safeText(name)}' is granted to no agent.\n`);
          const deleted = await ok(['secrets', 'delete', '--yes', '--', name]);
          expect(deleted.out).toBe(`Deleted '${name}'.\n`);
          expect((await run(['secrets', 'get', '--', name])).code).toBe(1);
        } finally {
          await v.api().deleteSecret(name).catch(() => undefined);
          await v.api().deleteAgent(agent);
        }
      }),
      // Bounded: each run is a dozen CLI processes; a failure is reported as found, not shrunk (that would take minutes).
      { numRuns: Number(process.env.CLI_NAME_RUNS ?? 12), endOnFailure: true },
    );
  }, 240_000);
});
