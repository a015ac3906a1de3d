export interface Edition {
  /** code-server's version. */
  version: string;
  /** The VS Code it is. */
  vscode: string;
  /** The Node it runs on, from the npm registry; the machine's when absent. */
  node?: string;
  dir: string;
}
export const EDITIONS: { default: Edition; mcp: Edition };
export type EditionName = keyof typeof EDITIONS;
export function ensureEdition(name: EditionName, log?: (s: string) => void): { entry: string; node: string; version: string };
export function runLogged(cmd: string, args: string[], logFile: string, options?: import('node:child_process').SpawnSyncOptions): void;
