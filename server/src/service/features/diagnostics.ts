// Checks every secret reference of a document against the naming rules and the vault's metadata.
// Messages say what is wrong and what would fix it; they name secrets, keys and agents, never values.

import type { Diagnostic, DiagnosticRelatedInformation, Range } from 'vscode-languageserver-types';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { DIAGNOSTIC_SOURCE, type DiagnosticCode } from '../../../../protocol/diagnosticCodes';
import { checkSecretName, conventionalName, followsConvention, type NamingStyle } from '../../../../protocol/names';
import { lifecycleOf } from '../../../../protocol/lifecycle';
import { formatDate } from '../../../../protocol/dates';
import { safeText } from '../../../../protocol/safeText';
import type { VaultModel, SecretEntry } from '../model/model';
import type { ConfigField, KeyAccess, NameCandidate, SecretReference, Span } from '../scan/types';
import type { ScanResult } from '../analyze';
import { counts, isMissingArgument } from '../scan/references';
import { nearestAmong } from '../model/nearest';
import { hardcodedDiagnostics, leakDiagnostics } from './exposures';
import { PROCESS_ENVIRONMENT, RangeCursor, type CandidateLocation, type DiagnosticData, type LineStarts, type RangeFinder } from './common';
import { credentialName, credentialOfRead, quoted, quotedSecret, withArticle } from './quoting';
import { candidateLead, candidateLocation, candidateRelated, conditionText, readIn, readLead, takenIn, type Locate } from './candidates';
import type { CredentialVerdict } from '../credentials';

const MISSING_NAME_MESSAGE =
  "This reads a secret without naming it: the call fails at run time. Pass the secret's name, for example get_secret('stripe_api_key') or get_secret(secret_name='stripe_api_key').";

/** At most this many agents are listed in a message; the hover lists them all. */
const MAX_LISTED = 5;

/** Whether the read's call or subscript is closed (`…)` or `…]`), so that what it holds is final; a configuration field always is. */
function readFinished(doc: TextDocument, ref: SecretReference): boolean {
  if (ref.form === 'config') return true;
  const last = doc.getText().charCodeAt(ref.span.end - 1);
  return last === 41 /* ) */ || last === 93 /* ] */;
}

/**
 * Whether the call is the platform's own read, whose call without a name fails: `conv.utils.get_secret`
 * (any receiver ending in `utils`), an imported or aliased `get_secret`, or `secret_vault`. Another
 * object's `get_secret()` (an SDK's, taking its name from elsewhere) is some other API.
 */
function platformRead(doc: TextDocument, ref: SecretReference): boolean {
  const text = doc.getText();
  const open = text.indexOf('(', ref.span.start);
  if (open < 0 || open >= ref.span.end) return false;
  const callee = text.slice(ref.span.start, open).replace(/\s+/g, '');
  const dot = callee.lastIndexOf('.');
  if (dot < 0) return true; // a bare name is a read only when imported from the platform (scan/calls.ts)
  const method = callee.slice(dot + 1);
  if (method === 'secret_vault') return true;
  const receiver = callee.slice(0, dot);
  return method === 'get_secret' && (receiver === 'utils' || receiver.endsWith('.utils'));
}

/**
 * What the checks make of one name for one agent, in whatever read: every edit re-checks the same
 * names, so this is worked out once per state of the model (verdictsFor). The messages that quote
 * nothing but the name and the vault are made when first needed and kept with it.
 */
