// ADK projects as the editor meets them: the extension's folder rules (client/src/core/projects.ts,
// from real project.yaml files in a temporary workspace) sent to the bundled language server over
// stdio. Each project's files are checked against their own agent, a project under a
// secrets-vault.json naming an agent (a folder's own, or one nested inside a project) uses that
// agent, the rules arriving later re-check the workspace, and hovers name a project's agent by its
// project_name when the vault has no name for it.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DidOpenTextDocumentNotification, HoverRequest, WorkspaceDiagnosticRequest, type MarkupContent } from 'vscode-languageserver-protocol/node';
import { DeltaNotification, SnapshotNotification, UsagesRequest, type FolderAgent, type VaultSnapshot } from '../../protocol/lsp';
import { ProjectModel, readConfigAgent, readManifest, type ConfigEntry, type FolderInput, type ProjectEntry } from '../../client/src/core/projects';
import { buildServer, LspSession } from './lspHarness';

let tmp: string;
let bundle: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'sv-lsp-projects-'));
  bundle = path.join(tmp, 'server.js');
  await buildServer(bundle);
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const HEADER = 'from _gen import *  # <AUTO GENERATED>\n\n';
const READS = (fn: string, ...names: string[]) =>
  `${HEADER}def ${fn}(conv: Conversation):\n${names.map((n) => `    conv.utils.get_secret('${n}')\n`).join('')}    return None\n`;

/**
 * Two projects in one workspace folder (one holding a folder whose secrets-vault.json names an
 * agent), and a second folder with its own agent holding a third.
 */
const FILES: Record<string, string> = {
  'repo/agents/support/project.yaml': 'project_id: PROJECT-SUPPORT1\naccount_id: acme\nregion: euw-1\nproject_name: "Support Line"\n',
  'repo/agents/support/functions/refund.py': READS('refund', 'stripe_key', 'zendesk_token'),
  'repo/agents/billing/project.yaml': 'project_id: PROJECT-BILLING1\naccount_id: acme\nregion: euw-1\nproject_name: Billing Desk\n',
  'repo/agents/billing/functions/charge.py': READS('charge', 'stripe_key'),
  'repo/agents/support/legacy/secrets-vault.json': '{ "agent": "booking-agent" }\n',
  'repo/agents/support/legacy/old.py': READS('old', 'stripe_key'),
  'other/secrets-vault.json': '{ "agent": "booking-agent" }\n',
  'other/proj/project.yaml': 'project_id: PROJECT-OTHER001\naccount_id: acme\nregion: euw-1\n',
  'other/proj/functions/book.py': READS('book', 'stripe_key'),
};

function snapshot(folders: FolderAgent[], revision = 1): VaultSnapshot {
  return {
    revision,
    connection: 'connected',
    namingStyle: 'snake_case',
    role: 'admin',
    secrets: [
      { name: 'stripe_key', description: 'Payments', kind: 'single', keys: [], agents: ['PROJECT-SUPPORT1'] },
      { name: 'zendesk_token', description: '', kind: 'single', keys: [], agents: ['PROJECT-SUPPORT1'] },
    ],
    // The vault knows the support project's agent without a name, and not the billing one at all.
    agents: [
      { id: 'PROJECT-SUPPORT1', name: 'PROJECT-SUPPORT1' },
      { id: 'booking-agent', name: 'booking-agent' },
    ],
    folders,
    defaultAgent: null,
    stale: null,
  };
}

/** What the extension finds: each project.yaml and secrets-vault.json read as discovery reads it. */
async function discover(root: string): Promise<{ projects: ProjectEntry[]; configs: ConfigEntry[] }> {
  const projects: ProjectEntry[] = [];
  const configs: ConfigEntry[] = [];
  for (const rel of Object.keys(FILES)) {
    const rootUri = pathToFileURL(path.join(root, path.dirname(rel))).href;
    const text = await readFile(path.join(root, rel), 'utf8');
    if (rel.endsWith('/secrets-vault.json')) configs.push({ rootUri, agent: readConfigAgent(text).agent });
    if (!rel.endsWith('/project.yaml')) continue;
    const read = readManifest(text);
    if ('problem' in read) throw new Error(read.problem);
    projects.push({ rootUri, project: read.project });
  }
  return { projects, configs };
}

