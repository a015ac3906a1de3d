// Diagnostics for secrets exposed by the code itself: `hardcoded-secret`, a credential written as a
// literal (found by credentials/), and `secret-in-log`, a secret's value flowing into a log, the
// output or an error message (found by leaks/). Messages name the kind of credential, the secret
// and the sink; never any part of a value. The literal's text stays in the document: the quick fix
// gets ranges only.

import type { Diagnostic, DiagnosticRelatedInformation, Range } from 'vscode-languageserver-types';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { DIAGNOSTIC_SOURCE } from '../../../../protocol/diagnosticCodes';
import type { NamingStyle } from '../../../../protocol/names';
import type { VaultModel } from '../model/model';
import type { ScanResult } from '../analyze';
import { anyKeySensitive, isKeySensitive } from '../../../../protocol/keySensitivity';
import { MAX_CALL_DEPTH } from '../leaks/follow';
import type { FlowStep, LeakOrigin, SecretLeak, UnfollowedCalls } from '../leaks/types';
import { counts } from '../scan/references';
import type { SecretReference } from '../scan/types';
import { conditionText, reportedCandidates } from './candidates';
import { PROCESS_ENVIRONMENT, rangeOf, type DiagnosticData } from './common';
import { credentialName, quoted, scrubQuoted, withArticle } from './quoting';
import { code, escapeMarkdown } from './markdown';

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

/** A leak the diagnostics report: its sink and the origins that expose a credential, in the order found. */
export interface ReportedLeak {
  leak: SecretLeak;
  origins: LeakOrigin[];
}

/**
 * The leaks of a document that `secret-in-log` reports, each with the origins that count: a read
 * that counts in the account's naming style, of a secret whose value there is a credential
 * (exposesCredential). The diagnostics and the hover that lists a leak's whole path share it.
 */
export function reportedLeaks(result: ScanResult, model: VaultModel): ReportedLeak[] {
  const style = model.namingStyle;
  const out: ReportedLeak[] = [];
  for (const leak of result.leaks) {
    let origins: LeakOrigin[] | null = null;
    for (const o of leak.origins) {
      // os.environ / process.env reads are secrets only in environment-style accounts.
      const counted = counts(o.source, style) && (o.source.form !== 'env' || isEnvSecret(o.source.name, model)) && exposesCredential(o, model);
      if (counted) (origins ??= []).push(o);
    }
    if (origins !== null) out.push({ leak, origins });
  }
  return out;
}

/** The names a read may take that the chosen environment reports: its literal, or its candidates; none when unknown. */
function namesOf(ref: SecretReference, model: VaultModel): string[] {
  if (ref.name !== null) return [ref.name];
  if (!ref.candidates) return [];
  const taken = reportedCandidates(ref, model.environment);
  return (taken.length > 0 ? taken : ref.candidates).map((c) => c.name);
}

/**
 * Whether what reaches the sink is a credential: a single value always; a key of a key/value
 * secret when that key is sensitive (its mark, else the default its name implies); the whole value,
 * or a key it does not have, when any of its keys is. A secret the metadata does not have (or a
 * name not known) counts, as before there were marks.
 */
export function exposesCredential(o: LeakOrigin, model: VaultModel): boolean {
  const names = namesOf(o.source, model);
  if (names.length === 0) return true;
  for (const name of names) {
    const entry = model.ready ? model.secret(name) : undefined;
    if (entry === undefined || entry.info.kind !== 'kv') return true;
    const marks = entry.info.keySensitivity;
    if (o.key !== null && entry.keys.has(o.key) ? isKeySensitive(o.key, marks) : anyKeySensitive(entry.info.keys, marks)) return true;
  }
  return false;
}

/** At most this many secrets are named in a message. */
const MAX_NAMED = 3;

