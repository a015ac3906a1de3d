// An ADK project's configuration and its secret_vault reads as an editor meets them: the bundled
// server over stdio, a project on disk (project.yaml, agent_settings/experimental_config.json, a
// function that imports secret_vault), a snapshot pushed by the client with the project's folder rule.
// The configuration is indexed and checked unopened; opened as JSON it gets completion inside a
// string, hover, quick fixes and Find All References across both files. A file at the same path
// outside a project, and any other JSON file, are not read.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CodeActionRequest,
  CompletionRequest,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DocumentDiagnosticRequest,
  HoverRequest,
  ReferencesRequest,
  WorkspaceDiagnosticRequest,
  type CompletionList,
  type Diagnostic,
  type FullDocumentDiagnosticReport,
  type MarkupContent,
  type Position,
  type WorkspaceDiagnosticReport,
} from 'vscode-languageserver-protocol/node';
import { Commands, SnapshotNotification, type VaultSnapshot } from '../../protocol/lsp';
import { buildServer, LspSession } from './lspHarness';
import { SNAKE_SECRETS } from './vaultFixture';

const AGENT = 'PROJECT-BK7QF2MA';

const CONFIG = `{
  "llm": {
    "mcp_servers": [
      { "url": "https://mcp.example.com", "auth": { "header": "X-Api-Key", "secret_name": "opentable_token" } }
    ]
  },
  "agentic_dial": { "connector_token_secret_name": "sendgrid_api_key" },
  "webhooks": {
    "on_deployment": { "live": [{ "url": "https://hooks.example.com", "auth": { "secret_name": "stripe_key" } }] }
  }
}
`;

const LOOKUP = `from _gen import *  # <AUTO GENERATED>
from utils.secret_vault import secret_vault


def lookup(conv: Conversation):
    token = secret_vault("opentable_token")
    oauth = secret_vault("google_oauth")
    return token, oauth["client_id"]
`;

const FILES: Record<string, string> = {
  'booking/project.yaml': `project_id: ${AGENT}\naccount_id: acme\nregion: euw-1\nproject_name: Booking agent\n`,
  'booking/agent_settings/experimental_config.json': CONFIG,
  'booking/agent_settings/other.json': '{"agentic_dial": {"connector_token_secret_name": "not_read_other"}}\n',
  'booking/functions/lookup.py': LOOKUP,
  // The same path without a project.yaml beside it: no project's configuration.
  'scratch/agent_settings/experimental_config.json': '{"agentic_dial": {"connector_token_secret_name": "not_read_scratch"}}\n',
};

let tmp: string;
let bundle: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'sv-lsp-config-'));
  bundle = path.join(tmp, 'server.js');
  await buildServer(bundle);
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

function snapshotFor(projectUri: string, role: 'admin' | 'developer'): VaultSnapshot {
  return {
    revision: 1,
    connection: 'connected',
    namingStyle: 'snake_case',
    role,
    secrets: SNAKE_SECRETS.map((s) => (s.agents.includes('booking-agent') ? { ...s, agents: [...s.agents, AGENT] } : s)),
    agents: [{ id: 'billing-agent', name: 'Billing agent' }],
    folders: [{ folderUri: projectUri, agent: AGENT, name: 'Booking agent' }],
    defaultAgent: null,
    stale: null,
  };
}

function pos(text: string, needle: string, delta = 0): Position {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`${needle} not found`);
  const before = text.slice(0, at + delta);
  const line = before.split('\n').length - 1;
  return { line, character: before.length - before.lastIndexOf('\n') - 1 };
}

const brief = (d: Diagnostic) => `${d.code}@${d.range.start.line}:${d.range.start.character}`;

