// What the flow analysis reports: a secret's value reaching a sink, with each step of the way.

import type { SecretReference, Span } from '../scan/types';

export interface FlowStep {
  /** Where the step happens (the assignment target, the f-string, the call…). */
  span: Span;
  /** What happens there, for relatedInformation: "assigned to url", "formatted into an f-string", "passed to print". Never a value. */
  message: string;
}

export interface SecretLeak {
  /** The reference whose value flows (its name may be null for a dynamic name). */
  source: SecretReference;
  /** The sink as written, for the message: 'print', 'logging.info', 'logger.warning', 'conv.log.info', 'console.log', 'raise ValueError', 'return from show_token'. */
  sink: string;
  /** The argument (or returned / raised expression) that carries the value: where the diagnostic points. */
  span: Span;
  /** From the source to the sink, in order (the source read first, the sink call last). */
  steps: FlowStep[];
}
