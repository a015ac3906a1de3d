// The shim's local stand-in for Agent Studio's function runtime, run as a function author runs it: a
// copy of a project laid out as `poly pull` leaves it (test/fixtures/adk-runtime, with a `_gen/` of
// its own that fails to import before Python 3.14, as the ADK's does), a real python3, a real vault
// over HTTP on 127.0.0.1, `python -m secrets_vault call`, the pytest plugin and `secrets-vault run`.

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestVault, type TestVault } from '../helpers/vault';

const SHIM = path.resolve('dist/python');
// The interpreter of the runs (python3; SECRETS_VAULT_TEST_PYTHON runs them on another, e.g. a 3.9).
// The pytest case keeps python3, which has pytest.
const PYTHON = process.env.SECRETS_VAULT_TEST_PYTHON ?? 'python3';
const CLI = path.resolve('dist/vault/cli.js');
const FIXTURE = path.resolve('test/fixtures/adk-runtime');
const AGENT = 'PROJECT-RUNTIME1';
const SANDBOX_VALUE = 'sk_test_ordersSandbox_4d7e1a9c';
const LIVE_VALUE = 'sk_live_ordersLive_93b0c6f2';
const CREDS = { API_KEY: 'bk-key-a81f2e7d', BASE_URL: 'https://booking.example/api' };
const PAYMENTS_VALUE = 'sk_live_payments_not_for_this_agent_55';
const VALUES = [SANDBOX_VALUE, LIVE_VALUE, CREDS.API_KEY, CREDS.BASE_URL, PAYMENTS_VALUE];

let v: TestVault;
let token: string;
let project: string;
let genBefore: string;
let filesBefore: string[];

const fingerprint = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 8);

/** Every file under `dir` (relative, sorted), dotfiles included. */
function files(dir: string, base = dir): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...files(full, base));
    else out.push(path.relative(base, full));
  }
  return out.sort();
}

/** One hash over the names and bytes of every file of the project's `_gen/`. */
function genHash(): string {
  const h = createHash('sha256');
  const gen = path.join(project, '_gen');
  for (const f of files(gen)) h.update(f).update('\0').update(readFileSync(path.join(gen, f))).update('\0');
  return h.digest('hex');
}

interface Run {
  code: number | null;
  out: string;
  err: string;
}

// Asynchronous: the vault under test runs in this process, so a blocking spawn would deadlock.
function spawnRun(command: string, args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: project, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += String(c)));
    child.stderr.on('data', (c) => (err += String(c)));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
    child.stdin.end();
  });
}

/** python3 in the project folder, with the shim on PYTHONPATH and the agent's token. */
function py(args: string[], env: Record<string, string> = {}, python = PYTHON): Promise<Run> {
  return spawnRun(python, args, {
    PYTHONPATH: SHIM,
    PYTEST_DISABLE_PLUGIN_AUTOLOAD: '1',
    SECRETS_VAULT_URL: v.url,
    SECRETS_VAULT_TOKEN: token,
    ...env,
  });
}

const call = (target: string, extra: string[] = [], env: Record<string, string> = {}) => py(['-m', 'secrets_vault', 'call', target, ...extra], env);

/** No value of the vault in anything the run printed. */
function expectNoValue(run: Run): void {
  for (const value of [...VALUES, token]) {
    expect(run.out).not.toContain(value);
    expect(run.err).not.toContain(value);
  }
}

/** The stdout lines, in order. */
const lines = (run: Run) => run.out.split('\n').filter((l) => l !== '');

beforeAll(async () => {
  execFileSync(process.execPath, ['scripts/build.mjs']);
  project = path.join(mkdtempSync(path.join(tmpdir(), 'sv-adk-')), 'project');
  cpSync(FIXTURE, project, { recursive: true });
  genBefore = genHash();
  filesBefore = files(project);
  v = await startTestVault();
  const api = v.api();
  await api.createAgent({ id: AGENT });
  await api.createAgent({ id: 'billing-agent' });
  await api.createSecret({ name: 'orders_sandbox_api', value: SANDBOX_VALUE, agents: [AGENT] });
  await api.createSecret({ name: 'orders_live_api', value: LIVE_VALUE, agents: [AGENT] });
  await api.createSecret({ name: 'booking_creds', value: CREDS, agents: [AGENT] });
  await api.createSecret({ name: 'payments_key', value: PAYMENTS_VALUE, agents: ['billing-agent'] });
  token = (await api.createAgentToken(AGENT)).token;
}, 120_000);
afterAll(async () => {
  await v?.stop();
  if (project) rmSync(path.dirname(project), { recursive: true, force: true });
});
afterEach(() => {
  // The project's _gen/ is byte-identical after every run, and no run leaves a file behind.
  expect(genHash()).toBe(genBefore);
  expect(files(project).filter((f) => !f.startsWith('state'))).toEqual(filesBefore);
});

