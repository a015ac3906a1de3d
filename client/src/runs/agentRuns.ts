// Running code as an agent from the editor: a function from its CodeLens (Run, Debug),
// or a terminal. Each mints a run token for the agent with the signed-in user's key (the vault
// decides who may), hands it to exactly one child process, terminal or debug session through its
// environment, and revokes it when that ends; the token's lifetime bounds it if the editor dies
// first. Nothing is persisted: no environmentVariableCollection, terminals are transient (not
// revived after a reload), and the log names token ids, never tokens. Values reach the extension
// host only in UPPER_CASE accounts, to be injected into that one environment.

import path from 'node:path';
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { VaultApi, VaultApiError } from '../../../protocol/client';
import type { RunFunctionArgs } from '../../../protocol/lsp';
import { config } from '../config';
import { injectableValues, skippedNamesWarnings } from '../../../protocol/processEnv';
import { agentPickItems } from '../core/agentLabels';
import { runEnvironmentFor, type EditorEnvironment } from '../core/environment';
import { adkEnvironmentPickItems, adkRunEnvironment, argsSkeleton, callCommand, childEnvironment, debugConfiguration, parseRunArgs, restrictedModeRefusal, RUN_MARKER, runEnvironment, terminalEnvironment } from '../core/runPlan';
import type { VaultConnection } from '../vault/connection';
import { undiciTransport } from '../vault/transport';
import { FunctionRun } from './functionRun';
import { optedInNames } from './optIn';
import { PYTHON_DEBUGGER_EXTENSION, pythonDebugType, pythonInterpreter } from './python';

/** A run token the extension minted and has not revoked yet. */
interface LiveToken {
  id: string;
  agent: string;
  expiresAt: string;
  /** What it was minted for, for the log. */
  purpose: string;
  /** The API it was minted with (the connection may be replaced before it is revoked). */
  api: VaultApi;
  timer: NodeJS.Timeout | undefined;
}

interface Minted {
  runId: string;
  agent: string;
  env: Record<string, string>;
  expiresAt: string;
  /** What conv.env is in this run, and why: for the run's first line and the log. */
  envNote: string;
}

const ARGS_KEY = 'secretsVault.runArgs';

/** Restricted Mode: refuse before anything is minted (the menus hide these commands there too). */
function requireTrust(what: string): void {
  const refusal = restrictedModeRefusal(vscode.workspace.isTrusted, what);
  if (refusal) throw new Error(refusal);
}

/** What the runs need of the extension's context (client/src/ctx.ts, which creates AgentRuns). */
export interface RunHost {
  readonly log: vscode.LogOutputChannel;
  readonly url: string;
  readonly extension: vscode.ExtensionContext;
  readonly currentAgent: string | null;
  currentFolder(): vscode.WorkspaceFolder | undefined;
  requireConnected(): VaultConnection;
  background(what: string, p: Thenable<unknown>): void;
}

export class AgentRuns implements vscode.Disposable {
  private readonly live = new Map<string, LiveToken>();
  private readonly terminals = new Map<vscode.Terminal, string>();
  /** Finished function-run terminals by function, closed when the same function runs again. */
  private readonly runTerminals = new Map<string, { terminal: vscode.Terminal; run: FunctionRun }>();
  private readonly disposables: vscode.Disposable[] = [];
  /** The environment picked for an ADK function's last run (`uri#name`), while the editor checks all: offered first next time. */
  private readonly pickedEnvironments = new Map<string, EditorEnvironment>();
  private readonly started = new vscode.EventEmitter<'run' | 'debug'>();
  /** A function started as its agent (run or debug session), by whatever route it was asked for. */
  readonly onDidStart = this.started.event;

  constructor(private readonly ctx: RunHost) {
    this.disposables.push(
      vscode.window.onDidCloseTerminal((t) => {
        for (const [key, entry] of this.runTerminals) {
          if (entry.terminal !== t) continue;
          // Closing a running function's terminal stops it (FunctionRun.close); its end revokes the token.
          this.runTerminals.delete(key);
          entry.run.dispose();
        }
        const runId = this.terminals.get(t);
        if (runId === undefined) return;
        this.terminals.delete(t);
        ctx.background('revoking a terminal’s run token', this.revoke(runId, 'its terminal closed'));
      }),
      vscode.debug.onDidTerminateDebugSession((s) => {
        const runId = s.configuration[RUN_MARKER];
        if (typeof runId === 'string') ctx.background('revoking a debug session’s run token', this.revoke(runId, 'its debug session ended'));
      }),
    );
  }

