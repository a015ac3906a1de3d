// Run / Debug as agent lenses in an Agent Development Kit project, over stdio: the runtime fixture
// project (test/fixtures/adk-runtime, laid out as `poly pull` leaves it) copied into a workspace,
// its folder rules found as the extension finds them (client/src/core/projects.ts), sent to the
// bundled language server. Every platform function has its lenses whether or not it reads a
// secret, titled with the project's agent and the chosen environment; helpers beside them have
// none; a file outside the project keeps the old rule; a change of environment refreshes them.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CodeLensRequest, DidOpenTextDocumentNotification } from 'vscode-languageserver-protocol/node';
import { Commands, DeltaNotification, SnapshotNotification, UsagesRequest, type RunFunctionArgs, type VaultSnapshot } from '../../protocol/lsp';
import { ProjectModel, readManifest } from '../../client/src/core/projects';
import { buildServer, LspSession } from './lspHarness';

let tmp: string;
let bundle: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'sv-lsp-adk-lens-'));
  bundle = path.join(tmp, 'server.js');
  await buildServer(bundle);
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const FIXTURE = path.join(__dirname, '..', 'fixtures', 'adk-runtime');

describe('language server over stdio: Run / Debug lenses on ADK functions', () => {
  it('on every platform function of the project, with its agent and environment; refreshed when the environment changes', async () => {
    const root = path.join(tmp, 'ws');
    const project = path.join(root, 'agents', 'runtime');
    await cp(FIXTURE, project, { recursive: true });
    // A script outside the project: the old rule (a conv function that reads a secret).
    await mkdir(path.join(root, 'scripts'), { recursive: true });
    await writeFile(path.join(root, 'scripts', 'tool.py'), "def tool(conv):\n    return conv.utils.get_secret('booking_creds')\n\n\ndef quiet(conv):\n    return 1\n");
    const rootUri = pathToFileURL(root).href;
    const projectUri = pathToFileURL(project).href;
    const manifest = readManifest(await readFile(path.join(project, 'project.yaml'), 'utf8'));
    if ('problem' in manifest) throw new Error(manifest.problem);
    const rules = new ProjectModel([{ folderUri: rootUri, agent: null, explicit: false }], [{ rootUri: projectUri, project: manifest.project }], { configs: [] }).folderAgents();
    expect(rules).toEqual([
      { folderUri: rootUri, agent: null },
      { folderUri: projectUri, agent: 'PROJECT-RUNTIME1', name: 'Runtime fixture' },
    ]);
    const snapshot = (environment: string): VaultSnapshot => ({
      revision: 1,
      connection: 'connected',
      namingStyle: 'snake_case',
      role: 'admin',
      secrets: [{ name: 'booking_creds', description: '', kind: 'kv', keys: ['API_KEY', 'BASE_URL'], agents: ['PROJECT-RUNTIME1'] }],
      // The vault names the agent by its id only: the lens shows the project's name.
      agents: [{ id: 'PROJECT-RUNTIME1', name: 'PROJECT-RUNTIME1' }],
      folders: [...rules],
      defaultAgent: null,
      stale: null,
      environment,
    });

    const session = LspSession.start(bundle, {});
    try {
      await session.initialize([{ uri: rootUri, name: 'ws' }], true);
      await session.conn.sendNotification(SnapshotNotification.type, snapshot('live'));
      await session.waitFor('counts');
      const open = async (rel: string) => {
        const uri = pathToFileURL(path.join(root, rel)).href;
        const text = await readFile(path.join(root, rel), 'utf8');
        await session.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'python', version: 1, text } });
        return uri;
      };
      const lenses = async (uri: string) =>
        ((await session.conn.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) ?? []).map((l) => ({
          line: l.range.start.line,
          title: l.command!.title,
          command: l.command!.command,
          args: l.command!.arguments![0] as RunFunctionArgs,
        }));

      const kinds: Array<[string, string, RunFunctionArgs['adk']]> = [
        ['agents/runtime/functions/lookup_order.py', 'lookup_order', 'global'],
        ['agents/runtime/functions/start_function.py', 'start_function', 'lifecycle'],
        // Reads no secret: still has its lens.
        ['agents/runtime/functions/end_function.py', 'end_function', 'lifecycle'],
        ['agents/runtime/flows/booking/functions/confirm_booking.py', 'confirm_booking', 'flow function'],
        ['agents/runtime/flows/booking/function_steps/check_availability.py', 'check_availability', 'function step'],
      ];
      for (const [rel, name, kind] of kinds) {
        const uri = await open(rel);
        const found = await lenses(uri);
        const text = await readFile(path.join(root, rel), 'utf8');
        const line = text.split('\n').findIndex((l) => l.startsWith(`def ${name}(`));
        const args: RunFunctionArgs = { uri, name, line, agent: 'PROJECT-RUNTIME1', adk: kind, environment: 'live' };
        expect(found, rel).toEqual([
          { line, title: '▶ Run as Runtime fixture (live)', command: Commands.runFunction, args },
          { line, title: 'Debug as Runtime fixture (live)', command: Commands.debugFunction, args },
        ]);
      }
      // Helpers in the function folders: a module of helpers, and the other functions of a file
      // (careless.py's with_own_utils and read_payments.py's two others read secrets: no lens).
      expect(await lenses(await open('agents/runtime/functions/helpers.py'))).toEqual([]);
      expect(await lenses(await open('agents/runtime/flows/booking/functions/availability.py'))).toEqual([]);
      expect((await lenses(await open('agents/runtime/functions/read_payments.py'))).map((l) => `${l.args.name} ${l.title}`)).toEqual([
        'read_payments ▶ Run as Runtime fixture (live)',
        'read_payments Debug as Runtime fixture (live)',
      ]);
      // Outside the project: the old rule, no environment in the title.
      const tool = await open('scripts/tool.py');
      expect((await lenses(tool)).map((l) => [l.title, l.args])).toEqual([
        ['▶ Run as agent…', { uri: tool, name: 'tool', line: 0, agent: null }],
        ['Debug as agent…', { uri: tool, name: 'tool', line: 0, agent: null }],
      ]);

      // The environment changes to all: the editor is asked for lenses again; each run will ask which.
      const mark = session.events.length;
      await session.conn.sendNotification(DeltaNotification.type, { baseRevision: 1, revision: 2, changes: [{ kind: 'context', environment: 'all' }] });
      await session.waitFor('lensRefresh', undefined, mark);
      const step = pathToFileURL(path.join(root, 'agents/runtime/flows/booking/function_steps/check_availability.py')).href;
      expect((await lenses(step)).map((l) => [l.title, l.args.environment])).toEqual([
        ['▶ Run as Runtime fixture (choose environment)', 'all'],
        ['Debug as Runtime fixture (choose environment)', 'all'],
      ]);
      // An agent chosen for the whole folder (a setting or a secrets-vault.json): the client sends no
      // rule for the project, and the server finds its project.yaml on disk.
      await session.conn.sendNotification(DeltaNotification.type, { baseRevision: 2, revision: 3, changes: [{ kind: 'context', folders: [{ folderUri: rootUri, agent: 'PROJECT-RUNTIME1' }] }] });
      await session.conn.sendRequest(UsagesRequest.type, { name: 'nothing' });
      expect((await lenses(step)).map((l) => [l.title, l.args.adk])).toEqual([
        ['▶ Run as PROJECT-RUNTIME1 (choose environment)', 'function step'],
        ['Debug as PROJECT-RUNTIME1 (choose environment)', 'function step'],
      ]);
      const global = pathToFileURL(path.join(root, 'agents/runtime/functions/start_function.py')).href;
      expect((await lenses(global)).map((l) => l.args.adk)).toEqual(['lifecycle', 'lifecycle']);
      expect(await lenses(pathToFileURL(path.join(root, 'agents/runtime/functions/helpers.py')).href)).toEqual([]);
      expect(await session.stop()).toBe(0);
    } finally {
      session.kill();
    }
  });
});
