// Secrets Vault for coding assistants in a real editor without the MCP server API. The code-server
// these tests run is VS Code 1.100, which has no MCP server API (it arrives in 1.101;
// mcpApi.test.ts runs VS Code 1.104 for it): the extension must start without it. "Secrets Vault:
// Set Up for Another Assistant…" writes Claude Code's .mcp.json (the command line only, no key); the
// server the installed extension ships (dist/mcp/server.js from the VSIX) is started with that
// command line's arguments by an MCP client of the SDK and answers list_secrets with the demo
// vault's secrets.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { activityBarItem, connectedStatus, notification, openEditor, runCommand, type Editor } from './harness';

const AGENT = 'PROJECT-BK7QF2MA';

let ed: Editor;
let page: Page;

beforeAll(async () => {
  ed = await openEditor();
  page = ed.page;
  await activityBarItem(page, 'Secrets Vault').click();
  try {
    await connectedStatus(page, AGENT).waitFor({ timeout: 60_000 });
  } catch (e) {
    await ed.shot('FAILED-mcp-start');
    throw e;
  }
});
afterEach(async (t) => {
  if (t.task.result?.state === 'fail') await ed?.shot(`FAILED-mcp-${t.task.name.slice(0, 40).replace(/\W+/g, '-')}`);
});
afterAll(async () => {
  await ed?.stop();
});

async function pick(label: string): Promise<void> {
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: label }).first();
  await row.waitFor({ timeout: 20_000 });
  await row.click();
}

/** The installed extension's folder in code-server's profile. */
function installedExtension(): string {
  const dir = path.join(ed.scratch, 'code-server', 'extensions');
  const found = readdirSync(dir).find((d) => d.startsWith('secrets-vault.secrets-vault-'));
  if (!found) throw new Error(`the extension is not installed in ${dir}`);
  return path.join(dir, found);
}

test('without the MCP API (VS Code 1.100) the extension starts, and its Set Up for Another Assistant command is there', async () => {
  const pkg = JSON.parse(readFileSync(path.resolve('.cache/code-server/node_modules/code-server/lib/vscode/package.json'), 'utf8')) as { version: string };
  const [major, minor] = pkg.version.split('.').map(Number) as [number, number];
  // This scenario is about an editor without the API; a newer code-server must get the API's own test.
  expect(major === 1 && minor < 101).toBe(true);
  // The command is there all the same.
  await runCommand(page, 'Secrets Vault: Set Up for Another Assistant');
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Claude Code' }).first().waitFor({ timeout: 20_000 });
  await page.keyboard.press('Escape');
  await ed.shot('mcp-setup-pick');
});

test("Set Up for Another Assistant writes Claude Code's stdio command, without the key, and the shipped server answers list_secrets", async () => {
  await runCommand(page, 'Secrets Vault: Set Up for Another Assistant');
  await pick('Claude Code');
  await pick('SECRETS_VAULT_TOKEN');
  await notification(page, "Claude Code runs 'secrets-vault mcp").waitFor({ timeout: 20_000 });
  await ed.shot('mcp-setup-written');
  const file = path.join(ed.workspace, '.mcp.json');
  expect(existsSync(file)).toBe(true);
  const text = readFileSync(file, 'utf8');
  expect(text).not.toContain(ed.vault.adminKey);
  expect(text).not.toMatch(/sv[ua]_/);
  const config = JSON.parse(text) as { mcpServers: Record<string, { command: string; args: string[] }> };
  const entry = config.mcpServers['secrets-vault']!;
  expect(entry).toEqual({ type: 'stdio', command: 'secrets-vault', args: ['mcp', '--url', ed.vault.url] });

  // The server the VSIX ships, with the written arguments (after `mcp`), in the workspace, the key
  // from the environment as the written configuration expects.
  const server = path.join(installedExtension(), 'dist', 'mcp', 'server.js');
  expect(existsSync(server)).toBe(true);
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [server, ...entry.args.slice(1)],
    cwd: ed.workspace,
    env: { PATH: process.env.PATH ?? '', SECRETS_VAULT_TOKEN: ed.vault.adminKey },
    stderr: 'pipe',
  });
  const client = new Client({ name: 'e2e-assistant', version: '1.0.0' });
  await client.connect(transport);
  try {
    const r = (await client.callTool({ name: 'list_secrets', arguments: {} })) as { content: { text: string }[]; isError?: boolean };
    expect(r.isError ?? false).toBe(false);
    const out = JSON.parse(r.content[0]!.text) as { agent: string | null; secrets: { name: string; agentMayRead?: boolean }[] };
    const names = out.secrets.map((s) => s.name);
    expect(names.length).toBeGreaterThan(2);
    const vaultNames = (await (await fetch(`${ed.vault.url}/v1/secrets`, { headers: { authorization: `Bearer ${ed.vault.adminKey}` } })).json()) as { secrets: { name: string }[] };
    expect(names.sort()).toEqual(vaultNames.secrets.map((s) => s.name).sort());
    // check_code runs the analysis the VSIX ships (dist/server/check.js beside it).
    const c = (await client.callTool({ name: 'check_code', arguments: { language: 'python', code: "conv.utils.get_secret('no_such_secret_here')\n" } })) as { content: { text: string }[]; isError?: boolean };
    expect(c.isError ?? false).toBe(false);
    expect(JSON.parse(c.content[0]!.text).findings.map((f: { code: string }) => f.code)).toEqual(['unknown-secret']);
  } finally {
    await client.close();
  }
});
