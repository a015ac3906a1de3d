// `.gitignore` as git reads it: one rule set per folder, patterns relative to that folder, and the
// deepest file with a matching rule decides (so `!keep.py` in a sub-folder re-includes what a parent
// ignored). `.git/info/exclude` sits below every `.gitignore` of its repository. The pattern
// semantics come from the `ignore` package, which follows git's documentation and test suite.

import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';

export interface IgnoreLevel {
  /** Absolute folder the patterns are relative to. */
  dir: string;
  rules: Ignore;
  /** The file the rules came from, for messages. */
  file: string;
}

/** Rule sets from the outermost folder inwards. */
export type IgnoreStack = readonly IgnoreLevel[];

/** The rules of `dir/.gitignore` on top of `stack`; `stack` itself when the folder has none. */
export function enterFolder(stack: IgnoreStack, dir: string): IgnoreStack {
  const level = loadRules(dir, path.join(dir, '.gitignore'));
  return level ? [...stack, level] : stack;
}

/**
 * The rules that apply inside `dir`: those of every folder from the top down to `dir` itself. The
 * top is the repository's root when `dir` is in one, else `fallbackTop` (the check's working folder)
 * when `dir` is inside it, else `dir`: outside a repository git applies no rules, and files above the
 * folder someone asked to check should not change what it means.
 */
export function stackFor(dir: string, fallbackTop: string): IgnoreStack {
  const repo = repositoryRoot(dir);
  const top = repo ?? (isInside(dir, fallbackTop) ? fallbackTop : dir);
  const chain: string[] = [];
  for (let d = dir; ; d = path.dirname(d)) {
    chain.unshift(d);
    if (d === top || path.dirname(d) === d) break;
  }
  let stack: IgnoreStack = [];
  if (repo !== undefined) {
    const exclude = loadRules(repo, path.join(repo, '.git', 'info', 'exclude'));
    if (exclude) stack = [exclude];
  }
  for (const d of chain) stack = enterFolder(stack, d);
  return stack;
}

/** The level that ignores `abs` (a folder when `isDir`), or undefined when it is not ignored. */
export function ignoredBy(stack: IgnoreStack, abs: string, isDir: boolean): IgnoreLevel | undefined {
  for (let i = stack.length - 1; i >= 0; i--) {
    const level = stack[i]!;
    // Every path here is absolute and resolved, so the relative path is a slice (path.relative is costly per entry).
    const base = level.dir.endsWith(path.sep) ? level.dir : level.dir + path.sep;
    if (abs.length === base.length || !abs.startsWith(base)) continue;
    const rel = abs.slice(base.length);
    const posix = path.sep === '/' ? rel : rel.split(path.sep).join('/');
    const result = level.rules.test(isDir ? `${posix}/` : posix);
    if (result.ignored) return level;
    if (result.unignored) return undefined;
  }
  return undefined;
}

function loadRules(dir: string, file: string): IgnoreLevel | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    // No file (the usual case), or one we cannot read: git would not apply it either.
    return undefined;
  }
  return { dir, rules: ignore().add(text), file };
}

function repositoryRoot(dir: string): string | undefined {
  for (let d = dir; ; d = path.dirname(d)) {
    try {
      // A folder in a plain clone, a file in a worktree or submodule.
      statSync(path.join(d, '.git'));
      return d;
    } catch {
      // not here: look further up
    }
    if (path.dirname(d) === d) return undefined;
  }
}

export function isInside(abs: string, dir: string): boolean {
  const rel = path.relative(dir, abs);
  return rel === '' || !isOutside(rel);
}

/** Whether a `path.relative` answer leaves the folder it was taken from. */
function isOutside(rel: string): boolean {
  return rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel);
}
