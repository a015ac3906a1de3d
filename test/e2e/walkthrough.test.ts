// The walkthrough a new user meets: Get Started with Secrets Vault lists its six steps, and each step
// completes when the user does its thing by the route a person takes, not through the step's button:
// signing in from the status bar item, the ADK project's agent detected, a name completed as it is
// typed and accepted with Enter, a grant from the quick fix (Ctrl+.), a terminal opened with Ctrl+`,
// Run from the CodeLens. The first two happen before the walkthrough is ever opened (the workbench
// registers it lazily: a step done before then never ticked, as in the demo window), and the ticks
// survive a reload.

import type { Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import {
  answerInputBox,
  applyQuickFix,
  codeLensLink,
  codeLenses,
  connectedStatus,
  dismiss,
  editorLines,
  gotoText,
  newLineAtEnd,
  notification,
  openEditor,
  openFile,
  quickFixes,
  runCommand,
  suggestions,
  terminalShows,
  until,
  type Editor,
} from './harness';

const BOOKING = 'PROJECT-BK7QF2MA';

let ed: Editor;
let page: Page;

beforeAll(async () => {
  // One environment chosen, so that Run asks for the arguments only; the DOM terminal, to read it.
  ed = await openEditor({ envToken: false, settings: { 'secretsVault.environment': 'sandbox', 'terminal.integrated.gpuAcceleration': 'off' } });
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
  await dismiss(page);
  await runCommand(page, 'Welcome: Open Walkthrough...');
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Get Started with Secrets Vault' }).first().click();
  await step(TITLES[0]!).waitFor({ timeout: 30_000 });
}

/** The titles of the steps shown as done, once they are `expected` (the page redraws as steps progress). */
async function ticked(expected: string[]): Promise<string[]> {
  const read = async () => {
    const done: string[] = [];
    for (const title of TITLES) if (await isComplete(title)) done.push(title);
    return done;
  };
  return until(read, (done) => JSON.stringify(done) === JSON.stringify(expected), 30_000, `the steps ${JSON.stringify(expected)} ticked`).catch(async () => read());
}

test('signing in from the status bar and the detected project tick their steps, done before the walkthrough is first opened', async () => {
  const signIn = page.locator('.statusbar-item', { hasText: 'Sign in to Secrets Vault' }).first();
  await signIn.waitFor({ timeout: 60_000 });
  await signIn.click();
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(ed.vault.adminKey);
  await page.keyboard.press('Enter');
  await notification(page, 'Signed in to').waitFor({ timeout: 30_000 });
  await connectedStatus(page, BOOKING).waitFor({ timeout: 30_000 });

  await openWalkthrough();
  const titles = await page.locator('.getting-started-step .step-title').allInnerTexts();
  expect(titles.map((t) => t.trim())).toEqual(TITLES);
  expect(await ticked(TITLES.slice(0, 2))).toEqual(TITLES.slice(0, 2));
  await ed.shot('walkthrough-1-signed-in');
});

test('a terminal from Ctrl+`, a typed completion, a grant from the quick fix and Run from the CodeLens tick the other four', async () => {
  // Set up CI: the shortcut, not the step's button.
  await page.keyboard.press('Control+`');
  await page.locator('.terminal-wrapper.active .xterm-rows').waitFor({ timeout: 30_000 });
  await page.keyboard.press('Control+`');

  // Complete a secret's name: typed; the list opens by itself on the quote, and Enter accepts.
  await openFile(page, 'functions/send_confirmation.py');
  await newLineAtEnd(page);
  await page.keyboard.type("key = conv.utils.get_secret('");
  const offered = await suggestions(page);
  expect(offered.length).toBeGreaterThan(0);
  await page.keyboard.press('Enter');
  await page.locator('.suggest-widget.visible').waitFor({ state: 'hidden' });
  const accepted = offered[0]!.split(',')[0]!;
  await until(() => editorLines(page), (lines) => lines.some((l) => l.includes(`key = conv.utils.get_secret('${accepted}')`)), 10_000, 'the accepted name in the line');

  // Fix a problem: the grant the quick fix offers on a secret the agent is not granted.
  await openFile(page, 'functions/refund_payment.py');
  await gotoText(page, 'stripe_api_key', 2);
  const grant = `Grant '${BOOKING}' access to 'stripe_api_key'`;
  expect(await quickFixes(page)).toContain(grant);
  await applyQuickFix(page, grant);
  await notification(page, `can now read 'stripe_api_key'`).waitFor({ timeout: 30_000 });

  // Run a function as the agent: the lens above it.
  await until(() => codeLenses(page), (l) => l.some((t) => t.includes('Run as Booking agent (sandbox)')), 30_000, 'the Run lens');
  await (await codeLensLink(page, 0, 'Run as Booking agent (sandbox)')).click();
  await answerInputBox(page, `Run refund_payment as ${BOOKING}`, '{"payment_intent": "pi_demo"}');
  await terminalShows(page, /refund_payment/, 'the run to start');

  // Every step in view: the panel closed, and the page's steps as a list.
  await runCommand(page, 'View: Hide Panel');
  await openWalkthrough();
  expect(await ticked(TITLES)).toEqual(TITLES);
  // Tall enough that the six steps and the expanded first one are all in the picture.
  await page.setViewportSize({ width: 1400, height: 1060 });
  await step(TITLES[5]!).scrollIntoViewIfNeeded();
  await ed.shot('walkthrough-2-every-step');
  await page.setViewportSize({ width: 1400, height: 900 });
});

test('the ticks survive a reload of the window', async () => {
  await runCommand(page, 'Developer: Reload Window');
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
  await openWalkthrough();
  expect(await ticked(TITLES)).toEqual(TITLES);
  await ed.shot('walkthrough-3-after-reload');
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
