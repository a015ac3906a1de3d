// The pulled diagnostics' collection (client/src/core/diagnosticBatch.ts): single-file sets made in
// one turn reach the collection it wraps as one call, and what is read back is what was set. The
// wrapped collection here stands in for VS Code's (a map with its semantics: the array form joins a
// file's repeated entries, `set(uri, undefined)` deletes) and records each call, since each call to
// the real one is a message to the window.

import { describe, expect, it } from 'vitest';
import { BatchedDiagnosticCollection, MAX_BATCH, type DiagnosticCollectionLike } from '../../client/src/core/diagnosticBatch';

class Uri {
  constructor(readonly path: string) {}
  toString(): string {
    return `file://${this.path}`;
  }
}

type Call = { kind: 'set'; uris: string[] } | { kind: 'delete'; uri: string } | { kind: 'clear' } | { kind: 'dispose' };

class RecordingCollection implements DiagnosticCollectionLike<Uri, string> {
  readonly name = 'secrets-vault';
  readonly calls: Call[] = [];
  readonly data = new Map<string, [Uri, string[]]>();

  set(uri: Uri, diagnostics: readonly string[] | undefined): void;
  set(entries: ReadonlyArray<[Uri, readonly string[] | undefined]>): void;
  set(first: Uri | ReadonlyArray<[Uri, readonly string[] | undefined]>, diagnostics?: readonly string[] | undefined): void {
    const entries: ReadonlyArray<[Uri, readonly string[] | undefined]> = Array.isArray(first) ? first : [[first as Uri, diagnostics]];
    this.calls.push({ kind: 'set', uris: entries.map(([u]) => u.toString()) });
    const seen = new Set<string>();
    for (const [uri, list] of entries) {
      const key = uri.toString();
      if (!Array.isArray(first) && list === undefined) {
        this.data.delete(key);
        continue;
      }
      if (!seen.has(key)) this.data.set(key, [uri, []]);
      seen.add(key);
      this.data.get(key)![1].push(...(list ?? []));
    }
  }
  delete(uri: Uri): void {
    this.calls.push({ kind: 'delete', uri: uri.toString() });
    this.data.delete(uri.toString());
  }
  clear(): void {
    this.calls.push({ kind: 'clear' });
    this.data.clear();
  }
  forEach(callback: (uri: Uri, diagnostics: readonly string[], collection: DiagnosticCollectionLike<Uri, string>) => unknown): void {
    for (const [uri, list] of this.data.values()) callback(uri, list, this);
  }
  get(uri: Uri): readonly string[] | undefined {
    return this.data.get(uri.toString())?.[1];
  }
  has(uri: Uri): boolean {
    return this.data.has(uri.toString());
  }
  dispose(): void {
    this.calls.push({ kind: 'dispose' });
  }
  *[Symbol.iterator](): Iterator<[Uri, readonly string[]]> {
    yield* this.data.values();
  }
}

/** A batch collection whose end-of-turn flushes run when the test says. */
function batched() {
  const target = new RecordingCollection();
  const queued: (() => void)[] = [];
  const collection = new BatchedDiagnosticCollection<Uri, string>(target, (f) => queued.push(f));
  const endTurn = () => {
    for (const f of queued.splice(0)) f();
  };
  return { target, collection, endTurn, queued };
}

const file = (n: number) => new Uri(`/repo/f${n}.py`);

describe('pulled diagnostics reach the editor in batches', () => {
  it('passes a turn of single-file sets on as one call, the last set of a file winning', () => {
    const { target, collection, endTurn, queued } = batched();
    for (let n = 0; n < 500; n++) collection.set(file(n), [`problem ${n}`]);
    collection.set(file(7), ['problem 7, again']);
    collection.set(file(8), []);
    expect(target.calls).toEqual([]);
    expect(queued).toHaveLength(1);
    // Read back before the end of the turn: what was set.
    expect(collection.get(file(7))).toEqual(['problem 7, again']);
    expect(collection.has(file(499))).toBe(true);
    expect(collection.has(file(500))).toBe(false);
    endTurn();
    expect(target.calls).toHaveLength(1);
    expect(target.calls[0]).toEqual({ kind: 'set', uris: Array.from({ length: 500 }, (_, n) => file(n).toString()) });
    expect(target.get(file(7))).toEqual(['problem 7, again']);
    expect(target.get(file(8))).toEqual([]);
    expect(target.get(file(3))).toEqual(['problem 3']);
    expect(target.data.size).toBe(500);
  });

  it('bounds a batch to MAX_BATCH files', () => {
    const { target, collection, endTurn } = batched();
    const total = MAX_BATCH * 2 + 10;
    for (let n = 0; n < total; n++) collection.set(file(n), [`problem ${n}`]);
    endTurn();
    expect(target.calls.map((c) => (c.kind === 'set' ? c.uris.length : c.kind))).toEqual([MAX_BATCH, MAX_BATCH, 10]);
    expect(target.data.size).toBe(total);
  });

  it('deletes at once, dropping a set still waiting; set(uri, undefined) deletes too', () => {
    const { target, collection, endTurn } = batched();
    collection.set(file(1), ['one']);
    collection.set(file(2), ['two']);
    endTurn();
    collection.set(file(1), ['one, changed']);
    collection.delete(file(1));
    collection.set(file(2), undefined);
    expect(collection.has(file(1))).toBe(false);
    expect(collection.get(file(2))).toBeUndefined();
    endTurn();
    expect(target.calls.slice(1)).toEqual([
      { kind: 'delete', uri: file(1).toString() },
      { kind: 'delete', uri: file(2).toString() },
    ]);
    expect(target.data.size).toBe(0);
  });

  it('passes an array set straight on, after what was waiting', () => {
    const { target, collection, endTurn } = batched();
    collection.set(file(1), ['one']);
    collection.set([
      [file(2), ['two']],
      [file(2), ['two, more']],
    ]);
    expect(target.calls).toEqual([
      { kind: 'set', uris: [file(1).toString()] },
      { kind: 'set', uris: [file(2).toString(), file(2).toString()] },
    ]);
    expect(target.get(file(2))).toEqual(['two', 'two, more']);
    endTurn();
    expect(target.calls).toHaveLength(2);
  });

  it('iterates and walks what was set, waiting or not; clear and dispose drop what waits', () => {
    const { target, collection, endTurn } = batched();
    collection.set(file(1), ['one']);
    endTurn();
    collection.set(file(2), ['two']);
    const walked: string[] = [];
    collection.forEach((uri, list, owner) => {
      walked.push(`${uri.path}: ${list.join()}`);
      expect(owner).toBe(collection);
    });
    expect(walked).toEqual(['/repo/f1.py: one', '/repo/f2.py: two']);
    collection.set(file(3), ['three']);
    expect([...collection].map(([uri]) => uri.path)).toEqual(['/repo/f1.py', '/repo/f2.py', '/repo/f3.py']);
    collection.set(file(4), ['four']);
    collection.clear();
    endTurn();
    expect(target.data.size).toBe(0);
    collection.set(file(5), ['five']);
    collection.dispose();
    endTurn();
    collection.set(file(6), ['six']);
    endTurn();
    expect(target.data.size).toBe(0);
    expect(target.calls.at(-1)).toEqual({ kind: 'dispose' });
    expect(collection.name).toBe('secrets-vault');
  });
});
