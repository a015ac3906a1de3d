import { describe, expect, it } from 'vitest';
import {
  adkEnvironmentPickItems,
  adkRunEnvironment,
  argsSkeleton,
  callCommand,
  debugConfiguration,
  formatDuration,
  parameterText,
  parseRunArgs,
  childEnvironment,
  restrictedModeRefusal,
  RUN_MARKER,
  runEnvironment,
  terminalEnvironment,
  terminalText,
} from '../../client/src/core/runPlan';
import { injectableValues, isProcessControlName } from '../../protocol/processEnv';
import { environmentChoice, runEnvironmentFor } from '../../client/src/core/environment';

describe('run arguments', () => {
  it('takes empty text as no arguments, and JSON objects and arrays compacted', () => {
    expect(parseRunArgs('')).toEqual({ ok: true, json: undefined });
    expect(parseRunArgs('   \n')).toEqual({ ok: true, json: undefined });
    expect(parseRunArgs('{ "date" : "2026-12-01",\n "adults": 2 }')).toEqual({ ok: true, json: '{"date":"2026-12-01","adults":2}' });
    expect(parseRunArgs('[1, "two"]')).toEqual({ ok: true, json: '[1,"two"]' });
  });

  it('refuses what the shim would refuse, saying why', () => {
    const bad = parseRunArgs('{"date": ');
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error).toMatch(/^Not valid JSON/);
    for (const scalar of ['"x"', '42', 'null', 'true']) {
      const r = parseRunArgs(scalar);
      expect(r.ok, scalar).toBe(false);
      expect(!r.ok && r.error).toContain('JSON object');
    }
  });
});

describe('the arguments skeleton', () => {
  const source = [
    '"""Module."""',
    'def other(conv, x): pass',
    '',
    'async def search_flights(',
    '    conv,',
    '    origin: str,  # IATA code, like "LHR"',
    '    destination: str,',
    '    adults: int,',
    '    flexible: bool,',
    '    stops: list[str],',
    '    filters: dict[str, int],',
    '    cabin: str = "economy",',
    '    *extra,',
    '    currency="EUR",',
    '    **rest,',
    ') -> list[dict]:',
    '    return []',
  ].join('\n');

  it('lists the required parameters after conv with a placeholder by annotation', () => {
    expect(JSON.parse(argsSkeleton(source, 'search_flights'))).toEqual({ origin: '', destination: '', adults: 0, flexible: false, stops: [], filters: {} });
  });

  it('finds the header of the named function only, with brackets and strings in defaults', () => {
    expect(argsSkeleton(source, 'other')).toBe('{"x":""}');
    expect(parameterText('def f(conv, a=(1, ")"), b="(") :\n  pass', 'f')).toBe('conv, a=(1, ")"), b="("');
    expect(argsSkeleton('def f(conv, a=(1, ")"), b="(") :\n  pass', 'f')).toBe('{}');
  });

  it('offers {} when the function takes conv alone or is not found', () => {
    expect(argsSkeleton('def ping(conv):\n  return 1', 'ping')).toBe('{}');
    expect(argsSkeleton('def ping(conv):\n  return 1', 'pong')).toBe('{}');
    expect(argsSkeleton('def half(conv, a', 'half')).toBe('{}');
  });

  it('skips positional-only and keyword-only markers', () => {
    expect(argsSkeleton('def f(conv, a, /, b, *, c, d=1): ...', 'f')).toBe('{"a":"","b":"","c":""}');
  });

  it('leaves out the flow a flow function or function step is passed, annotated or not', () => {
    expect(argsSkeleton('def confirm_booking(conv: Conversation, flow: Flow, date: str):\n  pass', 'confirm_booking')).toBe('{"date":""}');
    expect(argsSkeleton('def check(conv, flow):\n  pass', 'check')).toBe('{}');
    // Only as the second parameter: a later one named flow is an argument like any other.
    expect(argsSkeleton('def f(conv, date, flow):\n  pass', 'f')).toBe('{"date":"","flow":""}');
    expect(argsSkeleton('def f(conv, flows):\n  pass', 'f')).toBe('{"flows":""}');
  });
});

