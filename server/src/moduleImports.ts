// The names a Python document imports from another module of its project (`from .config import
// SECRET_NAME`, `from functions.settings import NAMES`), and a JavaScript / TypeScript one by a
// relative path (`import { CRM_KEY } from './names'`, a barrel's `export * from './crm'` one level
// down), or a module imported whole (`from . import config`, `import * as names`), looked up for the language service's name
// resolver (service/scan/types.ts ImportLookup): the service never reads a file, so the session, the
// workspace index and `check` hand it a lookup from here.
//
// Modules resolve as Python finds them in an ADK project: a relative module from the importing file's
// folder (each dot past the first one folder up, never above the project root or the workspace
// folder); an absolute one under the project root (the nearest folder with project.yaml), then under
// the workspace folder. A module is `a/b.py` or `a/b/__init__.py`; nothing in a generated folder
// (`_gen/`) and nothing outside the workspace folder (or, for a file outside every folder, its
// project) is ever read. The text is the open document's when it is open, else the file on disk
// (the index's size cap, binary and merge-marker checks). Each module's names are cached per file
// (by the open document's version, or until `changed` says its file changed), and every lookup is
// remembered as a dependency, so that a module's change tells which documents to analyse again.

import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { hasMergeMarkers, inGeneratedFolder, platformFunctionOf, PROJECT_FILE } from '../../protocol/adkProject';
import type { ImportLookup, ModuleNames, NameCandidate } from './service/scan/types';
import { givenAs } from './service/evaluate/candidates';
import { languageOfPath } from './service/scan/references';
import { childUri, isInside, relativePath, uriToPath } from './fileUris';
import { looksBinary, sourceText } from './sourceText';
import { lexPython } from './service/python/pythonLexer';
import { submodule } from './service/python/nameSetsImports';
import { IDENT, LINE, TokenBuffer, tokenIs } from './service/scan/tokens';

/** A module's module-level names that resolve (the resolver's `pythonModuleNames`), given a lookup for its own imports. */
export type ModuleNamesOf = (text: string, imports?: ImportLookup) => ModuleNames;

export interface ModuleImportsOptions {
  /** The workspace folders' URIs (file: URIs; others are never read). */
  folders: () => readonly string[];
  /** The open document at a URI, when the editor has it open. */
  openDocument?: (uri: string) => { text: string; version: number } | undefined;
  /**
   * Whether a file whose workspace folder holds no project of it may be resolved within a project
   * around that folder (`check` run inside a project's subfolder); the editor keeps to its folders.
   */
  projectsAboveFolders?: boolean;
  /** Larger files are not read (bytes), as the workspace index's limit. */
  maxFileSize: number;
  moduleNames: ModuleNamesOf;
  /** A JavaScript / TypeScript module's exported constants that resolve (the resolver's `jsModuleNames`); absent: none are followed. */
  jsModuleNames?: (text: string, typescript: boolean) => ModuleNames;
}

/** A folder the resolution stays within: a workspace folder, or the project of a file outside all. */
interface Boundary {
  uri: string;
  path: string;
}

interface Where {
  boundary: Boundary;
  /** The importing file's folder, relative to the boundary, `/`-separated ('' for the boundary itself). */
  dir: string;
  /** The nearest project root at or above `dir`, relative to the boundary; null when none. */
  project: string | null;
}

interface CachedNames {
  /** `o<version>` for an open document's text, `d` for the file on disk. */
  key: string;
  names: ModuleNames;
  /** The text the names were read from, for the ranges of their literals. */
  doc: TextDocument;
}

