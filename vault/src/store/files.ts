// File modes of the data folder: it holds metadata, the audit and token digests, so the folder is
// 0700 and every file in it 0600, whatever the umask. New files are created with that mode (and
// chmod-ed, since open's mode is filtered by the umask); a folder or file found wider is tightened
// at start-up with a notice (the owner sees that it was exposed). SQLite creates `-wal` and `-shm`
// with the mode of their database file, so a 0600 database keeps them 0600 too; older ones are
// tightened like the rest.

import { chmodSync, closeSync, existsSync, fchmodSync, mkdirSync, openSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The SQLite database file inside a data folder (the access log, audit.db, sits next to it). */
export const DB_FILE_NAME = 'vault.db';

export const DIR_MODE = 0o700;
export const FILE_MODE = 0o600;

/** What `.gitignore` in the data folder holds: ignore everything, itself included. */
export const DATA_GITIGNORE = '# Secrets Vault data (database, audit, key): never commit any of it.\n*\n';

/** The files of a vault that SQLite and the vault create, next to each other. */
export function dataFiles(dataDir: string): string[] {
  const out: string[] = [];
  for (const db of ['vault.db', 'audit.db']) for (const suffix of ['', '-wal', '-shm', '-journal']) out.push(path.join(dataDir, db + suffix));
  return out;
}

export class FileModeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FileModeError';
  }
}

/** Creates `file` empty with mode 0600 if it does not exist (umask-independent); an existing file is left as it is. */
export function createPrivateFile(file: string): void {
  if (existsSync(file)) return;
  const fd = openSync(file, 'a', FILE_MODE);
  try {
    fchmodSync(fd, FILE_MODE);
  } finally {
    closeSync(fd);
  }
}

/**
 * Brings `target` to `mode` if group or others have any access; returns a notice when it changed
 * something. Refuses (FileModeError) when it cannot: a file owned by someone else, for instance.
 */
export function tighten(target: string, mode: number): string | undefined {
  let st;
  try {
    st = statSync(target);
  } catch {
    return undefined; // gone meanwhile (a -shm removed at close): nothing to protect
  }
  const was = st.mode & 0o777;
  if ((was & 0o077) === 0) return undefined;
  try {
    chmodSync(target, mode);
  } catch (e) {
    throw new FileModeError(
      `${target} is accessible to other users (mode ${was.toString(8)}) and could not be made private: ${(e as Error).message}. Run 'chmod ${mode.toString(8)} ${target}' as its owner.`,
    );
  }
  return `${target} was accessible to other users (mode ${was.toString(8).padStart(4, '0')}); it is now ${mode.toString(8).padStart(4, '0')}.`;
}

/**
 * Makes the data folder private: creates it (0700) if needed, tightens it and every vault file in
 * it, and writes a `.gitignore` that ignores everything. Returns the notices of what it changed.
 */
export function secureDataDir(dataDir: string): string[] {
  const notices: string[] = [];
  if (!existsSync(dataDir)) {
    mkdirSync(dataDir, { recursive: true, mode: DIR_MODE });
    chmodSync(dataDir, DIR_MODE); // mkdir's mode is filtered by the umask
  } else {
    const n = tighten(dataDir, DIR_MODE);
    if (n) notices.push(n);
  }
  for (const f of dataFiles(dataDir)) {
    const n = tighten(f, FILE_MODE);
    if (n) notices.push(n);
  }
  const ignore = path.join(dataDir, '.gitignore');
  if (existsSync(path.join(dataDir, '.git'))) {
    // The folder is a repository's root: `*` there would hide the whole project from git.
    if (!existsSync(ignore)) notices.push(`${dataDir} is the root of a git repository: no .gitignore was written; keep vault.db, audit.db and master.key out of commits.`);
  } else if (!existsSync(ignore)) {
    writeFileSync(ignore, DATA_GITIGNORE, { mode: FILE_MODE });
  }
  return notices;
}
