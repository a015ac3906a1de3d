// The status bar item beside the Secrets one: the environment the diagnostics follow
// (`secretsVault.environment`, core/environment.ts), and Choose Environment, the picker its click
// opens, which writes the setting; the setting's change reaches the language server through the
// metadata sync like any other context change.

import * as vscode from 'vscode';
import { config } from './config';
import { environmentPickItems, environmentStatus, type EnvironmentChoice } from './core/environment';

export const PICK_ENVIRONMENT = 'secretsVault.pickEnvironment';

export class EnvironmentItem implements vscode.Disposable {
  // Just right of the Secrets item (priority 10): the agent, then the environment its reads are checked in.
  private readonly item = vscode.window.createStatusBarItem('secretsVault.environment', vscode.StatusBarAlignment.Left, 9);
  private shown: EnvironmentChoice | undefined;

  constructor() {
    this.item.name = 'Secrets Vault Environment';
    this.item.command = PICK_ENVIRONMENT;
  }

  /** Shows the choice, drawn again only when it changed. Shown whenever the Secrets item is (always). */
  update(choice: EnvironmentChoice): void {
    if (this.shown !== choice) {
      const status = environmentStatus(choice);
      this.item.text = status.text;
      this.item.tooltip = status.tooltip;
      this.item.accessibilityInformation = { label: status.label };
      this.shown = choice;
      this.item.show();
    }
  }

  dispose(): void {
    this.item.dispose();
  }
}

/** Secrets Vault: Choose Environment: a pick of all / sandbox / pre-release / live, the current one marked. */
export async function pickEnvironment(log: vscode.LogOutputChannel): Promise<void> {
  const current = config.environment;
  const picked = await vscode.window.showQuickPick(environmentPickItems(current), {
    title: 'Secrets Vault: Choose Environment',
    placeHolder: 'The environment whose secret reads the diagnostics check (and runs get as conv.env)',
    matchOnDetail: true,
  });
  if (!picked || picked.choice === current) return;
  await config.setEnvironment(picked.choice);
  log.info(`Environment: ${picked.choice}.`);
}
