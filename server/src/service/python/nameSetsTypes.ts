// The working types of the Python name-set resolver (nameSets*.ts): its values are the evaluator's
// (evaluate/values.ts: an alternative, a test, a failure); a definition is an assignment that
// reaches a read.

import { MAX_DEPTH, MAX_ENVIRONMENTS, MAX_NAMES, MAX_PATHS, STEPS_PER_READ, type Unresolved } from '../evaluate/evaluation';
import type { AnalysisBudget } from '../scan/budget';
import type { PythonRefScan } from './pythonRefsState';
import type { ImportLookup, Span, UnresolvedPart } from '../scan/types';
import type { Evaluation } from '../evaluate/evaluation';
import type { Alternative, Cond, EnvSet } from '../evaluate/values';
import type { TemplateParam } from '../evaluate/templates';

// Definition kinds.
export const DEF_EXPR = 0;
/** `name += expr`: the definitions before it, concatenated with `expr`. */
export const DEF_AUG = 1;
/** A binding whose value is not followed (tuple target, with/except target, def, a loop-built name). */
export const DEF_UNKNOWN = 2;
export const DEF_PARAM = 3;
/** `for name in <iterable>`. */
export const DEF_FOR = 4;
/** `from module import name [as alias]`. */
export const DEF_IMPORT = 5;
/** `def name(…)` / `class name`: the header statement. */
export const DEF_FUNCTION = 6;
/** `a, b = …` / `[a, (b, c)] = …`: the part of the value at `unpack` (nameSetsIter.ts's partValues). */
export const DEF_UNPACK = 7;

/** An assignment (or other binding) of a name, and the tests on a path from it to where it is read. */
export interface Def {
  kind: number;
  /** The value's tokens [start, end) (DEF_UNKNOWN: the statement's). */
  start: number;
  end: number;
  /** The statement it is made in and that statement's scope. */
  stmt: number;
  scope: number;
  conds: readonly Cond[];
  /** DEF_AUG: what the name held before. */
  base?: Def[];
  /** The definition this one is a copy of (tests added on entering a branch). */
  origin?: Def;
  /** DEF_UNKNOWN: why, as written. */
  reason?: string;
  /**
   * DEF_FOR: where the name sits in each element when the target unpacks (nameSetsFlow.ts's
   * targetPath); absent: the element itself. DEF_UNPACK: where it sits in the value.
   */
  unpack?: readonly number[];
}

/** Arguments bound to a called function's parameters: evaluated when a parameter is read. */
export interface Frame {
  scope: number;
  params: Map<string, () => Alternative[]>;
  parent: Frame | null;
}

/** Where an expression is evaluated: its scope, the statement it is in, the call it is in. */
export interface At {
  scope: number;
  stmt: number;
  frame: Frame | null;
}

/**
 * A list of statements or tokens kept by the resolver (nameSetsIndex.ts's kept): a plain array when
 * short, a view of a shared chunk when long. Never changed in place.
 */
export type Indexes = Int32Array | readonly number[];

/** One resolver per scan of a document with computed reads: the indexes it builds lazily. */
/** The module-level bindings of a document by a hash of their name (nameSetsIndex.ts's moduleTable): entry k is token[k]. */
export interface BindingTable {
  head: Int32Array;
  next: Int32Array;
  hash: Int32Array;
  token: Int32Array;
  mask: number;
}

