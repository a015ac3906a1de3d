// The browser globals that page-side callbacks (page.evaluate, addInitScript) use. The test program
// is compiled without the DOM library (it is Node code), so these callbacks take what they need
// from `globalThis` through this small structural type. Types only: nothing here runs.

export interface PageElement {
  id: string;
  tagName: string;
  type: string;
  value: string;
  checked: boolean;
  disabled: boolean;
  hidden: boolean;
  textContent: string | null;
  innerHTML: string;
  innerText: string;
  outerHTML: string;
  src: string;
  classList: { contains(name: string): boolean; add(name: string): void };
  style: { setProperty(name: string, value: string): void };
  ownerDocument: PageDocument;
  getAttribute(name: string): string | null;
  getClientRects(): { length: number };
  appendChild(child: PageElement): void;
  blur(): void;
}

export interface PageDocument {
  activeElement: PageElement | null;
  body: PageElement;
  documentElement: PageElement;
  getElementById(id: string): PageElement | null;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): Iterable<PageElement>;
  createElement(tag: string): PageElement;
  addEventListener(type: string, listener: (event: { violatedDirective: string; blockedURI: string }) => void): void;
}

export interface PageGlobals {
  document: PageDocument;
  sessionStorage: { getItem(key: string): string | null; setItem(key: string, value: string): void; removeItem(key: string): void };
  postMessage(message: unknown, targetOrigin: string): void;
  getComputedStyle(el: PageElement): { backgroundColor: string; color: string };
  __sent: unknown[];
  __cspViolations: string[];
  __pwned?: number;
  __toHost?: (message: unknown) => void;
  acquireVsCodeApi?: () => unknown;
}
