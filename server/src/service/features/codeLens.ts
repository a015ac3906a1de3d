// The Run / Debug as agent CodeLens: two commands the client carries out (it mints the run token;
// the server only says where, for which agent and in which environment). In an Agent Development
// Kit project (the host finds its project.yaml on disk, else a folder rule the client marks as a
// project) every platform function has them: the function named like its file in `functions/`,
// `flows/<flow>/functions/` or `flows/<flow>/function_steps/`, whether or not it reads a secret,
// titled with the project's agent and the chosen environment; the other functions of that file get
// none. Elsewhere (and in a file of those folders with no function named like it, which the
// platform would not run), each module-level function whose first parameter is `conv` and whose
// body reads a secret has them.

import type { CodeLens } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { Commands, type AdkFunctionKind, type RunFunctionArgs } from '../../../../protocol/lsp';
import type { VaultModel } from '../model/model';
import type { ScanResult } from '../analyze';
import type { FunctionDef } from '../scan/types';
import { activeReferences } from '../scan/references';
import { rangeOf } from './common';

/** The first parameter the platform passes: the conversation object, whose utils.get_secret reads secrets. */
const CONV = 'conv';

export function codeLenses(doc: TextDocument, result: ScanResult, model: VaultModel, projectRoot?: string | null): CodeLens[] {
  if (result.functions.length === 0) return [];
  const root = projectRoot ?? model.projectRootFor(doc.uri);
  const adk = root === null ? null : adkFunctionOf(doc.uri, root);
  const fn = adk ? result.functions.find((f) => f.name === adk.name) : undefined;
  if (adk && fn) return adkLenses(doc, fn, model, adk.kind);
  // Not a platform function (no function named like the file): the old rule.
  return secretReaderLenses(doc, result, model);
}

/** The ADK function a file holds, by its path below the project root: its kind and its name (the file's). */
export function adkFunctionOf(uri: string, root: string): { kind: AdkFunctionKind; name: string } | null {
  const base = root.endsWith('/') ? root : `${root}/`;
  if (!uri.startsWith(base)) return null;
  const parts = uri.slice(base.length).split('/');
  const file = parts[parts.length - 1]!;
  if (!file.endsWith('.py')) return null;
  let name: string;
  try {
    name = decodeURIComponent(file.slice(0, -3));
  } catch {
    return null;
  }
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return null;
  if (parts.length === 2 && parts[0] === 'functions') {
    return { kind: name === 'start_function' || name === 'end_function' ? 'lifecycle' : 'global', name };
  }
  if (parts.length === 4 && parts[0] === 'flows' && parts[1] !== '') {
    if (parts[2] === 'functions') return { kind: 'flow function', name };
    if (parts[2] === 'function_steps') return { kind: 'function step', name };
  }
  return null;
}

/** Run and Debug on the module-level function named like the file (helpers beside it get none). */
function adkLenses(doc: TextDocument, fn: FunctionDef, model: VaultModel, kind: AdkFunctionKind): CodeLens[] {
  const agent = model.agentFor(doc.uri);
  const environment = model.environment;
  const who = agent === null ? 'agent…' : (model.agentDisplayName(agent) ?? agent);
  const where = environment === 'all' ? 'choose environment' : environment;
  return pair(doc, fn, { agent, adk: kind, environment }, `${who} (${where})`);
}

function secretReaderLenses(doc: TextDocument, result: ScanResult, model: VaultModel): CodeLens[] {
  const refs = activeReferences(result, model.namingStyle);
  if (refs.length === 0) return [];
  const agent = model.agentFor(doc.uri);
  const who = agent ?? 'agent…';
  const lenses: CodeLens[] = [];
  let r = 0;
  // Both lists are in document order, and module-level functions do not nest: one merge pass.
  for (const fn of result.functions) {
    while (r < refs.length && refs[r]!.span.start < fn.span.start) r++;
    if (fn.firstParam !== CONV) continue;
    if (r >= refs.length || refs[r]!.span.start >= fn.span.end) continue;
    lenses.push(...pair(doc, fn, { agent }, who));
  }
  return lenses;
}

function pair(doc: TextDocument, fn: FunctionDef, extra: Omit<RunFunctionArgs, 'uri' | 'name' | 'line'>, who: string): CodeLens[] {
  const range = rangeOf(doc, fn.nameSpan);
  const args: RunFunctionArgs = { uri: doc.uri, name: fn.name, line: range.start.line, ...extra };
  return [
    { range, command: { title: `▶ Run as ${who}`, command: Commands.runFunction, arguments: [args] } },
    { range, command: { title: `Debug as ${who}`, command: Commands.debugFunction, arguments: [args] } },
  ];
}
