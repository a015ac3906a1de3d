// The code a function author pastes to read a secret, rendered from templates the user may
// override in settings. `${name}` and `${key}` are the placeholders. Names are printable text
// (`Bob's key`): a placeholder right after a string's opening quote is filled escaped for
// that literal (protocol/nameLiterals.ts, the rule completion uses), so the string stays valid.

import type { SecretKind } from '../../../protocol/api';
import { escapeInLiteral, quotingOf } from '../../../protocol/nameLiterals';
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
  return fill(template, { name: req.name, key: req.key ?? '' }, !(req.languageId && JS_LANGUAGES.has(req.languageId)));
}

function withoutBlanks(t: Partial<SnippetTemplates> | undefined): Partial<SnippetTemplates> {
  const out: Partial<SnippetTemplates> = {};
  for (const [k, v] of Object.entries(t ?? {}) as [keyof SnippetTemplates, unknown][]) {
    if (typeof v === 'string' && v.trim() !== '') out[k] = v;
  }
  return out;
}

/** A string literal's opening right before a placeholder: Python's prefixes (`f'`, `rb"`) and quotes, or a JS quote. */
const OPENING = /(?:^|[^\w])([rRbBuUfFtT]{0,2}(?:'''|"""|'|"|`))$/;

function fill(template: string, values: { name: string; key: string }, python: boolean): string {
  return template.replace(/\$\{(name|key)\}/g, (_, field: 'name' | 'key', offset: number) => {
    const opening = OPENING.exec(template.slice(0, offset))?.[1];
    const quoting = opening === undefined ? undefined : quotingOf(opening, python);
    if (quoting === undefined) return values[field];
    const escaped = escapeInLiteral(values[field], quoting);
    if (escaped === undefined) throw new Error(`The ${field} '${values[field]}' cannot be written inside the raw string of this snippet template: change the template (secretsVault.snippets).`);
    return escaped;
  });
}
