// Usages of secrets across many documents: the locations of one secret (or one of its keys), and
// the count per name for the sidebar.

import type { Location } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { NamingStyle } from '../../../../protocol/names';
import type { ScanResult } from '../analyze';
import { activeReferences, targetAt } from '../scan/references';
import { rangeOf } from './common';

export interface AnalyzedDocument {
  doc: TextDocument;
  result: ScanResult;
}

/** Where `name` is read, or with `key`, where that key of it is read; in document order per file. */
export function findUsages(docs: Iterable<AnalyzedDocument>, style: NamingStyle | null, name: string, key?: string): Location[] {
  const out: Location[] = [];
  for (const { doc, result } of docs) {
    for (const ref of activeReferences(result, style)) {
      if (ref.name !== name) continue;
      if (key === undefined) {
        out.push({ uri: doc.uri, range: rangeOf(doc, ref.literal.contentSpan) });
      } else {
        for (const access of ref.keys) {
          if (access.key === key) out.push({ uri: doc.uri, range: rangeOf(doc, access.literal.contentSpan) });
        }
      }
    }
  }
  return out;
}

/**
 * Find All References on a secret name (or key) at `offset` of `doc`: every place the workspace
 * reads it. Undefined when the cursor is not on a name or key we know as a literal.
 */
export function referencesAt(
  doc: AnalyzedDocument,
  offset: number,
  docs: Iterable<AnalyzedDocument>,
  style: NamingStyle | null,
): Location[] | undefined {
  const target = targetAt(doc.result, style, offset);
  const name = target?.ref.name;
  if (!target || name === null || name === undefined || name === '') return undefined;
  if (target.type === 'name') return findUsages(docs, style, name);
  const key = target.access.key;
  return key === null || key === '' ? undefined : findUsages(docs, style, name, key);
}

/** Adds one document's references to per-name counts (a Map: names come from arbitrary code, `__proto__` included). */
export function addUsageCounts(counts: Map<string, number>, result: ScanResult, style: NamingStyle | null): void {
  for (const ref of activeReferences(result, style)) {
    if (ref.name === null || !ref.literal.closed) continue;
    counts.set(ref.name, (counts.get(ref.name) ?? 0) + 1);
  }
}
