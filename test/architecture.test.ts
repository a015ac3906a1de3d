// The import table of ARCHITECTURE.md, checked on every `npm test`: each TypeScript file's imports
// (static, type-only, dynamic and require, as the TypeScript compiler's own pre-processor reads
// them) against the folder it lives in, the levels inside the language service, and no import
// cycle among the programs' files. A boundary crossed fails here, naming file and import; a cycle,
// naming its files.

import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import ts from 'typescript';

const root = path.resolve(__dirname, '..');
const SKIP = new Set(['node_modules', 'dist', '.cache', '.git', 'test-results', 'fixtures']);

interface Rule {
  /** Files under this folder (the most specific rule wins). */
  folder: string;
  /** Folders of ours it may import (besides itself). */
  ours: string[] | 'any';
  /** Libraries it may import; `any` for every library but those in `forbidden`. */
  libraries: string[] | 'any';
  /** Libraries it must not import even when `libraries` is `any`. */
  forbidden?: string[];
  /** Whether node built-ins (`node:fs`, `path`) may be imported. */
  builtins: boolean;
  /** Why, for the failure message. */
  why: string;
}

const RULES: Rule[] = [
  {
    folder: 'protocol/',
    ours: [],
    libraries: ['vscode-languageserver-protocol', 'vscode-languageserver-types'],
    builtins: false,
    why: 'the contracts import nothing of ours and, of libraries, only the LSP protocol types',
  },
  { folder: 'vault/', ours: ['protocol/'], libraries: 'any', forbidden: ['vscode'], builtins: true, why: 'the vault service imports only protocol/' },
  {
    folder: 'server/src/service/',
    ours: ['protocol/'],
    // jsonc-parser is pure too (a scanner over a string, no I/O): config/configRefs.ts reads a
    // project's configuration with it, keeping every string's exact offsets.
    libraries: ['vscode-languageserver-types', 'vscode-languageserver-textdocument', 'jsonc-parser'],
    builtins: false,
    why: 'the language service is pure: no LSP transport, no I/O, nothing of the server around it',
  },
  { folder: 'server/', ours: ['protocol/'], libraries: 'any', forbidden: ['vscode'], builtins: true, why: 'the language server imports only protocol/' },
  {
    folder: 'client/src/core/',
    ours: ['protocol/', 'client/'],
    libraries: 'any',
    forbidden: ['vscode'],
    builtins: true,
    why: "client/src/core/ is the extension's vscode-free logic",
  },
  {
    folder: 'client/src/vault/',
    ours: ['protocol/', 'client/'],
    libraries: 'any',
    forbidden: ['vscode'],
    builtins: true,
    why: "client/src/vault/ is the extension's vscode-free vault connection",
  },
  { folder: 'client/', ours: ['protocol/'], libraries: 'any', builtins: true, why: 'the extension imports only protocol/ (and vscode)' },
  { folder: 'webview/', ours: ['protocol/'], libraries: 'any', forbidden: ['vscode'], builtins: false, why: 'webviews are browser code that imports only protocol/' },
  { folder: 'test/', ours: 'any', libraries: 'any', forbidden: ['vscode'], builtins: true, why: 'tests run outside the editor' },
  { folder: 'bench/', ours: 'any', libraries: 'any', forbidden: ['vscode'], builtins: true, why: 'benchmarks run outside the editor' },
  { folder: 'scripts/', ours: 'any', libraries: 'any', forbidden: ['vscode'], builtins: true, why: 'scripts run outside the editor' },
];

/** One file, one job: split a file that grows past this (its parts become files of their own). */
const MAX_LINES = 800;

const TOP_FOLDERS = ['protocol/', 'vault/', 'server/', 'client/', 'webview/', 'test/', 'bench/', 'scripts/', 'runtime/', 'snippets/'];
const BUILTINS = new Set(builtinModules);

function ruleFor(file: string): Rule | undefined {
  return RULES.filter((r) => file.startsWith(r.folder)).sort((a, b) => b.folder.length - a.folder.length)[0];
}

function* typescriptFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue;
    const rel = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) yield* typescriptFiles(rel);
    else if (/\.(m|c)?tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) yield rel;
  }
}

