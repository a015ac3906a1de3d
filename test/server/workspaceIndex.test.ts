import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { WorkspaceIndex } from '../../server/src/workspaceIndex';
import { scan } from '../../server/src/service/analyze';
import { createLanguageService, type AnalyzedDocument } from '../../server/src/service/index';
import { DEFAULT_EXCLUDE, FileFilter } from '../../server/src/fileFilter';
import { childUri, relativePath } from '../../server/src/fileUris';

const REF = "x = conv.utils.get_secret('stripe_key')\n";

describe('file filter', () => {
  const filter = new FileFilter({ ...DEFAULT_EXCLUDE, '**/generated': true, 'scratch/*.py': true, '**/*.spec.ts': { when: '$(basename).ts' }, '**/off': false });

  it('reads our languages only', () => {
    for (const f of ['a.py', 'b/c.js', 'd.jsx', 'e.ts', 'f.tsx', 'g.mjs', 'h.cjs', 'i.mts', 'j.cts', 'K.PY']) expect(filter.includesFile(f), f).toBe(true);
    for (const f of ['a.pyc', 'b.json', 'README.md', '.py', 'py']) expect(filter.includesFile(f), f).toBe(false);
  });

  it('skips dependency and build folders always, and what files.exclude hides', () => {
    for (const f of ['node_modules/x/a.js', 'a/node_modules/b.js', '.venv/lib/a.py', 'dist/a.js', '.git/a.py', 'src/generated/a.py', 'scratch/a.py']) {
      expect(filter.includesFile(f), f).toBe(false);
    }
    // Only `true` entries exclude; a `when` condition is not evaluated and `false` turns a pattern off.
    for (const f of ['scratch/deep/a.py', 'a.spec.ts', 'off/a.py']) expect(filter.includesFile(f), f).toBe(true);
    expect(filter.includesDirectory('generated', 'src/generated')).toBe(false);
    expect(filter.includesDirectory('src', 'src')).toBe(true);
  });
});

describe('file URIs', () => {
  it('are spelled as VS Code spells them', () => {
    expect(childUri('file:///w/proj', "my dir/it's (1)!.py")).toBe('file:///w/proj/my%20dir/it%27s%20%281%29%21.py');
    expect(relativePath('file:///w/proj/my%20dir/a%23b.py', 'file:///w/proj/')).toBe('my dir/a#b.py');
  });
});

