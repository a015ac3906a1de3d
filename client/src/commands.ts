// Every command of the extension, in one table (rust-analyzer's pattern): the id, and a factory that
// gets the context. Quick fixes invoke createSecret and grantAccess with protocol/lsp.ts arguments;
// tree items pass their node; the palette passes nothing and gets a quick pick.

import * as vscode from 'vscode';
import type { SecretMetadata } from '../../protocol/api';
import { VaultApi, VaultApiError } from '../../protocol/client';
import { Commands, UsagesRequest, type CreateSecretArgs, type EditSecretArgs, type GrantAccessArgs, type RunFunctionArgs } from '../../protocol/lsp';
import { USER_TOKEN_PREFIX, AGENT_TOKEN_PREFIX } from '../../protocol/api';
import { setUpAssistant } from './mcpProvider';
import { changeVaultUrl } from './changeUrl';
import { NotConnectedError } from './notices';
import { config, SECTION } from './config';
import { insecureUrlProblem } from './core/connectionConfig';
import { agentLabel, noIcons } from './core/agentLabels';
import { revokeConfirmation, tokenPickItems } from './core/agentTokens';
import { renderSnippet } from './core/snippets';
import type { KeyNode, TreeNode } from './core/treeModel';
import type { Ctx } from './ctx';
import { unresolvedRevokeQuestion, type ReviewItemNode, type ReviewPlace } from './core/accessReview';
import { approveAccessRequest, confirmRevoke, deleteSecret, secretReads, showReads, refuseRevokeIfRead, denyAccessRequest, denyAccessRequests, requestAccess, rollbackSecret } from './lifecycleCommands';
import { copySecretRequest, moveToVault } from './moveToVault';
import { copyAgentRequest, createProjectAgent, selectProject } from './projectCommands';
import { chooseAgent, createAgent } from './agentCommands';
import { pickEnvironment } from './environmentItem';
import type { VaultConnection } from './vault/connection';
import { undiciTransport } from './vault/transport';

type Handler = (...args: unknown[]) => unknown;

const isNode = (v: unknown): v is TreeNode => typeof v === 'object' && v !== null && 'type' in v && ((v as TreeNode).type === 'secret' || (v as TreeNode).type === 'key');
const isNamed = (v: unknown): v is { name: string } => typeof v === 'object' && v !== null && typeof (v as { name?: unknown }).name === 'string';

/** A failure as a person reads it; VaultApiError messages never hold a value. */
function messageOf(e: unknown): string {
  if (e instanceof VaultApiError) return e.message;
  return e instanceof Error ? e.message : String(e);
}

/** The secret a command is about: the node it was invoked on, the name in its arguments, or a pick. */
async function targetSecret(ctx: Ctx, arg: unknown, placeHolder: string): Promise<{ secret: SecretMetadata; key?: string } | undefined> {
  const conn = ctx.requireConnected();
  if (isNode(arg)) {
    const name = arg.type === 'secret' ? arg.name : arg.secret;
    const secret = conn.metadata.secret(name);
    if (!secret) throw new Error(`The secret '${name}' no longer exists.`);
    return arg.type === 'key' ? { secret, key: (arg as KeyNode).key } : { secret };
  }
  if (isNamed(arg)) {
    const secret = conn.metadata.secret(arg.name);
    if (!secret) throw new Error(`There is no secret named '${arg.name}'.`);
    return { secret };
  }
  const picked = await vscode.window.showQuickPick(pickItems(conn, ctx.currentAgent), { placeHolder, matchOnDescription: true, matchOnDetail: true });
  return picked && 'secret' in picked ? { secret: picked.secret } : undefined;
}

type SecretPick = vscode.QuickPickItem & { secret: SecretMetadata };
let picks: { conn: VaultConnection; version: number; agent: string | null; items: (SecretPick | vscode.QuickPickItem)[] } | undefined;

