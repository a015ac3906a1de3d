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
/** Whether an edition is installed and whole, so that ensureEdition has nothing to do. */
export function editionInstalled(name: EditionName): boolean;
export function ensureEdition(name: EditionName, log?: (s: string) => void): { entry: string; node: string; version: string };
export function runLogged(cmd: string, args: string[], logFile: string, options?: import('node:child_process').SpawnSyncOptions): void;
/** The packages whose install scripts an install runs (`npm rebuild` of these only), and why. */
export const REBUILT: Record<string, string>;
/** The environment an edition installs in: `base` without npm's variables of the run that started it, `nodeBin` first on PATH, `tmp` as every temporary folder. */
export function installEnvironment(base: NodeJS.ProcessEnv, options: { tmp: string; nodeBin: string; nodedir?: string }): Record<string, string>;
export function rebuildEnvironment(env: Record<string, string>, tmp: string): Record<string, string>;
/** The packages under a node_modules folder (nested ones too) that have install scripts. */
export function installScripts(nodeModules: string): string[];
/** Writes @vscode/ripgrep's cache archive (holding `rg`) in `tmp`, exclusively and never through a link; returns its path and rg's digest. */
export function writeRipgrepCache(tmp: string, rgVersion: string, asset: string, rg: string): { archive: string; digest: string };
/** npm settings (npm_config_<name>) an install keeps from its environment: where packages come from. */
export const NPM_SOURCE_SETTINGS: Set<string>;
