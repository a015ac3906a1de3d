// Completion of secret names and keys inside a reference's string. The item list for an agent is
// built once and then kept current as the model changes (completionLists.ts), shared by every
// request: a request only finds the literal under the cursor and computes one edit range (and, in
// a large vault, picks the first matches of what is typed), which keeps latency and response size
// flat with 10,000 secrets.

import type { CompletionItem, CompletionList, Range } from 'vscode-languageserver-types';
import { CompletionItemKind, MarkupKind } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { VaultModel, SecretEntry } from '../model/model';
import type { StringLiteral } from '../scan/types';
import type { ScanResult } from '../analyze';
import { isMissingArgument, targetAt } from '../scan/references';
import { secretMarkdown } from './markdown';
import { matchesWordStart } from '../model/wordPrefixIndex';
import { completionLists, type AgentItems, type CompletionData } from './completionLists';
import { escapeInLiteral, quotingOf, SINGLE_QUOTED } from '../../../../protocol/nameLiterals';

export type { CompletionData } from './completionLists';

export interface CompletionOptions {
  /**
   * The client accepts `itemDefaults.editRange` (LSP 3.17): the shared items go out as they are.
   * Otherwise each item gets its own `textEdit`.
   */
  editRangeDefault: boolean;
  /** The client accepts `itemDefaults.data` too: name items share their resolve data. */
  dataDefault?: boolean;
}

/**
 * Up to this many secrets, a list holds them all and the editor filters as the user types. Beyond,
 * a list holds the first matches of what is typed and is marked incomplete, so the editor asks
 * again on the next keystroke: 10,000 items would be megabytes of JSON on every request. The
 * editor's fuzzy filter may then miss abbreviations (`gooa` for `google_oauth`) that a full list
 * would have let it find; word starts (`oauth`) still work.
 */
export const FULL_LIST_LIMIT = 1000;
/** Items in a list cut short for a large vault: far more than an editor shows at once. */
export const SHORT_LIST_SIZE = 200;

function agentItems(model: VaultModel, agent: string | null): AgentItems {
  return completionLists(model).forAgent(agent, model.secrets);
}

/** Name items for an agent: those it can read first, the others marked with their status. */
export function nameItems(model: VaultModel, agent: string | null): CompletionItem[] {
  return agentItems(model, agent).items;
}

/**
 * The items to send for what is typed: all of them for a vault of ordinary size. For a large one,
 * the first SHORT_LIST_SIZE (in the list's order) whose name, or one of its words, starts with
 * the typed text. Few matches come from the word index; many are found sooner by walking the list.
 */
function shortlist(model: VaultModel, all: AgentItems, typed: string): { items: CompletionItem[]; incomplete: boolean } {
  if (all.items.length <= FULL_LIST_LIMIT) return { items: all.items, incomplete: false };
  // What is typed is the literal's text: `it\'s` is looked up as `it's`.
  const query = typed.replace(/\\(.)/g, '$1').toLowerCase();
  const owners = model.words().lookup(query, 4 * SHORT_LIST_SIZE);
  if (owners) {
    const items = owners.map((o) => all.byId[o]!).sort((a, b) => (a.sortText! < b.sortText! ? -1 : 1));
    if (items.length > SHORT_LIST_SIZE) items.length = SHORT_LIST_SIZE;
    return { items, incomplete: true };
  }
  const items: CompletionItem[] = [];
  for (let i = 0; i < all.items.length && items.length < SHORT_LIST_SIZE; i++) {
    if (matchesWordStart(all.lower[i]!, query)) items.push(all.items[i]!);
  }
  return { items, incomplete: true };
}

function keyItems(entry: SecretEntry): CompletionItem[] {
  return entry.info.keys.map((key, i) => ({
    label: key,
    kind: CompletionItemKind.Field,
    detail: `key of ${entry.info.name}`,
    sortText: String(i).padStart(4, '0'),
  }));
}

const NAME_CHAR = /[A-Za-z0-9_]/;
const KEY_CHAR = /[A-Za-z0-9_.-]/;

/**
 * The text an item replaces. In a closed literal, all of its content, so that picking an item
 * over a partial or wrong name replaces it. In an unclosed one the content runs to the end of the
 * line, so only the word under the cursor goes.
 */
function replaceRange(doc: TextDocument, literal: StringLiteral, offset: number, wordChar: RegExp): { range: Range; end: number } {
  const start = literal.contentSpan.start;
  let end = literal.contentSpan.end;
  if (!literal.closed) {
    const text = doc.getText();
    end = offset;
    while (end < literal.contentSpan.end && wordChar.test(text.charAt(end))) end++;
  }
  return { range: { start: doc.positionAt(start), end: doc.positionAt(end) }, end };
}

