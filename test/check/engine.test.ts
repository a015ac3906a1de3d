// The check engine in-process: it is the editor's language service (same findings as
// computeDiagnostics on the same text), and it walks trees with git's ignore rules.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { afterEach, describe, expect, it } from 'vitest';
import type { CheckMetadata, CheckRequest, SnapshotFile } from '../../protocol/check';
import { check, fileUris } from '../../server/src/check/index';
import { computeDiagnostics } from '../../server/src/service/features/diagnostics';
import { VaultModel } from '../../server/src/service/model/model';
import { languageOfPath } from '../../server/src/service/scan/references';
import { scan } from '../../server/src/service/analyze';
import { copyProject } from './helpers';

const snapshot = JSON.parse(readFileSync(path.join(__dirname, 'fixtures/snapshot.json'), 'utf8')) as SnapshotFile;
const metadata: CheckMetadata = { namingStyle: snapshot.namingStyle, secrets: snapshot.secrets, agents: snapshot.agents };
const temps: string[] = [];
afterEach(() => {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
});

function request(cwd: string, overrides: Partial<CheckRequest> = {}): CheckRequest {
  return { cwd, paths: [], exclude: [], gitignore: true, maxFileSize: 1024 * 1024, metadata, agent: 'booking-agent', ...overrides };
}

/** A tree from `{ 'rel/path': 'content' }`. */
function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'sv-engine-'));
  temps.push(dir);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

const REF = "conv.utils.get_secret('missing_secret')\n";
const checkedPaths = async (cwd: string, overrides: Partial<CheckRequest> = {}) => [...new Set((await check(request(cwd, overrides))).findings.map((f) => f.path))];

describe('the same language service as the editor', () => {
  it('finds exactly what computeDiagnostics finds on each file, positions made 1-based', async () => {
    const { dir, project } = copyProject('project');
    temps.push(dir);
    const report = await check(request(project));
    const model = VaultModel.fromSnapshot({ revision: 0, stale: null, connection: 'connected', namingStyle: 'snake_case', role: null, secrets: metadata.secrets, agents: metadata.agents, folders: [], defaultAgent: 'booking-agent' });
    const files = ['app/booking.py', 'app/clean.py', 'app/sub/keep.local.py', 'tests/test_booking.py', 'web/client.ts', 'web/ok.ts'];
    let total = 0;
    for (const rel of files) {
      const text = readFileSync(path.join(project, rel), 'utf8');
      const language = languageOfPath(rel)!;
      const doc = TextDocument.create(pathToFileURL(path.join(project, rel)).href, language, 0, text);
      const editor = computeDiagnostics(doc, scan(text, language), model).map((d) => ({
        line: d.range.start.line + 1,
        column: d.range.start.character + 1,
        endLine: d.range.end.line + 1,
        endColumn: d.range.end.character + 1,
        code: d.code,
        message: d.message,
      }));
      const cli = report.findings.filter((f) => f.path === rel).map(({ line, column, endLine, endColumn, code, message }) => ({ line, column, endLine, endColumn, code, message }));
      expect(cli, rel).toEqual(editor);
      total += editor.length;
    }
    expect(total).toBe(report.findings.length);
    expect(report.filesChecked).toBe(files.length);
  });

  it('counts columns in UTF-16 code units and drops a byte-order mark, as editors do', async () => {
    const cwd = tree({ 'a.py': "\ufeffx = '😀'; conv.utils.get_secret('nope')\n" });
    const [f] = (await check(request(cwd))).findings;
    // 'x = ' (4) + '😀' in quotes (4 units) + '; ' (2) + 'conv.utils.get_secret(' (22) + the quote: column 34.
    expect(f).toMatchObject({ line: 1, column: 34, endColumn: 38, code: 'unknown-secret' });
  });

  it('reports progress for every file read, ending at the total', async () => {
    const cwd = tree(Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`f${i}.py`, REF])));
    const seen: [number, number][] = [];
    await check(request(cwd, { onProgress: (done, total) => seen.push([done, total]) }));
    expect(seen.length).toBe(20);
    expect(seen.at(-1)).toEqual([20, 20]);
  });
});

