// Loads the panels in a real Chromium the way VS Code does: the HTML from the host's own
// renderPanelHtml (same CSP, fresh nonce), the bundles from dist/webview, and a stand-in for the
// VS Code webview API (acquireVsCodeApi) that records what the page posts and stores.

import { execFile } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { newNonce, renderPanelHtml } from '../../client/src/webviews/html';
import type { HostToWebview } from '../../protocol/webview';
import type { PageGlobals } from './page';
import { THEMES, type ThemeName } from './themes';

export const ROOT = path.resolve(__dirname, '../..');
export const PANELS = ['createSecret', 'editSecret', 'editAccess'] as const;
export type PanelName = (typeof PANELS)[number];
export const SCREENSHOTS = path.join(ROOT, 'test-results/webview');

/**
 * Runs the project build. Other parts of the build may fail while their authors are mid-edit;
 * what these tests need is fresh webview bundles, so that is what is checked.
 */
export async function buildBundles(): Promise<void> {
  const started = Date.now() - 1000;
  let failure = '';
  try {
    await promisify(execFile)(process.execPath, ['scripts/build.mjs'], { cwd: ROOT });
  } catch (e) {
    failure = e instanceof Error ? e.message : String(e);
  }
  for (const p of PANELS) {
    const file = path.join(ROOT, 'dist/webview', `${p}.js`);
    const info = await stat(file).catch(() => undefined);
    if (!info || info.mtimeMs < started) throw new Error(`dist/webview/${p}.js was not rebuilt. ${failure}`);
  }
}

export interface Served {
  url: string;
  /** The nonce of every page served, in order. */
  nonces: string[];
  close(): Promise<void>;
}