describe('language server over stdio: ADK projects', () => {
  it('checks each project’s files against its own agent, and those under a secrets-vault.json naming an agent against that agent', async () => {
    const root = path.join(tmp, 'ws');
    for (const [rel, text] of Object.entries(FILES)) {
      await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
      await writeFile(path.join(root, rel), text);
    }
    const repo = pathToFileURL(path.join(root, 'repo')).href;
    const other = pathToFileURL(path.join(root, 'other')).href;
    // As the extension resolves them: no agent setting; other's secrets-vault.json chooses one.
    const folders: FolderInput[] = [
      { folderUri: repo, agent: null, explicit: false },
      { folderUri: other, agent: null, explicit: false },
    ];
    const found = await discover(root);
    // Before discovery ends, the folders' own secrets-vault.json files only (folders.ts reads them).
    const first = new ProjectModel(folders, [], { configs: found.configs.filter((c) => c.rootUri === other) });
    expect(first.folderAgents()).toEqual([
      { folderUri: repo, agent: null },
      { folderUri: other, agent: 'booking-agent' },
    ]);
    const model = new ProjectModel(folders, found.projects, { configs: found.configs });
    expect(model.folderAgents()).toEqual([
      { folderUri: repo, agent: null },
      { folderUri: other, agent: 'booking-agent' },
      { folderUri: `${repo}/agents/billing`, agent: 'PROJECT-BILLING1', name: 'Billing Desk' },
      { folderUri: `${repo}/agents/support`, agent: 'PROJECT-SUPPORT1', name: 'Support Line' },
      { folderUri: `${repo}/agents/support/legacy`, agent: 'booking-agent' },
    ]);

    const session = LspSession.start(bundle, {});
    try {
      await session.initialize(
        [
          { uri: repo, name: 'repo' },
          { uri: other, name: 'other' },
        ],
        true,
      );
      // First the workspace folders alone (as before projects are found), then the projects' rules.
      await session.conn.sendNotification(SnapshotNotification.type, snapshot([...first.folderAgents()]));
      await session.waitFor('counts');
      const rel = (uri: string) => uri.slice(pathToFileURL(root).href.length + 1);
      const ids = new Map<string, string>();
      const pull = async () => {
        const report = await session.conn.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: [...ids].map(([uri, value]) => ({ uri, value })) });
        for (const item of report.items) ids.set(item.uri, item.resultId!);
        return Object.fromEntries(
          report.items.filter((i) => i.kind === 'full').map((i) => [rel(i.uri), i.kind === 'full' ? i.items.map((d) => `${String(d.code)}: ${d.message}`) : []]),
        );
      };
      const before = await pull();
      // No agent for the repo's files yet: nothing is judged against an agent there.
      expect(before['repo/agents/billing/functions/charge.py']).toEqual([]);
      expect(before['repo/agents/support/legacy/old.py']).toEqual([]);
      expect(before['other/proj/functions/book.py']).toEqual([
        "not-granted: Secret 'stripe_key' is not granted to agent 'booking-agent' (granted to: PROJECT-SUPPORT1).",
      ]);

      const mark = session.events.length;
      await session.conn.sendNotification(DeltaNotification.type, { baseRevision: 1, revision: 2, changes: [{ kind: 'context', folders: [...model.folderAgents()] }] });
      await session.conn.sendRequest(UsagesRequest.type, { name: 'nothing' });
      await session.waitFor('refresh', undefined, mark);
      const after = await pull();
      expect(after['repo/agents/billing/functions/charge.py']).toEqual([
        "not-granted: Secret 'stripe_key' is not granted to agent 'PROJECT-BILLING1' (granted to: PROJECT-SUPPORT1).",
      ]);
      // The support project's file is clean under its own agent (a full report only if it changed: it did not).
      expect(after['repo/agents/support/functions/refund.py'] ?? []).toEqual([]);
      // Inside that project, the folder whose secrets-vault.json names an agent is held to that agent.
      expect(after['repo/agents/support/legacy/old.py']).toEqual([
        "not-granted: Secret 'stripe_key' is not granted to agent 'booking-agent' (granted to: PROJECT-SUPPORT1).",
      ]);
      // The folder's secrets-vault.json still wins over the project inside it: unchanged, so not reported again.
      expect(after['other/proj/functions/book.py']).toBeUndefined();

      // Hovers name a project's agent by its project_name when the vault's list has none.
      const charge = `${repo}/agents/billing/functions/charge.py`;
      const text = FILES['repo/agents/billing/functions/charge.py']!;
      await session.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: charge, languageId: 'python', version: 1, text } });
      const line = text.split('\n').findIndex((l) => l.includes('stripe_key'));
      const hover = await session.conn.sendRequest(HoverRequest.type, { textDocument: { uri: charge }, position: { line, character: text.split('\n')[line]!.indexOf('stripe_key') + 2 } });
      const value = (hover?.contents as MarkupContent).value;
      expect(value).toContain('✗ Not granted to `PROJECT-BILLING1` (Billing Desk).');
      expect(value).toContain('Agents with access: `PROJECT-SUPPORT1` (Support Line)');
      expect(await session.stop()).toBe(0);
    } finally {
      session.kill();
    }
  });
});
