// ADK projects in the extension without an editor (client/src/core/projects.ts): which folder rules
// the language server gets, which agent and project a file has, which project the Secrets view
// follows, how a project is named, and what is said and sent when the vault lacks its agent.

import { describe, expect, it } from 'vitest';
import type { Agent } from '../../protocol/api';
import {
  agentRequestNote,
  agentsRequestNote,
  createAgentBody,
  isMissingAgent,
  missingAgentNotice,
  MissingAgentPrompts,
  ProjectFocus,
  projectLabel,
  ProjectModel,
  projectPickItems,
  readConfigAgent,
  readManifest,
  repositoryNotice,
  type FolderInput,
  type ProjectEntry,
} from '../../client/src/core/projects';

const W = 'file:///work/repo';
const project = (rootUri: string, id: string, name: string | null = null): ProjectEntry => ({ rootUri, project: { id, name, accountId: 'acme', region: 'euw-1' } });
const folder = (folderUri: string, agent: string | null = null, explicit = false): FolderInput => ({ folderUri, agent, explicit });

const SUPPORT = project(`${W}/agents/support`, 'PROJECT-SUPPORT1', 'Support Line');
const BILLING = project(`${W}/agents/billing`, 'PROJECT-BILLING1', 'Billing');
const NESTED = project(`${W}/agents/support/sub`, 'PROJECT-NESTED01', null);

describe('secrets-vault.json', () => {
  it('names the agent as check reads it: as written, or none with why', () => {
    expect(readConfigAgent('{ "vault": "http://127.0.0.1:8787", "agent": "PROJECT-WEVYLLDV" }')).toEqual({ agent: 'PROJECT-WEVYLLDV' });
    expect(readConfigAgent('{ "vault": "http://127.0.0.1:8787" }')).toEqual({ agent: null });
    expect(readConfigAgent('{ "agent": " booking-agent " }')).toEqual({ agent: null, problem: expect.stringContaining('is not an agent id') });
    expect(readConfigAgent('{ "agent": ')).toEqual({ agent: null, problem: 'secrets-vault.json is not valid JSON; ignored.' });
  });
});