interface NameVerdict {
  /** The name, as a string of its own: what the memo keeps outlives the document's text. */
  readonly name: string;
  /** The credential written where the name goes (credentialRead). */
  readonly credential: CredentialVerdict | null;
  /** Why it cannot be a secret name (nameProblem). */
  readonly invalid: string | undefined;
  /** The vault's secret of that name; undefined for an unknown name and before the vault is ready. */
  readonly entry: SecretEntry | undefined;
  /** Off the account's convention where that is reported: on a secret the vault has, or while it cannot say. */
  readonly offConvention: boolean;
  /** The agent has no access to the secret. */
  readonly denied: boolean;
  /** A request for the agent's access waits for an admin. */
  readonly pending: boolean;
  /** The name as messages quote it (quoted). */
  quoted: string | undefined;
  invalidMessage: string | undefined;
  conventionMessage: string | undefined;
  unknownMessage: string | undefined;
  notGrantedMessage: string | undefined;
  /** A candidate's: the words after its lead ("which does not exist …"). */
  conventionClause: string | undefined;
  unknownClause: string | undefined;
  notGrantedClause: string | undefined;
}

/** The verdicts of one model state, per agent (null: none). */
interface VerdictMemo {
  generation: number;
  byAgent: Map<string | null, Map<string, NameVerdict>>;
}

const verdictMemos = new WeakMap<VaultModel, VerdictMemo>();

/** Names kept per agent: a workspace's; past that (typing makes a name per keystroke) they start afresh. */
const MAX_VERDICTS = 20_000;

/** The verdicts for `agent`'s documents, valid while the model stays as it is (its generation). */
function verdictsFor(model: VaultModel, agent: string | null): Map<string, NameVerdict> {
  let memo = verdictMemos.get(model);
  if (memo === undefined || memo.generation !== model.generation) {
    memo = { generation: model.generation, byAgent: new Map() };
    verdictMemos.set(model, memo);
  }
  let verdicts = memo.byAgent.get(agent);
  if (verdicts === undefined || verdicts.size >= MAX_VERDICTS) {
    verdicts = new Map();
    memo.byAgent.set(agent, verdicts);
  }
  return verdicts;
}

function verdictOf(verdicts: Map<string, NameVerdict>, name: string, model: VaultModel, agent: string | null): NameVerdict {
  let v = verdicts.get(name);
  if (v === undefined) {
    const style = model.namingStyle;
    const entry = model.ready ? model.secret(name) : undefined;
    // A name sliced from a document would keep the whole text alive for as long as the memo
    // holds it (or a message made from it): the vault's own string, else a copy.
    const own = entry?.info.name ?? structuredClone(name);
    v = {
      name: own,
      credential: credentialOfRead(own, entry),
      invalid: nameProblem(own, style),
      entry,
      offConvention: style !== null && !followsConvention(own, style) && (entry !== undefined || !model.ready),
      denied: entry !== undefined && agent !== null && !entry.agents.has(agent),
      pending: agent !== null && model.isPending(own, agent),
      quoted: undefined,
      invalidMessage: undefined,
      conventionMessage: undefined,
      unknownMessage: undefined,
      notGrantedMessage: undefined,
      conventionClause: undefined,
      unknownClause: undefined,
      notGrantedClause: undefined,
    };
    verdicts.set(own, v);
  }
  return v;
}

/**
 * `nowMs` decides what is expired or due for rotation: the caller's clock, so that a session can
 * say when the answer next changes (protocol/lifecycle.ts) and tests can pick a time. `locate` gives
 * the other documents a computed name's literal may be in (a constant imported from another module),
 * for the related information and quick fixes that point there. `lines`: where ranges take line
 * starts from (RangeCursor): `fresh` for a document made for this one pass (`check`).
 */