/** `'a'`, `'a' or 'b'`, `'a', 'b' or 'c'`, `'a', 'b', 'c' or 2 more` (with `and`: the same joined so). */
function alternatives(items: readonly string[], conjunction = 'or'): string {
  if (items.length <= 1) return items[0] ?? '';
  if (items.length > MAX_NAMED) return `${items.slice(0, MAX_NAMED).join(', ')} ${conjunction} ${items.length - MAX_NAMED} more`;
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`;
}

/**
 * What reaches the sink, for the message: `The value of secret 'x'`, `The value of key 'API_KEY' of
 * secret 'x' or 'y'`, `A secret's value` (a name not known). One phrase for all the origins, so that
 * one leak is one message.
 */
export function leakSubject(origins: readonly LeakOrigin[], model: VaultModel): string {
  const names: string[] = [];
  let computed = false;
  const keys: string[] = [];
  let whole = false;
  for (const o of origins) {
    const own = namesOf(o.source, model);
    if (own.length === 0) computed = true;
    for (const n of own) if (!names.includes(n)) names.push(n);
    if (o.key === null) whole = true;
    else if (!keys.includes(o.key)) keys.push(o.key);
  }
  const several = !whole && keys.length > 1;
  const keyPart = whole || keys.length === 0 ? '' : `${several ? 'keys' : 'key'} ${alternatives(keys.map(quoted), 'and')} of `;
  const head = several ? 'The values of' : 'The value of';
  if (names.length === 0) return keyPart === '' ? "A secret's value" : `${head} ${keyPart}a secret whose name is computed`;
  const named = names.map(quoted);
  if (computed) named.push('a secret whose name is computed');
  return `${head} ${keyPart}secret ${alternatives(named)}`;
}

/** The steps a leak lists between its read and its sink in the Problems panel; the hover lists them all. */
export const MAX_LISTED_STEPS = 3;

/** How much a step between the read and the sink says: which key, how the value was changed, then the names it went by. */
function telling(message: string): number {
  if (message.startsWith('read key ') || message.startsWith('read attribute ')) return 3;
  if (/^(assigned to|unpacked into|iterated into) /.test(message)) return 1;
  if (message.startsWith('… ')) return 0;
  return 2;
}

/**
 * A path as the Problems panel lists it: the read, at most MAX_LISTED_STEPS steps between (the
 * most telling: the key read, the formatting that put the value into the message, the last name it
 * had), and the sink, whose line says how many were left out.
 */
export function listedSteps(steps: readonly FlowStep[]): FlowStep[] {
  if (steps.length <= MAX_LISTED_STEPS + 2) return [...steps];
  const between = steps.slice(1, -1).map((step, i) => ({ step, i, score: telling(step.message) }));
  // By how telling; among key reads the first (the secret's key), among the others the nearest the sink.
  between.sort((a, b) => b.score - a.score || (a.score === 3 ? a.i - b.i : b.i - a.i));
  const kept = between.slice(0, MAX_LISTED_STEPS).sort((a, b) => a.i - b.i).map((x) => x.step);
  const left = steps.length - 2 - kept.length;
  const sink = steps[steps.length - 1]!;
  return [steps[0]!, ...kept, { span: sink.span, message: `${sink.message} (${left} ${left === 1 ? 'step' : 'steps'} before not listed: the hover shows the whole path)` }];
}

export function leakDiagnostics(doc: TextDocument, result: ScanResult, model: VaultModel): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const { leak, origins } of reportedLeaks(result, model)) {
    const first = origins[0]!;
    // The steps quote names and keys as written (leaks/): any that is a credential is described.
    const relatedInformation: DiagnosticRelatedInformation[] = listedSteps(first.steps).map((s) => ({
      location: { uri: doc.uri, range: rangeOf(doc, s.span) },
      message: scrubQuoted(s.message),
    }));
    // The other secrets it may hold: where each is read (the hover has their paths).
    for (const o of origins.slice(1, 1 + MAX_OTHER_READS)) {
      const read = o.steps[0]!;
      relatedInformation.push({ location: { uri: doc.uri, range: rangeOf(doc, read.span) }, message: scrubQuoted(`or ${read.message}`) });
    }
    const name = first.source.name;
    const subject = leakSubject(origins, model);
    const plural = subject.startsWith('The values');
    const data: DiagnosticData = { name: name !== null && credentialName(name) !== null ? null : name };
    out.push({
      range: rangeOf(doc, first.span),
      severity: DiagnosticSeverity.Warning,
      code: 'secret-in-log',
      source: DIAGNOSTIC_SOURCE,
      message: `${subject} ${plural ? 'reach' : 'reaches'} ${leak.sink}, so ${plural ? 'they' : 'it'} would be written where logs and errors are kept. Log something that is not the value (whether it is set, its length, a masked or hashed form).`,
      relatedInformation,
      data,
    });
  }
  const cut = result.leaksUnfollowed;
  if (cut !== undefined) {
    out.push({
      range: rangeOf(doc, cut.span),
      severity: DiagnosticSeverity.Information,
      code: 'leak-check-incomplete',
      source: DIAGNOSTIC_SOURCE,
      message: unfollowedMessage(cut),
      data: { name: null },
    });
  }
  return out;
}

