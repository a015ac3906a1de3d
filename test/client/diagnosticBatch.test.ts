// The pulled diagnostics' collection (client/src/core/diagnosticBatch.ts): single-file sets made in
// one turn reach the collection it wraps as one call, and what is read back is what was set. The
// wrapped collection here stands in for VS Code's (a map with its semantics: the array form joins a
// file's repeated entries, `set(uri, undefined)` deletes) and records each call, since each call to
// the real one is a message to the window. It also keeps what the window is sent, by VS Code's rule
// (extHostDiagnostics.ts, the same in 1.100 and 1.104): a call's files are sent sorted by URI, each
// capped at 1,000 markers (plus one saying how many more), until the call's total passes 1,100; the
// files after that are silently not sent. bench/editor showed 1,105 of 2,500 problems from it.

import { describe, expect, it } from 'vitest';
import { BatchedDiagnosticCollection, MAX_BATCH, MAX_BATCH_DIAGNOSTICS, type DiagnosticCollectionLike } from '../../client/src/core/diagnosticBatch';

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
  /** The markers the window was sent, by URI: what the Problems panel shows. */
  readonly window = new Map<string, number>();

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
    let total = 0;
    for (const key of [...seen].sort()) {
      const count = this.data.get(key)?.[1].length ?? 0;
      const sent = count > 1000 ? 1001 : count;
      this.window.set(key, sent);
      total += sent;
      if (total > 1100) break;
    }
  }
  /** Problems the window shows. */
  shown(): number {
    let n = 0;
    for (const count of this.window.values()) n += count;
    return n;
  }
  delete(uri: Uri): void {
    this.calls.push({ kind: 'delete', uri: uri.toString() });
    this.data.delete(uri.toString());
    this.window.delete(uri.toString());
  }
  clear(): void {
    this.calls.push({ kind: 'clear' });
    this.data.clear();
    this.window.clear();
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

  it('bounds a batch to MAX_BATCH_DIAGNOSTICS diagnostics, so that the window is sent every file (500 files of 5 problems)', () => {
    const { target, collection, endTurn } = batched();
    const five = (n: number) => Array.from({ length: 5 }, (_, k) => `problem ${n}.${k}`);
    for (let n = 0; n < 500; n++) collection.set(file(n), five(n));
    endTurn();
    const sizes = target.calls.map((c) => (c.kind === 'set' ? c.uris.length : c.kind));
    expect(sizes).toEqual([200, 200, 100]);
    expect(target.shown()).toBe(2500);
    // Replacing a waiting file's list counts its new size only.
    for (let n = 0; n < 199; n++) collection.set(file(n), five(n));
    collection.set(file(0), ['only one']);
    collection.set(file(999), five(999));
    endTurn();
    expect(target.calls.slice(3).map((c) => (c.kind === 'set' ? c.uris.length : c.kind))).toEqual([200]);
    expect(target.shown()).toBe(2500 - 4 + 5);
  });

  it('passes a file with more than MAX_BATCH_DIAGNOSTICS alone, between the batches before and after it', () => {
    const { target, collection, endTurn } = batched();
    collection.set(file(1), ['one']);
    collection.set(file(2), Array.from({ length: MAX_BATCH_DIAGNOSTICS + 500 }, (_, k) => `p${k}`));
    collection.set(file(3), ['three']);
    endTurn();
    expect(target.calls).toEqual([
      { kind: 'set', uris: [file(1).toString()] },
      { kind: 'set', uris: [file(2).toString()] },
      { kind: 'set', uris: [file(3).toString()] },
    ]);
    expect(target.shown()).toBe(1 + 1001 + 1);
  });

  it('cuts an array set into calls the window is sent whole, a file’s entries together', () => {
    const { target, collection } = batched();
    const entries: [Uri, string[]][] = [];
    for (let n = 0; n < 500; n++) entries.push([file(n), [`a${n}`, `b${n}`, `c${n}`]], [file(n), [`d${n}`, `e${n}`]]);
    collection.set(entries);
    expect(target.calls.map((c) => (c.kind === 'set' ? c.uris.length : c.kind))).toEqual([400, 400, 200]);
    expect(target.shown()).toBe(2500);
    expect(target.get(file(499))).toEqual(['a499', 'b499', 'c499', 'd499', 'e499']);
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
