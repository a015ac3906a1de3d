// Names a Python document imports from another module of its project, for the name-set
// resolver: `from .config import SECRET_NAME [as name]`, a module imported whole and read as an
// attribute (`from . import config` / `import functions.config as config`, then `config.SECRET_NAME`),
// and `from .config import *`. The values are the caller's ImportLookup's (what the session, the
// workspace index and `check` read of that module: nameSets.ts's pythonModuleNames); a module not
// of the project, or a name it does not resolve, stays unknown.

import { entriesOf, importedAlternatives, returnsName } from '../evaluate/candidates';
import { defaultName, filled, type TemplateParam, templateOf, templateReadersIn } from '../evaluate/templates';
import { unresolved, Unresolved } from '../evaluate/evaluation';
import { NO_CONDS, type Alternative } from '../evaluate/values';
import { IDENT, OP_DOT, OP_STAR, isOp, tokenIs } from '../scan/tokens';
import { callArguments } from './nameSetsCalls';
import { scopeStatements } from './nameSetsFlow';
import { nameAt } from './nameSetsIndex';
import { definitionsAt } from './nameSetsIter';
import { type At, DEF_IMPORT, type Def, type Resolver } from './nameSetsTypes';
import type { ModuleNames, NameCandidate } from '../scan/types';
import { statements as S } from './pythonRefsState';

/** `name` as the import statement `d` binds it (`from M import X [as name]`, `from M import *`): its values in M. */
export function imported(r: Resolver, d: Def, name: string): Alternative[] {
  const source = importSource(r, d, name);
  const names = source === null ? undefined : r.imports?.(source.module)?.get(source.name);
  if (!names || names.length === 0) {
    // The name where it is imported; the whole statement for `*`, or an import of another form.
    if (source === null || source.at === d.start) unresolved(r, d.start, d.end);
    unresolved(r, source.at, source.at + 1);
  }
  return importedAlternatives(r, names);
}

/**
 * The dict another module of the project defines, read at [s, e) as a name it imports (`SECRETS`
 * after `from .config import SECRETS`) or an attribute of a module it imports (`config.SECRETS`):
 * each key with its value as that module resolves it, in its order (nameSets.ts's
 * pythonModuleNames gives them, only when it knows every entry); null when it is not imported so,
 * or its module gives none.
 */
export function importedTable(r: Resolver, s: number, e: number, at: At): Array<[string, Alternative[]]> | null {
  const from = importedFrom(r, s, e, at);
  const names = from === null ? undefined : r.imports?.(from.module);
  if (!names) return null;
  const out = entriesOf(names, from!.name).map(([key, candidates]): [string, Alternative[]] => [key, importedAlternatives(r, candidates)]);
  return out.length > 0 ? out : null;
}

/**
 * `f(…)` / `module.f(…)` at [s, close] (its `(` at `open`) calling a function another module of
 * the project defines (`from .config import secret_name_for`, `from . import config`): what it
 * returns there whatever it is given (pythonModuleNames gives it when no return depends on a
 * parameter), or its template filled with this call's arguments (when the returns only join
 * parameters into the name: evaluate/templates.ts); null when the callee is not imported so, or
 * its module gives neither. A marked parameter the call does not pass (its default is the
 * module's) does not resolve.
 */
export function importedCall(r: Resolver, s: number, open: number, close: number, at: At): Alternative[] | null {
  const from = importedFrom(r, s, open, at);
  const names = from === null ? undefined : r.imports?.(from.module);
  if (names === undefined) return null;
  const plain = names.get(returnsName(from!.name));
  if (plain && plain.length > 0) return importedAlternatives(r, plain);
  const template = templateOf(names, from!.name);
  if (template === null || template.candidates.length === 0) return null;
  return fillTemplate(r, names, from!.name, template, s, open, close, at);
}

/**
 * The names read by a call [s, close] of another module's function whose one read joins its
 * parameters into the name (templates.ts's templateReaderName): its template filled with the
 * call's arguments; null when the callee is none such.
 */
