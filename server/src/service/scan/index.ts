// The reference scanner of the language service: finds every secret reference in a document's
// text with exact spans. Pure and synchronous; a purpose-built lexer, not a parser.
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

export type { FunctionDef, KeyAccess, ReferenceScan, ScanLanguage, SecretReference, Span, StringLiteral } from './types';
export { LANGUAGE_IDS } from './types';
export { scanReferences } from './scanner';