describe('.gitignore, as git reads it', () => {
  it('a folder pattern ignores folders only; an anchored pattern only at its own level', async () => {
    const cwd = tree({
      '.gitignore': 'build/\n/top.py\n',
      'build/a.py': REF,
      'src/build.py': REF,
      'top.py': REF,
      'src/top.py': REF,
    });
    expect(await checkedPaths(cwd)).toEqual(['src/build.py', 'src/top.py']);
  });

  it('the deepest .gitignore with a matching rule decides; a file in an ignored folder cannot be re-included', async () => {
    const cwd = tree({
      '.gitignore': '*.gen.py\nvendor/\n',
      'a/.gitignore': '!keep.gen.py\n',
      'a/keep.gen.py': REF,
      'a/drop.gen.py': REF,
      'b/keep.gen.py': REF,
      'vendor/.gitignore': '!*.py\n',
      'vendor/lib.py': REF,
    });
    expect(await checkedPaths(cwd)).toEqual(['a/keep.gen.py']);
  });

  it('in a repository, the rules above the checked folder and .git/info/exclude apply', async () => {
    const repo = tree({
      '.git/info/exclude': 'local_*.py\n',
      '.gitignore': 'secret_stuff/\n',
      'svc/app.py': REF,
      'svc/local_dev.py': REF,
      'svc/secret_stuff/x.py': REF,
    });
    expect(await checkedPaths(path.join(repo, 'svc'))).toEqual(['app.py']);
    // Named explicitly from the repository's root, an ignored folder is reported, not walked.
    const report = await check(request(repo, { paths: ['svc/secret_stuff'] }));
    expect(report.findings).toEqual([]);
    expect(report.skipped).toEqual([{ path: 'svc/secret_stuff', reason: 'ignored', detail: 'ignored by .gitignore' }]);
  });

  it('outside a repository, a .gitignore above the working folder does not apply', async () => {
    const outer = tree({ '.gitignore': 'inner/\n*.py\n', 'inner/app.py': REF });
    expect(await checkedPaths(path.join(outer, 'inner'))).toEqual(['app.py']);
  });

  it('gitignore: false reads everything but dependency and build folders', async () => {
    const cwd = tree({ '.gitignore': '*.py\n', 'a.py': REF, 'node_modules/x/i.js': REF, 'dist/o.js': REF });
    expect(await checkedPaths(cwd, { gitignore: false })).toEqual(['a.py']);
  });
});

describe('--exclude', () => {
  it('names match at any depth, paths from the working folder, a trailing slash means the folder', async () => {
    const cwd = tree({ 'a/fixtures/x.py': REF, 'fixtures/y.py': REF, 'src/m.test.ts': REF, 'src/m.ts': REF, 'gen/z.py': REF, 'lib/gen/w.py': REF });
    expect(await checkedPaths(cwd, { exclude: ['fixtures', '*.test.ts', './gen/'] })).toEqual(['lib/gen/w.py', 'src/m.ts']);
  });
});

describe('file URLs', () => {
  it('are the ones pathToFileURL gives, for plain names and for those a URL encodes, inside the folder and outside it', () => {
    const cwd = path.join(tmpdir(), 'sv check', 'proj#1');
    const uriOf = fileUris(cwd);
    const rels = ['a.py', 'functions/get_key.py', 'team-1/x_y.z.ts', '.hidden/a.py', 'a b.py', 'dir/naïve.py', 'p%20q.py', 'h#1.py', 'q?.py', 'x/../y.py', '../outside.py', '../../a/b.ts', '..x.py', 'tab\t.py', 'new\nline.py', 'back\\slash.py', 'ü/日本.py', '~tilde.py', "it's.py"];
    for (const rel of rels) {
      const abs = path.resolve(cwd, rel);
      expect(uriOf({ abs, rel: path.relative(cwd, abs).split(path.sep).join('/') })).toBe(pathToFileURL(abs).href);
    }
    expect(fileUris('/')({ abs: '/a.py', rel: 'a.py' })).toBe(pathToFileURL('/a.py').href);
  });
});
