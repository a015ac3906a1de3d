// The server's open document (server/src/openDocument.ts) against vscode-languageserver-textdocument's,
// which it replaces for the documents the editor edits: the same random edits (ranges anywhere,
// reversed, past a line's end or the text's, across `\r\n` pairs; text with every kind of line end)
// applied to both, then every way of reading them compared. And what it is for: an edit of a very
// large document does not make its text whole again.

import { describe, expect, it } from 'vitest';
import { TextDocument, type Position, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { lengthOf, OpenDocument, openDocuments } from '../../server/src/openDocument';
import { prng } from './scan/corpus';

const ALPHABET = ['a', 'b', ' ', 'x', '\n', '\r\n', '\r', 'é', '😀', "'", '\t'];

function randomText(rand: () => number, max: number): string {
  const n = Math.floor(rand() * max);
  let s = '';
  for (let i = 0; i < n; i++) s += ALPHABET[Math.floor(rand() * ALPHABET.length)]!;
  return s;
}

function randomPosition(rand: () => number, doc: TextDocument): Position {
  // Mostly inside the text; sometimes past a line's end, past the last line, or negative.
  const r = rand();
  if (r < 0.05) return { line: -1, character: 2 };
  if (r < 0.1) return { line: doc.lineCount + 2, character: 0 };
  const line = Math.floor(rand() * doc.lineCount);
  const length = doc.getLineRange(line).end.character;
  return { line, character: Math.floor(rand() * (length + (rand() < 0.2 ? 4 : 1))) };
}

function expectSame(ours: OpenDocument, theirs: TextDocument, rand: () => number): void {
  expect(ours.getText()).toBe(theirs.getText());
  expect(ours.lineCount).toBe(theirs.lineCount);
  expect(ours.version).toBe(theirs.version);
  expect(lengthOf(ours)).toBe(theirs.getText().length);
  const length = theirs.getText().length;
  for (let i = 0; i < 12; i++) {
    const offset = Math.floor(rand() * (length + 3)) - 1;
    expect(ours.positionAt(offset)).toEqual(theirs.positionAt(offset));
    const p = randomPosition(rand, theirs);
    expect(ours.offsetAt(p)).toBe(theirs.offsetAt(p));
    const q = randomPosition(rand, theirs);
    // In either order (the library's substring swaps reversed ends).
    expect(ours.getText({ start: p, end: q })).toBe(theirs.getText({ start: p, end: q }));
  }
  for (const line of [-1, 0, Math.floor(rand() * theirs.lineCount), theirs.lineCount - 1, theirs.lineCount, theirs.lineCount + 3]) {
    expect(ours.getLineRange(line)).toEqual(theirs.getLineRange(line));
    expect(ours.getEOLCharacters(line)).toBe(theirs.getEOLCharacters(line));
  }
}

describe('OpenDocument', () => {
  it('reads as the library document does after the same random edits', () => {
    for (let seed = 1; seed <= 120; seed++) {
      const rand = prng(seed);
      const text = randomText(rand, 400);
      const ours = openDocuments.create('file:///a.py', 'python', 1, text);
      const theirs = TextDocument.create('file:///a.py', 'python', 1, text);
      // Line starts known from the start in half the runs (kept up by each edit), asked for later in the others.
      if (seed % 2 === 0) ours.lineCount;
      for (let v = 2; v < 60; v++) {
        const changes: TextDocumentContentChangeEvent[] = [];
        const count = rand() < 0.8 ? 1 : 3;
        // Each change of a batch is read against the text the ones before it made.
        let shadow = TextDocument.create('file:///a.py', 'python', 0, theirs.getText());
        for (let c = 0; c < count; c++) {
          let change: TextDocumentContentChangeEvent;
          if (rand() < 0.03) change = { text: randomText(rand, 300) };
          else {
            const start = randomPosition(rand, shadow);
            const end = rand() < 0.5 ? start : randomPosition(rand, shadow);
            change = { range: { start, end }, text: rand() < 0.3 ? '' : randomText(rand, 12) };
          }
          changes.push(change);
          shadow = TextDocument.update(shadow, [change], c + 1);
        }
        openDocuments.update(ours, changes, v);
        TextDocument.update(theirs, changes, v);
        if (rand() < 0.3 || v === 59) expectSame(ours, theirs, rand);
      }
    }
  });

  it('types one character at a time into a large document without making its text whole again', () => {
    const line = 'def handle(conv):\n    key = conv.utils.get_secret("stripe_key")\n    return key\n\n';
    const text = line.repeat(20_000);
    const doc = new OpenDocument('file:///large.py', 'python', 1, text);
    const lastLine = doc.lineCount - 1;
    const typed = "v = conv.utils.get_secret('";
    for (let i = 0; i < typed.length; i++) {
      const at = { line: lastLine, character: i };
      doc.update([{ range: { start: at, end: at }, text: typed[i]! }], i + 2);
      // What the server reads on each change: where it happened, and how large the document is.
      expect(doc.offsetAt(at)).toBe(text.length + i);
      expect(lengthOf(doc)).toBe(text.length + i + 1);
    }
    expect(doc.joins).toBe(0);
    // Completion reads a window: the text around the cursor, still without joining it.
    const cursor = { line: lastLine, character: typed.length };
    expect(doc.getText({ start: { line: lastLine - 2, character: 0 }, end: cursor })).toBe(`    return key\n\n${typed}`);
    expect(doc.joins).toBe(0);
    // The analysis reads it whole: once.
    expect(doc.getText()).toBe(text + typed);
    expect(doc.joins).toBe(1);
    expect(doc.getText()).toBe(text + typed);
    expect(doc.joins).toBe(1);
  });
});
