// The scanner proper: lex once, then find references over the tokens. One token buffer is reused
// across scans; the caller reads it (the credential detector and the leak analysis do) before the
// next scan.

import { type AnalysisBudget, budgetFor } from './scan/budget';
import { lexJs } from './javascript/jsLexer';
import { findJsReferences } from './javascript/jsRefs';
import { lexPython } from './python/pythonLexer';
import { findPythonReferences } from './python/pythonRefs';
import { TokenBuffer } from './scan/tokens';
import type { ImportLookup, ReferenceScan, ScanLanguage } from './scan/types';

const buffer = new TokenBuffer();

/** The references of `text` and the tokens they were found in; lets an internal error escape. */
export function scanReferences(
  text: string,
  language: Exclude<ScanLanguage, 'config'>,
  imports?: ImportLookup,
  budget: AnalysisBudget = budgetFor(text.length),
): { result: ReferenceScan; tokens: TokenBuffer } {
  if (language === 'python') lexPython(text, buffer);
  else lexJs(text, buffer, language === 'typescript');
  // The lexer is linear: charged its tokens, and the clock looked at after it.
  budget.pass(buffer.count);
  budget.checkClock();
  if (language === 'python') return { result: findPythonReferences(text, buffer, imports, budget), tokens: buffer };
  return { result: findJsReferences(text, buffer, budget), tokens: buffer };
}
