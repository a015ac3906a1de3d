// `secrets-vault check` and `secrets-vault snapshot`, run as CI runs them: the built CLI on copies of
// the fixture projects, exact outputs in every format, exit codes, filters, and a live vault.

import { execFile, spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIAGNOSTIC_RULES, snapshotFileProblem, type CheckFinding } from '../../protocol/check';
import { DiagnosticCodes } from '../../protocol/lsp';
import { startTestVault, type TestVault } from '../helpers/vault';
import { CLI, copyProject, expected, HUGE_FILE_BYTES, ROOT, runCli, writeFile, type RunResult } from './helpers';
import { sarifValidator } from './sarif';

let dir: string;
let project: string;
const temps: string[] = [];

beforeAll(async () => {
  await promisify(execFile)(process.execPath, ['scripts/build.mjs'], { cwd: ROOT });
  ({ dir, project } = copyProject('project'));
  temps.push(dir);
});
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

const check = (args: string[], cwd = project, env?: Record<string, string>) => runCli(['check', ...args], { cwd, ...(env ? { env } : {}) });
const json = (r: RunResult) => JSON.parse(r.out) as { findings: CheckFinding[]; skipped: { path: string; reason: string; detail: string }[]; summary: Record<string, number> };


describe('check: what the code exposes itself', () => {
  /** A Stripe-format key made now (no credential-shaped string is committed), and a flow to print. */
  const KEY = `sk_live_${randomBytes(18).toString('hex')}`;
  let exposed: string;
  beforeAll(() => {
    const copy = copyProject('project');
    temps.push(copy.dir);
    exposed = path.join(copy.dir, 'exposed');
    mkdirSync(exposed);
    writeFileSync(
      path.join(exposed, 'pay.py'),
      [
        'import logging',
        '',
        `STRIPE_KEY = "${KEY}"`,
        `LEGACY_KEY = "${KEY}"  # secrets-vault: ignore hardcoded-secret`,
        '',
        'def pay(conv):',
        "    key = conv.utils.get_secret('stripe_api_key')",
        '    url = f"https://api.example.com/pay?key={key}"',
        '    logging.info("calling %s", url)',
        '',
      ].join('\n'),
    );
  });

  it('text: the kind and the sink, the flow as indented steps, and no value anywhere; warnings fail only with --fail-on warning', async () => {
    const r = await check(['--snapshot', '../snapshot.json'], exposed);
    expect(r.err).toBe('');
    expect(r.out).toBe(
      [
        'pay.py',
        "  pay.py:3:14  warning  hardcoded-secret  Hard-coded Stripe secret key in 'STRIPE_KEY': anyone who can read this code has it. Move it to the vault and read it with get_secret.",
        "  pay.py:9:32  warning  secret-in-log     The value of secret 'stripe_api_key' reaches logging.info, so it would be written where logs and errors are kept. Log something that is not the value (whether it is set, its length, a masked or hashed form).",
        "                 7:11  read secret 'stripe_api_key'",
        '                 7:5  assigned to key',
        '                 8:11  formatted into an f-string',
        '                 8:5  assigned to url',
        '                 9:32  passed to logging.info',
        '',
        '2 problems (0 errors, 2 warnings, 0 info) in 1 file: 1 file checked, 0 skipped.',
        '',
      ].join('\n'),
    );
    expect(r.code).toBe(0);
    expect((await check(['--snapshot', '../snapshot.json', '--fail-on', 'warning'], exposed)).code).toBe(1);
  });

  it('json and sarif: the flow as related steps and relatedLocations, regions only; no output holds any part of the key', async () => {
    const j = await check(['--snapshot', '../snapshot.json', '--format', 'json'], exposed);
    const flow = json(j).findings.find((f) => f.code === 'secret-in-log')!;
    expect(flow.related!.length).toBeGreaterThanOrEqual(3);
    expect(flow.related![0]).toMatchObject({ line: 7 });
    expect(flow.related!.at(-1)).toMatchObject({ line: 9 });
    const sarif = await check(['--snapshot', '../snapshot.json', '--format', 'sarif'], exposed);
    expect(sarifValidator()(JSON.parse(sarif.out))).toEqual([]);
    const result = JSON.parse(sarif.out).runs[0].results.find((x: { ruleId: string }) => x.ruleId === 'secret-in-log');
    expect(result.relatedLocations.map((l: { id: number; message: { text: string } }) => [l.id, l.message.text])).toEqual(flow.related!.map((s, i) => [i, s.message]));
    const github = await check(['--snapshot', '../snapshot.json', '--format', 'github'], exposed);
    for (const out of [j, sarif, github, await check(['--snapshot', '../snapshot.json'], exposed)]) {
      expect(out.out + out.err).not.toContain(KEY.slice(8, 20));
    }
  });
});

