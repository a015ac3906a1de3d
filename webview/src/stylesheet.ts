// Applies the panels' stylesheet as a constructed stylesheet. Adopted sheets are created by our own
// (nonce-approved) script, so the CSP needs no `style-src` at all: no inline styles, no style files.
import css from './styles.css';

export function adoptStylesheet(): void {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}
