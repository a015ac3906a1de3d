// The state of the JavaScript / TypeScript name-set resolver over one document; its values are the
// evaluator's (evaluate/values.ts: an alternative, a test, a failure, thrown as Python's is), as are their combinators (evaluate/combine.ts) and environments (evaluate/envSet.ts).

import { newShared, type Evaluation, MAX_DEPTH, MAX_NAMES, Unresolved } from '../evaluate/evaluation';
import { type Alternative, type ChosenTable, type Cond, type EnvSet } from '../evaluate/values';
import { envUniverse } from './jsNameSetsEnv';
import type { JsBinding, JsFunction, JsIndex, JsPart, RowPath } from './jsNameSetsIndex';
import type { ReturnPath, StatementTests, TestOnPath } from './jsNameSetsStatements';
import { collapsedText } from '../scan/tokens';
import type { Span } from '../scan/types';

/** What evaluating a part gave: its values, or the failure it threw (a memo's: thrown again when asked). */
export type Outcome = Alternative[] | Unresolved;

/** What `evaluate` gives, or the failure it throws (a failure of the evaluator's; any other error passes). */
export function attempt<T>(evaluate: () => T): T | Unresolved {
  try {
    return evaluate();
  } catch (err) {
    if (err instanceof Unresolved) return err;
    throw err;
  }
}

/** The values of an outcome, or its failure thrown again. */
export function settle(outcome: Outcome): Alternative[] {
  if (outcome instanceof Unresolved) throw outcome;
  return outcome;
}

/**
 * What the value of the binding `b` read at token `t` is (`evaluate`: its value, with the frame of
 * the module for a binding of the module), kept in `memo` when it does not depend on the call being
 * evaluated; a failure kept too, thrown again. One that reads itself is unknown at `t`.
 */
export function bindingValue<T>(r: JsNames, b: JsBinding, t: number, memo: Map<JsBinding, T | Unresolved>, evaluate: () => T): T {
  const memoable = r.frame === null || b.scopeFrom < 0;
  const known = memoable ? memo.get(b) : undefined;
  if (known === undefined && r.active.has(b)) return fail(r, t, t + 1);
  let outcome = known;
  if (outcome === undefined) {
    r.active.add(b);
    const saved = r.frame;
    if (b.scopeFrom < 0) r.frame = null;
    try {
      outcome = attempt(evaluate);
    } finally {
      r.frame = saved;
      r.active.delete(b);
    }
    if (memoable) memo.set(b, outcome);
  }
  if (outcome instanceof Unresolved) throw outcome;
  return outcome;
}

/** At most this many alternatives anywhere (a join's names, a table's values): evaluate/evaluation.ts. */
export const MAX_ALTS = MAX_NAMES;
export { MAX_DEPTH };

/** A call being evaluated: the function, its arguments' token ranges, and the frame it was called from. */
export interface Frame {
  fn: JsFunction;
  args: Array<[number, number]>;
  caller: Frame | null;
  /** Parameters given a template's mark instead of an argument, by place (jsTemplates.ts). */
  marks?: ReadonlyMap<number, Alternative[]>;
}

/**
 * The calls in the file of a function: the `(` of each, and whether callers elsewhere may pass other
 * arguments (exported, a method reached other than through `this`, or nothing here calls it).
 */
export interface MethodCalls {
  sites: number[];
  outside: boolean;
}

/** A table's entries by key (the first of each), made once per table the first time a key is looked up. */
const byKeyCache = new WeakMap<readonly TableEntry[], Map<string, TableEntry>>();

export function entryByKey(table: readonly TableEntry[], key: string): TableEntry | undefined {
  let m = byKeyCache.get(table);
  if (!m) {
    m = new Map();
    for (const e of table) if (!m.has(e.key)) m.set(e.key, e);
    byKeyCache.set(table, m);
  }
  return m.get(key);
}