export function importedReadCall(r: Resolver, s: number, open: number, close: number, at: At): Alternative[] | null {
  const from = importedFrom(r, s, open, at);
  const names = from === null ? undefined : r.imports?.(from.module);
  const template = names === undefined ? undefined : templateReadersIn(names).get(from!.name);
  return template === undefined ? null : fillTemplate(r, names!, from!.name, template, s, open, close, at);
}

/** A template of module function `name` (in `names`) filled with the arguments of the call [s, close] (its `(` at `open`), a marked parameter left out taking its default's names. */
function fillTemplate(r: Resolver, names: ModuleNames, name: string, template: { params: readonly TemplateParam[]; candidates: readonly NameCandidate[] }, s: number, open: number, close: number, at: At): Alternative[] {
  const args = callArguments(r, open, close);
  const positional = template.params.filter((p) => !p.keywordOnly);
  const values = new Map<number, Alternative[]>();
  const value = (k: number): Alternative[] => {
    let known = values.get(k);
    if (known === undefined) {
      const param = template.params[k];
      const position = param === undefined || param.keywordOnly ? -1 : positional.indexOf(param);
      const arg = param === undefined ? undefined : (args.keywords.get(param.name) ?? (position >= 0 ? args.positional[position] : undefined));
      if (arg === undefined) {
        // Left to its default: the names the module says it gives (templates.ts's defaultName).
        const given = names.get(defaultName(name, template.params, k));
        if (given === undefined || given.length === 0) unresolved(r, s, close + 1);
        values.set(k, (known = importedAlternatives(r, given)));
      } else values.set(k, (known = r.ev.expr(r, arg[0], arg[1], at)));
    }
    return known;
  };
  return filled(r, template.candidates, value, s, close + 1);
}

/**
 * The module and the name in it that [s, e) reads: a name imported from it (`from M import X as s`)
 * or an attribute of a module imported whole (`config.X`); null for anything else (a name bound
 * nowhere is left to the caller to name as unknown).
 */
function importedFrom(r: Resolver, s: number, e: number, at: At): { module: string; name: string } | null {
  const { buf } = r.scan;
  if (buf.kind[s] !== IDENT) return null;
  if (e === s + 3 && isOp(buf, s + 1, OP_DOT) && buf.kind[s + 2] === IDENT) {
    const module = importedModule(r, s, at);
    return module === null ? null : { module, name: nameAt(r, s + 2) };
  }
  if (e !== s + 1) return null;
  const depth = r.depth;
  let defs: Def[];
  try {
    defs = r.ev.lookup(r, s, at);
  } catch (err) {
    if (!(err instanceof Unresolved)) throw err;
    r.depth = depth;
    return null;
  }
  const source = defs.length === 1 && defs[0]!.kind === DEF_IMPORT ? importSource(r, defs[0]!, nameAt(r, s)) : null;
  return source === null ? null : { module: source.module, name: source.name };
}

/**
 * Where the import statement `d` takes `name` from: the module as written and the name there
 * (`from M import X as name` → M, X; `from M import *` → M, name), and the token naming it here
 * (the statement's first for `*`); null when `d` is no `from` import of `name`.
 */
function importSource(r: Resolver, d: Def, name: string): { module: string; name: string; at: number } | null {
  const { text, buf } = r.scan;
  const s = d.start;
  const e = d.end;
  if (!tokenIs(text, buf, s, 'from')) return null;
  const { module, imp } = fromClause(r, s, e);
  if (isOp(buf, imp + 1, OP_STAR)) return { module, name, at: s };
  for (let t = imp + 1; t < e; t++) {
    if (buf.kind[t] !== IDENT) continue;
    const aliased = tokenIs(text, buf, t + 1, 'as') && buf.kind[t + 2] === IDENT;
    const local = aliased ? t + 2 : t;
    if (nameAt(r, local) === name) return { module, name: nameAt(r, t), at: local };
    if (aliased) t += 2;
  }
  return null;
}