export function computeDiagnostics(doc: TextDocument, result: ScanResult, model: VaultModel, nowMs: number = Date.now(), locate?: Locate, lines: LineStarts = 'document'): Diagnostic[] {
  const out: Diagnostic[] = [];
  const style = model.namingStyle;
  const agent = model.agentFor(doc.uri);
  const verdicts = verdictsFor(model, agent);
  // The references come in document order: each range is found from the one before.
  const ranges = new RangeCursor(doc, lines).rangeOf;
  const python = doc.languageId === 'python';
  const add = (span: Span, severity: DiagnosticSeverity, code: DiagnosticCode, message: string, data: DiagnosticData) => {
    out.push({ range: ranges(doc, span), severity, code, source: DIAGNOSTIC_SOURCE, message, data });
  };

  /** The starts of the credentials reported among computed names (a table's literal may be read by many reads). */
  let credentialsShown: Set<number> | undefined;
  for (const ref of result.references) {
    if (!counts(ref, style)) continue;
    const literal = ref.literal;
    // `get_secret()`, `get_secret(secret_name=)`: a finished call with no name fails at run time.
    if (isMissingArgument(literal) && ref.form === 'get_secret' && readFinished(doc, ref) && platformRead(doc, ref)) {
      add(ref.span, DiagnosticSeverity.Error, 'missing-name', MISSING_NAME_MESSAGE, { name: null });
      continue;
    }
    // While the user is still typing the name (no argument, no closing quote) nothing is final yet.
    if (isMissingArgument(literal) || !literal.closed) continue;
    // `get_secret(''` (an editor closes the quote as it is typed): the name is still to come.
    if (ref.name === '' && !readFinished(doc, ref)) continue;
    if (ref.name === null && ref.candidates !== undefined && ref.candidates.length > 0) {
      checkCandidates(doc, ref, model, verdicts, ranges, nowMs, out, (credentialsShown ??= new Set()), locate);
      // Callers outside the file may pass other names: those are not checked.
      if (ref.open) add(literal.contentSpan, DiagnosticSeverity.Information, 'dynamic-name', openMessage(ref.open.text), { name: null });
      continue;
    }
    if (ref.name === null) {
      // contentSpan: the whole expression when computed, the text between the quotes for a literal.
      add(literal.contentSpan, DiagnosticSeverity.Information, 'dynamic-name', dynamicMessage(ref), { name: null });
      continue;
    }
    const name = ref.name;
    // A read in a branch on `conv.env` is checked in the environments that take it, and says so.
    // A credential written as the name is reported in every environment, as it is written.
    if (ref.environments !== undefined) {
      const taken = readIn(ref, model.environment);
      const where = readLead(ref);
      checkLiteral(ref, name, verdicts, model, agent, nowMs, (span, severity, code, message, data) => {
        if (code === 'hardcoded-secret') add(span, severity, code, message, data);
        else if (taken) add(span, severity, code, lead(where, message), data);
      }, python);
      continue;
    }
    checkLiteral(ref, name, verdicts, model, agent, nowMs, add, python);
  }
  // What the code exposes itself: neither needs the vault's metadata.
  out.push(...hardcodedDiagnostics(doc, result, model), ...leakDiagnostics(doc, result, model));
  return out;
}

/** `In sandbox: secret 'x' does not exist…`: a message after the words that say where it applies. */
function lead(where: string, message: string): string {
  return where + message.charAt(0).toLowerCase() + message.slice(1);
}

