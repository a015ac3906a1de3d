// A secret name imported from another module of an ADK project, as an editor meets it: the bundled
// server over stdio, a project on disk whose functions read `get_secret(SECRET_NAME)` with the
// constant imported from functions/config.py (relatively, and absolutely from a flow's function).
// The read is checked against the name config.py holds, the problem points into config.py, and the
// importers follow config.py as it is edited, closed unsaved, and changed on disk. A quick fix for a
// misspelt imported name edits the module that writes it.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CodeActionRequest,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DocumentDiagnosticRequest,
  FileChangeType,
  WorkspaceDiagnosticRequest,
  type Diagnostic,
  type FullDocumentDiagnosticReport,
  type Position,
  type WorkspaceDiagnosticReport,
} from 'vscode-languageserver-protocol/node';
import { SnapshotNotification, type VaultSnapshot } from '../../protocol/lsp';
import { buildServer, LspSession } from './lspHarness';

const AGENT = 'PROJECT-TRACKAGT';

const CONFIG = 'SECRET_NAME = "narvar_staging_api"\n';
const GRANTED = 'SECRET_NAME = "narvar_prod_api"\n';

const TRACK = `from _gen import *  # <AUTO GENERATED>
from .config import SECRET_NAME


def track_order(conv: Conversation):
    creds = conv.utils.get_secret(SECRET_NAME)
    return creds["API_KEY"]
`;

const START_RETURN = `from _gen import *  # <AUTO GENERATED>
from functions.config import SECRET_NAME


def start_return(conv: Conversation, flow: Flow):
    return conv.utils.get_secret(SECRET_NAME)
`;

const FILES: Record<string, string> = {
  'narvar/project.yaml': `project_id: ${AGENT}\naccount_id: acme\nregion: us-1\n`,
  'narvar/functions/config.py': CONFIG,
  'narvar/functions/track_order.py': TRACK,
  'narvar/flows/returns/functions/start_return.py': START_RETURN,
  // The generated stubs are never read, even when a function imports from them.
  'narvar/_gen/__init__.py': 'SECRET_NAME = "stub_name"\n',
};

let tmp: string;
let bundle: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'sv-lsp-imports-'));
  bundle = path.join(tmp, 'server.js');
  await buildServer(bundle);
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

function snapshotFor(projectUri: string): VaultSnapshot {
  const kv = (name: string, agents: string[]) => ({ name, description: '', kind: 'kv' as const, keys: ['API_KEY', 'BASE_URL'], agents });
  return {
    revision: 1,
    connection: 'connected',
    namingStyle: 'snake_case',
    role: 'admin',
    secrets: [kv('narvar_prod_api', [AGENT]), kv('narvar_staging_api', ['PROJECT-OTHERAGT'])],
    agents: [{ id: 'PROJECT-OTHERAGT', name: 'Other' }],
    folders: [{ folderUri: projectUri, agent: AGENT, name: 'Narvar' }],
    defaultAgent: null,
    stale: null,
  };
}

/**
 * A workspace of one Narvar project with a helper module (`moduleRel`) and a flow's function
 * `narvar/flows/returns/functions/refund.py`, served by the bundled server, initialized with the
 * vault's snapshot and indexed; `codes` lists the flow function's workspace diagnostics as
 * `code@line:character`.
 */
async function helperProject(dir: string, moduleRel: string, module: string, refund: string) {
  const files: Record<string, string> = { 'narvar/project.yaml': `project_id: ${AGENT}\n`, [moduleRel]: module, 'narvar/flows/returns/functions/refund.py': refund };
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), text);
  }
  const wsUri = pathToFileURL(dir).href;
  const refundUri = `${wsUri}/narvar/flows/returns/functions/refund.py`;
  const session = LspSession.start(bundle, { 'files.exclude': { '**/.git': true } });
  const codes = async () => {
    const report = (await session.conn.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: [] })) as WorkspaceDiagnosticReport;
    const item = report.items.find((i) => i.uri === refundUri);
    return (item?.kind === 'full' ? item.items : []).map((d) => `${d.code}@${d.range.start.line}:${d.range.start.character}`);
  };
  try {
    await session.initialize([{ uri: wsUri, name: 'ws' }], true);
    await session.conn.sendNotification(SnapshotNotification.type, snapshotFor(`${wsUri}/narvar`));
    await session.waitFor('counts');
  } catch (err) {
    session.kill();
    throw err;
  }
  return { session, codes, moduleUri: `${wsUri}/${moduleRel}` };
}