export interface Resolver extends Evaluation {
  scan: PythonRefScan;
  imports: ImportLookup | undefined;
  /**
   * The sets `startswith` and `in '…'` tests admit (envSet's admittedBy), with the universe's size
   * when made: by the kind of test (startswith, then in; each exact, then case-folded), then by their
   * prefixes or text.
   */
  admitted: Array<Map<string, { size: number; set: EnvSet }> | undefined>;
  /** The document's budget (budget.ts), charged with each read's steps when it ends: keeps a file of many computed reads linear. */
  budget: AnalysisBudget;
  depth: number;
  /** The statements of each scope asked (nameSetsIndex.ts's scopeStatements), by scope. */
  scopeStatements: Array<Indexes | undefined> | null;
  /** The document's binding tokens in order; the module's by name, for the names asked, and all of them by a hash of their name. */
  bindingOrder: Int32Array | null;
  /** Each scope's first binding's place in bindingOrder plus 1 (0: not searched yet; nameSetsIndex.ts's firstBindingAt). */
  firstBindings: Int32Array | null;
  bindings: Map<string, Indexes> | null;
  moduleBindings: BindingTable | null;
  /** Where the lists above are kept (nameSetsIndex.ts's kept): the chunk being filled. */
  kept: { ints: Int32Array; used: number } | null;
  /** What the file changes in place (nameSetsFlow.ts's changesOf), found once. */
  changes: { tables: Map<string, [number, number]>; attributes: Map<string, [number, number]>; every: Map<string, Array<[number, number]>>; aliases: number[] } | null;
  /** Where a table of each name asked is handed to a function of the file that changes it (nameSetsAppend.ts's tableChanged). */
  handed?: Map<string, [number, number] | null>;
  /** The names a call may be given whole and the aliases' values, by a hash of the name (nameSetsAppend.ts's handedIndex). */
  handedAt?: Map<number, number[]>;
  /** The entries of each table literal read (nameSetsTables.ts), by its first token: read once for all the reads of it. */
  tables: Map<number, TableEntries>;
  /**
   * What reads of the same table share (nameSetsTables.ts's entryValue, picked and envEntries;
   * nameSetsIter.ts's partsOf), by the entries or tests they are about: this resolver's own (Maps,
   * not module-wide WeakMaps, whose entries V8 keeps as ephemerons: a fifth more time a table read).
   */
  tableMemos: TableMemos | null;
  /** The module's classes and functions that read the secret a parameter names, by scope (nameSetsReaders.ts; 0 while being found). */
  readers?: Map<number, { params: TemplateParam[]; k: number } | null | 0>;
  /** The module's first class or function of each name, by its header statement (nameSetsReaders.ts). */
  moduleDefs?: Map<string, number>;
  /** How many times the module writes each attribute (nameSetsReaders.ts's attributeWrites). */
  attributeWrites?: Map<string, number>;
  /** The first walk of each long expression's top level (nameSetsEnv.ts's longWalk), by its first token. */
  walks: Map<number, { walked: number; lambda: boolean; ifTok: number; end: number }>;
  /**
   * What the reads of one name found, by the definitions that reach them (one list for every read
   * that the same ones reach): the paths (while the file has as many environments) or the failure
   * (null: the read's own text), and the steps it took, charged again at each later read.
   */
  reads: Map<Def[], { paths: Alternative[] | null; unresolved: UnresolvedPart | null; cost: number; universe: number }>;
  /** The condition of each if/elif/while header, by its first token. */
  condMemo: Map<number, Cond>;
  /** Identifier tokens by name, for the names asked (call sites, changes in place). */
  idents: Map<string, number[]> | null;
  /** Whether idents holds every identifier of the file (nameSetsIndex.ts's identsOf), and how many names it found by a pass of their own before. */
  identsComplete?: boolean;
  identPasses?: number;
  /** The functions (by scope) and parameters (by minus their nameKey) being evaluated: the recursion guard. */
  active: Set<number>;
  /**
   * Definitions whose value failed to resolve outside any call, by where they are and the depth
   * they were entered at: the failure and the steps it took, charged again at each later read.
   */
  failed?: Map<number, { err: Unresolved; cost: number }>;
  /** The same for definitions whose value resolved, with the number of environments the file had (what their complements were taken in). */
  values?: Map<number, { paths: Alternative[]; cost: number; universe: number; open: { tok: number } | null }>;
  /** The walks for reaching definitions by scope and name (nameSetsFlow.ts's nameKey), and the ends of module and class bodies. */
  flowMemo: Map<number, unknown>;
  /** The name-free walks, by scope (made when the first is asked). */
  freeWalks: unknown[] | null;
  /** The name-free walks' straight runs, four numbers per scope (nameSetsFlow.ts's straightAhead; made when the first is asked). */
  straight: Int32Array | null;
  endMemo: Map<number, unknown>;
  /** A number for each name the walks are asked about (from 1; the walk for no name is 0). */
  nameIds: Map<string, number>;
  /**
   * How a name holds a `conv.env` expression throughout a scope (nameSetsExpr.ts's envAlias), by
   * nameKey; a function's returns (envHelper), by -1 - its scope: an ENV_* form (ENV_NONE: it does
   * not), or below 0 while it is being decided (nameSetsEnvAlias.ts's envFact; a number, not a pair).
   */
  facts: Map<number, number>;
  /** The module's `from M import *` statements, last first (nameSetsExpr.ts's starImported); undefined until asked. */
  starImports?: number[];
  /** How the name at token `tok` holds a `conv.env` expression where it is read (nameSetsEnv.ts's ENV_*; nameSetsExpr.ts). */
  envAlias: (r: Resolver, tok: number, at: At) => number;
  /** How `self.X` (`self` at token `tok`) holds a `conv.env` expression, the class's `__init__` alone setting it (ENV_*; nameSetsEnvAlias.ts). */
  envField: (r: Resolver, tok: number, at: At) => number;
  /** How the call of the function named at token `tok` returns a `conv.env` expression (ENV_*; nameSetsExpr.ts). */
  envHelper: (r: Resolver, tok: number, at: At) => number;
  /**
   * The environments where the flag or the helper's call [s, e) holds (`is_live` bound once to a
   * test of the environment, `is_prod(conv)` whose every return is the same test); null when it is
   * not one (nameSetsEnvAlias.ts's envFlag).
   */
  envFlag: (r: Resolver, s: number, e: number, at: At) => EnvSet | null;
  /** The literals a constant compared with the environment stands for, or null (nameSetsEnvAlias.ts's envConstant). */
  envConstant: (r: Resolver, s: number, e: number, container: boolean, at: At) => string[] | null;
  /** What envFlag decided, by nameKey of the flag (a helper: -1 - its scope), with the number of environments it was decided in. */
  flags?: Map<number, { set: EnvSet | null; universe: number } | null>;
  /** The scope that binds a flag (-1: none), by nameKey of the scope it is read from and its name. */
  flagScopes?: Map<number, number>;
  /** The expression reader (nameSetsExpr.ts), for the tables module beside it. */
  ev: Evaluator;
  /** The comprehension and lambda bindings by name (nameSetsIter.ts), and each comprehension's clauses by its group: built when first asked. */
  shadows?: Map<string, ShadowList>;
  clauses?: Map<number, number[]>;
  /** Whether the file has an `X.env` an environment test could read (no test of a row is one where it has none). */
  mentionsEnv: boolean;
  /**
   * The element a comprehension's variables are pinned to while one entry of the table it makes is
   * read (nameSetsTables.ts's withPin), by the first token of its iterable; nameSetsIter.ts's
   * elements gives that element alone.
   */
  pins?: Map<number, object>;
  /** How many pins are held (each marks r.active, so that no definition's value is kept meanwhile). */
  pinDepth?: number;
  /** The current read's open parameter (nameSetsExpr.ts's parameter): its callers outside the file may pass other names. */
  open?: { tok: number } | null;
  /** What each class's `__init__` sets an attribute to (nameSetsInit.ts), by nameKey of the class and name. */
  inits?: Map<number, Def[] | null>;
  /** Each attribute's writes when all are `self.X = …` in an `__init__` (nameSetsInit.ts), by name (null: another write). */
  initWrites?: Map<string, readonly number[] | null>;
  /** What `self.X` is in a class's methods (nameSetsFamily.ts), by nameKey of the class and name (null: unknown). */
  families?: Map<number, Def[] | null>;
  /** Each class's subclasses of the module (nameSetsFamily.ts), by its scope. */
  subclasses?: Map<number, readonly number[]>;
  /** Each class with its subclasses, transitively (nameSetsFamily.ts), by its scope; null: too many. */
  descendants?: Map<number, readonly number[] | null>;
}

