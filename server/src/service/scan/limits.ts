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

/** How deep an evaluation may nest: each expression entered (a definition's value, a call's argument, a part of a part) is one deeper. */
export const MAX_DEPTH = 32;

/** A read's share of its document's budget (less when the budget has less left), in steps (evaluate/evaluation.ts: one unit for both front ends). */
export const STEPS_PER_READ = 20_000;

/** The most characters of the part that cannot be followed that a read quotes (then '…'). */
export const QUOTED_PART = 60;
