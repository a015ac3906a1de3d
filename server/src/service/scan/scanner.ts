// The scanner proper: lex once, then find references and hard-coded credentials over the same
// tokens. One token buffer is reused across scans.

import { findHardcoded } from '../credentials/detect';
import { findSecretSinks } from '../leaks';
import { lexJs } from './jsLexer';
import { findJsReferences } from './jsRefs';
import { lexPython } from './pythonLexer';
import { findPythonReferences } from './pythonRefs';
import { TokenBuffer } from './tokens';
import type { ScanLanguage, ScanResult } from './types';

const buffer = new TokenBuffer();

/** Like `scan`, but lets an internal error escape: the fuzz tests call this so none hides. */
export function scanOrThrow(text: string, language: ScanLanguage): ScanResult {
  const python = language === 'python';
  let result: ScanResult;
  if (python) {
    lexPython(text, buffer);
    result = findPythonReferences(text, buffer);
  } else {
    lexJs(text, buffer, language === 'typescript');
    result = findJsReferences(text, buffer);
  }
  result.hardcoded = findHardcoded(text, buffer, python);
  result.leaks = findSecretSinks(text, buffer, python, result.references);
  return result;
}