describe('workspace index', () => {
  let dir: string;
  let folderUri: string;
  const errors: string[] = [];
  const make = (maxFileSize = 1024 * 1024) => new WorkspaceIndex({ maxFileSize, onError: (m) => errors.push(m) });

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sv-index-'));
    folderUri = pathToFileURL(dir).href;
    errors.length = 0;
    const files: Record<string, string | Buffer> = {
      'functions/book.py': REF,
      'functions/none.py': 'print("no secrets here")\n',
      'web/app.ts': "const k = conv.utils.get_secret('stripe_key');\n",
      'node_modules/lib/index.js': REF,
      'build/out.py': REF,
      'big.py': REF + '#'.repeat(5000),
      'blob.py': Buffer.concat([Buffer.from(REF), Buffer.from([0, 1, 2])]),
      'notes.md': REF,
      'bom.py': '\uFEFF' + REF,
    };
    for (const [rel, content] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
      await writeFile(path.join(dir, rel), content);
    }
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const uris = (index: WorkspaceIndex) => [...index.values()].map((f) => f.uri.slice(folderUri.length + 1)).sort();

  it('reads the included files, skipping excluded, huge and binary ones', async () => {
    const index = make(2000);
    expect(index.setFolder(folderUri, { '**/build': true })).toBe(true);
    const progress: number[] = [];
    await index.indexFolder(folderUri, (done) => progress.push(done));
    expect(uris(index)).toEqual(['bom.py', 'functions/book.py', 'functions/none.py', 'web/app.ts']);
    expect(progress.at(-1)).toBe(6); // every candidate was read, the big and binary ones included
    // Only files with references keep their text; offsets ignore the byte-order mark like editors do.
    const bom = index.get(`${folderUri}/bom.py`)!;
    expect(bom.doc?.getText().startsWith('x = ')).toBe(true);
    expect(bom.result.references[0]?.name).toBe('stripe_key');
    expect(index.get(`${folderUri}/functions/none.py`)?.doc).toBeNull();
    expect(errors).toEqual([]);
  });

  it('follows changes on disk: edits, deletions of files and folders, newly excluded files', async () => {
    const index = make();
    index.setFolder(folderUri, {});
    await index.indexFolder(folderUri);
    expect(index.get(`${folderUri}/functions/none.py`)?.result.references).toEqual([]);

    await writeFile(path.join(dir, 'functions/none.py'), "conv.utils.get_secret('zendesk')\n");
    await index.update(`${folderUri}/functions/none.py`);
    expect(index.get(`${folderUri}/functions/none.py`)?.result.references.map((r) => r.name)).toEqual(['zendesk']);

    await rm(path.join(dir, 'functions/book.py'));
    await index.update(`${folderUri}/functions/book.py`);
    expect(index.get(`${folderUri}/functions/book.py`)).toBeUndefined();

    index.removeUnder(`${folderUri}/functions`);
    expect(uris(index)).toEqual(['big.py', 'bom.py', 'build/out.py', 'web/app.ts']);

    index.setFolder(folderUri, { '**/web': true });
    await index.update(`${folderUri}/web/app.ts`);
    expect(index.get(`${folderUri}/web/app.ts`)).toBeUndefined();
    expect(index.includes(`${folderUri}/web/app.ts`)).toBe(false);
    expect(index.includes(`${folderUri}/web2/app.ts`)).toBe(true);

    index.removeFolder(folderUri);
    expect(index.size).toBe(0);
    expect(index.includes(`${folderUri}/a.py`)).toBe(false);
  });

  it("holds an unopened file's results compactly, with the references, diagnostics and usages of a fresh analysis", async () => {
    const texts: Record<string, string> = {
      'functions/pay.py': [
        'import os',
        '',
        'def pay(conv):',
        "    creds = conv.utils.get_secret('stripe_oauth')",
        "    print(creds['client_id'], creds['nope'])",
        "    key = conv.utils.get_secret('stripe_key')",
        "    os.environ['PAY_MODE'] = 'live'",
        "    return conv.utils.get_secret('missing_one'), key",
        '',
      ].join('\n'),
      'functions/refund.py': "def refund(conv):\n    return conv.utils.get_secret('stripe_key'), conv.utils.get_secret('stripe_oauth')['client_id']\n",
      'web/app.ts': "const k = conv.utils.get_secret('stripe_key');\nconst t = 'sk_live_4eC39HqLyjWDarjtT1zdp7dc';\n",
    };
    await writeFile(path.join(dir, 'functions/plain.py'), 'def plain(conv):\n    return 1\n');
    for (const [rel, text] of Object.entries(texts)) {
      await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
      await writeFile(path.join(dir, rel), text);
    }
    const index = make();
    index.setFolder(folderUri, {});
    await index.indexFolder(folderUri);
    const service = createLanguageService({ now: () => Date.parse('2026-06-01T00:00:00Z') });
    service.load({
      revision: 1,
      connection: 'connected',
      namingStyle: 'snake_case',
      role: 'developer',
      secrets: [
        { name: 'stripe_key', description: '', kind: 'single', keys: [], agents: ['other-agent'] },
        // With a credential among its keys: a key it does not have, logged, is then a leak (client_id alone is not one).
        { name: 'stripe_oauth', description: '', kind: 'kv', keys: ['client_id', 'client_secret'], agents: ['pay-agent'] },
      ],
      agents: [{ id: 'pay-agent', name: 'Pay' }, { id: 'other-agent', name: 'Other' }],
      folders: [{ folderUri, agent: 'pay-agent' }],
      defaultAgent: null,
      stale: null,
    });
    const indexed: AnalyzedDocument[] = [];
    const fresh: AnalyzedDocument[] = [];
    for (const rel of Object.keys(texts)) {
      const file = index.get(`${folderUri}/${rel}`)!;
      const language = rel.endsWith('.ts') ? 'typescript' : 'python';
      const doc = TextDocument.create(file.uri, language, 0, texts[rel]!);
      const result = scan(texts[rel]!, language);
      expect(file.result.references, rel).toEqual(result.references);
      expect(file.result.hardcoded, rel).toEqual(result.hardcoded);
      expect(file.result.leaks, rel).toEqual(result.leaks);
      expect(service.diagnostics(file.doc!, file.result), rel).toEqual(service.diagnostics(doc, result));
      indexed.push({ doc: file.doc!, result: file.result });
      fresh.push({ doc, result });
    }
    const codes = service.diagnostics(indexed[0]!.doc, indexed[0]!.result).map((d) => d.code);
    expect(codes).toEqual(expect.arrayContaining(['not-granted', 'unknown-key', 'unknown-secret', 'secret-in-log']));
    for (const [name, key] of [['stripe_key'], ['stripe_oauth'], ['stripe_oauth', 'client_id'], ['missing_one']] as const) {
      expect(service.usages(indexed, name, key), `${name} ${key ?? ''}`).toEqual(service.usages(fresh, name, key));
    }
    expect(service.usageCounts(indexed, false)).toEqual(service.usageCounts(fresh, false));
    // What the index does not keep: writes and functions (never asked of an unopened file), and
    // an empty list of its own per file.
    const pay = index.get(`${folderUri}/functions/pay.py`)!.result;
    const refund = index.get(`${folderUri}/functions/refund.py`)!.result;
    expect(scan(texts['functions/pay.py']!, 'python').writes).toHaveLength(1);
    expect(pay.writes).toEqual([]);
    expect(pay.functions).toEqual([]);
    expect(refund.hardcoded).toBe(pay.hardcoded);
    expect(refund.references[0]!.keys).toBe(pay.references[1]!.keys);
    // Files without references share one empty result.
    expect(index.get(`${folderUri}/functions/plain.py`)!.result).toBe(index.get(`${folderUri}/functions/none.py`)!.result);
  });

  it('refuses folders that are not on a local disk', () => {
    expect(make().setFolder('vscode-vfs://github/org/repo', {})).toBe(false);
  });
});