function pos(text: string, needle: string, delta = 0): Position {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`${needle} not found`);
  const before = text.slice(0, at + delta);
  const line = before.split('\n').length - 1;
  return { line, character: before.length - before.lastIndexOf('\n') - 1 };
}

const range = (text: string, needle: string) => ({ start: pos(text, needle), end: pos(text, needle, needle.length) });

describe('a secret name imported from another module of the project, over stdio', () => {
  for (const pull of [true, false]) {
    it(`is checked in the importers, points into its module and follows its changes (${pull ? 'pull' : 'push'} diagnostics)`, async () => {
      const dir = path.join(tmp, pull ? 'pull' : 'push');
      for (const [rel, text] of Object.entries(FILES)) {
        await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
        await writeFile(path.join(dir, rel), text);
      }
      const wsUri = pathToFileURL(dir).href;
      const uri = (rel: string) => `${wsUri}/${rel}`;
      const configUri = uri('narvar/functions/config.py');
      const trackUri = uri('narvar/functions/track_order.py');
      const returnUri = uri('narvar/flows/returns/functions/start_return.py');
      const session = LspSession.start(bundle, { 'files.exclude': { '**/.git': true } });
      const text = (d: Diagnostic) => (typeof d.message === 'string' ? d.message : d.message.value);

      /** The not-granted problems of a document, as `name@line:character -> related`. */
      const notGranted = (items: Diagnostic[]) =>
        items
          .filter((d) => d.code === 'not-granted')
          .map((d) => ({
            at: d.range,
            names: ['narvar_staging_api', 'narvar_prod_api', 'stub_name'].filter((n) => text(d).includes(`'${n}'`)),
            related: (d.relatedInformation ?? []).map((r) => [r.location.uri, r.location.range]),
          }));
      const pulled = async (u: string) => ((await session.conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: u } })) as FullDocumentDiagnosticReport).items;
      const unopened = async (u: string) => {
        const report = (await session.conn.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: [] })) as WorkspaceDiagnosticReport;
        const item = report.items.find((i) => i.uri === u);
        return item?.kind === 'full' ? item.items : [];
      };
      /**
       * The open track_order.py's problems once they are `what` says: pulled after each refresh since
       * `mark` (a refresh of an earlier step may come first), or published.
       */
      let mark = 0;
      const track = async (what: (d: Diagnostic[]) => boolean): Promise<Diagnostic[]> => {
        if (!pull) return (await session.waitFor('diagnostics', (e) => e.params.uri === trackUri && what(e.params.diagnostics), mark)).params.diagnostics;
        for (let from = mark; ; ) {
          const refresh = await session.waitFor('refresh', () => true, from);
          const items = await pulled(trackUri);
          if (what(items)) return items;
          from = session.events.indexOf(refresh) + 1;
        }
      };
      const clean = (d: Diagnostic[]) => d.every((x) => x.code !== 'not-granted');
      const problem = (d: Diagnostic[]) => d.some((x) => x.code === 'not-granted');
      const dynamic = (d: Diagnostic[]) => d.some((x) => x.code === 'dynamic-name');

      const staging = {
        names: ['narvar_staging_api'],
        related: [[configUri, range(CONFIG, '"narvar_staging_api"')]],
      };
      try {
        await session.initialize([{ uri: wsUri, name: 'ws' }], pull);
        await session.conn.sendNotification(SnapshotNotification.type, snapshotFor(uri('narvar')));
        await session.waitFor('counts');

        // Unopened, in the workspace report: the flow's function, which imports the constant absolutely.
        if (pull) expect(notGranted(await unopened(returnUri))).toEqual([{ at: { start: pos(START_RETURN, 'SECRET_NAME)'), end: pos(START_RETURN, 'SECRET_NAME)', 11) }, ...staging }]);

        // Open: the problem on the read's argument, its related information in config.py.
        mark = session.events.length;
        await session.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: trackUri, languageId: 'python', version: 1, text: TRACK } });
        const argument = { start: pos(TRACK, 'SECRET_NAME)'), end: pos(TRACK, 'SECRET_NAME)', 11) };
        const opened = pull ? await pulled(trackUri) : await track(problem);
        expect(notGranted(opened)).toEqual([{ at: argument, ...staging }]);

        // config.py opened and edited to a granted name (not saved): the problem goes, in both importers.
        await session.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: configUri, languageId: 'python', version: 1, text: CONFIG } });
        mark = session.events.length;
        await session.conn.sendNotification(DidChangeTextDocumentNotification.type, {
          textDocument: { uri: configUri, version: 2 },
          contentChanges: [{ range: range(CONFIG, 'narvar_staging_api'), text: 'narvar_prod_api' }],
        });
        expect(notGranted(await track(clean))).toEqual([]);
        if (pull) expect(notGranted(await unopened(returnUri))).toEqual([]);

        // Closed without saving: the disk's name again.
        mark = session.events.length;
        await session.conn.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: configUri } });
        expect(notGranted(await track(problem))).toEqual([{ at: argument, ...staging }]);
        if (pull) expect(notGranted(await unopened(returnUri))).toHaveLength(1);

        // Changed on disk (saved elsewhere, a pull): the importers follow.
        mark = session.events.length;
        await writeFile(path.join(dir, 'narvar/functions/config.py'), GRANTED);
        await session.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: configUri, type: FileChangeType.Changed }] });
        expect(notGranted(await track(clean))).toEqual([]);
        if (pull) expect(notGranted(await unopened(returnUri))).toEqual([]);

        // Deleted: the name no longer resolves, so nothing is claimed about it.
        mark = session.events.length;
        await rm(path.join(dir, 'narvar/functions/config.py'));
        await session.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: configUri, type: FileChangeType.Deleted }] });
        const gone = await track(dynamic);
        expect(gone.map((d) => d.code)).toEqual(['dynamic-name']);
        expect(text(gone[0]!)).toContain('SECRET_NAME');

        // Created again with a name not granted: back.
        mark = session.events.length;
        await writeFile(path.join(dir, 'narvar/functions/config.py'), CONFIG);
        await session.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: configUri, type: FileChangeType.Created }] });
        expect(notGranted(await track(problem))).toEqual([{ at: argument, ...staging }]);

        // Importing from the generated stubs resolves nothing.
        const fromGen = TRACK.replace('from .config import SECRET_NAME', 'from _gen import SECRET_NAME');
        mark = session.events.length;
        await session.conn.sendNotification(DidChangeTextDocumentNotification.type, {
          textDocument: { uri: trackUri, version: 2 },
          contentChanges: [{ text: fromGen }],
        });
        const stub = pull ? await pulled(trackUri) : await track(dynamic);
        expect(stub.map((d) => d.code)).toEqual(['dynamic-name']);
        expect(text(stub[0]!)).not.toContain('stub_name');

        expect(await session.stop()).toBe(0);
      } finally {
        session.kill();
      }
    });
  }

  it("a helper module's reader: a flow's function that reads nothing itself is checked at its call, and follows the helper as it is edited", async () => {
    const dir = path.join(tmp, 'reader');
    const helpers = 'def credentials(conv, secret_name: str):\n    return conv.utils.get_secret(secret_name)\n';
    const refund = 'from _gen import *  # <AUTO GENERATED>\nfrom functions import helpers\n\n\ndef refund(conv: Conversation, flow: Flow):\n    creds = helpers.credentials(conv, "narvar_staging_api")\n    return creds["API_KEY"]\n';
    const { session, codes, moduleUri: helpersUri } = await helperProject(dir, 'narvar/functions/helpers.py', helpers, refund);
    try {
      // Unopened: the call names a secret the project's agent is not granted.
      const at = pos(refund, 'narvar_staging_api"');
      expect(await codes()).toEqual([`not-granted@${at.line}:${at.character}`]);
      // The helper edited (unsaved) to read a fixed name: its calls read nothing any more.
      await session.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: helpersUri, languageId: 'python', version: 1, text: helpers } });
      const mark = session.events.length;
      await session.conn.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri: helpersUri, version: 2 },
        contentChanges: [{ text: 'def credentials(conv, secret_name: str):\n    return conv.utils.get_secret("narvar_prod_api")\n' }],
      });
      await session.waitFor('refresh', () => true, mark);
      expect(await codes()).toEqual([]);
      expect(await session.stop()).toBe(0);
    } finally {
      session.kill();
    }
  });

  it("a helper module's class and name-joining helper: a flow's function is checked at its constructions and calls, unopened, and follows the module's edits", async () => {
    const dir = path.join(tmp, 'classes');
    const client = [
      'class Session:',
      '    def __init__(self, conv, secret_name: str):',
      '        self.creds = conv.utils.get_secret(secret_name)',
      '',
      '',
      'class Handler:',
      '    def __init__(self, conv, secret_name: str):',
      '        self.session = Session(conv, secret_name)',
      '',
      '',
      'def creds(conv, service: str):',
      '    return conv.utils.get_secret(f"narvar_{service}_api")',
      '',
    ].join('\n');
    const refund = [
      'from _gen import *  # <AUTO GENERATED>',
      'from functions.client import Handler, creds',
      '',
      '',
      'def refund(conv: Conversation, flow: Flow):',
      '    handler = Handler(conv, "narvar_staging_api")',
      '    key = creds(conv, "stagin")["API_KEY"]',
      '    return handler, key',
      '',
    ].join('\n');
    const { session, codes, moduleUri: clientUri } = await helperProject(dir, 'narvar/functions/client.py', client, refund);
    try {
      // Unopened: the construction names a secret the agent is not granted; the call fills one that does not exist.
      const constructed = pos(refund, 'narvar_staging_api"');
      const filled = pos(refund, 'stagin"');
      expect(await codes()).toEqual([`not-granted@${constructed.line}:${constructed.character}`, `unknown-secret@${filled.line}:${filled.character}`]);
      // The module edited (unsaved): the session reads a fixed name, the helper joins another part.
      await session.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: clientUri, languageId: 'python', version: 1, text: client } });
      const mark = session.events.length;
      await session.conn.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri: clientUri, version: 2 },
        contentChanges: [{ text: client.replace('get_secret(secret_name)', 'get_secret("narvar_prod_api")').replace('f"narvar_{service}_api"', 'f"narvar_{service}g_api"') }],
      });
      await session.waitFor('refresh', () => true, mark);
      // The construction reads nothing now; the call fills narvar_staging_api, not granted.
      expect(await codes()).toEqual([`not-granted@${filled.line}:${filled.character}`]);
      expect(await session.stop()).toBe(0);
    } finally {
      session.kill();
    }
  });

  it('a misspelt name in the module: did-you-mean edits the literal in the module', async () => {
    const dir = path.join(tmp, 'fix');
    const config = 'API_NAME = "narvar_prod_apj"\n';
    const reader = 'from .config import API_NAME\n\n\ndef f(conv):\n    return conv.utils.get_secret(API_NAME)\n';
    const files: Record<string, string> = { 'narvar/project.yaml': `project_id: ${AGENT}\n`, 'narvar/functions/config.py': config, 'narvar/functions/reader.py': reader };
    for (const [rel, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
      await writeFile(path.join(dir, rel), text);
    }
    const wsUri = pathToFileURL(dir).href;
    const readerUri = `${wsUri}/narvar/functions/reader.py`;
    const configUri = `${wsUri}/narvar/functions/config.py`;
    const session = LspSession.start(bundle, { 'files.exclude': { '**/.git': true } });
    try {
      await session.initialize([{ uri: wsUri, name: 'ws' }], true);
      await session.conn.sendNotification(SnapshotNotification.type, snapshotFor(`${wsUri}/narvar`));
      await session.waitFor('counts');
      await session.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: readerUri, languageId: 'python', version: 1, text: reader } });
      const items = ((await session.conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: readerUri } })) as FullDocumentDiagnosticReport).items;
      const unknown = items.find((d) => d.code === 'unknown-secret')!;
      expect(unknown.range).toEqual({ start: pos(reader, 'API_NAME)'), end: pos(reader, 'API_NAME)', 8) });
      expect(unknown.relatedInformation?.map((r) => [r.location.uri, r.location.range])).toEqual([[configUri, range(config, '"narvar_prod_apj"')]]);
      const actions = await session.conn.sendRequest(CodeActionRequest.type, {
        textDocument: { uri: readerUri },
        range: unknown.range,
        context: { diagnostics: [unknown], only: ['quickfix'] },
      });
      const fix = actions?.find((a) => 'edit' in a && a.edit !== undefined && a.title.includes("'narvar_prod_api'"));
      expect(fix && 'edit' in fix ? fix.edit?.changes : undefined).toEqual({ [configUri]: [{ range: range(config, 'narvar_prod_apj'), newText: 'narvar_prod_api' }] });
      expect(await session.stop()).toBe(0);
    } finally {
      session.kill();
    }
  });

  it('TypeScript: a name imported by a relative path is checked in the importer and follows the module as it is edited', async () => {
    const dir = path.join(tmp, 'ts');
    const names = "export const HOOK_SECRET = 'narvar_staging_api';\n";
    const hook = "import { HOOK_SECRET } from './names';\n\nexport function hook(conv: any): string {\n  return conv.utils.get_secret(HOOK_SECRET);\n}\n";
    const files: Record<string, string> = { 'narvar/project.yaml': `project_id: ${AGENT}\n`, 'narvar/web/names.ts': names, 'narvar/web/hook.ts': hook };
    for (const [rel, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
      await writeFile(path.join(dir, rel), text);
    }
    const wsUri = pathToFileURL(dir).href;
    const hookUri = `${wsUri}/narvar/web/hook.ts`;
    const namesUri = `${wsUri}/narvar/web/names.ts`;
    const session = LspSession.start(bundle, { 'files.exclude': { '**/.git': true } });
    const pulled = async () => ((await session.conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: hookUri } })) as FullDocumentDiagnosticReport).items;
    try {
      await session.initialize([{ uri: wsUri, name: 'ws' }], true);
      await session.conn.sendNotification(SnapshotNotification.type, snapshotFor(`${wsUri}/narvar`));
      await session.waitFor('counts');
      await session.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: hookUri, languageId: 'typescript', version: 1, text: hook } });
      const problem = (await pulled()).find((d) => d.code === 'not-granted')!;
      expect(problem.range).toEqual({ start: pos(hook, 'HOOK_SECRET)'), end: pos(hook, 'HOOK_SECRET)', 11) });
      expect(problem.relatedInformation?.map((r) => [r.location.uri, r.location.range])).toEqual([[namesUri, range(names, "'narvar_staging_api'")]]);
      // names.ts opened and edited to a granted name: the importer is checked again.
      await session.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: namesUri, languageId: 'typescript', version: 1, text: names } });
      const mark = session.events.length;
      await session.conn.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri: namesUri, version: 2 },
        contentChanges: [{ range: range(names, 'narvar_staging_api'), text: 'narvar_prod_api' }],
      });
      await session.waitFor('refresh', () => true, mark);
      expect((await pulled()).map((d) => d.code)).toEqual([]);
      expect(await session.stop()).toBe(0);
    } finally {
      session.kill();
    }
  });
});
