// The scanner proper: lex, then find references. One token buffer is reused across scans.

import { lexJs } from './jsLexer';
import { findJsReferences } from './jsRefs';
import { lexPython } from './pythonLexer';
import { findPythonReferences } from './pythonRefs';
import { TokenBuffer } from './tokens';
import type { ScanLanguage, ScanResult } from './types';

const buffer = new TokenBuffer();

/** Like `scan`, but lets an internal error escape: the fuzz tests call this so none hides. */
export function scanOrThrow(text: string, language: ScanLanguage): ScanResult {
  if (language === 'python') {
    lexPython(text, buffer);
    return findPythonReferences(text, buffer);
  }
  lexJs(text, buffer, language === 'typescript');
  return findJsReferences(text, buffer);
}