describe('an ADK function run’s environment', () => {
  it('is the one chosen in the editor; with all of them checked, the one picked for the run, or none yet', () => {
    expect(adkRunEnvironment('live', undefined)).toEqual(runEnvironmentFor('live'));
    expect(adkRunEnvironment('pre-release', 'sandbox')!.env).toBe('pre-release');
    expect(adkRunEnvironment('all', undefined)).toBeUndefined();
    expect(adkRunEnvironment('all', 'live')).toEqual({ env: 'live', note: "conv.env is 'live' (picked for this run; the editor checks all environments)" });
  });

  it('offers the three environments, the function’s last pick first', () => {
    expect(adkEnvironmentPickItems(undefined).map((i) => i.env)).toEqual(['sandbox', 'pre-release', 'live']);
    expect(adkEnvironmentPickItems('live')).toEqual([
      { label: 'live', description: 'last run', env: 'live' },
      { label: 'sandbox', env: 'sandbox' },
      { label: 'pre-release', env: 'pre-release' },
    ]);
  });
});

describe('the run environment', () => {
  const base = {
    url: 'http://127.0.0.1:8787',
    token: 'sva_run_token',
    shimDir: '/ext/dist/python',
    pythonPath: undefined,
    injected: {},
    optIn: [] as string[],
    allowInsecureHttp: false,
    delimiter: ':',
    environment: 'sandbox',
  };

  it('carries the vault URL, the run token and the shim first on PYTHONPATH', () => {
    expect(runEnvironment(base)).toEqual({
      SECRETS_VAULT_URL: 'http://127.0.0.1:8787',
      SECRETS_VAULT_TOKEN: 'sva_run_token',
      PYTHONPATH: '/ext/dist/python',
      PYTHONUNBUFFERED: '1',
      SECRETS_VAULT_ENV: 'sandbox',
    });
    expect(runEnvironment({ ...base, pythonPath: '/a:/b' }).PYTHONPATH).toBe('/ext/dist/python:/a:/b');
    expect(runEnvironment({ ...base, pythonPath: 'C:\\x', delimiter: ';' }).PYTHONPATH).toBe('/ext/dist/python;C:\\x');
  });

  it('injects the granted values in UPPER_CASE accounts, and never lets one replace the token or URL', () => {
    const env = runEnvironment({ ...base, injected: { X_BEARER_TOKEN: 'v1', SECRETS_VAULT_TOKEN: 'evil', SECRETS_VAULT_URL: 'http://evil', SECRETS_VAULT_ENV: 'live' } });
    expect(env.X_BEARER_TOKEN).toBe('v1');
    expect(env.SECRETS_VAULT_TOKEN).toBe('sva_run_token');
    expect(env.SECRETS_VAULT_URL).toBe('http://127.0.0.1:8787');
    // A secret named like the shim's environment variable cannot choose the run's conv.env.
    expect(env.SECRETS_VAULT_ENV).toBe('sandbox');
  });

  it('never injects a name that controls a process, and names the skipped ones', () => {
    const hostile = {
      NODE_OPTIONS: '--require /tmp/evil.js',
      PATH: '/evil/bin',
      LD_PRELOAD: '/evil.so',
      LD_LIBRARY_PATH: '/evil',
      DYLD_INSERT_LIBRARIES: '/evil.dylib',
      PYTHONSTARTUP: '/evil.py',
      PYTHONHOME: '/evil',
      BASH_ENV: '/evil.sh',
      ENV: '/evil.sh',
      IFS: 'x',
      PS4: '$(evil)',
      SHELLOPTS: 'xtrace',
      HTTPS_PROXY: 'http://evil:3128',
      ALL_PROXY: 'http://evil:3128',
      NO_PROXY: '*',
      SECRETS_VAULT_USE_PROXY: '1',
      HOME: '/evil',
      JAVA_TOOL_OPTIONS: '-javaagent:/evil.jar',
      PERL5OPT: '-Mevil',
      RUBYOPT: '-revil',
      GIT_SSH_COMMAND: 'evil',
    };
    const env = runEnvironment({ ...base, pythonPath: '/user/lib', injected: { ...hostile, X_BEARER_TOKEN: 'v1' } });
    expect(env.X_BEARER_TOKEN).toBe('v1');
    for (const name of Object.keys(hostile)) expect(env[name], name).not.toBe(hostile[name as keyof typeof hostile]);
    expect(env.PYTHONPATH).toBe('/ext/dist/python:/user/lib');
    expect(Object.keys(env).sort()).toEqual(['PYTHONPATH', 'PYTHONUNBUFFERED', 'SECRETS_VAULT_ENV', 'SECRETS_VAULT_TOKEN', 'SECRETS_VAULT_URL', 'X_BEARER_TOKEN']);
    expect(injectableValues({ ...hostile, X_BEARER_TOKEN: 'v1' }).skipped).toEqual({ never: Object.keys(hostile).sort(), notOptedIn: [] });
    // Opting in changes nothing for them.
    const opted = runEnvironment({ ...base, injected: hostile, optIn: Object.keys(hostile) });
    for (const name of Object.keys(hostile)) expect(opted[name], name).not.toBe(hostile[name as keyof typeof hostile]);
    for (const name of ['http_proxy', 'Path', 'node_options', 'PYTHONPATH', 'LD_AUDIT', 'TMPDIR', 'SHELL', 'PERL5LIB', 'SECRETS_VAULT_TOKEN']) expect(isProcessControlName(name), name).toBe(true);
    for (const name of ['X_BEARER_TOKEN', 'STRIPE_API_KEY', 'GITHUB_TOKEN', 'OPENAI_API_KEY', 'DATABASE_URL', 'ENVIRONMENT', 'PROXY_HOST', 'NODEJS_KEY']) expect(isProcessControlName(name), name).toBe(false);
  });

  it("the child's and the terminal's environment drop the host's SECRETS_VAULT_* credentials, keep the shim's settings", () => {
    const host = { PATH: '/usr/bin', SECRETS_VAULT_TOKEN: 'svu_users_own_key', SECRETS_VAULT_MASTER_KEY: 'mk', SECRETS_VAULT_DATABASE_URL: 'postgres://u:p@h/db', SECRETS_VAULT_TIMEOUT: '5' };
    const run = runEnvironment(base);
    const child = childEnvironment(host, run);
    expect(child).toMatchObject({ PATH: '/usr/bin', SECRETS_VAULT_TOKEN: 'sva_run_token', SECRETS_VAULT_TIMEOUT: '5' });
    expect('SECRETS_VAULT_MASTER_KEY' in child || 'SECRETS_VAULT_DATABASE_URL' in child).toBe(false);
    const terminal = terminalEnvironment(host, run);
    expect(terminal).toMatchObject({ SECRETS_VAULT_TOKEN: 'sva_run_token', SECRETS_VAULT_MASTER_KEY: null, SECRETS_VAULT_DATABASE_URL: null });
    expect('SECRETS_VAULT_TIMEOUT' in terminal || 'PATH' in terminal).toBe(false);
  });

  it("sets conv.env from the environment chosen in the editor, sandbox when it follows them all, over the host's own", () => {
    const host = { PATH: '/usr/bin', SECRETS_VAULT_ENV: 'pre-release' };
    const chosen = runEnvironmentFor(environmentChoice('live'));
    expect(chosen.env).toBe('live');
    const live = runEnvironment({ ...base, environment: chosen.env });
    expect(childEnvironment(host, live).SECRETS_VAULT_ENV).toBe('live');
    expect(terminalEnvironment(host, live).SECRETS_VAULT_ENV).toBe('live');
    const all = runEnvironmentFor(environmentChoice('all'));
    expect(all).toEqual({ env: 'sandbox', note: expect.stringContaining("conv.env is 'sandbox'") });
    // The run's first line says why it is sandbox.
    expect(all.note).toMatch(/all environments.*sandbox/);
    expect(runEnvironmentFor('pre-release').note).toBe("conv.env is 'pre-release' (the environment chosen in the editor)");
    // A shell's own SECRETS_VAULT_ENV is a setting of the shim, not a credential: passed on when the run sets none.
    expect(childEnvironment(host, {}).SECRETS_VAULT_ENV).toBe('pre-release');
  });

  it('injects a name that does not look like a credential only when the run opts into it', () => {
    const injected = { STRIPE_API_KEY: 'k', DATABASE_URL: 'postgres://h/db', REGION: 'eu' };
    expect(Object.keys(runEnvironment({ ...base, injected }))).toContain('STRIPE_API_KEY');
    expect(runEnvironment({ ...base, injected }).DATABASE_URL).toBeUndefined();
    expect(runEnvironment({ ...base, injected, optIn: ['DATABASE_URL'] }).DATABASE_URL).toBe('postgres://h/db');
    expect(injectableValues(injected, ['DATABASE_URL']).skipped).toEqual({ never: [], notOptedIn: ['REGION'] });
  });

  it('passes the insecure-http permission on only when the user gave it', () => {
    expect(runEnvironment(base).SECRETS_VAULT_ALLOW_INSECURE_HTTP).toBeUndefined();
    expect(runEnvironment({ ...base, allowInsecureHttp: true }).SECRETS_VAULT_ALLOW_INSECURE_HTTP).toBe('1');
  });
});

