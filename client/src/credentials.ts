// API keys in SecretStorage (the OS keychain), one per vault URL, so that switching vaults never
// sends one vault's key to another.

import type * as vscode from 'vscode';

const PREFIX = 'secretsVault.apiKey:';

export class Credentials {
  constructor(private readonly storage: vscode.SecretStorage) {}

  get(url: string): Thenable<string | undefined> {
    return this.storage.get(PREFIX + url);
  }

  store(url: string, key: string): Thenable<void> {
    return this.storage.store(PREFIX + url, key);
  }

  delete(url: string): Thenable<void> {
    return this.storage.delete(PREFIX + url);
  }

  /** Fires with the URL whose key changed (another window signed in or out). */
  onDidChange(listener: (url: string) => void): vscode.Disposable {
    return this.storage.onDidChange((e) => {
      if (e.key.startsWith(PREFIX)) listener(e.key.slice(PREFIX.length));
    });
  }
}
