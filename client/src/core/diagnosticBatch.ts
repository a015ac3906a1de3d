// A diagnostic collection that hands the editor many files' diagnostics in one call.
// vscode-languageclient sets a workspace diagnostic report's files one at a time, and VS Code's
// collection sends each `set(uri, …)` to the window as a message of its own: in a repository of
// 10,000 files, 10,000 messages (each serialized, framed and kept until the window acknowledges it)
// where one per batch says the same. This wrapper keeps single-file sets made in one turn of the
// event loop and passes them on together, as `set([[uri, diagnostics], …])`, at the end of the turn
// (or when a batch is full); what it reads back (`get`, `has`, iteration) already sees them. No
// vscode here: the collection it wraps is any object of that shape (languageClient.ts passes VS
// Code's).

/** The part of vscode.DiagnosticCollection this wrapper uses and offers, over any URI and diagnostic type. */
export interface DiagnosticCollectionLike<U, D> extends Iterable<[uri: U, diagnostics: readonly D[]]> {
  readonly name: string;
  set(uri: U, diagnostics: readonly D[] | undefined): void;
  set(entries: ReadonlyArray<[U, readonly D[] | undefined]>): void;
  delete(uri: U): void;
  clear(): void;
  forEach(callback: (uri: U, diagnostics: readonly D[], collection: DiagnosticCollectionLike<U, D>) => unknown, thisArg?: unknown): void;
  get(uri: U): readonly D[] | undefined;
  has(uri: U): boolean;
  dispose(): void;
}

/** Files passed on in one call at most: bounds the size of one message to the window. */
export const MAX_BATCH = 1000;
/**
 * Diagnostics passed on in one call at most. VS Code's collection sends a many-file `set` to the
 * window only up to 1,100 markers (1.1 × its 1,000 per file) and silently drops the files after
 * that (extHostDiagnostics.ts): batched without this bound, a workspace of 500 files with 5
 * problems each showed 1,105 of its 2,500. A single file with more goes alone (VS Code caps it at
 * 1,000 and says how many more).
 */
export const MAX_BATCH_DIAGNOSTICS = 1000;

export class BatchedDiagnosticCollection<U extends { toString(): string }, D> implements DiagnosticCollectionLike<U, D> {
  /** Sets not passed on yet, by URI: the last one for a file wins, as it would have. */
  private readonly pending = new Map<string, [U, readonly D[]]>();
  /** Diagnostics in `pending`. */
  private pendingDiagnostics = 0;
  private scheduled = false;
  private disposed = false;

  constructor(
    private readonly target: DiagnosticCollectionLike<U, D>,
    /** Runs `flush` after the current turn; tests pass their own. */
    private readonly schedule: (flush: () => void) => void = queueMicrotask,
  ) {}

  get name(): string {
    return this.target.name;
  }

  set(uri: U, diagnostics: readonly D[] | undefined): void;
  set(entries: ReadonlyArray<[U, readonly D[] | undefined]>): void;
  set(first: U | ReadonlyArray<[U, readonly D[] | undefined]>, diagnostics?: readonly D[] | undefined): void {
    if (this.disposed) return;
    if (Array.isArray(first)) {
      // Already many files in one call (the array form also joins a file's repeated entries): passed
      // on in calls the window is sent whole, a file's entries kept together.
      this.flush();
      for (const part of boundedParts(first as ReadonlyArray<[U, readonly D[] | undefined]>)) this.target.set(part);
      return;
    }
    const uri = first as U;
    if (diagnostics === undefined) {
      this.delete(uri);
      return;
    }
    const key = uri.toString();
    const replaced = this.pending.get(key);
    if (replaced) this.pendingDiagnostics -= replaced[1].length;
    // This file would take the batch past what the window is sent of one call: the batch goes first.
    if (this.pending.size > 0 && this.pendingDiagnostics + diagnostics.length > MAX_BATCH_DIAGNOSTICS) {
      if (replaced) this.pending.delete(key);
      this.flush();
    }
    this.pending.set(key, [uri, diagnostics]);
    this.pendingDiagnostics += diagnostics.length;
    if (this.pending.size >= MAX_BATCH || this.pendingDiagnostics >= MAX_BATCH_DIAGNOSTICS) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      this.schedule(() => {
        this.scheduled = false;
        this.flush();
      });
    }
  }

  delete(uri: U): void {
    if (this.disposed) return;
    const waiting = this.pending.get(uri.toString());
    if (waiting) this.pendingDiagnostics -= waiting[1].length;
    this.pending.delete(uri.toString());
    this.target.delete(uri);
  }

  clear(): void {
    if (this.disposed) return;
    this.pending.clear();
    this.pendingDiagnostics = 0;
    this.target.clear();
  }

  get(uri: U): readonly D[] | undefined {
    const waiting = this.pending.get(uri.toString());
    return waiting ? waiting[1] : this.target.get(uri);
  }

  has(uri: U): boolean {
    return this.pending.has(uri.toString()) || this.target.has(uri);
  }

  forEach(callback: (uri: U, diagnostics: readonly D[], collection: DiagnosticCollectionLike<U, D>) => unknown, thisArg?: unknown): void {
    this.flush();
    this.target.forEach((uri, diagnostics) => callback.call(thisArg, uri, diagnostics, this));
  }

  [Symbol.iterator](): Iterator<[uri: U, diagnostics: readonly D[]]> {
    this.flush();
    return this.target[Symbol.iterator]();
  }

  /** Passes on every set waiting, in one call. */
  flush(): void {
    if (this.pending.size === 0 || this.disposed) return;
    const entries = [...this.pending.values()];
    this.pending.clear();
    this.pendingDiagnostics = 0;
    this.target.set(entries);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.pending.clear();
    this.pendingDiagnostics = 0;
    this.target.dispose();
  }
}

/**
 * `entries` cut into calls of at most MAX_BATCH files and MAX_BATCH_DIAGNOSTICS diagnostics (a file
 * with more goes alone), each file's entries in one call, files in the order they first appear.
 */
export function boundedParts<U extends { toString(): string }, D>(entries: ReadonlyArray<[U, readonly D[] | undefined]>): Array<Array<[U, readonly D[] | undefined]>> {
  const byFile = new Map<string, Array<[U, readonly D[] | undefined]>>();
  for (const entry of entries) {
    const key = entry[0].toString();
    const group = byFile.get(key);
    if (group) group.push(entry);
    else byFile.set(key, [entry]);
  }
  const parts: Array<Array<[U, readonly D[] | undefined]>> = [];
  let part: Array<[U, readonly D[] | undefined]> = [];
  let files = 0;
  let count = 0;
  for (const group of byFile.values()) {
    const size = group.reduce((n, [, list]) => n + (list?.length ?? 0), 0);
    if (files > 0 && (count + size > MAX_BATCH_DIAGNOSTICS || files >= MAX_BATCH)) {
      parts.push(part);
      part = [];
      files = 0;
      count = 0;
    }
    part.push(...group);
    files++;
    count += size;
  }
  if (files > 0) parts.push(part);
  return parts;
}