/** The shadows of a name (the structure pass's), sorted by where they start, each with the one around it. */
export interface ShadowList {
  /** Entry k: name token, first and last token it covers, the entry around it (-1: none). */
  tok: Int32Array;
  from: Int32Array;
  to: Int32Array;
  parent: Int32Array;
}

/** Literal containers an expression stands for (nameSetsIter.ts's containers): a list, tuple or dict written somewhere, on its tests. */
export interface Container {
  dict: boolean;
  entries: Array<[number, number]>;
  keys: Array<[number, number]>;
  at: At;
  conds: readonly Cond[];
  /** A comprehension: its one entry stands for every element (no index or key picks one). */
  comp?: true;
  /** A part of a concatenation (`A + B`): its elements are the whole's, its indexes not. */
  joined?: true;
}

export interface Evaluator {
  expr(r: Resolver, s: number, e: number, at: At): Alternative[];
  /** The definitions of the name at token `t` that reach `at`. */
  lookup(r: Resolver, t: number, at: At): Def[];
  /** `self.X` / `cls.X` / `Cls.X` at tokens s..s+2: X's definitions in the class body. */
  attribute(r: Resolver, s: number, at: At): Def[];
  /** Each `return`'s value of the module's own function called at [s, close] (nameSetsExpr.ts's returnsOf). */
  returnsOf(r: Resolver, s: number, open: number, close: number, at: At, each: (a: number, b: number, inside: At, conds: readonly Cond[]) => void): void;
  /** What a parameter is given at its function's calls, read by `value` (nameSetsExpr.ts's parameterValues). */
  parameterValues<T>(r: Resolver, d: Def, name: string, value: (s: number, e: number, at: At) => T[], on: (x: T, conds: readonly Cond[]) => T): T[];
  /** The attribute `name` of the object the construction [a, b) makes (`Provider("CRM", "crm_api").secret`), read at tokens s..s+2; null when [a, b) is no construction of a class of the module (nameSetsExpr.ts's madeAttribute). */
  madeAttribute(r: Resolver, a: number, b: number, name: string, s: number, madeAt: At, at?: At): Alternative[] | null;
  /** The attribute `name` of the object [a, b) makes, a construction, a choice of them or a helper's return (nameSetsRows.ts's madeValues); null when it makes anything else. */
  madeValues(r: Resolver, a: number, b: number, name: string, s: number, dAt: At, at: At): Alternative[] | null;
  /** The table the dict comprehension [s, e) makes, an entry per element of its iterable; null when [s, e) is none (nameSetsIter.ts's comprehensionTable). */
  comprehensionTable(r: Resolver, s: number, e: number, at: At): TableEntries | null;
  /** The rows `next(x for x in ROWS if …)` at [s, e) may give (nameSetsRows.ts's nextRows); null when [s, e) is none. */
  nextRows(r: Resolver, s: number, e: number, at: At, conds: readonly Cond[]): Container[] | null;
  /** The entries of another module's dict read at [s, e) (`SECRETS`, `config.SECRETS`), as its module resolves them (nameSetsImports.ts's importedTable); null when it is none. */
  importedTable(r: Resolver, s: number, e: number, at: At): Array<[string, Alternative[]]> | null;
}

