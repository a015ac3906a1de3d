// The code a function author pastes to read a secret, rendered from templates the user may
// override in settings. `${name}` and `${key}` are the placeholders. Names and keys follow
// protocol/names.ts, so they need no escaping inside the quotes of the templates.

import type { SecretKind } from '../../../protocol/api';
import type { NamingStyle } from '../../../protocol/names';

export interface SnippetTemplates {
  /** A secret read with get_secret. */
  getSecret: string;
  /** One key of a key/value secret. */
  getSecretKey: string;
  /** Environment-style accounts, Python. */
  pythonEnv: string;
  /** Environment-style accounts, JavaScript and TypeScript. */
  jsEnv: string;
}

export const DEFAULT_TEMPLATES: SnippetTemplates = {
  getSecret: "conv.utils.get_secret('${name}')",
  getSecretKey: "conv.utils.get_secret('${name}')['${key}']",
  pythonEnv: "os.environ['${name}']",
  jsEnv: 'process.env.${name}',
};

const JS_LANGUAGES = new Set(['javascript', 'typescript', 'javascriptreact', 'typescriptreact']);

export interface SnippetRequest {
  name: string;
  key?: string | undefined;
  kind: SecretKind;
  namingStyle: NamingStyle;
  /** The language of the editor it goes into; undefined (clipboard, no editor) means Python. */
  languageId?: string | undefined;
  templates?: Partial<SnippetTemplates> | undefined;
}

export function renderSnippet(req: SnippetRequest): string {
  const t = { ...DEFAULT_TEMPLATES, ...withoutBlanks(req.templates) };
  let template: string;
  // The runtime injects only single values into the environment; key/value secrets are read with
  // get_secret in every account.
  if (req.namingStyle === 'UPPER_CASE' && req.kind === 'single' && req.key === undefined) {
    template = req.languageId && JS_LANGUAGES.has(req.languageId) ? t.jsEnv : t.pythonEnv;
  } else {
    template = req.key === undefined ? t.getSecret : t.getSecretKey;
  }
  return fill(template, { name: req.name, key: req.key ?? '' });
}

function withoutBlanks(t: Partial<SnippetTemplates> | undefined): Partial<SnippetTemplates> {
  const out: Partial<SnippetTemplates> = {};
  for (const [k, v] of Object.entries(t ?? {}) as [keyof SnippetTemplates, unknown][]) {
    if (typeof v === 'string' && v.trim() !== '') out[k] = v;
  }
  return out;
}

function fill(template: string, values: { name: string; key: string }): string {
  return template.replace(/\$\{(name|key)\}/g, (_, field: 'name' | 'key') => values[field]);
}
