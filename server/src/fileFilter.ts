// Which workspace files the index reads: our languages and an ADK project's configuration only, never
// dependency, build or generated folders, and nothing the user's `files.exclude` hides. Patterns are
// matched on paths relative to the folder, as VS Code does.

import { Minimatch } from 'minimatch';
import { GENERATED_FOLDERS } from '../../protocol/adkProject';
import { isConfigPath, SCANNED_EXTENSIONS } from './service/scan/references';

/**
 * Skipped whatever the settings say: they hold other people's code, our own build output, or what an
 * ADK pull generates (`_gen`, whose `.agent_studio_config` copies every function, and
 * `real_time_configuration`).
 */
const ALWAYS_SKIPPED = new Set(['node_modules', '.git', 'dist', '.venv', 'venv', '__pycache__', '.hg', '.svn', ...GENERATED_FOLDERS]);

/** VS Code's own defaults, for clients that cannot answer `workspace/configuration`. */
export const DEFAULT_EXCLUDE: Record<string, boolean> = {
  '**/.git': true,
  '**/.svn': true,
  '**/.hg': true,
  '**/.DS_Store': true,
  '**/Thumbs.db': true,
  '**/node_modules': true,
};

const EXTENSIONS = new Set(SCANNED_EXTENSIONS);

/** Folders whose verdict is remembered at most (a file's folders are asked about for each of its files). */
const MAX_REMEMBERED_FOLDERS = 10_000;

export class FileFilter {
  private readonly patterns: Minimatch[];
  /** Whether a folder (relative path) matches a pattern: asked for every file below it, answered once. */
  private readonly folders = new Map<string, boolean>();

  /**
   * `exclude` is the `files.exclude` setting. Entries set to `true` apply; sibling conditions
   * (`{ "when": "$(basename).ts" }`) are not evaluated and so do not exclude.
   */
  constructor(exclude: Record<string, unknown>) {
    this.patterns = Object.entries(exclude)
      .filter(([, on]) => on === true)
      .map(([pattern]) => new Minimatch(pattern.replace(/^\.?\//, ''), { dot: true }));
  }

  /** `rel` is a folder's path relative to the workspace folder, with `/` separators. */
  includesDirectory(name: string, rel: string): boolean {
    return !ALWAYS_SKIPPED.has(name) && !this.excludedFolder(rel);
  }

  includesFile(rel: string): boolean {
    if (!ourKind(rel)) return false;
    for (const segment of rel.split('/').slice(0, -1)) {
      if (ALWAYS_SKIPPED.has(segment)) return false;
    }
    // A file is excluded when it or any folder above it matches (with no patterns, none does).
    if (this.patterns.length === 0) return true;
    let at = rel.indexOf('/');
    while (at >= 0) {
      if (this.excludedFolder(rel.slice(0, at))) return false;
      at = rel.indexOf('/', at + 1);
    }
    return !this.excluded(rel);
  }

  /**
   * `includesFile` for a file that a walk found in a folder it entered, having entered only folders
   * `includesDirectory` accepts (from the walk's top down): their names are not looked at again, and
   * without exclude patterns the file's extension (or the configuration's path) alone decides.
   */
  includesWalkedFile(rel: string): boolean {
    return this.patterns.length === 0 ? ourKind(rel) : this.includesFile(rel);
  }

  private excludedFolder(rel: string): boolean {
    let verdict = this.folders.get(rel);
    if (verdict === undefined) {
      if (this.folders.size >= MAX_REMEMBERED_FOLDERS) this.folders.clear();
      this.folders.set(rel, (verdict = this.excluded(rel)));
    }
    return verdict;
  }

  private excluded(rel: string): boolean {
    for (const p of this.patterns) if (p.match(rel)) return true;
    return false;
  }
}

/** Our languages, and an ADK project's configuration (agent_settings/experimental_config.json). */
function ourKind(rel: string): boolean {
  const slash = rel.lastIndexOf('/');
  const dot = rel.lastIndexOf('.');
  if (dot <= slash + 1) return false;
  return EXTENSIONS.has(rel.slice(dot + 1).toLowerCase()) || isConfigPath(rel);
}