/** The checks of a read written with a literal name. */
function checkLiteral(ref: SecretReference, name: string, verdicts: Map<string, NameVerdict>, model: VaultModel, agent: string | null, nowMs: number, add: Add, python = true): void {
  const literal = ref.literal;
  const style = model.namingStyle;
  const v = verdictOf(verdicts, name, model, agent);
  // A credential pasted where the name goes is reported as what it is (by kind), never quoted
  // back as a name, and gets no create or did-you-mean fix. Only the random shape (no provider's
  // format) gives way to a secret the vault has by that name.
  if (v.credential !== null) {
    add(literal.contentSpan, DiagnosticSeverity.Error, 'hardcoded-secret', credentialAsNameMessage(v.credential, ref), { name: null, rule: v.credential.rule });
    return;
  }
  if (v.invalid !== undefined) {
    add(literal.contentSpan, DiagnosticSeverity.Error, 'invalid-name', (v.invalidMessage ??= `Invalid secret name ${quoted(v.name)}: ${v.invalid}`), { name });
    return;
  }
  // Advice, never an error: real accounts hold names such as 'Prod API Credentials'.
  // On a secret the vault has, or while it cannot say; an unknown name is unknown-secret, whose
  // create form suggests the conforming name. Before a snapshot the convention is unknown.
  if (v.offConvention) {
    add(literal.contentSpan, DiagnosticSeverity.Information, 'naming-convention', (v.conventionMessage ??= conventionMessage(v.name, style!)), { name });
  }
  if (!model.ready) return;
  const entry = v.entry;
  if (!entry) {
    if (ref.form === 'env' && PROCESS_ENVIRONMENT.has(name)) return;
    add(literal.contentSpan, DiagnosticSeverity.Error, 'unknown-secret', (v.unknownMessage ??= unknownMessage(v.name, model, v.pending)), { name });
    return;
  }
  if (v.denied) {
    add(literal.contentSpan, DiagnosticSeverity.Error, 'not-granted', (v.notGrantedMessage ??= notGrantedMessage(entry, agent!, v.pending)), { name });
  } else {
    // Only where the read would otherwise work: for an agent without access, the vault answers
    // "not granted" whatever the expiry, so that is the one thing to fix first.
    const problem = lifecycleProblem(entry, nowMs);
    if (problem !== undefined) add(literal.contentSpan, problem.severity, problem.code, problem.message, { name });
  }
  if (ref.form === 'get_secret') checkKeys(ref, entry, add, python);
  else if (ref.config !== undefined && entry.info.kind !== ref.config.kind) {
    add(literal.contentSpan, DiagnosticSeverity.Error, 'wrong-kind', wrongKindMessage(entry, ref.config), { name });
  }
}

type Add = (span: Span, severity: DiagnosticSeverity, code: DiagnosticCode, message: string, data: DiagnosticData) => void;

interface Problem {
  severity: DiagnosticSeverity;
  code: DiagnosticCode;
  message: string;
}

/**
 * secret-expired (the vault refuses the read) or, short of that, rotation-due (a reminder: the read
 * works). Only one: an expired secret needs a new value anyway, which settles the reminder too.
 */
function lifecycleProblem(entry: SecretEntry, nowMs: number): Problem | undefined {
  const info = entry.info;
  if ((info.expiresAt ?? null) === null && (info.rotationDays ?? null) === null) return undefined;
  const l = lifecycleOf(info, nowMs);
  if (l.expired && l.expiresAtMs !== null) {
    return {
      severity: DiagnosticSeverity.Error,
      code: 'secret-expired',
      message: `Secret ${quotedSecret(entry)} expired on ${day(l.expiresAtMs)}: run-time reads are refused. Set a new value and move or clear its expiry.`,
    };
  }
  if (l.rotationDue && l.rotationDueAtMs !== null) {
    const set = info.valueUpdatedAt ?? info.updatedAt;
    const since = set ? `; its value was set on ${day(Date.parse(set))}` : '';
    return {
      severity: DiagnosticSeverity.Information,
      code: 'rotation-due',
      message: `Secret ${quotedSecret(entry)} is due for rotation since ${day(l.rotationDueAtMs)} (reminder every ${info.rotationDays} days${since}).`,
    };
  }
  return undefined;
}

/** A vault day (UTC) in the locale the client gave at initialize (protocol/dates.ts); ISO without one, as in `check`. */
function day(ms: number): string {
  return formatDate(ms);
}

function checkKeys(ref: SecretReference, entry: SecretEntry, add: Add, python: boolean): void {
  for (const access of ref.keys) {
    if (access.key === null && access.candidates !== undefined && access.literal.closed && entry.info.kind === 'kv') {
      // A computed key whose values are known (`for k in ("id", "secret"): creds[k]`): each it may take, at the key.
      for (const c of access.candidates) {
        if (!entry.keys.has(c.name)) add(access.literal.contentSpan, DiagnosticSeverity.Error, 'unknown-key', unknownKeyMessage(entry, c.name), { name: entry.info.name });
      }
      continue;
    }
    if (access.key === null || !access.literal.closed) continue;
    const key = access.key;
    // A key that is a credential stays out of the diagnostic's data as it stays out of its message.
    const data = credentialName(key) === null ? { name: entry.info.name, key } : { name: entry.info.name };
    if (entry.info.kind === 'single') {
      add(access.literal.contentSpan, DiagnosticSeverity.Error, 'not-a-mapping', notAMappingMessage(entry, access, python), data);
    } else if (!entry.keys.has(key)) {
      add(access.literal.contentSpan, DiagnosticSeverity.Error, 'unknown-key', unknownKeyMessage(entry, key), data);
    }
  }
}