/**
 * What must follow an accepted item so that the call stays well-formed when the editor did not
 * close the quote or the bracket (`get_secret('` → `get_secret('name')`): `quote`, then the
 * bracket that `opensAt` began, but only when nothing else follows on the line. Anything there
 * (`)` already typed, `, other`) is the user's and is left alone, the bracket too.
 */
function closing(text: string, opensAt: number, from: number, quote: string): string {
  let lineEnd = text.indexOf('\n', from);
  if (lineEnd < 0) lineEnd = text.length;
  for (let i = from; i < lineEnd; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13) return quote;
  }
  return quote + bracketFor(text, opensAt);
}

/** The bracket that closes what the literal at `opensAt` is an argument or subscript of ('' for none). */
function bracketFor(text: string, opensAt: number): string {
  let i = opensAt - 1;
  while (i >= 0 && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i--;
  const opener = text.charAt(i);
  return opener === '[' ? ']' : opener === '(' || opener === ',' || opener === '=' ? ')' : '';
}

/**
 * The bracket a closed literal's call still lacks: the editor closed the quote but not the bracket
 * (`get_secret('|'` at the end of a line). Only when nothing follows on the line and the next thing
 * in the file is not what continues or closes the call (`)`, `]`, `,`, an operator on the next
 * line): a call that goes on below is the user's.
 */
function missingBracket(text: string, literal: StringLiteral): string {
  const want = bracketFor(text, literal.span.start);
  if (!want) return '';
  let i = literal.span.end;
  let newline = false;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) newline = true;
    else if (c !== 32 && c !== 9 && c !== 13) break;
  }
  if (i < text.length && !newline) return ''; // something follows on the same line
  return i < text.length && /[)\],.+%*\[]/.test(text.charAt(i)) ? '' : want;
}

/**
 * How names are written in this literal: escaped for its quotes and kind, so that
 * `it's` goes into `'…'` as `it\'s`. Undefined leaves names as they are (no string opening).
 */
function escaperFor(doc: TextDocument, literal: StringLiteral): Escape | undefined {
  const opening = doc.getText().slice(literal.span.start, literal.contentSpan.start);
  const quoting = quotingOf(opening, doc.languageId === 'python');
  return quoting && ((name: string) => escapeInLiteral(name, quoting));
}

/** A name as the literal's content, or undefined when that literal cannot hold it (the item is left out). */
type Escape = (name: string) => string | undefined;

/** The list for a literal being typed: shared items in a closed one, items that close it otherwise. */
function literalList(
  doc: TextDocument,
  literal: StringLiteral,
  offset: number,
  wordChar: RegExp,
  items: CompletionItem[],
  shared: boolean,
  incomplete: boolean,
  agent?: string | null,
  special?: ReadonlySet<CompletionItem>,
): CompletionList {
  const { range, end } = replaceRange(doc, literal, offset, wordChar);
  const text = doc.getText();
  const escape = escaperFor(doc, literal);
  if (literal.closed) {
    const bracket = missingBracket(text, literal);
    if (!bracket) return list(items, range, shared, undefined, incomplete, agent, escape, special);
    // Replace through the closing quote, so that the item can put the bracket after it.
    const closer = text.slice(literal.contentSpan.end, literal.span.end);
    const wide = { start: range.start, end: doc.positionAt(literal.span.end) };
    return list(items, wide, false, (label) => label + closer + bracket, incomplete, agent, escape);
  }
  const suffix = closing(text, literal.span.start, end, text.charAt(literal.contentSpan.start - 1));
  return list(items, range, false, (label) => label + suffix, incomplete, agent, escape);
}

export function complete(
  doc: TextDocument,
  result: ScanResult,
  model: VaultModel,
  offset: number,
  options: CompletionOptions,
): CompletionList | null {
  if (!model.ready) return null;
  const target = targetAt(result, model.namingStyle, offset);
  if (!target) return null;

  if (target.type === 'key') {
    const name = target.ref.name;
    const entry = name === null ? undefined : model.secret(name);
    if (!entry || entry.info.kind !== 'kv' || target.ref.form !== 'get_secret') return null;
    const literal = target.access.literal;
    if (isMissingArgument(literal)) return insertAt(doc, literal, keyItems(entry), false);
    return literalList(doc, literal, offset, KEY_CHAR, keyItems(entry), options.editRangeDefault, false);
  }

  const literal = target.ref.literal;
  const all = agentItems(model, model.agentFor(doc.uri));
  if (isMissingArgument(literal)) {
    const { items, incomplete } = shortlist(model, all, '');
    return insertAt(doc, literal, items, incomplete, all.agent);
  }
  // A dynamic name (f-string, variable) is not ours to complete; an unclosed literal still is.
  if (literal.closed && target.ref.name === null) return null;
  const typed = doc.getText().slice(literal.contentSpan.start, Math.max(literal.contentSpan.start, offset));
  const { items, incomplete } = shortlist(model, all, typed);
  // Shared as they are only when the client takes both the edit range and the data as defaults.
  const shared = options.editRangeDefault && options.dataDefault === true;
  return literalList(doc, literal, offset, NAME_CHAR, items, shared, incomplete, all.agent, all.special);
}