/** `from M import …` [s, e): M as written without spaces (`.config`, `..shared.names`), and the `import` token. */
function fromClause(r: Resolver, s: number, e: number): { module: string; imp: number } {
  const { text, buf } = r.scan;
  let imp = s + 1;
  while (imp < e && !tokenIs(text, buf, imp, 'import')) imp++;
  return { module: text.slice(buf.start[s + 1]!, buf.end[imp - 1]!).replace(/\s+/g, ''), imp };
}

/** The module `name`, imported from the package `base`, is (`from . import config` → `.config`; `.shared` and `names` → `.shared.names`). */
export function submodule(base: string, name: string): string {
  return /^\.+$/.test(base) ? base + name : `${base}.${name}`;
}

/**
 * The module of the project the name at token `t` is bound to where `at` is, as the lookup takes it
 * (`from . import config` → `.config`, `from .shared import names` → `.shared.names`, `import
 * functions.config as config` → `functions.config`); null when it is bound otherwise, or not at all.
 */
export function importedModule(r: Resolver, t: number, at: At): string | null {
  const defs = definitionsAt(r, t, at);
  if (!defs || defs.length !== 1 || defs[0]!.kind !== DEF_IMPORT) return null;
  return modulePath(r, defs[0]!.start, defs[0]!.end, nameAt(r, t));
}

/** The module statement [s, e) binds `name` to (importedModule), or null when it binds a name from a module. */
function modulePath(r: Resolver, s: number, e: number, name: string): string | null {
  const { text, buf } = r.scan;
  const from = tokenIs(text, buf, s, 'from');
  const clause = from ? fromClause(r, s, e) : null;
  for (let t = (clause?.imp ?? s) + 1; t < e; t++) {
    if (buf.kind[t] !== IDENT) continue;
    let k = t;
    while (!from && isOp(buf, k + 1, OP_DOT) && buf.kind[k + 2] === IDENT) k += 2;
    const aliased = tokenIs(text, buf, k + 1, 'as') && buf.kind[k + 2] === IDENT;
    // `import a.b.c` binds `a`, a package, not the module.
    if (nameAt(r, aliased ? k + 2 : t) === name && (aliased || k === t)) {
      const dotted = text.slice(buf.start[t]!, buf.end[k]!).replace(/\s+/g, '');
      return clause === null ? dotted : submodule(clause.module, dotted);
    }
    t = aliased ? k + 2 : k;
  }
  return null;
}

/** `module.X` (tokens s, s+1, s+2): X as the module the lookup knows defines it. */
export function moduleAttribute(r: Resolver, module: string, s: number): Alternative[] {
  const names = r.imports?.(module)?.get(nameAt(r, s + 2));
  if (!names || names.length === 0) unresolved(r, s, s + 3);
  return importedAlternatives(r, names);
}

/** The last of the module's `from M import *` whose module (the lookup's) defines `name`, as its definition; null when none. */
export function starImported(r: Resolver, name: string): Def | null {
  const { text, buf } = r.scan;
  if (r.starImports === undefined) {
    r.starImports = [];
    for (const i of scopeStatements(r, 0)) {
      const s = S.start[i]!;
      if (tokenIs(text, buf, s, 'from') && isOp(buf, fromClause(r, s, S.end[i]!).imp + 1, OP_STAR)) r.starImports.unshift(i);
    }
  }
  for (const i of r.starImports) {
    if (defines(r.imports?.(fromClause(r, S.start[i]!, S.end[i]!).module), name)) return { kind: DEF_IMPORT, start: S.start[i]!, end: S.end[i]!, stmt: i, scope: 0, conds: NO_CONDS };
  }
  return null;
}

/** Whether a module's names (a lookup's) hold `name`: a name whose value is known, a function whose returns are (or its template), or a dict whose entries are. */
function defines(names: ModuleNames | undefined, name: string): boolean {
  return names !== undefined && (names.has(name) || names.has(returnsName(name)) || entriesOf(names, name).length > 0 || templateOf(names, name) !== null);
}
