// The language service: one facade over pure functions of a text document and the vault model, no
// LSP transport and no I/O (as vscode-markdown-languageservice's createLanguageService). It owns
// the model: metadata goes in as a snapshot or changes, and each change says which documents it
// can affect. `server/src/session.ts` and `server/src/server.ts` adapt it to LSP; the CLI's check
// uses the same checks.

import type { CodeAction, CodeLens, CompletionItem, CompletionList, Diagnostic, Hover, Location } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { AgentNeeds, MetadataChange, SecretRead, StaleInfo, VaultSnapshot } from '../../../protocol/lsp';
import type { NamingStyle } from '../../../protocol/names';
import { VaultModel, noImpact, type ModelImpact } from './model/model';
import type { ImportLookup, ScanLanguage } from './scan/types';
import type { ScanResult } from './analyze';
import { activeReferences } from './scan/references';
import { scan } from './analyze';
import { computeDiagnostics } from './features/diagnostics';
import { complete, nameItems, resolveCompletion, type CompletionOptions } from './features/completion';
import { hover } from './features/hover';
import { codeActions } from './features/codeActions';
import { codeLenses } from './features/codeLens';
import { addUsageCounts, agentNeeds, findReads, findUsages, referencesAt, type AnalyzedDocument } from './features/usages';
import { isNearName } from './model/nearest';
import { credentialRead } from './features/quoting';
import type { Locate } from './features/candidates';
import { formatDate } from '../../../protocol/dates';
import { ENVIRONMENTS } from '../../../protocol/environments';

export { VaultModel, type SecretEntry, type ModelImpact } from './model/model';
export { scan, type ScanResult } from './analyze';
export { activeReferences, CONFIG_FILE, isConfigPath, languageOfDocument, languageOfId, languageOfPath, SCANNED_EXTENSIONS, targetAt } from './scan/references';
export { computeDiagnostics, nameProblem } from './features/diagnostics';
export type { DiagnosticData, CandidateLocation } from './features/common';
export type { Locate } from './features/candidates';
export { complete, resolveCompletion, nameItems, type CompletionOptions, type CompletionData } from './features/completion';
export { hover } from './features/hover';
export { codeActions } from './features/codeActions';
export { codeLenses } from './features/codeLens';
export { findUsages, addUsageCounts, referencesAt, type AnalyzedDocument } from './features/usages';
export { NameIndex, boundedDistance, typoBound } from './model/nearest';

/** Diagnostic codes whose verdict depends on the vault's metadata: stale data can make them wrong. */
const VAULT_DEPENDENT: ReadonlySet<string> = new Set(['unknown-secret', 'not-granted', 'unknown-key', 'not-a-mapping', 'wrong-kind', 'secret-expired', 'rotation-due']);
/** Beyond this many added or removed names, comparing each with every unknown reference costs more than re-checking. */
const NEIGHBOUR_CHECK_LIMIT = 64;