export interface TableEntry {
  key: string;
  /** The key as written (`live`, `'pre-release'`, an array's index). */
  written: string;
  span: Span;
  from: number;
  to: number;
  /** An array's element (its key is its index). */
  element: boolean;
  /** The element of a mapped array (`X.map((p) => …)`): it stands for every element, so no index picks it and its parts are not taken apart. */
  every?: true;
  /** An entry of an object another module of the project exports (jsImports.ts's importedTable): its value as that module resolves it (`from`, `to` are the name read here). */
  values?: Alternative[];
}

/**
 * A table an expression may be, with the tests that choose it (evaluate/values.ts's ChosenTable:
 * `CONFIG[conv.env]` is each inner table under its key's test); or, where the key that would choose
 * one is missing, none (`undefined`): NO_TABLE, or SKIPPED once an optional chain (`?.`) passed it,
 * after which the rest of the chain gives `undefined` too.
 */
export interface JsTable extends ChosenTable<TableEntry> {
  none: number;
  /** One of a class family's tables (`this.NAMES` a subclass gives again): any may be what is read, as if a test chose it. */
  family?: true;
}

/** JsTable's `none`: a table; `undefined`; `undefined` skipped by an optional chain. */
export const A_TABLE = 0;
export const NO_TABLE = 1;
export const SKIPPED = 2;

/** The resolver's state over one document (an Evaluation: its environments, its share of steps). */
export class JsNames implements Evaluation {
  /** The current read's steps left (Evaluation's). */
  steps = 0;
  depth = 0;
  frame: Frame | null = null;
  readonly src: JsIndex;
  universe: string[] | null = null;
  universeIndex: Map<string, number> | null = null;
  readonly shared = newShared();
  readonly memo = new Map<JsBinding, Outcome>();
  readonly tables = new Map<JsBinding, TableEntry[] | Unresolved>();
  /** The tables a name bound to a choice of tables holds (`const cfg = CONFIG[conv.env]`, jsNameSetsTables.ts), outside any call. */
  readonly chosen = new Map<JsBinding, JsTable[] | Unresolved>();
  readonly returns = new Map<JsFunction, ReturnPath[]>();
  /** `let` / `var` assigned after their declaration (jsNameSetsFlow.ts); unset: such a variable is unknown. */
  assignedValue: ((b: JsBinding, read: number) => Alternative[]) | null = null;
  /** Reads of tables (jsNameSetsTables.ts), which call back into the expressions: set by jsNameSets.ts. */
  tableRead: (from: number, objectEnd: number, keyFrom: number, keyTo: number, to: number) => Alternative[] = (from, objectEnd) => fail(this, from, objectEnd);
  memberRead: (from: number, dot: number, to: number) => Alternative[] = (from, dot) => fail(this, from, dot);
  /** Whether member steps [t + 1, e) after the name `b` at `t` reach a string or number its literal is written with (jsNameSetsTables.ts's pathToValue). */
  valueAt: (b: JsBinding, t: number, e: number) => boolean = () => false;
  /** A name a declaration takes by its key (`const { crm } = CONFIG[conv.env]`, jsNameSetsTables.ts), read at `t`. */
  partRead: (b: JsBinding, t: number) => Alternative[] = (_b, t) => fail(this, t, t + 1);
  /** What a pattern's name (read at `t`) takes of the value [from, to) by its part (jsNameSetsTables.ts's partOf). */
  partIn: (part: JsPart, from: number, to: number, t: number) => Alternative[] = (_p, _f, _to, t) => fail(this, t, t + 1);
  /** The function `Obj.name(…)` calls, Obj a constant object or a class (jsNameSetsClass.ts's memberFunction); null when none is known. */
  methodOf: (objTok: number, nameTok: number) => JsFunction | null = () => null;
  /** An imported name's values (jsImports.ts's importedValues, when the document has a lookup of its project's modules); null: none. */
  importRead: ((b: JsBinding, t: number) => Alternative[]) | null = null;
  /** An imported object's entries (jsImports.ts's importedTable); null: none, or the document has no lookup. */
  importTable: ((b: JsBinding, t: number) => TableEntry[] | null) | null = null;
  /** `names.SECRETS` of a namespace import: the object's entries (jsImports.ts's namespaceTable); null: none. */
  namespaceTable: ((from: number, to: number) => TableEntry[] | null) | null = null;
  /** A call of a function another module of the project exports (`stripeName(conv)`, `cfg.stripeName(conv)`): what it returns there (jsImports.ts's importedCall); null: none. */
  importCall: ((from: number, calleeEnd: number, args: Array<[number, number]>, to: number) => Alternative[] | null) | null = null;
  /** The names a call of another module's template reader reads (jsImports.ts's importedReadCall). */
  importReadCall: ((from: number, calleeEnd: number, args: Array<[number, number]>, to: number) => Alternative[] | null) | null = null;
  /** `ns.NAME` [from, to) of a namespace import (`import * as ns`): its values; null when `ns` is none (jsImports.ts). */
  namespaceRead: ((from: number, to: number) => Alternative[] | null) | null = null;
  /** The calls of a class's method or constructor in the file (jsNameSetsClass.ts's methodCalls): not a method, none and open. */
  methodCalls: (fn: JsFunction) => MethodCalls | number = () => ({ sites: [], outside: true });
  loopRead: (b: JsBinding, t: number) => Alternative[] = (b) => fail(this, b.tok, b.tok + 1);
  /** Whether the text has an `X.env` (or `{ env }`) an environment test could read: none, and no test of a row is one (jsRowGuards.ts). */
  mentionsEnv = true;
  /** What each element of the iterable [from, to) holds at its part `path` (jsNameSetsTables.ts's iterated). */
  iterRead: (from: number, to: number, path: RowPath) => Alternative[] = (from, to) => fail(this, from, to);
  /** The strings a constant of the module compared with the environment stands for (jsNameSets.ts's namedConstant). */
  constantRead: (from: number, to: number, elements: boolean) => string[] | null = () => null;
  /** The entries of the table [from, to) is, a literal or a constant never changed; null when it is none (jsNameSets.ts's tableEntries). */
  entriesRead: (from: number, to: number) => readonly TableEntry[] | null = () => null;
  /** The values of the expression [from, to) where it is written, or null when they do not resolve (jsNameSets.ts's valuesAt; a value test reads them). */
  valuesRead: (from: number, to: number) => Alternative[] | null = () => null;
  readonly active = new Set<object>();
  /** Each function body's statements with the tests on the way to them (jsNameSetsStatements.ts's testsAt), by its `{` (-1: the top level). */
  readonly walks = new Map<number, StatementTests>();
  /** The environments of each test on a way (jsNameSetsExpr.ts's testEnvironments), outside any call. */
  readonly testEnvs = new Map<TestOnPath, EnvSet | null>();
  /** The current read's open parameter (jsNameSetsExpr.ts's everyCall): callers outside the file may pass other names. */
  open: JsBinding | null = null;
  /** The parameters found open, for the reads that find their values memoized. */
  readonly opened = new Set<JsBinding>();
  readonly writes = new Map<JsBinding, number[]>();