describe('check: a JWT signed with a published key', () => {
  it('the check engine verifies signatures with node:crypto: a token signed with `secret` is a fixture, one signed with a random key is reported', async () => {
    const header = Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url');
    const payload = Buffer.from(JSON.stringify({ sub: 'svc-booking', iat: 1763900000 })).toString('base64url');
    const sign = (key: string) => `${header}.${payload}.${createHmac('sha256', key).update(`${header}.${payload}`).digest('base64url')}`;
    const dir = path.join(project, '..', `jwt-${randomBytes(4).toString('hex')}`);
    mkdirSync(dir);
    temps.push(dir);
    writeFileSync(path.join(dir, 'tokens.py'), [`EXAMPLE_JWT = "${sign('secret')}"`, `SERVICE_JWT = "${sign(randomBytes(24).toString('base64url'))}"`, ''].join('\n'));
    const found = json(await check(['--snapshot', path.join(project, '..', 'snapshot.json'), '--format', 'json'], dir)).findings;
    expect(found.map((f) => [f.code, f.line, f.message.split(':')[0]])).toEqual([['hardcoded-secret', 2, "Hard-coded JSON Web Token in 'SERVICE_JWT'"]]);
  });
});

describe('check against a snapshot file: exact outputs', () => {
  it('text: grouped by file, path:line:col, severity, code, message, what was not checked, a summary line', async () => {
    const r = await check(['--snapshot', '../snapshot.json']);
    expect(r.err).toBe('');
    expect(r.out).toBe(expected('project.txt'));
    expect(r.code).toBe(1);
  });

  it('json', async () => {
    const r = await check(['--snapshot', '../snapshot.json', '--format', 'json']);
    expect(r.out).toBe(expected('project.json'));
    expect(r.code).toBe(1);
  });

  it('the global --json flag means --format json', async () => {
    const r = await runCli(['--json', 'check', '--snapshot', '../snapshot.json'], { cwd: project });
    expect(r.out).toBe(expected('project.json'));
  });

  it('sarif: exact, and valid against the SARIF 2.1.0 schema', async () => {
    const r = await check(['--snapshot', '../snapshot.json', '--format', 'sarif']);
    expect(r.code).toBe(1);
    const base = `${new URL(`file://${project}`).href}/`;
    expect(r.out.replaceAll(base, 'file:///PROJECT/')).toBe(expected('project.sarif'));
    expect(sarifValidator()(JSON.parse(r.out))).toEqual([]);
  });

  it('sarif: one rule with help text for each diagnostic code, and results point at their rule', async () => {
    const r = await check(['--snapshot', '../snapshot.json', '--format', 'sarif']);
    const run = JSON.parse(r.out).runs[0];
    const rules = run.tool.driver.rules as { id: string; name: string; help: { text: string }; shortDescription: { text: string } }[];
    expect(rules.map((x) => x.id)).toEqual([...DiagnosticCodes]);
    for (const rule of rules) {
      expect(rule.help.text).toBe(DIAGNOSTIC_RULES[rule.id as keyof typeof DIAGNOSTIC_RULES].help);
      expect(rule.help.text.length).toBeGreaterThan(80);
      expect(rule.shortDescription.text.length).toBeGreaterThan(20);
    }
    for (const result of run.results) expect(rules[result.ruleIndex]!.id).toBe(result.ruleId);
  });

  it('odd file names: percent-encoded in SARIF URIs, escaped in GitHub properties; a clean run is valid SARIF too', async () => {
    const odd = path.join(project, 'odd dir', 'a#b, c%.py');
    writeFile(odd, "conv.utils.get_secret('nope')\n");
    try {
      const sarif = await check(['--snapshot', '../snapshot.json', '--format', 'sarif', 'odd dir']);
      const log = JSON.parse(sarif.out);
      expect(sarifValidator()(log)).toEqual([]);
      expect(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe('odd%20dir/a%23b%2C%20c%25.py');
      const github = await check(['--snapshot', '../snapshot.json', '--format', 'github', 'odd dir']);
      expect(github.out.split('\n')[0]).toBe(
        "::error file=odd dir/a#b%2C c%25.py,line=1,col=24,endLine=1,endColumn=28,title=secrets-vault unknown-secret::Secret 'nope' does not exist in the vault.",
      );
      const clean = await check(['--snapshot', '../snapshot.json', '--format', 'sarif', 'app/clean.py']);
      expect(clean.code).toBe(0);
      expect(JSON.parse(clean.out).runs[0].results).toEqual([]);
      expect(sarifValidator()(JSON.parse(clean.out))).toEqual([]);
    } finally {
      rmSync(path.join(project, 'odd dir'), { recursive: true });
    }
  });

  it('hostile file names and decoded string escapes cannot forge lines or workflow commands', async () => {
    const root = path.join(project, 'hostile');
    writeFile(path.join(root, 'evil\n::error title=pwned::gotcha.py'), "conv.utils.get_secret('nope')\n");
    writeFile(path.join(root, '::warning::masked.py'), "conv.utils.get_secret('nope')\n");
    writeFile(path.join(root, 'esc.py'), "x = conv.utils.get_secret('a\\n::error::injected\\x1b[8m')\ny = conv.utils.get_secret(\"\\u202eb\\r\")\n");
    const rawControl = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
    try {
      const text = await check(['--snapshot', '../../snapshot.json'], root);
      expect(text.code).toBe(1);
      expect(text.out).not.toMatch(rawControl);
      // No line of the text output is a workflow command: a path that would start one is shown as ./path.
      expect(text.out.split('\n').filter((l) => /^\s*(::|##\[)/.test(l))).toEqual([]);
      expect(text.out).toBe(
        [
          './::warning::masked.py',
          "  ./::warning::masked.py:1:24  error    unknown-secret  Secret 'nope' does not exist in the vault.",
          '',
          'esc.py',
          "  esc.py:1:28  error    invalid-name    Invalid secret name 'a\\n::error::injected\\x1b[8m': A secret name cannot hold control, invisible, separator or bidirectional-control characters (it holds U+000A).",
          "  esc.py:2:28  error    invalid-name    Invalid secret name '\\u202eb\\r': A secret name cannot hold control, invisible, separator or bidirectional-control characters (it holds U+202E).",
          '',
          'evil\\n::error title=pwned::gotcha.py',
          "  evil\\n::error title=pwned::gotcha.py:1:24  error    unknown-secret  Secret 'nope' does not exist in the vault.",
          '',
          '4 problems (4 errors, 0 warnings, 0 info) in 3 files: 3 files checked, 0 skipped.',
          '',
        ].join('\n'),
      );
      const github = await check(['--snapshot', '../../snapshot.json', '--format', 'github'], root);
      expect(github.out).not.toMatch(rawControl);
      // GitHub's own escapes: %0A and %0D in data, also %3A and %2C in properties; other controls shown as escapes.
      // A name from the document reaches the message already escaped (service/features/quoting.ts).
      expect(github.out).toBe(
        [
          "::error file=%3A%3Awarning%3A%3Amasked.py,line=1,col=24,endLine=1,endColumn=28,title=secrets-vault unknown-secret::Secret 'nope' does not exist in the vault.",
          "::error file=esc.py,line=1,col=28,endLine=1,endColumn=55,title=secrets-vault invalid-name::Invalid secret name 'a\\n::error::injected\\x1b[8m': A secret name cannot hold control, invisible, separator or bidirectional-control characters (it holds U+000A).",
          "::error file=esc.py,line=2,col=28,endLine=2,endColumn=37,title=secrets-vault invalid-name::Invalid secret name '\\u202eb\\r': A secret name cannot hold control, invisible, separator or bidirectional-control characters (it holds U+202E).",
          "::error file=evil%0A%3A%3Aerror title=pwned%3A%3Agotcha.py,line=1,col=24,endLine=1,endColumn=28,title=secrets-vault unknown-secret::Secret 'nope' does not exist in the vault.",
          '4 problems (4 errors, 0 warnings, 0 info) in 3 files: 3 files checked, 0 skipped.',
          '',
        ].join('\n'),
      );
    } finally {
      rmSync(root, { recursive: true });
    }
  });

  it('the validator is not vacuous: it rejects what SARIF 2.1.0 forbids', () => {
    const validate = sarifValidator();
    const ok = { version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ message: { text: 'm' }, level: 'error' }] }] };
    expect(validate(ok)).toEqual([]);
    expect(validate({ ...ok, version: '2.0.0' })).not.toEqual([]);
    expect(validate({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ message: { text: 'm' }, level: 'fatal' }] }] })).not.toEqual([]);
    expect(validate({ version: '2.1.0', runs: [{ tool: { driver: {} } }] })).not.toEqual([]);
    const region = { startLine: 0 };
    const bad = { version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ message: { text: 'm' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'a' }, region } }] }] }] };
    expect(validate(bad)).not.toEqual([]);
  });

  it('github: workflow-command annotations, then the summary line', async () => {
    const r = await check(['--snapshot', '../snapshot.json', '--format', 'github']);
    expect(r.out).toBe(expected('project.github'));
    expect(r.code).toBe(1);
  });

  it('an environment-style account: os.environ, os.getenv and process.env are references; the process environment is not', async () => {
    const env = copyProject('env-project');
    temps.push(env.dir);
    const r = await check(['--snapshot', '../env-snapshot.json', '--agent', 'booking-agent'], env.project);
    expect(r.out).toBe(expected('env-project.txt'));
    expect(r.code).toBe(1);
  });

  it('real agent code: keys checked against every secret a variable may hold (branches, try, match), writes, definitions, shadowing, **kwargs', async () => {
    const reading = copyProject('reading');
    temps.push(reading.dir);
    const r = await check(['--snapshot', '../reading-snapshot.json'], reading.project);
    expect(r.err).toBe('');
    expect(r.out).toBe(expected('reading.txt'));
    expect(r.code).toBe(1);
  });

  it('an environment-style account: writes and deletes are not reads; import os as, environ and getenv from os are', async () => {
    const env = copyProject('env-reading');
    temps.push(env.dir);
    const r = await check(['--snapshot', '../env-snapshot.json', '--agent', 'booking-agent'], env.project);
    expect(r.err).toBe('');
    expect(r.out).toBe(expected('env-reading.txt'));
    expect(r.code).toBe(1);
  });
});

