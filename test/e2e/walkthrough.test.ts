// The walkthrough a new user meets: Get Started with Secrets Vault lists its six steps, and the
// steps complete on what the user really does: signing in (the connected context key), the ADK
// project's agent being detected, Ctrl+Space in a function and Ctrl+. on a problem.

import type { Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { activityBarItem, dismiss, gotoText, notification, openEditor, openFile, runCommand, type Editor } from './harness';

let ed: Editor;
let page: Page;

beforeAll(async () => {
  ed = await openEditor({ envToken: false });
  page = ed.page;
});

afterEach(async ({ task }) => {
  if (task.result?.state === 'fail') await ed?.shot(`FAILED-${task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`).catch(() => {});
});

afterAll(async () => {
  await ed?.stop();
});

const TITLES = ['Connect to your vault', 'Choose or detect the agent', "Complete a secret's name", 'Fix a problem', 'Run a function as the agent', 'Set up CI'];
const step = (title: string): Locator => page.locator('.getting-started-step', { has: page.locator('.step-title', { hasText: title }) }).first();
// A done step's icon is the checked codicon with the class `complete`.
const isComplete = async (title: string) => (await step(title).locator('.codicon.complete').count()) > 0;

async function openWalkthrough(): Promise<void> {
  await runCommand(page, 'Welcome: Open Walkthrough...');
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Get Started with Secrets Vault' }).first().click();
  await step(TITLES[0]!).waitFor({ timeout: 30_000 });
}

async function completes(title: string): Promise<void> {
  await expect.poll(() => isComplete(title), { timeout: 30_000, message: `the step '${title}' completes` }).toBe(true);
}

test('the walkthrough lists its six steps, none done before signing in', async () => {
  await openWalkthrough();
  const titles = await page.locator('.getting-started-step .step-title').allInnerTexts();
  expect(titles.map((t) => t.trim())).toEqual(TITLES);
  for (const title of TITLES) expect(await isComplete(title)).toBe(false);
  await ed.shot('walkthrough-1-steps');
});

test('signing in completes Connect, and the ADK project completes the agent step', async () => {
  await activityBarItem(page, 'Secrets Vault').click();
  await runCommand(page, 'Secrets Vault: Sign In');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(ed.vault.adminKey);
  await page.keyboard.press('Enter');
  await notification(page, 'Signed in to').waitFor({ timeout: 30_000 });
  await openWalkthrough();
  await completes('Connect to your vault');
  await completes('Choose or detect the agent');
  expect(await isComplete("Complete a secret's name")).toBe(false);
  await ed.shot('walkthrough-2-connected');
});

test('Ctrl+Space in a function and Ctrl+. on a problem complete their steps', async () => {
  await openFile(page, 'functions/send_confirmation.py');
  await gotoText(page, 'sendgird_api_key', 3);
  await page.keyboard.press('Control+Space');
  await page.locator('.editor-widget.suggest-widget.visible').waitFor({ timeout: 30_000 });
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+.');
  await page.locator('.action-widget').waitFor({ timeout: 30_000 });
  await page.keyboard.press('Escape');
  await openWalkthrough();
  await completes("Complete a secret's name");
  await completes('Fix a problem');
  expect(await isComplete('Run a function as the agent')).toBe(false);
  await ed.shot('walkthrough-3-progress');
});

test("the extension's page in the Extensions view is the user README, with the icon and every picture, offline", async () => {
  // No network: any request that is not to the editor on 127.0.0.1 fails (the machine is offline too).
  const outside: string[] = [];
  await ed.context.route(/^(?!https?:\/\/127\.0\.0\.1[:/])(https?|wss?):/, (route) => {
    outside.push(route.request().url());
    return route.abort('internetdisconnected');
  });
  await dismiss(page);
  await page.keyboard.press('Control+Shift+X');
  const row = page.locator('.extensions-viewlet .monaco-list-row', { hasText: 'Secrets Vault' }).first();
  await row.waitFor({ timeout: 30_000 });
  await row.click();
  const header = page.locator('.extension-editor .header');
  await header.locator('.name', { hasText: 'Secrets Vault' }).waitFor({ timeout: 30_000 });
  expect(await header.locator('img.icon').getAttribute('src')).toMatch(/icon\.png/);
  const readme = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
  await readme.locator('h1', { hasText: 'Secrets Vault for VS Code' }).waitFor({ timeout: 30_000 });
  expect(await readme.locator('h2').allInnerTexts()).toEqual(expect.arrayContaining(['What it does', 'Connect to a vault', 'Privacy: values are never shown']));
  // The three screenshots are in the packaged README itself (inlined by npm run package), and each
  // is drawn: loaded, with its real size (a broken image has none).
  const images = await readme.locator('img').all();
  expect(images).toHaveLength(3);
  for (const [i, img] of images.entries()) {
    expect(await img.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    await expect.poll(() => img.evaluate((el) => {
      const image = el as unknown as { complete: boolean; naturalWidth: number };
      return image.complete ? image.naturalWidth : 0;
    }), { timeout: 10_000, message: `image ${i + 1} is drawn` }).toBe(1400);
    expect(await img.getAttribute('alt')).toBeTruthy();
  }
  expect(await readme.locator('body').innerText()).not.toMatch(/npm (ci|test)/);
  await ed.shot('walkthrough-4-extension-page');
  // A window tall enough for the whole page: every picture in one screenshot.
  const viewport = page.viewportSize();
  await page.setViewportSize({ width: 1400, height: 2300 });
  await readme.locator('h1').scrollIntoViewIfNeeded();
  for (const img of images) expect(await img.isVisible()).toBe(true);
  await ed.shot('walkthrough-4-extension-page-all');
  if (viewport) await page.setViewportSize(viewport);
  expect(outside.filter((u) => /\.(png|jpe?g|gif|webp|svg)(\?|$)/i.test(u))).toEqual([]);
  await ed.context.unrouteAll();
});
