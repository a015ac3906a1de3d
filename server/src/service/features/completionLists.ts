// The name completion items per agent: built once when an agent's list is first asked for, then
// changed in place as secrets come, go or change (one binary search and splice per list), so a
// vault event never rebuilds 10,000 items and a request never allocates per secret. The lists of a
// model follow its updates through the entry changes each `apply` reports (model/model.ts).

import type { CompletionItem } from 'vscode-languageserver-types';
import { CompletionItemKind } from 'vscode-languageserver-types';
import { showInvisible } from '../../../../protocol/safeText';
import type { EntryChanges, SecretEntry, VaultModel } from '../model/model';
import { kindLabel } from './markdown';

/**
 * Carried by name items so that `completionItem/resolve` can add the documentation. A shared list
 * sends `{ agent }` once, as `itemDefaults.data` (the editor gives it to every item, whose label
 * is the name); items sent one by one carry the name too.
 */
export interface CompletionData {
  secret?: string;
  /** The agent the list was built for, so the documentation can say whether it has access. */
  agent: string | null;
}

export interface AgentItems {
  readonly agent: string | null;
  /** Those the agent can read first, then the others; by name within each (i.e. by sortText). */
  readonly items: CompletionItem[];
  /** Lower-case names, in the same order, for filtering large lists. */
  readonly lower: string[];
  /** The same items by the secret's id (`SecretEntry.id`). */
  readonly byId: (CompletionItem | undefined)[];
  /**
   * The items whose name some string literal must escape (a quote, a backslash, braces, `$`):
   * usually none, so a request shares the list as it is and copies only these.
   */
  readonly special: Set<CompletionItem>;
}

/** Characters that a Python or JavaScript string literal of some kind writes otherwise (protocol/nameLiterals.ts). */
const SPECIAL = /['"\\`${}]/;

function itemOf(entry: SecretEntry, agent: string | null): CompletionItem {
  const ok = agent === null || entry.agents.has(agent);
  return {
    label: entry.info.name,
    labelDetails: { description: ok ? kindLabel(entry) : `not granted to ${agent}` },
    kind: entry.info.kind === 'kv' ? CompletionItemKind.Struct : CompletionItemKind.Constant,
    // Invisible characters a vault held before it refused them show as escapes.
    detail: showInvisible(entry.info.description.trim()) || kindLabel(entry),
    sortText: `${ok ? '0' : '1'}${entry.info.name}`,
  };
}

export class CompletionLists {
  private readonly lists = new Map<string | null, AgentItems>();

  /** The list for `agent`, built from `secrets` (sorted by name) on first use. */
  forAgent(agent: string | null, secrets: readonly SecretEntry[]): AgentItems {
    let cached = this.lists.get(agent);
    if (cached) return cached;
    const granted: CompletionItem[] = [];
    const others: CompletionItem[] = [];
    const byId: (CompletionItem | undefined)[] = [];
    const special = new Set<CompletionItem>();
    for (const entry of secrets) {
      const item = itemOf(entry, agent);
      (item.sortText!.charCodeAt(0) === 48 /* 0 */ ? granted : others).push(item);
      byId[entry.id] = item;
      if (SPECIAL.test(item.label)) special.add(item);
    }
    const items = granted.concat(others);
    cached = { agent, items, lower: items.map((i) => i.label.toLowerCase()), byId, special };
    this.lists.set(agent, cached);
    return cached;
  }

  /** A secret was created (`old` undefined) or updated: its item changes in every list built. */
  put(entry: SecretEntry, old: SecretEntry | undefined): void {
    for (const [agent, list] of this.lists) {
      if (old) removeItem(list, old.id);
      const item = itemOf(entry, agent);
      const at = lowerBound(list.items, item.sortText!);
      list.items.splice(at, 0, item);
      list.lower.splice(at, 0, item.label.toLowerCase());
      list.byId[entry.id] = item;
      if (SPECIAL.test(item.label)) list.special.add(item);
    }
  }

  remove(old: SecretEntry): void {
    for (const list of this.lists.values()) removeItem(list, old.id);
  }

  clear(): void {
    this.lists.clear();
  }

  /** Follows one update of the model: its entries put and removed, in order, or everything cleared. */
  update(changes: EntryChanges): void {
    if (changes.cleared) {
      this.clear();
      return;
    }
    for (const change of changes.changes) {
      if (change.kind === 'put') this.put(change.entry, change.old);
      else this.remove(change.old);
    }
  }

  /** The agents whose lists are built (for tests). */
  get agents(): (string | null)[] {
    return [...this.lists.keys()];
  }
}

const byModel = new WeakMap<VaultModel, CompletionLists>();

/** The completion lists of `model`: made on first use, then changed with every update of the model. */
export function completionLists(model: VaultModel): CompletionLists {
  let lists = byModel.get(model);
  if (!lists) {
    const made = new CompletionLists();
    model.onEntryChanges((changes) => made.update(changes));
    byModel.set(model, made);
    lists = made;
  }
  return lists;
}

function removeItem(list: AgentItems, id: number): void {
  const item = list.byId[id];
  if (!item) return;
  const at = lowerBound(list.items, item.sortText!);
  if (list.items[at] === item) {
    list.items.splice(at, 1);
    list.lower.splice(at, 1);
  }
  list.byId[id] = undefined;
  list.special.delete(item);
}

function lowerBound(items: readonly CompletionItem[], sortText: string): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (items[mid]!.sortText! < sortText) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
