// The walkthrough's steps (package.json `contributes.walkthroughs`), without vscode: which step a
// thing the user did completes, the context key each step completes on, and the id the workbench
// knows the step by.
//
// Why the extension marks steps itself rather than leaving it to `onCommand:` events: the workbench
// sees a command only when it runs one by its id. A CodeLens or a quick fix whose command has
// arguments runs through an internal delegating command; a completion typed and accepted with Enter,
// a terminal opened with Ctrl+`, a sign-in that the environment's key made, run no command of the
// step at all. And an `onContext:` event whose expression already holds when the walkthrough is
// registered (the workbench registers it lazily, often only when the page is first opened) is
// recorded as seen without completing the step, so a step done before the page was opened never
// ticked (the demo window). So each step completes on its own context key, set when the thing
// happens by any route, and the extension also marks the step complete through the workbench's
// `welcome.markStepComplete`, which records it whatever the walkthrough's state.

export const WALKTHROUGH_ID = 'secretsVault.gettingStarted';

export const TOUR_STEPS = ['connect', 'agent', 'complete', 'fix', 'run', 'ci'] as const;
export type TourStep = (typeof TOUR_STEPS)[number];

/** The context key a step completes on (`onContext:secretsVault.tour.run`). */
export function tourContextKey(step: TourStep): `secretsVault.tour.${TourStep}` {
  return `secretsVault.tour.${step}`;
}

/** The step as the workbench knows it: `publisher.name#walkthrough#step`. */
export function tourStepId(extensionId: string, step: TourStep): string {
  return `${extensionId}#${WALKTHROUGH_ID}#${step}`;
}

/** What the connection and the views show that completes steps by itself: connected, an agent. */
export function stepsShown(input: { state: string; agent: string | null }): TourStep[] {
  const steps: TourStep[] = [];
  if (input.state === 'connected') steps.push('connect');
  if (input.agent !== null) steps.push('agent');
  return steps;
}

/** The steps already marked in this window: each is sent to the workbench once. */
export class TourProgress {
  private readonly marked = new Set<TourStep>();

  /** Whether to mark `step` now (true the first time only). */
  take(step: TourStep): boolean {
    if (this.marked.has(step)) return false;
    this.marked.add(step);
    return true;
  }

  has(step: TourStep): boolean {
    return this.marked.has(step);
  }
}
