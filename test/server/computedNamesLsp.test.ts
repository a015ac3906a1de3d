// Names chosen at run time, on the resolver's own output: the language service over real text, and
// the bundled server over stdio as VS Code meets it (the environment chosen in the status bar
// arrives in the snapshot and in context changes; revoking a grant shows a problem labelled with
// the environment that reads the name; the quick fix edits the candidate's literal).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CodeActionRequest,
  DidOpenTextDocumentNotification,
  DocumentDiagnosticRequest,
  HoverRequest,
  type FullDocumentDiagnosticReport,
  type MarkupContent,
} from 'vscode-languageserver-protocol/node';
import { DeltaNotification, SnapshotNotification, UsagesRequest, type VaultSnapshot } from '../../protocol/lsp';
import { computeDiagnostics } from '../../server/src/service/features/diagnostics';
import { codeActions } from '../../server/src/service/features/codeActions';
import { buildServer, LspSession } from './lspHarness';
import { doc, textOf } from './vaultFixture';
import { ENV_SECRETS, envModel } from './computedNamesHelpers';

const NARVAR = `from _gen import *  # <AUTO GENERATED>


def narvar(conv):
    if conv.env == 'live':
        name = 'narvar_prod_api'
    elif conv.env.lower() == 'sandbox':
        name = 'narvar_staging_api'
    else:
        name = 'x_prod_api'
    return conv.utils.get_secret(name)['token']
`;

describe('computed names on the resolver’s output', () => {
  it('labels each failing name with the environments of its branch, and the fix edits its literal', () => {
    const d = doc(NARVAR);
    const m = envModel();
    const found = computeDiagnostics(d.doc, d.result, m);
    expect(found.map((x) => [x.code, textOf(d.doc, x.range), x.message])).toEqual([
      ['not-a-mapping', 'token', "In live: reads 'narvar_prod_api', a single value: get_secret returns a str, so ['token'] fails at run time."],
      ['not-granted', 'name', "In sandbox: reads 'narvar_staging_api', which is not granted to agent 'booking-agent' (granted to: support-agent)."],
      ['not-a-mapping', 'token', "In sandbox: reads 'narvar_staging_api', a single value: get_secret returns a str, so ['token'] fails at run time."],
      ['unknown-secret', 'name', "In pre-release: reads 'x_prod_api', which does not exist in the vault. Did you mean 'x_prod_apis'?"],
    ]);
    const unknown = found[3]!;
    expect(unknown.relatedInformation?.map((r) => `${textOf(d.doc, r.location.range)}: ${r.message}`)[0]).toBe("'x_prod_api': 'x_prod_api' is chosen here");
    const change = codeActions(d.doc, d.result, m, [unknown]).find((a) => a.title === "Change to 'x_prod_apis'")!;
    const edit = change.edit!.changes![d.doc.uri]![0]!;
    expect([textOf(d.doc, edit.range), edit.newText]).toEqual(['x_prod_api', 'x_prod_apis']);
    // With live chosen, only the live name's problem.
    expect(computeDiagnostics(d.doc, d.result, envModel({ environment: 'live' })).map((x) => x.code)).toEqual(['not-a-mapping']);
  });

  it('keeps a read whose name comes from the conversation dynamic, naming the part', () => {
    const d = doc("def f(conv):\n    return conv.utils.get_secret(conv.state['api'])\n");
    expect(computeDiagnostics(d.doc, d.result, envModel()).map((x) => x.message)).toEqual([
      "The secret name is computed at run time from `conv.state['api']`, which the editor cannot follow, so it cannot be checked against the vault. Use a literal name, for example get_secret('stripe_api_key'), or choose among literal names.",
    ]);
  });
});

let tmp: string;
let bundle: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'sv-lsp-computed-'));
  bundle = path.join(tmp, 'server.js');
  await buildServer(bundle);
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const BY_ENV = `def run(conv):
    name = 'x_uat_api' if conv.env == 'sandbox' else 'narvar_prod_api'
    return conv.utils.get_secret(name)
`;

