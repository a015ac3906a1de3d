// Connection notices: a log line per change of the connection's news, and the connection's one
// notification (core/failureNotice.ts decides when it shows, is replaced and closes).
//
// VS Code gives extensions no way to close a showErrorMessage toast (microsoft/vscode#163298), so
// the notification is a progress notification: it stays until the promise behind it settles, which
// happens when the state it speaks of no longer holds, or when the user presses Close. Its actions
// are command links in its text (progress notifications have no buttons of their own).

import * as vscode from 'vscode';
import type { TokenSource } from './core/connectionConfig';
import { FailureNotices, type NoticeKind, type NoticeStep } from './core/failureNotice';
import { isDemoUrl } from './core/reachability';
import type { ConnectionState } from './vault/connection';

const RETRY = '[Retry](command:secretsVault.retry)';
const CHANGE_URL = '[Change URL](command:secretsVault.changeUrl)';
const SIGN_IN = '[Sign In](command:secretsVault.signIn)';
const SHOW_LOG = '[Show Log](command:secretsVault.showLog)';

/** A command needs the connected vault: the command wrapper says so as the connection's notification. */
export class NotConnectedError extends Error {}

export class ConnectionNotices implements vscode.Disposable {
  private readonly model = new FailureNotices();
  private lastLine = '';
  /** Ends the notification on screen. */
  private end: (() => void) | undefined;

  constructor(
    private readonly log: vscode.LogOutputChannel,
    private readonly background: (what: string, p: Thenable<unknown>) => void,
  ) {}

  /** A new connection: its first failure is news again. */
  reset(): void {
    this.model.reset();
  }

  onState(state: ConnectionState, url: string, tokenSource: TokenSource): void {
    const detail = 'message' in state ? ` (${state.message})` : state.state === 'connected' ? (state.live ? ' (live)' : ' (not live)') : '';
    // Each retry changes the wait, not the news: log a state once.
    const line = `Connection: ${state.state}${detail}`;
    if (line !== this.lastLine && state.state !== 'disposed') this.log.info(line);
    this.lastLine = line;
    const step = this.model.step(state);
    this.apply(step, step.show ? this.text(step.show, 'message' in state ? state.message : '', url, tokenSource) : '');
  }

  /** Sign In's check: the vault turned the key away. Replaces the notification on screen; goes when the state changes. */
  rejectedKey(url: string): void {
    const text = `Secrets Vault: the vault at ${url} did not accept this API key. ${SIGN_IN} · ${SHOW_LOG}`;
    this.apply(this.model.outcome('rejected-key', text), text);
  }

  /** A command needs the vault and the connection is not there: said as the connection's notification. */
  notConnected(message: string): void {
    const text = `Secrets Vault: ${message} ${SHOW_LOG}`;
    this.apply(this.model.outcome('not-connected', text), text);
  }

  private text(kind: NoticeKind, message: string, url: string, tokenSource: TokenSource): string {
    switch (kind) {
      case 'unreachable':
        return `Secrets Vault: ${message} Retrying in the background. ${RETRY} · ${CHANGE_URL} · ${SHOW_LOG}${isDemoUrl(url) ? ' · Start the demo vault with `npm start`.' : ''}`;
      case 'unauthorized':
        return `Secrets Vault: the vault at ${url} did not accept the API key${tokenSource === 'environment' ? ' from SECRETS_VAULT_TOKEN' : ''}. ${SIGN_IN} · ${SHOW_LOG}`;
      default:
        return `Secrets Vault: ${message} ${SIGN_IN} · ${SHOW_LOG}`;
    }
  }

  private apply(step: NoticeStep, text: string): void {
    if (step.close) this.close();
    if (step.show) this.show(text);
  }

  private close(): void {
    const end = this.end;
    this.end = undefined;
    end?.();
  }

  private show(text: string): void {
    this.close();
    const done = new Promise<void>((resolve) => {
      this.end = resolve;
    });
    const end = this.end;
    this.background(
      'showing a notification',
      vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: text, cancellable: true }, (_progress, cancel) => {
        const closedByUser = cancel.onCancellationRequested(() => {
          // The user closed it: nothing is on screen until the next news.
          if (this.end === end) {
            this.end = undefined;
            this.model.dismissed();
          }
          end?.();
        });
        return done.finally(() => closedByUser.dispose());
      }),
    );
  }

  dispose(): void {
    this.close();
  }
}
