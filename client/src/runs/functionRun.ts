// One function run in a terminal of its own: a pseudoterminal that starts the shim's `call` as a
// child process, so that the extension knows the moment it ends (and revokes its run token then),
// draws a header and a footer around the function's output, and passes Ctrl+C and typed lines on.
// The return value is what the shim prints last; the footer says how the call ended.

import { spawn, type ChildProcess } from 'node:child_process';
import * as vscode from 'vscode';
import { formatDuration, terminalText } from '../core/runPlan';

export interface FunctionRunPlan {
  /** The function's name, for the header and footer. */
  name: string;
  /** The parameters the header shows (default `conv…`; `conv, flow…` for a flow function or step). */
  params?: string | undefined;
  agent: string;
  /** The file as shown (relative to cwd). */
  file: string;
  command: string[];
  cwd: string;
  /** The whole environment of the child (the extension host's plus the run's). */
  env: NodeJS.ProcessEnv;
  /** Said after the header: what conv.env is in this run (core/environment.ts runEnvironmentFor). */
  note?: string;
  /** Called once when the child has ended (or failed to start): revokes the token; returns a note for the footer. */
  finished(): Promise<string>;
}

const DIM = '\x1b[2m';
const RED = '\x1b[31m';
const GREEN = '\x1b[32m';
const BOLD = '\x1b[1m';
const RESET = '\x1b[0m';

/** What an exit code of `python -m secrets_vault call` means (see its docstring). */
function outcome(name: string, code: number | null, signal: NodeJS.Signals | null): { ok: boolean; text: string } {
  if (code === 0) return { ok: true, text: `${name} returned` };
  if (code === 1) return { ok: false, text: `${name} raised an exception` };
  if (code === 2) return { ok: false, text: `${name} could not be called (usage error above)` };
  if (signal) return { ok: false, text: `${name} was stopped (${signal})` };
  return { ok: false, text: `${name} ended with exit code ${code ?? 'unknown'}` };
}

export class FunctionRun implements vscode.Pseudoterminal {
  private readonly write = new vscode.EventEmitter<string>();
  private readonly closed = new vscode.EventEmitter<number | void>();
  readonly onDidWrite = this.write.event;
  readonly onDidClose = this.closed.event;
  private child: ChildProcess | undefined;
  private state: 'idle' | 'running' | 'ending' | 'done' = 'idle';
  private line = '';
  private readonly ended = new vscode.EventEmitter<{ ok: boolean }>();
  /** Fires once the run has ended and its footer is written. */
  readonly onDidEnd = this.ended.event;

  constructor(private readonly plan: FunctionRunPlan) {}

  get running(): boolean {
    return this.state === 'running' || this.state === 'ending';
  }

  open(): void {
    if (this.state !== 'idle') return;
    this.state = 'running';
    const { plan } = this;
    this.write.fire(`${DIM}Running ${plan.name}(${plan.params ?? 'conv…'}) from ${plan.file} as ${plan.agent}, with a run token that is revoked when it ends.${RESET}\r\n`);
    if (plan.note) this.write.fire(`${DIM}${plan.note}.${RESET}\r\n`);
    this.write.fire(`${DIM}$ ${plan.command.map(quoteArg).join(' ')}${RESET}\r\n\r\n`);
    const started = Date.now();
    let child: ChildProcess;
    try {
      child = spawn(plan.command[0]!, plan.command.slice(1), { cwd: plan.cwd, env: plan.env, stdio: ['pipe', 'pipe', 'pipe'] });
    } catch (e) {
      void this.finish(started, null, null, e instanceof Error ? e.message : String(e));
      return;
    }
    this.child = child;
    child.stdout?.setEncoding('utf8');
    child.stderr?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => this.write.fire(terminalText(chunk)));
    child.stderr?.on('data', (chunk: string) => this.write.fire(`${RED}${terminalText(chunk)}${RESET}`));
    // A closed stdin (the function never reads) must not crash the extension host.
    child.stdin?.on('error', () => undefined);
    let startError: string | undefined;
    child.on('error', (e: NodeJS.ErrnoException) => {
      startError = e.code === 'ENOENT' ? `'${plan.command[0]}' was not found: install Python 3, or select an interpreter with the Python extension.` : e.message;
      // 'close' may not follow a failed spawn.
      if (child.pid === undefined) void this.finish(started, null, null, startError);
    });
    child.on('close', (code, signal) => void this.finish(started, code, signal, startError));
  }

  private async finish(started: number, code: number | null, signal: NodeJS.Signals | null, startError: string | undefined): Promise<void> {
    // A failed start can report twice ('error', then 'close'): the first report ends the run.
    if (this.state !== 'running') return;
    this.state = 'ending';
    const took = formatDuration(Date.now() - started);
    const note = await this.plan.finished();
    const result = startError ? { ok: false, text: `${this.plan.name} could not start: ${startError}` } : outcome(this.plan.name, code, signal);
    const mark = result.ok ? `${GREEN}✓` : `${RED}✗`;
    this.write.fire(`\r\n${mark} ${BOLD}${result.text}${RESET}${DIM} in ${took}. ${note}${RESET}\r\n${DIM}Press any key to close this terminal.${RESET}\r\n`);
    this.state = 'done';
    this.ended.fire({ ok: result.ok });
  }

  handleInput(data: string): void {
    if (this.state === 'done') {
      this.closed.fire();
      return;
    }
    const child = this.child;
    if (!child || this.state !== 'running') return;
    for (const ch of data) {
      if (ch === '\x03') {
        this.write.fire('^C\r\n');
        child.kill('SIGINT');
      } else if (ch === '\x04') {
        child.stdin?.end();
      } else if (ch === '\r') {
        this.write.fire('\r\n');
        child.stdin?.write(`${this.line}\n`);
        this.line = '';
      } else if (ch === '\x7f' || ch === '\b') {
        if (this.line.length > 0) {
          this.line = this.line.slice(0, -1);
          this.write.fire('\b \b');
        }
      } else if (ch >= ' ') {
        this.line += ch;
        this.write.fire(ch);
      }
    }
  }

  /** The terminal was closed (by the person, or the window): stop the function; its end revokes the token. */
  close(): void {
    if (this.state === 'running') this.child?.kill('SIGTERM');
  }

  dispose(): void {
    this.write.dispose();
    this.closed.dispose();
    this.ended.dispose();
  }
}

function quoteArg(a: string): string {
  return /^[A-Za-z0-9_./:=@+-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`;
}