describe('exit codes', () => {
  it('0 and a clean summary when nothing is wrong', async () => {
    const r = await check(['--snapshot', '../snapshot.json', 'app/clean.py', 'web/ok.ts']);
    expect(r).toEqual({ code: 0, out: 'No problems: 2 files checked, 0 skipped.\n', err: '' });
  });

  it('--fail-on: info fails on a dynamic name, warning and error do not', async () => {
    const only = path.join(project, 'dynamic_only.py');
    writeFileSync(only, "def f(conv, n):\n    return conv.utils.get_secret(f'key_{n}')\n");
    try {
      const at = async (level: string) => (await check(['--snapshot', '../snapshot.json', '--fail-on', level, 'dynamic_only.py'])).code;
      expect(await at('info')).toBe(1);
      expect(await at('warning')).toBe(0);
      expect(await at('error')).toBe(0);
      expect((await check(['--snapshot', '../snapshot.json', 'dynamic_only.py'])).code).toBe(0);
    } finally {
      rmSync(only);
    }
  });

  it('--fail-on warning and info also fail on errors', async () => {
    for (const level of ['warning', 'info']) {
      expect((await check(['--snapshot', '../snapshot.json', '--fail-on', level, 'web/client.ts'])).code).toBe(1);
    }
  });

  it('2 with a clear message for usage errors', async () => {
    const cases: [string[], RegExp][] = [
      [['--snapshot', '../snapshot.json', '--format', 'xml'], /argument 'xml' is invalid/],
      [['--snapshot', '../snapshot.json', '--fail-on', 'fatal'], /argument 'fatal' is invalid/],
      [['--snapshot', '../snapshot.json', 'no/such/dir'], /No such file or folder: no\/such\/dir/],
      [['--snapshot', '../no-such-snapshot.json'], /Cannot read the snapshot file \.\.\/no-such-snapshot\.json \(ENOENT\)/],
      [['--snapshot', 'README.md'], /The snapshot file README\.md is not valid JSON/],
      [['--snapshot', '../snapshot.json', '--agent', 'payroll-agent'], /The vault has no agent 'payroll-agent' \(agents: booking-agent, hr-agent\)/],
      [['--snapshot', '../snapshot.json', '--agent', 'Not An Agent'], /'Not An Agent' is not an agent id/],
      [['--snapshot', '../snapshot.json', '--max-file-size', 'big'], /'big' is not a size in bytes/],
    ];
    for (const [args, message] of cases) {
      const r = await check(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err, args.join(' ')).toMatch(message);
      expect(r.out).toBe('');
    }
  });

  it('2 for a snapshot file of the wrong shape, naming the field', async () => {
    const bad = path.join(dir, 'bad-snapshot.json');
    const good = JSON.parse(readFileSync(path.join(dir, 'snapshot.json'), 'utf8'));
    writeFileSync(bad, JSON.stringify({ ...good, secrets: [{ name: 'x' }] }));
    const r = await check(['--snapshot', bad]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("is not a secrets-vault snapshot: 'secrets[0]' is not a secret's metadata");
    writeFileSync(bad, JSON.stringify({ ...good, version: 2 }));
    expect((await check(['--snapshot', bad])).err).toContain('unsupported version 2 (expected 1)');
  });
});

describe('which files are read', () => {
  it('honours .gitignore, nested ones too (a negation re-includes), and never reads dependency folders', async () => {
    const r = await check(['--snapshot', '../snapshot.json', '--format', 'json']);
    const files = new Set(json(r).findings.map((f) => f.path));
    expect(files.has('app/sub/keep.local.py')).toBe(true);
    for (const hidden of ['generated/leak.py', 'app/sub/settings.local.py', 'node_modules/dep/index.js']) expect(files.has(hidden)).toBe(false);
    expect(r.out).not.toMatch(/ignored_generated_secret|ignored_local_secret|in_node_modules|in_markdown/);
  });

  it('--no-gitignore reads the ignored files too', async () => {
    const r = await check(['--snapshot', '../snapshot.json', '--format', 'json', '--no-gitignore']);
    const files = new Set(json(r).findings.map((f) => f.path));
    expect(files.has('generated/leak.py')).toBe(true);
    expect(files.has('app/sub/settings.local.py')).toBe(true);
    expect(files.has('node_modules/dep/index.js')).toBe(false);
  });

  it('--exclude: a name at any depth, a path glob, repeatable', async () => {
    const r = await check(['--snapshot', '../snapshot.json', '--format', 'json', '--exclude', 'tests', '--exclude', 'web/*.ts']);
    expect([...new Set(json(r).findings.map((f) => f.path))]).toEqual(['app/booking.py', 'app/sub/keep.local.py']);
    const byName = await check(['--snapshot', '../snapshot.json', '--format', 'json', '--exclude', '*.local.py', '--no-gitignore']);
    expect(json(byName).findings.map((f) => f.path)).not.toContain('app/sub/keep.local.py');
    expect(json(byName).findings.map((f) => f.path)).not.toContain('app/sub/settings.local.py');
  });

  it('named paths: only those are read; a named file that is ignored or excluded is reported, not read', async () => {
    const r = await check(['--snapshot', '../snapshot.json', '--format', 'json', '--exclude', 'tests', 'web', 'generated/leak.py', 'tests/test_booking.py', 'README.md']);
    expect([...new Set(json(r).findings.map((f) => f.path))]).toEqual(['web/client.ts']);
    expect(json(r).skipped).toEqual([
      { path: 'README.md', reason: 'not-source', detail: 'not a Python, JavaScript or TypeScript file' },
      { path: 'generated/leak.py', reason: 'ignored', detail: 'ignored by .gitignore' },
      { path: 'tests/test_booking.py', reason: 'ignored', detail: 'excluded (by --exclude, or as a dependency or build folder)' },
    ]);
    expect(json(r).summary.filesChecked).toBe(2);
  });

  it('binary, huge and unreadable files are reported and skipped, never a crash', async () => {
    const secret = path.join(project, 'app/private.py');
    writeFileSync(secret, "conv.utils.get_secret('unknown_but_unreadable')\n");
    chmodSync(secret, 0o000);
    const locked = path.join(project, 'locked');
    writeFile(path.join(locked, 'inside.py'), "conv.utils.get_secret('unknown_in_locked_folder')\n");
    chmodSync(locked, 0o000);
    try {
      // root reads any file whatever its mode: run as nobody then, which needs the copies readable.
      const asRoot = process.getuid?.() === 0;
      if (asRoot) for (const d of [dir, project]) chmodSync(d, 0o755);
      const r = await runCli(['check', '--snapshot', '../snapshot.json', '--format', 'json'], { cwd: project, ...(asRoot ? { uid: 65534, gid: 65534 } : {}) });
      expect(r.err).toBe('');
      expect(r.code).toBe(1);
      expect(json(r).skipped).toEqual([
        { path: 'app/private.py', reason: 'unreadable', detail: 'cannot read (EACCES)' },
        { path: 'assets/blob.py', reason: 'binary', detail: 'binary content (a NUL byte)' },
        { path: 'locked', reason: 'unreadable', detail: 'cannot list the folder (EACCES)' },
        { path: 'vendor/huge.js', reason: 'too-large', detail: `${HUGE_FILE_BYTES} bytes, over the limit of 1048576 (--max-file-size)` },
      ]);
      expect(r.out).not.toMatch(/unknown_but_unreadable|unknown_in_locked_folder/);
    } finally {
      rmSync(secret);
      chmodSync(locked, 0o755);
      rmSync(locked, { recursive: true });
    }
  });

  it('--max-file-size lets a larger file in', async () => {
    const r = await check(['--snapshot', '../snapshot.json', '--format', 'json', '--max-file-size', String(2 * 1024 * 1024), 'vendor']);
    expect(json(r).skipped).toEqual([]);
    expect(json(r).summary.filesChecked).toBe(1);
  });
});

describe('progress', () => {
  const SCRIPT = '/usr/bin/script';

  it.skipIf(!existsSync(SCRIPT))('shows on stderr at a terminal for a large tree, ending at the total, and clears its line', async () => {
    const big = path.join(dir, 'big');
    mkdirSync(big);
    for (let i = 0; i < 510; i++) writeFileSync(path.join(big, `f${String(i).padStart(3, '0')}.py`), 'x = 1\n');
    // util-linux script(1) gives the CLI a pseudo-terminal, as a person's shell would.
    const command = `${process.execPath} ${CLI} check --snapshot ../snapshot.json`;
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn(SCRIPT, ['-qec', command, '/dev/null'], { cwd: big, env: { PATH: process.env.PATH ?? '', TERM: 'dumb' }, stdio: ['ignore', 'pipe', 'inherit'] });
      let text = '';
      child.stdout.on('data', (c) => (text += String(c)));
      child.on('error', reject);
      child.on('close', () => resolve(text));
    });
    expect(out).toContain('secrets-vault: checked 510 of 510 files');
    expect(out).toContain('\r\x1b[K');
    expect(out).toContain('No problems: 510 files checked, 0 skipped.');
    // Piped (as in CI) the same tree prints no progress at all.
    const piped = await check(['--snapshot', '../snapshot.json'], big);
    expect(piped.err).toBe('');
  });
});

