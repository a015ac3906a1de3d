// Prints the sha256 of the language service's outward surface as the built programs show it: the
// `check` outputs of the CLI on test/check's fixture projects (text, json, sarif, github), and the
// LSP messages of a scripted editor session against the bundled server (diagnostics, code actions,
// completion and its resolve, hover, usages, references, CodeLens). A restructuring of
// server/src/service/ keeps every line of this output identical: run it on dist/ before and after
// and diff the two.
// Usage (it is TypeScript for the test harness it shares; esbuild bundles it beside dist/):
//   npx esbuild scripts/language-surface-hashes.ts --bundle --platform=node --packages=external \
//     --outfile=dist/scripts/language-surface-hashes.cjs && node dist/scripts/language-surface-hashes.cjs [path/to/dist]
// Run it from the repository's root: the fixtures are read from there.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CodeActionRequest,
  CodeLensRequest,
  CompletionRequest,
  CompletionResolveRequest,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DocumentDiagnosticRequest,
  HoverRequest,
  ReferencesRequest,
  WorkspaceDiagnosticRequest,
  type CompletionList,
  type FullDocumentDiagnosticReport,
  type Position,
} from 'vscode-languageserver-protocol/node';
import { SnapshotNotification, UsagesRequest, type VaultSnapshot } from '../protocol/lsp';
import { LspSession } from '../test/server/lspHarness';
import { SNAKE_SECRETS } from '../test/server/vaultFixture';

const root = process.cwd();
const dist = path.resolve(process.argv[2] ?? path.join(root, 'dist'));
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const rows: [string, string][] = [];

/** A copy of test/check's fixtures as test/check/helpers.ts makes it, without the generated huge file. */
function copyProject(name: string): { dir: string; project: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'lang-surface-check-'));
  cpSync(path.join(root, 'test/check/fixtures'), dir, { recursive: true });
  const project = path.join(dir, name);
  for (const rel of ['gitignore', 'app/sub/gitignore']) {
    try {
      renameSync(path.join(project, rel), path.join(project, path.dirname(rel), '.gitignore'));
    } catch {
      // this project has no such file
    }
  }
  return { dir, project };
}

// check: the CLI as test/check runs it, on a copy of each fixture project.
const runs: [string, string, string[]][] = [
  ['project', '../snapshot.json', []],
  ['reading', '../reading-snapshot.json', []],
  ['env-project', '../env-snapshot.json', ['--agent', 'booking-agent']],
  ['env-reading', '../env-snapshot.json', ['--agent', 'booking-agent']],
];
for (const [name, snapshot, extra] of runs) {
  for (const format of ['text', 'json', 'sarif', 'github']) {
    const copy = copyProject(name);
    try {
      const r = spawnSync(process.execPath, [path.join(dist, 'vault/cli.js'), 'check', '--snapshot', snapshot, '--format', format, ...extra], {
        cwd: copy.project,
        env: { PATH: process.env.PATH ?? '' },
        encoding: 'utf8',
      });
      // SARIF names the folder it ran in: the temporary folder becomes a fixed word.
      const out = `${r.status}\n${r.stdout}\n${r.stderr}`.split(pathToFileURL(copy.dir).href).join('DIR').split(copy.dir).join('DIR');
      rows.push([`check ${name} ${format}`, sha256(out)]);
    } finally {
      rmSync(copy.dir, { recursive: true, force: true });
    }
  }
}

// LSP: one scripted session; temporary paths are replaced by a fixed word before hashing.
const BOOK_PY = `from conv import utils


def book_table(conv, party_size):
    token = conv.utils.get_secret('opentable_tokn')
    oauth = conv.utils.get_secret('google_oauth')
    calendar_id = oauth['client_id']
    card = conv.utils.get_secret('stripe_key')
    logging.info("card %s", card)
    mail = conv.utils.get_secret('se')
    return token, calendar_id, card
`;
const REMIND_PY = `def remind(conv):
    sms = conv.utils.get_secret('twilio_auth')['acount_sid']
    other = conv.utils.get_secret('strpe_key')
    return sms, other
`;
const APP_TS = "export const key = conv.utils.get_secret('stripe_key');\nconsole.log(key);\n";

function pos(text: string, needle: string, delta = 0): Position {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`${needle} not found`);
  const before = text.slice(0, at + delta);
  return { line: before.split('\n').length - 1, character: before.length - before.lastIndexOf('\n') - 1 };
}

