// Diagnostics for secrets exposed by the code itself (issue 17): `hardcoded-secret`, a credential
// written as a literal (found by credentials/), and `secret-in-log`, a secret's value flowing into
// a log, the output or an error message (found by flows/). Messages name the kind of credential,
// the secret and the sink; never any part of a value. The literal's text stays in the document:
// the quick fix gets ranges only.

import type { Diagnostic, DiagnosticRelatedInformation } from 'vscode-languageserver-types';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { DIAGNOSTIC_SOURCE } from '../../../../protocol/lsp';
import { namePattern, type NamingStyle } from '../../../../protocol/names';
import type { HardcodedFinding } from '../credentials';
import type { VaultModel } from '../model/model';
import type { ScanResult } from '../analyze';
import { counts } from '../scan/references';
import { PROCESS_ENVIRONMENT, rangeOf, type DiagnosticData } from './common';
import { lexPython } from '../scan/pythonLexer';
import { CLOSE, LINE, OP, OPEN, OP_COLON, TokenBuffer, lowerBound, tokenIs } from '../scan/tokens';
import { credentialName, quoted, scrubQuoted, withArticle } from './quoting';

/** Names that say only "a credential": the provider from the kind goes in front (`api_key` → `stripe_api_key`). */
const GENERIC_NAMES = new Set(['key', 'api_key', 'apikey', 'token', 'secret', 'password', 'passwd', 'pwd', 'auth', 'authorization', 'credential', 'credentials', 'value', 'access_token', 'secret_key', 'private_key', 'bearer']);
/** The first word of these kinds is not a provider. */
const NO_PROVIDER = new Set(['pem', 'json', 'url', 'authorization', 'password', 'private', 'secret', 'token', 'api', 'credential', 'secrets']);
const MAX_NAME = 64;

/** `stripeApiKey`, `STRIPE-KEY`, `Stripe secret key` → `stripe_api_key`, `stripe_key`, `stripe_secret_key`. */
function snake(text: string): string {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
}

/**
 * A name for the secret a hard-coded literal becomes: from the name it is assigned to or passed as,
 * with the provider in front when that name says only "key" or "token", else from its kind; in the
 * account's style, and free in the vault (`_2`, `_3`… when taken).
 */
export function suggestSecretName(finding: Pick<HardcodedFinding, 'context' | 'kind'>, style: NamingStyle | null, exists: (name: string) => boolean): string {
  // A kind is words ("SendGrid API key"): lower-cased as written, not split at its capitals.
  const kind = snake(finding.kind.toLowerCase());
  const provider = kind.split('_')[0] ?? '';
  // A context that is itself a credential (a dict keyed by a token) names nothing: judged as
  // written, before snake() lower-cases it out of every provider's format.
  const context = finding.context && credentialName(finding.context) === null ? (finding.context.split('.').pop() ?? finding.context) : '';
  let base = context !== '' && credentialName(context) === null ? snake(context) : '';
  if (base === '' || /^\d/.test(base)) base = kind;
  else if (GENERIC_NAMES.has(base) && provider && !NO_PROVIDER.has(provider) && !base.startsWith(provider)) base = `${provider}_${base}`;
  if (!/^[a-z]/.test(base)) base = `secret_${base}`;
  base = base.slice(0, MAX_NAME).replace(/_+$/, '');
  const styled = (n: string) => (style === 'UPPER_CASE' ? n.toUpperCase() : n);
  const valid = namePattern(style ?? 'snake_case');
  let name = styled(base);
  for (let i = 2; (exists(name) || !valid.test(name)) && i < 1000; i++) {
    const suffix = `_${i}`;
    name = styled(`${base.slice(0, MAX_NAME - suffix.length)}${suffix}`);
  }
  return name;
}

const scratch = new TokenBuffer();

/**
 * Python: whether the code at `offset` runs outside every function (at module or class level, or in
 * a `def` line's defaults and annotations), that is when the module is loaded, where the `conv` an
 * agent's function receives does not exist. Lexes the text (on request only: a quick fix).
 */
export function outsideFunction(text: string, offset: number): boolean {
  lexPython(text, scratch);
  const buf = scratch;
  let t = lowerBound(buf.start, buf.count, offset + 1) - 1;
  // The logical line the offset is on (a line inside brackets belongs to the statement that opened them).
  while (t >= 0 && buf.kind[t] !== LINE) t--;
  if (t < 0) return true;
  if (inBodyOnDefLine(text, buf, t, offset)) return false;
  // The lines indented less, outwards: the first `def` among them is a function the code is in.
  let indent = buf.aux[t]!;
  for (let k = t - 1; k >= 0 && indent > 0; k--) {
    if (buf.kind[k] !== LINE || buf.aux[k]! >= indent) continue;
    indent = buf.aux[k]!;
    if (defAt(text, buf, k + 1) >= 0) return false;
  }
  return true;
}

