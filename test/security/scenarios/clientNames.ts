// Names in the clients: since a secret name is printable text, every client puts it in
// a URL and prints it. Attacks, against a real vault on each store:
// - route confusion: names that look like paths or queries (`..`, `.`, `../../v1/keys`,
//   `x/access/decoy-agent`, `%2e%2e`, `?agent=…`, `#…`) used through the typed client on the CLI's
//   and the extension's transports, the built CLI and the Python shim must reach their own secret
//   only: the right value, a grant on that secret alone, a decoy secret and its access list untouched;
// - the Python shim refuses a name with a bidi control, a control or an invisible character before
//   any request (a recording server sees nothing), naming the code point, never the name;
// - the CLI's text output for names and descriptions that are CI workflow commands (`::error::`,
//   `##[…]`), terminal escapes or right-to-left text: no line a CI runner would execute, no raw
//   escape or bidi control, and --json carries each name exactly.
// Values are sentinels, so the leak search at the end sees any that escaped.

import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VaultApi, type HttpTransport } from '../../../protocol/client';
import { undiciTransport as extensionTransport } from '../../../client/src/vault/transport';
import { undiciTransport as cliTransport } from '../../../vault/src/cli/remote';
import type { TestStoreKind } from '../../helpers/vault';
import { tally } from '../helpers/ledger';
import { keepLog, sentinel } from '../helpers/leakwatch';
import { cliBundle, inProcessVault, runCli, type InProcessVault } from '../helpers/vaults';

const S = 'client-names';
const AGENT = 'PROJECT-CLIENTS1';
const DECOY_AGENT = 'decoy-agent';
/** Each must stay one secret on its own route, through every client. */
const ROUTE_NAMES = ['..', '.', '../../v1/keys', 'x/access/decoy-agent', '%2e%2e', '%2F', '?agent=decoy-agent', '#frag', 'a/b/../c', 'keys'];
/** Refused by the shim before any request: bidi controls, a control, invisible characters. */
const REFUSED = ['admin\u202eyek', 'a\u2066b\u2069', 'x\u200fy', 'ctl\u001b[2J', 'zw\u200bsp', 'tag\u{e0041}', 'line\u2028x', ' leading', 'trailing '];
/** Names and descriptions a terminal or a CI runner would act on if printed as they are. */
const PRINTED: { name: string; description: string }[] = [
  { name: '::error file=a.py::pwned', description: '::add-mask::x' },
  { name: '##[set-env name=X]y', description: 'ok' },
  { name: 'שלום ::warning::x', description: '\u001b[31mred\u001b[0m \u202eevil' },
  { name: "quote ' \" \\ %0A", description: 'line one\n::error::two' },
];
const UNSAFE_OUTPUT = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u2028\u2029]/;
const WORKFLOW_LINE = /^\s*(?:::|##\[)/m;

/**
 * The tests that start a process per name (the built CLI, the Python shim): a bounded count, whose
 * time is the machine's (each a Node or Python start), given room beyond the default 30 s.
 */
const SPAWNS_TIMEOUT = 120_000;

function guarded(check: () => Promise<void>): () => Promise<void> {
  return async () => {
    try {
      await check();
    } catch (e) {
      tally(S, 1, 1);
      throw e;
    }
  };
}

/** python3 with the shim from source (the suite's CLI bundle ships no Python). */
function python(code: string, env: Record<string, string>): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', ['-c', code], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', PYTHONPATH: path.resolve('vault/python'), PYTHONDONTWRITEBYTECODE: '1', ...env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += String(c)));
    child.stderr.on('data', (c) => (err += String(c)));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (c) => {
      clearTimeout(timer);
      resolve({ code: c, out, err });
    });
  });
}

/**
 * `secrets-vault runtime get NAME` as its own child: its output is the value by design (as a
 * successful /v1/runtime/ response, which the leak watch skips), so it is not kept for the search.
 */
async function runtimeGet(name: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const cli = await cliBundle();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'runtime', 'get', '--', name], { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += String(c)));
    child.stderr.on('data', (c) => (stderr += String(c)));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      // A failure's message is searched like any other output.
      if (code !== 0) for (const line of (stdout + stderr).split('\n')) if (line) keepLog(line);
      resolve({ code, stdout, stderr });
    });
  });
}

