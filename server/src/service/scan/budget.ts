// The one work budget of a document's analysis. Every phase charges it: the lexer and the
// reference finders their tokens, the name-set resolvers (Python and JS/TS) each step of each
// computed read, the key-flow, credential and leak passes the tokens they walk. It grows linearly
// with the document's size, so that no document, however it is shaped, costs more than a fixed
// multiple of an ordinary one of its size: a computed read that would take more than its share is
// left unresolved, saying it was too large to follow (`dynamic-name`).
//
// A wall-clock deadline (for the workspace index and `check`, which analyse files nobody opened)
// is checked by the same budget: cheaply, every CLOCK_EVERY steps and between phases, since the
// analysis is synchronous. Past it, AnalysisDeadline escapes the analysis and the caller reports
// the file as skipped. No node built-ins: `performance` is a global in Node and in browsers.

/** Steps every document may take, whatever its size. */
export const BASE_STEPS = 100_000;
/** Steps per character of the document. */
export const STEPS_PER_CHAR = 2;
/** How many passes over the tokens charge them (`pass`): lexer, structure, aliases, references, variables, detector, leaks. */
export const LINEAR_PASSES = 7;
/** How many steps may pass between two looks at the clock. */
const CLOCK_EVERY = 4096;

/** Thrown out of an analysis whose wall-clock deadline has passed: the caller skips the file. */
export class AnalysisDeadline extends Error {
  constructor(readonly limitMs: number) {
    super(`analysis stopped after ${limitMs} ms`);
    this.name = 'AnalysisDeadline';
  }
}

export interface BudgetOptions {
  /** Milliseconds the analysis may run (wall clock); absent: no limit. */
  deadlineMs?: number;
}

export class AnalysisBudget {
  /** Steps charged so far. */
  spent = 0;
  /** The most steps the document may take. */
  readonly limit: number;
  private readonly deadline: number;
  private readonly limitMs: number;
  private nextClock = CLOCK_EVERY;

  constructor(size: number, options: BudgetOptions = {}) {
    this.limit = BASE_STEPS + STEPS_PER_CHAR * size;
    this.limitMs = options.deadlineMs ?? Infinity;
    this.deadline = Number.isFinite(this.limitMs) ? performance.now() + this.limitMs : Infinity;
  }

  /** Of `spent`, what the passes that are linear by construction charged (`pass`): at most LINEAR_PASSES per token. */
  linear = 0;

  /** Steps left for the work that depends on the code's shape (never negative). */
  get left(): number {
    return Math.max(0, this.limit + this.linear - this.spent);
  }

  /**
   * A pass linear by construction (the lexer, the reference finders, the detector, the leak
   * analysis) charges its `tokens`: counted in `spent`, not taken from what is `left` (it has run).
   */
  pass(tokens: number): void {
    this.linear += tokens;
    this.charge(tokens);
  }

  /** Charges `n` steps; false once the budget is spent (the caller stops what it was doing). */
  charge(n: number): boolean {
    this.spent += n;
    if (this.spent >= this.nextClock) {
      this.nextClock = this.spent + CLOCK_EVERY;
      this.checkClock();
    }
    return this.spent <= this.limit + this.linear;
  }

  /** Throws AnalysisDeadline when the deadline has passed (called between phases and every CLOCK_EVERY steps). */
  checkClock(): void {
    if (this.deadline !== Infinity && performance.now() > this.deadline) throw new AnalysisDeadline(this.limitMs);
  }
}

/** A budget for a document of `size` characters with no deadline (a module's names read for an import, the tests). */
export function budgetFor(size: number): AnalysisBudget {
  return new AnalysisBudget(size);
}