/**
 * The secrets as quick pick items, the current agent's first and marked: built once per metadata
 * version and agent, so that a picker over 10,000 secrets opens at once every time after the first.
 */
function pickItems(conn: VaultConnection, agent: string | null): (SecretPick | vscode.QuickPickItem)[] {
  if (picks && picks.conn === conn && picks.version === conn.metadata.version && picks.agent === agent) return picks.items;
  const granted: SecretPick[] = [];
  const others: SecretPick[] = [];
  // The agent with its display name; names and descriptions are free text, so `$(` in them stays text.
  const shown = agent === null ? '' : noIcons(agentLabel(agent, conn.metadata.agents));
  for (const s of conn.metadata.secrets) {
    const isGranted = agent !== null && s.agents.includes(agent);
    const kind = s.kind === 'kv' ? `key/value: ${s.keys.join(', ')}` : '';
    (isGranted ? granted : others).push({
      label: noIcons(s.name),
      description: isGranted ? `$(check) ${shown}${kind ? ` · ${kind}` : ''}` : kind,
      detail: s.description ? noIcons(s.description) : undefined,
      secret: s,
    });
  }
  const items: (SecretPick | vscode.QuickPickItem)[] =
    agent === null
      ? others
      : [
          { label: `Granted to ${shown}`, kind: vscode.QuickPickItemKind.Separator },
          ...granted,
          { label: 'Other secrets', kind: vscode.QuickPickItemKind.Separator },
          ...others,
        ];
  picks = { conn, version: conn.metadata.version, agent, items };
  return items;
}

function snippetFor(ctx: Ctx, secret: SecretMetadata, key: string | undefined, languageId: string | undefined): string {
  return renderSnippet({
    name: secret.name,
    key,
    kind: secret.kind,
    namingStyle: ctx.requireConnected().namingStyle,
    languageId,
    templates: config.snippetTemplates(ctx.currentFolder()),
  });
}

async function grant(ctx: Ctx, name: string, agent: string): Promise<void> {
  const conn = ctx.requireConnected();
  const had = conn.metadata.secret(name)?.agents.includes(agent) ?? false;
  const updated = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Granting '${agent}' access to '${name}'…` },
    () => conn.api.grant(name, agent),
  );
  conn.applyLocal(updated);
  ctx.walkthrough.done('fix');
  ctx.log.info(`Granted ${agent} access to ${name}.`);
  if (had) {
    void vscode.window.showInformationMessage(`Agent '${agent}' already had access to '${name}'.`);
    return;
  }
  const choice = await vscode.window.showInformationMessage(`Agent '${agent}' can now read '${name}'.`, 'Undo');
  if (choice === 'Undo') {
    conn.applyLocal(await conn.api.revoke(name, agent));
    ctx.log.info(`Undid: revoked ${agent} from ${name}.`);
  }
}

async function revoke(ctx: Ctx, name: string, agent: string): Promise<void> {
  const conn = ctx.requireConnected();
  // Code of the agent's project that reads the secret stops working for it: say which before going ahead.
  if (!(await confirmRevoke(ctx, name, agent))) return;
  const updated = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Revoking '${agent}' from '${name}'…` },
    () => conn.api.revoke(name, agent),
  );
  conn.applyLocal(updated);
  ctx.log.info(`Revoked ${agent} from ${name}.`);
  const choice = await vscode.window.showInformationMessage(`Agent '${agent}' can no longer read '${name}'.`, 'Undo');
  if (choice === 'Undo') conn.applyLocal(await conn.api.grant(name, agent));
}

const isReviewItem = (v: unknown): v is ReviewItemNode => typeof v === 'object' && v !== null && (v as ReviewItemNode).type === 'reviewItem';

