// The values of the JavaScript / TypeScript name-set resolver and its state over one document:
// an alternative (a name, the literal it is written in, the tests that choose it, its
// environments), the part that cannot be followed, and the helpers that combine them.

import { MAX_DEPTH as LIMITS_DEPTH, MAX_NAMES, QUOTED_PART } from '../scan/limits';
import { envUniverse } from './jsNameSetsEnv';
import type { JsBinding, JsFunction, JsIndex } from './jsNameSetsIndex';
import type { ReturnPath, StatementTests, TestOnPath } from './jsNameSetsStatements';
import { collapsedText } from '../scan/tokens';
import type { NameCondition, Span } from '../scan/types';

/** One value an expression may take. `name` null: a lookup that may miss (undefined). */
export interface Alt {
  name: string | null;
  literal: Span;
  when: NameCondition[];
  envs: string[] | null;
}

/** The part of an expression that cannot be followed, as written. */
export interface Fail {
  text: string;
  span: Span;
  /** A table larger than any read's share (kept for the reads after the first). */
  tooLarge?: true;
}

export type Res = Alt[] | Fail;

export function isFail<T>(r: T[] | Fail): r is Fail {
  return !Array.isArray(r);
}

/** At most this many alternatives anywhere (a concatenation's product, a table's values): scan/limits.ts. */
export const MAX_ALTS = MAX_NAMES;
export const MAX_DEPTH = LIMITS_DEPTH.javascript;
const MAX_TEXT = QUOTED_PART;

/** A call being evaluated: the function, its arguments' token ranges, and the frame it was called from. */
export interface Frame {
  fn: JsFunction;
  args: Array<[number, number]>;
  caller: Frame | null;
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
}

/** The resolver's state over one document. */
export class JsNames {
  steps = 0;
  limit = 0;
  /** The current read ran out of its share (too large to follow). */
  over = false;
  depth = 0;
  frame: Frame | null = null;
  private universeCache: string[] | null = null;
  readonly memo = new Map<JsBinding, Res>();
  readonly tables = new Map<JsBinding, TableEntry[] | Fail>();
  readonly returns = new Map<JsFunction, ReturnPath[]>();
  /** `let` / `var` assigned after their declaration (jsNameSetsFlow.ts); unset: such a variable is unknown. */
  assignedValue: ((b: JsBinding, read: number) => Res) | null = null;
  /** Reads of tables (jsNameSetsTables.ts), which call back into the expressions: set by jsNameSets.ts. */
  tableRead: (from: number, objectEnd: number, keyFrom: number, keyTo: number, to: number) => Res = (from, objectEnd) => fail(this, from, objectEnd);
  memberRead: (from: number, dot: number, to: number) => Res = (from, dot) => fail(this, from, dot);
  /** A constructor's parameter: the argument of every `new Cls(…)` (jsNameSetsClass.ts), or null when `fn` is no constructor. */
  constructorRead: ((fn: JsFunction, index: number, t: number) => Res | null) | null = null;
  loopRead: (b: JsBinding) => Res = (b) => fail(this, b.tok, b.tok + 1);
  /** What each element of the iterable [from, to) holds at its part `path` (jsNameSetsTables.ts's iterated). */
  iterRead: (from: number, to: number, path: readonly number[]) => Res = (from, to) => fail(this, from, to);
  readonly active = new Set<object>();
  /** Each function body's statements with the tests on the way to them (jsNameSetsStatements.ts's testsAt), by its `{` (-1: the top level). */
  readonly walks = new Map<number, StatementTests>();
  /** The environments of each test on a way (jsNameSetsExpr.ts's testEnvironments), outside any call. */
  readonly testEnvs = new Map<TestOnPath, string[] | null>();
  /** The current read's open parameter (jsNameSetsExpr.ts's everyCall): callers outside the file may pass other names. */
  open: JsBinding | null = null;
  /** The parameters found open, for the reads that find their values memoized. */
  readonly opened = new Set<JsBinding>();
  readonly writes = new Map<JsBinding, number[]>();

  constructor(readonly ix: JsIndex) {}

  universe = (): string[] => (this.universeCache ??= envUniverse(this.ix));
}

/** Whitespace collapsed, capped. */
export function collapse(text: string, cap = 0): string {
  if (cap > 0) return collapsedText(text, 0, text.length, cap);
  return text.replace(/\s+/g, ' ').trim();
}

export function span(s: JsNames, from: number, to: number): Span {
  const { buf } = s.ix;
  return { start: buf.start[from]!, end: buf.end[Math.max(from, to - 1)]! };
}

export function fail(s: JsNames, from: number, to: number): Fail {
  const sp = span(s, from, to);
  return { text: collapse(s.ix.text.slice(sp.start, sp.end), MAX_TEXT), span: sp };
}

export function condition(s: JsNames, from: number, to: number, holds: boolean): NameCondition {
  const sp = span(s, from, to);
  return { text: collapse(s.ix.text.slice(sp.start, sp.end)), span: sp, holds };
}

export function intersect(a: string[] | null, b: string[] | null): string[] | null {
  if (a === null) return b;
  if (b === null) return a;
  return a.filter((e) => b.includes(e));
}

/** `alts` under a further test, outermost: its condition first, its environments intersected; impossible ones dropped. */
export function under(alts: Alt[], cond: NameCondition | null, envs: string[] | null): Alt[] {
  const out: Alt[] = [];
  for (const a of alts) {
    const e = intersect(a.envs, envs);
    if (e !== null && e.length === 0) continue;
    out.push({ name: a.name, literal: a.literal, when: cond ? [cond, ...a.when] : a.when, envs: e });
  }
  return out;
}