describe('an ADK project’s configuration over stdio', () => {
  it('indexes and checks it, completes, hovers, fixes and finds references in it; reads no other JSON', async () => {
    const dir = path.join(tmp, 'ws');
    for (const [rel, text] of Object.entries(FILES)) {
      await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
      await writeFile(path.join(dir, rel), text);
    }
    const wsUri = pathToFileURL(dir).href;
    const uri = (rel: string) => `${wsUri}/${rel}`;
    const configUri = uri('booking/agent_settings/experimental_config.json');
    const session = LspSession.start(bundle, { 'files.exclude': { '**/.git': true } });
    try {
      await session.initialize([{ uri: wsUri, name: 'ws' }], true);
      const watch = await session.waitFor('register', (e) => e.params.method === 'workspace/didChangeWatchedFiles');
      expect(JSON.stringify(watch.params.registerOptions)).toContain('**/agent_settings/experimental_config.json');
      await session.conn.sendNotification(SnapshotNotification.type, snapshotFor(uri('booking'), 'admin'));
      const counts = await session.waitFor('counts');
      // Both files count: the configuration's field and the function's secret_vault read.
      expect(counts.params.counts).toEqual({ google_oauth: 1, opentable_token: 2, sendgrid_api_key: 1, stripe_key: 1 });

      // Unopened: the workspace report has the project's configuration (and its clean function), no other JSON.
      const ws = (await session.conn.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: [] })) as WorkspaceDiagnosticReport;
      const byUri = Object.fromEntries(ws.items.map((i) => [i.uri.slice(wsUri.length + 1), i.kind === 'full' ? i.items.map(brief) : 'unchanged']));
      expect(byUri).toEqual({
        'booking/agent_settings/experimental_config.json': ['wrong-kind@6:52', 'not-granted@8:96'],
        'booking/functions/lookup.py': [],
      });

      // Opened as JSON: the same, from the editor's text.
      let text = CONFIG;
      await session.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: configUri, languageId: 'json', version: 1, text } });
      const pulled = (await session.conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: configUri } })) as FullDocumentDiagnosticReport;
      expect(pulled.items).toEqual([
        {
          range: { start: pos(text, 'sendgrid_api_key'), end: pos(text, 'sendgrid_api_key', 16) },
          severity: 1,
          code: 'wrong-kind',
          source: 'secrets-vault',
          message: "agentic_dial.connector_token_secret_name needs a key/value secret (agent names to connector tokens), but 'sendgrid_api_key' is a single value.",
          data: { name: 'sendgrid_api_key' },
        },
        {
          range: { start: pos(text, 'stripe_key'), end: pos(text, 'stripe_key', 10) },
          severity: 1,
          code: 'not-granted',
          source: 'secrets-vault',
          message: `Secret 'stripe_key' is not granted to agent '${AGENT}' (granted to: billing-agent).`,
          data: { name: 'stripe_key' },
        },
      ]);

      // The admin's quick fix for not-granted grants the project's agent.
      const notGranted = pulled.items[1]!;
      const actions = await session.conn.sendRequest(CodeActionRequest.type, {
        textDocument: { uri: configUri },
        range: notGranted.range,
        context: { diagnostics: [notGranted], only: ['quickfix'] },
      });
      expect(actions?.map((a) => ('command' in a && a.command && typeof a.command === 'object' ? [a.title, a.command.command, a.command.arguments] : a))).toEqual([
        [`Grant '${AGENT}' access to 'stripe_key'`, Commands.grantAccess, [{ name: 'stripe_key', agent: AGENT }]],
      ]);

      // Hover: the secret's metadata, and that the project's agent may read it.
      const h = await session.conn.sendRequest(HoverRequest.type, { textDocument: { uri: configUri }, position: pos(text, 'opentable_token', 4) });
      expect((h?.contents as MarkupContent).value).toContain(`✓ Granted to \`${AGENT}\` (Booking agent).`);
      expect(h?.range).toEqual({ start: pos(text, 'opentable_token'), end: pos(text, 'opentable_token', 15) });

      // Find All References: the configuration and the function's secret_vault read.
      const refs = await session.conn.sendRequest(ReferencesRequest.type, {
        textDocument: { uri: configUri },
        position: pos(text, 'opentable_token', 2),
        context: { includeDeclaration: true },
      });
      expect(refs?.map((l) => `${l.uri.slice(wsUri.length + 1)}:${l.range.start.line}:${l.range.start.character}`).sort()).toEqual([
        'booking/agent_settings/experimental_config.json:3:91',
        'booking/functions/lookup.py:5:26',
      ]);

      // Type a new field's value: completion inside the string, closing it.
      const typed = '"url": "u", "auth": { "secret_name": "goo';
      const insertAt = pos(text, '    ]');
      await session.conn.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri: configUri, version: 2 },
        contentChanges: [{ range: { start: insertAt, end: insertAt }, text: `      ,{ ${typed}\n` }],
      });
      text = text.slice(0, text.indexOf('    ]')) + `      ,{ ${typed}\n` + text.slice(text.indexOf('    ]'));
      const cursor = pos(text, typed, typed.length);
      const list = (await session.conn.sendRequest(CompletionRequest.type, {
        textDocument: { uri: configUri },
        position: cursor,
        context: { triggerKind: 2, triggerCharacter: '"' },
      })) as CompletionList;
      const item = list.items.find((i) => i.label === 'google_oauth');
      expect(item?.textEdit).toEqual({ range: { start: { line: cursor.line, character: cursor.character - 3 }, end: cursor }, newText: 'google_oauth"' });
      expect(list.items.slice(0, 3).map((i) => i.label)).toEqual(['google_oauth', 'opentable_token', 'sendgrid_api_key']);

      // Other JSON files are not the server's: no diagnostics, no completion.
      for (const rel of ['booking/agent_settings/other.json', 'scratch/agent_settings/experimental_config.json']) {
        const other = uri(rel);
        await session.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: other, languageId: 'json', version: 1, text: FILES[rel]! } });
        const report = (await session.conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: other } })) as FullDocumentDiagnosticReport;
        expect(report.items, rel).toEqual([]);
        const none = await session.conn.sendRequest(CompletionRequest.type, { textDocument: { uri: other }, position: { line: 0, character: 52 } });
        expect(none, rel).toBeNull();
      }

      // A developer gets a request instead of a grant.
      await session.conn.sendNotification(SnapshotNotification.type, { ...snapshotFor(uri('booking'), 'developer'), revision: 2 });
      await session.waitFor('refresh');
      const again = (await session.conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: configUri } })) as FullDocumentDiagnosticReport;
      const ng = again.items.find((d) => d.code === 'not-granted')!;
      const devActions = await session.conn.sendRequest(CodeActionRequest.type, { textDocument: { uri: configUri }, range: ng.range, context: { diagnostics: [ng] } });
      expect(devActions?.map((a) => a.title)).toEqual([`Request access for '${AGENT}' to 'stripe_key'…`]);

      expect(await session.stop()).toBe(0);
    } finally {
      session.kill();
    }
  });
});