async function lsp(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'lang-surface-'));
  const files: Record<string, string> = { 'functions/book.py': BOOK_PY, 'functions/remind.py': REMIND_PY, 'web/app.ts': APP_TS };
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  const ws = pathToFileURL(dir).href;
  const norm = (value: unknown) => JSON.stringify(value ?? null).split(ws).join('WS');
  const record = (label: string, value: unknown) => rows.push([`lsp ${label}`, sha256(norm(value))]);
  const session = LspSession.start(path.join(dist, 'server/server.js'), {});
  try {
    await session.initialize([{ uri: ws, name: 'ws' }], true, { maxFileSize: 100_000 });
    await session.waitFor('register', (e) => e.params.method === 'workspace/didChangeWatchedFiles');
    await session.waitFor('configuration');
    const snapshot: VaultSnapshot = {
      revision: 1,
      connection: 'connected',
      namingStyle: 'snake_case',
      role: 'admin',
      secrets: SNAKE_SECRETS,
      agents: [
        { id: 'booking-agent', name: 'Booking agent' },
        { id: 'billing-agent', name: 'Billing agent' },
      ],
      folders: [{ folderUri: ws, agent: 'booking-agent' }],
      defaultAgent: null,
      stale: null,
    };
    await session.conn.sendNotification(SnapshotNotification.type, snapshot);
    record('counts', (await session.waitFor('counts')).params);
    const wsReport = await session.conn.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: [] });
    // Result ids of indexed files count in the order the files were read, which varies run to run.
    record('workspace diagnostics', [...wsReport.items].sort((a, b) => a.uri.localeCompare(b.uri)).map((i) => ({ ...i, resultId: undefined })));
    for (const [rel, text] of Object.entries(files)) {
      const uri = `${ws}/${rel}`;
      const languageId = rel.endsWith('.py') ? 'python' : 'typescript';
      await session.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
      const report = (await session.conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } })) as FullDocumentDiagnosticReport;
      record(`diagnostics ${rel}`, report);
      for (const d of report.items) {
        record(
          `code actions ${rel} ${d.code}@${d.range.start.line}:${d.range.start.character}`,
          await session.conn.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: d.range, context: { diagnostics: report.items, only: ['quickfix'] } }),
        );
      }
      record(`code lens ${rel}`, await session.conn.sendRequest(CodeLensRequest.type, { textDocument: { uri } }));
    }
    const book = `${ws}/functions/book.py`;
    for (const [needle, delta] of [["get_secret('se')", 14], ["get_secret('google_oauth')", 14], ["oauth['client_id']", 7]] as const) {
      const list = (await session.conn.sendRequest(CompletionRequest.type, {
        textDocument: { uri: book },
        position: pos(BOOK_PY, needle, delta),
        context: { triggerKind: 1 },
      })) as CompletionList | null;
      record(`completion ${needle}`, list);
      for (const item of list?.items.slice(0, 3) ?? []) {
        record(`resolve ${needle} ${item.label}`, await session.conn.sendRequest(CompletionResolveRequest.type, { ...item, data: item.data ?? list?.itemDefaults?.data }));
      }
    }
    for (const needle of ['opentable_tokn', 'google_oauth', "'client_id'", 'stripe_key', 'card %s']) {
      record(`hover ${needle}`, await session.conn.sendRequest(HoverRequest.type, { textDocument: { uri: book }, position: pos(BOOK_PY, needle, 3) }));
    }
    record('usages stripe_key', await session.conn.sendRequest(UsagesRequest.type, { name: 'stripe_key' }));
    record('usages google_oauth.client_id', await session.conn.sendRequest(UsagesRequest.type, { name: 'google_oauth', key: 'client_id' }));
    record(
      'references client_id',
      await session.conn.sendRequest(ReferencesRequest.type, { textDocument: { uri: book }, position: pos(BOOK_PY, "'client_id'", 3), context: { includeDeclaration: true } }),
    );
    // An edit, then the document's diagnostics and lenses again.
    const e = pos(BOOK_PY, 'opentable_tokn', 14);
    await session.conn.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: book, version: 2 },
      contentChanges: [{ range: { start: e, end: e }, text: 'x' }],
    });
    record('diagnostics after edit', await session.conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: book } }));
    record('code lens after edit', await session.conn.sendRequest(CodeLensRequest.type, { textDocument: { uri: book } }));
    record('diagnostic events', session.events.filter((ev) => ev.type === 'diagnostics' || ev.type === 'counts').map((ev) => ev));
  } finally {
    await session.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

void lsp().then(
  () => {
    for (const [label, hash] of rows) console.log(`${hash}  ${label}`);
  },
  (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  },
);
