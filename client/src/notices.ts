// Connection notices: a log line per change of the connection's news, and one notification per
// failure episode (core/failureNotice.ts decides which), with the actions that can fix it.

import * as vscode from 'vscode';
import type { TokenSource } from './core/connectionConfig';
import { FailureNotices } from './core/failureNotice';
import type { ConnectionState } from './vault/connection';

export class ConnectionNotices {
  private readonly failures = new FailureNotices();
  private lastLine = '';

  constructor(
    private readonly log: vscode.LogOutputChannel,
    private readonly background: (what: string, p: Thenable<unknown>) => void,
  ) {}

  /** A new connection: its first failure is news again. */
  reset(): void {
    this.failures.reset();
  }

  onState(state: ConnectionState, url: string, tokenSource: TokenSource): void {
    if (state.state === 'disposed') return;
    const detail = 'message' in state ? ` (${state.message})` : state.state === 'connected' ? (state.live ? ' (live)' : ' (not live)') : '';
    // Each retry changes the wait, not the news: log a state once.
    const line = `Connection: ${state.state}${detail}`;
    if (line !== this.lastLine) this.log.info(line);
    this.lastLine = line;
    const failure = this.failures.next(state);
    if (failure) this.background('showing a notification', this.notify(failure, 'message' in state ? state.message : '', url, tokenSource));
  }

  private async notify(kind: 'unreachable' | 'unauthorized' | 'forbidden', message: string, url: string, tokenSource: TokenSource): Promise<void> {
    const text =
      kind === 'unreachable'
        ? `Secrets Vault: cannot reach the vault at ${url}. Retrying in the background.`
        : kind === 'unauthorized'
          ? `Secrets Vault: the vault at ${url} did not accept the API key${tokenSource === 'environment' ? ' from SECRETS_VAULT_TOKEN' : ''}.`
          : `Secrets Vault: ${message}`;
    const actions = kind === 'unreachable' ? ['Retry', 'Open Settings', 'Show Log'] : ['Sign In', 'Open Settings', 'Show Log'];
    const show = kind === 'unreachable' ? vscode.window.showWarningMessage : vscode.window.showErrorMessage;
    const choice = await show(text, ...actions);
    if (choice === 'Retry') await vscode.commands.executeCommand('secretsVault.retry');
    else if (choice === 'Sign In') await vscode.commands.executeCommand('secretsVault.signIn');
    else if (choice === 'Open Settings') await vscode.commands.executeCommand('secretsVault.openSettings');
    else if (choice === 'Show Log') this.log.show();
  }
}
