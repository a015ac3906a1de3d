// Types for scripts/editor.mjs, which the end-to-end tests import.
import type { ChildProcess } from 'node:child_process';

export const root: string;
export const vsixPath: string;
export const FIRST_RUN_SETTINGS: Record<string, unknown>;
export function packageExtension(log?: (s: string) => void): string;
export function freePort(preferred?: number): Promise<number>;
export interface DemoVault {
  url: string;
  adminKey: string;
  agentToken: string;
  dataDir: string;
  namingStyle: 'snake_case' | 'UPPER_CASE';
  child: ChildProcess;
  stop(): Promise<void>;
}
export function startDemoVault(options: { dataDir: string; port: number; naming?: 'snake_case' | 'UPPER_CASE' }): Promise<DemoVault>;
/** Copies the demo workspace and writes its secrets-vault.json: the vault URL, and `agent` only when given (project.yaml names the agent). */
export function prepareWorkspace(dir: string, options: { vaultUrl: string; agent?: string; fresh?: boolean }): string;
/** Makes the folder a git repository of its own unless it is one; false when git is not there. */
export function initRepository(dir: string): boolean;
export interface CodeServer {
  url: string;
  folderUrl: string;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}
export function startCodeServer(options: {
  stateDir: string;
  port: number;
  folder: string;
  env?: Record<string, string>;
  settings?: Record<string, unknown>;
  /** Keep the user's HOME and XDG folders (npm start); tests get fresh ones. */
  keepHome?: boolean;
  /** Which code-server (scripts/code-server.mjs EDITIONS); 'default' when absent. */
  edition?: import('./code-server.mjs').EditionName;
  /** More VSIX files to install beside the extension (a test's own). */
  extraVsix?: string[];
  log?: (s: string) => void;
}): Promise<CodeServer>;
/** A folder with a `secrets-vault` that runs this repository's built CLI. */
export function cliBinFolder(stateDir: string): string;
/** Puts `bin` on the PATH of the workspace's terminals (its .vscode/settings.json); returns the file. */
export function addTerminalPath(workspace: string, bin: string): string;
export function stopGroup(child: ChildProcess): Promise<void>;