export function registerClientNames(stores: TestStoreKind[]): void {
  for (const store of stores) {
    describe(`client-names (${store}): routes, the shim's refusals and the CLI's text output`, () => {
      let v: InProcessVault;
      let agentToken: string;
      const values = new Map<string, string>();
      let decoyValue: string;

      beforeAll(async () => {
        v = await inProcessVault({ store });
        const admin = v.api();
        await admin.createAgent({ id: AGENT, name: 'Client names' });
        await admin.createAgent({ id: DECOY_AGENT });
        // The decoy: a secret whose name the route names could reach if a client resolved them.
        decoyValue = sentinel();
        await admin.createSecret({ name: 'x', value: decoyValue, agents: [DECOY_AGENT] });
        for (const name of ROUTE_NAMES) {
          const value = sentinel();
          values.set(name, value);
          await admin.createSecret({ name, value });
        }
        agentToken = (await admin.createAgentToken(AGENT)).token;
      });
      afterAll(async () => {
        await v?.finish();
      });

      const transports: [string, (base: string) => HttpTransport][] = [
        ['typed client, CLI transport', (b) => cliTransport(b)],
        ['typed client, extension transport', (b) => extensionTransport(b)],
      ];

      it('path-like names reach their own secret only, through both transports of the typed client', guarded(async () => {
        let cases = 0;
        let failed = 0;
        for (const [label, make] of transports) {
          const admin = new VaultApi(make(v.url), v.adminKey);
          const agent = new VaultApi(make(v.url), agentToken);
          for (const name of ROUTE_NAMES) {
            cases++;
            const granted = await admin.grant(name, AGENT);
            const read = await agent.runtimeSecret(name);
            const decoy = await admin.getSecret('x');
            const revoked = await admin.revoke(name, AGENT);
            const ok = granted.name === name && granted.agents.includes(AGENT) && read.name === name && read.value === values.get(name) && decoy.agents.join() === DECOY_AGENT && !revoked.agents.includes(AGENT);
            if (!ok) failed++;
            expect({ label, name, ok }).toEqual({ label, name, ok: true });
          }
          // The decoy secret was never read by the agent and its access list never changed.
          expect((await admin.getSecret('x')).agents).toEqual([DECOY_AGENT]);
        }
        tally(S, cases, failed, 'path-like names through clients, bidi names refused by the shim, CLI output inert');
      }));

      it('path-like names reach their own secret only, through the built CLI and the Python shim', guarded(async () => {
        let cases = 0;
        let failed = 0;
        const env = { SECRETS_VAULT_URL: v.url, SECRETS_VAULT_TOKEN: v.adminKey };
        for (const name of ROUTE_NAMES) {
          cases++;
          const granted = await runCli(['--json', 'access', 'grant', '--', name, AGENT], { env });
          const read = await runtimeGet(name, { ...env, SECRETS_VAULT_TOKEN: agentToken });
          const ok = granted.code === 0 && (JSON.parse(granted.stdout) as { name: string }).name === name && read.code === 0 && read.stdout === `${values.get(name)}\n`;
          if (!ok) failed++;
          expect({ name, ok, err: granted.stderr + read.stderr }).toEqual({ name, ok: true, err: '' });
        }
        // The shim: every name in one process; it prints whether each value was its own (never a value).
        const py = await python(
          `
import json, os, secrets_vault as sv
names = json.loads(os.environ["NAMES"])
values = json.loads(os.environ["VALUES"])
print(json.dumps([sv.get_secret(n) == v for n, v in zip(names, values)]))`,
          { SECRETS_VAULT_URL: v.url, SECRETS_VAULT_TOKEN: agentToken, NAMES: JSON.stringify(ROUTE_NAMES), VALUES: JSON.stringify(ROUTE_NAMES.map((n) => values.get(n))) },
        );
        cases += ROUTE_NAMES.length;
        const own = py.code === 0 ? (JSON.parse(py.out) as boolean[]) : [];
        failed += ROUTE_NAMES.length - own.filter(Boolean).length;
        expect({ own, err: py.err }).toEqual({ own: ROUTE_NAMES.map(() => true), err: '' });
        expect((await v.api().getSecret('x')).agents).toEqual([DECOY_AGENT]);
        tally(S, cases, failed);
      }), SPAWNS_TIMEOUT);

      it('the Python shim refuses bidi, control and invisible names before any request, naming the code point only', guarded(async () => {
        const seen: string[] = [];
        const recorder = createServer((req, res) => {
          seen.push(req.url ?? '');
          res.writeHead(500).end();
        });
        await new Promise<void>((resolve) => recorder.listen(0, '127.0.0.1', resolve));
        try {
          const url = `http://127.0.0.1:${(recorder.address() as AddressInfo).port}`;
          const py = await python(
            `
import json, os, secrets_vault as sv
out = []
for n in json.loads(os.environ["NAMES"]):
    try:
        sv.get_secret(n); out.append({"ok": True})
    except sv.SecretNotFound as e:
        out.append({"ok": False, "msg": str(e)})
print(json.dumps(out))`,
            { SECRETS_VAULT_URL: url, SECRETS_VAULT_TOKEN: agentToken, NAMES: JSON.stringify(REFUSED) },
          );
          const got = JSON.parse(py.out) as { ok: boolean; msg?: string }[];
          let failed = 0;
          got.forEach((g, i) => {
            const name = REFUSED[i]!;
            const bad = g.ok || UNSAFE_OUTPUT.test(g.msg ?? '') || (g.msg ?? '').includes(name.trim());
            if (bad) failed++;
            expect({ name, refused: !g.ok, quoted: (g.msg ?? '').includes(name.trim()) }).toEqual({ name, refused: true, quoted: false });
          });
          expect(seen).toEqual([]);
          if (seen.length) failed++;
          tally(S, REFUSED.length + 1, failed);
        } finally {
          await new Promise<void>((resolve) => recorder.close(() => resolve()));
        }
      }), SPAWNS_TIMEOUT);

      it('the CLI prints names and descriptions that are workflow commands, escapes or RTL text inertly; --json carries them exactly', guarded(async () => {
        const env = { SECRETS_VAULT_URL: v.url, SECRETS_VAULT_TOKEN: v.adminKey };
        const admin = v.api();
        for (const p of PRINTED) {
          // Descriptions may not hold escapes or bidi controls (the vault refuses them): those go in as plain text.
          const description = UNSAFE_OUTPUT.test(p.description.replace(/\n/g, '')) ? 'plain' : p.description;
          await admin.createSecret({ name: p.name, description, value: sentinel(), agents: [AGENT] });
        }
        const dev = v.api((await admin.createUserKey({ name: '::error::dev', role: 'developer' })).token);
        await dev.createAccessRequest({ secret: '::error::wanted', agent: AGENT, reason: '::warning::please' });
        const outputs = [
          await runCli(['secrets', 'list'], { env }),
          await runCli(['secrets', 'list', '--agent', AGENT], { env }),
          await runCli(['audit', '--limit', '40'], { env }),
          await runCli(['access', 'requests'], { env }),
          ...(await Promise.all(PRINTED.map((p) => runCli(['secrets', 'get', '--', p.name], { env })))),
          ...(await Promise.all(PRINTED.map((p) => runCli(['secrets', 'versions', '--', p.name], { env })))),
        ];
        let cases = 0;
        let failed = 0;
        for (const r of outputs) {
          cases++;
          const text = r.stdout + r.stderr;
          const bad = r.code !== 0 || WORKFLOW_LINE.test(text) || UNSAFE_OUTPUT.test(text.replace(/\n/g, ''));
          if (bad) failed++;
          expect({ code: r.code, workflowLine: WORKFLOW_LINE.exec(text)?.[0] ?? null, unsafe: UNSAFE_OUTPUT.test(text.replace(/\n/g, '')) }).toEqual({ code: 0, workflowLine: null, unsafe: false });
        }
        const listed = JSON.parse((await runCli(['--json', 'secrets', 'list'], { env })).stdout) as { name: string }[];
        cases++;
        const exact = PRINTED.every((p) => listed.some((s) => s.name === p.name));
        if (!exact) failed++;
        expect(exact).toBe(true);
        tally(S, cases, failed);
      }), SPAWNS_TIMEOUT);
    });
  }
}
