// The walkthrough follows what the user does (core/walkthrough.ts says why the extension marks the
// steps itself): a step is marked the first time in a window that its thing happens, by whatever
// route: connected to the vault, an agent for the files, a completion item of ours accepted (typed
// and Enter, or Ctrl+Space), a grant, a secret created or access requested (a quick fix, the
// sidebar, a form), a function run or debugged as its agent (the CodeLens, the command), a terminal
// opened (the button, Ctrl+`, the menu). The workbench keeps the progress in its profile.

import * as vscode from 'vscode';
import { TourProgress, tourContextKey, tourStepId, type TourStep } from './core/walkthrough';

/** The command a completion item of ours runs when the user accepts it (not in the palette). */
export const COMPLETION_ACCEPTED = 'secretsVault.tour.completionAccepted';
/** The workbench's own command that records a walkthrough step as done. */
const MARK_STEP_COMPLETE = 'welcome.markStepComplete';

/** Gives the name items of a completion result the command that says one was accepted (key items complete a name already chosen). */
export function markAccepted<T extends vscode.CompletionItem[] | vscode.CompletionList | null | undefined>(result: T): T {
  const items = Array.isArray(result) ? result : result?.items;
  for (const item of items ?? []) if (item.kind !== vscode.CompletionItemKind.Field) item.command ??= { title: '', command: COMPLETION_ACCEPTED };
  return result;
}

export class Walkthrough implements vscode.Disposable {
  private readonly progress = new TourProgress();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionId: string,
    private readonly setContext: (key: ReturnType<typeof tourContextKey>, value: true) => void,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(
      vscode.commands.registerCommand(COMPLETION_ACCEPTED, () => this.done('complete')),
      // Terminals the extension drives itself (a function's run) are not the user opening one.
      vscode.window.onDidOpenTerminal((t) => !('pty' in t.creationOptions) && this.done('ci')),
    );
    if (vscode.window.terminals.some((t) => !('pty' in t.creationOptions))) this.done('ci');
  }

  /** The user did `step`'s thing: its context key, and the workbench's record of the step. */
  done(step: TourStep): void {
    if (!this.progress.take(step)) return;
    this.setContext(tourContextKey(step), true);
    vscode.commands.executeCommand(MARK_STEP_COMPLETE, tourStepId(this.extensionId, step)).then(
      () => this.log.debug(`Walkthrough: step '${step}' done.`),
      // An editor without the command (the context key still completes the step), or a walkthrough
      // not registered yet (the workbench has recorded the step before it says so).
      (e: unknown) => this.log.debug(`Walkthrough: marking '${step}': ${e instanceof Error ? e.message : String(e)}`),
    );
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
