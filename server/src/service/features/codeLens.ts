// The Run / Debug as agent CodeLens: above each module-level Python function whose
// first parameter is `conv` and whose body reads a secret, two commands the client carries out
// (it mints the run token; the server only says where and for which agent).

import type { CodeLens } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { Commands, type RunFunctionArgs } from '../../../../protocol/lsp';
import type { VaultModel } from '../model/model';
import type { ScanResult } from '../analyze';
import { activeReferences } from '../scan/references';
import { rangeOf } from './common';

/** The first parameter the platform passes: the conversation object, whose utils.get_secret reads secrets. */
const CONV = 'conv';

export function codeLenses(doc: TextDocument, result: ScanResult, model: VaultModel): CodeLens[] {
  if (result.functions.length === 0) return [];
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
    const range = rangeOf(doc, fn.nameSpan);
    const args: RunFunctionArgs = { uri: doc.uri, name: fn.name, line: range.start.line, agent };
    lenses.push(
      { range, command: { title: `▶ Run as ${who}`, command: Commands.runFunction, arguments: [args] } },
      { range, command: { title: `Debug as ${who}`, command: Commands.debugFunction, arguments: [args] } },
    );
  }
  return lenses;
}