/** A loopback server for the panel pages and bundles; its origin plays the webview's resource origin. */
export async function serve(): Promise<Served> {
  const nonces: string[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const page = /^\/panel\/(\w+)$/.exec(url.pathname)?.[1];
    if (page && (PANELS as readonly string[]).includes(page)) {
      const nonce = newNonce();
      nonces.push(nonce);
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(renderPanelHtml({ title: url.searchParams.get('title') ?? page, scriptUri: `/dist/${page}.js`, nonce }));
      return;
    }
    const bundle = /^\/dist\/(\w+)\.js$/.exec(url.pathname)?.[1];
    if (bundle && (PANELS as readonly string[]).includes(bundle)) {
      readFile(path.join(ROOT, 'dist/webview', `${bundle}.js`)).then(
        (body) => {
          res.writeHead(200, { 'content-type': 'text/javascript' });
          res.end(body);
        },
        () => {
          res.writeHead(500);
          res.end();
        },
      );
      return;
    }
    res.writeHead(404);
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    nonces,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * Runs in the page before its own scripts (not subject to its CSP, like VS Code's own code):
 * the fake `acquireVsCodeApi` and the theme. State lives in sessionStorage so that a reload,
 * which is what VS Code does to a hidden, non-retained webview, keeps it.
 */
function installHost(theme: { bodyClass: string; vars: Record<string, string> }): void {
  const w = globalThis as unknown as PageGlobals;
  const { document, sessionStorage } = w;
  const sent: unknown[] = [];
  w.__sent = sent;
  w.__cspViolations = [];
  let acquired = false;
  const clone = (v: unknown): unknown => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));
  w.acquireVsCodeApi = () => {
    if (acquired) throw new Error('An instance of the VS Code API has already been acquired');
    acquired = true;
    return {
      postMessage(message: unknown) {
        sent.push(clone(message));
        w.__toHost?.(clone(message));
      },
      getState() {
        const s = sessionStorage.getItem('__state');
        return s === null ? undefined : JSON.parse(s);
      },
      setState(state: unknown) {
        const all = JSON.parse(sessionStorage.getItem('__states') ?? '[]') as unknown[];
        all.push(clone(state) ?? null);
        sessionStorage.setItem('__states', JSON.stringify(all));
        if (state === undefined) sessionStorage.removeItem('__state');
        else sessionStorage.setItem('__state', JSON.stringify(state));
        return state;
      },
    };
  };
  document.addEventListener('securitypolicyviolation', (e) => {
    w.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`);
  });
  document.addEventListener('DOMContentLoaded', () => {
    for (const [k, v] of Object.entries(theme.vars)) document.documentElement.style.setProperty(k, v);
    document.body.classList.add(theme.bodyClass);
  });
}

export class PanelPage {
  constructor(readonly page: Page) {}

  /** Everything the page posted to the host, in order. */
  sent(): Promise<unknown[]> {
    return this.page.evaluate(() => (globalThis as unknown as PageGlobals).__sent);
  }

  /** Every setState call, across reloads. */
  states(): Promise<unknown[]> {
    return this.page.evaluate(() => JSON.parse((globalThis as unknown as PageGlobals).sessionStorage.getItem('__states') ?? '[]') as unknown[]);
  }

  violations(): Promise<string[]> {
    return this.page.evaluate(() => (globalThis as unknown as PageGlobals).__cspViolations);
  }

  /** A message from the host, delivered as VS Code does: a `message` event on the window. */
  async deliver(message: HostToWebview): Promise<void> {
    await this.page.evaluate((m) => (globalThis as unknown as PageGlobals).postMessage(m, '*'), message);
  }

  /** Waits until the page has posted `count` messages, and returns the last. */
  async waitForSent(count: number): Promise<unknown> {
    await this.page.waitForFunction((n) => (globalThis as unknown as PageGlobals).__sent.length >= n, count);
    const all = await this.sent();
    return all[count - 1];
  }

  screenshot(name: string): Promise<Buffer> {
    return this.page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
  }
}

export async function openPanel(
  browser: Browser,
  served: Served,
  panel: PanelName,
  o: { theme?: ThemeName; width?: number; height?: number; beforeLoad?: (page: Page) => Promise<unknown> } = {},
): Promise<PanelPage> {
  const context = await browser.newContext({ viewport: { width: o.width ?? 760, height: o.height ?? 700 } });
  const page = await context.newPage();
  await page.addInitScript(installHost, THEMES[o.theme ?? 'dark']);
  await o.beforeLoad?.(page);
  await page.goto(`${served.url}/panel/${panel}`);
  return new PanelPage(page);
}

/**
 * Ticks (or clears) a @vscode-elements checkbox as a person does, with a click on it: the role finds
 * the element's inner input, which its own label covers, so the click goes to the element itself.
 */
export async function tick(box: import('playwright-core').Locator, on = true): Promise<void> {
  if ((await box.isChecked()) === on) return;
  const host = (await box.evaluateHandle((el) => (el.getRootNode() as unknown as { host: unknown }).host)).asElement();
  if (host === null) throw new Error('the checkbox is not inside a vscode-checkbox');
  await host.click();
  if ((await box.isChecked()) !== on) throw new Error(`the checkbox did not become ${on ? 'ticked' : 'clear'}`);
}

/** The problem shown for a control: the visible `.problem` among its aria-describedby elements. */
export function problemOf(locator: import('playwright-core').Locator): Promise<string | null> {
  return locator.evaluate((el) => {
    const { document } = globalThis as unknown as PageGlobals;
    for (const id of (el.getAttribute('aria-describedby') ?? '').split(' ')) {
      const d = id ? document.getElementById(id) : null;
      if (d?.classList.contains('problem') && !d.hidden) return d.textContent;
    }
    return null;
  });
}

/** What can take focus in the forms: native controls and the @vscode-elements checkboxes and radios. */
const CONTROLS = 'input, button, textarea, select, vscode-checkbox, vscode-radio';

/**
 * Presses Tab from the top of the page until focus comes back round, and returns a description
 * of each control reached: its role-ish tag and accessible label.
 */

export async function tabOrder(page: Page, max = 80): Promise<string[]> {
  await page.evaluate(() => (globalThis as unknown as PageGlobals).document.activeElement?.blur());
  const seen: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const d = await page.evaluate((controls) => {
      const { document } = globalThis as unknown as PageGlobals;
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const index = [...document.querySelectorAll(controls)].indexOf(el);
      return `${index}:${el.tagName.toLowerCase()}`;
    }, CONTROLS);
    if (d === null) continue;
    // A date input takes one Tab per part (day, month, year): it is one control in the order.
    if (d === seen[seen.length - 1]) continue;
    if (seen.includes(d)) break;
    seen.push(d);
  }
  // One full cycle; start it at the first control in document order to compare with allControls.
  const first = seen.reduce((best, d, i) => (parseInt(d, 10) < parseInt(seen[best] ?? '', 10) ? i : best), 0);
  return [...seen.slice(first), ...seen.slice(0, first)];
}

/** The same description for every enabled, visible control on the page. */
export function allControls(page: Page): Promise<string[]> {
  return page.evaluate((controls) =>
    ([...(globalThis as unknown as PageGlobals).document.querySelectorAll(controls)] as unknown as Array<{ disabled: boolean; tagName: string; type: string; checked: boolean; getClientRects(): { length: number } }>)
      .map((el, index) => ({ el, index }))
      .filter(({ el }) => !el.disabled && el.getClientRects().length > 0)
      // Tab reaches the checked radio of a group; arrows move within it.
      .filter(({ el }) => !((el.tagName === 'INPUT' && el.type === 'radio') || el.tagName === 'VSCODE-RADIO') || el.checked)
      .map(({ el, index }) => `${index}:${el.tagName.toLowerCase()}`),
  CONTROLS);
}

/** Controls in the accessibility tree without a name (the aria snapshot prints names in quotes). */
export async function unnamedControls(page: Page): Promise<string[]> {
  const snapshot = await page.locator('body').ariaSnapshot();
  return snapshot
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^- (textbox|searchbox|checkbox|radio|button|combobox)\b/.test(l) && !/^- \w+ "/.test(l));
}
