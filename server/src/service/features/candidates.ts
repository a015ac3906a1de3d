// Computed secret names (a name chosen at run time from a finite set of literals, python/nameSets*.ts):
// which candidates the chosen environment reports, how the features say where each applies
// ("In live:", "When … holds:"), and where its literal and the tests that choose it are.

import type { DiagnosticRelatedInformation } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { canonicalEnvironment } from '../../../../protocol/environments';
import { safeText } from '../../../../protocol/safeText';
import type { NameCandidate, NameCondition, SecretReference, Span } from '../scan/types';
import { rangeOf, type CandidateLocation, type RangeFinder } from './common';
import { quoted, scrubCode } from './quoting';

/** The document a candidate's literal is in when it is another module of the project; undefined when not at hand. */
export type Locate = (uri: string) => TextDocument | undefined;

/** A condition's text is document text: quoted up to this many characters. */
const MAX_CONDITION = 80;

/** Whether a candidate is taken in `environment` ('all': every candidate). */
export function takenIn(c: NameCandidate, environment: string): boolean {
  // The scanner labels with canonical names; a choice written another way means the same.
  const env = canonicalEnvironment(environment);
  return env === 'all' || c.environments === null || c.environments.includes(env);
}

/** Whether a read written with a literal name runs in `environment` ('all': every read; see SecretReference.environments). */
export function readIn(ref: SecretReference, environment: string): boolean {
  const env = canonicalEnvironment(environment);
  return env === 'all' || ref.environments === undefined || ref.environments.includes(env);
}

/** `In sandbox: `: what a diagnostic about a literal read in a branch on `conv.env` starts with ('' for any other read). */
export function readLead(ref: SecretReference): string {
  return ref.environments === undefined ? '' : `In ${environmentsLabel(ref.environments)}: `;
}

/** The candidates of a computed read that the chosen environment reports (none for a literal or unresolved read). */
export function reportedCandidates(ref: SecretReference, environment: string): NameCandidate[] {
  if (ref.name !== null || !ref.candidates) return [];
  return ref.candidates.filter((c) => takenIn(c, environment));
}

/**
 * A test or a piece of code as the messages quote it: a credential in it described (scrubCode),
 * escaped, whitespace collapsed, cut to `max` characters.
 */
export function conditionText(text: string, max = MAX_CONDITION): string {
  const code = scrubCode(text);
  const flat = isCollapsed(code) ? code : code.replace(/\s+/g, ' ').trim();
  const cut = flat.length > max ? cutCode(flat, max) : flat;
  return safeText(cut);
}

/** `code` cut to `max` characters with '…', a literal the cut opens showing none of its text. */
function cutCode(code: string, max: number): string {
  const head = scrubCode(code.slice(0, max - 1));
  return head.endsWith('…') ? head : `${head}…`;
}

/**
 * Whether collapsing whitespace leaves `text` as it is: printable ASCII whose spaces are single and
 * inside (the scanner collapses a test's whitespace already).
 */
