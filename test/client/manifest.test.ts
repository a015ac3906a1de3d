// The manifest against the code: every command the extension registers is contributed (with the
// category and an icon) and the other way round, menus name real commands, welcome content and
// menus use the context keys the extension sets, and the snippet files parse.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Commands } from '../../protocol/lsp';

const root = path.resolve(__dirname, '../..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const source = (f: string) => readFileSync(path.join(root, 'client/src', f), 'utf8');

/** Command ids in the table: `'secretsVault.x':` keys and `[Commands.x]:` keys. */
function registeredCommands(): string[] {
  const table = source('commands.ts');
  const literal = [...table.matchAll(/^\s{4}'(secretsVault\.[A-Za-z]+)':/gm)].map((m) => m[1]!);
  const fromProtocol = [...table.matchAll(/^\s{4}\[Commands\.(\w+)\]:/gm)].map((m) => Commands[m[1] as keyof typeof Commands]);
  return [...literal, ...fromProtocol].sort();
}

describe('the extension manifest', () => {
  const contributed: { command: string; title: string; category: string; icon?: string; enablement?: string }[] = pkg.contributes.commands;
  const contributedCommand = (id: string) => contributed.find((c) => c.command === id)!;

  it('contributes exactly the commands the extension registers, each with the category and an icon', () => {
    const registered = registeredCommands();
    expect(registered.length).toBeGreaterThan(15);
    expect(contributed.map((c) => c.command).sort()).toEqual(registered);
    for (const c of contributed) {
      expect(c.category).toBe('Secrets Vault');
      expect(c.icon).toMatch(/^\$\([a-z-]+\)$/);
    }
  });

  it('gives every command a palette when clause, and menus name only contributed commands', () => {
    const ids = new Set(contributed.map((c) => c.command));
    const palette: { command: string; when: string }[] = pkg.contributes.menus.commandPalette;
    expect(palette.map((p) => p.command).sort()).toEqual([...ids].sort());
    for (const menu of Object.values(pkg.contributes.menus) as { command: string }[][]) {
      for (const entry of menu) expect(ids.has(entry.command)).toBe(true);
    }
  });

  it('uses only context keys the extension sets', () => {
    // The keys ContextKeys sets: the fields of its ContextValues, which ctx.ts must fill (typed).
    const set = new Set([...source('contextKeys.ts').matchAll(/^\s+'(secretsVault\.\w+)':/gm)].map((m) => m[1]!));
    expect(set.size).toBeGreaterThan(8);
    const clauses = [
      ...(Object.values(pkg.contributes.menus) as { when?: string }[][]).flat().map((e) => e.when ?? ''),
      ...pkg.contributes.viewsWelcome.map((w: { when: string }) => w.when),
      ...pkg.contributes.views.secretsVault.map((v: { when?: string }) => v.when ?? ''),
    ];
    const used = new Set(clauses.flatMap((w) => [...w.matchAll(/secretsVault\.(\w+)/g)].map((m) => `secretsVault.${m[1]}`)));
    for (const key of used) {
      if (/^secretsVault\.(secrets|allSecrets|accessRequests|accessReview)$/.test(key)) continue; // view ids in `view ==` clauses
      expect(set, key).toContain(key);
    }
  });

  it('has welcome content for signed out, no agent, and an agent with no secrets, each with a next step', () => {
    const welcome: { view: string; when: string; contents: string }[] = pkg.contributes.viewsWelcome;
    const of = (needle: string) => welcome.filter((w) => w.view === 'secretsVault.secrets' && w.when.includes(needle));
    expect(of('signed-out')[0]?.contents).toContain('command:secretsVault.signIn');
    expect(of('no-agent')[0]?.contents).toContain('command:secretsVault.chooseAgent');
    expect(of('no-secrets').map((w) => w.contents).join()).toContain('command:secretsVault.createSecret');
  });

  it('says loading, not "no secrets", before the first listing has arrived', () => {
    const welcome: { view: string; when: string; contents: string }[] = pkg.contributes.viewsWelcome;
    for (const view of ['secretsVault.secrets', 'secretsVault.allSecrets']) {
      expect(welcome.find((w) => w.view === view && w.when === 'secretsVault.loading')?.contents).toBe('Loading secrets…');
    }
    // "No secrets yet" only from the model of a listing that arrived empty (ContextKeys sets
    // allEmpty from it, '' while nothing is known), never from the connection state alone.
    const empty = welcome.filter((w) => /no secrets yet/i.test(w.contents));
    expect(empty.length).toBeGreaterThan(0);
    for (const w of empty) expect(w.when).toContain('secretsVault.allEmpty == no-secrets');
  });

  it('Request Access for developers, Approve / Deny and Roll Back for admins, in the views they act on', () => {
    const items: { command: string; when: string; group?: string }[] = pkg.contributes.menus['view/item/context'];
    const palette: { command: string; when: string }[] = pkg.contributes.menus.commandPalette;
    const view = pkg.contributes.views.secretsVault.find((v: { id: string }) => v.id === 'secretsVault.accessRequests');
    expect(view).toMatchObject({ name: 'Access Requests' });
    for (const id of ['secretsVault.approveAccessRequest', 'secretsVault.denyAccessRequest']) {
      const entries = items.filter((m) => m.command === id);
      // Inline and in the context menu, on request items, for admins only.
      expect(entries.map((m) => m.group?.split('@')[0]).sort()).toEqual(['1_decide', 'inline']);
      for (const m of entries) expect(m.when).toMatch(/view == secretsVault\.accessRequests && viewItem =~ \/\^accessRequest\\b\/ && viewItem =~ \/\\badmin\\b\//);
      expect(palette.find((p) => p.command === id)?.when).toContain('secretsVault.isAdmin');
    }
    const rollback = items.filter((m) => m.command === 'secretsVault.rollbackSecret');
    expect(rollback.length).toBeGreaterThan(0);
    for (const m of rollback) expect(m.when).toContain('\\badmin\\b');
    // On a version item only for an earlier one: the current value is what it would restore.
    expect(rollback.filter((m) => m.when.includes('secretVersion')).every((m) => m.when.includes('\\bearlier\\b'))).toBe(true);
    expect(palette.find((p) => p.command === 'secretsVault.requestAccess')?.when).toContain('!secretsVault.isAdmin');
    // The commands the e2e test drives by their menu titles.
    const titles = Object.fromEntries(contributed.map((c) => [c.command, c.title]));
    expect(titles).toMatchObject({ 'secretsVault.approveAccessRequest': 'Approve', 'secretsVault.rollbackSecret': 'Roll Back to Version…' });
  });

  it('leaves room for the agent name in the view title: at most two inline actions at a time', () => {
    const title: { command: string; when: string; group?: string }[] = pkg.contributes.menus['view/title'];
    // The Secrets views' title (the Access Requests view has its own: Deny Several…).
    const inline = title.filter((m) => m.group?.startsWith('navigation') && !m.when.includes('view == secretsVault.accessRequests'));
    const requestsInline = title.filter((m) => m.group?.startsWith('navigation') && m.when.includes('view == secretsVault.accessRequests'));
    expect(requestsInline.map((m) => [m.command, m.when.includes('secretsVault.isAdmin')])).toEqual([['secretsVault.denyAccessRequests', true]]);
    // Filter and Clear Filter exclude each other; Create needs an admin.
    expect(inline.map((m) => m.command).sort()).toEqual(['secretsVault.clearFilter', 'secretsVault.createSecret', 'secretsVault.filter']);
    expect(title.find((m) => m.command === 'secretsVault.refresh')?.group).not.toMatch(/^navigation/);
    expect(title.find((m) => m.command === 'secretsVault.chooseAgent')?.group).not.toMatch(/^navigation/);
  });

  it("Agent Tokens… in the Secrets view's agent menu beside Choose Agent, for admins with an agent, never inline", () => {
    const title: { command: string; when: string; group?: string }[] = pkg.contributes.menus['view/title'];
    const entry = title.find((m) => m.command === 'secretsVault.agentTokens');
    const choose = title.find((m) => m.command === 'secretsVault.chooseAgent');
    expect(entry?.group?.split('@')[0]).toBe(choose?.group?.split('@')[0]);
    for (const when of [entry!.when, (pkg.contributes.menus.commandPalette as { command: string; when: string }[]).find((m) => m.command === 'secretsVault.agentTokens')!.when]) {
      expect(when).toContain('secretsVault.isAdmin');
      expect(when).toContain('secretsVault.hasAgent');
      expect(when).toContain('secretsVault.state == connected');
    }
    expect(entry!.when).toContain('view == secretsVault.secrets');
    expect(contributedCommand('secretsVault.agentTokens').title).toBe('Agent Tokens…');
  });

  it('activates lazily and declares its workspace-trust behaviour and engine', () => {
    expect(pkg.main).toBe('./dist/client/extension.js');
    expect(pkg.activationEvents).not.toContain('*');
    expect(pkg.activationEvents).toContain('workspaceContains:secrets-vault.json');
    for (const l of ['python', 'javascript', 'typescript', 'javascriptreact', 'typescriptreact']) expect(pkg.activationEvents).toContain(`onLanguage:${l}`);
    expect(pkg.engines.vscode).toBe('^1.100.0');
    expect(pkg.capabilities.untrustedWorkspaces.supported).toBe('limited');
    expect(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations).toContain('secretsVault.url');
  });

  it('Run, Debug and Open Terminal as Agent are disabled and hidden in Restricted Mode, and each refuses there', () => {
    const agentCommands = ['secretsVault.runFunction', 'secretsVault.debugFunction', 'secretsVault.openAgentTerminal'];
    for (const id of agentCommands) {
      expect(contributedCommand(id).enablement, id).toBe('isWorkspaceTrusted');
      const entries = (Object.values(pkg.contributes.menus) as { command?: string; when?: string }[][]).flat().filter((m) => m.command === id);
      expect(entries.length, id).toBeGreaterThan(0);
      for (const m of entries) expect(m.when === 'false' || /(^|&& )isWorkspaceTrusted( &&|$)/.test(m.when ?? ''), `${id}: ${m.when}`).toBe(true);
    }
    expect(pkg.capabilities.untrustedWorkspaces.description).toMatch(/Run, Debug and Open Terminal as Agent are disabled/);
    // The guard runs first in each command, before a token is minted.
    const runs = source('runs/agentRuns.ts');
    for (const [method, what] of [['runFunction', 'Run as an agent'], ['debugFunction', 'Debug as an agent'], ['openTerminal', 'Open Terminal as Agent']]) {
      expect(runs, method).toMatch(new RegExp(`async ${method}\\([^)]*\\): Promise<void> \\{\\n\\s+requireTrust\\('${what}'\\);`));
    }
  });

  it('gives every setting a scope and a description', () => {
    const props: Record<string, { scope?: string; description?: string; markdownDescription?: string }> = pkg.contributes.configuration.properties;
    expect(Object.keys(props)).toEqual(expect.arrayContaining(['secretsVault.url', 'secretsVault.agent', 'secretsVault.trace.server']));
    expect(props['secretsVault.agent']!.scope).toBe('resource');
    for (const [k, p] of Object.entries(props)) {
      expect(p.scope, k).toBeTruthy();
      expect(p.description ?? p.markdownDescription, k).toBeTruthy();
    }
  });

  it('secretsVault.allowInsecureHttp: off by default, machine-scoped and restricted, so no workspace can turn it on', () => {
    const setting = pkg.contributes.configuration.properties['secretsVault.allowInsecureHttp'];
    expect(setting).toMatchObject({ type: 'boolean', default: false, scope: 'machine' });
    expect(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations).toContain('secretsVault.allowInsecureHttp');
  });

  it('ships snippet files that parse and cover the required cases', () => {
    const files = new Set(pkg.contributes.snippets.map((s: { path: string }) => s.path));
    const python = JSON.parse(readFileSync(path.join(root, 'snippets/python.json'), 'utf8'));
    const js = JSON.parse(readFileSync(path.join(root, 'snippets/javascript.json'), 'utf8'));
    expect(files).toEqual(new Set(['./snippets/python.json', './snippets/javascript.json']));
    const pyBodies = Object.values(python).map((s) => (s as { body: string[] }).body.join('\n'));
    expect(pyBodies.some((b) => /get_secret\('\$\{2:secret_name\}'\)$/.test(b))).toBe(true); // single value
    expect(pyBodies.some((b) => b.includes("['${4:client_id}']"))).toBe(true); // key/value unpacking
    expect(pyBodies.some((b) => b.includes('Bearer') && b.includes('requests.'))).toBe(true);
    expect(pyBodies.some((b) => b.startsWith('try:'))).toBe(true); // guarded
    const jsBodies = Object.values(js).map((s) => (s as { body: string[] }).body.join('\n'));
    expect(jsBodies.every((b) => b.includes('process.env.'))).toBe(true);
  });

  it('packages an allowlist: bundles, snippets, media and the documents only', () => {
    const lines = readFileSync(path.join(root, '.vscodeignore'), 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'));
    expect(lines[0]).toBe('**');
    expect(lines.slice(1).every((l) => l.startsWith('!'))).toBe(true);
    expect(lines.some((l) => l.includes('.map'))).toBe(false);
  });
});