describe('the agent', () => {
  it('--agent changes whose access list applies', async () => {
    const r = await check(['--snapshot', '../snapshot.json', '--format', 'json', '--agent', 'hr-agent', 'app/booking.py', 'web/client.ts']);
    const notGranted = json(r).findings.filter((f) => f.code === 'not-granted');
    expect(notGranted.map((f) => `${f.path}:${f.line} ${f.message}`)).toEqual([
      "app/booking.py:7 Secret 'amadeus' is not granted to agent 'hr-agent' (granted to: booking-agent).",
    ]);
  });

  it('without any agent (flag, snapshot, secrets-vault.json) access is not checked, and the summary says so', async () => {
    const noAgent = path.join(dir, 'snapshot-no-agent.json');
    const { agent: _agent, ...rest } = JSON.parse(readFileSync(path.join(dir, 'snapshot.json'), 'utf8'));
    writeFileSync(noAgent, JSON.stringify(rest));
    const r = await check(['--snapshot', noAgent, 'web/client.ts']);
    expect(r.out).not.toContain('not-granted');
    expect(r.out).toContain('No agent given: access was not checked.');
  });

  it("secrets-vault.json's agent applies when neither the flag nor the snapshot names one", async () => {
    const env = copyProject('env-project');
    temps.push(env.dir);
    writeFileSync(path.join(env.project, 'secrets-vault.json'), JSON.stringify({ agent: 'hr-agent' }));
    const r = await check(['--snapshot', '../env-snapshot.json', '--format', 'json'], env.project);
    expect(json(r).findings.filter((f) => f.code === 'not-granted').map((f) => f.message)).toEqual([
      "Secret 'STRIPE_API_KEY' is not granted to agent 'hr-agent' (granted to: booking-agent).",
      "Secret 'OPENAI_KEY' is not granted to agent 'hr-agent' (granted to: support-agent).",
      "Secret 'STRIPE_API_KEY' is not granted to agent 'hr-agent' (granted to: booking-agent).",
    ]);
  });
});