function isCollapsed(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 /* space */ ? i === 0 || i === text.length - 1 || text.charCodeAt(i - 1) === 32 : c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

/** `live`, `sandbox and pre-release`, `sandbox, pre-release and live`. */
export function environmentsLabel(envs: readonly string[]): string {
  const names = envs.map((e) => safeText(e));
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

function holdsText(c: NameCondition): string {
  return `${conditionText(c.text)} ${c.holds ? 'holds' : 'does not hold'}`;
}

/**
 * Where a candidate applies, for people: `in live`, `when conv.state.get('new_api') holds`, or
 * undefined when it is taken on every path the editor can tell apart.
 */
export function whereTaken(candidate: NameCandidate): string | undefined {
  if (candidate.environments !== null && candidate.environments.length > 0) return `in ${environmentsLabel(candidate.environments)}`;
  if (candidate.when.length > 0) return `when ${candidate.when.map(holdsText).join(' and ')}`;
  return undefined;
}

/**
 * The start of a diagnostic's message about a candidate, up to and including its quoted name
 * (`name`: quoted(candidate.name), which a caller may have at hand):
 * `In live: reads 'x_prod_api'`, `When flag holds: may read 'x'`, `May read 'x'`.
 */
export function candidateLead(candidate: NameCandidate, name: string = quoted(candidate.name)): string {
  const where = whereTaken(candidate);
  if (where === undefined) return `May read ${name}`;
  const head = where.charAt(0).toUpperCase() + where.slice(1);
  return candidate.environments !== null && candidate.environments.length > 0 ? `${head}: reads ${name}` : `${head}: may read ${name}`;
}

/** The document a candidate's literal is in, or undefined when it is another one not at hand. */
export function candidateDocument(doc: TextDocument, candidate: NameCandidate, locate?: Locate): TextDocument | undefined {
  if (candidate.uri === undefined || candidate.uri === doc.uri) return doc;
  return locate?.(candidate.uri);
}

/**
 * The text between a literal's quotes (its prefix and quotes left out), and its opening (`'`,
 * `r"`, `'''`), from the literal's span in the text it is in.
 */
export function literalContent(text: string, literal: Span): { content: Span; opening: string } {
  // The literal as written is text[from, to): read in place, not copied.
  const from = Math.min(literal.start, text.length);
  const to = Math.min(literal.end, text.length);
  let q = from;
  while (q < to && !isQuote(text.charCodeAt(q))) q++;
  if (q >= to) return { content: literal, opening: '' };
  const quote = text.charCodeAt(q);
  const triple = quote !== 96 /* ` */ && q + 6 <= to && text.charCodeAt(q + 1) === quote && text.charCodeAt(q + 2) === quote;
  const n = triple ? 3 : 1;
  const start = literal.start + (q - from) + n;
  const end = Math.max(start, literal.end - n);
  return { content: { start, end }, opening: text.slice(from, q + n) };
}

function isQuote(c: number): boolean {
  return c === 39 /* ' */ || c === 34 /* " */ || c === 96 /* ` */;
}

export function candidateLocation(doc: TextDocument, candidate: NameCandidate, locate?: Locate, ranges: RangeFinder = rangeOf): CandidateLocation | undefined {
  const home = candidateDocument(doc, candidate, locate);
  if (!home) return undefined;
  const { content, opening } = literalContent(home.getText(), candidate.literal);
  if (home.uri === doc.uri) return { uri: home.uri, range: ranges(home, content), opening };
  return { uri: home.uri, range: ranges(home, content), opening, part: partIn(candidate.name, home.getText().slice(content.start, content.end)) };
}

/** Where `written` (a literal's content) is in `name`: the characters before and after it; null when it is not there once. */
export function partIn(name: string, written: string): [number, number] | null {
  if (written === name) return [0, 0];
  const k = written === '' ? -1 : name.indexOf(written);
  if (k < 0 || name.indexOf(written, k + 1) >= 0) return null;
  return [k, name.length - k - written.length];
}

/** The related information of a candidate's diagnostic: its literal, and each test that chooses it (`name`: quoted(candidate.name)). */
export function candidateRelated(doc: TextDocument, candidate: NameCandidate, locate?: Locate, ranges: RangeFinder = rangeOf, name: string = quoted(candidate.name)): DiagnosticRelatedInformation[] {
  const home = candidateDocument(doc, candidate, locate);
  if (!home) return [];
  const out: DiagnosticRelatedInformation[] = [{ location: { uri: home.uri, range: ranges(home, candidate.literal) }, message: `${name} is chosen here` }];
  for (const w of candidate.when) {
    out.push({ location: { uri: home.uri, range: ranges(home, w.span) }, message: w.holds ? `taken when ${conditionText(w.text)}` : `taken when ${conditionText(w.text)} does not hold` });
  }
  return out;
}
