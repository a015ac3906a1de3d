// `npm start`'s first open: the demo workspace opens on its README, which says what to try. The
// editor is started with the settings `npm start` gives code-server (FIRST_RUN_SETTINGS).

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { FIRST_RUN_SETTINGS, root } from '../../scripts/editor.mjs';
import { openEditor, type Editor } from './harness';

let ed: Editor;

beforeAll(async () => {
  ed = await openEditor({ settings: FIRST_RUN_SETTINGS });
});

afterEach(async ({ task }) => {
  if (task.result?.state === 'fail') await ed?.shot(`FAILED-${task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`).catch(() => {});
});

afterAll(async () => {
  await ed?.stop();
});

test('the demo workspace opens on its README, and the README says what to try', async () => {
  // Markdown opens as a preview (a webview): its tab is what a person sees first.
  const tab = ed.page.locator('.tab.active[aria-label*="README.md"]');
  await tab.waitFor({ timeout: 60_000 });
  // …and its text, drawn in the preview's webview.
  const preview = ed.page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
  await preview.locator('h1', { hasText: 'Demo: booking agent functions' }).waitFor({ timeout: 60_000 });
  await expect.poll(() => preview.locator('body').innerText(), { timeout: 10_000 }).toContain('Things to try');
  await ed.shot('first-run-readme');
  const readme = readFileSync(path.join(root, 'vault', 'demo', 'workspace', 'README.md'), 'utf8');
  // What it points to exists in the demo workspace: every file it names, with its path.
  const named = [...readme.matchAll(/`((?:[\w.-]+\/)*[\w.-]+\.(?:py|yaml|json))`/g)].map((m) => m[1]!);
  expect(named).toEqual(expect.arrayContaining(['project.yaml', 'functions/refund_payment.py']));
  for (const file of named.filter((f) => f.includes('/') || f === 'project.yaml')) {
    expect(() => readFileSync(path.join(root, 'vault', 'demo', 'workspace', file)), file).not.toThrow();
  }
  expect(readme).toMatch(/get_secret\('/);
});
