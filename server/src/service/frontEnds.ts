// The front ends by language: a document is lexed once by its language's lexer (python/ or
// javascript/), then its references are found over the tokens by that language's finder. One token
// buffer is reused across scans; the caller reads it (the credential detector and the leak analysis
// do) before the next scan. The project's configuration has a front end of its own (config/) that
// reads no tokens: analyze.ts calls it. This file sits above the front ends, which import no other.
//
// Each front end finds every secret reference in a document's text with exact spans. Pure and
// synchronous; a purpose-built lexer, not a parser.
//
// What the features can rely on:
// - references come in document order (by span.start);
// - a call with no argument yet (`get_secret(`, `creds[`, `.get(`, `process.env.`) has an empty
//   literal at the cursor position (span.start === span.end), value '' and closed false;
// - an unterminated string literal has closed false and its content runs to the line's end
//   (a triple-quoted one, or a JS template, to the end of the text);
// - a dynamic name or key (f-string with placeholders, variable, any expression) has value null
//   and both spans on the whole expression;
// - nothing inside comments, docstrings or other strings counts; code inside f-string / template
//   placeholders and JSX braces does.

import { type AnalysisBudget, budgetFor } from './scan/budget';
import { lexJs } from './javascript/jsLexer';
import { findJsReferences } from './javascript/jsRefs';
import { type JsStructure, jsStructure } from './javascript/jsStructure';
import { lexPython } from './python/pythonLexer';
import { run } from './python/pythonRefs';
import { PythonRefScan, type PythonStructure } from './python/pythonRefsState';
import { LiteralContexts } from './scan/literalContexts';
import { TokenBuffer } from './scan/tokens';
import type { ImportLookup, ReferenceScan, ScanLanguage } from './scan/types';

const buffer = new TokenBuffer();

/**
 * The references of `text`, the tokens they were found in, the names its string literals are given
 * to (by token: valid with the tokens) and the statements the front end found there (in Python,
 * with its scopes; all valid until the next scan); lets an internal error escape.
 */
export function scanReferences(
  text: string,
  language: Exclude<ScanLanguage, 'config'>,
  imports?: ImportLookup,
  budget: AnalysisBudget = budgetFor(text.length),
): { result: ReferenceScan; tokens: TokenBuffer; contexts: LiteralContexts; structure: PythonStructure | JsStructure } {
  if (language === 'python') lexPython(text, buffer);
  else lexJs(text, buffer, language === 'typescript');
  // The lexer is linear: charged its tokens, and the clock looked at after it.
  budget.pass(buffer.count);
  budget.checkClock();
  if (language === 'python') {
    const scan = new PythonRefScan(text, buffer);
    return { result: run(scan, imports, budget), tokens: buffer, contexts: scan.contexts.out, structure: scan };
  }
  const contexts = new LiteralContexts();
  const result = findJsReferences(text, buffer, budget, contexts, imports);
  // The statements, for the leak analysis: only a document with references has a consumer for them.
  return { result, tokens: buffer, contexts, structure: result.references.length > 0 ? jsStructure.build(text, buffer) : jsStructure.clear() };
}
