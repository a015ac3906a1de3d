// What the diagnostics keep or reuse to be quick: the verdicts per name kept with a model's state,
// and the ranges found from the one before. Each must answer as if worked out afresh.

import { describe, expect, it } from 'vitest';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { MetadataChange } from '../../protocol/lsp';
import { RangeCursor, rangeOf } from '../../server/src/service/features/common';
import { computeDiagnostics } from '../../server/src/service/features/diagnostics';
import { VaultModel } from '../../server/src/service/model/model';
import { SUPPORT, doc, model, snapshot } from './vaultFixture';

/** A small deterministic generator: the same texts and spans on every run. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x80000000;
  };
}

const PIECES = ['a', 'bc', ' ', '\n', '\r\n', '\r', 'get_secret(', "'x'", '\n\n', '\r\r\n'];
/** Without a \r, where the cursor finds the line ends itself: empty lines, wide characters, a last line with or without its end. */
const LF_PIECES = ['a', 'bc', ' ', '\n', 'get_secret(', "'x'", '\n\n', 'é', '😀'];

describe('RangeCursor', () => {
  it('finds the ranges doc.positionAt finds, for spans in any order, across \\n, \\r\\n and \\r line ends', () => {
    for (let seed = 1; seed <= 400; seed++) {
      const next = random(seed);
      const pieces = seed % 2 === 0 ? PIECES : LF_PIECES;
      let text = '';
      const length = Math.floor(next() * 60);
      for (let i = 0; i < length; i++) text += pieces[Math.floor(next() * pieces.length)];
      const doc = TextDocument.create('file:///t.py', 'python', 1, text);
      const other = TextDocument.create('file:///o.py', 'python', 1, `x\r\n${text}`);
      const cursor = new RangeCursor(doc, seed % 4 < 2 ? 'fresh' : 'document');
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
    for (const [crlf, lines] of [[true, 'fresh'], [false, 'fresh'], [false, 'document']] as const) {
      // Fresh and without a \r the cursor finds line ends itself, as far as asked; else it takes the document's.
      const text = Array.from({ length: 5000 }, (_, i) => `line ${i}${crlf && i % 7 === 0 ? '\r\n' : '\n'}`).join('');
      const doc = TextDocument.create('file:///t.py', 'python', 1, text);
      const cursor = new RangeCursor(doc, lines);
      for (let offset = 0; offset <= text.length; offset += 1 + (offset % 997)) {
        expect(cursor.rangeOf(doc, { start: offset, end: offset + 3 })).toEqual({ start: doc.positionAt(offset), end: doc.positionAt(offset + 3) });
      }
    }
  });
});

const NOW = Date.parse('2026-11-25T00:00:00Z');

const FILE = `def f(conv):
    a = conv.utils.get_secret('stripe_key')
    b = conv.utils.get_secret('opentable_token')
    c = conv.utils.get_secret('opentable_tokn')
    d = conv.utils.get_secret('Prod Key')
    e = conv.utils.get_secret('google_oauth')['client_idd']
    f = conv.utils.get_secret('stripe_key' if conv.env == 'live' else 'new_secret')
`;

describe('verdicts kept per model state', () => {
  it('follow every change applied to the model, as a model built afresh answers', () => {
    const changes: MetadataChange[][] = [
      [{ kind: 'secret', secret: { name: 'stripe_key', description: '', kind: 'single', keys: [], agents: ['booking-agent'] } }],
      [{ kind: 'secret', secret: { name: 'opentable_tokn', description: '', kind: 'single', keys: [], agents: [] } }],
      [{ kind: 'context', pendingAccess: [{ secret: 'opentable_tokn', agent: 'booking-agent' }] }],
      [{ kind: 'secret', secret: { name: 'new_secret', description: '', kind: 'single', keys: [], agents: ['booking-agent'] } }],
      [{ kind: 'secretDeleted', name: 'opentable_token' }],
      [{ kind: 'context', folders: [{ folderUri: `${SUPPORT}/`, agent: 'support-agent' }], defaultAgent: 'support-agent' }],
      [{ kind: 'context', environment: 'live' }],
      [{ kind: 'context', namingStyle: 'UPPER_CASE' }],
      [{ kind: 'context', connection: 'signed-out' }],
    ];
    const d = doc(FILE);
    const live = model();
    for (const step of changes) {
      // Checked before each change too, so that the verdicts of the state before are kept.
      computeDiagnostics(d.doc, d.result, live, NOW);
      live.apply(step);
      const fresh = VaultModel.fromSnapshot(live.toSnapshot(1)!);
      expect(computeDiagnostics(d.doc, d.result, live, NOW)).toEqual(computeDiagnostics(d.doc, d.result, fresh, NOW));
    }
  });

  it('are kept per agent: documents of two agents checked in turn get their own answers', () => {
    const m = VaultModel.fromSnapshot(snapshot());
    const booking = doc(FILE);
    const support = doc(FILE, `${SUPPORT}/functions/main.py`);
    const first = computeDiagnostics(booking.doc, booking.result, m, NOW);
    const other = computeDiagnostics(support.doc, support.result, m, NOW);
    expect(other).not.toEqual(first);
    expect(computeDiagnostics(booking.doc, booking.result, m, NOW)).toEqual(first);
    expect(computeDiagnostics(support.doc, support.result, VaultModel.fromSnapshot(snapshot()), NOW)).toEqual(other);
  });
});
