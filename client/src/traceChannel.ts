// Tracing that follows `secretsVault.trace.server` on its own. vscode-languageclient 10 traces only
// when its trace channel's log level is Trace, and reads the setting only to choose between messages
// and verbose ("off" becomes messages). So the client gets a trace channel that reports Trace while
// the setting is messages or verbose, and writes the traces into the Secrets Vault log at Info
// level, where they show without touching log levels. Apart from languageClient.ts, which loads
// later: the channel exists from activation.

import * as vscode from 'vscode';
import { config, SECTION } from './config';
import { redactTrace } from './core/traceText';

/** The client id is the settings prefix: the client reads `<id>.trace.server`. */
export const CLIENT_ID = SECTION;

/** A LogOutputChannel over the extension's log whose level follows the trace setting. */
export class TraceChannel implements vscode.LogOutputChannel {
  private readonly levelEmitter = new vscode.EventEmitter<vscode.LogLevel>();
  readonly onDidChangeLogLevel = this.levelEmitter.event;
  private readonly listener: vscode.Disposable;
  private level: vscode.LogLevel;

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.level = this.compute();
    this.listener = vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(`${CLIENT_ID}.trace.server`)) return;
      const level = this.compute();
      if (level === this.level) return;
      this.level = level;
      this.log.info(`Language server trace: ${config.traceServer}.`);
      this.levelEmitter.fire(level);
    });
  }

  private compute(): vscode.LogLevel {
    return config.traceServer === 'off' ? vscode.LogLevel.Info : vscode.LogLevel.Trace;
  }

  get name(): string {
    return this.log.name;
  }
  get logLevel(): vscode.LogLevel {
    return this.level;
  }
  trace(message: string, ...args: unknown[]): void {
    // Never a document's text: it may hold a credential pasted into the code (see core/traceText.ts).
    if (this.level === vscode.LogLevel.Trace) this.log.info(redactTrace(message), ...args);
  }
  debug(message: string, ...args: unknown[]): void {
    this.log.debug(message, ...args);
  }
  info(message: string, ...args: unknown[]): void {
    this.log.info(message, ...args);
  }
  warn(message: string, ...args: unknown[]): void {
    this.log.warn(message, ...args);
  }
  error(error: string | Error, ...args: unknown[]): void {
    this.log.error(error, ...args);
  }
  append(value: string): void {
    this.log.append(value);
  }
  appendLine(value: string): void {
    this.log.appendLine(value);
  }
  replace(value: string): void {
    this.log.replace(value);
  }
  clear(): void {
    this.log.clear();
  }
  show(preserveFocus?: boolean): void;
  show(column?: vscode.ViewColumn, preserveFocus?: boolean): void;
  show(a?: boolean | vscode.ViewColumn, b?: boolean): void {
    if (typeof a === 'boolean' || a === undefined) this.log.show(a);
    else this.log.show(a, b);
  }
  hide(): void {
    this.log.hide();
  }
  dispose(): void {
    // The log itself belongs to the context.
    this.listener.dispose();
    this.levelEmitter.dispose();
  }
}