describe('Restricted Mode', () => {
  it('Run, Debug and Open Terminal as Agent refuse in an untrusted workspace, saying why and what to do', () => {
    expect(restrictedModeRefusal(true, 'Run as an agent')).toBeUndefined();
    expect(restrictedModeRefusal(false, 'Open Terminal as Agent')).toBe(
      "Open Terminal as Agent is not available in Restricted Mode: it would run this workspace's code with the agent's run token and secrets in its environment. Trust the workspace first (Manage Workspace Trust).",
    );
  });
});

describe('commands and debug configurations', () => {
  it("calls the shim's call with FILE:NAME and the arguments when there are any", () => {
    expect(callCommand('python3', 'functions/a.py', 'book', undefined)).toEqual(['python3', '-m', 'secrets_vault', 'call', 'functions/a.py:book']);
    expect(callCommand('/venv/bin/python', 'a.py', 'book', '{"x":1}')).toEqual(['/venv/bin/python', '-m', 'secrets_vault', 'call', 'a.py:book', '--args', '{"x":1}']);
  });

  it('debugs the same call as a module, in the Debug Console, marked for revocation', () => {
    const env = { SECRETS_VAULT_TOKEN: 'sva_t' };
    const c = debugConfiguration({ type: 'debugpy', file: 'f.py', name: 'book', agent: 'booking-agent', argsJson: '[1]', cwd: '/w', python: 'python3', env, runId: 'rt_1' });
    expect(c).toMatchObject({
      type: 'debugpy',
      request: 'launch',
      name: 'Debug book as booking-agent',
      module: 'secrets_vault',
      args: ['call', 'f.py:book', '--args', '[1]'],
      cwd: '/w',
      python: 'python3',
      env,
      console: 'internalConsole',
      justMyCode: true,
    });
    expect(c[RUN_MARKER]).toBe('rt_1');
    expect(debugConfiguration({ type: 'python', file: 'f.py', name: 'b', agent: 'a', argsJson: undefined, cwd: '/w', python: 'p', env, runId: 'r' }).args).toEqual(['call', 'f.py:b']);
  });

  it('writes CR LF to the terminal and formats durations', () => {
    expect(terminalText('a\nb\r\nc')).toBe('a\r\nb\r\nc');
    expect(formatDuration(420)).toBe('0.42 s');
    expect(formatDuration(12_400)).toBe('12 s');
    expect(formatDuration(185_000)).toBe('3 min 5 s');
  });
});
