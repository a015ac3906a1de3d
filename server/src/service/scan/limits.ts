// The limits of name resolution, in one place for both front ends (python/nameSets*.ts and
// javascript/jsNameSets*.ts). Every read resolves within a share of its document's one budget
// (budget.ts, linear in the document's size); these bound what a read may take and produce. A read
// past any of them is left unresolved (`dynamic-name`, said to be too large to follow).

/** The most names one read may take (a concatenation's product, a table's values, an iteration's elements). */
export const MAX_NAMES = 64;

/** Python: the most values one expression may take on the way, before names are merged (more: unresolved). */
export const MAX_PATHS = 256;

/** The most environments a file may name (ENVIRONMENTS and the literals it compares `conv.env` with). */
export const MAX_ENVIRONMENTS = 64;

/**
 * How deep an evaluation may nest (a definition's value, a call's argument, a part of a part). The
 * Python evaluator counts each definition and call it enters; the JavaScript one each expression.
 */
export const MAX_DEPTH = { python: 24, javascript: 32 } as const;

/**
 * A read's share of its document's budget (less when the budget has less left), in each front end's
 * steps: a Python step is a statement or a definition walked, a JavaScript step a token.
 */
export const STEPS_PER_READ = { python: 20_000, javascript: 5_000 } as const;

/** The most characters of the part that cannot be followed that a read quotes (then '…'). */
export const QUOTED_PART = 60;
