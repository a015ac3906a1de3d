// Secrets Vault for coding assistants in a VS Code that has the MCP server API (1.104, the `mcp`
// edition of scripts/code-server.mjs, on Node 22 from the npm registry). The extension contributes
// its server definition with no setup; VS Code lists it ("MCP: List Servers"), starts it with the
// key added to the server process's environment, lists its read-only tools among the language-model
// tools, and calls list_secrets through its own MCP client. An assistant is not there offline, so a
// test-only extension (test/e2e/assistantProbe) makes the call through VS Code's public tool API,
// as an assistant's tool call goes. Then: the vault audited the call as the user with VS Code's
// client marker; a page's Create Secret link opens the form empty with a notice, while the link
// propose_secret signs (with the key the extension gave the server) fills it in and says so; and no
// file of the editor's profile or the workspace holds the key or a value.

import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { EDITIONS } from '../../scripts/code-server.mjs';
import { root } from '../../scripts/editor.mjs';
import { mcpClientMarker } from '../../protocol/assistantClient';
import { activityBarItem, connectedStatus, openEditor, runCommand, webviewFrame, type Editor } from './harness';

const AGENT = 'PROJECT-BK7QF2MA';
/** The tools the editor's server has: the read-only ones and propose_secret (it stores nothing; its link is signed with the editor's session key); request_access needs --allow-requests. */
const READ_ONLY_TOOLS = ['access_review', 'check_code', 'check_workspace', 'explain_secret', 'list_secrets', 'propose_secret', 'snippet'];

let ed: Editor;
let page: Page;
let probeDir: string;
let probeOut: string;

/** Packages the test-only assistant probe into a VSIX (vsce, as the extension is packaged). */
function packageProbe(dir: string): string {
  const source = path.join(dir, 'assistant-probe');
  cpSync(path.join(root, 'test', 'e2e', 'assistantProbe'), source, { recursive: true });
  const vsix = path.join(dir, 'assistant-probe.vsix');
  const vsce = path.join(root, 'node_modules', '.bin', 'vsce');
  const r = spawnSync(vsce, ['package', '--allow-missing-repository', '--skip-license', '--out', vsix], { cwd: source, encoding: 'utf8' });
  if (r.status !== 0 || !existsSync(vsix)) throw new Error(`packaging the assistant probe failed:\n${r.stdout}\n${r.stderr}`);
  return vsix;
}

