// `secrets-vault check --environment` on an ADK project (project.yaml, functions/, a flow folder
// with a space in its name) whose functions test `conv.env` the way PolyAI's templates write it:
// normalised first (`str(conv.env or "").lower()`, `.strip().upper()`), through an alias, a helper
// that returns the name, a table keyed by the environment, a `match`. The built CLI, as CI runs it.

import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyProject, ROOT, runCli } from './helpers';

let dir: string;
let project: string;

beforeAll(async () => {
  await promisify(execFile)(process.execPath, ['scripts/build.mjs'], { cwd: ROOT });
  ({ dir, project } = copyProject('adk-env'));
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const check = (args: string[]) => runCli(['check', '--snapshot', '../adk-env-snapshot.json', ...args], { cwd: project });

describe('check --environment on conv.env tests written as the templates write them', () => {
  it('live: the sandbox-only names of a normalised env test are not live errors (they were, labelled "when env == \'live\' does not hold")', async () => {
    const r = await check(['--environment', 'live', 'functions/take_payment.py', 'flows/Order Status/functions/lookup_order.py']);
    expect(r.err).toBe('');
    expect(r.out).toContain('No problems: 2 files checked');
    expect(r.out).not.toContain('stripe_test_key');
    expect(r.out).not.toContain('oms_test_token');
    expect(r.code).toBe(0);
  });

  it('all environments and sandbox: the same names reported, labelled with the environments that read them', async () => {
    const all = await check(['functions/take_payment.py', 'flows/Order Status/functions/lookup_order.py']);
    expect(all.code).toBe(1);
    expect(all.out).toContain("functions/take_payment.py:13:33  error    not-granted     In sandbox and pre-release: reads 'stripe_test_key'");
    expect(all.out).toContain("functions/take_payment.py:21:33  error    not-granted     In sandbox and pre-release: reads 'stripe_test_key'");
    // `.strip().upper()` against upper-case keys: compared case-insensitively, PRE-RELEASE is pre-release.
    expect(all.out).toContain("flows/Order Status/functions/lookup_order.py:8:35  error    not-granted     In sandbox and pre-release: reads 'oms_test_token'");
    expect(all.out).not.toMatch(/When .* holds: may read 'stripe_test_key'/);
    expect(all.out).toContain('3 problems (3 errors, 0 warnings, 0 info) in 2 files');
    const sandbox = await check(['--environment', 'sandbox', 'functions/take_payment.py']);
    expect(sandbox.code).toBe(1);
    expect(sandbox.out).toContain("In sandbox and pre-release: reads 'stripe_test_key', which is not granted to agent 'PROJECT-WEVYLLDV'");
  });

  it('live: a live name that does not exist still fails, through match on str(conv.env or "sandbox").lower()', async () => {
    const r = await check(['--environment', 'live', 'functions/ship_order.py']);
    expect(r.code).toBe(1);
    expect(r.out).toContain("functions/ship_order.py:10:33  error    unknown-secret  In live: reads 'shipper_live_key', which does not exist in the vault.");
    expect(r.out).not.toContain('shipper_test_key');
    const pre = await check(['--environment', 'pre_release', 'functions/ship_order.py']);
    expect(pre.code).toBe(0);
  });

  it('the whole project in live: only the missing live name', async () => {
    const r = await check(['--environment', 'live']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('1 problem (1 error, 0 warnings, 0 info) in 1 file: 3 files checked');
    expect(r.out).toContain("'shipper_live_key'");
  });
});
