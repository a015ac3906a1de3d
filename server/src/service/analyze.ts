// One pass over a document: the scan (references, writes, functions), then the credential detector
// and the leak analysis over the same tokens. The full result type lives here, above the three
// engines, so that none of them depends on another's result.

import { findHardcoded, type HardcodedFinding } from './credentials/detect';
import { findSecretSinks } from './leaks';
import type { SecretLeak } from './leaks/types';
import { findConfigReferences } from './scan/configRefs';
import { scanReferences } from './scan/scanner';
import type { ImportLookup, ReferenceScan, ScanLanguage } from './scan/types';

export interface ScanResult extends ReferenceScan {
  /** String literals that look like credentials (the `hardcoded-secret` diagnostic), in document order. */
  hardcoded: HardcodedFinding[];
  /** Secret values that reach a log, the output or an error message (`secret-in-log`), in document order. */
  leaks: SecretLeak[];
}

/** Like `scan`, but lets an internal error escape: the fuzz tests call this so none hides. */
export function scanOrThrow(text: string, language: ScanLanguage, imports?: ImportLookup): ScanResult {
  // A project's configuration names secrets; it runs no code, so it holds no credential a function
  // could leak, and a value there is the platform's to check.
  if (language === 'config') return { references: findConfigReferences(text), writes: [], functions: [], hardcoded: [], leaks: [] };
  const python = language === 'python';
  const { result, tokens } = scanReferences(text, language, imports);
  const hardcoded = findHardcoded(text, tokens, python);
  const leaks = findSecretSinks(text, tokens, python, result.references);
  return { references: result.references, writes: result.writes, functions: result.functions, hardcoded, leaks };
}

/** Every secret reference, credential and leak in `text`. Never throws: on an internal error it finds nothing. */
export function scan(text: string, language: ScanLanguage, imports?: ImportLookup): ScanResult {
  try {
    return scanOrThrow(text, language, imports);
  } catch {
    return { references: [], writes: [], functions: [], hardcoded: [], leaks: [] };
  }
}

export function analyze(text: string, language: ScanLanguage, imports?: ImportLookup): ScanResult {
  return scan(text, language, imports);
}