/**
 * Nothing typed yet (`get_secret(`, `creds[`, `.get(`, `process.env.`): insert a whole quoted
 * literal, or a bare identifier after `process.env.`.
 */
function insertAt(doc: TextDocument, literal: StringLiteral, items: CompletionItem[], incomplete: boolean, agent?: string | null): CompletionList {
  const at = doc.positionAt(literal.span.start);
  const text = doc.getText();
  const afterDot = text.charCodeAt(literal.span.start - 1) === 46; /* . */
  if (afterDot) return list(items, { start: at, end: at }, false, (label) => label, incomplete, agent);
  // `get_secret(` with nothing after it becomes `get_secret('name')`; `get_secret()` keeps its `)`.
  const suffix = closing(text, literal.span.start, literal.span.start, "'");
  const escape = (name: string) => escapeInLiteral(name, SINGLE_QUOTED);
  return list(items, { start: at, end: at }, false, (label) => `'${label}${suffix}`, incomplete, agent, escape, undefined, false);
}

/**
 * The response: the shared items as they are, with the edit range (and, for names, the agent to
 * resolve documentation for) once in `itemDefaults`; or a copy of each with its own edit and data.
 * `agent` is undefined for key items, which have no documentation to resolve.
 *
 * `escape` writes a name as the literal's content. An item whose text differs from its name gets
 * that text as `filterText` too: the editor filters by what is typed in the range, which is the
 * escaped form (`it\'s`). A shared list stays shared: only its `special` items (those whose name
 * holds a character some literal escapes) are copied with their own edit; one the literal cannot
 * hold is left out.
 */
function list(
  items: CompletionItem[],
  range: Range,
  shared: boolean,
  insert: ((text: string) => string) | undefined,
  incomplete: boolean,
  agent?: string | null,
  escape?: Escape,
  special?: ReadonlySet<CompletionItem>,
  filterByText = true,
): CompletionList {
  if (shared && insert === undefined) {
    const data: CompletionData | undefined = agent === undefined ? undefined : { agent };
    const itemDefaults = data ? { editRange: range, data } : { editRange: range };
    if (!escape || !special || special.size === 0) return { isIncomplete: incomplete, itemDefaults, items };
    const out: CompletionItem[] = [];
    for (const item of items) {
      if (!special.has(item)) {
        out.push(item);
        continue;
      }
      const text = escape(item.label);
      if (text === undefined) continue;
      out.push(text === item.label ? item : { ...item, textEdit: { range, newText: text }, filterText: text });
    }
    return { isIncomplete: incomplete, itemDefaults, items: out };
  }
  const out: CompletionItem[] = [];
  for (const item of items) {
    const text = escape ? escape(item.label) : item.label;
    if (text === undefined) continue;
    const copy: CompletionItem = { ...item, textEdit: { range, newText: insert ? insert(text) : text } };
    if (filterByText && text !== item.label) copy.filterText = text;
    if (agent !== undefined) copy.data = { secret: item.label, agent } satisfies CompletionData;
    out.push(copy);
  }
  return { isIncomplete: incomplete, items: out };
}

/** Adds the documentation to a name item the client shows; resolved lazily to keep lists small. */
export function resolveCompletion(item: CompletionItem, model: VaultModel, nowMs: number = Date.now()): CompletionItem {
  const data = item.data as Partial<CompletionData> | undefined;
  // Only name items carry data (key items none); from a shared list it is `{ agent }` and the label is the name.
  if (typeof data !== 'object' || data === null || !('agent' in data)) return item;
  const entry = model.secret(typeof data.secret === 'string' ? data.secret : item.label);
  if (!entry) return item;
  const agent = typeof data?.agent === 'string' ? data.agent : null;
  // The editor shows the detail (the description) above the documentation: it is not repeated there.
  return { ...item, documentation: { kind: MarkupKind.Markdown, value: secretMarkdown(entry, agent, nowMs, model.agentDisplayName, false) } };
}
