// Terminal input and output for the CLI: values come from stdin or a hidden prompt, never argv.

import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { displayWidth, padDisplay, safeText } from '../../../protocol/safeText';

/** Reads all of stdin (a pipe or a file); one trailing newline is dropped, as `echo` adds one. */
export async function readStdin(stdin: NodeJS.ReadableStream = process.stdin): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

/** Asks on the terminal without echoing what is typed. */
export async function promptHidden(question: string): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk, _enc, cb) {
      if (!muted) process.stderr.write(chunk);
      cb();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  try {
    process.stderr.write(question);
    muted = true;
    const answer = await new Promise<string>((resolve, reject) => {
      rl.once('line', resolve);
      rl.once('close', () => reject(new CliError('No value was entered.', 2)));
      rl.once('SIGINT', () => reject(new CliError('Cancelled.', 130)));
    });
    return answer;
  } finally {
    muted = false;
    process.stderr.write('\n');
    rl.close();
  }
}

/** Asks a yes/no question on the terminal (stderr); only `y` or `yes` is yes. */
export async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  try {
    const answer = await new Promise<string>((resolve) => {
      rl.question(question, resolve);
      rl.once('close', () => resolve(''));
    });
    return /^\s*y(es)?\s*$/i.test(answer);
  } finally {
    rl.close();
  }
}

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Exit codes, documented in docs/cli.md. */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  unreachable: 3,
  auth: 4,
  conflict: 5,
} as const;

/**
 * A line for people: every interpolated value goes through safeText, since names, details, paths and
 * messages can come from a server or a file (a newline or an ANSI escape in them must not reach the
 * terminal raw). The template's own text is ours and kept as written.
 */
export function human(strings: TemplateStringsArray, ...values: unknown[]): string {
  let s = strings[0] ?? '';
  values.forEach((v, i) => {
    s += safeText(String(v)) + (strings[i + 1] ?? '');
  });
  return inertLines(s);
}

/** A line GitHub Actions reads as a workflow command: `::` (or the older `##[`) after leading white space. */
const WORKFLOW_COMMAND = /^(\s*)([:#])(?=:|#\[)/;

/**
 * `text` with every line that would be a workflow command in a CI log made inert: its first `:` or
 * `#` shown as the escape safeText would use (`\x3a:error::x`). A secret named `::error::x` (a valid
 * name: names are printable text) or a description `::add-mask::…` starts a table row or an
 * indented line, where it would annotate, mask or set variables in the log of whoever runs the CLI
 * in CI.
 */
export function inertLines(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(WORKFLOW_COMMAND, (_m, space: string, c: string) => `${space}\\x${c.charCodeAt(0).toString(16)}`))
    .join('\n');
}

/**
 * Columns padded to line up; every cell is escaped with safeText first (so widths match what is
 * shown), and measured in terminal columns, so that names with wide characters, emoji or combining
 * marks do not push the columns after them out of line.
 */
export function table(rows: string[][], header: string[]): string {
  // A cell an older vault does not send (a new column) shows empty rather than failing the command.
  // The first cell starts the line: made inert before measuring, so that its row stays aligned.
  const all = [header, ...rows].map((r) => r.map((c: string | undefined, i) => (i === 0 ? inertLines(safeText(c ?? '')) : safeText(c ?? ''))));
  const widths = header.map((_, i) => Math.max(...all.map((r) => displayWidth(r[i] ?? ''))));
  return inertLines(all.map((r) => r.map((c, i) => (i === r.length - 1 ? c : padDisplay(c, widths[i]!))).join('  ')).join('\n'));
}

/** A line to stdout (results). */
export const out = (s: string): void => {
  process.stdout.write(`${s}\n`);
};
/** A line to stderr (notices and errors). */
export const info = (s: string) => process.stderr.write(`${s}\n`);