/** The secret and agent an Access review action is about: its item, `{name, agent}`, or (the palette) a pick of the current agent's grants. */
async function reviewTarget(ctx: Ctx, arg: unknown, placeHolder: string): Promise<{ name: string; agent: string } | undefined> {
  if (isReviewItem(arg)) return { name: arg.name, agent: arg.agent };
  const args = arg as Partial<GrantAccessArgs> | undefined;
  if (typeof args?.name === 'string' && typeof args.agent === 'string') return { name: args.name, agent: args.agent };
  const agent = requireAgent(ctx);
  const conn = ctx.requireConnected();
  type Item = vscode.QuickPickItem & { name: string };
  const items: Item[] = conn.metadata.secrets.filter((s) => s.agents.includes(agent)).map((s) => ({ label: noIcons(s.name), name: s.name }));
  const picked = await vscode.window.showQuickPick(items, { placeHolder: `${placeHolder} ${noIcons(agentLabel(agent, conn.metadata.agents))}` });
  return picked && { name: picked.name, agent };
}

function requireAgent(ctx: Ctx): string {
  const agent = ctx.currentAgent;
  if (!agent) throw new Error('Choose an agent for this folder first.');
  return agent;
}

export function commandTable(ctx: Ctx): Record<string, Handler> {
  return {
    'secretsVault.signIn': async () => {
      const url = ctx.url;
      // Before the key is asked for: it would be sent unencrypted to another machine.
      const insecure = insecureUrlProblem(url, config.allowInsecureHttp);
      if (insecure) throw new Error(insecure);
      const key = await vscode.window.showInputBox({
        title: `Sign in to the vault at ${url}`,
        prompt: 'Paste an API key (an admin creates one with `secrets-vault keys create`). It is kept in the OS keychain.',
        placeHolder: `${USER_TOKEN_PREFIX}…`,
        password: true,
        ignoreFocusOut: true,
        validateInput: (v) =>
          v.trim().startsWith(AGENT_TOKEN_PREFIX)
            ? 'This is an agent token (run time only); the editor needs a user API key.'
            : v.trim() === ''
              ? 'Paste an API key.'
              : undefined,
      });
      if (!key) return;
      const api = new VaultApi(undiciTransport(url, { allowInsecureHttp: config.allowInsecureHttp }), key.trim());
      const who = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Checking the API key…' }, async () => {
        try {
          return await api.whoami();
        } catch (e) {
          if (e instanceof VaultApiError && e.status === 401) return undefined;
          throw e;
        }
      });
      // The connection's notification (notices.ts): it goes when the state changes, e.g. at a good sign-in.
      if (!who) return ctx.keyRejected(url);
      await ctx.credentials.store(url, key.trim());
      await ctx.reconnect();
      const role = who.principal.type === 'user' ? ` (${who.principal.role})` : '';
      void vscode.window.showInformationMessage(`Signed in to ${who.account.name} as ${who.principal.name}${role}.`);
    },

    'secretsVault.signOut': async () => {
      await ctx.forgetOffline();
      await ctx.credentials.delete(ctx.url);
      await ctx.reconnect();
      const note = ctx.tokenSource === 'environment' ? ' Still connected with SECRETS_VAULT_TOKEN from the environment.' : '';
      void vscode.window.showInformationMessage(`Signed out of ${ctx.url}.${note}`);
    },

    'secretsVault.chooseAgent': () => chooseAgent(ctx),

    'secretsVault.createAgent': () => createAgent(ctx),

    'secretsVault.selectProject': () => selectProject(ctx),

    'secretsVault.pickEnvironment': () => pickEnvironment(ctx.log),

    'secretsVault.createProjectAgent': (arg: unknown) => createProjectAgent(ctx, arg),

    'secretsVault.copyAgentRequest': (arg: unknown) => copyAgentRequest(ctx, arg),

    'secretsVault.agentTokens': async () => {
      const conn = ctx.requireConnected();
      const agent = requireAgent(ctx);
      const tokens = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Listing the tokens of '${agent}'…` }, () =>
        conn.api.listAgentTokens(agent),
      );
      if (tokens.length === 0) {
        void vscode.window.showInformationMessage(`Agent '${agent}' has no live tokens.`);
        return;
      }
      const picked = await vscode.window.showQuickPick(tokenPickItems(tokens, Date.now()), {
        title: `Live tokens of '${agent}'`,
        placeHolder: 'Pick a token to revoke it',
        matchOnDescription: true,
        matchOnDetail: true,
      });
      if (!picked) return;
      const confirm = revokeConfirmation(agent, picked.token);
      const choice = await vscode.window.showWarningMessage(confirm.message, { modal: true, detail: confirm.detail }, 'Revoke');
      if (choice !== 'Revoke') return;
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Revoking ${picked.token.id}…` }, () =>
        conn.api.revokeAgentToken(agent, picked.token.id),
      );
      ctx.log.info(`Revoked token ${picked.token.id} of ${agent}.`);
      void vscode.window.showInformationMessage(`Revoked ${picked.token.kind === 'run' ? 'run' : 'agent'} token ${picked.token.id} of '${agent}'.`);
    },

    'secretsVault.refresh': () =>
      vscode.window.withProgress({ location: { viewId: 'secretsVault.secrets' }, title: 'Refreshing secrets' }, async () => {
        const conn = ctx.connection;
        if (conn?.state.state === 'connected') await conn.refresh();
        else {
          await ctx.reload();
          await ctx.connection?.retry();
        }
      }),

    'secretsVault.changeUrl': async () => {
      const url = await changeVaultUrl(ctx.url, config.allowInsecureHttp);
      if (url) ctx.log.info(`The vault URL is now ${url}.`);
    },

    'secretsVault.retry': async () => {
      ctx.log.info('Retrying the connection.');
      await ctx.connection?.retry();
    },

    [Commands.createSecret]: (arg: unknown) => {
      ctx.requireConnected();
      const args = isNamed(arg) && !isNode(arg) ? (arg as CreateSecretArgs) : undefined;
      // The form ticks the current agent itself (PanelSession.currentAgent).
      ctx.panels.openCreate(args);
    },

    [Commands.grantAccess]: async (arg: unknown) => {
      if (isNode(arg)) return grant(ctx, arg.type === 'secret' ? arg.name : arg.secret, requireAgent(ctx));
      const args = arg as Partial<GrantAccessArgs> | undefined;
      if (typeof args?.name === 'string' && typeof args.agent === 'string') return grant(ctx, args.name, args.agent);
      const agent = requireAgent(ctx);
      const target = await targetSecret(ctx, undefined, `Grant ${agentLabel(agent, ctx.requireConnected().metadata.agents)} access to…`);
      if (target) await grant(ctx, target.secret.name, agent);
    },

    'secretsVault.revokeAccess': async (arg: unknown) => {
      const agent = requireAgent(ctx);
      const target = await targetSecret(ctx, arg, `Revoke ${agentLabel(agent, ctx.requireConnected().metadata.agents)} from…`);
      if (target) await revoke(ctx, target.secret.name, agent);
    },

    // ---- the Access review view ----

    'secretsVault.reviewGrant': async (arg: unknown) => {
      const target = await reviewTarget(ctx, arg, 'Grant');
      if (target) await grant(ctx, target.name, target.agent);
    },

    // Only a grant no code of the agent reads: one the code reads is refused with its places, however it is asked for.
    'secretsVault.reviewRevoke': async (arg: unknown) => {
      const target = await reviewTarget(ctx, arg, 'Revoke an unused grant of');
      if (!target || (await refuseRevokeIfRead(ctx, target.name, target.agent))) return;
      // Unused unless a read the code cannot name reads it: the admin decides, asked.
      const question = unresolvedRevokeQuestion(target.name, target.agent, ctx.review.unresolvedOf(target.agent));
      if (question && (await vscode.window.showWarningMessage(question.message, { modal: true, detail: question.detail }, 'Revoke')) !== 'Revoke') return;
      await revoke(ctx, target.name, target.agent);
    },

    'secretsVault.reviewRequestAccess': async (arg: unknown) => {
      const target = await reviewTarget(ctx, arg, 'Request access for');
      if (target) await requestAccess(ctx, { name: target.name, agent: target.agent, newSecret: false });
    },

    'secretsVault.reviewRefresh': () => ctx.review.refresh(),

    'secretsVault.reviewOpenPlace': async (arg: unknown) => {
      const place = arg as Partial<ReviewPlace> | undefined;
      if (typeof place?.uri !== 'string' || !place.range) return;
      const client = ctx.languageClient;
      const uri = client ? client.protocol2CodeConverter.asUri(place.uri) : vscode.Uri.parse(place.uri);
      const range = new vscode.Range(place.range.start.line, place.range.start.character, place.range.end.line, place.range.end.character);
      await vscode.window.showTextDocument(uri, { selection: range, preview: true });
    },

    'secretsVault.copySnippet': async (arg: unknown) => {
      const target = await targetSecret(ctx, arg, 'Copy a snippet that reads…');
      if (!target) return;
      const text = snippetFor(ctx, target.secret, target.key, vscode.window.activeTextEditor?.document.languageId);
      await vscode.env.clipboard.writeText(text);
      vscode.window.setStatusBarMessage(`Copied: ${text}`, 3000);
    },

    'secretsVault.insertSnippet': async (arg: unknown) => {
      const editor = vscode.window.activeTextEditor;
      if (!editor) throw new Error('Open an editor to insert the snippet into.');
      const target = await targetSecret(ctx, arg, 'Insert a snippet that reads…');
      if (!target) return;
      const text = snippetFor(ctx, target.secret, target.key, editor.document.languageId);
      // Plain text, not a SnippetString: templates may hold `$`.
      await editor.edit((b) => {
        for (const sel of editor.selections) b.replace(sel, text);
      });
    },

    'secretsVault.findUsages': async (arg: unknown) => {
      const client = ctx.languageClient;
      if (!client?.isRunning()) throw new Error('The language server is not running.');
      const target = isNode(arg)
        ? { name: arg.type === 'secret' ? arg.name : arg.secret, key: arg.type === 'key' ? arg.key : undefined }
        : await targetSecret(ctx, arg, 'Find usages of…').then((t) => t && { name: t.secret.name, key: t.key });
      if (!target) return;
      // A whole secret: its reads with their projects and environments (the list the questions before
      // a delete or a revoke show), and the References view one pick away.
      if (!target.key) {
        const rows = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Finding the reads of ${target.name}` }, () => secretReads(ctx, target.name));
        if (!(await showReads(ctx, target.name, rows, `Reads of '${target.name}'`, true))) return;
      }
      const found = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Finding usages of ${target.name}` }, () =>
        client.sendRequest(UsagesRequest.type, target.key ? { name: target.name, key: target.key } : { name: target.name }),
      );
      const locations = found.map((l) => client.protocol2CodeConverter.asLocation(l));
      const first = locations[0];
      if (!first) {
        void vscode.window.showInformationMessage(`No usages of '${target.name}${target.key ? `['${target.key}']` : ''}' in this workspace.`);
        return;
      }
      // The References view (the built-in references-view extension) lists what the reference
      // provider answers at the active editor's cursor: open the first usage there and ask it; our
      // language server answers Find All References on secret names and keys with these usages.
      const editor = await vscode.window.showTextDocument(first.uri, { selection: first.range, preview: true });
      editor.revealRange(first.range);
      try {
        // Contributed by a built-in extension that activates on this command, so it is not in
        // getCommands() until then: just call it.
        await vscode.commands.executeCommand('references-view.findReferences');
      } catch {
        // An editor without the References view: the peek shows the same locations.
        await vscode.commands.executeCommand('editor.action.showReferences', first.uri, first.range.start, locations);
      }
    },

    'secretsVault.editAccess': async (arg: unknown) => {
      const target = await targetSecret(ctx, arg, 'Edit the access list of…');
      if (target) ctx.panels.openAccess(target.secret.name);
    },

    [Commands.editSecret]: async (arg: unknown) => {
      const target = await targetSecret(ctx, arg, 'Edit…');
      // From the not-a-mapping quick fix (EditSecretArgs): the keys the code reads, to make it key/value.
      const keys = isNamed(arg) && !isNode(arg) ? (arg as Partial<EditSecretArgs>).keys : undefined;
      if (target) ctx.panels.openEdit(target.secret.name, Array.isArray(keys) ? keys.filter((k): k is string => typeof k === 'string') : undefined);
    },

    'secretsVault.deleteSecret': async (arg: unknown) => {
      ctx.requireConnected();
      const target = await targetSecret(ctx, arg, 'Delete…');
      if (target) await deleteSecret(ctx, target.secret);
    },

    'secretsVault.filter': async () => {
      const value = await vscode.window.showInputBox({ title: 'Filter secrets', prompt: 'Part of a name or description', value: ctx.filter ?? '' });
      if (value === undefined) return;
      ctx.filter = value.trim() || undefined;
      ctx.render();
    },

    'secretsVault.clearFilter': () => {
      ctx.filter = undefined;
      ctx.render();
    },

    // The last item of a view that lists a page of its secrets (secretsView.ts SHOW_MORE_COMMAND).
    'secretsVault.showMoreSecrets': (kind: unknown) => ctx.views[kind === 'all' ? 'all' : 'granted'].showMore(),

    [Commands.runFunction]: (arg: unknown) => ctx.runs.runFunction(arg as RunFunctionArgs),

    [Commands.debugFunction]: (arg: unknown) => ctx.runs.debugFunction(arg as RunFunctionArgs),

    'secretsVault.openAgentTerminal': (arg: unknown) => ctx.runs.openTerminal(arg),

    [Commands.moveToVault]: (arg: unknown) => moveToVault(ctx, arg),

    [Commands.copySecretRequest]: (arg: unknown) => copySecretRequest(ctx, arg),

    [Commands.requestAccess]: (arg: unknown) => requestAccess(ctx, arg),

    'secretsVault.approveAccessRequest': (arg: unknown) => approveAccessRequest(ctx, arg),

    'secretsVault.denyAccessRequest': (arg: unknown) => denyAccessRequest(ctx, arg),
    'secretsVault.denyAccessRequests': () => denyAccessRequests(ctx),

    'secretsVault.rollbackSecret': (arg: unknown) =>
      rollbackSecret(ctx, arg, async () => (await targetSecret(ctx, arg, 'Roll back…'))?.secret),

    'secretsVault.openSettings': () => vscode.commands.executeCommand('workbench.action.openSettings', `@ext:secrets-vault.secrets-vault ${SECTION}`),

    'secretsVault.showLog': () => ctx.log.show(),

    'secretsVault.setUpAssistant': () => setUpAssistant(ctx),
  };
}

/** Registers the table; failures become one error message and a log line, never an unhandled rejection. */
export function registerCommands(ctx: Ctx): void {
  for (const [id, handler] of Object.entries(commandTable(ctx))) {
    ctx.own(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
          return await handler(...args);
        } catch (e) {
          const message = messageOf(e);
          ctx.log.error(`${id}: ${message}`);
          // About the connection's state: said as the connection's notification, which goes when the state changes.
          if (e instanceof NotConnectedError) return ctx.notConnected(message);
          void vscode.window.showErrorMessage(`Secrets Vault: ${message}`, 'Show Log').then((c) => c && ctx.log.show());
          return undefined;
        }
      }),
    );
  }
}

