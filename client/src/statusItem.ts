// The status bar item: the current agent and the connection state; a click does the next useful
// thing (choose an agent, sign in, retry).

import * as vscode from 'vscode';
import type { TokenSource } from './core/connectionConfig';
import { clip, noIcons } from './core/agentLabels';
import { formatSince } from './core/offlineCache';
import { isDemoUrl, shortReason, START_DEMO_HOW } from './core/reachability';
import { escapeMarkdown } from './core/treeModel';
import { formatDate } from '../../protocol/dates';
import type { ConnectionState } from './vault/connection';

export interface StatusInput {
  state: ConnectionState;
  url: string;
  agent: string | null;
  /** The agent's display name when it says more than the id (core/agentLabels.ts displayName). */
  agentName?: string | null;
  tokenSource: TokenSource;
  /** Set when the metadata shown is not live: since when it is known. */
  stale: { since: string } | null;
  /** The vault could not be reached (not merely connecting for the first time). */
  offline: boolean;
  /** The metadata comes from the offline copy (no listing from this vault yet). */
  fromCache: boolean;
  /** No agent, in a workspace of this many projects (none is current until a file of one is opened). */
  projects?: number;
}

export class StatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('secretsVault.status', vscode.StatusBarAlignment.Left, 10);

  constructor() {
    this.item.name = 'Secrets Vault';
    this.item.show();
  }

  update(input: StatusInput): void {
    const { state, url, stale } = input;
    const name = input.agentName ?? null;
    // The id as given (case matters) with the display name beside it, short: `PROJECT-WEVYLLDV · Field Service Template`.
    const agent = input.agent === null ? null : name === null ? input.agent : `${input.agent} · ${noIcons(clip(name, 32))}`;
    const asOf = stale ? `as of ${formatSince(stale.since)}` : '';
    const item = this.item;
    const md = new vscode.MarkdownString(undefined, true);
    md.isTrusted = { enabledCommands: ['secretsVault.chooseAgent', 'secretsVault.selectProject', 'secretsVault.signIn', 'secretsVault.retry', 'secretsVault.changeUrl', 'secretsVault.openSettings', 'secretsVault.showLog'] };
    md.appendMarkdown(`**Secrets Vault** · ${escapeMarkdown(url)}\n\n`);
    item.backgroundColor = undefined;
    switch (state.state) {
      case 'connected': {
        const p = state.whoami.principal;
        const projects = agent === null && input.projects ? input.projects : 0;
        item.text = `$(key) ${agent ?? (projects ? `${projects} projects` : 'No agent')}`;
        item.command = projects ? 'secretsVault.selectProject' : 'secretsVault.chooseAgent';
        md.appendMarkdown(`Signed in to ${escapeMarkdown(state.whoami.account.name)} as ${escapeMarkdown(p.name)}${p.type === 'user' ? ` (${p.role})` : ''}\n\n`);
        md.appendMarkdown(
          input.agent
            ? `Agent: \`${input.agent}\`${name !== null ? ` · ${escapeMarkdown(name)}` : ''}`
            : projects
              ? `${projects} Agent Studio projects: open a file of one for its agent, or [Select Project](command:secretsVault.selectProject)`
              : 'No agent chosen for this folder',
        );
        md.appendMarkdown(state.live ? '\n\nLive updates on' : '\n\nLive updates off: refreshing periodically');
        break;
      }
      case 'connecting':
        item.text = `$(sync~spin) ${agent ?? 'Secrets Vault'}${stale ? ` · ${input.offline ? 'offline · ' : ''}${asOf}` : ''}`;
        item.command = 'secretsVault.showLog';
        md.appendMarkdown('Connecting…');
        break;
      case 'signed-out':
        item.text = '$(key) Sign in to Secrets Vault';
        item.command = 'secretsVault.signIn';
        md.appendMarkdown('Signed out. [Sign In](command:secretsVault.signIn)');
        break;
      case 'unauthorized':
      case 'forbidden':
        item.text = '$(error) Secrets Vault';
        item.command = 'secretsVault.signIn';
        item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
        md.appendMarkdown(`${escapeMarkdown(state.message)}\n\n[Sign In](command:secretsVault.signIn)`);
        break;
      case 'unreachable':
        // Not "sign in": nothing (or no vault) answers at the URL. The text says why in a few words,
        // the tooltip in full, with the URL.
        item.text = `$(debug-disconnect) ${agent ?? 'Secrets Vault'} · ${stale ? `offline · ${asOf}` : `vault unreachable: ${shortReason(state.reason)}`}`;
        item.command = 'secretsVault.retry';
        item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
        md.appendMarkdown(
          `${escapeMarkdown(state.message)} Retrying in the background.\n\n[Retry](command:secretsVault.retry) · [Change URL](command:secretsVault.changeUrl) · [Open Settings](command:secretsVault.openSettings)`,
        );
        if (isDemoUrl(url)) md.appendMarkdown(`\n\n${START_DEMO_HOW}`);
        break;
      case 'disposed':
        return;
    }
    if (stale) {
      const when = formatDate(stale.since, { time: true });
      md.appendMarkdown(
        `\n\n${input.offline ? 'Offline' : 'Until connected'}: the sidebar and the diagnostics use the last known metadata, ${input.fromCache ? 'saved' : 'current'} ${escapeMarkdown(when)}. They may be out of date.`,
      );
    }
    if (input.tokenSource === 'environment') md.appendMarkdown('\n\nUsing `SECRETS_VAULT_TOKEN` from the environment');
    md.appendMarkdown('\n\n[Show Log](command:secretsVault.showLog)');
    item.tooltip = md;
    item.accessibilityInformation = { label: `Secrets Vault: ${state.state === 'unreachable' ? `vault unreachable, ${shortReason(state.reason)}` : state.state}${input.agent ? `, agent ${input.agent}${name !== null ? ` (${name})` : ''}` : ''}${stale ? `, offline, ${asOf}` : ''}` };
  }

  dispose(): void {
    this.item.dispose();
  }
}