/** What reaches a statement of a scope: the definitions of one name (null: none looked for) and the tests on the path there. */
export interface FlowResult {
  /** null: the statement is not reached. */
  defs: Def[] | null;
  path: readonly Cond[];
}

/** A table literal's entries (nameSetsTables.ts), and the first of each key. */
export interface TableEntries {
  entries: TableEntry[];
  byKey: Map<string, TableEntry>;
  dict: boolean;
  /** The literal's end token. */
  end: number;
  /** `dict(live="a", sandbox="b")`: its keys are keywords (looked up, never iterated: a keyword is no expression). */
  keywords?: true;
  /** A dict comprehension's (nameSetsIter.ts's comprehensionTable): its entries are made per element (looked up, never iterated). */
  comprehension?: true;
}

export interface TableEntry {
  /** The key's value (a dict's string key, a sequence's index as a string). */
  key: string;
  keySpan: Span;
  keyText: string;
  /** A dict entry's first key token (the key is [keyStart, value[0] - 1)). */
  keyStart?: number;
  value: [number, number];
  /** A dict comprehension's entry: its value is read with the comprehension's variables pinned to one element of its iterable (`iter` its first token). */
  pin?: { iter: number; element: object };
  /** An entry of a dict another module of the project defines (nameSetsImports.ts's importedTable): its value as that module resolves it (`value` is no range of this document). */
  values?: Alternative[];
}

export const MAX_CANDIDATES = MAX_NAMES;
export { MAX_PATHS };
/** The bits of two small integers (EnvSet). */
export { MAX_ENVIRONMENTS };
export { MAX_DEPTH, STEPS_PER_READ };

/** A resolver's memos of table reads (Resolver's tableMemos). */
export interface TableMemos {
  /** An entry's value when it is one string literal. */
  values: Map<TableEntry, Alternative[]>;
  /** An entry's value taken where its pick's tests hold, by those tests. */
  picked: Map<readonly Cond[], { v: Alternative; path: Alternative; work: number }>;
  /** A table's entries chosen by an environment written as a key text (a 0: too many environments), by the entries. */
  envEntries: Map<readonly TableEntry[], Map<string, EnvEntries | 0>>;
  /** A container's entries and keys as token ranges, by its entries. */
  parts: Map<readonly TableEntry[], { entries: Array<[number, number]>; keys: Array<[number, number]> }>;
}

/** A table's entries chosen by an environment: the environments its keys name, and each entry with its test. */
export interface EnvEntries {
  keys: EnvSet;
  picks: readonly TablePick[];
}

/** An entry of a table chosen by a key (null: none of them, a `.get`'s default), with the tests that choose it. */
export interface TablePick {
  entry: TableEntry | null;
  conds: readonly Cond[];
  /** One of the picks by environment, made once for every read of the table (nameSetsTables.ts's picked). */
  shared?: true;
}

/** A resolver's table memos, made at its first table read. */
export function tableMemos(r: Resolver): TableMemos {
  return (r.tableMemos ??= { values: new Map(), picked: new Map(), envEntries: new Map(), parts: new Map() });
}