describe('project.yaml', () => {
  it('reads the project a real manifest describes', () => {
    const text = 'project_id: PROJECT-WEVYLLDV\naccount_id: acme-42\nregion: euw-1\nproject_name: "Field Service Template"\n';
    expect(readManifest(text)).toEqual({ project: { id: 'PROJECT-WEVYLLDV', name: 'Field Service Template', accountId: 'acme-42', region: 'euw-1' } });
  });

  it('gives a problem, never a throw, for broken YAML, no id, or an id that is not an agent id', () => {
    expect(readManifest('project_id: [unclosed\n')).toHaveProperty('problem');
    expect(readManifest('region: euw-1\n')).toEqual({ problem: 'project.yaml has no project_id.' });
    expect(readManifest('project_id: "not an id!"\n')).toHaveProperty('problem');
    expect(readManifest('')).toHaveProperty('problem');
    // A YAML bomb stops at the alias limit instead of expanding.
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(',')}]`)].join('\n');
    expect(readManifest(`${bomb}\nproject_id: PROJECT-BOMB0001\n`)).toEqual({ problem: expect.stringMatching(/alias/i) });
  });
});

describe('the folder rules the language server gets', () => {
  it('sends one rule per project root, with its name, after the workspace folders', () => {
    const model = new ProjectModel([folder(W)], [BILLING, SUPPORT]);
    expect(model.folderAgents()).toEqual([
      { folderUri: W, agent: null },
      { folderUri: `${W}/agents/billing`, agent: 'PROJECT-BILLING1', name: 'Billing' },
      { folderUri: `${W}/agents/support`, agent: 'PROJECT-SUPPORT1', name: 'Support Line' },
    ]);
  });

  it('omits the projects inside a folder with an explicit agent, and keeps those of other folders', () => {
    const other = 'file:///work/other';
    const inOther = project(`${other}/proj`, 'PROJECT-OTHER001', 'Other');
    const model = new ProjectModel([folder(W, 'booking-agent', true), folder(other)], [SUPPORT, inOther]);
    expect(model.folderAgents()).toEqual([
      { folderUri: W, agent: 'booking-agent' },
      { folderUri: other, agent: null },
      { folderUri: `${other}/proj`, agent: 'PROJECT-OTHER001', name: 'Other' },
    ]);
    expect(model.effective).toEqual([inOther]);
    expect(model.resolve(`${W}/agents/support/functions/a.py`)).toEqual({ agent: 'booking-agent', project: null, explicit: true });
  });

  it('lets a project win over the user-level agent (not explicit), and gives that agent to files outside projects', () => {
    const model = new ProjectModel([folder(W, 'user-default', false)], [SUPPORT]);
    expect(model.resolve(`${W}/agents/support/functions/a.py`)?.agent).toBe('PROJECT-SUPPORT1');
    expect(model.resolve(`${W}/scripts/tool.py`)?.agent).toBe('user-default');
  });

  it('makes a workspace folder that is a project root that project, in one rule', () => {
    const root = project(W, 'PROJECT-ROOT0001', 'Root');
    const model = new ProjectModel([folder(W)], [root, SUPPORT]);
    expect(model.folderAgents()).toEqual([
      { folderUri: W, agent: 'PROJECT-ROOT0001', name: 'Root' },
      { folderUri: `${W}/agents/support`, agent: 'PROJECT-SUPPORT1', name: 'Support Line' },
    ]);
    expect(model.resolve(`${W}/functions/x.py`)?.project).toEqual(root);
  });

  it('gives a folder opened inside a project (project.yaml above it) that project', () => {
    const inner = `${W}/agents/support/functions`;
    const model = new ProjectModel([folder(inner)], [SUPPORT]);
    expect(model.folderAgents()).toEqual([{ folderUri: inner, agent: 'PROJECT-SUPPORT1', name: 'Support Line' }]);
    expect(model.effective).toEqual([SUPPORT]);
  });

  it('resolves a file to its nearest project, segment by segment', () => {
    const model = new ProjectModel([folder(W)], [SUPPORT, NESTED, BILLING, project(`${W}/agents/support2`, 'PROJECT-SUPPORT2')]);
    expect(model.resolve(`${W}/agents/support/functions/a.py`)?.agent).toBe('PROJECT-SUPPORT1');
    expect(model.resolve(`${W}/agents/support/sub/flows/f/functions/b.py`)?.agent).toBe('PROJECT-NESTED01');
    expect(model.resolve(`${W}/agents/support2/functions/c.py`)?.agent).toBe('PROJECT-SUPPORT2');
    expect(model.resolve(`${W}/README.md`)).toEqual({ agent: null, project: null, explicit: false });
    expect(model.resolve('file:///elsewhere/x.py')).toBeNull();
  });

  it('sends a nested secrets-vault.json naming an agent as a rule that beats the projects below it, and only where it changes something', () => {
    const LEGACY = project(`${W}/agents/support/legacy/inner`, 'PROJECT-LEGACY01', 'Legacy');
    const configs = [
      { rootUri: `${W}/agents/support/legacy`, agent: 'legacy-agent' },
      // Says what the rule around it says: no rule of its own.
      { rootUri: `${W}/agents/support/legacy/again`, agent: 'legacy-agent' },
      // Without an agent, in a project: the project decides there, as around it.
      { rootUri: `${W}/agents/billing/tools`, agent: null },
    ];
    const model = new ProjectModel([folder(W)], [BILLING, SUPPORT, LEGACY], { configs });
    expect(model.folderAgents()).toEqual([
      { folderUri: W, agent: null },
      { folderUri: `${W}/agents/billing`, agent: 'PROJECT-BILLING1', name: 'Billing' },
      { folderUri: `${W}/agents/support`, agent: 'PROJECT-SUPPORT1', name: 'Support Line' },
      { folderUri: `${W}/agents/support/legacy`, agent: 'legacy-agent' },
    ]);
    // The project under the chosen agent applies nowhere: no picker entry, no missing-agent notice.
    expect(model.effective).toEqual([BILLING, SUPPORT]);
    expect(model.resolve(`${W}/agents/support/legacy/inner/functions/a.py`)).toEqual({ agent: 'legacy-agent', project: null, explicit: true });
    expect(model.resolve(`${W}/agents/billing/tools/t.py`)).toEqual({ agent: 'PROJECT-BILLING1', project: BILLING, explicit: false });
  });

  it('lets a nearer secrets-vault.json without an agent hide the folder’s own: the project above decides, else none', () => {
    const model = new ProjectModel([folder(W, 'user-default', false)], [SUPPORT], {
      configs: [
        { rootUri: W, agent: 'root-agent' },
        { rootUri: `${W}/agents/support/sub`, agent: null },
        { rootUri: `${W}/tools`, agent: null },
      ],
    });
    expect(model.folderAgents()).toEqual([
      { folderUri: W, agent: 'root-agent' },
      { folderUri: `${W}/agents/support/sub`, agent: 'PROJECT-SUPPORT1', name: 'Support Line' },
      // Nothing decides there: the user-level agent.
      { folderUri: `${W}/tools`, agent: 'user-default' },
    ]);
    expect(model.resolve(`${W}/agents/support/functions/a.py`)).toEqual({ agent: 'root-agent', project: null, explicit: true });
    expect(model.effective).toEqual([SUPPORT]);
  });

  it('gives the files of a project.yaml that cannot be used no agent, not an outer project’s', () => {
    const OUTER = project(`${W}/outer`, 'PROJECT-OUTERAAA');
    const model = new ProjectModel([folder(W, 'user-default', false)], [OUTER], { unusableProjects: [`${W}/outer/broken`] });
    expect(model.folderAgents()).toEqual([
      { folderUri: W, agent: 'user-default' },
      { folderUri: `${W}/outer`, agent: 'PROJECT-OUTERAAA', name: null },
      { folderUri: `${W}/outer/broken`, agent: null },
    ]);
  });

  it('lets a folder’s agent chosen in its settings win over every secrets-vault.json and project inside', () => {
    const model = new ProjectModel([folder(W, 'set-agent', true)], [SUPPORT], { configs: [{ rootUri: `${W}/agents`, agent: 'legacy-agent' }] });
    expect(model.folderAgents()).toEqual([{ folderUri: W, agent: 'set-agent' }]);
    expect(model.resolve(`${W}/agents/support/a.py`)?.agent).toBe('set-agent');
  });

  it('keeps one project per root (a trailing slash is the same root)', () => {
    const model = new ProjectModel([folder(W)], [SUPPORT, { ...SUPPORT, rootUri: `${SUPPORT.rootUri}/` }]);
    expect(model.projects).toHaveLength(1);
  });
});

describe('the project the Secrets view follows', () => {
  const model = new ProjectModel([folder(W)], [BILLING, SUPPORT]);

  it('before any file of a repository of projects: none (not the first found); then the active file’s, kept while editors are not workspace files', () => {
    const focus = new ProjectFocus();
    expect(focus.current(model)).toEqual({ agent: null, project: null, explicit: false });
    focus.editorFile(`${W}/agents/support/functions/a.py`, model);
    expect(focus.current(model)).toEqual({ agent: 'PROJECT-SUPPORT1', project: SUPPORT, explicit: false });
    expect(focus.lastUsed).toBe(SUPPORT.rootUri);
    // A file outside every project: the folder's (no) agent; the project last used is still remembered.
    focus.editorFile(`${W}/README.md`, model);
    expect(focus.current(model).agent).toBeNull();
    expect(focus.lastUsed).toBe(SUPPORT.rootUri);
  });

  it('before any file, the project last used in the workspace (a file or a pick), when it is still there', () => {
    expect(new ProjectFocus(BILLING.rootUri).current(model)).toEqual({ agent: 'PROJECT-BILLING1', project: BILLING, explicit: false });
    expect(new ProjectFocus(`${W}/agents/gone`).current(model).project).toBeNull();
    const focus = new ProjectFocus();
    focus.pin(SUPPORT.rootUri);
    expect(focus.lastUsed).toBe(SUPPORT.rootUri);
  });

  it('takes the last file’s project as the one used once the projects are known', () => {
    const focus = new ProjectFocus();
    focus.editorFile(`${W}/agents/billing/functions/b.py`, new ProjectModel([folder(W)], []));
    expect(focus.lastUsed).toBeNull();
    focus.projectsChanged(model);
    expect(focus.lastUsed).toBe(BILLING.rootUri);
  });

  it('before any file of a workspace with one project: that project', () => {
    const one = new ProjectModel([folder(W)], [SUPPORT]);
    expect(new ProjectFocus().current(one)).toEqual({ agent: 'PROJECT-SUPPORT1', project: SUPPORT, explicit: false });
  });

  it('stays on the project picked until the editor moves to another project’s file', () => {
    const focus = new ProjectFocus();
    focus.editorFile(`${W}/agents/support/functions/a.py`, model);
    focus.pin(BILLING.rootUri);
    expect(focus.current(model).project).toEqual(BILLING);
    // The same project's file, or a file outside projects, keeps the pick.
    focus.editorFile(`${W}/agents/billing/functions/b.py`, model);
    focus.editorFile(`${W}/README.md`, model);
    expect(focus.current(model).project).toEqual(BILLING);
    focus.editorFile(`${W}/agents/support/functions/a.py`, model);
    expect(focus.pinnedRoot).toBeNull();
    expect(focus.current(model).project).toEqual(SUPPORT);
  });

  it('drops a pick whose project.yaml is gone', () => {
    const focus = new ProjectFocus();
    focus.pin(SUPPORT.rootUri);
    expect(focus.current(new ProjectModel([folder(W)], [BILLING])).project).toEqual(BILLING);
    expect(focus.current(new ProjectModel([folder(W)], [BILLING, NESTED])).project).toBeNull();
  });

  it('leaves a pick for a file whose agent a secrets-vault.json chooses', () => {
    const withConfig = new ProjectModel([folder(W)], [BILLING, SUPPORT], { configs: [{ rootUri: `${W}/legacy`, agent: 'legacy-agent' }] });
    const focus = new ProjectFocus();
    focus.pin(BILLING.rootUri);
    focus.editorFile(`${W}/legacy/old.py`, withConfig);
    expect(focus.pinnedRoot).toBeNull();
    expect(focus.current(withConfig)).toEqual({ agent: 'legacy-agent', project: null, explicit: true });
  });

  it('with a folder agent chosen, the first folder’s agent before any file (as without projects)', () => {
    const focus = new ProjectFocus();
    expect(focus.current(new ProjectModel([folder(W, 'booking-agent', true)], [SUPPORT])).agent).toBe('booking-agent');
  });
});

describe('how a project is named', () => {
  it('is `Name (PROJECT-ID)`, or the id alone; someone else’s text is made inert', () => {
    expect(projectLabel(SUPPORT.project)).toBe('Support Line (PROJECT-SUPPORT1)');
    expect(projectLabel(NESTED.project)).toBe('PROJECT-NESTED01');
    expect(projectLabel({ ...SUPPORT.project, name: 'Evil\u202Eeman' })).toBe('Evil\\u202eeman (PROJECT-SUPPORT1)');
  });

  it('lists projects for the picker: name, id (current marked), folder; `$(` stays text', () => {
    const items = projectPickItems([SUPPORT, project(`${W}/x`, 'PROJECT-ICONS001', '$(check) ok')], SUPPORT.rootUri, (u) => u.slice(W.length + 1));
    expect(items).toEqual([
      { label: 'Support Line', description: 'PROJECT-SUPPORT1 (current)', detail: 'agents/support', rootUri: SUPPORT.rootUri },
      { label: '\\$(check) ok', description: 'PROJECT-ICONS001', detail: 'x', rootUri: `${W}/x` },
    ]);
  });
});

describe('a project whose agent the vault does not know', () => {
  const agent = (id: string): Agent => ({ id, name: id, description: '', createdAt: '2026-01-01T00:00:00.000Z' });

  it('is missing unless the vault has the id (in any case: the vault holds one agent per id whatever its case)', () => {
    expect(isMissingAgent('PROJECT-SUPPORT1', [agent('booking-agent')])).toBe(true);
    expect(isMissingAgent('PROJECT-SUPPORT1', [agent('PROJECT-SUPPORT1')])).toBe(false);
    expect(isMissingAgent('PROJECT-SUPPORT1', [agent('project-support1')])).toBe(false);
  });

  it('creates the agent with project.yaml’s id and name, which the vault can take', () => {
    expect(createAgentBody(SUPPORT.project)).toEqual({ id: 'PROJECT-SUPPORT1', name: 'Support Line' });
    expect(createAgentBody(NESTED.project)).toEqual({ id: 'PROJECT-NESTED01' });
    expect(createAgentBody({ ...SUPPORT.project, name: 'x'.repeat(150) }).name).toHaveLength(100);
    expect(createAgentBody({ ...SUPPORT.project, name: '  Two\n lines  ' })).toEqual({ id: 'PROJECT-SUPPORT1', name: 'Two lines' });
    // A name the vault would refuse (an invisible character): the id alone.
    expect(createAgentBody({ ...SUPPORT.project, name: 'Sup\u200Bport' })).toEqual({ id: 'PROJECT-SUPPORT1' });
  });

  it('asks admins to create it and tells the others to ask an admin', () => {
    expect(missingAgentNotice(SUPPORT.project, 'admin')).toEqual({
      message: "This folder is the Agent Studio project 'Support Line' (PROJECT-SUPPORT1), which the vault does not know yet. Create the agent so that its functions can be given secrets?",
      actions: ['Create Agent', 'Not Now'],
    });
    // In a workspace of several projects the folder is not the project: where it is.
    expect(missingAgentNotice(SUPPORT.project, 'admin', 'agents/support').message).toBe(
      "The Agent Studio project 'Support Line' (PROJECT-SUPPORT1) in agents/support is not an agent the vault knows yet. Create the agent so that its functions can be given secrets?",
    );
    expect(missingAgentNotice(NESTED.project, 'developer')).toEqual({
      message: 'This folder is the Agent Studio project (PROJECT-NESTED01), which the vault does not know yet. Ask an admin to create the agent.',
      actions: ['Copy Request'],
    });
  });

  it('speaks of the repository when it holds several projects: how many, their names, which agents are missing', () => {
    const field = { id: 'PROJECT-WEVYLLDV', name: 'ADK - Field Service Template', accountId: 'acme', region: 'euw-1' };
    const five = [field, SUPPORT.project, BILLING.project, NESTED.project, { ...field, id: 'PROJECT-QX7LM2PA', name: 'Night Desk' }];
    expect(repositoryNotice(five, [field, NESTED.project], 'admin', 'folder')).toEqual({
      message:
        "This folder holds 5 Agent Studio projects: 'ADK - Field Service Template', 'Support Line', 'Billing', PROJECT-NESTED01 and 'Night Desk'. The vault does not know the agents of 2 of them yet (PROJECT-WEVYLLDV and PROJECT-NESTED01). Create the 2 agents so that their functions can be given secrets?",
      actions: ['Create Agents', 'Not Now'],
    });
    const many = Array.from({ length: 9 }, (_, i) => ({ ...field, id: `PROJECT-MANY000${i}`, name: `Desk ${i}` }));
    expect(repositoryNotice(many, many.slice(0, 7), 'developer', 'folder').message).toBe(
      "This folder holds 9 Agent Studio projects: 'Desk 0', 'Desk 1', 'Desk 2', 'Desk 3', 'Desk 4' and 4 more. The vault does not know the agents of 7 of them yet (PROJECT-MANY0000, PROJECT-MANY0001, PROJECT-MANY0002, PROJECT-MANY0003, PROJECT-MANY0004 and 2 more). Ask an admin to create them.",
    );
    expect(repositoryNotice([SUPPORT.project, BILLING.project], [BILLING.project], 'developer', 'workspace')).toEqual({
      message: "This workspace holds 2 Agent Studio projects: 'Support Line' and 'Billing'. The vault does not know the agent of Billing (PROJECT-BILLING1) yet. Ask an admin to create it.",
      actions: ['Copy Request'],
    });
    expect(repositoryNotice([SUPPORT.project, BILLING.project], [BILLING.project], 'admin', 'folder')).toEqual({
      message:
        "This folder holds 2 Agent Studio projects: 'Support Line' and 'Billing'. The vault does not know the agent of Billing (PROJECT-BILLING1) yet. Create the agent so that its functions can be given secrets?",
      actions: ['Create Agent', 'Not Now'],
    });
    expect(repositoryNotice([SUPPORT.project, BILLING.project], [SUPPORT.project, BILLING.project], 'admin', 'folder').message).toContain(
      'The vault knows none of their agents yet (PROJECT-SUPPORT1 and PROJECT-BILLING1). Create the 2 agents',
    );
  });

  it('copies one request for the agents of several projects', () => {
    const note = agentsRequestNote([
      { project: SUPPORT.project, folder: 'agents/support' },
      { project: NESTED.project, folder: 'agents/support/sub' },
    ]);
    expect(note.clipboard).toBe(
      [
        "Agent request: please create these 2 agents in the vault; the Agent Studio projects' functions need them before they can be given secrets.",
        "- 'PROJECT-SUPPORT1' (Support Line): the project in agents/support",
        "- 'PROJECT-NESTED01': the project in agents/support/sub",
        'An admin can run:',
        "  secrets-vault agents create PROJECT-SUPPORT1 --name 'Support Line'",
        '  secrets-vault agents create PROJECT-NESTED01',
      ].join('\n'),
    );
    expect(note.notice).toBe('Copied a request for 2 agents for an admin.');
    expect(agentsRequestNote([{ project: SUPPORT.project, folder: 'agents/support' }])).toEqual(agentRequestNote(SUPPORT.project, 'agents/support'));
  });

  it('copies a request an admin can act on, with the name quoted for a shell', () => {
    const note = agentRequestNote({ ...SUPPORT.project, name: "Bob's $(whoami) line" }, 'agents/support');
    expect(note.clipboard).toBe(
      [
        "Agent request: please create the agent 'PROJECT-SUPPORT1' (Bob's $(whoami) line) in the vault.",
        'It is the Agent Studio project in agents/support; its functions need it before they can be given secrets.',
        "An admin can run: secrets-vault agents create PROJECT-SUPPORT1 --name 'Bob'\\''s $(whoami) line'",
      ].join('\n'),
    );
    expect(note.notice).toBe("Copied a request for the agent 'PROJECT-SUPPORT1' for an admin.");
  });

  it('asks once per project per window', () => {
    const prompts = new MissingAgentPrompts();
    expect(prompts.take('PROJECT-SUPPORT1')).toBe(true);
    expect(prompts.take('PROJECT-SUPPORT1')).toBe(false);
    expect(prompts.take('PROJECT-BILLING1')).toBe(true);
  });
});
