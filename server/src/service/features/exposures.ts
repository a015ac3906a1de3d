// Diagnostics for secrets exposed by the code itself: `hardcoded-secret`, a credential written as a
// literal (found by credentials/), and `secret-in-log`, a secret's value flowing into a log, the
// output or an error message (found by leaks/). Messages name the kind of credential, the secret
// and the sink; never any part of a value. The literal's text stays in the document: the quick fix
// gets ranges only.

import type { Diagnostic, DiagnosticRelatedInformation } from 'vscode-languageserver-types';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { DIAGNOSTIC_SOURCE } from '../../../../protocol/lsp';
import type { NamingStyle } from '../../../../protocol/names';
import type { VaultModel } from '../model/model';
import type { ScanResult } from '../analyze';
import { counts } from '../scan/references';
import { PROCESS_ENVIRONMENT, rangeOf, type DiagnosticData } from './common';
import { credentialName, quoted, scrubQuoted, withArticle } from './quoting';

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
    // The steps quote names and keys as written (leaks/): any that is a credential is described.
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
