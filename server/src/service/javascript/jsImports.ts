// Names a JavaScript / TypeScript document imports from another module of its project
// (`import { CRM_KEY } from './names'`, `import { NAMES as N } from '../shared/names.js'`): the
// import a binding comes from, and its values from the caller's ImportLookup (what the session, the
// workspace index and `check` read of that module: its exported constants, jsNameSets.ts's
// jsModuleNames), and a namespace import's members (`import * as names` read as `names.CRM_KEY`).
// A module from a package, or a name the module does not resolve, stays unknown.

import { entriesOf, importedAlternatives, returnsName } from '../evaluate/candidates';
import type { Alternative } from '../evaluate/values';
import { CLOSE, IDENT, OP, OPEN, OP_STAR, STRING, isOp, tokenIs } from '../scan/tokens';
import type { ImportLookup, ModuleNames, NameCandidate } from '../scan/types';
import { evalExpr, find } from './jsNameSetsExpr';
import { defaultName, filled, type TemplateParam, templateOf, templateReadersIn } from '../evaluate/templates';
import { B_OTHER, type JsBinding, type JsIndex } from './jsNameSetsIndex';
import { fail, span, type JsNames, type TableEntry } from './jsNameSetsTypes';

/** How far an import clause is looked through (`import a, { b as c, … } from '…'`). */
const MAX_CLAUSE = 512;

/**
 * The module and the name in it that `b` imports (`import { a as b } from './names'`: './names' and
 * 'a'; a default import's name is `default`); null when `b` is no import's, or a namespace's.
 */
export function importOf(ix: JsIndex, b: JsBinding): { module: string; name: string } | null {
  const { buf, text } = ix;
  let braced = false;
  let k = b.tok - 1;
  for (let guard = 0; k >= 0 && guard < MAX_CLAUSE; guard++, k--) {
    const kind = buf.kind[k];
    if (kind === IDENT && tokenIs(text, buf, k, 'import')) break;
    if (kind === OPEN) braced = true;
    else if (kind !== IDENT && kind !== OP && kind !== CLOSE) return null;
  }
  if (k < 0 || !tokenIs(text, buf, k, 'import') || ix.isDot(k - 1)) return null;
  let f = b.tok + 1;
  for (let guard = 0; f < ix.count && guard < MAX_CLAUSE && !tokenIs(text, buf, f, 'from'); guard++, f++) {
    const kind = buf.kind[f];
    if (kind !== IDENT && kind !== OP && kind !== CLOSE && kind !== OPEN) return null;
  }
  if (!tokenIs(text, buf, f, 'from') || buf.kind[f + 1] !== STRING) return null;
  const module = text.slice(buf.start[f + 1]! + 1, buf.end[f + 1]! - 1);
  if (tokenIs(text, buf, b.tok - 1, 'as')) {
    // `* as ns`: the module itself, not one of its names.
    if (buf.kind[b.tok - 2] !== IDENT) return null;
    return { module, name: ix.word(b.tok - 2) };
  }
  return { module, name: braced ? b.name : 'default' };
}

/** The values of the imported name `b` read at `t`: the module's, each with its literal there; unknown when the lookup has none. */
export function importedValues(r: JsNames, imports: ImportLookup, b: JsBinding, t: number): Alternative[] {
  const from = importOf(r.ix, b);
  const names = from === null ? undefined : imports(from.module)?.get(from.name);
  if (names === undefined || names.length === 0) return fail(r, t, t + 1);
  return importedAlternatives(r, names);
}

/** The module `b` is bound to by `import * as b from '…'`, or null. */
function namespaceOf(ix: JsIndex, b: JsBinding): string | null {
  const { buf, text } = ix;
  const t = b.tok;
  if (!tokenIs(text, buf, t - 1, 'as') || !isOp(buf, t - 2, OP_STAR)) return null;
  if (!tokenIs(text, buf, t - 3, 'import') || ix.isDot(t - 4) || !tokenIs(text, buf, t + 1, 'from') || buf.kind[t + 2] !== STRING) return null;
  return text.slice(buf.start[t + 2]! + 1, buf.end[t + 2]! - 1);
}

/**
 * `names.CRM_KEY` (tokens [from, to), `names` at `from`) of a namespace import: the member's values,
 * as the module exports them; unknown when the lookup has none. Null when `names` is no namespace import.
 */
export function namespaceValues(r: JsNames, imports: ImportLookup, from: number, to: number): Alternative[] | null {
  const b = find(r, r.ix.word(from), from);
  if (b === null || b.kind !== B_OTHER) return null;
  const module = namespaceOf(r.ix, b);
  if (module === null) return null;
  const names = imports(module)?.get(r.ix.word(to - 1));
  if (names === undefined || names.length === 0) return fail(r, from, to);
  return importedAlternatives(r, names);
}

/**
 * The entries of the object another module of the project exports, imported as `b` and read at
 * token `t` (`import { SECRETS } from './config'`, then `SECRETS[conv.env]`): each key with its value
 * as that module resolves it, in its order (jsNameSets.ts's jsModuleNames gives them, only when
 * it knows every entry); null when it gives none. A test of a key is
 * shown at the entry's value, in that module.
 */
