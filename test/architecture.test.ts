// The import table of ARCHITECTURE.md, checked on every `npm test`: each TypeScript file's imports
// (static, type-only, dynamic and require, as the TypeScript compiler's own pre-processor reads
// them) against the folder it lives in. A boundary crossed fails here, naming file and import.

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
    libraries: ['vscode-languageserver-types', 'vscode-languageserver-textdocument'],
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

function importsOf(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(path.join(root, file), 'utf8'), true, true);
  return info.importedFiles.map((f) => f.fileName);
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
    // The storage seam (issue 15): the service, the routes and the commands never name a store
    // implementation, so another store (PostgreSQL) is one more kind in store/index.ts.
    const seam = new Set(['vault/src/store/types', 'vault/src/store/index', 'vault/src/store/files', 'vault/src/store/errors']);
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
