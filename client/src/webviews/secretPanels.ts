// The three secret forms as VS Code webview panels.
//
// For the extension: create one `SecretPanels` per extension activation and dispose of it with the
// extension (push it on the extension-lifetime disposal list).
//
//   const panels = new SecretPanels(context.extensionUri, {
//     session: async () => ({ api, namingStyle, currentAgent }), // reject when not connected
//     onDidChange: (secret) => sidebar.refresh(secret),            // optional
//     log: (line) => output.appendLine(line),                      // optional; never given a value
//   });
//   panels.openCreate();                          // palette, sidebar "+"
//   panels.openCreate({ name, agent, keys });     // the "Create secret 'x'" quick fix (CreateSecretArgs)
//   panels.openCreate({ name, value, moveFrom, onCreated }); // Move to vault (the value stays in the host's closure)
//   panels.openEdit(name);                        // sidebar item, palette
//   panels.openAccess(name);                      // sidebar item, palette
//
// One panel per form and secret: opening it again focuses it. On success the panel closes itself
// after `onDidChange`. The bundles are `dist/webview/{createSecret,editSecret,editAccess}.js`.

import * as vscode from 'vscode';
import { newNonce, renderPanelHtml } from './html';
import { PanelController, targetKey, type CreatePrefill, type FormTarget, type PanelDeps } from './panelController';

export type { PanelDeps, PanelSession } from './panelController';

const VIEW_TYPE = 'secretsVault.secretForm';

const BUNDLES: Record<FormTarget['form'], string> = {
  create: 'createSecret.js',
  edit: 'editSecret.js',
  access: 'editAccess.js',
};

function titleOf(target: FormTarget): string {
  switch (target.form) {
    case 'create':
      return target.prefill?.name ? `Create Secret: ${target.prefill.name}` : 'Create Secret';
    case 'edit':
      return `Edit Secret: ${target.name}`;
    case 'access':
      return `Edit Access: ${target.name}`;
  }
}

interface OpenPanel {
  panel: vscode.WebviewPanel;
  controller: PanelController;
  disposables: vscode.Disposable[];
}

export class SecretPanels implements vscode.Disposable {
  private readonly open = new Map<string, OpenPanel>();
  private readonly bundleRoot: vscode.Uri;

  constructor(
    extensionUri: vscode.Uri,
    private readonly deps: PanelDeps,
  ) {
    this.bundleRoot = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
  }

  openCreate(prefill?: CreatePrefill): void {
    this.show(prefill ? { form: 'create', prefill } : { form: 'create' });
  }

  /** With `keys` (the `not-a-mapping` quick fix), a single value's form starts as key/value pairs with these keys. */
  openEdit(name: string, keys?: string[]): void {
    this.show(keys?.length ? { form: 'edit', name, keys } : { form: 'edit', name });
  }

  openAccess(name: string): void {
    this.show({ form: 'access', name });
  }

  dispose(): void {
    // Disposing a panel runs its onDidDispose, which removes it from the map.
    for (const { panel } of [...this.open.values()]) panel.dispose();
  }

  private show(target: FormTarget): void {
    const key = targetKey(target);
    const existing = this.open.get(key);
    if (existing) {
      existing.panel.reveal();
      return;
    }
    const panel = vscode.window.createWebviewPanel(VIEW_TYPE, titleOf(target), vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [this.bundleRoot],
      // Not retained: when shown again the page reloads, says `ready` and gets fresh data; the
      // webview keeps its non-secret draft in setState.
      retainContextWhenHidden: false,
    });
    const controller = new PanelController(
      target,
      {
        post: (message) => {
          panel.webview.postMessage(message).then(undefined, (e: unknown) => this.deps.log?.(`Could not post to the form: ${String(e)}`));
        },
        close: () => panel.dispose(),
      },
      this.deps,
    );
    const disposables: vscode.Disposable[] = [
      panel.webview.onDidReceiveMessage((raw: unknown) => {
        controller.receive(raw).then(undefined, (e: unknown) => this.deps.log?.(`A form message failed: ${e instanceof Error ? e.name : 'error'}`));
      }),
      panel.onDidDispose(() => {
        controller.dispose();
        for (const d of disposables) d.dispose();
        this.open.delete(key);
      }),
    ];
    this.open.set(key, { panel, controller, disposables });
    panel.webview.html = renderPanelHtml({
      title: titleOf(target),
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(this.bundleRoot, BUNDLES[target.form])).toString(),
      nonce: newNonce(),
    });
  }
}