export function importedTable(r: JsNames, imports: ImportLookup, b: JsBinding, t: number): TableEntry[] | null {
  const from = importOf(r.ix, b);
  return from === null ? null : tableOf(r, imports(from.module), from.name, t);
}

/** `names.SECRETS` at [from, to) of a namespace import: the entries of the object it exports (importedTable's); null when it is none. */
export function namespaceTable(r: JsNames, imports: ImportLookup, from: number, to: number): TableEntry[] | null {
  const b = find(r, r.ix.word(from), from);
  const module = b === null || b.kind !== B_OTHER ? null : namespaceOf(r.ix, b);
  return module === null ? null : tableOf(r, imports(module), r.ix.word(to - 1), from);
}

/** The entries `names` (a module's) gives the object `name` (candidates.ts's entriesOf), read at token `t`; null when none. */
function tableOf(r: JsNames, names: ModuleNames | undefined, name: string, t: number): TableEntry[] | null {
  const out = (names === undefined ? [] : entriesOf(names, name)).map(([key, candidates]): TableEntry => {
    const values = importedAlternatives(r, candidates);
    return { key, written: JSON.stringify(key), span: values[0]!.literal ?? span(r, t, t + 1), from: t, to: t + 1, element: false, values };
  });
  return out.length > 0 ? out : null;
}

/**
 * `stripeName(conv)` / `cfg.stripeName(conv)` with the callee at [from, calleeEnd), its arguments
 * `args` and its end `to`: a function another module of the project exports (`import { stripeName }
 * from './names'`, a namespace import's member), as that module resolves what it returns whatever
 * it is given (jsNameSets.ts's jsModuleNames gives it), or its template filled with this call's
 * arguments (evaluate/templates.ts); null when the callee is no such import. A marked parameter the
 * call does not pass does not resolve.
 */
export function importedCall(r: JsNames, imports: ImportLookup, from: number, calleeEnd: number, args: Array<[number, number]>, to: number): Alternative[] | null {
  const callee = importedCallee(r, imports, from, calleeEnd);
  if (callee === null) return null;
  const { names, name } = callee;
  const plain = names.get(returnsName(name));
  if (plain !== undefined && plain.length > 0) return importedAlternatives(r, plain);
  const template = templateOf(names, name);
  if (template === null || template.candidates.length === 0) return null;
  return fillTemplate(r, names, name, template, args, from, to);
}

/**
 * The names read by a call [from, to) of another module's function whose one read joins its
 * parameters into the name (templates.ts's templateReaderName): its template filled with the
 * call's arguments; null when the callee is none such.
 */
export function importedReadCall(r: JsNames, imports: ImportLookup, from: number, calleeEnd: number, args: Array<[number, number]>, to: number): Alternative[] | null {
  const callee = importedCallee(r, imports, from, calleeEnd);
  const template = callee === null ? undefined : templateReadersIn(callee.names).get(callee.name);
  return template === undefined ? null : fillTemplate(r, callee!.names, callee!.name, template, args, from, to);
}

/** The module's names and the name in it that the callee [from, calleeEnd) imports (`f`, `ns.f`); null when it is none. */
function importedCallee(r: JsNames, imports: ImportLookup, from: number, calleeEnd: number): { names: ModuleNames; name: string } | null {
  const { ix } = r;
  let module: string | null = null;
  let name = '';
  if (calleeEnd === from + 1) {
    const b = find(r, ix.word(from), from);
    const source = b === null || b.kind !== B_OTHER ? null : importOf(ix, b);
    if (source === null) return null;
    module = source.module;
    name = source.name;
  } else if (calleeEnd === from + 3) {
    const b = find(r, ix.word(from), from);
    module = b === null || b.kind !== B_OTHER ? null : namespaceOf(ix, b);
    name = ix.word(from + 2);
  }
  const names = module === null ? undefined : imports(module);
  return names === undefined ? null : { names, name };
}

/** A template of module function `name` (in `names`) filled with a call's arguments `args` at [from, to), a parameter left out taking its default's names. */
function fillTemplate(r: JsNames, names: ModuleNames, name: string, template: { params: readonly TemplateParam[]; candidates: readonly NameCandidate[] }, args: Array<[number, number]>, from: number, to: number): Alternative[] {
  const values = new Map<number, Alternative[]>();
  return filled(r, template.candidates, (k) => {
    let known = values.get(k);
    if (known === undefined) {
      const arg = template.params[k]?.keywordOnly === false ? args[k] : undefined;
      if (arg === undefined) {
        // Left out: its default's names, as the module says them (templates.ts's defaultName).
        const given = names.get(defaultName(name, template.params, k));
        if (given === undefined || given.length === 0) return fail(r, from, to);
        values.set(k, (known = importedAlternatives(r, given)));
      } else values.set(k, (known = evalExpr(r, arg[0], arg[1])));
    }
    return known;
  }, from, to);
}