/**
 * Why `name` cannot be a secret name in this account. Before any snapshot the style is unknown, so
 * what some account could hold passes (isAnyName): the get_secret style's rule, which admits every
 * environment-style name too.
 */
export function nameProblem(name: string, style: NamingStyle | null): string | undefined {
  return checkSecretName(name, style ?? 'snake_case');
}

/**
 * A valid name off the account's convention: the conforming form (quoted only when it is no
 * credential; the name itself has passed the credential check), and that the read works.
 */
function conventionMessage(name: string, style: NamingStyle): string {
  const conforming = conventionalName(name, style);
  const convention = style === 'UPPER_CASE' ? 'UPPER_CASE' : 'snake_case';
  const form = conforming === undefined ? '' : `: ${quoted(conforming)} would`;
  return `Secret name ${quoted(name)} does not follow this account's naming convention (${convention})${form}. The vault accepts it as it is; to follow the convention, rename the secret in the vault and its reads together.`;
}

/**
 * Where one candidate's diagnostics go. Most candidates have no problem: where the candidate is
 * (the data's location, the related information) is found only for the first diagnostic it gets,
 * and so is its message's lead.
 */
class CandidateReport {
  private c: NameCandidate | undefined;
  private v: NameVerdict | undefined;
  private location: CandidateLocation | undefined;
  private related: DiagnosticRelatedInformation[] | undefined;
  private leadText: string | undefined;
  /** The read's argument, where a candidate's diagnostics go but for those about a key. */
  private argument: Range | undefined;

  constructor(
    private readonly doc: TextDocument,
    private readonly ref: SecretReference,
    private readonly ranges: RangeFinder,
    private readonly out: Diagnostic[],
    private readonly locate: Locate | undefined,
  ) {}

  start(c: NameCandidate, v: NameVerdict): void {
    this.c = c;
    this.v = v;
    this.location = undefined;
    this.related = undefined;
    this.leadText = undefined;
  }

  /** `In live: reads 'x'`: the words that name the candidate and where it applies. */
  lead(): string {
    return (this.leadText ??= candidateLead(this.c!, this.quotedName()));
  }

  private quotedName(): string {
    const v = this.v!;
    return (v.quoted ??= quoted(v.name));
  }

  /** A diagnostic on the read's argument, or on `span` (a key's). */
  add(span: Span | null, severity: DiagnosticSeverity, code: DiagnosticCode, message: string, key?: string): void {
    const c = this.c!;
    let related = this.related;
    if (related === undefined) {
      this.location = candidateLocation(this.doc, c, this.locate, this.ranges);
      // One list for all the candidate's diagnostics: nothing changes a diagnostic once made (the
      // server sends them as JSON), so they share it rather than each holding a copy.
      related = this.related = candidateRelated(this.doc, c, this.locate, this.ranges, this.quotedName());
    }
    const data: DiagnosticData = this.location ? { name: c.name, candidate: this.location } : { name: c.name };
    if (key !== undefined) data.key = key;
    const range = span === null ? (this.argument ??= this.ranges(this.doc, this.ref.literal.contentSpan)) : this.ranges(this.doc, span);
    const d: Diagnostic = { range, severity, code, source: DIAGNOSTIC_SOURCE, message, data };
    if (related.length > 0) d.relatedInformation = related;
    this.out.push(d);
  }
}

/**
 * A computed read whose every name is known: each candidate the chosen environment reports gets the
 * checks a literal name gets, on the read's argument, its message saying where it applies and its
 * related information pointing at the literal and the tests that choose it.
 */
