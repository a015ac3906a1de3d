// Completion of secret names and keys inside a reference's string. The item list for an agent is
// built once and then kept current by the model (completionLists.ts), shared by every request: a request only finds the literal under the
// cursor and computes one edit range (and, in a large vault, picks the first matches of what is
// typed), which keeps latency and response size flat with 10,000 secrets.

import type { CompletionItem, CompletionList, Range } from 'vscode-languageserver-types';
import { CompletionItemKind, MarkupKind } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { VaultModel, SecretEntry } from './model';
import type { ScanResult, StringLiteral } from './scan/types';
import { isMissingArgument, targetAt } from './references';
import { secretMarkdown } from './markdown';
import { matchesWordStart } from './wordPrefixIndex';
import type { AgentItems, CompletionData } from './completionLists';

export type { CompletionData } from './completionLists';

export interface CompletionOptions {
  /**
   * The client accepts `itemDefaults.editRange` (LSP 3.17): the shared items go out as they are.
   * Otherwise each item gets its own `textEdit`.
   */
  editRangeDefault: boolean;
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
  return model.completionLists.forAgent(agent, model.secrets);
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
  const query = typed.toLowerCase();
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
function replaceRange(doc: TextDocument, literal: StringLiteral, offset: number, wordChar: RegExp): Range {
  const start = literal.contentSpan.start;
  let end = literal.contentSpan.end;
  if (!literal.closed) {
    const text = doc.getText();
    end = offset;
    while (end < literal.contentSpan.end && wordChar.test(text.charAt(end))) end++;
  }
  return { start: doc.positionAt(start), end: doc.positionAt(end) };
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
    return list(keyItems(entry), replaceRange(doc, literal, offset, KEY_CHAR), options.editRangeDefault, undefined, false);
  }

  const literal = target.ref.literal;
  const all = agentItems(model, model.agentFor(doc.uri));
  if (isMissingArgument(literal)) {
    const { items, incomplete } = shortlist(model, all, '');
    return insertAt(doc, literal, items, incomplete);
  }
  // A dynamic name (f-string, variable) is not ours to complete; an unclosed literal still is.
  if (literal.closed && target.ref.name === null) return null;
  const range = replaceRange(doc, literal, offset, NAME_CHAR);
  const typed = doc.getText().slice(literal.contentSpan.start, Math.max(literal.contentSpan.start, offset));
  const { items, incomplete } = shortlist(model, all, typed);
  return list(items, range, options.editRangeDefault, undefined, incomplete);
}

/**
 * Nothing typed yet (`get_secret(`, `creds[`, `.get(`, `process.env.`): insert a whole quoted
 * literal, or a bare identifier after `process.env.`.
 */
function insertAt(doc: TextDocument, literal: StringLiteral, items: CompletionItem[], incomplete: boolean): CompletionList {
  const at = doc.positionAt(literal.span.start);
  const afterDot = doc.getText().charCodeAt(literal.span.start - 1) === 46; /* . */
  return list(items, { start: at, end: at }, false, afterDot ? (label) => label : (label) => `'${label}'`, incomplete);
}

function list(
  items: CompletionItem[],
  range: Range,
  editRangeDefault: boolean,
  insert: ((label: string) => string) | undefined,
  incomplete: boolean,
): CompletionList {
  if (editRangeDefault && insert === undefined) {
    return { isIncomplete: incomplete, itemDefaults: { editRange: range }, items };
  }
  return {
    isIncomplete: incomplete,
    items: items.map((item) => ({ ...item, textEdit: { range, newText: insert ? insert(item.label) : item.label } })),
  };
}

/** Adds the documentation to a name item the client shows; resolved lazily to keep lists small. */
export function resolveCompletion(item: CompletionItem, model: VaultModel): CompletionItem {
  const data = item.data as Partial<CompletionData> | undefined;
  const entry = typeof data?.secret === 'string' ? model.secret(data.secret) : undefined;
  if (!entry) return item;
  const agent = typeof data?.agent === 'string' ? data.agent : null;
  return { ...item, documentation: { kind: MarkupKind.Markdown, value: secretMarkdown(entry, agent) } };
}
