// The assistants' tool server (`secrets-vault mcp`): with sentinel values in the vault, the whole
// byte stream of each session — the MCP messages both ways on stdio, the server's stderr, and
// every HTTP request and response between it and the vault (through a recording relay on
// 127.0.0.1) — holds no value, whichever way a model asks: list_secrets, explain_secret, snippet,
// check_code of code that reads the secret or has a credential written into it, an argument named
// `value`, a tool that does not exist. An agent token (which could read values at run time) is
// refused before the server starts; no run-time path is called. Everything goes to the leak search.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ReadBuffer, serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tally } from '../helpers/ledger';
import { hits, keepLog, keepResponse, leakForms, sentinel } from '../helpers/leakwatch';
import { cliBundle, inProcessVault, runCli, type InProcessVault } from '../helpers/vaults';

const S = 'mcp: no value in any session';
const S_LINKS = 'mcp: check_code stays in the workspace';

/** A stdio transport that keeps every byte each way. */
class RecordingStdio implements Transport {
  onmessage?: (m: JSONRPCMessage) => void;
  onclose?: () => void;
  onerror?: (e: Error) => void;
  readonly bytes: string[] = [];
  private child: ChildProcess | undefined;
  private readonly buffer = new ReadBuffer();

  constructor(private readonly cli: string, private readonly args: string[], private readonly env: NodeJS.ProcessEnv, private readonly cwd: string) {}