export interface LanguageService {
  /** The metadata as the features see it (changed in place by `load` and `apply`). */
  readonly model: VaultModel;
  /**
   * Takes a full snapshot: the first builds the model; a later one is applied as its difference
   * (an identical one changes nothing and says so).
   */
  load(snapshot: VaultSnapshot): ModelImpact;
  /** Applies changes (a delta) in order. */
  apply(changes: readonly MetadataChange[]): ModelImpact;
  /** Forgets the metadata: the next snapshot builds the model afresh. */
  reset(): void;
  /** Whether a change can alter the diagnostics of the document at `uri` with this scan. */
  affects(impact: ModelImpact, uri: string, result: ScanResult): boolean;
  /** `imports`: the names a Python document imports from other modules of its project (the session supplies it). */
  scan(text: string, language: ScanLanguage, imports?: ImportLookup): ScanResult;
  /** The names a document references (closed literals, and the candidates of computed reads, in this account's style). */
  referencedNames(result: ScanResult): ReadonlySet<string>;
  /** `locate`: the other documents a computed name's literal may be in, when at hand. */
  diagnostics(doc: TextDocument, result: ScanResult, locate?: Locate): Diagnostic[];
  complete(doc: TextDocument, result: ScanResult, offset: number, options: CompletionOptions): CompletionList | null;
  /** Builds the name list completion gives in the document at `uri` ahead of its first use (10,000 secrets: tens of ms), once the metadata is in. */
  prepareCompletion(uri: string): void;
  resolveCompletion(item: CompletionItem): CompletionItem;
  hover(doc: TextDocument, result: ScanResult, offset: number): Hover | null;
  codeActions(doc: TextDocument, result: ScanResult, diagnostics: readonly Diagnostic[], only?: readonly string[]): CodeAction[];
  /**
   * Run / Debug as agent above ADK functions and module-level Python functions of `conv` that read
   * secrets; `projectRoot`: the document's ADK project root when the host knows it (else the model's
   * folder rules say).
   */
  codeLenses(doc: TextDocument, result: ScanResult, projectRoot?: string | null): CodeLens[];
  references(doc: AnalyzedDocument, offset: number, docs: Iterable<AnalyzedDocument>): Location[] | undefined;
  usages(docs: Iterable<AnalyzedDocument>, name: string, key?: string): Location[];
  /** Every read of `name` over `docs`, whatever environment is chosen, with the agent each file runs as. */
  reads(docs: Iterable<AnalyzedDocument>, name: string): SecretRead[];
  /** What each agent of the workspace may read over `docs` (the Access review view), in agent id order. */
  agentNeeds(docs: Iterable<AnalyzedDocument>): AgentNeeds[];
  /** References per name over `docs`; with `vaultOnly`, only names of secrets the vault has. */
  usageCounts(docs: Iterable<AnalyzedDocument>, vaultOnly: boolean): Map<string, number>;
}

export interface LanguageServiceOptions {
  /** The clock that decides what is expired or due for rotation (protocol/lifecycle.ts); tests set it. */
  now?: () => number;
}

