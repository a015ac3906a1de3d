// Usages of secrets across many documents: the locations of one secret (or one of its keys), and
// the count per name for the sidebar.

import type { Location, Range } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { NamingStyle } from '../../../../protocol/names';
import type { ScanResult } from '../analyze';
import { activeReferences, targetAt } from '../scan/references';
import { rangeOf } from './common';
import { literalContent } from './candidates';

export interface AnalyzedDocument {
  doc: TextDocument;
  result: ScanResult;
}

/**
 * Where `name` is read (its reads, findReads: the sidebar's Find Usages and the questions before a
 * delete or a revoke list the same places), or with `key`, where that key of it is read; in
 * document order per file.
 */
export function findUsages(docs: Iterable<AnalyzedDocument>, style: NamingStyle | null, name: string, key?: string): Location[] {
  if (key === undefined) return findReads(docs, style, name).map(({ uri, range }) => ({ uri, range }));
  const out: Location[] = [];
  for (const { doc, result } of docs) {
    for (const ref of activeReferences(result, style)) {
      // A computed read reads the key of each of its candidates.
      if (ref.name === null ? !ref.candidates?.some((x) => x.name === name) : ref.name !== name) continue;
      for (const access of ref.keys) if (access.key === key) out.push({ uri: doc.uri, range: rangeOf(doc, access.literal.contentSpan) });
    }
  }
  return out;
}

/** A read of a secret: where, and in which environments it takes the name (null: every one). */
export interface ReadSite {
  uri: string;
  range: Range;
  environments: string[] | null;
}

/**
 * Every read of `name`, whatever environment is chosen: a literal read, or a computed read that may
 * take it (at its candidate literal when that is in the document, else at the read's argument),
 * labelled with the environments that take it; in document order per file.
 */
export function findReads(docs: Iterable<AnalyzedDocument>, style: NamingStyle | null, name: string): ReadSite[] {
  const out: ReadSite[] = [];
  for (const { doc, result } of docs) eachRead(doc, result, style, (n) => n === name, (_, site) => out.push(site));
  return out;
}

/**
 * The reads of one document, in document order: `visit` gets each name a read may take that `wants`
 * accepts, where and in which environments; `unresolved` (when given) each read whose name stays
 * unknown (`dynamic-name`: a computed read with no candidates, or one whose callers may pass others).
 * With `closedOnly`, a literal still being typed is not a read yet.
 */
export function eachRead(
  doc: TextDocument,
  result: ScanResult,
  style: NamingStyle | null,
  wants: (name: string) => boolean,
  visit: (name: string, site: ReadSite) => void,
  unresolved?: (range: Range) => void,
  closedOnly = false,
): void {
  for (const ref of activeReferences(result, style)) {
    if (closedOnly && (!ref.literal.closed || ref.literal.span.start === ref.literal.span.end)) continue;
    if (ref.name !== null) {
      // A literal read in a branch on conv.env runs only in that branch's environments (the scanner's label).
      if (wants(ref.name)) visit(ref.name, { uri: doc.uri, range: rangeOf(doc, ref.literal.contentSpan), environments: ref.environments ? [...ref.environments] : null });
      continue;
    }
    if (unresolved && (!ref.candidates || ref.candidates.length === 0 || ref.open)) unresolved(rangeOf(doc, ref.literal.contentSpan));
    for (const c of ref.candidates ?? []) {
      if (!wants(c.name)) continue;
      const here = c.uri === undefined || c.uri === doc.uri;
      const span = here ? literalContent(doc.getText(), c.literal).content : ref.literal.span;
      visit(c.name, { uri: doc.uri, range: rangeOf(doc, span), environments: c.environments === null ? null : [...c.environments] });
    }
  }
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
  if (!target) {
    // On a computed read's candidate literal (`'x_prod_api' if conv.env == 'live' else …`): that name's uses.
    const c = candidateAt(doc, offset, style);
    return c === undefined ? undefined : findUsages(docs, style, c);
  }
  const name = target?.ref.name;
  if (!target || name === null || name === undefined || name === '') return undefined;
  if (target.type === 'name') return findUsages(docs, style, name);
  const key = target.access.key;
  return key === null || key === '' ? undefined : findUsages(docs, style, name, key);
}

/** Adds one document's references to per-name counts (a Map: names come from arbitrary code, `__proto__` included). */
export function addUsageCounts(counts: Map<string, number>, result: ScanResult, style: NamingStyle | null): void {
  for (const ref of activeReferences(result, style)) {
    if (!ref.literal.closed) continue;
    if (ref.name !== null) counts.set(ref.name, (counts.get(ref.name) ?? 0) + 1);
    // A computed read counts once for each name it may take (candidates are distinct).
    else if (ref.candidates) for (const c of ref.candidates) counts.set(c.name, (counts.get(c.name) ?? 0) + 1);
  }
}

/** The candidate name whose literal (in this document) holds `offset`, if any. */
function candidateAt(doc: AnalyzedDocument, offset: number, style: NamingStyle | null): string | undefined {
  for (const ref of activeReferences(doc.result, style)) {
    for (const c of ref.candidates ?? []) {
      if ((c.uri === undefined || c.uri === doc.doc.uri) && c.literal.start < offset && offset < c.literal.end) return c.name;
    }
  }
  return undefined;
}

/** One agent's reads, as `agentNeeds` gathers them (names only). */
export interface AgentReads {
  /** Name → the environments that take it (null: every one) and its reads. */
  needs: Map<string, { environments: Set<string> | null; locations: ReadSite[] }>;
  unresolved: Location[];
}

/**
 * What each agent's code may read over `docs`, whatever environment is chosen: every name (literal,
 * computed candidate, configuration field) with its environments and reads, and the reads whose name
 * stays unknown. `agents` are listed even when none of their files reads anything; a file with no
 * agent is left out (it runs as nobody the review could judge). `isName` says which written names
 * count: a credential written where a name goes is a hardcoded-secret finding, never a name here.
 */
export function agentNeeds(
  docs: Iterable<AnalyzedDocument>,
  style: NamingStyle | null,
  agentFor: (uri: string) => string | null,
  agents: Iterable<string>,
  isName: (name: string) => boolean,
): Map<string, AgentReads> {
  const out = new Map<string, AgentReads>();
  const entry = (agent: string): AgentReads => {
    let e = out.get(agent);
    if (!e) out.set(agent, (e = { needs: new Map(), unresolved: [] }));
    return e;
  };
  for (const agent of agents) entry(agent);
  for (const { doc, result } of docs) {
    const agent = agentFor(doc.uri);
    if (agent === null || result.references.length === 0) continue;
    const e = entry(agent);
    eachRead(
      doc,
      result,
      style,
      isName,
      (name, site) => {
        let need = e.needs.get(name);
        if (!need) e.needs.set(name, (need = { environments: site.environments === null ? null : new Set(), locations: [] }));
        if (site.environments === null) need.environments = null;
        else if (need.environments) for (const env of site.environments) need.environments.add(env);
        need.locations.push(site);
      },
      (range) => e.unresolved.push({ uri: doc.uri, range }),
      true,
    );
  }
  return out;
}
