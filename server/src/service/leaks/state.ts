// The explicit state of one flow analysis: the document being read, where the walk stands (scope,
// block, function, depth), the evaluator's scratch, what was indexed before the walk, the
// functions still to analyse and the findings so far. Every part of the analysis (evaluator.ts,
// calls.ts, targets.ts, functions.ts, queue.ts and the statement walkers) is a set of functions
// over one FlowState; none keeps state of its own.

import type { AnalysisBudget } from '../scan/budget';
import type { TokenBuffer } from '../scan/tokens';
import type { SecretReference } from '../scan/types';
import type { PythonStructure } from '../python/pythonRefsState';
import type { JsStructure } from '../javascript/jsStructure';
import { Blocks, Env, union, type Taint } from './taint';
import type { Callable, ClassDef, FunctionContext, FunctionDef, Instance, PendingFunction, Summary } from './callables';

export type { FunctionContext, PendingFunction } from './callables';
import type { CallSite } from './sinks';
import type { SecretLeak, UnfollowedCalls } from './types';

/** Nesting beyond this (brackets, statements) is not followed: it bounds the recursion. */
export const MAX_DEPTH = 200;

// Kinds of function bodies.
/** An expression whose value is returned (lambda, arrow function without braces). */
export const BODY_EXPR = 0;
/** Python: the lines after a `def` header, indented deeper than `indent`. */
export const BODY_PY_LINES = 1;
/** Python: the statements after the header's colon on its own line (`def f(): return x`). */
export const BODY_PY_INLINE = 2;
/** JavaScript: the statements between braces. */
export const BODY_JS_BLOCK = 3;

/** A language's statement walker (python.ts, javascript.ts). */
export interface StatementWalker {
  /** Walks the module's statements. */
  module(flow: FlowState): void;
  /** Walks a function's statements (not BODY_EXPR). */
  body(flow: FlowState, pending: PendingFunction): void;
}

/** The evaluator's state for one expression; one per nesting depth, reused. */
export class ExprState {
  /** Finished elements of a tuple / sequence. */
  tuple: Taint = null;
  /** Finished alternatives of a conditional expression (and the parts of a slice or dict item). */
  alts: Taint = null;
  /** Finished operands of `and` / `or` / `&&` / `||` / `??`. */
  bools: Taint = null;
  /** The operands joined by arithmetic operators so far, from token runStart to runEnd. */
  run: Taint = null;
  runStart = -1;
  runEnd = -1;
  /** The run's first binary operator, -1 when none. */
  runOp = -1;
  percent = false;
  plus = false;
  /** A comparison or negation in this operand: its result carries nothing. */
  clean = false;

  reset(): void {
    this.tuple = null;
    this.alts = null;
    this.discard();
  }

  /** Drops the current operands (`cond ? …`: what came before is the condition). */
  discard(): void {
    this.bools = null;
    this.discardRun();
  }

  discardRun(): void {
    this.run = null;
    this.runStart = -1;
    this.runEnd = -1;
    this.runOp = -1;
    this.percent = false;
    this.plus = false;
    this.clean = false;
  }

  add(v: Taint, from: number, last: number): void {
    if (this.runStart < 0) this.runStart = from;
    this.runEnd = last;
    this.run = union(this.run, v);
  }
}

const NO_INTS: Int32Array = new Int32Array(0);

export class FlowState {
  readonly count: number;
  readonly python: boolean;

  // ---- where the walk stands ----

  readonly blocks = new Blocks();
  env: Env;
  /** The block the statement being analysed is in. */
  block = 0;
  fn: FunctionContext = { name: null, display: false, cls: null, self: null };
  /** The class whose body is being read: a function found there is its method. */
  currentClass: ClassDef | null = null;
  /** Recursion depth (nested brackets, statements, targets). */
  depth = 0;
  /** Python: statements [from, next) share the line whose end was found last (python.ts's lineEnd). */
  readonly measuredLine = { from: 0, next: 0 };

  // ---- the evaluator's scratch ----

  /** Where the last operand, call, group or template ended. */
  pos = 0;
  /** Top-level commas and colons of the last expression evaluated. */
  commas = 0;
  colons = 0;
  /** The name an expression starting at `tok` is assigned to: a function there takes it. */
  hint: { tok: number; name: string } | null = null;
  /** The call calls.ts's call is asking about (one, filled anew for each call). */
  readonly site: CallSite;
  /** Whether the last call evaluated made a logger (`logging.getLogger(…)`). */
  lastCallMadeLogger = false;
  /** One per nesting depth, reused. */
  readonly states: ExprState[] = [];
  /** The function value deferred last (functions.ts's defer): a callback the call being evaluated is given. */
  lastDeferred: FunctionDef | null = null;
  /** The last call evaluated that made an instance of a class of the document (follow.ts): where it ends. */
  lastInstance: { end: number; instance: Instance } | null = null;
  /** The last HTTP request call evaluated (see REQUESTS): where it ends and what its URL carried. */
  lastRequest: { end: number; url: Taint } | null = null;
  /**
   * Python: for each `try` body being read, what the exceptions raised in it may name: the URL of
   * an HTTP request made there (requests' and httpx's errors say `… for url: https://…?key=…`).
   */
  readonly tries: Taint[] = [];
  /** Python: what the exceptions of the last `try` body read may name (see `tries`). */
  caught: Taint = null;