function checkCandidates(
  doc: TextDocument,
  ref: SecretReference,
  model: VaultModel,
  verdicts: Map<string, NameVerdict>,
  ranges: RangeFinder,
  nowMs: number,
  out: Diagnostic[],
  credentialsShown: Set<number>,
  locate?: Locate,
): void {
  const style = model.namingStyle;
  const agent = model.agentFor(doc.uri);
  const environment = model.environment;
  const report = new CandidateReport(doc, ref, ranges, out, locate);
  for (const c of ref.candidates ?? []) {
    const name = c.name;
    const v = verdictOf(verdicts, name, model, agent);
    // A credential among the names is reported at its literal in every environment, as a literal
    // name is (the hard-coded detector leaves the literals the front end read as names to this), once
    // however many reads take it; one in another module is reported there, where it is a value.
    if (v.credential !== null) {
      if (c.uri === undefined && !credentialsShown.has(c.literal.start)) {
        credentialsShown.add(c.literal.start);
        out.push({ range: ranges(doc, c.literal), severity: DiagnosticSeverity.Error, code: 'hardcoded-secret', source: DIAGNOSTIC_SOURCE, message: credentialAsNameMessage(v.credential, ref), data: { name: null, rule: v.credential.rule } });
      }
      continue;
    }
    if (!takenIn(c, environment)) continue;
    report.start(c, v);
    if (v.invalid !== undefined) {
      report.add(null, DiagnosticSeverity.Error, 'invalid-name', `${report.lead()}, which is not a valid secret name: ${v.invalid}`);
      continue;
    }
    if (v.offConvention) {
      report.add(null, DiagnosticSeverity.Information, 'naming-convention', `${report.lead()}, which ${(v.conventionClause ??= conventionClause(v.name, style!))}`);
    }
    if (!model.ready) continue;
    const entry = v.entry;
    if (!entry) {
      if (ref.form === 'env' && PROCESS_ENVIRONMENT.has(name)) continue;
      report.add(null, DiagnosticSeverity.Error, 'unknown-secret', `${report.lead()}, which ${(v.unknownClause ??= unknownClause(v.name, model, v.pending))}`);
      continue;
    }
    if (v.denied) {
      report.add(null, DiagnosticSeverity.Error, 'not-granted', `${report.lead()}, which ${(v.notGrantedClause ??= afterName(notGrantedMessage(entry, agent!, v.pending), entry))}`);
    } else {
      const problem = lifecycleProblem(entry, nowMs);
      if (problem !== undefined) report.add(null, problem.severity, problem.code, `${report.lead()}, which ${afterName(problem.message, entry)}`);
    }
    if (ref.form !== 'get_secret') continue;
    for (const access of ref.keys) {
      if (access.key === null || !access.literal.closed) continue;
      const key = access.key;
      const shown = credentialName(key) === null ? key : undefined;
      if (entry.info.kind === 'single') {
        report.add(access.literal.contentSpan, DiagnosticSeverity.Error, 'not-a-mapping', `${report.lead()}, a ${afterName(notAMappingMessage(entry, access, doc.languageId === 'python'), entry).replace(/^is a /, '')}`, shown);
      } else if (!entry.keys.has(key)) {
        report.add(access.literal.contentSpan, DiagnosticSeverity.Error, 'unknown-key', `${report.lead()}, which ${afterName(unknownKeyMessage(entry, key), entry)}`, shown);
      }
    }
  }
}

/** The naming-convention message after "which": what the name does not follow and what would. */
function conventionClause(name: string, style: NamingStyle): string {
  const message = conventionMessage(name, style);
  const head = `Secret name ${quoted(name)} `;
  return message.startsWith(head) ? message.slice(head.length) : message;
}

/**
 * A literal read's message without its subject, for a candidate's (whose lead has named the
 * secret): "Secret 'x' expired on …" → "expired on …".
 */