/** The token after `def`'s name when token `t` starts `def name` or `async def name`; else -1. */
function defAt(text: string, buf: TokenBuffer, t: number): number {
  if (tokenIs(text, buf, t, 'def')) return t + 2;
  if (tokenIs(text, buf, t, 'async') && tokenIs(text, buf, t + 1, 'def')) return t + 3;
  return -1;
}

/** Whether `offset` is in the body of a one-line `def` that starts at LINE token `line` (`def f(conv): return "…"`). */
function inBodyOnDefLine(text: string, buf: TokenBuffer, line: number, offset: number): boolean {
  const open = defAt(text, buf, line + 1);
  if (open < 0 || buf.kind[open] !== OPEN || buf.match[open]! < 0) return false;
  // After the parameters, an optional `-> annotation`, then the colon that starts the body.
  for (let k = buf.match[open]! + 1; k < buf.count && buf.kind[k] !== LINE; k++) {
    if (buf.kind[k] === OPEN && buf.match[k]! > k) k = buf.match[k]!;
    else if (buf.kind[k] === OP && buf.aux[k] === OP_COLON) return offset >= buf.end[k]!;
    else if (buf.kind[k] === CLOSE) return false;
  }
  return false;
}

function readHint(style: NamingStyle | null, languageId: string): string {
  if (style === 'UPPER_CASE') return /^(java|type)script/.test(languageId) ? 'read it from process.env' : 'read it from os.environ';
  return 'read it with get_secret';
}

export function hardcodedDiagnostics(doc: TextDocument, result: ScanResult, model: VaultModel): Diagnostic[] {
  return result.hardcoded.map((f) => {
    // The name it is assigned to, unless that name is a credential too (a dict keyed by a token).
    const keyedBy = f.context === null ? null : credentialName(f.context);
    const where = f.context === null ? '' : keyedBy === null ? ` in '${f.context}'` : ` under a name that is itself ${withArticle(keyedBy.kind)} (not shown)`;
    const data: DiagnosticData = { name: null, rule: f.rule };
    return {
      range: rangeOf(doc, f.span),
      severity: DiagnosticSeverity.Warning,
      code: 'hardcoded-secret',
      source: DIAGNOSTIC_SOURCE,
      message: `Hard-coded ${f.kind}${where}: anyone who can read this code has it. Move it to the vault and ${readHint(model.namingStyle, doc.languageId)}.`,
      data,
    };
  });
}

/**
 * Whether an environment variable read in an environment-style account holds one of the vault's
 * secrets: with the vault's metadata, a secret of that name; without it, any name but the variables
 * every process has. Functions read configuration from the environment too, and
 * `print(os.environ['HTTP_PROXY'])` or `log.warn(os.environ[var])` logs no secret.
 */
function isEnvSecret(name: string | null, model: VaultModel): boolean {
  if (name === null) return false;
  return model.ready ? model.secret(name) !== undefined : !PROCESS_ENVIRONMENT.has(name);
}

export function leakDiagnostics(doc: TextDocument, result: ScanResult, model: VaultModel): Diagnostic[] {
  const style = model.namingStyle;
  const out: Diagnostic[] = [];
  for (const leak of result.leaks) {
    // os.environ / process.env reads are secrets only in environment-style accounts.
    if (!counts(leak.source, style)) continue;
    if (leak.source.form === 'env' && !isEnvSecret(leak.source.name, model)) continue;
    const name = leak.source.name;
    const what = name === null ? "A secret's value" : `The value of secret ${quoted(name)}`;
    // The steps quote names and keys as written (flows/): any that is a credential is described.
    const relatedInformation: DiagnosticRelatedInformation[] = leak.steps.map((s) => ({
      location: { uri: doc.uri, range: rangeOf(doc, s.span) },
      message: scrubQuoted(s.message),
    }));
    const data: DiagnosticData = { name: name !== null && credentialName(name) !== null ? null : name };
    out.push({
      range: rangeOf(doc, leak.span),
      severity: DiagnosticSeverity.Warning,
      code: 'secret-in-log',
      source: DIAGNOSTIC_SOURCE,
      message: `${what} reaches ${leak.sink}, so it would be written where logs and errors are kept. Log something that is not the value (whether it is set, its length, a masked or hashed form).`,
      relatedInformation,
      data,
    });
  }
  return out;
}