  // ---- what is known of the whole document before the walk (documentIndex.ts, reader.ts) ----

  /**
   * The references located in the tokens (the first refCount entries, by start token): where each
   * starts, its last token and its index in `refs`; and one bit per token, whether a reference
   * starts there (most tokens are asked, few are one). Set by locateReferences, which lends these
   * arrays from one analysis to the next.
   */
  refStarts = NO_INTS;
  refLasts = NO_INTS;
  refIndexes = NO_INTS;
  refCount = 0;
  refBits = NO_INTS;
  /** Names the document assigns a logger to (`log = logging.getLogger(__name__)`). */
  readonly loggers = new Set<string>();
  /**
   * Tokens that may make a sink (a word of sinkWords) or name a function whose return is shown,
   * in order: a function with none in its extent, nested functions included, shows nothing itself
   * (see mayShow).
   */
  readonly sinkTokens: number[] = [];
  /** For each token, the first top-level comma ahead (see reader.ts's elementEnd); made on first use. */
  commaAhead: Int32Array | null = null;

  // ---- keys told apart (fields.ts) and responses (targets.ts's bindResponse) ----

  /**
   * Keys of a dict or object told apart (`cfg = {"api_key": key, "model": "gpt-4"}`, then
   * `cfg["model"]` carries nothing): per container path, the paths of its keys bound in the
   * environment (`cfg['model']` in Python, `cfg.model` in JavaScript). Reading a key with no
   * binding of its own reads the whole container.
   */
  readonly fieldsOf = new Map<string, Set<string>>();
  /** Whether bindResponse has bound a response's attributes in this analysis. */
  responsesBound = false;

  // ---- calls followed into the document's functions (follow.ts) ----

  /** The statement walker of the document's language (set by queue.ts's analyse). */
  walker: StatementWalker | null = null;
  /** The summary being computed (a function followed from a call), or null: the walk reads the document's own code. */
  summary: Summary | null = null;
  /** How many calls deep the summaries being computed are. */
  following = 0;
  /**
   * The analysis's work, counted: the tokens of every function walk (its own and each summary's),
   * one per call followed and per sink it reports, and the steps of paths walked to list a
   * finding's steps. An operation counter, not a limit: the tests assert it grows linearly with
   * the document (test/server/adversarial/leakWork.test.ts).
   */
  work = 0;
  /** Sinks a summary reached and did not keep (findings.ts's MAX_HITS): what the calls into it leave unreported. */
  hitsDropped = 0;
  /** The calls that may carry a secret and were not followed (follow.ts): what leaves the check incomplete; null: none. */
  unfollowed: UnfollowedCalls | null = null;
  /** The functions and classes each scope defines, by name. */
  readonly callables = new Map<Env, Map<string, Callable>>();
  /** Every name a function or class of the document is defined under, with what it names (follow.ts's callsDefined). */
  readonly definedNames = new Map<string, Callable[]>();
  /** The tokens that call one of definedNames, in order; made on first use. */
  definedCalls: number[] | null = null;
  /** What each of definedCalls calls, by position: its name's functions and classes. */
  definedCallees: Callable[][] | null = null;
  /** The instances of the document's classes each scope assigns, by path (`c = C(token)`). */
  readonly objects = new Map<Env, Map<string, Instance>>();

  // ---- the work queue and the findings ----

  /** Functions found and not yet analysed, in the order found. */
  readonly queue: PendingFunction[] = [];
  readonly leaks: SecretLeak[] = [];
  /** Per site, the references (`reference=key` for a key) already reported there. */
  readonly reported = new Map<number, Set<number | string>>();
  /** The leak found at each site (a sink's first token), for the origins found there after the first. */
  readonly sites = new Map<number, SecretLeak>();

  /**
   * @param evaluate what tokens [from, to) carry, as evaluator.ts's evalExpr answers: the parts
   *   the evaluator calls (targets.ts, for a subscript's key) reach it through here, so that no
   *   file of the analysis imports one that imports it
   */
  constructor(
    readonly text: string,
    readonly buf: TokenBuffer,
    /** Python: the front end's statements and scopes (python.ts walks them); null: JavaScript / TypeScript. */
    readonly structure: PythonStructure | null,
    /** JavaScript / TypeScript: the front end's statements (javascript.ts walks them); null: Python. */
    readonly js: JsStructure | null,
    readonly refs: readonly SecretReference[],
    readonly evaluate: (flow: FlowState, from: number, to: number) => Taint,
    /** The document's analysis budget (scan/budget.ts): following calls charges it; null: no limit but MAX_CALL_DEPTH. */
    readonly budget: AnalysisBudget | null = null,
  ) {
    this.count = buf.count;
    this.python = structure !== null;
    this.site = { python: this.python, path: null, name: null, method: false, receiver: null, receiverIsLogger: false, loggers: this.loggers };
    this.block = this.blocks.open(-1);
    this.env = new Env(null, this.blocks, this.block, false);
  }
}