/** The package an import names: `@scope/name` or `name`, without a subpath. */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** What is wrong with `specifier` imported from `file` (repository-relative), or undefined. */
export function violation(file: string, specifier: string): string | undefined {
  const rule = ruleFor(file);
  if (!rule) return undefined;
  if (specifier.startsWith('.')) {
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
    // The root manifest (its version) is no part's code.
    if (rule.ours === 'any' || target === 'package.json') return undefined;
    const own = rule.folder;
    if (target.startsWith(own)) return undefined;
    if (rule.ours.some((f) => target.startsWith(f))) return undefined;
    const where = TOP_FOLDERS.find((f) => target.startsWith(f)) ?? target;
    return `imports ${where} (${target}): ${rule.why}`;
  }
  const isBuiltin = specifier.startsWith('node:') || BUILTINS.has(packageOf(specifier));
  if (isBuiltin) return rule.builtins ? undefined : `imports the node built-in ${specifier}: ${rule.why}`;
  const pkg = packageOf(specifier);
  if (rule.forbidden?.includes(pkg)) return `imports ${pkg}: ${rule.why}`;
  if (rule.libraries !== 'any' && !rule.libraries.includes(pkg)) return `imports the library ${pkg}: ${rule.why}`;
  return undefined;
}

/**
 * The language front ends, one folder per language: each reads its language into the model every
 * consumer reads. frontEnds.ts, above them, picks one by language.
 */
const FRONT_ENDS = ['python/', 'javascript/', 'config/'];
/**
 * The language-neutral evaluator of string values (its values, environment sets, failure,
 * combinators, candidates): every front end reads its language into it; it imports no front end.
 */
const EVALUATOR = ['evaluate/'];
/**
 * What every front end and the evaluator share: scan/ (tokens, budget, types, literals, calls, the
 * references' rules, the limits).
 */
const SHARED = ['scan/'];

/**
 * The levels of the language service (server/src/service/), top first. A file imports only from its
 * own part (or itself) and from levels below its own; parts of one level never import each other.
 * So: features never from the facade; analyze.ts reads a document through frontEnds.ts, which picks
 * its language's front end; the engines (leaks/, credentials/) neither from features nor from
 * analyze.ts or frontEnds.ts nor from each other; the metadata model (the vault's, no language's) and the front
 * ends (a document's language, no vault) from nothing above them, nor from each other; the
 * evaluator from no front end; the shared level from nothing above it.
 */
const SERVICE_LEVELS: readonly (readonly string[])[] = [['index.ts'], ['features/'], ['analyze.ts'], ['frontEnds.ts'], ['leaks/', 'credentials/'], ['model/', ...FRONT_ENDS], EVALUATOR, SHARED];
const SERVICE = 'server/src/service/';

/** A service file's level (0 is the top) and part (`features/`, `analyze.ts`…); undefined outside every level. */
function serviceLevel(file: string): { level: number; part: string } | undefined {
  const rel = file.slice(SERVICE.length).replace(/\.(js|ts)$/, '');
  for (const [level, parts] of SERVICE_LEVELS.entries()) {
    for (const part of parts) {
      // A folder is imported as itself (its index.ts) or by its files.
      const inPart = part.endsWith('/') ? rel === part.slice(0, -1) || rel.startsWith(part) : rel === part.replace(/\.ts$/, '');
      if (inPart) return { level, part };
    }
  }
  return undefined;
}

/** What is wrong with a service file importing `specifier`, by the levels; undefined when nothing is. */
export function levelViolation(file: string, specifier: string): string | undefined {
  if (!file.startsWith(SERVICE) || !specifier.startsWith('.')) return undefined;
  const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
  if (!target.startsWith(SERVICE)) return undefined;
  const from = serviceLevel(file);
  const to = serviceLevel(target);
  if (!from) return `is in no level of the language service (${SERVICE_LEVELS.flat().join(', ')})`;
  if (!to) return `imports ${target}, which is in no level of the language service`;
  if (from.part === to.part || to.level > from.level) return undefined;
  return `imports ${to.part} (${target}): ${from.part} may import only the levels below it (${SERVICE_LEVELS.slice(from.level + 1).flat().join(', ') || 'none'})`;
}

function importsOf(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(path.join(root, file), 'utf8'), true, true);
  return info.importedFiles.map((f) => f.fileName);
}

/** The file of ours an import names (`./x` → `x.ts`, `x.tsx` or `x/index.ts`), or undefined for a library. */
function resolveImport(file: string, specifier: string, files: ReadonlySet<string>): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier)).replace(/\.(m|c)?js$/, '');
  return [target, `${target}.ts`, `${target}.tsx`, `${target}.mts`, `${target}/index.ts`].find((f) => files.has(f));
}

