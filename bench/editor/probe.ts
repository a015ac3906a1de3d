// Completion latency as the page sees it. Before a measured keystroke the bench arms a probe in the
// page: a capture-phase keydown listener stamps the keystroke (performance.now()), and a
// MutationObserver re-checks the suggest widget after every DOM change from then on. The latency is
// the time from that keydown to the first DOM state where the widget is visible and its first row
// is the expected item: our kind of item (a Constant or Struct icon, which is what our server sends
// for secrets; word completion's items are Text) whose name starts with the prefix, or the exact
// word. The probe is page source (the root tsconfig has no DOM types).

import type { Page } from 'playwright-core';

export interface Expect {
  /** Codicon kinds the first row may have: `constant`, `struct` (ours), `text` (word completion). */
  kinds: string[];
  /** The first row's name starts with this… */
  prefix?: string;
  /** …or is exactly this. */
  exact?: string;
}

const PROBE_SOURCE = `(() => {
  let state = null;
  const firstRow = () => document.querySelector('.suggest-widget.visible .monaco-list-row[data-index="0"]');
  const matches = (spec) => {
    const row = firstRow();
    if (!row) return null;
    const name = (row.getAttribute('aria-label') || '').split(',')[0].trim();
    const icon = row.querySelector('[class*="codicon-symbol-"]');
    const cls = icon ? String(icon.className) : '';
    if (!spec.kinds.some((k) => cls.includes('codicon-symbol-' + k))) return null;
    if (spec.exact !== undefined ? name !== spec.exact : !name.startsWith(spec.prefix || '')) return null;
    return name;
  };
  window.__svProbe = {
    arm(key, spec) {
      if (state) state.cleanup();
      const s = { t0: null, t1: null, shown: null };
      const check = () => {
        if (s.t0 === null || s.t1 !== null) return;
        const m = matches(spec);
        if (m !== null) {
          s.t1 = performance.now();
          s.shown = m;
          s.cleanup();
        }
      };
      // Stamped before the editor sees the key; checked only on DOM changes after it.
      const onKey = (e) => { if (s.t0 === null && e.key === key) s.t0 = performance.now(); };
      const obs = new MutationObserver(check);
      obs.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
      window.addEventListener('keydown', onKey, true);
      s.cleanup = () => { obs.disconnect(); window.removeEventListener('keydown', onKey, true); };
      state = s;
    },
    result() { return state ? { t0: state.t0, t1: state.t1, shown: state.shown } : null; },
    disarm() { if (state) state.cleanup(); state = null; },
    firstRowLabel() {
      const r = firstRow();
      if (!r) return null;
      const icon = r.querySelector('[class*="codicon-symbol-"]');
      return r.getAttribute('aria-label') + ' [' + (icon ? String(icon.className) : 'no icon') + ']';
    },
  };
})()`;

export async function installProbe(page: Page): Promise<void> {
  await page.evaluate(PROBE_SOURCE);
}

export interface Measured {
  /** ms from keydown to the expected first row; `limitMs` when it never came. */
  ms: number;
  timedOut: boolean;
  /** The name shown; on a timeout, the first row's label and icon at the limit (null: no widget). */
  shown: string | null;
}

/** Arms the probe, presses `key`, and waits (at most `limitMs`) for the widget to show what `expect` says. */
export async function measureKey(page: Page, key: string, expect: Expect, limitMs: number): Promise<Measured> {
  await page.evaluate(`window.__svProbe.arm(${JSON.stringify(key)}, ${JSON.stringify(expect)})`);
  await page.keyboard.type(key);
  try {
    await page.waitForFunction('(() => { const r = window.__svProbe.result(); return r && r.t1 !== null; })()', undefined, { timeout: limitMs, polling: 50 });
  } catch {
    // fall through: counted at the limit
  }
  const r = await page.evaluate<{ t0: number | null; t1: number | null; shown: string | null } | null>('window.__svProbe.result()');
  await page.evaluate('window.__svProbe.disarm()');
  // On a timeout, what the first row was instead (if any), to tell "slow" from "something else shown".
  if (!r || r.t0 === null || r.t1 === null) return { ms: limitMs, timedOut: true, shown: await firstRowLabel(page) };
  return { ms: Math.min(r.t1 - r.t0, limitMs), timedOut: false, shown: r.shown };
}

export async function firstRowLabel(page: Page): Promise<string | null> {
  return page.evaluate<string | null>('window.__svProbe.firstRowLabel()');
}