  /** Run tokens not yet revoked (their ids and agents only), for tests and the log. */
  get liveTokens(): Array<{ id: string; agent: string }> {
    return [...this.live.values()].map(({ id, agent }) => ({ id, agent }));
  }

  // ---- the commands ----

  async runFunction(args: RunFunctionArgs): Promise<void> {
    requireTrust('Run as an agent');
    const target = await this.prepare(args, 'Run');
    if (!target) return;
    const { doc, agent, argsJson, cwd, file, environment } = target;
    const key = `${doc.uri.toString()}#${args.name}`;
    const previous = this.runTerminals.get(key);
    if (previous && !previous.run.running) previous.terminal.dispose();
    const python = await pythonInterpreter(doc.uri, (m) => this.ctx.log.warn(m));
    const minted = await this.mint(agent, `run of ${args.name}`, environment, path.dirname(doc.uri.fsPath), target.folder?.uri.fsPath);
    const run = new FunctionRun({
      name: args.name,
      params: args.adk === 'flow function' || args.adk === 'function step' ? 'conv, flow…' : undefined,
      agent,
      file,
      command: callCommand(python.path, file, args.name, argsJson),
      cwd,
      env: childEnvironment(process.env, minted.env),
      note: minted.envNote,
      finished: async () => ((await this.revoke(minted.runId, `${args.name} ended`)) ? 'Run token revoked.' : 'The run token could not be revoked: it expires by itself.'),
    });
    const terminal = vscode.window.createTerminal({ name: `Run ${args.name} as ${agent}${args.adk ? ` (${environment.env})` : ''}`, pty: run, isTransient: true, iconPath: new vscode.ThemeIcon('play') });
    this.runTerminals.set(key, { terminal, run });
    terminal.show(true);
    this.started.fire('run');
  }

  async debugFunction(args: RunFunctionArgs): Promise<void> {
    requireTrust('Debug as an agent');
    // Before anything is minted: without a Python debugger there is nothing to hand a token to.
    const type = pythonDebugType();
    if (!type) {
      const choice = await vscode.window.showErrorMessage(
        `Debug as an agent needs the Python Debugger extension (${PYTHON_DEBUGGER_EXTENSION}), which is not installed. Install it, or run the function without the debugger.`,
        'Install Python Debugger',
        'Run Instead',
      );
      if (choice === 'Install Python Debugger') await vscode.commands.executeCommand('workbench.extensions.search', `@id:${PYTHON_DEBUGGER_EXTENSION}`);
      else if (choice === 'Run Instead') await this.runFunction(args);
      return;
    }
    const target = await this.prepare(args, 'Debug');
    if (!target) return;
    const { doc, agent, argsJson, cwd, file, folder, environment } = target;
    const python = await pythonInterpreter(doc.uri, (m) => this.ctx.log.warn(m));
    const minted = await this.mint(agent, `debug session of ${args.name}`, environment, path.dirname(doc.uri.fsPath), folder?.uri.fsPath);
    const configuration = debugConfiguration({ type, file, name: args.name, agent, argsJson, cwd, python: python.path, env: minted.env, runId: minted.runId });
    let started = false;
    try {
      started = await vscode.debug.startDebugging(folder, configuration);
    } finally {
      if (!started) await this.revoke(minted.runId, 'the debug session did not start');
    }
    if (!started) throw new Error(`The ${type} debugger did not start the session (see the Debug Console).`);
    this.started.fire('debug');
  }

  /** "Open Terminal as AGENT": a shell whose environment carries a run token until it closes. */
  async openTerminal(agentArg?: unknown): Promise<void> {
    requireTrust('Open Terminal as Agent');
    const conn = this.ctx.requireConnected();
    const agent = typeof agentArg === 'string' && agentArg ? agentArg : (this.ctx.currentAgent ?? (await this.pickAgent('Open a terminal as which agent?')));
    if (!agent) return;
    if (!conn.metadata.agents.some((a) => a.id === agent)) throw new Error(`The vault has no agent '${agent}'.`);
    const folder = this.ctx.currentFolder();
    const minted = await this.mint(agent, 'terminal', runEnvironmentFor(config.environment), folder?.uri.fsPath, folder?.uri.fsPath);
    const until = new Date(minted.expiresAt).toLocaleTimeString();
    const envNote = ` ${minted.envNote[0]!.toUpperCase()}${minted.envNote.slice(1)}.`;
    const injectedNote = conn.namingStyle === 'UPPER_CASE' ? ` Its granted secrets are environment variables, as on the platform.` : '';
    const terminal = vscode.window.createTerminal({
      name: `${agent} (agent)`,
      cwd: folder?.uri,
      env: terminalEnvironment(process.env, minted.env),
      isTransient: true,
      iconPath: new vscode.ThemeIcon('key'),
      message:
        `\x1b[2mThis terminal runs as ${agent}: SECRETS_VAULT_TOKEN is a run token valid until ${until}, revoked when the terminal closes.` +
        `${injectedNote}${envNote} Python finds the shim (from secrets_vault import get_secret, Conv); python3 -m secrets_vault call FILE:NAME calls a function.\x1b[0m`,
    });
    this.terminals.set(terminal, minted.runId);
    terminal.show();
  }