  constructor(readonly ix: JsIndex) {
    this.src = ix;
  }

  findUniverse = (): string[] => envUniverse(this.ix);

}

/** Whitespace collapsed, capped. */
export function collapse(text: string, cap = 0): string {
  if (cap > 0) return collapsedText(text, 0, text.length, cap);
  return text.replace(/\s+/g, ' ').trim();
}

export function span(r: JsNames, from: number, to: number): Span {
  const { buf } = r.ix;
  return { start: buf.start[from]!, end: buf.end[Math.max(from, to - 1)]! };
}

/** The part [from, to) that cannot be followed (at least its first token). */
export function failure(r: JsNames, from: number, to: number): Unresolved {
  return new Unresolved(r.ix, from, Math.max(to, from + 1), false);
}

/** Fails the evaluation at [from, to): thrown, caught at the read (or by a memo on the way). */
export function fail(r: JsNames, from: number, to: number): never {
  throw failure(r, from, to);
}

/** The test [from, to) (holding or not), passed in the environments `env` (null: not a test of the environment). */
export function condition(r: JsNames, from: number, to: number, holds: boolean, env: EnvSet | null = null): Cond {
  const sp = span(r, from, to);
  return { text: collapse(r.ix.text.slice(sp.start, sp.end)), span: sp, holds, env };
}
