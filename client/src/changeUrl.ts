// Change URL: the vault's address typed into an input box that checks it as it is typed, written to
// the `secretsVault.url` setting where it is set now (workspace or user settings), else to the
// workspace's when a folder is open. The settings change reconnects (ctx.ts reload).

import * as vscode from 'vscode';
import { SECTION } from './config';
import { insecureUrlProblem } from './core/connectionConfig';
import { vaultUrlProblem } from './core/reachability';

export async function changeVaultUrl(current: string, allowInsecureHttp: boolean): Promise<string | undefined> {
  const typed = await vscode.window.showInputBox({
    title: 'Secrets Vault: Change URL',
    prompt: `The vault's URL (now ${current}). API keys are kept per URL.`,
    value: current,
    ignoreFocusOut: true,
    validateInput: (v) => {
      const problem = vaultUrlProblem(v) ?? insecureUrlProblem(v.trim(), allowInsecureHttp);
      return problem ? { message: problem, severity: vscode.InputBoxValidationSeverity.Error } : undefined;
    },
  });
  if (typed === undefined) return undefined;
  const url = typed.trim().replace(/\/+$/, '');
  const c = vscode.workspace.getConfiguration(SECTION);
  const inspected = c.inspect<string>('url');
  const target =
    inspected?.workspaceValue !== undefined
      ? vscode.ConfigurationTarget.Workspace
      : inspected?.globalValue !== undefined || !vscode.workspace.workspaceFolders?.length
        ? vscode.ConfigurationTarget.Global
        : vscode.ConfigurationTarget.Workspace;
  await c.update('url', url, target);
  return url;
}
