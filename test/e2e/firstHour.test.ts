// The demo's first hour in a real editor (code-server) on the demo workspace. Choose Agent: an admin's picker offers
// Create Agent…, whose input box explains the id rules as the id is typed; the agent is created in
// the vault and becomes the folder's, written into the folder's secrets-vault.json (its vault URL
// and formatting kept), where the CLI and `check` read it, never into .vscode/settings.json. Choosing
// an existing agent rewrites the same field, and the palette has Secrets Vault: Create Agent….
// Run as the agent on refund_payment.py (standard library only) fails with MissingAccess, as the
// demo README promises, not with a missing module.

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import type { Agent } from '../../protocol/api';
import { activityBarItem, answerInputBox, codeLensLink, codeLenses, connectedStatus, dismiss, openEditor, openFile, runCommand, terminalShows, until, type Editor } from './harness';

const BOOKING = 'PROJECT-BK7QF2MA';
const CREATED = 'PROJECT-NIGHTD5K';
const QUICK_INPUT = '.quick-input-widget input';

let ed: Editor;
let page: Page;

const configFile = () => path.join(ed.workspace, 'secrets-vault.json');
const statusItem = (text: string) => page.locator('.statusbar-item', { hasText: text }).first();

async function vaultAgents(): Promise<Agent[]> {
  const r = await fetch(`${ed.vault.url}/v1/agents`, { headers: { authorization: `Bearer ${ed.vault.adminKey}` } });
  return ((await r.json()) as { agents: Agent[] }).agents;
}

beforeAll(async () => {
  // One environment chosen, so that Run asks for the arguments only.
  ed = await openEditor({ settings: { 'terminal.integrated.gpuAcceleration': 'off', 'secretsVault.environment': 'sandbox' } });
  page = ed.page;
  await activityBarItem(page, 'Secrets Vault').click();
  try {
    await connectedStatus(page, BOOKING).waitFor({ timeout: 60_000 });
  } catch (e) {
    await ed.shot('FAILED-first-hour-start');
    throw e;
  }
});

afterEach(async ({ task }) => {
  if (task.result?.state === 'fail') await ed?.shot(`FAILED-first-hour-${task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`).catch(() => {});
});

afterAll(async () => {
  await ed?.stop();
});

test('Create Agent… from the picker: the id rules as the id is typed, the agent made, and chosen in secrets-vault.json', async () => {
  const before = readFileSync(configFile(), 'utf8');
  expect(JSON.parse(before)).toEqual({ vault: ed.vault.url });

  await runCommand(page, 'Secrets Vault: Choose Agent…');
  const input = page.locator(QUICK_INPUT);
  await input.waitFor();
  expect(await input.getAttribute('placeholder')).toBe("The agent whose functions you write here (saved in the folder's secrets-vault.json)");
  await input.fill('Create Agent');
  await page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: 'Create Agent…' }).waitFor({ timeout: 20_000 });
  await ed.shot('first-hour-create-agent-1-picker');
  await page.keyboard.press('Enter');

  const box = page.locator('.quick-input-widget');
  await box.locator('.quick-input-title', { hasText: 'Create Agent' }).waitFor({ timeout: 20_000 });
  const message = box.locator('.quick-input-message');
  // The rules while the box is empty, and the reason for an id that breaks them.
  await until(() => message.innerText(), (t) => t.includes('PROJECT-BK7QF2MA'), 10_000, 'the id rules under the box');
  await box.locator('input').fill('night desk');
  await until(() => message.innerText(), (t) => t.includes('An agent id is 1 to 64 letters, digits, hyphens or underscores'), 10_000, 'the rules for a bad id');
  await ed.shot('first-hour-create-agent-2-invalid-id');
  await box.locator('input').fill(BOOKING.toLowerCase());
  await until(() => message.innerText(), (t) => t.includes(`The vault has '${BOOKING}', which differs only in case`), 10_000, 'an id the vault has');
  await box.locator('input').fill(CREATED);
  await until(() => message.innerText(), (t) => !t.includes('An agent id is') && !t.includes('The vault has'), 10_000, 'an accepted id');
  await page.keyboard.press('Enter');
  await box.locator('.quick-input-title', { hasText: `Create Agent ${CREATED}` }).waitFor({ timeout: 20_000 });
  await box.locator('input').fill('Night desk');
  await page.keyboard.press('Enter');

  await until(vaultAgents, (as) => as.some((a) => a.id === CREATED && a.name === 'Night desk'), 20_000, 'the agent in the vault');
  const written = await until(async () => readFileSync(configFile(), 'utf8'), (t) => t.includes(CREATED), 20_000, 'the agent in secrets-vault.json');
  expect(written).toBe(`{\n  "vault": "${ed.vault.url}",\n  "agent": "${CREATED}"\n}\n`);
  expect(existsSync(path.join(ed.workspace, '.vscode', 'settings.json'))).toBe(false);
  await statusItem(`${CREATED} · Night desk`).waitFor({ timeout: 20_000 });
  await ed.shot('first-hour-create-agent-3-chosen');
});

test('choosing an existing agent rewrites the same field; the palette has Create Agent…', async () => {
  await dismiss(page);
  await runCommand(page, 'Secrets Vault: Choose Agent…');
  const input = page.locator(QUICK_INPUT);
  await input.waitFor();
  await input.fill(BOOKING);
  await page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: BOOKING }).waitFor({ timeout: 20_000 });
  await page.keyboard.press('Enter');
  await until(async () => readFileSync(configFile(), 'utf8'), (t) => t === `{\n  "vault": "${ed.vault.url}",\n  "agent": "${BOOKING}"\n}\n`, 20_000, 'the booking agent in secrets-vault.json');
  await statusItem(`${BOOKING} · Booking agent`).waitFor({ timeout: 20_000 });
  expect(existsSync(path.join(ed.workspace, '.vscode', 'settings.json'))).toBe(false);

  await runCommand(page, 'Secrets Vault: Create Agent…');
  await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Create Agent' }).waitFor({ timeout: 20_000 });
  await dismiss(page);
});

test('Run as the agent on refund_payment.py: the MissingAccess the README promises, on a plain Python', async () => {
  await dismiss(page);
  await openFile(page, 'functions/refund_payment.py');
  await until(() => codeLenses(page), (l) => l.length === 1, 30_000, 'the Run lens');
  // A project function: the lens names the project's agent by its name and the chosen environment.
  await (await codeLensLink(page, 0, 'Run as Booking agent (sandbox)')).click();
  await answerInputBox(page, `Run refund_payment as ${BOOKING}`, '{"payment_intent": "pi_demo"}');
  const screen = await terminalShows(page, /refund_payment raised an exception/, 'the run to end');
  expect(screen).toMatch(/MissingAccess/);
  expect(screen).toContain('stripe_api_key');
  expect(screen).not.toContain('ModuleNotFoundError');
  await ed.shot('first-hour-run-missing-access');
});
