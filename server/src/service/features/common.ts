// What the diagnostics and the features built on them share: the data each diagnostic carries, the
// process-environment names no diagnostic reports, and document ranges of scanner spans.

import type { Position, Range } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Span } from '../scan/types';

/** Carried on each diagnostic so that code actions need not re-derive what was checked. */
export interface DiagnosticData {
  name: string | null;
  key?: string;
  /** hardcoded-secret: the credential rule that matched. */
  rule?: string;
  /** A computed read's candidate (`name`): where its literal is, so that a fix edits it rather than the expression. */
  candidate?: CandidateLocation;
}

/** Where a computed read's candidate name is written: its document, the range between the quotes, and the opening (`'`, `r"`). */
export interface CandidateLocation {
  uri: string;
  range: Range;
  opening: string;
}

/**
 * Variables every process environment has. In an environment-style account `os.environ['PATH']` is
 * still a reference syntactically, but calling it an unknown secret would be noise.
 */
export const PROCESS_ENVIRONMENT: ReadonlySet<string> = new Set([
  'PATH', 'HOME', 'USER', 'USERNAME', 'LOGNAME', 'SHELL', 'PWD', 'LANG', 'LC_ALL', 'TERM', 'TZ',
  'TMPDIR', 'TEMP', 'TMP', 'HOSTNAME', 'CI', 'DEBUG', 'PORT', 'HOST', 'NODE_ENV', 'NODE_OPTIONS',
  'PYTHONPATH', 'PYTHONUNBUFFERED', 'VIRTUAL_ENV', 'LOG_LEVEL',
]);

export function rangeOf(doc: TextDocument, span: Span): Range {
  const start = doc.positionAt(span.start);
  return { start, end: endOf(doc, span, start) };
}

/**
 * doc.positionAt(span.end), given where the span starts: a span within one line (a name, a key,
 * most expressions) ends as many characters further on, which spares a second search over the
 * document's lines. A line ends at `\n`, `\r` or `\r\n`, as the document counts them.
 */
function endOf(doc: TextDocument, span: Span, start: Position): Position {
  const text = doc.getText();
  if (span.start < 0 || span.end < span.start || span.end > text.length) return doc.positionAt(span.end);
  for (let i = span.start; i < span.end; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 /* \n */ || c === 13 /* \r */) return doc.positionAt(span.end);
  }
  return { line: start.line, character: start.character + (span.end - span.start) };
}
