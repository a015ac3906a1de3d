import { describe, expect, it } from 'vitest';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { RangeCursor, rangeOf } from '../../server/src/service/features/common';

/** A small deterministic generator: the same texts and spans on every run. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x80000000;
  };
}

const PIECES = ['a', 'bc', ' ', '\n', '\r\n', '\r', 'get_secret(', "'x'", '\n\n', '\r\r\n'];

describe('RangeCursor', () => {
  it('finds the ranges doc.positionAt finds, for spans in any order, across \\n, \\r\\n and \\r line ends', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const next = random(seed);
      let text = '';
      const length = Math.floor(next() * 60);
      for (let i = 0; i < length; i++) text += PIECES[Math.floor(next() * PIECES.length)];
      const doc = TextDocument.create('file:///t.py', 'python', 1, text);
      const other = TextDocument.create('file:///o.py', 'python', 1, `x\r\n${text}`);
      const cursor = new RangeCursor(doc);
      for (let k = 0; k < 40; k++) {
        // Mostly forward, as the diagnostics take them; now and then back, past the end or in another document.
        const start = Math.floor(next() * (text.length + 3));
        const end = start + Math.floor(next() * 8);
        const target = next() < 0.1 ? other : doc;
        const span = { start, end };
        expect(cursor.rangeOf(target, span)).toEqual({ start: target.positionAt(start), end: target.positionAt(end) });
        expect(rangeOf(target, span)).toEqual({ start: target.positionAt(start), end: target.positionAt(end) });
      }
    }
  });

  it('follows a long document forward line by line and many lines at once', () => {
    const text = Array.from({ length: 5000 }, (_, i) => `line ${i}${i % 7 === 0 ? '\r\n' : '\n'}`).join('');
    const doc = TextDocument.create('file:///t.py', 'python', 1, text);
    const cursor = new RangeCursor(doc);
    for (let offset = 0; offset <= text.length; offset += 1 + (offset % 997)) {
      expect(cursor.rangeOf(doc, { start: offset, end: offset + 3 })).toEqual({ start: doc.positionAt(offset), end: doc.positionAt(offset + 3) });
    }
  });
});