  async start(): Promise<void> {
    const child = spawn(process.execPath, [this.cli, 'mcp', ...this.args], { cwd: this.cwd, env: this.env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child = child;
    child.stdout!.on('data', (c: Buffer) => {
      this.bytes.push(c.toString('latin1'));
      this.buffer.append(c);
      for (let m = this.buffer.readMessage(); m; m = this.buffer.readMessage()) this.onmessage?.(m);
    });
    child.stderr!.on('data', (c: Buffer) => this.bytes.push(c.toString('latin1')));
    child.on('close', () => this.onclose?.());
    child.on('error', (e) => this.onerror?.(e));
  }

  async send(message: JSONRPCMessage): Promise<void> {
    const line = serializeMessage(message);
    this.bytes.push(line);
    this.child!.stdin!.write(line);
  }

  async close(): Promise<void> {
    this.child?.stdin?.end();
    const child = this.child;
    if (child && child.exitCode === null) await new Promise((r) => child.once('close', r));
  }
}

/** An HTTP relay to the vault that keeps every request and response, headers and bodies. */
async function recordingRelay(target: string): Promise<{ url: string; bytes: string[]; paths: string[]; close(): Promise<void> }> {
  const bytes: string[] = [];
  const paths: string[] = [];
  const to = new URL(target);
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      paths.push(req.url ?? '');
      bytes.push(`${req.method} ${req.url}\n${JSON.stringify(req.headers)}\n${body.toString('latin1')}`);
      const out = httpRequest({ host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers }, (up) => {
        const back: Buffer[] = [];
        up.on('data', (c: Buffer) => back.push(c));
        up.on('end', () => {
          const text = Buffer.concat(back);
          bytes.push(`${up.statusCode}\n${JSON.stringify(up.headers)}\n${text.toString('latin1')}`);
          keepResponse(req.url ?? '', up.statusCode ?? 0, text.toString('utf8'));
          res.writeHead(up.statusCode ?? 502, up.headers);
          res.end(text);
        });
      });
      out.on('error', () => res.destroy());
      out.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    bytes,
    paths,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export function registerMcp(): void {
  describe(S, () => {
    let v: InProcessVault;
    let dir: string;
    let agentToken: string;
    const stored: string[] = [];

    beforeAll(async () => {
      v = await inProcessVault();
      const api = v.api();
      await api.createAgent({ id: 'mcp-agent' });
      const single = sentinel();
      const kv = { client_id: sentinel(), client_secret: sentinel() };
      stored.push(single, kv.client_id, kv.client_secret);
      await api.createSecret({ name: 'payments_key', value: single, description: 'payments', agents: ['mcp-agent'] });
      await api.createSecret({ name: 'crm_login', value: kv, agents: ['mcp-agent'] });
      agentToken = (await api.createAgentToken('mcp-agent')).token;
      dir = mkdtempSync(path.join(tmpdir(), 'sv-mcp-leak-'));
      writeFileSync(path.join(dir, 'secrets-vault.json'), JSON.stringify({ agent: 'mcp-agent' }));
      writeFileSync(path.join(dir, 'fn.py'), "def f(conv):\n    return conv.utils.get_secret('payments_key'), conv.utils.get_secret('crm_login')['client_id']\n");
    });
    afterAll(async () => {
      await v?.finish();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('refuses an agent token (which could read values at run time) before serving, saying why', async () => {
      const r = await runCli(['mcp'], { env: { SECRETS_VAULT_URL: v.url, SECRETS_VAULT_TOKEN: agentToken } });
      keepLog(r.stdout + r.stderr);
      const ok = r.code === 2 && r.stderr.includes('user API key') && hits(r.stdout + r.stderr) === 0;
      tally(S, 1, ok ? 0 : 1, 'agent token refused');
      expect(ok).toBe(true);
    });

    // Issue 50 (4): the containment check was lexical, and a link named by path was followed out of
    // the workspace. Real links in a temporary folder: a folder link and a file link that lead out
    // are refused naming the path as given; a link that stays inside is followed; a folder walk
    // follows no link. What lies outside reaches no answer, and nothing of the session.
    it('check_code follows no link out of the workspace; a link that stays inside still works', async () => {
      const base = mkdtempSync(path.join(tmpdir(), 'sv-mcp-links-'));
      const ws = path.join(base, 'workspace');
      const outside = path.join(base, 'outside');
      const marker = `outside_${sentinel()}`;
      const outsideCode = `def f(conv):\n    return conv.utils.get_secret('${marker}')\n`;
      mkdirSync(path.join(outside, 'project'), { recursive: true });
      writeFileSync(path.join(outside, 'project', 'lib.py'), outsideCode);
      writeFileSync(path.join(outside, 'private.py'), outsideCode);
      mkdirSync(path.join(ws, 'src'), { recursive: true });
      writeFileSync(path.join(ws, 'secrets-vault.json'), JSON.stringify({ agent: 'mcp-agent' }));
      writeFileSync(path.join(ws, 'src', 'app.py'), "def f(conv):\n    return conv.utils.get_secret('no_such_inside')\n");
      symlinkSync(path.join(outside, 'project'), path.join(ws, 'vendor'), 'dir');
      symlinkSync(path.join(outside, 'private.py'), path.join(ws, 'notes.py'), 'file');
      symlinkSync(path.join(ws, 'src'), path.join(ws, 'alias'), 'dir');
      symlinkSync(path.join(ws, 'src', 'app.py'), path.join(ws, 'app_link.py'), 'file');
      const transport = new RecordingStdio(await cliBundle(), [], { PATH: process.env.PATH ?? '', SECRETS_VAULT_URL: v.url, SECRETS_VAULT_TOKEN: v.adminKey }, ws);
      const client = new Client({ name: 'link-probe', version: '1' });
      const failures: string[] = [];
      const call = async (args: Record<string, unknown>) => {
        const r = (await client.callTool({ name: 'check_code', arguments: args })) as { isError?: boolean; content: { text?: string }[] };
        return { error: r.isError === true, text: r.content.map((c) => c.text ?? '').join('\n') };
      };
      // [path named, refused?]
      const cases: [string, boolean][] = [
        ['vendor', true],
        ['vendor/lib.py', true],
        ['notes.py', true],
        ['./vendor/../vendor', true],
        ['alias', false],
        ['alias/app.py', false],
        ['app_link.py', false],
        ['.', false],
      ];
      try {
        await client.connect(transport);
        for (const [named, refused] of cases) {
          const r = await call({ path: named });
          if (r.text.includes(marker) || r.text.includes(outside)) failures.push(`${named}: the answer shows what lies outside`);
          if (refused && !(r.error && r.text.includes(`'${named}'`) && r.text.includes('outside the workspace'))) failures.push(`${named}: not refused naming the path`);
          if (!refused && (r.error || !r.text.includes('no_such_inside'))) failures.push(`${named}: the file inside was not checked`);
        }
        // The workspace summary walks the folder: the links out are not followed.
        const all = await client.callTool({ name: 'check_workspace', arguments: {} });
        if (JSON.stringify(all).includes('vendor') || JSON.stringify(all).includes('notes.py')) failures.push('check_workspace followed a link out');
      } finally {
        await client.close();
        rmSync(base, { recursive: true, force: true });
      }
      if (transport.bytes.join('\n').includes(marker)) failures.push('the session holds what lies outside');
      tally(S_LINKS, cases.length + 2, failures.length, 'dir and file links out refused; links inside followed');
      expect(failures).toEqual([]);
    });

    for (const who of ['user key'] as const) {
      it(`every way of asking for a value returns none (${who}); the whole session holds no value`, async () => {
        const relay = await recordingRelay(v.url);
        const token = v.adminKey;
        const transport = new RecordingStdio(await cliBundle(), ['--allow-requests'], { PATH: process.env.PATH ?? '', SECRETS_VAULT_URL: relay.url, SECRETS_VAULT_TOKEN: token }, dir);
        const client = new Client({ name: 'leak-probe', version: '1' });
        // A credential written into code the model sends: it reaches the server (the model sent
        // it), and no answer may repeat it.
        const pasted = sentinel();
        const hardcoded = `sk_live_${pasted}Q7wZr2Kp9`; // 24+ alphanumerics: Stripe's format
        const asks: [string, Record<string, unknown>][] = [
          ['list_secrets', {}],
          ['list_secrets', { filter: 'payments' }],
          ['explain_secret', { name: 'payments_key' }],
          ['explain_secret', { name: 'crm_login', include_value: true, reveal: true }],
          ['snippet', { name: 'payments_key', language: 'python' }],
          ['snippet', { name: 'crm_login', language: 'python', style: 'secret_vault' }],
          ['snippet', { name: 'payments_key', language: 'typescript' }],
          ['check_code', { path: 'fn.py' }],
          ['check_code', { language: 'python', code: `def f(conv):\n    stripe_key = '${hardcoded}'\n    return stripe_key\n` }],
          ['check_code', { language: 'python', code: `x = conv.utils.get_secret('${hardcoded}')\n` }],
          ['check_workspace', {}],
          ['propose_secret', { name: 'new_key', kind: 'single', value: 'please store this' }],
          ['get_secret', { name: 'payments_key' }],
          ['read_secret_value', { name: 'payments_key' }],
        ];
        const answers: string[] = [];
        let hardcodedReported = false;
        try {
          await client.connect(transport);
          for (const [name, args] of asks) {
            const r = (await client.callTool({ name, arguments: args })) as { content: { text?: string }[] };
            const text = r.content.map((c) => c.text ?? '').join('\n');
            answers.push(text);
            if (name === 'check_code' && text.includes('hardcoded-secret')) hardcodedReported = true;
          }
        } finally {
          await client.close();
          await relay.close();
        }
        const session = [...transport.bytes, ...relay.bytes].join('\n');
        for (const b of transport.bytes) keepLog(b.replaceAll(pasted, '(pasted by the model)'));
        const failures: string[] = [];
        for (const s of stored) if (session.includes(s)) failures.push(`a stored value reached the session (${who})`);
        if (answers.some((a) => a.includes(pasted))) failures.push('an answer repeats the credential written into the code');
        if (!hardcodedReported) failures.push('check_code did not report the hard-coded credential by its kind');
        if (relay.paths.some((p) => p.startsWith('/v1/runtime'))) failures.push('the server called a run-time path');
        // Apart from the credential the model itself sent, no sentinel anywhere.
        const withoutPasted = session.split(pasted).join('');
        if (leakForms.count(withoutPasted) !== 0) failures.push(`${leakForms.count(withoutPasted)} sentinel hit(s), plain or encoded, in the session`);
        tally(S, asks.length + 3, failures.length, who);
        expect(failures).toEqual([]);
        // The asks were real: the answers name the secrets.
        expect(answers[2]).toContain('payments_key');
      });
    }
  });
}
