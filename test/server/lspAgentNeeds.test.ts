// What each agent's code may read (AgentNeedsRequest), for the Access review view: the bundled
// language server over stdio, a workspace of two ADK projects in their real layout (project.yaml,
// functions/, flows/*/functions/, _gen/ never read, a folder name with spaces, a configuration
// field) whose files are not open, plus a folder whose agent is chosen by the folder rule alone.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DidChangeTextDocumentNotification, DidOpenTextDocumentNotification } from 'vscode-languageserver-protocol/node';
import { AgentNeedsRequest, SnapshotNotification, type AgentNeeds, type VaultSnapshot } from '../../protocol/lsp';
import { buildServer, LspSession } from './lspHarness';
import { stripeKey } from '../helpers/credentialNames';

// A credential pasted where a name goes: a hardcoded-secret finding, never a needed name.
const PASTED = stripeKey();

let tmp: string;
let bundle: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'sv-lsp-needs-'));
  bundle = path.join(tmp, 'server.js');
  await buildServer(bundle);
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const HEADER = 'from _gen import *  # <AUTO GENERATED>\n\n';

const FILES: Record<string, string> = {
  'Support Line/project.yaml': 'project_id: PROJECT-WEVYLLDV\naccount_id: acme\nregion: euw-1\nproject_name: "Support Line"\n',
  'Support Line/functions/refund.py': `${HEADER}def refund(conv: Conversation):\n    key = conv.utils.get_secret('stripe_key')\n    return key\n`,
  // A computed name: sandbox and pre-release take one name, live another.
  'Support Line/flows/Billing Flow/functions/charge.py': `${HEADER}def charge(conv: Conversation, flow: Flow):\n    name = 'stripe_live' if conv.env == 'live' else 'stripe_key'\n    return conv.utils.get_secret(name)\n`,
  // Not determined by the code: may read any secret.
  'Support Line/functions/lookup.py': `${HEADER}def lookup(conv: Conversation, which: str):\n    return conv.utils.get_secret(f"crm_{which}")\n`,
  'Support Line/agent_settings/experimental_config.json': '{"webhooks": {"on_draft_published": [{"url": "https://example.com/hook", "auth": {"secret_name": "hook token"}}]}}\n',
  // Generated: never read (a copy of every function would count each read twice).
  'Support Line/_gen/stubs.py': "def stub(conv):\n    return conv.utils.get_secret('from_gen')\n",
  'billing/project.yaml': 'project_id: PROJECT-BILLING1\naccount_id: acme\nregion: euw-1\n',
  'billing/functions/start_function.py': `${HEADER}def start_function(conv: Conversation):\n    # conv.utils.get_secret('stripe_key') is a comment\n    return conv.utils.get_secret('${PASTED}')\n`,
};

function snapshot(root: string): VaultSnapshot {
  const uri = (rel: string) => pathToFileURL(path.join(root, rel)).href;
  return {
    revision: 1,
    connection: 'connected',
    namingStyle: 'snake_case',
    role: 'admin',
    secrets: [{ name: 'stripe_key', description: '', kind: 'single', keys: [], agents: ['PROJECT-WEVYLLDV', 'PROJECT-BILLING1'] }],
    agents: [{ id: 'PROJECT-BILLING1', name: 'Billing Desk' }],
    folders: [
      { folderUri: uri('Support Line'), agent: 'PROJECT-WEVYLLDV', name: 'Support Line' },
      { folderUri: uri('billing'), agent: 'PROJECT-BILLING1', name: null },
    ],
    defaultAgent: null,
    stale: null,
    environment: 'live',
  };
}

/** `name [envs] file:line …` per need, and the unresolved reads' places: what the view shows. */
function brief(rootUri: string, all: AgentNeeds[]): unknown {
  const at = (l: { uri: string; range: { start: { line: number } } }) => `${decodeURIComponent(l.uri.slice(rootUri.length + 1))}:${l.range.start.line}`;
  return all.map((a) => ({
    agent: `${a.agent} (${a.agentName})`,
    needs: a.needs.map((n) => `${n.name} [${n.environments?.join('+') ?? 'every'}] ${n.locations.map(at).join(' ')}`),
    unresolved: a.unresolved.map(at),
  }));
}

describe('language server over stdio: what each agent may read', () => {
  it('lists every agent of the workspace with its needed names, environments, places and unresolved reads', async () => {
    const root = path.join(tmp, 'ws');
    for (const [rel, text] of Object.entries(FILES)) {
      await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
      await writeFile(path.join(root, rel), text);
    }
    const rootUri = pathToFileURL(root).href;
    const session = LspSession.start(bundle, {});
    try {
      await session.initialize([{ uri: rootUri, name: 'ws' }], true);
      await session.conn.sendNotification(SnapshotNotification.type, snapshot(root));
      // The counts that follow the workspace's indexing (a busy machine may send the snapshot's own first).
      await session.waitFor('counts', (c) => c.params.counts.stripe_key === 2);
      const ask = () => session.conn.sendRequest(AgentNeedsRequest.type, {});
      expect(brief(rootUri, await ask())).toEqual([
        // Billing's code reads nothing (a comment is not a read): listed all the same, for its grants.
        { agent: 'PROJECT-BILLING1 (Billing Desk)', needs: [], unresolved: [] },
        {
          agent: 'PROJECT-WEVYLLDV (Support Line)',
          needs: [
            'hook token [every] Support Line/agent_settings/experimental_config.json:0',
            'stripe_key [every] Support Line/flows/Billing Flow/functions/charge.py:3 Support Line/functions/refund.py:3',
            'stripe_live [live] Support Line/flows/Billing Flow/functions/charge.py:3',
          ],
          unresolved: ['Support Line/functions/lookup.py:3'],
        },
      ]);
      const needs = await ask();
      expect(JSON.stringify(needs)).not.toContain(PASTED);
      const stripe = needs[1]!.needs.find((n) => n.name === 'stripe_key')!;
      // Each read keeps its own environments: the computed one is sandbox and pre-release only.
      expect(stripe.locations.map((l) => l.environments?.join('+') ?? 'every')).toEqual(['sandbox+pre-release', 'every']);

      // An open document counts as the editor has it: the refund no longer reads stripe_key, so only
      // the computed read's environments remain.
      const refund = `${rootUri}/${encodeURIComponent('Support Line')}/functions/refund.py`;
      await session.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: refund, languageId: 'python', version: 1, text: FILES['Support Line/functions/refund.py']! } });
      await session.conn.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri: refund, version: 2 },
        contentChanges: [{ text: `${HEADER}def refund(conv: Conversation):\n    return conv.utils.get_secret('stripe_k\n` }],
      });
      const after = (await ask())[1]!.needs.map((n) => `${n.name} [${n.environments?.join('+') ?? 'every'}]`);
      // A literal still being typed is not a read yet.
      expect(after).toEqual(['hook token [every]', 'stripe_key [sandbox+pre-release]', 'stripe_live [live]']);
      expect(await session.stop()).toBe(0);
    } finally {
      session.kill();
    }
  });
});
