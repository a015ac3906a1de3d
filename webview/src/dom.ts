// A tiny element builder. Text always goes in as text nodes, never as HTML, so names and
// descriptions from the vault cannot inject markup; and no `style` attributes (the CSP forbids them).
// Invisible characters (zero-width, tag characters) in that text show as escapes (`\u200b`), so text
// a vault held before it refused them cannot pass for other text.

import { showInvisible } from '../../protocol/safeText';

type Attr = string | number | boolean | undefined | null;
export type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, Attr> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

export function append(parent: Node, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    parent.appendChild(typeof c === 'string' ? document.createTextNode(showInvisible(c)) : c);
  }
}

let counter = 0;
/** A document-unique id for label/description wiring. */
export function uid(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}`;
}

/** Show or hide with the `hidden` attribute (styled as display: none). */
export function show(el: HTMLElement, visible: boolean): void {
  el.hidden = !visible;
}
