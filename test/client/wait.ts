// Waits on a state, never on a fixed sleep: polls `check` until it holds or the bound passes.

export async function waitFor(check: () => boolean, what: string, boundMs = 10_000): Promise<void> {
  const until = Date.now() + boundMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