export function createLanguageService(options: LanguageServiceOptions = {}): LanguageService {
  const now = options.now ?? Date.now;
  let model = VaultModel.empty;
  const namesCache = new WeakMap<ScanResult, { style: NamingStyle | null; names: ReadonlySet<string> }>();

  const referencedNames = (result: ScanResult): ReadonlySet<string> => {
    const style = model.namingStyle;
    const cached = namesCache.get(result);
    if (cached && cached.style === style) return cached.names;
    const names = new Set<string>();
    for (const ref of activeReferences(result, style)) {
      if (ref.name !== null) names.add(ref.name);
      // A computed read is checked against each name it may take.
      else if (ref.candidates) for (const c of ref.candidates) names.add(c.name);
    }
    namesCache.set(result, { style, names });
    return names;
  };

  return {
    get model() {
      return model;
    },

    load(snapshot) {
      if (!model.loaded) {
        model = VaultModel.fromSnapshot(snapshot);
        return { ...noImpact(), changed: true, all: true };
      }
      const changes = model.differenceTo(snapshot);
      return changes.length === 0 ? noImpact() : model.apply(changes);
    },

    apply(changes) {
      return model.apply(changes);
    },

    reset() {
      model = VaultModel.empty;
    },

    affects(impact, uri, result) {
      if (!impact.changed) return false;
      if (impact.all) return true;
      if (impact.environment && hasCandidates(result, model.namingStyle)) return true;
      const names = referencedNames(result);
      if (names.size === 0) return false;
      for (const name of impact.names) if (names.has(name)) return true;
      if (impact.agentBefore && impact.agentBefore(uri) !== model.agentFor(uri)) return true;
      if (impact.addedOrRemoved.size === 0 || !model.ready) return false;
      // A name that came or went may be the new did-you-mean of an unknown name near it (a typo
      // away, or the same but for case, spacing or `_`/`-`/space).
      for (const name of names) {
        if (model.secret(name)) continue;
        if (impact.addedOrRemoved.size > NEIGHBOUR_CHECK_LIMIT) return true;
        for (const other of impact.addedOrRemoved) if (isNearName(name, other)) return true;
      }
      return false;
    },

    scan,
    referencedNames,

    diagnostics(doc, result, locate) {
      const found = computeDiagnostics(doc, result, model, now(), locate);
      const stale = model.stale;
      if (stale === null) return found;
      // Only verdicts that rest on the vault's metadata can be out of date; naming and dynamic-name
      // checks hold whatever the vault says.
      const note = staleNote(stale, model.connection === 'unreachable');
      for (const d of found) if (typeof d.code === 'string' && VAULT_DEPENDENT.has(d.code)) d.message += ` (${note})`;
      return found;
    },

    complete: (doc, result, offset, options) => complete(doc, result, model, offset, options),
    prepareCompletion(uri) {
      if (model.loaded) nameItems(model, model.agentFor(uri));
    },
    resolveCompletion: (item) => resolveCompletion(item, model, now()),

    hover(doc, result, offset) {
      const found = hover(doc, result, model, offset, now());
      const stale = model.stale;
      if (!found || stale === null || typeof found.contents !== 'object' || !('kind' in found.contents)) return found;
      found.contents.value += `\n\n---\n\n_${staleNote(stale, model.connection === 'unreachable')}_`;
      return found;
    },

    codeActions: (doc, result, diagnostics, only) => codeActions(doc, result, model, diagnostics, only),
    codeLenses: (doc, result, projectRoot) => codeLenses(doc, result, model, projectRoot),
    references: (doc, offset, docs) => referencesAt(doc, offset, docs, model.namingStyle),
    usages: (docs, name, key) => findUsages(docs, model.namingStyle, name, key),
    reads: (docs, name) =>
      findReads(docs, model.namingStyle, name).map((r) => {
        const agent = model.agentFor(r.uri);
        return { ...r, agent, agentName: agent === null ? null : (model.agentDisplayName(agent) ?? null) };
      }),

    agentNeeds(docs) {
      // A credential written where a name goes is never listed (nor quoted) as a name: `access review`'s rule.
      const isName = (name: string) => name !== '' && credentialRead(name, model) === null;
      const byAgent = agentNeeds(docs, model.namingStyle, (uri) => model.agentFor(uri), model.folderAgents(), isName);
      return [...byAgent.keys()].sort(compareIds).map((agent) => {
        const { needs, unresolved } = byAgent.get(agent)!;
        return {
          agent,
          agentName: model.agentDisplayName(agent) ?? null,
          needs: [...needs.keys()].sort(compareIds).map((name) => {
            const need = needs.get(name)!;
            return { name, environments: need.environments === null ? null : [...need.environments].sort(byEnvironment), locations: need.locations.sort(byPlace) };
          }),
          // In the files' order, not the order they were analysed in (which a workspace's indexing leaves to chance).
          unresolved: unresolved.sort(byPlace),
        };
      });
    },

    usageCounts(docs, vaultOnly) {
      const counts = new Map<string, number>();
      for (const { result } of docs) addUsageCounts(counts, result, model.namingStyle);
      if (vaultOnly) for (const name of counts.keys()) if (!model.secret(name)) counts.delete(name);
      return counts;
    },
  };
}

/** sandbox, pre-release, live, then any other in code-point order. */
function byEnvironment(a: string, b: string): number {
  const i = ENVIRONMENTS.indexOf(a as (typeof ENVIRONMENTS)[number]);
  const j = ENVIRONMENTS.indexOf(b as (typeof ENVIRONMENTS)[number]);
  return i !== j ? (i < 0 ? 1 : j < 0 ? -1 : i - j) : compareIds(a, b);
}

/** Code-point order, the same on every machine (ids and names are case-sensitive). */
function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Whether a document has a computed read with candidates, or a read in a branch on `conv.env`: the chosen environment decides which are reported. */
function hasCandidates(result: ScanResult, style: NamingStyle | null): boolean {
  for (const ref of activeReferences(result, style)) if ((ref.candidates !== undefined && ref.candidates.length > 0) || ref.environments !== undefined) return true;
  return false;
}

/** "vault unreachable; as of 2026-11-22 10:00 UTC": said wherever stale data decides an answer. */
export function staleNote(stale: StaleInfo, unreachable: boolean): string {
  // In the client's locale (protocol/dates.ts); ISO with UTC without one; as written when unreadable.
  const when = formatDate(stale.since, { time: true });
  return `${unreachable ? 'vault unreachable' : 'offline data'}; as of ${when}`;
}

/** Places by file, then by position. */
function byPlace(a: { uri: string; range: { start: { line: number; character: number } } }, b: typeof a): number {
  return a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
}
