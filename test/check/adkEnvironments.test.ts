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

  it('the whole project in live: only the missing live name, read by a computed name and by a literal after the other environments returned', async () => {
    const r = await check(['--environment', 'live']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('11 problems (8 errors, 0 warnings, 3 info) in 10 files: 13 files checked');
    expect(r.out).toContain("functions/sandbox_probe.py:11:35  error    unknown-secret  In live: secret 'shipper_live_key' does not exist in the vault.");
    expect(r.out).toContain("functions/ship_order.py:10:33  error    unknown-secret  In live: reads 'shipper_live_key'");
    expect(r.out).toContain('Environment live: reads and names chosen at run time for other environments are not reported.');
  });

  it("a dict of names another module of the project defines, read by conv.env where a flow's function imports it", async () => {
    const file = 'flows/Order Status/functions/cancel_order.py';
    const live = await check(['--environment', 'live', file]);
    expect(live.out).toContain(`${file}:6:35  error    unknown-secret  In live: reads 'oms_live_tokn', which does not exist in the vault. Did you mean 'oms_live_token'?`);
    // Chosen, and tested, in the module that defines the dict.
    expect(live.out).toContain("functions/oms_settings.py:7:13  'oms_live_tokn' is chosen here");
    expect(live.out).toContain('functions/oms_settings.py:7:13  taken when conv.env == "live"');
    expect(live.out).not.toContain('oms_test_token');
    expect(live.out).not.toContain('dynamic-name');
    const sandbox = await check(['--environment', 'sandbox', file]);
    expect(sandbox.out).toContain(`${file}:6:35  error    not-granted     In sandbox and pre-release: reads 'oms_test_token'`);
    expect(sandbox.out).not.toContain('oms_live_tokn');
  });

  it("a helper another module of the project defines, called with its module by a flow's function: its names in their environments", async () => {
    const file = 'flows/Order Status/functions/track_parcel.py';
    const live = await check(['--environment', 'live', file]);
    expect(live.out).toContain(`${file}:6:33  error    unknown-secret  In live: reads 'shipper_live_key', which does not exist in the vault.`);
    expect(live.out).toContain("functions/oms_settings.py:14:16  'shipper_live_key' is chosen here");
    expect(live.out).not.toContain('dynamic-name');
    const sandbox = await check(['--environment', 'sandbox', file]);
    expect(sandbox.out).toContain('No problems: 1 file checked');
  });

  it("a helper another module defines that reads the secret its caller names: each call is a read, checked where the name is written", async () => {
    const file = 'flows/Order Status/functions/refund_order.py';
    for (const environment of ['live', 'sandbox']) {
      const r = await check(['--environment', environment, file]);
      expect(r.out).toContain(`${file}:6:34  error    unknown-secret  Secret 'oms_refunds_key' does not exist in the vault.`);
      expect(r.out).toContain('1 problem (1 error, 0 warnings, 0 info) in 1 file: 1 file checked');
    }
    // The helper's own read says where its names are checked.
    const helper = await check(['--environment', 'live', 'functions/oms_settings.py']);
    expect(helper.out).toContain('functions/oms_settings.py:25:34  info     dynamic-name    The secret name comes from `secret_name`, a parameter of `oms_credentials`, which reads the secret its caller names: each call of it in a module that imports it is checked there');
  });

  it("a class another module defines whose instances read the secret its constructor is given, constructed by a flow's function", async () => {
    // As PolyAI's templates write it: the name chosen by conv.env in one helper, given to a handler
    // class, which hands it to the session class that reads it.
    const file = 'flows/Order Status/functions/capture_payment.py';
    const live = await check(['--environment', 'live', file]);
    expect(live.out).toContain(`${file}:13:36  error    unknown-secret  In live: reads 'payments_live_key', which does not exist in the vault.`);
    expect(live.out).not.toContain('stripe_test_key');
    expect(live.out).toContain('1 problem (1 error, 0 warnings, 0 info) in 1 file: 1 file checked');
    const sandbox = await check(['--environment', 'sandbox', file]);
    expect(sandbox.out).toContain(`${file}:13:36  error    not-granted     In sandbox and pre-release: reads 'stripe_test_key', which is not granted to agent 'PROJECT-WEVYLLDV'`);
    expect(sandbox.out).not.toContain('payments_live_key');
    const client = await check(['--environment', 'live', 'functions/payments_client.py']);
    expect(client.out).toContain('functions/payments_client.py:7:46  info     dynamic-name    The secret name comes from `secret_name`, a parameter of `_Session`, which reads the secret its caller names');
  });

  it("a helper another module defines whose read joins its parameter into the name, called by a flow's function", async () => {
    const file = 'flows/Order Status/functions/notify_carrier.py';
    for (const environment of ['live', 'sandbox']) {
      const r = await check(['--environment', environment, file]);
      expect(r.out).toContain(`${file}:6:34  error    unknown-secret  May read 'dpd_carrier_token', which does not exist in the vault.`);
      expect(r.out).toContain("6:33  'dpd_carrier_token' is chosen here");
      expect(r.out).toContain('1 problem (1 error, 0 warnings, 0 info) in 1 file: 1 file checked');
    }
    const helper = await check(['--environment', 'live', 'functions/oms_settings.py']);
    expect(helper.out).toContain('functions/oms_settings.py:30:34  info     dynamic-name    The secret name comes from `carrier`, a parameter of `carrier_token`, which reads the secret its caller names');
  });

  it("a helper another module defines that joins its parameter into the name, filled with what a flow's function passes", async () => {
    const file = 'flows/Order Status/functions/book_courier.py';
    const live = await check(['--environment', 'live', file]);
    expect(live.out).toContain(`${file}:6:33  error    unknown-secret  In live: reads 'courier_dpd_live_key', which does not exist in the vault.`);
    expect(live.out).not.toContain('courier_dpd_test_key');
    expect(live.out).not.toContain('dynamic-name');
    const sandbox = await check(['--environment', 'sandbox', file]);
    expect(sandbox.out).toContain('No problems: 1 file checked');
  });
});

