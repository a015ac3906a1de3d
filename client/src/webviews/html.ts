// The HTML of a form panel. It holds no data: the form's data arrives by postMessage after the
// script says `ready`. Shared by the extension host and the Chromium tests, so that the tests load
// exactly what VS Code loads.

import { randomBytes } from 'node:crypto';

/** A fresh nonce per render: 128 random bits. */
export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

/**
 * `default-src 'none'` and only what the page needs: its one script, by nonce. Styles are a
 * constructed stylesheet made by that script, which needs no `style-src`; no images, fonts or
 * connections. `base-uri` and `form-action` are not covered by `default-src`, so they are closed too.
 */
export function contentSecurityPolicy(nonce: string): string {
  return [`default-src 'none'`, `script-src 'nonce-${nonce}'`, `base-uri 'none'`, `form-action 'none'`].join('; ');
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface PanelHtmlOptions {
  title: string;
  /** The panel's bundle, as a webview URI (`webview.asWebviewUri`). */
  scriptUri: string;
  nonce: string;
}

export function renderPanelHtml(o: PanelHtmlOptions): string {
  const nonce = escapeHtml(o.nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy(o.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(o.title)}</title>
</head>
<body>
<main aria-busy="true"><p class="loading">Loading…</p></main>
<script nonce="${nonce}" src="${escapeHtml(o.scriptUri)}"></script>
</body>
</html>
`;
}