function afterName(message: string, entry: SecretEntry): string {
  const head = `Secret ${quotedSecret(entry)} `;
  return message.startsWith(head) ? message.slice(head.length) : message;
}

/** How long a part of a computed name is quoted in the dynamic-name message. */
const MAX_PART = 60;

function dynamicMessage(ref: SecretReference): string {
  const example = ref.form === 'env' ? "os.environ['STRIPE_API_KEY']" : "get_secret('stripe_api_key')";
  // A string literal whose text the scanner cannot decode for sure (Python's \N{…}, scan/literals.ts).
  if (ref.literal.contentSpan.start !== ref.literal.span.start) {
    return 'The secret name uses a \\N{…} escape, which the editor does not decode, so it cannot be checked against the vault. Write the character itself.';
  }
  if (ref.unresolved !== undefined) {
    const part = conditionText(ref.unresolved.text, MAX_PART);
    // The analysis's budget ran out on it (scan/budget.ts): knowable, but too large to follow here.
    // A parameter of an ADK resource function: Agent Studio passes it, nothing in the project shows it.
    if (ref.unresolved.platform !== undefined) {
      return `The secret name comes from \`${part}\`, a parameter of \`${conditionText(ref.unresolved.platform)}\`, the function Agent Studio calls: the platform passes it at run time, so it cannot be checked against the vault. Use a literal name, for example ${example}, or choose among literal names in the function.`;
    }
    // The one read of a module function that reads the secret its caller names: checked at each call of it elsewhere.
    if (ref.unresolved.reader !== undefined) {
      return `The secret name comes from \`${part}\`, a parameter of \`${conditionText(ref.unresolved.reader)}\`, which reads the secret its caller names: each call of it in a module that imports it is checked there, where the name is written; here it cannot be.`;
    }
    if (ref.unresolved.tooLarge) {
      return `The secret name is computed at run time from \`${part}\`, which is too large to follow (the analysis of one file is bounded by its size), so it cannot be checked against the vault. Use a literal name, for example ${example}, or choose among a few literal names.`;
    }
    return `The secret name is computed at run time from \`${part}\`, which the editor cannot follow, so it cannot be checked against the vault. Use a literal name, for example ${example}, or choose among literal names.`;
  }
  return `The secret name is computed at run time, so it cannot be checked against the vault. Use a literal name, for example ${example}.`;
}

function openMessage(part: string): string {
  const shown = conditionText(part, MAX_PART);
  return `The secret name comes from \`${shown}\`, a parameter that callers outside this file (another module, the platform) may pass other names to: only the names this file shows are checked.`;
}

/** Said after the problem while a request for it waits for an admin. */
const PENDING_NOTE = 'access requested, pending';

/** A read whose name is a credential: what it is, and that the read fails too. */
function credentialAsNameMessage(credential: CredentialVerdict, ref: SecretReference): string {
  const how =
    ref.form === 'env'
      ? "the environment is read by a variable's name"
      : ref.form === 'config'
        ? `${safeText(ref.config?.field ?? 'this field')} names a secret by its name`
        : 'get_secret reads a secret by its name';
  return `Hard-coded ${credential.kind} where a secret's name goes: ${how}, so this read fails, and anyone who can read this code has ${withArticle(credential.kind)}. Revoke it, put a new one in the vault and read it by the secret's name.`;
}

function unknownMessage(name: string, model: VaultModel, pending: boolean): string {
  return `Secret ${quoted(name)} ${unknownClause(name, model, pending)}`;
}

/** What is wrong with an unknown name, after the words that name it: `does not exist …`, with a did-you-mean. */
function unknownClause(name: string, model: VaultModel, pending: boolean): string {
  const near = model.nearestNames(name, 1)[0];
  const base = pending ? `does not exist in the vault yet: ${PENDING_NOTE}.` : 'does not exist in the vault.';
  return near ? `${base} Did you mean ${quoted(near.name)}?` : base;
}

