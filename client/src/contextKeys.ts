// The `secretsVault.*` context keys that menus, welcome content and view visibility read. A key is
// sent to the workbench only when its value changes (each setContext is a round trip).

import * as vscode from 'vscode';

export interface ContextValues {
  'secretsVault.state': string;
  'secretsVault.isAdmin': boolean;
  'secretsVault.hasAgent': boolean;
  'secretsVault.signedIn': boolean;
  'secretsVault.storedKey': boolean;
  'secretsVault.filtered': boolean;
  /** Why the Secrets view is empty ('' when it is not, or nothing is known yet). */
  'secretsVault.grantedEmpty': string;
  /** Why All Secrets is empty ('' when it is not, or nothing is known yet). */
  'secretsVault.allEmpty': string;
  /** Connecting (or connected) and no listing (nor cache) has arrived yet: the views say loading. */
  'secretsVault.loading': boolean;
  /** The views show metadata that is not live (offline cache, vault unreachable). */
  'secretsVault.stale': boolean;
  /** Why the Access Requests view is empty: 'none' (admins), 'none-mine' (developers); '' otherwise. */
  'secretsVault.requestsEmpty': string;
  /** Why the Access review is empty ('no-agent'), else ''. */
  'secretsVault.reviewEmpty': string;
  /** The workspace holds two or more ADK projects: the views offer Select Project. */
  'secretsVault.manyProjects': boolean;
  /** Why the vault cannot be reached (core/reachability.ts UnreachableKind); '' when it can. */
  'secretsVault.unreachable': string;
  /** The vault URL is the demo's (the welcome says how to start it). */
  'secretsVault.demoUrl': boolean;
  /** The walkthrough's steps the user has done in this window (walkthrough.ts), each set once. */
  'secretsVault.tour.connect'?: boolean;
  'secretsVault.tour.agent'?: boolean;
  'secretsVault.tour.complete'?: boolean;
  'secretsVault.tour.fix'?: boolean;
  'secretsVault.tour.run'?: boolean;
  'secretsVault.tour.ci'?: boolean;
}

export class ContextKeys {
  private readonly sent = new Map<string, unknown>();

  constructor(private readonly onError: (message: string) => void) {}

  set(values: ContextValues): void {
    for (const [key, value] of Object.entries(values)) this.setKey(key as keyof ContextValues, value);
  }

  setKey<K extends keyof ContextValues>(key: K, value: ContextValues[K]): void {
    if (this.sent.has(key) && this.sent.get(key) === value) return;
    this.sent.set(key, value);
    vscode.commands.executeCommand('setContext', key, value).then(undefined, (e: unknown) => this.onError(`setContext ${key}: ${String(e)}`));
  }
}