/** Which of `files` each one imports (type-only imports included: they tie the files' designs together as much). */
export function importGraph(files: readonly string[], importsOfFile: (file: string) => string[] = importsOf): Map<string, string[]> {
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const targets = importsOfFile(file).flatMap((s) => resolveImport(file, s, known) ?? []);
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/**
 * The import cycles of `graph`: its strongly connected components (Tarjan) of more than one file,
 * or of one file that imports itself. Each cycle's files sorted, cycles in order of their first file.
 */
export function importCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return cycles.sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
}

describe('import boundaries (ARCHITECTURE.md)', () => {
  it('every TypeScript file imports only what its folder may', () => {
    const files = ['protocol', 'vault', 'server', 'client', 'webview', 'test', 'bench', 'scripts'].flatMap((d) => [...typescriptFiles(d)]);
    expect(files.length).toBeGreaterThan(100);
    const problems: string[] = [];
    for (const file of files) {
      for (const specifier of importsOf(file)) {
        const problem = violation(file, specifier);
        if (problem) problems.push(`${file}: '${specifier}' ${problem}`);
      }
    }
    expect(problems, `import boundaries crossed:\n${problems.join('\n')}`).toEqual([]);
  });

  it('outside vault/src/store/, the vault knows the store by its interface and its factory only', () => {
    // The storage seam: the service, the routes and the commands never name a store
    // implementation, so another store (PostgreSQL) is one more kind in store/index.ts.
    const seam = new Set(['vault/src/store/types', 'vault/src/store/index', 'vault/src/store/files', 'vault/src/store/errors', 'vault/src/store/databaseUrl']);
    const problems: string[] = [];
    for (const file of typescriptFiles('vault/src')) {
      if (file.startsWith('vault/src/store/')) continue;
      for (const specifier of importsOf(file)) {
        if (!specifier.startsWith('.')) continue;
        const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier)).replace(/\.(js|ts)$/, '');
        if (target.startsWith('vault/src/store/') && !seam.has(target)) problems.push(`${file}: '${specifier}'`);
      }
    }
    expect(problems, `store implementations named outside the store:\n${problems.join('\n')}`).toEqual([]);
  });

  it('inside the language service, each level imports only the levels below it', () => {
    const files = [...typescriptFiles('server/src/service')];
    expect(files.length).toBeGreaterThan(30);
    const problems: string[] = [];
    for (const file of files) {
      if (!serviceLevel(file)) problems.push(`${file}: ${levelViolation(file, './x')}`);
      for (const specifier of importsOf(file)) {
        const problem = levelViolation(file, specifier);
        if (problem) problems.push(`${file}: '${specifier}' ${problem}`);
      }
    }
    expect(problems, `language service levels crossed:\n${problems.join('\n')}`).toEqual([]);
  });

  it('names what crosses the levels of the language service', () => {
    expect(levelViolation('server/src/service/model/model.ts', '../features/completionLists')).toBe(
      'imports features/ (server/src/service/features/completionLists): model/ may import only the levels below it (evaluate/, scan/)',
    );
    expect(levelViolation('server/src/service/scan/references.ts', '../analyze')).toMatch(/^imports analyze\.ts /);
    expect(levelViolation('server/src/service/scan/tokens.ts', '../model/model')).toMatch(/^imports model\/ /);
    expect(levelViolation('server/src/service/credentials/detect.ts', '../leaks/types')).toMatch(/^imports leaks\/ /);
    expect(levelViolation('server/src/service/leaks/index.ts', '../features/common')).toMatch(/^imports features\/ /);
    expect(levelViolation('server/src/service/analyze.ts', './features/common')).toMatch(/^imports features\/ /);
    expect(levelViolation('server/src/service/features/hover.ts', '../index')).toMatch(/^imports index\.ts /);
    expect(levelViolation('server/src/service/references.ts', './scan/types')).toMatch(/^is in no level/);
    // The front ends, before they exist: nothing above them, no other front end; the shared level no front end.
    expect(levelViolation('server/src/service/python/model.ts', '../leaks/state')).toMatch(/^imports leaks\/ /);
    expect(levelViolation('server/src/service/javascript/model.ts', '../model/model')).toMatch(/^imports model\/ /);
    expect(levelViolation('server/src/service/model/model.ts', '../config/refs')).toMatch(/^imports config\/ /);
    expect(levelViolation('server/src/service/config/refs.ts', '../analyze')).toMatch(/^imports analyze\.ts /);
    expect(levelViolation('server/src/service/python/model.ts', '../javascript/model')).toBe(
      'imports javascript/ (server/src/service/javascript/model): python/ may import only the levels below it (evaluate/, scan/)',
    );
    expect(levelViolation('server/src/service/scan/types.ts', '../python/model')).toBe(
      'imports python/ (server/src/service/python/model): scan/ may import only the levels below it (none)',
    );
    expect(levelViolation('server/src/service/python/model.ts', '../scan/tokens')).toBeUndefined();
    // The evaluator: every front end imports it; it imports scan/ only, never a front end.
    expect(levelViolation('server/src/service/python/nameSets.ts', '../evaluate/values')).toBeUndefined();
    expect(levelViolation('server/src/service/javascript/jsNameSets.ts', '../evaluate/candidates')).toBeUndefined();
    expect(levelViolation('server/src/service/evaluate/envSet.ts', '../scan/tokens')).toBeUndefined();
    expect(levelViolation('server/src/service/evaluate/values.ts', '../python/nameSetsTypes')).toMatch(/^imports python\/ /);
    expect(levelViolation('server/src/service/evaluate/values.ts', '../javascript/jsNameSetsTypes')).toMatch(/^imports javascript\/ /);
    expect(levelViolation('server/src/service/scan/types.ts', '../evaluate/values')).toMatch(/^imports evaluate\/ /);
    expect(levelViolation('server/src/service/leaks/python.ts', '../python/model')).toBeUndefined();
    expect(levelViolation('server/src/service/credentials/detect.ts', '../javascript')).toBeUndefined();
    // The dispatcher above the front ends: it imports them; none of them, nor scan/, imports it.
    expect(levelViolation('server/src/service/frontEnds.ts', './python/pythonRefs')).toBeUndefined();
    expect(levelViolation('server/src/service/analyze.ts', './frontEnds')).toBeUndefined();
    expect(levelViolation('server/src/service/python/pythonRefs.ts', '../frontEnds')).toMatch(/^imports frontEnds\.ts /);
    expect(levelViolation('server/src/service/scan/references.ts', '../frontEnds')).toMatch(/^imports frontEnds\.ts /);
    expect(levelViolation('server/src/service/leaks/index.ts', '../frontEnds')).toMatch(/^imports frontEnds\.ts /);
    expect(levelViolation('server/src/service/frontEnds.ts', './analyze')).toMatch(/^imports analyze\.ts /);
    // Downwards, within a part, and outside the service: allowed.
    expect(levelViolation('server/src/service/index.ts', './features/hover')).toBeUndefined();
    expect(levelViolation('server/src/service/features/hover.ts', '../analyze')).toBeUndefined();
    expect(levelViolation('server/src/service/features/hover.ts', './markdown')).toBeUndefined();
    expect(levelViolation('server/src/service/analyze.ts', './credentials/detect')).toBeUndefined();
    expect(levelViolation('server/src/service/analyze.ts', './leaks')).toBeUndefined();
    expect(levelViolation('server/src/service/scan/tokens.ts', '../leaks')).toMatch(/^imports leaks\/ /);
    expect(levelViolation('server/src/service/leaks/python.ts', '../scan/tokens')).toBeUndefined();
    expect(levelViolation('server/src/service/model/model.ts', './nearest')).toBeUndefined();
    expect(levelViolation('server/src/service/scan/references.ts', '../../../../protocol/names')).toBeUndefined();
    expect(levelViolation('server/src/session.ts', './service/features/hover')).toBeUndefined();
  });

  it('no file of the programs imports itself through other files', () => {
    const files = ['protocol', 'vault', 'server', 'client', 'webview'].flatMap((d) => [...typescriptFiles(d)]);
    const graph = importGraph(files);
    // The graph is read as the boundaries test reads imports: if it were empty, no cycle could fail.
    expect(graph.get('server/src/service/index.ts')).toContain('server/src/service/analyze.ts');
    expect(graph.get('client/src/extension.ts')).toContain('client/src/ctx.ts');
    const cycles = importCycles(graph);
    expect(cycles, `import cycles (each line the files of one):\n${cycles.map((c) => c.join(', ')).join('\n')}`).toEqual([]);
  });

  it('no file of the language service or the vault is longer than a reader can hold (800 lines)', () => {
    const long = ['server/src/service', 'vault/src']
      .flatMap((d) => [...typescriptFiles(d)])
      .map((file) => ({ file, lines: readFileSync(path.join(root, file), 'utf8').split('\n').length }))
      .filter((f) => f.lines > MAX_LINES);
    expect(long, long.map((f) => `${f.file}: ${f.lines} lines`).join('\n')).toEqual([]);
  });

  it('finds every cycle of a graph, and none in a graph without one', () => {
    const graph = new Map<string, string[]>([
      ['a', ['b']],
      ['b', ['c', 'd']],
      ['c', ['a']],
      ['d', ['e']],
      ['e', []],
      ['f', ['f']],
      ['g', ['h', 'e']],
      ['h', ['g']],
    ]);
    expect(importCycles(graph)).toEqual([['a', 'b', 'c'], ['f'], ['g', 'h']]);
    const dag = new Map<string, string[]>([
      ['a', ['b', 'c']],
      ['b', ['c', 'd']],
      ['c', ['d']],
      ['d', []],
      ['e', ['a', 'd']],
    ]);
    expect(importCycles(dag)).toEqual([]);
    // Imports resolve to files of ours as TypeScript resolves them; libraries and missing files are no edges.
    const imports: Record<string, string[]> = {
      'server/src/a.ts': ['./b', './dir', 'vscode-languageserver', './missing'],
      'server/src/b.ts': ['./a.js'],
      'server/src/dir/index.ts': ['../c'],
      'server/src/c.tsx': [],
    };
    const read = importGraph(Object.keys(imports), (f) => imports[f]!);
    expect(Object.fromEntries(read)).toEqual({
      'server/src/a.ts': ['server/src/b.ts', 'server/src/dir/index.ts'],
      'server/src/b.ts': ['server/src/a.ts'],
      'server/src/dir/index.ts': ['server/src/c.tsx'],
      'server/src/c.tsx': [],
    });
    expect(importCycles(read)).toEqual([['server/src/a.ts', 'server/src/b.ts']]);
  });

  it('reads static, type-only, dynamic and require imports, and names what is wrong', () => {
    const text = "import type { X } from '../session';\nexport { y } from 'vscode';\nconst z = await import('node:fs');\nconst w = require('undici');\n";
    expect(ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName)).toEqual(['../session', 'vscode', 'node:fs', 'undici']);
    expect(violation('server/src/service/hover.ts', '../session')).toBe(
      'imports server/ (server/src/session): the language service is pure: no LSP transport, no I/O, nothing of the server around it',
    );
    expect(violation('server/src/service/hover.ts', 'node:fs')).toMatch(/^imports the node built-in node:fs/);
    expect(violation('server/src/service/hover.ts', 'path')).toMatch(/^imports the node built-in path/);
    expect(violation('server/src/service/hover.ts', 'vscode-languageserver/node')).toMatch(/^imports the library vscode-languageserver:/);
    expect(violation('server/src/server.ts', 'vscode')).toMatch(/^imports vscode:/);
    expect(violation('server/src/server.ts', '../../client/src/extension')).toMatch(/^imports client\//);
    expect(violation('protocol/lsp.ts', '../vault/src/service')).toMatch(/^imports vault\//);
    expect(violation('protocol/lsp.ts', 'undici')).toMatch(/^imports the library undici/);
    expect(violation('webview/src/host.ts', 'node:crypto')).toMatch(/built-in/);
    expect(violation('webview/src/host.ts', 'vscode')).toMatch(/^imports vscode/);
    expect(violation('client/src/core/snapshot.ts', 'vscode')).toMatch(/vscode-free/);
    expect(violation('vault/src/service.ts', '../../server/src/check/index')).toMatch(/^imports server\//);
    // What is allowed stays allowed.
    expect(violation('client/src/ctx.ts', 'vscode')).toBeUndefined();
    expect(violation('client/src/ctx.ts', '../../protocol/lsp')).toBeUndefined();
    expect(violation('server/src/session.ts', './service/index')).toBeUndefined();
    expect(violation('server/src/service/hover.ts', './markdown')).toBeUndefined();
    expect(violation('server/src/service/hover.ts', '../../../protocol/lsp')).toBeUndefined();
    expect(violation('test/server/lsp.test.ts', '../../server/src/session')).toBeUndefined();
  });
});
