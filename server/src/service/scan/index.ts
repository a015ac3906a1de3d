// The reference scanner of the language service: finds every secret reference in a document's
// text with exact spans. Pure and synchronous; a purpose-built lexer, not a parser.

import { scanOrThrow } from './scanner';
import type { ScanLanguage, ScanResult } from './types';

export type { KeyAccess, ScanLanguage, ScanResult, SecretReference, Span, StringLiteral } from './types';
export { LANGUAGE_IDS } from './types';

/** Every secret reference in `text`. Never throws: on an internal error it finds nothing. */
export function scan(text: string, language: ScanLanguage): ScanResult {
  try {
    return scanOrThrow(text, language);
  } catch {
    return { references: [] };
  }
}