// Names written as literals inside the branches (issue 51): `if env == "sandbox": return
// get_secret("x")` was checked in every environment, so the promotion gate failed on sandbox names.
describe('check --environment on literal reads inside branches on conv.env', () => {
  const files = ['functions/sandbox_probe.py', 'scripts/status_probe.ts'];

  it('live: the sandbox and pre-release reads (if on an alias, `in` a tuple, a TypeScript switch default and early return) are not live errors', async () => {
    const r = await check(['--environment', 'live', ...files]);
    expect(r.err).toBe('');
    expect(r.out).not.toContain('stripe_test_key');
    expect(r.out).not.toContain('oms_test_token');
    expect(r.out).toContain('1 problem (1 error, 0 warnings, 0 info) in 1 file: 2 files checked');
    expect(r.code).toBe(1);
  });

  it('sandbox: each read the sandbox runs, labelled; the pre-release-only one and the live ones are not', async () => {
    const r = await check(['--environment', 'sandbox', ...files]);
    expect(r.out).toContain("functions/sandbox_probe.py:8:39  error    not-granted     In sandbox: secret 'stripe_test_key' is not granted to agent 'PROJECT-WEVYLLDV'");
    expect(r.out).toContain("scripts/status_probe.ts:12:37  error    not-granted     In sandbox and pre-release: secret 'oms_test_token' is not granted");
    expect(r.out).toContain("scripts/status_probe.ts:17:58  error    not-granted     In sandbox and pre-release: secret 'stripe_test_key' is not granted");
    expect(r.out).not.toContain('sandbox_probe.py:10:');
    expect(r.out).not.toContain('shipper_live_key');
    expect(r.out).toContain('3 problems (3 errors, 0 warnings, 0 info) in 2 files');
    expect(r.code).toBe(1);
  });

  it('pre-release (also spelled pre_release): the read after the sandbox return, by secret_name=', async () => {
    for (const spelled of ['pre-release', 'pre_release']) {
      const r = await check(['--environment', spelled, ...files]);
      expect(r.out).toContain("functions/sandbox_probe.py:10:51  error    not-granted     In pre-release: secret 'oms_test_token' is not granted");
      expect(r.out).not.toContain('sandbox_probe.py:8:');
      expect(r.out).toContain('3 problems (3 errors, 0 warnings, 0 info) in 2 files');
    }
  });

  it('all environments: every read, each saying where it runs', async () => {
    const r = await check(files);
    expect(r.out).toContain("functions/sandbox_probe.py:8:39   error    not-granted     In sandbox: secret 'stripe_test_key'");
    expect(r.out).toContain("functions/sandbox_probe.py:10:51  error    not-granted     In pre-release: secret 'oms_test_token'");
    expect(r.out).toContain("functions/sandbox_probe.py:11:35  error    unknown-secret  In live: secret 'shipper_live_key' does not exist in the vault.");
    expect(r.out).toContain('5 problems (5 errors, 0 warnings, 0 info) in 2 files');
  });
});