/**
 * The last not-granted message made for each entry, with the agent and pending state it was made for:
 * the model replaces an entry when its secret changes (never changes one in place), so the message
 * holds until then, and later edits reuse it.
 */
const notGrantedMemo = new WeakMap<SecretEntry, { agent: string; pending: boolean; message: string }>();

function notGrantedMessage(entry: SecretEntry, agent: string, pending: boolean): string {
  const memo = notGrantedMemo.get(entry);
  if (memo !== undefined && memo.agent === agent && memo.pending === pending) return memo.message;
  const message = makeNotGrantedMessage(entry, agent, pending);
  notGrantedMemo.set(entry, { agent, pending, message });
  return message;
}

function makeNotGrantedMessage(entry: SecretEntry, agent: string, pending: boolean): string {
  const agents = entry.info.agents;
  let granted: string;
  if (agents.length === 0) granted = 'no agent has access';
  else if (agents.length <= MAX_LISTED) granted = `granted to: ${agents.join(', ')}`;
  else granted = `granted to: ${agents.slice(0, MAX_LISTED).join(', ')} and ${agents.length - MAX_LISTED} more`;
  const base = `Secret ${quotedSecret(entry)} is not granted to agent '${agent}' (${granted})`;
  return pending ? `${base}: ${PENDING_NOTE}.` : `${base}.`;
}

/** A configuration field naming a secret of the other kind: the field, the kind it needs, the secret's kind. */
function wrongKindMessage(entry: SecretEntry, config: ConfigField): string {
  const needs = config.kind === 'kv' ? 'a key/value secret (agent names to connector tokens)' : 'a single-value secret, whose value the platform sends as it is';
  const has = entry.info.kind === 'kv' ? 'a key/value secret' : 'a single value';
  // The path holds the file's own keys (an environment's name): escaped as any text from a document.
  return `${safeText(config.field)} needs ${needs}, but ${quotedSecret(entry)} is ${has}.`;
}

function notAMappingMessage(entry: SecretEntry, access: KeyAccess, python: boolean): string {
  const key = access.key ?? '';
  const how = credentialName(key) !== null ? `reading a key ${quoted(key)}` : access.via === 'get' ? `.get('${key}')` : access.via === 'property' ? `.${key}` : `['${key}']`;
  // Python raises; JavaScript gives `undefined`, which the code then uses as the key's value.
  if (!python) return `Secret ${quotedSecret(entry)} is a single value: get_secret returns a string, so ${how} is undefined at run time.`;
  return `Secret ${quotedSecret(entry)} is a single value: get_secret returns a str, so ${how} fails at run time.`;
}

/**
 * Each entry's unknown-key messages by key, as notGrantedMemo keeps its message: every edit re-checks
 * the same keys, and the did-you-mean among the keys was a seventh of a warm analysis's diagnostics
 * (bench/analysis). Bounded per entry; a key kept is a copy, not a slice of the document.
 */
const unknownKeyMemo = new WeakMap<SecretEntry, Map<string, string>>();
const MAX_KEY_MESSAGES = 256;

function unknownKeyMessage(entry: SecretEntry, key: string): string {
  let memo = unknownKeyMemo.get(entry);
  if (memo === undefined) unknownKeyMemo.set(entry, (memo = new Map()));
  let message = memo.get(key);
  if (message === undefined) {
    message = makeUnknownKeyMessage(entry, key);
    if (memo.size >= MAX_KEY_MESSAGES) memo.clear();
    memo.set(structuredClone(key), message);
  }
  return message;
}

function makeUnknownKeyMessage(entry: SecretEntry, key: string): string {
  // No did-you-mean for a credential written as a key: it names nothing.
  const near = credentialName(key) === null ? nearestAmong(key, entry.info.keys, 1)[0] : undefined;
  const keys = entry.info.keys.map(quoted).join(', ');
  const base = `Secret ${quotedSecret(entry)} has no key ${quoted(key)} (its keys: ${keys}).`;
  return near ? `${base} Did you mean ${quoted(near.name)}?` : base;
}