  // ---- steps shared by the commands ----

  /** The document (saved), the agent, the arguments and where to run, or undefined when the person cancelled. */
  private async prepare(args: RunFunctionArgs, verb: 'Run' | 'Debug') {
    const conn = this.ctx.requireConnected();
    if (typeof args?.uri !== 'string' || typeof args.name !== 'string') throw new Error(`${verb} needs a function: use the CodeLens above it.`);
    const uri = vscode.Uri.parse(args.uri);
    if (uri.scheme !== 'file') throw new Error(`Only a file on disk can be run as an agent (this one is ${uri.scheme}:).`);
    const doc = await vscode.workspace.openTextDocument(uri);
    const agent = args.agent ?? (await this.pickAgent(`${verb} ${args.name} as which agent?`));
    if (!agent) return undefined;
    if (!conn.metadata.agents.some((a) => a.id === agent)) throw new Error(`The vault has no agent '${agent}'.`);
    const key = `${uri.toString()}#${args.name}`;
    const environment = args.adk ? await this.adkEnvironment(key, `${verb} ${args.name} as ${agent} in which environment? (conv.env)`) : runEnvironmentFor(config.environment);
    if (!environment) return undefined;
    const memory = this.ctx.extension.workspaceState.get<Record<string, string>>(ARGS_KEY, {});
    const flow = args.adk === 'flow function' || args.adk === 'function step';
    const typed = await vscode.window.showInputBox({
      title: `${verb} ${args.name} as ${agent}${args.adk ? ` (${environment.env})` : ''}`,
      prompt: `Arguments after ${flow ? 'conv and flow' : 'conv'}: a JSON object of keyword arguments, or an array of positional ones. Empty for none.`,
      value: memory[key] ?? argsSkeleton(doc.getText(), args.name),
      ignoreFocusOut: true,
      validateInput: (text) => {
        const parsed = parseRunArgs(text);
        return parsed.ok ? undefined : parsed.error;
      },
    });
    if (typed === undefined) return undefined;
    const parsed = parseRunArgs(typed);
    if (!parsed.ok) throw new Error(parsed.error);
    await this.ctx.extension.workspaceState.update(ARGS_KEY, { ...memory, [key]: parsed.json ?? '' });
    // The shim imports the file from disk: what the editor shows must be what runs.
    if (doc.isDirty && !(await doc.save())) throw new Error(`${path.basename(uri.fsPath)} could not be saved, so it was not run.`);
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    const cwd = folder?.uri.fsPath ?? path.dirname(uri.fsPath);
    return { doc, agent, argsJson: parsed.json, cwd, file: path.relative(cwd, uri.fsPath), folder, environment };
  }

  /**
   * An ADK function's environment: the one chosen in the editor, else (all of them checked) one
   * picked for this run, the function's last pick offered first; undefined when the person cancelled.
   */
  private async adkEnvironment(key: string, placeHolder: string): Promise<{ env: EditorEnvironment; note: string } | undefined> {
    const chosen = adkRunEnvironment(config.environment, undefined);
    if (chosen) return chosen;
    const picked = await vscode.window.showQuickPick(adkEnvironmentPickItems(this.pickedEnvironments.get(key)), { placeHolder, ignoreFocusOut: true });
    if (!picked) return undefined;
    this.pickedEnvironments.set(key, picked.env);
    return adkRunEnvironment('all', picked.env);
  }

  private async pickAgent(placeHolder: string): Promise<string | undefined> {
    const conn = this.ctx.requireConnected();
    // The id as label, the display name beside it; the id is carried, never read back from the label.
    const picked = await vscode.window.showQuickPick(agentPickItems(conn.metadata.agents, this.ctx.currentAgent), { placeHolder, matchOnDescription: true });
    return picked?.agent;
  }

