// What the flow analysis reports: a secret's value reaching a sink, with each step of the way.

import type { SecretReference, Span } from '../scan/types';

export interface FlowStep {
  /** Where the step happens (the assignment target, the f-string, the call…). */
  span: Span;
  /** What happens there, for relatedInformation: "assigned to url", "formatted into an f-string", "passed to print". Never a value. */
  message: string;
}

/** One secret (or one key of it) whose value reaches a sink, and how. */
export interface LeakOrigin {
  /** The reference whose value flows (its name may be null for a dynamic name). */
  source: SecretReference;
  /**
   * The key of a key/value secret whose value it is (`creds['API_KEY']`), as written; null: the
   * whole value, or a key not known (`creds[k]`).
   */
  key: string | null;
  /** The argument (or returned / raised expression) that carries it. */
  span: Span;
  /** From the source to the sink, in order (the source read first, the sink call last). */
  steps: FlowStep[];
}

/**
 * A value that reaches a sink: one per sink (a call, a `raise`, a `return` that is shown), whatever
 * it may hold. A variable that holds one secret or another (`vault = secret_vault(a)`, then in a
 * branch `vault = secret_vault(b)`) is one leak with two origins, not two leaks.
 */
export interface SecretLeak {
  /** The sink as written, for the message: 'print', 'logging.info', 'logger.warning', 'conv.log.info', 'console.log', 'raise ValueError', 'return from show_token'. */
  sink: string;
  /** The first origin's argument: where the diagnostic points when every origin counts. */
  span: Span;
  /** Each secret and key that may reach the sink there, in the order found; one per (source, key). */
  origins: LeakOrigin[];
}

/** Why a call that may carry a secret was not followed into its function. */
export type UnfollowedReason = 'budget' | 'depth';

/**
 * The calls the analysis did not follow although they may carry a secret (or reach a function
 * that reads one): a sink past them is not reported, so the document's leak check is incomplete.
 * Said once per document (`leak-check-incomplete`), at the first such call.
 */
export interface UnfollowedCalls {
  /** The first such call (from its callee's name to its closing parenthesis), in document order. */
  span: Span;
  /** The function it calls, as written (`helper`, `self.session.fetch`). */
  callee: string;
  /** How many such calls the document's own code makes (one made inside a function followed from there counts at that call). */
  calls: number;
  /** Why the first was not followed. */
  reason: UnfollowedReason;
}
