// The extension's entry point: build the context, register the commands, start. Activation is lazy
// (the languages, the views, the commands, a secrets-vault.json), see package.json.

import type * as vscode from 'vscode';
import { registerCommands } from './commands';
import { Ctx } from './ctx';
import { registerMcp } from './mcpProvider';

let ctx: Ctx | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const activatedAt = performance.now();
  ctx = new Ctx(context, activatedAt);
  registerCommands(ctx);
  try {
    registerMcp(ctx);
  } catch (e) {
    // The assistants' server is an extra: the rest of the extension starts without it.
    ctx.log.error(`Registering the MCP server failed: ${e instanceof Error ? e.message : String(e)}`);
  }
  try {
    await ctx.start();
  } catch (e) {
    // The views and commands still work without the language server; say why it is missing.
    ctx.log.error(`Starting the language server failed: ${e instanceof Error ? e.message : String(e)}`);
  }
  ctx.log.info(`Activated in ${Math.round(performance.now() - activatedAt)} ms.`);
}

export async function deactivate(): Promise<void> {
  const c = ctx;
  ctx = undefined;
  await c?.dispose();
}
