// The workspace index: every scanned file of the workspace folders, read from disk, with its
// references (never ADK-generated folders, see fileFilter.ts, nor a file with unresolved merge
// markers). It lets the server list usages across files, count them for the sidebar and report
// diagnostics for files that are not open. The file I/O of the server lives here, not in service/.

import { opendir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { ScanResult } from './service/analyze';
import { languageOfPath } from './service/scan/references';
import type { ImportLookup, ScanLanguage } from './service/scan/types';
import { AnalysisDeadline, scan } from './service/analyze';
import { DEFAULT_ANALYSIS_TIMEOUT_MS } from '../../protocol/check';
import { FileFilter } from './fileFilter';
import { isProjectConfig } from './projectConfig';
import { childUri, isInside, relativePath, uriToPath } from './fileUris';
import { looksBinary, sourceText } from './sourceText';
import { hasMergeMarkers } from '../../protocol/adkProject';

export interface IndexedFile {
  uri: string;
  /** Kept only when the file has references (positions need the text); most files have none. */
  doc: TextDocument | null;
  /**
   * Held compactly (`compactForIndex`): no `writes` or `functions` (nothing asks them of a file that
   * is not open: Run lenses are an open document's), lists that are empty one shared empty list,
   * and each name one string however many files read it.
   */
  result: ScanResult;
}

/** The one empty list the index's results share (frozen: nothing adds to a scan result once made). */
const NONE: never[] = Object.freeze([]) as unknown as never[];
const NO_RESULT: ScanResult = Object.freeze({ references: NONE, writes: NONE, functions: NONE, hardcoded: NONE, leaks: NONE });

/**
 * A scan result as the index keeps it, for 10,000 files at once: the references, credentials and
 * leaks the features read, the same positions, with less held per file (see `IndexedFile.result`).
 * `names` interns the secret names and keys read, so that 70,000 reads of 10,000 secrets hold
 * 10,000 strings, not a slice of each file's text per read.
 */
export function compactForIndex(result: ScanResult, names: Map<string, string>): ScanResult {
  if (result.references.length === 0 && result.hardcoded.length === 0 && result.leaks.length === 0) return NO_RESULT;
  const intern = (name: string): string => {
    let held = names.get(name);
    if (held === undefined) {
      // A copy of its own (a slice would keep the whole file's text alive after the file is gone).
      held = JSON.parse(JSON.stringify(name)) as string;
      names.set(held, held);
    }
    return held;
  };
  for (const ref of result.references) {
    if (ref.name !== null) {
      const name = intern(ref.name);
      if (ref.literal.value === ref.name) ref.literal.value = name;
      ref.name = name;
    }
    if (ref.keys.length === 0) ref.keys = NONE;
    for (const access of ref.keys) {
      if (access.key === null) continue;
      const key = intern(access.key);
      if (access.literal.value === access.key) access.literal.value = key;
      access.key = key;
    }
  }
  return {
    ...result,
    writes: NONE,
    functions: NONE,
    hardcoded: result.hardcoded.length === 0 ? NONE : result.hardcoded,
    leaks: result.leaks.length === 0 ? NONE : result.leaks,
  };
}

interface Folder {
  uri: string;
  path: string;
  filter: FileFilter;
}

export interface IndexOptions {
  /** Larger files are skipped (bytes). */
  maxFileSize: number;
  /** Reports a file that could not be read; the message never holds file content. */
  onError: (message: string) => void;
  /** The lookup for the names a file imports from other modules of its project (ModuleImports.lookupFor). */
  imports?: (uri: string, text: string) => ImportLookup | undefined;
  /** A file whose analysis runs longer than this (milliseconds, wall clock) is stopped and skipped; absent: DEFAULT_ANALYSIS_TIMEOUT_MS. */
  analysisTimeoutMs?: number;
  /** Reports a file skipped for its analysis's time: one line, never file content. */
  onSkipped?: (message: string) => void;
}

/** Files read at once: enough to hide disk latency without flooding the event loop. */
const READ_CONCURRENCY = 8;

export class WorkspaceIndex {
  private readonly files = new Map<string, IndexedFile>();
  private readonly folders = new Map<string, Folder>();
  /** Every secret name and key the index's results read, each held once (`compactForIndex`). */
  private readonly names = new Map<string, string>();

  constructor(private readonly options: IndexOptions) {}

  get size(): number {
    return this.files.size;
  }

  values(): IterableIterator<IndexedFile> {
    return this.files.values();
  }

  get(uri: string): IndexedFile | undefined {
    return this.files.get(uri);
  }

  folderUris(): string[] {
    return [...this.folders.keys()];
  }

  /** Adds or re-configures a workspace folder; false when it is not on a local disk. */
  setFolder(uri: string, exclude: Record<string, unknown>): boolean {
    const fsPath = uriToPath(uri);
    if (fsPath === undefined) return false;
    this.folders.set(uri, { uri, path: fsPath, filter: new FileFilter(exclude) });
    return true;
  }

  removeFolder(uri: string): void {
    this.folders.delete(uri);
    this.removeUnder(uri);
  }

  /** Whether the index would read this file (inside a folder, a scanned language, not excluded). */
  includes(uri: string): boolean {
    const folder = this.folderOf(uri);
    return folder !== undefined && folder.filter.includesFile(relativePath(uri, folder.uri));
  }

  /** Reads every file of a folder afresh. `onProgress` hears of each file read. */
  async indexFolder(uri: string, onProgress?: (done: number, total: number) => void): Promise<void> {
    const folder = this.folders.get(uri);
    if (!folder) return;
    const found: string[] = [];
    await this.walk(folder, folder.path, '', found);
    if (this.folders.get(uri) !== folder) return; // removed or re-configured meanwhile
    this.removeUnder(uri);
    let done = 0;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < found.length) {
        const rel = found[next++]!;
        await this.read(folder, rel);
        onProgress?.(++done, found.length);
      }
    };
    await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, found.length) }, worker));
  }

  /** Re-reads one file after a change on disk; removes it when it is gone or no longer included. */
  async update(uri: string): Promise<void> {
    const folder = this.folderOf(uri);
    const rel = folder && relativePath(uri, folder.uri);
    if (!folder || rel === undefined || !folder.filter.includesFile(rel)) {
      this.files.delete(uri);
      return;
    }
    await this.read(folder, rel);
  }

  /**
   * Analyses a Python, JavaScript or TypeScript file again from the text it was read with (a module it imports names from
   * changed); false when the index holds no text of it (a file without references imports no name
   * that matters).
   */
  reanalyze(uri: string): boolean {
    const file = this.files.get(uri);
    const language = languageOfPath(uri);
    if (!file?.doc || language === undefined || language === 'config') return false;
    const text = file.doc.getText();
    const analysed = this.analyse(uri, text, language);
    if (analysed === null) {
      this.files.delete(uri);
      return true;
    }
    const result = compactForIndex(analysed, this.names);
    const doc = result.references.length > 0 || result.hardcoded.length > 0 ? file.doc : null;
    this.files.set(uri, { uri, doc, result });
    return true;
  }

  /**
   * A file's analysis, stopped past the wall-clock limit: null then, and the file reported as
   * skipped (onSkipped), so that one file cannot hold the index, which goes on with the others.
   */
  private analyse(uri: string, text: string, language: ScanLanguage): ScanResult | null {
    const ms = this.options.analysisTimeoutMs ?? DEFAULT_ANALYSIS_TIMEOUT_MS;
    try {
      return scan(text, language, language !== 'config' ? this.options.imports?.(uri, text) : undefined, { deadlineMs: ms });
    } catch (e) {
      if (!(e instanceof AnalysisDeadline)) throw e;
      this.skipped.add(uri);
      this.options.onSkipped?.(skippedMessage(uri, ms));
      return null;
    }
  }

  /** The files skipped for their analysis's time, until read again. */
  readonly skipped = new Set<string>();

  /** Forgets a file, or everything under a deleted folder. */
  removeUnder(uri: string): void {
    for (const key of [...this.files.keys()]) {
      if (isInside(key, uri)) this.files.delete(key);
    }
  }

  private folderOf(uri: string): Folder | undefined {
    let best: Folder | undefined;
    for (const folder of this.folders.values()) {
      if (isInside(uri, folder.uri) && uri !== folder.uri && (!best || folder.uri.length > best.uri.length)) best = folder;
    }
    return best;
  }

  private async walk(folder: Folder, dir: string, rel: string, out: string[]): Promise<void> {
    let handle;
    try {
      handle = await opendir(dir);
    } catch (e) {
      this.options.onError(`Cannot list ${dir}: ${errorCode(e)}`);
      return;
    }
    const subdirs: [string, string][] = [];
    for await (const entry of handle) {
      const childRel = rel === '' ? entry.name : `${rel}/${entry.name}`;
      // Symbolic links are not followed: they can loop, and often point outside the workspace.
      if (entry.isDirectory()) {
        if (folder.filter.includesDirectory(entry.name, childRel)) subdirs.push([path.join(dir, entry.name), childRel]);
      } else if (entry.isFile() && folder.filter.includesFile(childRel)) {
        out.push(childRel);
      }
    }
    for (const [childDir, childRel] of subdirs) await this.walk(folder, childDir, childRel, out);
  }

  private async read(folder: Folder, rel: string): Promise<void> {
    const uri = childUri(folder.uri, rel);
    const language = languageOfPath(rel);
    const file = path.join(folder.path, ...rel.split('/'));
    if (!language) return;
    try {
      // A JSON file at the configuration's path is read only when it is a project's.
      if (language === 'config' && !isProjectConfig(file)) {
        this.files.delete(uri);
        return;
      }
      const info = await stat(file);
      if (!info.isFile() || info.size > this.options.maxFileSize) {
        this.files.delete(uri);
        return;
      }
      const bytes = await readFile(file);
      if (looksBinary(bytes)) {
        this.files.delete(uri);
        return;
      }
      const text = sourceText(bytes);
      // A file with unresolved merge markers says two things at once: not indexed until resolved.
      if (hasMergeMarkers(text)) {
        this.files.delete(uri);
        return;
      }
      const analysed = this.analyse(uri, text, language);
      if (analysed === null) {
        this.files.delete(uri);
        return;
      }
      this.skipped.delete(uri);
      const result = compactForIndex(analysed, this.names);
      const doc = result.references.length > 0 || result.hardcoded.length > 0 ? TextDocument.create(uri, language === 'config' ? 'json' : language, 0, text) : null;
      this.files.set(uri, { uri, doc, result });
    } catch (e) {
      this.files.delete(uri);
      if (errorCode(e) !== 'ENOENT') this.options.onError(`Cannot read ${file}: ${errorCode(e)}`);
    }
  }
}

/** Why a file was left out of the index for its analysis's time (no file content). */
export function skippedMessage(uri: string, ms: number): string {
  return `Skipped ${uri}: its analysis ran longer than ${ms} ms and was stopped; its secret reads are not checked until it is opened.`;
}

function errorCode(e: unknown): string {
  return e instanceof Error && 'code' in e && typeof e.code === 'string' ? e.code : String(e);
}
