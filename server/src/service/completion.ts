// Completion of secret names and keys inside a reference's string. The item list for an agent is
// built once per model and shared by every request: a request only finds the literal under the
// cursor and computes one edit range, which keeps latency flat with 10,000 secrets.

import type { CompletionItem, CompletionList, Range } from 'vscode-languageserver-types';
import { CompletionItemKind, MarkupKind } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { VaultModel, SecretEntry } from './model';
import type { ScanResult, StringLiteral } from './scan/types';
import { isMissingArgument, targetAt } from './references';
import { kindLabel, secretMarkdown } from './markdown';

export interface CompletionOptions {
  /**
   * The client accepts `itemDefaults.editRange` (LSP 3.17): the shared items go out as they are.
   * Otherwise each item gets its own `textEdit`.
   */
  editRangeDefault: boolean;
}

/** Carried by name items so that `completionItem/resolve` can add the documentation. */
export interface CompletionData {
  secret: string;
  /** The agent the list was built for, so the documentation can say whether it has access. */
  agent: string | null;
}

const itemCache = new WeakMap<VaultModel, Map<string | null, CompletionItem[]>>();

/** Name items for an agent: those it can read first, the others marked with their status. */
export function nameItems(model: VaultModel, agent: string | null): CompletionItem[] {
  let perAgent = itemCache.get(model);
  if (!perAgent) itemCache.set(model, (perAgent = new Map()));
  let items = perAgent.get(agent);
  if (items) return items;
  const granted: CompletionItem[] = [];
  const others: CompletionItem[] = [];
  for (const entry of model.secrets) {
    const ok = agent === null || entry.agents.has(agent);
    const item: CompletionItem = {
      label: entry.info.name,
      labelDetails: { description: ok ? kindLabel(entry) : `not granted to ${agent}` },
      kind: entry.info.kind === 'kv' ? CompletionItemKind.Struct : CompletionItemKind.Constant,
      detail: entry.info.description.trim() || kindLabel(entry),
      sortText: `${ok ? '0' : '1'}${entry.info.name}`,
      data: { secret: entry.info.name, agent } satisfies CompletionData,
    };
    (ok ? granted : others).push(item);
  }
  items = granted.concat(others);
  perAgent.set(agent, items);
  return items;
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
    if (isMissingArgument(literal)) return insertAt(doc, literal, keyItems(entry));
    return list(keyItems(entry), replaceRange(doc, literal, offset, KEY_CHAR), options.editRangeDefault, undefined);
  }

  const literal = target.ref.literal;
  const items = nameItems(model, model.agentFor(doc.uri));
  if (isMissingArgument(literal)) return insertAt(doc, literal, items);
  // A dynamic name (f-string, variable) is not ours to complete; an unclosed literal still is.
  if (literal.closed && target.ref.name === null) return null;
  return list(items, replaceRange(doc, literal, offset, NAME_CHAR), options.editRangeDefault, undefined);
}

/**
 * Nothing typed yet (`get_secret(`, `creds[`, `.get(`, `process.env.`): insert a whole quoted
 * literal, or a bare identifier after `process.env.`.
 */
function insertAt(doc: TextDocument, literal: StringLiteral, items: CompletionItem[]): CompletionList {
  const at = doc.positionAt(literal.span.start);
  const afterDot = doc.getText().charCodeAt(literal.span.start - 1) === 46; /* . */
  return list(items, { start: at, end: at }, false, afterDot ? (label) => label : (label) => `'${label}'`);
}

function list(
  items: CompletionItem[],
  range: Range,
  editRangeDefault: boolean,
  insert: ((label: string) => string) | undefined,
): CompletionList {
  if (editRangeDefault && insert === undefined) {
    return { isIncomplete: false, itemDefaults: { editRange: range }, items };
  }
  return {
    isIncomplete: false,
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
