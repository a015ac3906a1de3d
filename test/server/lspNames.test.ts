// Names as real accounts have them, as an editor meets them: the bundled server over
// stdio completes `Prod API Credentials` and a name with a quote inside `get_secret('` so that the
// string stays valid, reports a name off the convention as naming-convention (information), offers
// the vault's name for a case/spacing variant, and hovers name the agent by its display name.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CodeActionRequest,
  CompletionRequest,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  HoverRequest,
  type CompletionItem,
  type CompletionList,
  type MarkupContent,
  type Range,
  type TextEdit,
} from 'vscode-languageserver-protocol/node';
import { SnapshotNotification, type VaultSnapshot } from '../../protocol/lsp';
import { buildServer, LspSession } from './lspHarness';

let tmp: string;
let bundle: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'sv-lsp-names-'));
  bundle = path.join(tmp, 'server.js');
  await buildServer(bundle);
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const PROD = 'Prod API Credentials';
const QUOTED = "Bob's \"legacy\" key";

function snapshotFor(folderUri: string): VaultSnapshot {
  return {
    revision: 1,
    connection: 'connected',
    namingStyle: 'snake_case',
    role: 'admin',
    secrets: [
      { name: PROD, description: 'Field service API', kind: 'kv', keys: ['client_id', 'client_secret'], agents: ['PROJECT-DEMO0001'] },
      { name: QUOTED, description: '', kind: 'single', keys: [], agents: ['PROJECT-DEMO0001'] },
      { name: 'stripe_key', description: '', kind: 'single', keys: [], agents: ['PROJECT-DEMO0001'] },
    ],
    agents: [{ id: 'PROJECT-DEMO0001', name: 'Field Service Template' }],
    folders: [{ folderUri, agent: 'PROJECT-DEMO0001' }],
    defaultAgent: null,
    stale: null,
  };
}

/** The edit an editor applies for `item` of `list`. */
function editOf(list: CompletionList, item: CompletionItem): TextEdit {
  return (item.textEdit as TextEdit | undefined) ?? { range: list.itemDefaults!.editRange as Range, newText: item.label };
}

function applyLine(line: string, edit: TextEdit): string {
  return line.slice(0, edit.range.start.character) + edit.newText + line.slice(edit.range.end.character);
}

describe('language server over stdio: names as real accounts have them', () => {
  for (const pull of [true, false]) {
    it(`completes, checks, fixes and hovers them (${pull ? 'pull, shared item list' : 'push, items one by one'})`, async () => {
      const dir = path.join(tmp, pull ? 'pull' : 'push');
      await mkdir(dir, { recursive: true });
      const folder = pathToFileURL(dir).href;
      const uri = `${folder}/functions/main.py`;
      const session = LspSession.start(bundle, {});
      try {
        await session.initialize([{ uri: folder, name: 'names' }], pull);
        await session.conn.sendNotification(SnapshotNotification.type, snapshotFor(folder));
        const line = "    creds = conv.utils.get_secret('Prod API')";
        const text = `def f(conv):\n${line}\n`;
        await session.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'python', version: 1, text } });

        // Completion with `Prod API` typed (a space in it): the item replaces all of it and the editor's filter keeps it.
        const at = { line: 1, character: line.indexOf("')") };
        const list = (await session.conn.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: at })) as CompletionList;
        const prod = list.items.find((i) => i.label === PROD)!;
        expect((prod.filterText ?? prod.label).startsWith('Prod API')).toBe(true);
        expect(applyLine(line, editOf(list, prod))).toBe(`    creds = conv.utils.get_secret('${PROD}')`);
        // The name with quotes goes into '…' with its ' escaped, and is found by what is typed there.
        const quoted = list.items.find((i) => i.label === QUOTED)!;
        expect(applyLine(line, editOf(list, quoted))).toBe(`    creds = conv.utils.get_secret('Bob\\'s "legacy" key')`);
        expect(quoted.filterText).toBe(`Bob\\'s "legacy" key`);

        // Accepting both: naming-convention (information) on each, nothing else; the quote decoded.
        const fixed = `def f(conv):\n    creds = conv.utils.get_secret('${PROD}')['client_id']\n    old = conv.utils.get_secret('Bob\\'s "legacy" key')\n    typo = conv.utils.get_secret('prod_api_credentials')\n`;
        const mark = session.events.length;
        await session.conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: 2 }, contentChanges: [{ text: fixed }] });
        const diagnostics = pull
          ? ((await session.conn.sendRequest('textDocument/diagnostic', { textDocument: { uri } })) as { items: { code: string; severity: number; message: string; range: Range }[] }).items
          : (await session.waitFor('diagnostics', (e) => e.params.uri === uri && e.params.version === 2, mark)).params.diagnostics;
        expect(diagnostics.map((d) => [d.code, d.severity, d.range.start.line])).toEqual([
          ['naming-convention', 3, 1],
          ['naming-convention', 3, 2],
          ['unknown-secret', 1, 3],
        ]);
        expect(diagnostics[0]!.message).toContain("'prod_api_credentials'");
        expect(diagnostics[2]!.message).toBe(`Secret 'prod_api_credentials' does not exist in the vault. Did you mean '${PROD}'?`);

        // The quick fix puts the vault's name in, exactly.
        const actions = await session.conn.sendRequest(CodeActionRequest.type, {
          textDocument: { uri },
          range: diagnostics[2]!.range,
          context: { diagnostics: [diagnostics[2]!] as never },
        });
        const change = (actions ?? []).flatMap((a) => ('edit' in a && a.edit?.changes?.[uri]) || [])[0];
        expect(change?.newText).toBe(PROD);

        // The hover names the agent by id and display name.
        const hover = await session.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 1, character: 40 } });
        expect((hover?.contents as MarkupContent).value).toContain('Agents with access: `PROJECT-DEMO0001` (Field Service Template)');
      } finally {
        await session.stop();
      }
    });
  }
});