  /**
   * Mints a run token and builds the run's environment (with the agent's values in UPPER_CASE
   * accounts: the credential-shaped names, and those the nearest secrets-vault.json from `dir` up
   * to `root` opts into).
   */
  private async mint(agent: string, purpose: string, environment: { env: EditorEnvironment; note: string }, dir: string | undefined, root: string | undefined): Promise<Minted> {
    const conn = this.ctx.requireConnected();
    const shimDir = this.ctx.extension.asAbsolutePath(path.join('dist', 'python'));
    if (!existsSync(path.join(shimDir, 'secrets_vault', '__init__.py'))) throw new Error('The Python shim is missing from this installation of the extension.');
    const api = conn.api;
    const ttl = config.runTokenMinutes * 60;
    const token = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Minting a run token for ${agent}` }, () => api.mintRunToken(agent, ttl));
    const live: LiveToken = { id: token.id, agent, expiresAt: token.expiresAt, purpose, api, timer: undefined };
    this.live.set(token.id, live);
    // A terminal can outlive its token: say so when it expires instead of letting reads fail unexplained.
    const ms = new Date(token.expiresAt).getTime() - Date.now();
    if (ms > 0 && ms < 2 ** 31) {
      live.timer = setTimeout(() => this.expired(token.id), ms);
      live.timer.unref?.();
    }
    this.ctx.log.info(`Minted run token ${token.id} for ${agent} (${purpose}), expiring ${token.expiresAt}; ${environment.note}.`);
    let injected: Record<string, string> = {};
    try {
      if (conn.namingStyle === 'UPPER_CASE') {
        injected = (await new VaultApi(undiciTransport(this.ctx.url, { allowInsecureHttp: config.allowInsecureHttp }), token.token).runtimeEnv()).env;
      }
    } catch (e) {
      await this.revoke(token.id, 'its environment could not be read');
      throw e;
    }
    // Injection by allowlist (protocol/processEnv.ts): a credential-shaped name, or one opted into;
    // never one that controls a process (PATH, LD_PRELOAD, PS0…). runEnvironment leaves the others out; say so.
    const optIn = dir === undefined ? [] : await optedInNames(dir, root, (m) => this.ctx.log.warn(m));
    for (const warning of skippedNamesWarnings(injectableValues(injected, optIn).skipped)) {
      this.ctx.log.warn(`${agent} (${purpose}): ${warning}`);
      void vscode.window.showWarningMessage(warning);
    }
    const env = runEnvironment({
      url: this.ctx.url,
      token: token.token,
      shimDir,
      pythonPath: process.env.PYTHONPATH,
      injected,
      optIn,
      allowInsecureHttp: config.allowInsecureHttp,
      delimiter: path.delimiter,
      environment: environment.env,
    });
    return { runId: token.id, agent, env, expiresAt: token.expiresAt, envNote: environment.note };
  }

  /** Revokes a run token the extension minted; true when the vault confirmed (or it was already gone). */
  private async revoke(runId: string, why: string): Promise<boolean> {
    const live = this.live.get(runId);
    if (!live) return true;
    this.live.delete(runId);
    clearTimeout(live.timer);
    try {
      await live.api.revokeRunToken(live.agent, live.id);
      this.ctx.log.info(`Revoked run token ${live.id} for ${live.agent}: ${why}.`);
      return true;
    } catch (e) {
      // Already expired or revoked elsewhere: nothing is left to revoke.
      if (e instanceof VaultApiError && e.status === 404) return true;
      const message = e instanceof Error ? e.message : String(e);
      this.ctx.log.warn(`Could not revoke run token ${live.id} for ${live.agent} (${message}); it expires at ${live.expiresAt}.`);
      return false;
    }
  }

  private expired(runId: string): void {
    const live = this.live.get(runId);
    if (!live) return;
    this.live.delete(runId);
    this.ctx.log.info(`Run token ${live.id} for ${live.agent} (${live.purpose}) expired.`);
    const terminal = [...this.terminals].find(([, id]) => id === runId)?.[0];
    if (!terminal) return;
    this.terminals.delete(terminal);
    void vscode.window
      .showWarningMessage(`The run token of the terminal '${terminal.name}' expired: reads from it now fail. Open a new terminal as ${live.agent}.`, 'Open Terminal')
      .then((choice) => choice && this.ctx.background('opening a terminal', this.openTerminal(live.agent)));
  }

  /** Revokes every token still live (the extension is stopping): bounded, so deactivation cannot hang. */
  async revokeAll(): Promise<void> {
    const ids = [...this.live.keys()];
    if (ids.length === 0) return;
    await Promise.race([Promise.allSettled(ids.map((id) => this.revoke(id, 'the extension stopped'))), new Promise((r) => setTimeout(r, 3000))]);
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
    for (const { run } of this.runTerminals.values()) run.dispose();
    for (const live of this.live.values()) clearTimeout(live.timer);
    this.started.dispose();
  }
}