/** Python identifiers, as module path segments. */
const IDENTIFIER = /^[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*$/u;
const EMPTY: ModuleNames = new Map();
/** The importer key of a module's own lookups (its re-exports), apart from the document's. */
const MODULE_KEY = '\0';

export class ModuleImports {
  /** Module names computed with one level of the module's own imports (what an importer sees). */
  private readonly full = new Map<string, CachedNames>();
  /** Module names computed without imports (what a re-export sees: one level only). */
  private readonly own = new Map<string, CachedNames>();
  /** Folder path → whether it holds a project.yaml. */
  private readonly projectDirs = new Map<string, boolean>();
  /** Module file URI → whether the disk has it. */
  private readonly files = new Map<string, boolean>();
  /** Importer (a document or a module) → the module files it looked for, found or not. */
  private readonly deps = new Map<string, Set<string>>();
  /** Module file → the importers that looked for it. */
  private readonly dependents = new Map<string, Set<string>>();
  /** Modules whose names are being computed: a guard against import cycles. */
  private readonly computing = new Set<string>();
  /**
   * A folder's URI → where its files are (whereIs depends only on the folder), for the workspace
   * folders `whereFolders` names: asked for every Python file of a check (a tenth of its time, bench/check).
   */
  private readonly wheres = new Map<string, Where | undefined>();
  private whereFolders = '';

  constructor(private readonly options: ModuleImportsOptions) {}

  /**
   * The lookup for one analysis of the Python document at `uri` with this text: what it looked up
   * before is forgotten, what it looks up now is remembered. Every module the text imports from is
   * resolved and its names read here, before the analysis (the resolver's scratch state is shared,
   * so no module may be analysed while a document's names are being resolved); the lookup only
   * answers from that, and says the function the platform calls in an ADK resource file. Undefined
   * when the text reads no secret, or imports nothing and is no resource file, or the file is in no
   * workspace folder and no project.
   */
  lookupFor(uri: string, text: string): ImportLookup | undefined {
    this.forget(uri);
    // A document that reads nothing itself may still call a module's reader (`from .helpers import credentials`).
    if (!READS.test(text) && !(isScript(uri) ? RELATIVE_IMPORT : FROM_PROJECT).test(text)) return undefined;
    if (isScript(uri)) return this.scriptLookupFor(uri, text);
    const modules = importedModules(text);
    const where = this.whereIs(uri);
    if (!where) return undefined;
    // An ADK resource file: the platform passes its function's parameters (said even when nothing is imported).
    const platformFunction = where.project === null ? null : platformFunctionOf(relativePath(uri, where.boundary.uri).slice(where.project === '' ? 0 : where.project.length + 1));
    if (modules.size === 0 && platformFunction === null) return undefined;
    const found = new Map<string, ModuleNames>();
    for (const module of modules) {
      const target = this.find(uri, where, module);
      const names = target === undefined ? undefined : this.namesOf(target, where.boundary, true);
      if (names) found.set(module, names);
    }
    const lookup = (module: string) => found.get(module);
    return platformFunction === null ? lookup : Object.assign(lookup, { platformFunction });
  }

  /**
   * lookupFor of a JavaScript / TypeScript document: the modules it imports by a relative path
   * (`./names`, `../shared/names.js`), each the file that path names (as written, or with an
   * extension, or its folder's `index`), never outside the boundary nor in a generated folder.
   */
  private scriptLookupFor(uri: string, text: string): ImportLookup | undefined {
    const modules = relativeImports(text);
    const where = modules.size === 0 || this.options.jsModuleNames === undefined ? undefined : this.whereIs(uri);
    if (!where) return undefined;
    const found = new Map<string, ModuleNames>();
    for (const module of modules) {
      const target = this.find(uri, where, module, true);
      const names = target === undefined ? undefined : this.namesOf(target, where.boundary, true);
      if (names) found.set(module, names);
    }
    return found.size === 0 ? undefined : (module: string) => found.get(module);
  }

  /** The file a relative module path names from the importer's folder, relative to the boundary; each path looked at goes to `tried`. */
  private scriptFile(where: Where, module: string, tried: (rel: string) => void): string | undefined {
    const parts = where.dir === '' ? [] : where.dir.split('/');
    for (const part of module.split('/')) {
      if (part === '..') {
        if (parts.length === 0) return undefined;
        parts.pop();
      } else if (part !== '.' && part !== '') parts.push(part);
    }
    const stem = parts.join('/');
    if (stem === '' || inGeneratedFolder(stem)) return undefined;
    // `./names.js` in TypeScript's ESM names `names.ts`.
    const bare = stem.replace(/\.[cm]?js$/, '');
    const candidates = [stem, ...SCRIPT_EXTENSIONS.map((x) => `${bare}${x}`), ...SCRIPT_EXTENSIONS.map((x) => `${stem}/index${x}`)];
    for (const rel of candidates) {
      if (!isScript(rel)) continue;
      tried(rel);
      if (this.exists(where.boundary, rel)) return rel;
    }
    return undefined;
  }

  /** The file URI a module resolves to from the document at `uri`; undefined when it is not a module of the project. */
  resolve(uri: string, module: string): string | undefined {
    const where = this.whereIs(uri);
    if (!where) return undefined;
    const rel = this.moduleFile(where, module, () => undefined);
    return rel === undefined ? undefined : childUri(where.boundary.uri, rel);
  }

  /**
   * Files (or folders: everything under them) changed, were created or deleted: their cached names
   * are dropped, and the documents whose analysis looked for them, directly or through a module that
   * re-exports them, are returned (they must be analysed again).
   */
  changed(uris: Iterable<string>): Set<string> {
    const reached = new Set<string>();
    const queue: string[] = [];
    for (const uri of uris) {
      if (uri.endsWith('.py') || isScript(uri)) {
        // One file (on every keystroke in an open one): no walk over the maps.
        this.full.delete(uri);
        this.own.delete(uri);
        this.files.delete(uri);
        if (this.dependents.has(uri)) queue.push(uri);
        continue;
      }
      // A folder (deleted, or anything else changed): whatever lies under it.
      this.projectDirs.clear();
      this.files.clear();
      this.wheres.clear();
      for (const cache of [this.full, this.own]) for (const key of [...cache.keys()]) if (isInside(key, uri)) cache.delete(key);
      for (const target of this.dependents.keys()) if (isInside(target, uri)) queue.push(target);
    }
    const modules = new Set<string>();
    while (queue.length > 0) {
      const target = queue.pop()!;
      for (const dependent of this.dependents.get(target) ?? []) {
        if (!dependent.startsWith(MODULE_KEY)) {
          reached.add(dependent);
          continue;
        }
        // A module that re-exports the changed one has other names now: its importers change too.
        const module = dependent.slice(MODULE_KEY.length);
        if (modules.has(module)) continue;
        modules.add(module);
        this.full.delete(module);
        queue.push(module);
      }
    }
    return reached;
  }

  /**
   * The text of a module whose names a lookup returned, as it was read: where a candidate's literal
   * (`NameCandidate.uri`) is, for the features' ranges. Undefined for any other file.
   */
  document(uri: string): TextDocument | undefined {
    return (this.full.get(uri) ?? this.own.get(uri))?.doc;
  }

  /** The importers that looked for a module file (for tests and the design notes). */
  importersOf(uri: string): ReadonlySet<string> {
    return this.dependents.get(uri) ?? new Set();
  }

  // ---- resolution ----

  /** The module's file (a URI) as `importer` sees it (`script`: a JavaScript / TypeScript path), remembering every file looked for. */
  private find(importer: string, where: Where, module: string, script = false): string | undefined {
    const tried = (rel: string) => this.remember(importer, childUri(where.boundary.uri, rel));
    const rel = script ? this.scriptFile(where, module, tried) : this.moduleFile(where, module, tried);
    return rel === undefined ? undefined : childUri(where.boundary.uri, rel);
  }

  /** The module's file relative to the boundary: `a/b.py`, else `a/b/__init__.py`; each path looked at goes to `tried`. */
  private moduleFile(where: Where, module: string, tried: (rel: string) => void): string | undefined {
    let dots = 0;
    while (dots < module.length && module.charCodeAt(dots) === 46) dots++;
    const rest = module.slice(dots);
    const parts = rest === '' ? [] : rest.split('.');
    if (parts.some((p) => !IDENTIFIER.test(p))) return undefined;
    if (dots === 0 && parts.length === 0) return undefined;
    const bases: string[] = [];
    if (dots > 0) {
      // One dot: the importer's folder; each further dot one folder up, never above the project's
      // root (or the boundary when there is no project).
      let base = where.dir;
      const floor = where.project ?? '';
      for (let i = 1; i < dots; i++) {
        if (base === floor) return undefined;
        base = parent(base);
      }
      bases.push(base);
    } else {
      if (where.project !== null) bases.push(where.project);
      if (where.project !== '') bases.push('');
    }
    for (const base of bases) {
      const stem = join(base, parts.join('/'));
      const candidates = parts.length === 0 ? [join(stem, '__init__.py')] : [`${stem}.py`, join(stem, '__init__.py')];
      for (const rel of candidates) {
        if (inGeneratedFolder(rel)) continue;
        tried(rel);
        if (this.exists(where.boundary, rel)) return rel;
      }
    }
    return undefined;
  }

  private exists(boundary: Boundary, rel: string): boolean {
    const uri = childUri(boundary.uri, rel);
    if (this.options.openDocument?.(uri)) return true;
    // Asked on every analysis of an importer (every keystroke): the disk's answer is kept until a file event.
    let known = this.files.get(uri);
    if (known === undefined) {
      try {
        known = statSync(path.join(boundary.path, ...rel.split('/')), { throwIfNoEntry: false })?.isFile() ?? false;
      } catch {
        known = false;
      }
      this.files.set(uri, known);
    }
    return known;
  }

  /**
   * Where the document at `uri` is: its folder and project within the innermost workspace folder
   * holding it; a file outside every folder (or, with `projectsAboveFolders`, one whose project lies
   * around its folder) within its own project.
   */
  private whereIs(uri: string): Where | undefined {
    const folders = this.options.folders();
    const key = folders.join('\n');
    if (key !== this.whereFolders) {
      this.wheres.clear();
      this.whereFolders = key;
    }
    // (A workspace folder that is this very file is not a boundary for it: not its folder's answer.)
    if (folders.some((f) => f === uri || f === `${uri}/`)) return this.whereIn(uri, folders);
    const folderUri = uri.slice(0, uri.lastIndexOf('/') + 1);
    if (this.wheres.has(folderUri)) return this.wheres.get(folderUri);
    const where = this.whereIn(uri, folders);
    this.wheres.set(folderUri, where);
    return where;
  }

  private whereIn(uri: string, folders: readonly string[]): Where | undefined {
    let boundary: Boundary | undefined;
    for (const folder of folders) {
      if (!isInside(uri, folder) || uri === folder || (boundary && folder.length <= boundary.uri.length)) continue;
      const folderPath = uriToPath(folder);
      if (folderPath !== undefined) boundary = { uri: folder.endsWith('/') ? folder.slice(0, -1) : folder, path: folderPath };
    }
    let dir = '';
    if (boundary) {
      dir = parent(relativePath(uri, boundary.uri));
      const project = this.projectAbove(boundary, dir);
      if (project !== null || !this.options.projectsAboveFolders) return { boundary, dir, project };
    }
    const root = this.projectRootOf(uri);
    if (root) return { boundary: root, dir: parent(relativePath(uri, root.uri)), project: '' };
    return boundary ? { boundary, dir, project: null } : undefined;
  }

  /** The nearest folder above the file with a project.yaml, on disk, however far up. */
  private projectRootOf(uri: string): Boundary | undefined {
    const file = uriToPath(uri);
    if (file === undefined) return undefined;
    let rootUri = uri.slice(0, uri.lastIndexOf('/'));
    for (let d = path.dirname(file); ; ) {
      if (this.isProjectDir(d)) return { uri: rootUri, path: d };
      const up = path.dirname(d);
      const slash = rootUri.lastIndexOf('/');
      if (up === d || slash <= 'file://'.length) return undefined;
      d = up;
      rootUri = rootUri.slice(0, slash);
    }
  }

  /** The nearest folder at or above `dir` (relative to the boundary) with a project.yaml. */
  private projectAbove(boundary: Boundary, dir: string): string | null {
    for (let d = dir; ; d = parent(d)) {
      if (this.isProjectDir(path.join(boundary.path, ...d.split('/').filter((s) => s !== '')))) return d;
      if (d === '') return null;
    }
  }

  private isProjectDir(dir: string): boolean {
    let known = this.projectDirs.get(dir);
    if (known === undefined) {
      try {
        known = statSync(path.join(dir, PROJECT_FILE), { throwIfNoEntry: false })?.isFile() ?? false;
      } catch {
        known = false;
      }
      this.projectDirs.set(dir, known);
    }
    return known;
  }

  // ---- names ----

  /**
   * The module's names, each candidate with the module's URI (a re-exported one keeps its own). With
   * `reexports`, the module's own imports are looked up one level (without theirs).
   */
  private namesOf(uri: string, boundary: Boundary, reexports: boolean): ModuleNames | undefined {
    const cache = reexports ? this.full : this.own;
    const open = this.options.openDocument?.(uri);
    const key = open ? `o${open.version}` : 'd';
    const cached = cache.get(uri);
    if (cached && cached.key === key) return cached.names;
    if (this.computing.has(uri)) return undefined;
    const text = open ? open.text : this.readText(boundary, relativePath(uri, boundary.uri));
    if (text === undefined || hasMergeMarkers(text)) {
      cache.delete(uri);
      return undefined;
    }
    // The module's own module-level imports, one level: their modules' names (without theirs) are
    // read first, then handed to the resolver, and a name imported and not assigned is re-exported.
    const nested = new Map<string, ModuleNames>();
    let reexported: ModuleImport[] = [];
    if (reexports) {
      // A module's own lookups are remembered apart from those of the document at the same URI.
      const importer = MODULE_KEY + uri;
      this.forget(importer);
      const where = this.whereIs(uri);
      if (where) {
        const script = isScript(uri);
        reexported = script ? scriptReexports(text) : moduleLevelImports(text);
        for (const { module } of reexported) {
          if (nested.has(module)) continue;
          const target = this.find(importer, where, module, script);
          const names = target === undefined ? undefined : this.namesOf(target, where.boundary, false);
          if (names) nested.set(module, names);
        }
      }
    }
    this.computing.add(uri);
    let names: ModuleNames;
    try {
      const script = isScript(uri);
      const own = new Map(script ? (this.options.jsModuleNames?.(text, languageOfPath(uri) === 'typescript') ?? EMPTY) : this.options.moduleNames(text, nested.size > 0 ? (module) => nested.get(module) : undefined));
      for (const { module, name, local } of reexported) {
        // `export * from './crm'`: every name of that module this one does not write itself.
        if (name === '*') {
          for (const [n, candidates] of nested.get(module) ?? EMPTY) if (!own.has(n)) own.set(n, candidates);
          continue;
        }
        // The name and what it gives beyond its value (a helper's returns or template, a dict's entries), under its local name.
        if (own.has(local)) continue;
        for (const [key, candidates] of givenAs(nested.get(module) ?? EMPTY, name, local)) if (!own.has(key)) own.set(key, candidates);
      }
      names = withUri(own, uri);
    } catch {
      names = EMPTY;
    } finally {
      this.computing.delete(uri);
    }
    cache.set(uri, { key, names, doc: TextDocument.create(uri, isScript(uri) ? 'typescript' : 'python', open ? open.version : 0, text) });
    return names;
  }

  private readText(boundary: Boundary, rel: string): string | undefined {
    const file = path.join(boundary.path, ...rel.split('/'));
    try {
      const info = statSync(file, { throwIfNoEntry: false });
      if (!info?.isFile() || info.size > this.options.maxFileSize) return undefined;
      const bytes = readFileSync(file);
      return looksBinary(bytes) ? undefined : sourceText(bytes);
    } catch {
      return undefined;
    }
  }

  // ---- dependencies ----

  private remember(importer: string, target: string): void {
    let targets = this.deps.get(importer);
    if (!targets) this.deps.set(importer, (targets = new Set()));
    targets.add(target);
    let importers = this.dependents.get(target);
    if (!importers) this.dependents.set(target, (importers = new Set()));
    importers.add(importer);
  }

  private forget(importer: string): void {
    const targets = this.deps.get(importer);
    if (!targets) return;
    this.deps.delete(importer);
    for (const target of targets) {
      const importers = this.dependents.get(target);
      importers?.delete(importer);
      if (importers?.size === 0) this.dependents.delete(target);
    }
  }
}

/** A document reads a secret only if its text says one of these (the reads the resolver follows). */
const READS = /get_secret|secret_vault|environ|getenv|process/;

/** A Python `from M import …` of a module other than the ADK's generated stubs (`from _gen import *`). */
const FROM_PROJECT = /^[ \t]*from[ \t]+(?!_gen\b)[\w.]+[ \t]+import\b/m;
/** A JavaScript / TypeScript import by a relative path (`from './helpers'`). */
const RELATIVE_IMPORT = /\bfrom[ \t]*['"]\.\.?\//;

/** The extensions a JavaScript / TypeScript module is looked for with, in order. */
const SCRIPT_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

/** Whether a URI or path is a JavaScript / TypeScript file (by the extensions the scanner reads as such). */
function isScript(uri: string): boolean {
  const language = languageOfPath(uri);
  return language === 'javascript' || language === 'typescript';
}

/**
 * `import … from './x'` / `'../x'` (and `export … from`): the relative modules the text imports, as
 * written; not a type-only import (`import type { Conv } from './conv'`), which carries no value.
 */
function relativeImports(text: string): Set<string> {
  const out = new Set<string>();
  if (!text.includes('from')) return out;
  for (const m of text.matchAll(/\bfrom\s*(['"])(\.{1,2}\/[^'"\n]*)\1/g)) {
    const clause = text.slice(Math.max(0, m.index - 300), m.index);
    const at = clause.lastIndexOf('import');
    if (at >= 0 && /^import\s+type[\s{]/.test(clause.slice(at))) continue;
    out.add(m[2]!);
  }
  return out;
}
const EXPORT_FROM = /\bexport\s*(\*|\{[^}]*\})\s*from\s*(['"])(\.{1,2}\/[^'"\n]*)\2/g;
const EXPORT_SPECIFIER = /^\s*([\p{L}\p{N}_$]+)(?:\s+as\s+([\p{L}\p{N}_$]+))?\s*$/u;

/**
 * A JavaScript / TypeScript module's re-exports of a module of the project (`export { CRM_KEY, PAY as
 * PAY_KEY } from './crm'`, and `export * from './crm'` as the name `*`): a barrel's names, one level.
 * Type-only ones (`export type { … }`, `type X` in the braces) and `export * as ns` are not names.
 */
function scriptReexports(text: string): ModuleImport[] {
  const out: ModuleImport[] = [];
  if (!text.includes('export')) return out;
  for (const m of text.matchAll(EXPORT_FROM)) {
    const module = m[3]!;
    if (m[1] === '*') {
      out.push({ module, name: '*', local: '*' });
      continue;
    }
    for (const part of m[1]!.slice(1, -1).split(',')) {
      const spec = EXPORT_SPECIFIER.exec(part);
      if (spec && spec[1] !== 'type') out.push({ module, name: spec[1]!, local: spec[2] ?? spec[1]! });
    }
  }
  return out;
}

/** `from MODULE import` at the start of a line, at any depth (a comment or string may add one: harmless). */
const FROM_IMPORT = /^[ \t]*from[ \t]+(\.*[\p{L}\p{N}_.]*)[ \t]+import\b[ \t]*(\([^)]*\)|[^\n#]*)/gmu;
const IMPORT = /^[ \t]*import[ \t]+([^\n#]*)/gmu;
const IMPORTED_NAME = /^([\p{L}\p{N}_.]+)(?:\s+as\s+([\p{L}\p{N}_]+))?$/u;

/**
 * The modules the text imports names from, as written (`.config`, `functions.settings`), and the
 * modules it imports whole and reads an attribute of (`from . import config` → `.config`, `import
 * functions.config as config` → `functions.config`, when the text writes `config.`).
 */
function importedModules(text: string): Set<string> {
  const out = new Set<string>();
  if (!text.includes('import')) return out;
  const whole = (dotted: string, local: string) => {
    if (readsAttributeOf(text, local)) out.add(dotted);
  };
  for (const m of text.matchAll(IMPORT)) {
    for (const part of m[1]!.split(',')) {
      const name = IMPORTED_NAME.exec(part.trim());
      // `import a.b.c` binds `a`, a package: only `import a` or an alias names the module.
      if (name && (name[2] !== undefined || !name[1]!.includes('.'))) whole(name[1]!, name[2] ?? name[1]!);
    }
  }
  // Both words first: the expression's scan of every line is the dearer test (bench/check).
  if (!text.includes('from')) return out;
  for (const m of text.matchAll(FROM_IMPORT)) {
    const base = m[1];
    if (!base) continue;
    out.add(base);
    for (const part of m[2]!.replace(/[()\\]/g, ' ').split(',')) {
      const name = IMPORTED_NAME.exec(part.trim());
      if (name && !name[1]!.includes('.')) whole(submodule(base, name[1]!), name[2] ?? name[1]!);
    }
  }
  return out;
}

/**
 * Whether the text reads an attribute of `name` (`config.SECRET_NAME`, or calls one:
 * `config.secret_name_for(conv)`, a module's names are its constants and the functions whose
 * returns it knows), `name` not the end of a longer one nor an attribute itself.
 */
function readsAttributeOf(text: string, name: string): boolean {
  for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + 1)) {
    const before = at === 0 ? 32 : text.charCodeAt(at - 1);
    if (before === 46 || before === 95 || isWordCode(before)) continue;
    let k = at + name.length;
    while (text.charCodeAt(k) === 32 || text.charCodeAt(k) === 9) k++;
    if (text.charCodeAt(k) !== 46) continue;
    k++;
    while (text.charCodeAt(k) === 32 || text.charCodeAt(k) === 9) k++;
    const word = k;
    while (isWordCode(text.charCodeAt(k)) || text.charCodeAt(k) === 95) k++;
    if (k !== word) return true;
  }
  return false;
}

const isWordCode = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c > 127;

interface ModuleImport {
  module: string;
  /** The name in that module. */
  name: string;
  /** The name it is bound to here (`as`). */
  local: string;
}

const importTokens = new TokenBuffer();

/** A module's module-level `from M import A [as B], …` statements, from its tokens (a star import is not followed). */
function moduleLevelImports(text: string): ModuleImport[] {
  const out: ModuleImport[] = [];
  if (!text.includes('import')) return out;
  const buf = importTokens;
  lexPython(text, buf);
  const n = buf.count;
  const at = (t: number) => text.slice(buf.start[t]!, buf.end[t]!);
  for (let t = 0; t < n; t++) {
    if (buf.kind[t] !== LINE || buf.aux[t] !== 0 || !tokenIs(text, buf, t + 1, 'from')) continue;
    let imp = t + 2;
    while (imp < n && buf.kind[imp] !== LINE && !tokenIs(text, buf, imp, 'import')) imp++;
    if (imp >= n || buf.kind[imp] === LINE || imp === t + 2) continue;
    const module = text.slice(buf.start[t + 2]!, buf.end[imp - 1]!).replace(/\s+/g, '');
    for (let k = imp + 1; k < n && buf.kind[k] !== LINE; k++) {
      if (buf.kind[k] !== IDENT) continue;
      const aliased = tokenIs(text, buf, k + 1, 'as') && buf.kind[k + 2] === IDENT;
      out.push({ module, name: at(k), local: aliased ? at(k + 2) : at(k) });
      if (aliased) k += 2;
    }
  }
  return out;
}

/** The names with `uri` on every candidate written in this module. */
function withUri(names: ModuleNames, uri: string): ModuleNames {
  const out = new Map<string, readonly NameCandidate[]>();
  for (const [name, candidates] of names) out.set(name, candidates.map((c) => (c.uri === undefined ? { ...c, uri } : c)));
  return out;
}

function parent(rel: string): string {
  const slash = rel.lastIndexOf('/');
  return slash < 0 ? '' : rel.slice(0, slash);
}

function join(a: string, b: string): string {
  return a === '' ? b : b === '' ? a : `${a}/${b}`;
}
