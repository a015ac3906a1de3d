// What each agent's files read, for `secrets-vault access review`: the names of the same references
// the diagnostics judge (literal names, a computed name's candidates with their environments, the
// project configuration's fields), where each is read, and the reads whose name stays unknown (the
// file's dynamic-name findings, whose messages never quote a credential). Gathered file by file
// during the check, then merged per agent.

import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { AgentReads, CheckFinding, DynamicRead, NameRead, ReadLocation } from '../../../protocol/check';
import { ENVIRONMENTS } from '../../../protocol/environments';
import type { ScanResult } from '../service/analyze';
import { credentialRead } from '../service/features/quoting';
import type { VaultModel } from '../service/model/model';
import { eachRead } from '../service/features/usages';

/** One file's reads: each name with its place and environments, and the unknown ones. */
export interface FileReads {
  names: { name: string; location: ReadLocation }[];
  dynamic: DynamicRead[];
}

export function readsOf(doc: TextDocument, rel: string, result: ScanResult, model: VaultModel, findings: readonly CheckFinding[]): FileReads {
  const names: FileReads['names'] = [];
  // The reads as the editor lists them (eachRead: a literal read with its branch's environments, a
  // computed read's candidates at their literals), a literal still being typed left out. A
  // credential written where a name goes is a hardcoded-secret finding: never a name here.
  const wants = (name: string) => name !== '' && credentialRead(name, model) === null;
  eachRead(doc, result, model.namingStyle, wants, (name, site) => {
    const { line, character } = site.range.start;
    names.push({ name, location: { path: rel, line: line + 1, column: character + 1, environments: site.environments } });
  }, undefined, true);
  const dynamic = findings.filter((f) => f.code === 'dynamic-name').map((f) => ({ path: f.path, line: f.line, column: f.column, message: f.message }));
  return { names, dynamic };
}

interface Gathered {
  sources: Set<string>;
  names: Map<string, ReadLocation[]>;
  dynamic: DynamicRead[];
}

/** Merges the files' reads per agent (several project.yaml files may name one agent). */
export class ReadsCollector {
  private readonly agents = new Map<string | null, Gathered>();

  add(agent: string | null, source: string | null, reads: FileReads): void {
    let g = this.agents.get(agent);
    if (!g) this.agents.set(agent, (g = { sources: new Set(), names: new Map(), dynamic: [] }));
    if (source !== null) g.sources.add(source);
    for (const { name, location } of reads.names) {
      const list = g.names.get(name);
      if (list) list.push(location);
      else g.names.set(name, [location]);
    }
    g.dynamic.push(...reads.dynamic);
  }

  result(): AgentReads[] {
    const out: AgentReads[] = [];
    for (const [agent, g] of this.agents) {
      const names: NameRead[] = [...g.names]
        .sort((a, b) => compare(a[0], b[0]))
        .map(([name, locations]) => ({ name, environments: unionOf(locations), locations: locations.sort(byPlace) }));
      out.push({ agent, sources: [...g.sources].sort(compare), names, dynamic: g.dynamic.sort(byPlace) });
    }
    return out.sort((a, b) => (a.agent === null ? 1 : b.agent === null ? -1 : compare(a.agent, b.agent)));
  }
}

/** The environments of all the reads: null when one takes the name in every environment; else in promotion order, then others by name. */
function unionOf(locations: readonly ReadLocation[]): string[] | null {
  const all = new Set<string>();
  for (const l of locations) {
    if (l.environments === null) return null;
    for (const e of l.environments) all.add(e);
  }
  const order = (e: string) => {
    const i = (ENVIRONMENTS as readonly string[]).indexOf(e);
    return i < 0 ? ENVIRONMENTS.length : i;
  };
  return [...all].sort((a, b) => order(a) - order(b) || compare(a, b));
}

function byPlace(a: { path: string; line: number; column: number }, b: { path: string; line: number; column: number }): number {
  return compare(a.path, b.path) || a.line - b.line || a.column - b.column;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