/** What the probe recorded (JSON lines), waiting for an entry of the given event. */
async function probeRecord(event: string, timeoutMs = 90_000): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (existsSync(probeOut)) {
      const entries = readFileSync(probeOut, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      const found = entries.find((e) => e.event === event);
      if (found) return found;
      const error = entries.find((e) => e.event === 'error');
      if (error) throw new Error(`the probe failed: ${String(error.message)}`);
    }
    if (Date.now() > deadline) throw new Error(`the probe recorded no '${event}' within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Every file under `dir` (the editor's profile can hold sockets and links: only regular files). */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(p));
    else if (entry.isFile()) out.push(p);
  }
  return out;
}

beforeAll(async () => {
  probeDir = mkdtempSync(path.join(tmpdir(), 'sv-probe-'));
  probeOut = path.join(probeDir, 'probe.jsonl');
  const probe = packageProbe(probeDir);
  ed = await openEditor({ edition: 'mcp', extraVsix: [probe], env: { SV_ASSISTANT_PROBE_OUT: probeOut } });
  page = ed.page;
  await activityBarItem(page, 'Secrets Vault').click();
  try {
    await connectedStatus(page, AGENT).waitFor({ timeout: 60_000 });
  } catch (e) {
    await ed.shot('FAILED-mcpApi-start');
    throw e;
  }
});
afterEach(async (t) => {
  if (t.task.result?.state === 'fail') await ed?.shot(`FAILED-mcpApi-${t.task.name.slice(0, 40).replace(/\W+/g, '-')}`);
});
afterAll(async () => {
  await ed?.stop();
  if (probeDir) rmSync(probeDir, { recursive: true, force: true });
});

test('VS Code 1.104 lists the Secrets Vault server the extension defines, with no configuration written', async () => {
  const pkg = JSON.parse(readFileSync(path.join(EDITIONS.mcp.dir, 'node_modules', 'code-server', 'lib', 'vscode', 'package.json'), 'utf8')) as { version: string };
  const [major, minor] = pkg.version.split('.').map(Number) as [number, number];
  expect(major === 1 && minor >= 101).toBe(true);
  await runCommand(page, 'MCP: List Servers');
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Secrets Vault' }).first();
  await row.waitFor({ timeout: 30_000 });
  await ed.shot('mcpApi-list-servers');
  // Its actions are the server's: VS Code knows how to start (or stop) it.
  await row.click();
  const action = page.locator('.quick-input-widget .monaco-list-row', { hasText: /Start Server|Stop Server/ }).first();
  await action.waitFor({ timeout: 20_000 });
  await ed.shot('mcpApi-server-actions');
  if ((await action.textContent())?.includes('Start Server')) await action.click();
  else await page.keyboard.press('Escape');
  // No setup: no mcp.json in the workspace or the user's profile.
  expect(existsSync(path.join(ed.workspace, '.vscode', 'mcp.json'))).toBe(false);
  expect(existsSync(path.join(ed.scratch, 'code-server', 'user-data', 'User', 'mcp.json'))).toBe(false);
});

test("VS Code's MCP client starts the server, lists its read-only tools, and list_secrets answers with the vault's secrets", async () => {
  await runCommand(page, 'Assistant Probe: Call list_secrets');
  const tools = (await probeRecord('tools')).tools as { name: string; description: string; inputSchema?: { type?: string } }[];
  // VS Code names an MCP tool mcp_<server>_<tool>.
  const ours = tools.filter((t) => /^mcp_secrets_vault_/.test(t.name));
  expect(ours.map((t) => t.name.replace(/^mcp_secrets_vault_/, '')).sort()).toEqual(READ_ONLY_TOOLS);
  for (const t of ours) {
    expect(t.description.length).toBeGreaterThan(20);
    expect(t.inputSchema?.type).toBe('object');
  }
  const result = await probeRecord('result');
  expect(result.tool).toBe('mcp_secrets_vault_list_secrets');
  const text = (result.text as string[]).join('');
  const listed = JSON.parse(text) as { secrets: { name: string; kind: string }[] };
  const vaultNames = (await (await fetch(`${ed.vault.url}/v1/secrets`, { headers: { authorization: `Bearer ${ed.vault.adminKey}` } })).json()) as { secrets: { name: string }[] };
  expect(listed.secrets.map((s) => s.name).sort()).toEqual(vaultNames.secrets.map((s) => s.name).sort());
  expect(listed.secrets.every((s) => !('value' in s) && !('values' in s))).toBe(true);
  await ed.shot('mcpApi-after-call');
});

test("the call is audited as the user, marked with VS Code's MCP client", async () => {
  await probeRecord('result');
  const audit = (await (await fetch(`${ed.vault.url}/v1/audit?limit=100`, { headers: { authorization: `Bearer ${ed.vault.adminKey}` } })).json()) as {
    records: { action: string; actorType: string; target: string; outcome: string; detail: string }[];
  };
  const call = audit.records.find((r) => r.action === 'assistant.call' && r.target === 'list_secrets');
  expect(call).toBeDefined();
  expect(call!.actorType).toBe('user');
  expect(call!.outcome).toBe('success');
  // The marker names the client from the MCP handshake: VS Code's own (its product's long name,
  // "code-server" here, "Visual Studio Code" on the desktop), not a test's.
  const product = JSON.parse(readFileSync(path.join(EDITIONS.mcp.dir, 'node_modules', 'code-server', 'lib', 'vscode', 'product.json'), 'utf8')) as { nameLong: string };
  expect(call!.detail).toBe(`assistant: ${mcpClientMarker(product.nameLong)}`);
});

/**
 * Opens a Create Secret link as a click on it does: through VS Code's URL service ("Developer: Open
 * URL"), in this editor's own scheme (code-oss in code-server), answering VS Code's own question
 * ("Allow … to open this URI?") when it asks.
 */
async function openLink(link: string): Promise<void> {
  await runCommand(page, 'Developer: Open URL');
  const input = page.locator('.quick-input-widget input');
  await input.fill(link.replace(/^vscode:/, 'code-oss:'));
  await page.keyboard.press('Enter');
  const open = page.locator('.monaco-dialog-box').getByRole('button', { name: 'Open', exact: true });
  try {
    await open.waitFor({ timeout: 10_000 });
  } catch {
    return;
  }
  await ed.shot('mcpApi-uri-prompt');
  await open.click();
}

test("a page's Create Secret link (no signature) opens the form empty, saying it was not made by the assistant", async () => {
  // A link any page can make: the old form, with a nonce of its own and no signature.
  await openLink('vscode://secrets-vault.secrets-vault/create-secret?name=stripe_key&agent=PROJECT-BK7QF2MA&once=aaaaaaaaaaaaaaaaaaaaaaaa');
  const form = webviewFrame(page, 'Create Secret');
  const notice = form.getByRole('status');
  await notice.waitFor({ timeout: 30_000 });
  expect(await notice.innerText()).toBe('This link was not made by your Secrets Vault assistant: its fields were not filled in.');
  expect(await form.getByRole('textbox', { name: 'Name', exact: true }).inputValue()).toBe('');
  await ed.shot('mcpApi-link-unsigned');
  await form.getByRole('button', { name: 'Cancel' }).click();
});

test("propose_secret's signed link, opened from the assistant, fills the form in and says who proposed it", async () => {
  await runCommand(page, 'Assistant Probe: Call propose_secret');
  const proposal = (await probeRecord('proposal')).answer as { stored: boolean; link: string };
  expect(proposal.stored).toBe(false);
  expect(proposal.link).toMatch(/^vscode:\/\/secrets-vault\.secrets-vault\/create-secret\?name=twilio_auth&agent=PROJECT-BK7QF2MA&key=sid&key=token&once=[\w-]{24}&at=\d+&sig=[\w-]{43}$/);
  await openLink(proposal.link);
  const form = webviewFrame(page, 'Create Secret: twilio_auth');
  const origin = form.locator('.link-origin');
  await origin.waitFor({ timeout: 30_000 });
  expect(await origin.innerText()).toMatch(/^Proposed by the assistant \(MCP propose_secret\) at \d\d:\d\d\. /);
  expect(await form.getByRole('textbox', { name: 'Name', exact: true }).inputValue()).toBe('twilio_auth');
  expect(await form.getByRole('textbox', { name: 'Key 2', exact: true }).inputValue()).toBe('token');
  await ed.shot('mcpApi-link-signed');
  await form.getByRole('button', { name: 'Cancel' }).click();
});

test('the key reached the server only through its environment: no file of the profile or the workspace holds it, or a value', async () => {
  await probeRecord('result');
  // The agent's values, read as the agent (the demo vault's token), are the sentinels.
  const env = (await (await fetch(`${ed.vault.url}/v1/runtime/env`, { headers: { authorization: `Bearer ${ed.vault.agentToken}` } })).json()) as Record<string, unknown>;
  const values = Object.values((env.env ?? env) as Record<string, unknown>)
    .filter((v): v is string => typeof v === 'string' && v.length >= 8);
  expect(values.length).toBeGreaterThan(0);
  const sentinels = [ed.vault.adminKey, ...values];
  const files = [...filesUnder(path.join(ed.scratch, 'code-server')), ...filesUnder(ed.workspace), probeOut];
  expect(files.length).toBeGreaterThan(20);
  const holders: string[] = [];
  for (const file of files) {
    if (statSync(file).size > 64 * 1024 * 1024) continue;
    const text = readFileSync(file).toString('latin1');
    for (const s of sentinels) if (text.includes(s)) holders.push(`${path.relative(ed.scratch, file)} holds ${s === ed.vault.adminKey ? 'the key' : 'a value'}`);
  }
  expect(holders).toEqual([]);
});