describe('computed names over stdio', () => {
  it('reports the names of the chosen environment, follows a change of it, and labels a revoked grant', async () => {
    const dir = path.join(tmp, 'ws');
    await mkdir(path.join(dir, 'functions'), { recursive: true });
    await writeFile(path.join(dir, 'functions/run.py'), BY_ENV);
    const folder = pathToFileURL(dir).href;
    const uri = `${folder}/functions/run.py`;
    const secrets = ENV_SECRETS.map((s) => (s.name === 'narvar_prod_api' ? { ...s, agents: [] } : s));
    const snapshot: VaultSnapshot = {
      revision: 1,
      connection: 'connected',
      namingStyle: 'snake_case',
      role: 'admin',
      secrets,
      agents: [{ id: 'booking-agent', name: 'Booking agent' }],
      folders: [{ folderUri: folder, agent: 'booking-agent' }],
      defaultAgent: null,
      stale: null,
      environment: 'sandbox',
    };
    const session = LspSession.start(bundle, {});
    try {
      await session.initialize([{ uri: folder, name: 'ws' }], true);
      await session.conn.sendNotification(SnapshotNotification.type, snapshot);
      await session.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'python', version: 1, text: BY_ENV } });
      const pull = async () => ((await session.conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } })) as FullDocumentDiagnosticReport).items;

      // Sandbox chosen: x_uat_api is granted; narvar_prod_api (not granted) is read elsewhere only.
      expect(await pull()).toEqual([]);

      // Each name the read may take is a use of it at its literal: the sidebar's counts, Find All References.
      const counts = await session.waitFor('counts', (c) => c.params.counts.x_uat_api !== undefined);
      expect(counts.params.counts).toMatchObject({ x_uat_api: 1, narvar_prod_api: 1 });
      const uses = await session.conn.sendRequest(UsagesRequest.type, { name: 'narvar_prod_api' });
      expect(uses.map((l) => [l.uri, l.range.start.line, l.range.start.character])).toEqual([[uri, 1, BY_ENV.split('\n')[1]!.indexOf("'narvar_prod_api'") + 1]]);

      let mark = session.events.length;
      await session.conn.sendNotification(DeltaNotification.type, { baseRevision: 1, revision: 2, changes: [{ kind: 'context', environment: 'live' }] });
      await session.waitFor('refresh', undefined, mark);
      const live = await pull();
      expect(live.map((x) => x.message)).toEqual([
        "In pre-release and live: reads 'narvar_prod_api', which is not granted to agent 'booking-agent' (no agent has access).",
      ]);
      const actions = await session.conn.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: live[0]!.range, context: { diagnostics: live, only: ['quickfix'] } });
      expect(actions?.map((a) => a.title)).toEqual(["Grant 'booking-agent' access to 'narvar_prod_api'"]);

      // Back to sandbox, and the sandbox name's grant is revoked: a problem labelled sandbox.
      mark = session.events.length;
      const revoked = { ...ENV_SECRETS[0]!, agents: [] };
      await session.conn.sendNotification(DeltaNotification.type, {
        baseRevision: 2,
        revision: 3,
        changes: [{ kind: 'context', environment: 'sandbox' }, { kind: 'secret', secret: revoked }],
      });
      await session.waitFor('refresh', undefined, mark);
      expect((await pull()).map((x) => x.message)).toEqual([
        "In sandbox: reads 'x_uat_api', which is not granted to agent 'booking-agent' (no agent has access).",
      ]);

      const hover = await session.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 2, character: 34 } });
      const text = (hover?.contents as MarkupContent).value;
      expect(text).toContain('In sandbox: **x\\_uat\\_api**');
      expect(text).toContain('✗ not granted to `booking-agent`');
      expect(await session.stop()).toBe(0);
    } finally {
      await session.stop().catch(() => undefined);
    }
  });
});
