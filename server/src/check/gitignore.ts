// `.gitignore` as git reads it: one rule set per folder, patterns relative to that folder, and the
// deepest file with a matching rule decides (so `!keep.py` in a sub-folder re-includes what a parent
// ignored). `.git/info/exclude` sits below every `.gitignore` of its repository. The pattern
// semantics come from the `ignore` package, which follows git's documentation and test suite.

import { closeSync, constants, fstatSync, openSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';

export interface IgnoreLevel {
  /** Absolute folder the patterns are relative to. */
  dir: string;
  /** `dir` ending in a separator: what a path below it starts with. */
  prefix: string;
  rules: Ignore;
  /** The file the rules came from, for messages. */
  file: string;
}

/** Rule sets from the outermost folder inwards. */
export type IgnoreStack = readonly IgnoreLevel[];

/** An ignore file is read only up to this size: larger, it is reported and its rules are not applied. */
export const MAX_IGNORE_FILE_BYTES = 1024 * 1024;

/** Told of an ignore file that exists but was not applied (not a regular file, too large, unreadable). */
export type IgnoreNotice = (file: string, detail: string) => void;

/** The rules of `dir/.gitignore` on top of `stack`; `stack` itself when the folder has none. */
export function enterFolder(stack: IgnoreStack, dir: string, notice?: IgnoreNotice): IgnoreStack {
  const level = loadRules(dir, path.join(dir, '.gitignore'), false, notice);
  return level ? [...stack, level] : stack;
}

/**
 * The rules that apply inside `dir`: those of every folder from the top down to `dir` itself. The
 * top is the repository's root when `dir` is in one, else `fallbackTop` (the check's working folder)
 * when `dir` is inside it, else `dir`: outside a repository git applies no rules, and files above the
 * folder someone asked to check should not change what it means.
 */
export function stackFor(dir: string, fallbackTop: string, notice?: IgnoreNotice): IgnoreStack {
  const repo = repositoryRoot(dir);
  const top = repo ?? (isInside(dir, fallbackTop) ? fallbackTop : dir);
  const chain: string[] = [];
  for (let d = dir; ; d = path.dirname(d)) {
    chain.unshift(d);
    if (d === top || path.dirname(d) === d) break;
  }
  let stack: IgnoreStack = [];
  if (repo !== undefined) {
    // Not in the working tree (a clone never brings it), so a link there is the user's own: followed.
    const exclude = loadRules(repo, path.join(repo, '.git', 'info', 'exclude'), true, notice);
    if (exclude) stack = [exclude];
  }
  for (const d of chain) stack = enterFolder(stack, d, notice);
  return stack;
}

/** The level that ignores `abs` (a folder when `isDir`), or undefined when it is not ignored. */
export function ignoredBy(stack: IgnoreStack, abs: string, isDir: boolean): IgnoreLevel | undefined {
  for (let i = stack.length - 1; i >= 0; i--) {
    const level = stack[i]!;
    // Every path here is absolute and resolved, so the relative path is a slice (path.relative is costly per entry).
    const base = level.prefix;
    if (abs.length === base.length || !abs.startsWith(base)) continue;
    const rel = abs.slice(base.length);
    const posix = path.sep === '/' ? rel : rel.split(path.sep).join('/');
    const result = level.rules.test(isDir ? `${posix}/` : posix);
    if (result.ignored) return level;
    if (result.unignored) return undefined;
  }
  return undefined;
}

/**
 * Reads an ignore file only when it is a regular file of at most MAX_IGNORE_FILE_BYTES: a checked-out
 * `.gitignore` can be a link to /dev/zero, a FIFO or a huge file, which would make the check read
 * forever, block, or run out of memory. As git does (2.32 on), a `.gitignore` that is a symbolic link
 * is not followed (O_NOFOLLOW); O_NONBLOCK keeps a FIFO from blocking the open, and the type and size
 * come from fstat on the opened descriptor, so nothing can be swapped in between.
 */
function loadRules(dir: string, file: string, followLink: boolean, notice: IgnoreNotice | undefined): IgnoreLevel | undefined {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK | (followLink ? 0 : constants.O_NOFOLLOW));
  } catch (e) {
    const code = e instanceof Error && 'code' in e ? String(e.code) : 'error';
    // No file (the usual case) is no notice; a link not followed, or one we cannot read, is.
    if (code === 'ELOOP') notice?.(file, 'a symbolic link, not followed: its rules are not applied');
    else if (code !== 'ENOENT' && code !== 'ENOTDIR') notice?.(file, `cannot read (${code}): its rules are not applied`);
    return undefined;
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) {
      notice?.(file, 'not a regular file: its rules are not applied');
      return undefined;
    }
    if (info.size > MAX_IGNORE_FILE_BYTES) {
      notice?.(file, `${info.size} bytes, over the limit of ${MAX_IGNORE_FILE_BYTES} for an ignore file: its rules are not applied`);
      return undefined;
    }
    // At most one byte past the limit: a file that grows after fstat is refused, not read on.
    const buf = Buffer.alloc(Math.min(info.size, MAX_IGNORE_FILE_BYTES) + 1);
    let n = 0;
    for (let got = -1; got !== 0 && n < buf.length; n += got) got = readSync(fd, buf, n, buf.length - n, null);
    if (n > MAX_IGNORE_FILE_BYTES) {
      notice?.(file, `over the limit of ${MAX_IGNORE_FILE_BYTES} bytes for an ignore file: its rules are not applied`);
      return undefined;
    }
    return { dir, prefix: dir.endsWith(path.sep) ? dir : dir + path.sep, rules: ignore().add(buf.toString('utf8', 0, n)), file };
  } catch (e) {
    notice?.(file, `cannot read (${e instanceof Error && 'code' in e ? String(e.code) : 'error'}): its rules are not applied`);
    return undefined;
  } finally {
    closeSync(fd);
  }
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
