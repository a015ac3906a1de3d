// One pass over a document: the scan (references, writes, functions), then the credential detector
// and the leak analysis over the same tokens. The full result type lives here, above the three
// engines, so that none of them depends on another's result.

import { findHardcoded, type HardcodedFinding } from './credentials/detect';
import { nameLiterals } from './credentials/literalPositions';
import { analyseLeaks } from './leaks';
import type { SecretLeak, UnfollowedCalls } from './leaks/types';
import { AnalysisBudget, AnalysisDeadline, type BudgetOptions } from './scan/budget';
import { findConfigReferences } from './config/configRefs';
import { scanReferences } from './frontEnds';
import type { ImportLookup, ReferenceScan, ScanLanguage } from './scan/types';

export interface ScanResult extends ReferenceScan {
  /** String literals that look like credentials (the `hardcoded-secret` diagnostic), in document order. */
  hardcoded: HardcodedFinding[];
  /** Secret values that reach a log, the output or an error message (`secret-in-log`), in document order. */
  leaks: SecretLeak[];
  /**
   * Calls that may carry a secret which the leak analysis did not follow (its share of the budget
   * spent, or calls nested too deep): a leak past them is not reported (`leak-check-incomplete`).
   * Absent when the check is complete.
   */
  leaksUnfollowed?: UnfollowedCalls;
}

export { AnalysisDeadline, type BudgetOptions } from './scan/budget';

/**
 * Like `scan`, but lets an internal error escape: the fuzz tests call this so none hides. Every
 * phase charges `budget` (one per document, linear in its size: scan/budget.ts).
 */
export function scanOrThrow(text: string, language: ScanLanguage, imports?: ImportLookup, budget: AnalysisBudget = new AnalysisBudget(text.length)): ScanResult {
  // A project's configuration names secrets; it runs no code, so it holds no credential a function
  // could leak, and a value there is the platform's to check.
  if (language === 'config') {
    budget.pass(text.length >> 2);
    return { references: findConfigReferences(text), writes: [], functions: [], hardcoded: [], leaks: [] };
  }
  const python = language === 'python';
  const { result, tokens, contexts, structure } = scanReferences(text, language, imports, budget);
  // The credential detector and the leak analysis are linear passes over the tokens: each is
  // charged them, and the clock looked at after it. The detector takes from the references which
  // literals are names and from the front end the names values are given to; the leak analysis
  // reads the Python front end's statements.
  const hardcoded = findHardcoded(text, tokens, python, nameLiterals(result), contexts);
  budget.pass(tokens.count);
  budget.checkClock();
  // A call of another module's reader whose value is not the secret's is no source of it.
  const sources = result.references.some((r) => r.through !== undefined && !r.through.returnsValue) ? result.references.filter((r) => r.through === undefined || r.through.returnsValue) : result.references;
  const { leaks, unfollowed } = analyseLeaks(text, tokens, structure, sources, budget);
  budget.pass(tokens.count);
  budget.checkClock();
  const scanned: ScanResult = { references: result.references, writes: result.writes, functions: result.functions, hardcoded, leaks };
  if (unfollowed !== null) scanned.leaksUnfollowed = unfollowed;
  return scanned;
}

/**
 * Every secret reference, credential and leak in `text`. Never throws on an internal error (it
 * finds nothing); throws AnalysisDeadline when `options.deadlineMs` passes, for the caller to skip
 * the file.
 */
export function scan(text: string, language: ScanLanguage, imports?: ImportLookup, options?: BudgetOptions): ScanResult {
  try {
    return scanOrThrow(text, language, imports, new AnalysisBudget(text.length, options));
  } catch (err) {
    if (err instanceof AnalysisDeadline) throw err;
    return { references: [], writes: [], functions: [], hardcoded: [], leaks: [] };
  }
}