describe('against a live vault', () => {
  let v: TestVault;
  const SENTINELS = ['SENTINEL-single-9f3a1c', 'SENTINEL-kv-id-77d2', 'SENTINEL-kv-secret-0b6e', 'SENTINEL-payroll-51aa', 'SENTINEL-openai-c4e8'];

  beforeAll(async () => {
    v = await startTestVault();
    const api = v.api();
    await api.createAgent({ id: 'booking-agent', name: 'Booking agent' });
    await api.createAgent({ id: 'hr-agent', name: 'HR agent' });
    await api.createSecret({ name: 'amadeus', description: 'Flight search API', value: { client_id: SENTINELS[1]!, client_secret: SENTINELS[2]! }, agents: ['booking-agent'] });
    await api.createSecret({ name: 'openai_key', value: SENTINELS[4]! });
    await api.createSecret({ name: 'payroll_token', description: 'Payroll API', value: SENTINELS[3]!, agents: ['hr-agent'] });
    await api.createSecret({ name: 'stripe_api_key', description: 'Stripe secret key', value: SENTINELS[0]!, agents: ['booking-agent', 'hr-agent'] });
  });
  afterAll(() => v.stop());

  const live = () => ({ SECRETS_VAULT_URL: v.url, SECRETS_VAULT_TOKEN: v.adminKey });

  it('gives exactly the output of the same metadata from a snapshot file', async () => {
    const r = await check(['--agent', 'booking-agent'], project, live());
    expect(r.err).toBe('');
    expect(r.out).toBe(expected('project.txt'));
    expect(r.code).toBe(1);
  });

  it('the URL can come from secrets-vault.json and the token from --token-file, once the user trusts that URL', async () => {
    const tokenFile = path.join(dir, 'token');
    writeFileSync(tokenFile, `${v.adminKey}\n`);
    writeFile(path.join(project, 'secrets-vault.json'), JSON.stringify({ vault: v.url, agent: 'booking-agent' }));
    try {
      // A repository's file alone does not get the token: a pull request could point it anywhere.
      const refused = await runCli(['--token-file', tokenFile, 'check'], { cwd: project });
      expect(refused.code).toBe(2);
      expect(refused.out).toBe('');
      expect(refused.err).toContain('--trust-config-url');
      const r = await runCli(['--token-file', tokenFile, '--trust-config-url', 'check'], { cwd: project });
      expect(r.out).toBe(expected('project.txt'));
    } finally {
      rmSync(path.join(project, 'secrets-vault.json'));
    }
  });

  it('snapshot: metadata only, never a value; check --snapshot on it gives the live output', async () => {
    const r = await runCli(['snapshot', '--agent', 'booking-agent'], { cwd: project, env: live() });
    expect(r.code).toBe(0);
    for (const s of SENTINELS) {
      expect(r.out).not.toContain(s);
      expect(r.err).not.toContain(s);
    }
    const file = JSON.parse(r.out);
    expect(snapshotFileProblem(file)).toBeUndefined();
    expect(file).toMatchObject({ version: 1, vault: v.url, namingStyle: 'snake_case', agent: 'booking-agent' });
    expect(file.secrets.map((s: { name: string }) => s.name)).toEqual(['amadeus', 'openai_key', 'payroll_token', 'stripe_api_key']);
    // The lifecycle fields too, so that check --snapshot reports expired and rotation-due secrets offline.
    for (const s of file.secrets) expect(Object.keys(s).sort()).toEqual(['agents', 'description', 'expiresAt', 'keys', 'kind', 'name', 'rotationDays', 'updatedAt', 'valueUpdatedAt']);
    const saved = path.join(dir, 'live-snapshot.json');
    writeFileSync(saved, r.out);
    const offline = await check(['--snapshot', saved]);
    expect(offline.out).toBe(expected('project.txt'));
  });

  it('a developer key is enough (CI needs no admin key); an agent token is refused with exit code 2', async () => {
    const developer = await v.api().createUserKey({ name: 'ci', role: 'developer' });
    const r = await check(['--agent', 'booking-agent'], project, { SECRETS_VAULT_URL: v.url, SECRETS_VAULT_TOKEN: developer.token });
    expect(r.out).toBe(expected('project.txt'));
    const agentToken = await v.api().createAgentToken('booking-agent');
    const refused = await check(['--agent', 'booking-agent'], project, { SECRETS_VAULT_URL: v.url, SECRETS_VAULT_TOKEN: agentToken.token });
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/^secrets-vault: Forbidden: /);
    expect(refused.out).toBe('');
  });

  it('an unknown agent is a usage error naming the agents the vault has', async () => {
    const r = await check(['--agent', 'booking-agnet'], project, live());
    expect(r.code).toBe(2);
    expect(r.err).toContain("The vault has no agent 'booking-agnet' (agents: booking-agent, hr-agent).");
  });

  it('connection errors exit with 2 and say what failed', async () => {
    const closed = await check([], project, { SECRETS_VAULT_URL: 'http://127.0.0.1:9', SECRETS_VAULT_TOKEN: v.adminKey });
    expect(closed.code).toBe(2);
    expect(closed.err).toMatch(/^secrets-vault: Could not reach the vault at http:\/\/127\.0\.0\.1:9 \(.+\)\. Is 'secrets-vault serve' running\?\n$/);
    const badToken = await check([], project, { SECRETS_VAULT_URL: v.url, SECRETS_VAULT_TOKEN: 'svu_not-a-real-key' });
    expect(badToken.code).toBe(2);
    expect(badToken.err).toMatch(/^secrets-vault: Not authenticated: /);
    const noToken = await check([], project, { SECRETS_VAULT_URL: v.url });
    expect(noToken.code).toBe(2);
    expect(noToken.err).toContain('No token: set SECRETS_VAULT_TOKEN');
    const snapshotDown = await runCli(['snapshot'], { cwd: project, env: { SECRETS_VAULT_URL: 'http://127.0.0.1:9', SECRETS_VAULT_TOKEN: v.adminKey } });
    expect(snapshotDown.code).toBe(2);
    expect(snapshotDown.out).toBe('');
  });
});
