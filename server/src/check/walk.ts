// Which files a check reads: the paths named (or the working folder), walked with the editor's file
// filter (our languages only, never dependency or build folders, the `--exclude` globs) and
// `.gitignore`. A file that is named explicitly but filtered out is reported, not silently dropped.

import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { SkippedFile } from '../../../protocol/check';
import { FileFilter } from '../fileFilter';
import { languageOfPath } from '../service/scan/references';
import { enterFolder, ignoredBy, stackFor, type IgnoreStack } from './gitignore';

export interface FoundFile {
  abs: string;
  /** Relative to the working folder, `/`-separated: how the report names it. */
  rel: string;
}

export interface WalkOptions {
  cwd: string;
  paths: readonly string[];
  exclude: readonly string[];
  gitignore: boolean;
}

export interface WalkResult {
  files: FoundFile[];
  skipped: SkippedFile[];
}

/**
 * `--exclude` globs as the editor's filter takes them (`files.exclude` style, relative to the working
 * folder). A glob without a `/` matches a name at any depth, as in `.gitignore`: `*.test.ts`, `fixtures`;
 * `./gen/` or `src/gen` only that folder.
 */
export function excludePatterns(globs: readonly string[]): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (const raw of globs) {
    const slashed = raw.replace(/\\/g, '/');
    // As in .gitignore: a `/` at the start or in the middle ties the glob to the working folder.
    const anchored = /^\.?\//.test(slashed) || slashed.replace(/\/+$/, '').includes('/');
    const glob = slashed.replace(/^\.?\/+/, '').replace(/\/+$/, '');
    if (glob === '') continue;
    out[anchored ? glob : `**/${glob}`] = true;
  }
  return out;
}

const EXCLUDED = 'excluded (by --exclude, or as a dependency or build folder)';

export function findFiles(options: WalkOptions): WalkResult {
  const cwd = path.resolve(options.cwd);
  const filter = new FileFilter(excludePatterns(options.exclude));
  const files: FoundFile[] = [];
  const skipped: SkippedFile[] = [];
  const seen = new Set<string>();
  const relOf = (abs: string) => path.relative(cwd, abs).split(path.sep).join('/');
  // An ignore file that is there but not applied is reported once, as an unreadable file is.
  const noticed = new Set<string>();
  const notice = (file: string, detail: string) => {
    if (noticed.has(file)) return;
    noticed.add(file);
    skipped.push({ path: relOf(file), reason: 'unreadable', detail });
  };
  const add = (abs: string, rel: string) => {
    if (seen.has(abs)) return;
    seen.add(abs);
    files.push({ abs, rel });
  };

  /**
   * `outer`: the rules that apply to `dir`'s entries, without `dir`'s own `.gitignore` unless
   * `ownLoaded` (a named folder's stack has them already). Its own are read only when the listing
   * shows one: most folders have none, and a failed read per folder is not free.
   */
  const walk = (dir: string, dirRel: string, outer: IgnoreStack, ownLoaded: boolean): void => {
    let entries;
    try {
      // Synchronous, as the reads: a promise per folder costs more than listing it (bench/check).
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      skipped.push({ path: dirRel || '.', reason: 'unreadable', detail: `cannot list the folder (${errorCode(e)})` });
      return;
    }
    const names: { name: string; isDir: boolean }[] = [];
    // Symbolic links are not followed (as in the editor's index): they can loop or leave the tree.
    for (const entry of entries) {
      if (entry.isDirectory()) names.push({ name: entry.name, isDir: true });
      else if (entry.isFile()) names.push({ name: entry.name, isDir: false });
    }
    // Any entry of that name: a link or a FIFO is not read, but reported (see gitignore.ts loadRules).
    const hasOwn = !ownLoaded && options.gitignore && entries.some((e) => e.name === '.gitignore');
    const inner = hasOwn ? enterFolder(outer, dir, notice) : outer;
    // Sorted, so that reports are the same from one run (and one file system) to the next.
    names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const { name, isDir } of names) {
      const abs = path.join(dir, name);
      const rel = dirRel === '' ? name : `${dirRel}/${name}`;
      if (isDir) {
        if (name === '.git' || !filter.includesDirectory(name, rel)) continue;
        if (options.gitignore && ignoredBy(inner, abs, true)) continue;
        walk(abs, rel, inner, false);
      } else if (filter.includesFile(rel) && !(options.gitignore && ignoredBy(inner, abs, false))) {
        add(abs, rel);
      }
    }
  };

  for (const p of options.paths.length > 0 ? options.paths : ['.']) {
    const abs = path.resolve(cwd, p);
    const rel = relOf(abs);
    let info;
    try {
      info = statSync(abs);
    } catch (e) {
      skipped.push({ path: rel || '.', reason: 'unreadable', detail: errorCode(e) === 'ENOENT' ? 'no such file or folder' : `cannot read (${errorCode(e)})` });
      continue;
    }
    // For a folder: the rules inside it, its own included; a folder's own rules never ignore itself.
    const stack = options.gitignore ? stackFor(info.isDirectory() ? abs : path.dirname(abs), cwd, notice) : [];
    const outer = info.isDirectory() && stack.at(-1)?.dir === abs ? stack.slice(0, -1) : stack;
    const ignoreLevel = options.gitignore ? ignoredBy(outer, abs, info.isDirectory()) : undefined;
    if (info.isDirectory()) {
      if (ignoreLevel) skipped.push({ path: rel, reason: 'ignored', detail: `ignored by ${relOf(ignoreLevel.file)}` });
      else if (rel !== '' && isExcludedFolder(filter, rel)) skipped.push({ path: rel, reason: 'ignored', detail: EXCLUDED });
      else walk(abs, rel, stack, true);
    } else if (!info.isFile()) {
      skipped.push({ path: rel, reason: 'unreadable', detail: 'not a regular file' });
    } else if (!languageOfPath(abs)) {
      skipped.push({ path: rel, reason: 'not-source', detail: 'not a Python, JavaScript or TypeScript file' });
    } else if (ignoreLevel) {
      skipped.push({ path: rel, reason: 'ignored', detail: `ignored by ${relOf(ignoreLevel.file)}` });
    } else if (!filter.includesFile(rel)) {
      skipped.push({ path: rel, reason: 'ignored', detail: EXCLUDED });
    } else {
      add(abs, rel);
    }
  }
  files.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  return { files, skipped };
}

/** A named folder is excluded when it, or a folder above it, is. */
function isExcludedFolder(filter: FileFilter, rel: string): boolean {
  const parts = rel.split('/');
  for (let i = 1; i <= parts.length; i++) {
    if (parts[i - 1] === '..') continue;
    if (!filter.includesDirectory(parts[i - 1]!, parts.slice(0, i).join('/'))) return true;
  }
  return false;
}

export function errorCode(e: unknown): string {
  return e instanceof Error && 'code' in e && typeof e.code === 'string' ? e.code : 'error';
}