describe('the runtime stand-in for Agent Studio functions', () => {
  it("the project's own _gen does not import on this Python, and its functions run anyway", async () => {
    const direct = await py(['-c', 'import _gen'], { PYTHONDONTWRITEBYTECODE: '1' });
    expect(direct.code).toBe(1);
    // 3.10 to 3.13: a class named before it is defined; 3.9: `str | dict` as well, as the ADK's stubs.
    expect(direct.err).toMatch(/NameError: name 'State' is not defined|TypeError: unsupported operand type\(s\) for \|/);
    const run = await call('functions/start_function.py:start_function');
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    expect(lines(run)).toEqual([
      '[conv.log INFO] conversation started env="sandbox" project="PROJECT-RUNTIME1"',
      '{"env": "sandbox", "account": "ACCOUNT-LOCAL7", "project": "PROJECT-RUNTIME1"}',
      'conv.state changed:',
      '  greeted = false (added)',
      '  caller_tier = "standard" (added)',
    ]);
  });

  it('conv.env per run (SECRETS_VAULT_ENV or --env) and conv.state in from a file or JSON, changed keys out', async () => {
    writeFileSync(path.join(project, 'state-gold.json'), JSON.stringify({ caller_tier: 'gold', greeted: true, untouched: 1 }));
    const live = await call('functions/start_function.py:start_function', ['--state', 'state-gold.json'], { SECRETS_VAULT_ENV: 'live' });
    expect(live.code).toBe(0);
    expect(lines(live)).toEqual([
      '[conv.log INFO] conversation started env="live" project="PROJECT-RUNTIME1"',
      '{"env": "live", "account": "ACCOUNT-LOCAL7", "project": "PROJECT-RUNTIME1"}',
      'conv.state changed:',
      '  greeted = false (changed)',
    ]);
    // --env wins over the variable; pre_release is spelled pre-release; state given inline.
    const pre = await call('functions/start_function.py:start_function', ['--env', 'pre_release', '--state', '{"greeted": false, "caller_tier": "x"}'], { SECRETS_VAULT_ENV: 'live' });
    expect(lines(pre)).toEqual([
      '[conv.log INFO] conversation started env="pre-release" project="PROJECT-RUNTIME1"',
      '{"env": "pre-release", "account": "ACCOUNT-LOCAL7", "project": "PROJECT-RUNTIME1"}',
    ]);
    const bad = await Promise.all([
      call('functions/start_function.py:start_function', ['--state', '[1, 2]']),
      call('functions/start_function.py:start_function', ['--state', 'no-such-state.json']),
    ]);
    expect(bad.map((r) => r.code)).toEqual([2, 2]);
    expect(bad[0]!.err).toContain('must hold a JSON object');
    expect(bad[1]!.err).toContain('cannot read the state file no-such-state.json');
  });

  it('a global function: relative and project imports, plog, utils.secret_vault, real_time_config per environment; the runner prints no value', async () => {
    for (const [env, name, value, host] of [
      ['sandbox', 'orders_sandbox_api', SANDBOX_VALUE, 'orders.sandbox.example'],
      ['live', 'orders_live_api', LIVE_VALUE, 'orders.example'],
    ] as const) {
      const run = await call('functions/lookup_order.py:lookup_order', ['--env', env, '--args', '{"order_id": "A-17"}']);
      expect(run.err).toBe('');
      expect(run.code).toBe(0);
      expect(lines(run)).toEqual([
        `looking up A-17 on ${host}`,
        '[plog INFO] order looked up order_id="A-17"',
        JSON.stringify({ name, fp: fingerprint(value), same: true, keys: ['API_KEY', 'BASE_URL'], new_api: env === 'live' }).replace(/,"/g, ', "').replace(/":/g, '": '),
        'conv.state changed:',
        '  last_order = "A-17" (added)',
        // The function kept the value in conv.state: the runner names it instead of printing it.
        `  api_key_seen = "[secret '${name}']" (added)`,
      ]);
      expectNoValue(run);
    }
  });

  it('a lifecycle function: platform actions are recorded and printed after the output, before the return value', async () => {
    const run = await call('functions/end_function.py:end_function');
    expect(run.code).toBe(0);
    expect(lines(run)).toEqual([
      'Recorded platform actions (not performed locally):',
      "  conv.say('Thanks for calling, goodbye.')",
      "  conv.call_handoff(destination='front_desk', reason='caller asked')",
      'null',
      'conv.state changed:',
      '  ended = true (added)',
    ]);
  });

  it('a flow transition function gets a Flow: goto_step is recorded, current_step from --step', async () => {
    const run = await call('flows/booking/functions/confirm_booking.py:confirm_booking', ['--args', '{"date": "2026-12-01"}', '--step', 'Choose Date']);
    expect(run.err).toBe('');
    expect(lines(run)).toEqual([
      'Recorded platform actions (not performed locally):',
      "  conv.say('I can book you at 18:00.')",
      "  flow.goto_step('Confirm', 'slot found')",
      '{"slot": "18:00", "step": "Choose Date", "base_url_key": true}',
      'conv.state changed:',
      '  booking_date = "2026-12-01" (added)',
    ]);
    // flow is the runner's: a "flow" keyword among the arguments is not passed twice.
    const none = await call('flows/booking/functions/confirm_booking.py:confirm_booking', ['--args', '{"flow": "", "date": "2026-12-02"}']);
    expect(lines(none).slice(0, 3)).toEqual(['Recorded platform actions (not performed locally):', "  flow.goto_step('Ask Date')", '"no slots"']);
    for (const r of [run, none]) expectNoValue(r);
  });

  it('a function step gets (conv, flow) with its own step and flow; the older builtin secret_vault path reads as the agent', async () => {
    const run = await call('flows/booking/function_steps/check_availability.py:check_availability', ['--state', '{"requested_date": "2026-12-01"}', '--env', 'live']);
    expect(run.err).toBe('');
    expect(lines(run)).toEqual([
      '[conv.log INFO] (pii) checking availability caller=null',
      'Recorded platform actions (not performed locally):',
      "  flow.goto_step('Offer Slots')",
      `{"step": "check_availability", "flow": "booking", "key_len": ${LIVE_VALUE.length}}`,
    ]);
    const exit = await call('flows/booking/function_steps/check_availability.py:check_availability');
    expect(lines(exit).slice(1, 3)).toEqual(['Recorded platform actions (not performed locally):', '  flow.exit_flow()']);
  });

  it("an ungranted read raises the stand-in's MissingAccess(assistant_id, secret_name), which the function's except clause catches", async () => {
    const caught = await call('functions/read_payments.py:read_payments');
    expect(caught.code).toBe(0);
    expect(JSON.parse(caught.out)).toEqual({ class: 'MissingAccess', args: [AGENT, 'payments_key'], assistant_id: AGENT, secret_name: 'payments_key' });
    const raised = await call('functions/read_payments.py:read_payments_uncaught');
    expect(raised.code).toBe(1);
    expect(raised.err).toContain(`MissingAccess: Agent '${AGENT}' may not read that secret: it does not exist or is not granted to this agent.`);
    // The output before the failure is still shown, then nothing was recorded and no state changed.
    expect(lines(raised)).toEqual(['[conv.log WARNING] about to read payments']);
    // A helper that needs Agent Studio says so and names the call.
    const llm = await call('functions/read_payments.py:needs_llm');
    expect(llm.code).toBe(1);
    expect(llm.err).toContain('NotAvailableLocally: conv.utils.prompt_llm() is not available locally');
    for (const r of [caught, raised, llm]) expectNoValue(r);
  });

  it("the runner's own lines (log, actions, return value, state) name a value read in the run instead of printing it", async () => {
    const run = await call('functions/careless.py:careless');
    expect(run.err).toBe('');
    expect(lines(run)).toEqual([
      `[conv.log INFO] using key [secret 'orders_sandbox_api'] base="[secret 'booking_creds' key 'BASE_URL']"`,
      'Recorded platform actions (not performed locally):',
      `  conv.say("your key is [secret 'orders_sandbox_api']")`,
      `{"key": "[secret 'orders_sandbox_api']", "nested": ["[secret 'booking_creds' key 'API_KEY']"]}`,
      'conv.state changed:',
      `  copy = {"api": "[secret 'booking_creds' key 'API_KEY']"} (added)`,
    ]);
    expectNoValue(run);
  });

  it("a package of the project's own named utils is kept, and utils.secret_vault still resolves", async () => {
    const own = path.join(project, 'utils');
    mkdirSync(own);
    try {
      writeFileSync(path.join(own, '__init__.py'), '');
      writeFileSync(path.join(own, 'text.py'), 'def shout(s):\n    return s.upper()\n');
      const run = await call('functions/careless.py:with_own_utils', ['--env', 'live']);
      expect(run.err).toBe('');
      expect(run.out.trim()).toBe(`"LIVE:${SANDBOX_VALUE.length}"`);
    } finally {
      rmSync(own, { recursive: true, force: true });
    }
  });

  it("the pytest plugin's conv and flow: the stand-in, project imports, env and state set by a marker or in the test", async () => {
    const run = await py(['-m', 'pytest', '-p', 'secrets_vault.pytest_plugin', '-p', 'no:cacheprovider', '-q', '-rA', 'tests/test_functions.py'], { PYTHONDONTWRITEBYTECODE: '1' }, 'python3');
    const passed = [...run.out.matchAll(/^PASSED \S*::(\w+)/gm)].map((m) => m[1]);
    expect(passed.sort(), run.out + run.err).toEqual(['test_confirm_records_goto_step', 'test_env_set_in_the_test', 'test_lookup_live', 'test_start_live_with_state', 'test_start_sandbox']);
    expect(run.code).toBe(0);
    expectNoValue(run);
  });
});

describe('secrets-vault run --function with --env and --state', () => {
  const cli = (args: string[]) => spawnRun(process.execPath, [CLI, ...args.flatMap((a) => (a === '--function' ? ['--python', PYTHON, a] : [a]))], { SECRETS_VAULT_URL: v.url, SECRETS_VAULT_TOKEN: v.adminKey });

  it('calls the function as the agent with conv.env and conv.state, and prints the changed keys, never a value', async () => {
    writeFileSync(path.join(project, 'state-run.json'), JSON.stringify({ last_order: 'OLD-1', caller_tier: 'gold' }));
    const run = await cli(['run', '--agent', AGENT, '--function', 'functions/lookup_order.py:lookup_order', '--env', 'live', '--state', 'state-run.json', '--args', '{"order_id": "C-3"}']);
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    expect(lines(run)).toEqual([
      'looking up C-3 on orders.example',
      '[plog INFO] order looked up order_id="C-3"',
      `{"name": "orders_live_api", "fp": "${fingerprint(LIVE_VALUE)}", "same": true, "keys": ["API_KEY", "BASE_URL"], "new_api": true}`,
      'conv.state changed:',
      '  last_order = "C-3" (changed)',
      `  api_key_seen = "[secret 'orders_live_api']" (added)`,
    ]);
    expectNoValue(run);
    // MissingAccess names the agent the run is for.
    const denied = await cli(['run', '--agent', AGENT, '--function', 'functions/read_payments.py:read_payments']);
    expect(JSON.parse(denied.out).args).toEqual([AGENT, 'payments_key']);
  });

  it('refuses a bad --env, --state without --function and a missing state file before minting', async () => {
    const runs = await Promise.all([
      cli(['run', '--agent', AGENT, '--function', 'functions/start_function.py:start_function', '--env', 'live prod']),
      cli(['run', '--agent', AGENT, '--state', 'state-run.json', '--', 'python3', '-c', 'pass']),
      cli(['run', '--agent', AGENT, '--function', 'functions/start_function.py:start_function', '--state', 'nope.json']),
    ]);
    expect(runs.map((r) => r.code)).toEqual([2, 2, 2]);
    expect(runs[0]!.err).toContain("--env 'live prod' is not an environment");
    expect(runs[1]!.err).toContain('--state goes with --function');
    expect(runs[2]!.err).toContain('--state: no such file: nope.json');
    // --env reaches a command too, as SECRETS_VAULT_ENV.
    const env = await cli(['run', '--agent', AGENT, '--env', 'pre_release', '--', 'python3', '-c', 'import os; print(os.environ["SECRETS_VAULT_ENV"])']);
    expect(env.out.trim()).toBe('pre-release');
  });
});

describe('the stand-in on this machine', () => {
  it('imports with the standard library only, and the build ships it', () => {
    const r = spawnSync(PYTHON, ['-I', '-S', '-c', `import sys; sys.path.insert(0, ${JSON.stringify(SHIM)}); import secrets_vault.adk, secrets_vault.project; print("ok")`], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('ok');
    for (const f of ['adk.py', 'project.py']) {
      expect(readFileSync(path.join(SHIM, 'secrets_vault', f), 'utf8')).toBe(readFileSync(path.resolve('vault/python/secrets_vault', f), 'utf8'));
    }
  });
});