/** How long the callee is quoted in the leak-check-incomplete message. */
const MAX_CALLEE = 60;

/** The leak-check-incomplete message: which call, how many more, why, and what would let the check follow them. */
function unfollowedMessage(cut: UnfollowedCalls): string {
  const others = cut.calls - 1;
  const more = others === 0 ? '' : ` (and ${others} other call${others === 1 ? '' : 's'} in this file)`;
  const why =
    cut.reason === 'depth'
      ? `calls nest more than ${MAX_CALL_DEPTH} deep here and the check follows none deeper`
      : "the analysis of one file is bounded by the file's size and following this file's calls used all of it";
  return `The leak check did not follow this call into \`${conditionText(cut.callee, MAX_CALLEE)}\`${more}, which may carry a secret: ${why}. A secret's value passed through it to a log, the output or an error message is not reported. Smaller functions, or fewer levels of calls, let the check follow it.`;
}

/** The reads of a leak's other origins listed under it. */
const MAX_OTHER_READS = 2;

/** A step as the hover lists it: `[file.py:14](uri#L14) read key 'API_KEY'`. */
function stepLine(doc: TextDocument, step: FlowStep, file: string): string {
  const line = doc.positionAt(step.span.start).line + 1;
  return `[${escapeMarkdown(file)}:${line}](${doc.uri}#L${line}) ${escapeMarkdown(scrubQuoted(step.message))}`;
}

/**
 * The hover on a reported leak's range: every step of its path, each a link to its line, for each
 * secret it may hold (the Problems panel lists only a few); null when no leak is reported there.
 */
export function leakPathMarkdown(doc: TextDocument, result: ScanResult, model: VaultModel, offset: number): { value: string; range: Range } | null {
  if (result.leaks.length === 0) return null;
  const found = reportedLeaks(result, model).find(({ origins }) => origins[0]!.span.start <= offset && offset <= origins[0]!.span.end);
  if (found === undefined) return null;
  const { leak, origins } = found;
  const file = fileName(doc.uri);
  const parts = [`**${escapeMarkdown(leakSubject(origins, model))}** reaches ${code(leak.sink)}: the whole path.`];
  for (const o of origins) {
    const head = origins.length > 1 ? `${escapeMarkdown(leakSubject([o], model))}:\n\n` : '';
    parts.push(`${head}${o.steps.map((st, i) => `${i + 1}. ${stepLine(doc, st, file)}`).join('\n')}`);
  }
  return { value: parts.join('\n\n'), range: rangeOf(doc, origins[0]!.span) };
}

/** The last segment of a URI, decoded (`my file.py`), for a link's text. */
function fileName(uri: string): string {
  const last = uri.slice(uri.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}
