// Secret values that reach a log (the `secret-in-log` diagnostic's engine): within a
// function (and at module level), a value read from a secret reference and anything derived from
// it, followed through assignments, formatting, concatenation, containers, subscripts, calls
// that pass it on and calls into the document's own functions, into a sink (sinks.ts). Runs over
// the token buffer the scanner has just filled, with the references it found and the statements
// (and, in Python, the scopes) its front end found: no second lex, no second split. Pure; no I/O.
//
// Decisions:
// - Order: within a scope, statements are read in order, once (flow-insensitive but ordered). A
//   name holds a secret from the assignment that puts it there on. Another assignment replaces
//   it for the reads that assignment always precedes: later in the same block or in blocks inside
//   it. After a branch (if / else / loop / try body) ends, the name may hold what either path left:
//   `x = secret; if c: x = "n/a"` still holds the secret after the `if` (but not inside it). A loop
//   is read once, so a sink before the assignment in the loop's body is not reported.
// - Nested functions (def, lambda, arrow functions, methods) are analysed after the scope that
//   defines them and see its names as they stand at its end (closures usually run later; module
//   names are usually set before functions run). Their parameters hide outer names. A function's
//   own names are not seen by other functions.
// - Calls into the document's functions are followed (follow.ts): a function or method defined in
//   the document (a def, a nested def, a lambda or arrow function bound to a name, a method through
//   `self.` / `this.` or through an instance, a class called for its `__init__` / `constructor`),
//   by position, keyword, `*args` / `**kwargs` and defaults. A sink an argument reaches there is
//   reported at that sink, its origin the read, its steps through "passed to helper as x"; what the
//   function returns of its parameters (or of its own reads) is the call's result; what a
//   constructor stores on `self` / `this` is the instance's attribute (`c.t`), and what its methods
//   see when called on it. A method walked on its own sees the secrets its class's constructor
//   reads and stores itself (`self.api_key = get_secret(…)`): every instance holds them. A summary per function (and per set of the receiver's tainted
//   attributes), computed once with a placeholder in every input, whatever set of them a call
//   taints; a call instantiates those it passes something to, and reports at most MAX_HITS sinks
//   per input (the nearest). Recursion follows nothing, calls deeper than MAX_CALL_DEPTH are not
//   followed, each summary is charged to the document's analysis budget. Sanitisers stop a value
//   before the call is followed; a sink's own name (`print`, a logger) wins over a function of the
//   same name. A function passed as a value (a callback) is not followed.
// - One finding per sink: a call whose arguments carry two secrets, or a name that holds one
//   secret or another, is one leak with an origin per secret (and per key of it: `creds['BASE_URL']`
//   and `creds['API_KEY']` are told apart, so that the language service can report only the keys
//   that hold a credential); a secret in two arguments of one call is one origin (at the first).
// - A call that is no sink, no sanitiser and no known propagator is the value's intended use
//   (`requests.get(url, headers=h)`, `Client(api_key=k)`): its result carries nothing. Assigning an
//   attribute (`session.auth = token`) binds that attribute, not the object. Storing by subscript
//   or a method such as `append` / `update` / `set` adds to the container.
// - Slicing, encoding and serialising carry the value on: a prefix of a secret is part of it.
// - Sources are all references: `env` ones are reported too (SecretLeak.source.form says so);
//   whether they count depends on the account's naming style, which the language service knows.
//
// Cost: nothing at all for a document without references. Otherwise one pass over the module's
// statements and over each function that has a reference or can see a tainted name, plus one per
// summary of a function a call follows (one per function: charged to the budget); each call
// followed reports at most MAX_HITS sinks per input it passes; each step a finding lists is read
// in a bounded number of hops (taint.ts's Splice). Linear in the document, by construction:
// FlowState.work counts it, test/server/adversarial/leakWork.test.ts asserts it. Any input is fine: nesting too
// deep to follow is skipped, never a reason to throw.

import type { AnalysisBudget } from '../scan/budget';
import type { PythonStructure } from '../python/pythonRefsState';
import { JsStructure } from '../javascript/jsStructure';
import type { TokenBuffer } from '../scan/tokens';
import type { SecretReference } from '../scan/types';
import { JS_WALKER } from './javascript';
import { PYTHON_WALKER } from './python';
import { evalExpr } from './evaluator';
import { analyse } from './queue';
import { FlowState } from './state';
import type { SecretLeak, UnfollowedCalls } from './types';

export type { FlowStep, LeakOrigin, SecretLeak, UnfollowedCalls, UnfollowedReason } from './types';
export { SINKS, SANITISERS, DISPLAY_FUNCTIONS, LOGGER_NAMES, type SinkEntry, type SanitiserEntry } from './sinks';
export { PROPAGATORS, MUTATORS } from './propagation';

/**
 * Every secret value in `text` that reaches a sink, in document order. `buf` holds the tokens the
 * scanner's lexer made of `text`, `references` the references it found there, and `structure` the
 * statements (in Python, and scopes) its front end found there. Following calls into the document's functions
 * charges `budget` (the document's analysis budget); once it is spent, no more calls are followed.
 */
export function findSecretSinks(
  text: string,
  buf: TokenBuffer,
  structure: PythonStructure | JsStructure,
  references: readonly SecretReference[],
  budget: AnalysisBudget | null = null,
): SecretLeak[] {
  return analyseLeaks(text, buf, structure, references, budget).leaks;
}

/** What the leak analysis of a document finds, and what it left unchecked. */
export interface LeakAnalysis {
  /** As findSecretSinks answers. */
  leaks: SecretLeak[];
  /** The calls that may carry a secret and were not followed (the budget, the depth), or null: the check is complete. */
  unfollowed: UnfollowedCalls | null;
}

/** findSecretSinks, with the calls it did not follow. */
export function analyseLeaks(
  text: string,
  buf: TokenBuffer,
  structure: PythonStructure | JsStructure,
  references: readonly SecretReference[],
  budget: AnalysisBudget | null = null,
): LeakAnalysis {
  if (references.length === 0) return { leaks: [], unfollowed: null };
  const js = structure instanceof JsStructure ? structure : null;
  const flow = new FlowState(text, buf, js === null ? (structure as PythonStructure) : null, js, references, evalExpr, budget);
  const leaks = analyse(flow, js === null ? PYTHON_WALKER : JS_WALKER);
  return { leaks, unfollowed: flow.unfollowed };
}
