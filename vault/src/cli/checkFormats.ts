// The four outputs of `secrets-vault check`: text for people, JSON for scripts, SARIF 2.1.0 for code
// scanning dashboards, and GitHub workflow commands for pull-request annotations. JSON goes through
// safeJson, so even it holds no raw character a terminal would act on. All are pure
// functions of the report, sorted already, so the same tree gives byte-for-byte the same output.

import { pathToFileURL } from 'node:url';
import { CHECK_SEVERITIES, DIAGNOSTIC_RULES, type CheckedAgent, type DiagnosticRule, type CheckFinding, type CheckReport, type CheckSeverity, type SkippedFile } from '../../../protocol/check';
import { DiagnosticCodes } from '../../../protocol/diagnosticCodes';
import { safeJson, safeText } from '../../../protocol/safeText';

export const CHECK_FORMATS = ['text', 'json', 'sarif', 'github'] as const;
export type CheckFormat = (typeof CHECK_FORMATS)[number];

export interface FormatContext {
  toolName: string;
  toolVersion: string;
  /** Absolute working folder: report paths are relative to it. */
  cwd: string;
  agent: string | null;
  /** Where the metadata came from: the vault's URL, and the snapshot file when one was read. */
  vault: string;
  snapshot: string | null;
  failOn: CheckSeverity;
  /** `--environment`: 'all' (or absent), or the environment whose computed names alone were reported. */
  environment?: string;
}

export function formatReport(format: CheckFormat, report: CheckReport, ctx: FormatContext): string {
  switch (format) {
    case 'text':
      return formatText(report, ctx);
    case 'json':
      return `${safeJson(jsonReport(report, ctx), 2)}\n`;
    case 'sarif':
      return `${safeJson(sarifLog(report, ctx), 2)}\n`;
    case 'github':
      return formatGithub(report, ctx);
  }
}

/** Whether the report has a finding at `failOn` or more severe. */
export function fails(report: CheckReport, failOn: CheckSeverity): boolean {
  const limit = CHECK_SEVERITIES.indexOf(failOn);
  return report.findings.some((f) => CHECK_SEVERITIES.indexOf(f.severity) <= limit);
}

interface Counts {
  error: number;
  warning: number;
  info: number;
}

function counts(findings: readonly CheckFinding[]): Counts {
  const c: Counts = { error: 0, warning: 0, info: 0 };
  for (const f of findings) c[f.severity]++;
  return c;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The closing line of the text and GitHub outputs; with one environment chosen, it says which. */
export function summaryLine(report: CheckReport, environment?: string): string {
  const c = counts(report.findings);
  const files = new Set(report.findings.map((f) => f.path)).size;
  const checked = `${plural(report.filesChecked, 'file')} checked, ${report.skipped.length} skipped`;
  const env = chosenEnvironment(environment);
  const where = env === undefined ? '' : ` Environment ${safeText(env)}: reads and names chosen at run time for other environments are not reported.`;
  if (report.findings.length === 0) return `No problems: ${checked}.${where}`;
  return `${plural(report.findings.length, 'problem')} (${plural(c.error, 'error')}, ${plural(c.warning, 'warning')}, ${c.info} info) in ${plural(files, 'file')}: ${checked}.${where}`;
}

/** The environment checked when one was chosen; undefined for all. */
function chosenEnvironment(environment: string | undefined): string | undefined {
  return environment === undefined || environment === 'all' ? undefined : environment;
}

// ---- text ----

/**
 * A path as the text output shows it: control characters escaped (safeText), and a path that would
 * start a line with a GitHub Actions workflow command (`::error …`, or the older `##[…]`, after
 * leading white space) written as `./path`, the same file, so that a file name cannot annotate,
 * mask or set variables in a CI log.
 */
export function displayPath(p: string): string {
  const safe = safeText(p);
  return /^\s*(?:::|##\[)/.test(safe) ? `./${safe}` : safe;
}

/** `unknown-secret`, the longest of the first six codes: a file without the longer ones keeps its columns. */
const MIN_CODE_WIDTH = 14;

function formatText(report: CheckReport, ctx: FormatContext): string {
  const lines: string[] = [];
  const byFile = new Map<string, CheckFinding[]>();
  for (const f of report.findings) byFile.set(f.path, [...(byFile.get(f.path) ?? []), f]);
  for (const [file, findings] of byFile) {
    if (lines.length > 0) lines.push('');
    lines.push(displayPath(file));
    // Columns line up within a file, so that severities and codes read as a table.
    const where = findings.map((f) => `${displayPath(f.path)}:${f.line}:${f.column}`);
    const width = Math.max(...where.map((w) => w.length));
    const codeWidth = Math.max(MIN_CODE_WIDTH, ...findings.map((f) => f.code.length));
    // Messages quote names as the code wrote them (string escapes decoded): escaped again here.
    findings.forEach((f, i) => {
      lines.push(`  ${where[i]!.padEnd(width)}  ${f.severity.padEnd(7)}  ${f.code.padEnd(codeWidth)}  ${safeText(f.message)}`);
      // A flow's steps under it, in order: where the value goes on its way to the sink.
      // A step in another file (a name imported from another module) says which.
      for (const step of f.related ?? []) {
        const at = step.path !== undefined && step.path !== f.path ? `${displayPath(step.path)}:` : '';
        lines.push(`  ${' '.repeat(width)}    ${at}${step.line}:${step.column}  ${safeText(step.message)}`);
      }
    });
  }
  if (report.skipped.length > 0) {
    if (lines.length > 0) lines.push('');
    lines.push('Not checked:');
    for (const s of report.skipped) lines.push(`  ${displayPath(s.path)}: ${safeText(s.detail)}`);
  }
  const agents = agentLines(report);
  if (agents.length > 0) {
    if (lines.length > 0) lines.push('');
    lines.push(...agents);
  }
  if (lines.length > 0) lines.push('');
  lines.push(summaryLine(report, ctx.environment) + (noAgentAtAll(report, ctx) ? ' No agent given: access was not checked.' : ''));
  return `${lines.join('\n')}\n`;
}

/** No file was held to any agent's access list. */
function noAgentAtAll(report: CheckReport, ctx: FormatContext): boolean {
  return ctx.agent === null && report.agents.length === 0;
}

/**
 * Whether the outputs for people list the agents: when they came from ADK projects or from more than
 * one place, or some files had one and others none, or a file meant to give one could not. One agent
 * for every file (given, or the working folder's secrets-vault.json) is said as before, by nothing.
 */
function showsAgents(report: CheckReport): boolean {
  if (report.configProblems.length > 0) return true;
  if (report.agents.length === 0) return false;
  if (report.agents.length > 1 || report.withoutAgent.length > 0) return true;
  return report.agents[0]!.kind === 'project';
}

/** `PROJECT-WEVYLLDV (Booking Assistant)`, and whether the vault lacks it. */
function agentLabel(a: CheckedAgent): string {
  const notes = [...(a.name !== null && a.name !== a.id ? [a.name] : []), ...(a.inVault ? [] : ['not in the vault'])];
  return safeText(notes.length > 0 ? `${a.id} (${notes.join(', ')})` : a.id);
}

/** The agents, the files with none and the unusable project files, as lines for the text and GitHub outputs. */
function agentLines(report: CheckReport, withProblems = true): string[] {
  if (!showsAgents(report)) return [];
  const lines: string[] = [];
  if (report.agents.length > 0) {
    lines.push('Agents checked:');
    for (const a of report.agents) {
      const from = a.source === null ? 'given' : `from ${displayPath(a.source)}`;
      lines.push(`  ${agentLabel(a)}: ${plural(a.files, 'file')}, ${from}`);
    }
  }
  if (report.withoutAgent.length > 0) {
    lines.push('No agent (names and keys checked, access not checked):');
    for (const f of report.withoutAgent) lines.push(`  ${displayPath(f)}`);
  }
  if (withProblems && report.configProblems.length > 0) {
    lines.push('Not used:');
    for (const p of report.configProblems) lines.push(`  ${displayPath(p.path)}: ${safeText(p.detail)}`);
  }
  return lines;
}

// ---- JSON ----

function jsonReport(report: CheckReport, ctx: FormatContext) {
  const c = counts(report.findings);
  return {
    tool: { name: ctx.toolName, version: ctx.toolVersion },
    vault: ctx.vault,
    snapshot: ctx.snapshot,
    agent: ctx.agent,
    ...(chosenEnvironment(ctx.environment) !== undefined ? { environment: ctx.environment } : {}),
    failOn: ctx.failOn,
    failed: fails(report, ctx.failOn),
    summary: {
      filesChecked: report.filesChecked,
      filesSkipped: report.skipped.length,
      bytesChecked: report.bytesChecked,
      errors: c.error,
      warnings: c.warning,
      info: c.info,
    },
    findings: report.findings,
    skipped: report.skipped,
    agents: report.agents,
    withoutAgent: report.withoutAgent,
    configProblems: report.configProblems,
  };
}

// ---- SARIF 2.1.0 ----

/** The OASIS schema's own id: the file in test/check/schemas/ is this document. */
export const SARIF_SCHEMA_URI = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
const SRCROOT = '%SRCROOT%';

type SarifLevel = 'error' | 'warning' | 'note';
export const sarifLevel = (s: CheckSeverity): SarifLevel => (s === 'info' ? 'note' : s);

/** A relative path as a URI reference: each segment percent-encoded, `/` kept. */
function uriOf(rel: string): string {
  return rel
    .split('/')
    .map((s) => encodeURIComponent(s))
    .join('/');
}

/** A rule of the SARIF log's driver, from a diagnostic code's documentation (or another rule of ours in that shape). */
export function sarifRule(id: string, r: DiagnosticRule) {
  return {
    id,
    name: r.name,
    shortDescription: { text: r.summary },
    fullDescription: { text: r.help },
    help: { text: r.help, markdown: `**${id}**: ${r.summary}\n\n${r.help}` },
    defaultConfiguration: { level: sarifLevel(r.severity) },
    properties: { tags: ['security', 'secrets'] },
  };
}

/** A file of the report as a SARIF location, relative to %SRCROOT%. */
export const sarifLocation = (path: string) => ({ artifactLocation: { uri: uriOf(path), uriBaseId: SRCROOT } });

/** The one SARIF 2.1.0 log around a run's rules, results, invocation and properties: check's and access review's. */
export function sarifEnvelope(ctx: Pick<FormatContext, 'toolName' | 'toolVersion' | 'cwd'>, run: { rules: unknown[]; results: unknown[]; invocation: unknown; properties: Record<string, unknown> }) {
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: ctx.toolName, version: ctx.toolVersion, rules: run.rules } },
        originalUriBaseIds: { [SRCROOT]: { uri: `${pathToFileURL(ctx.cwd).href.replace(/\/$/, '')}/` } },
        invocations: [run.invocation],
        columnKind: 'utf16CodeUnits',
        results: run.results,
        properties: run.properties,
      },
    ],
  };
}

function sarifLog(report: CheckReport, ctx: FormatContext) {
  const ruleIndex = new Map<string, number>(DiagnosticCodes.map((code, i) => [code, i]));
  const rules = DiagnosticCodes.map((code) => sarifRule(code, DIAGNOSTIC_RULES[code]));
  const location = sarifLocation;
  const results = report.findings.map((f) => ({
    ruleId: f.code,
    ruleIndex: ruleIndex.get(f.code)!,
    level: sarifLevel(f.severity),
    message: { text: f.message },
    locations: [
      {
        physicalLocation: {
          ...location(f.path),
          region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
        },
      },
    ],
    // A flow's steps; regions only, so no source text (a CI artifact must not become the leak).
    ...(f.related
      ? {
          relatedLocations: f.related.map((r, id) => ({
            id,
            physicalLocation: { ...location(r.path ?? f.path), region: { startLine: r.line, startColumn: r.column, endLine: r.endLine, endColumn: r.endColumn } },
            message: { text: r.message },
          })),
        }
      : {}),
  }));
  const notifications = report.skipped.map((s: SkippedFile) => ({
    level: s.reason === 'unreadable' ? 'warning' : 'note',
    message: { text: `Not checked (${s.reason}): ${s.detail}.` },
    locations: [{ physicalLocation: location(s.path) }],
  }));
  // A project.yaml or secrets-vault.json that gives no agent is a problem of the tool's configuration.
  const configNotifications = report.configProblems.map((p) => ({
    level: 'warning',
    message: { text: `Not used: ${p.detail}` },
    locations: [{ physicalLocation: location(p.path) }],
  }));
  const invocation = {
    executionSuccessful: true,
    toolExecutionNotifications: notifications,
    ...(configNotifications.length > 0 ? { toolConfigurationNotifications: configNotifications } : {}),
  };
  return sarifEnvelope(ctx, {
    rules,
    results,
    invocation,
    // Whose access the files were held to (the JSON output's fields), in the run's property bag.
    properties: { agents: report.agents, withoutAgent: report.withoutAgent, ...(chosenEnvironment(ctx.environment) !== undefined ? { environment: ctx.environment } : {}) },
  });
}

// ---- GitHub workflow commands ----

const githubCommand: Record<CheckSeverity, string> = { error: 'error', warning: 'warning', info: 'notice' };

/**
 * GitHub's rules for workflow commands (as @actions/core): data loses %, CR and LF to %25, %0D and
 * %0A; properties also : and , to %3A and %2C. The runner parses the command first and decodes these
 * after, so a CR or LF can no longer start a command of its own. Other control characters (an ANSI
 * escape colours or hides text in the log viewer) are shown as visible escapes (safeText).
 */
export const escapeData = (s: string) => safeText(s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A'));
export const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

function formatGithub(report: CheckReport, ctx: FormatContext): string {
  const lines = report.findings.map((f) => {
    const props = [
      `file=${escapeProperty(f.path)}`,
      `line=${f.line}`,
      `col=${f.column}`,
      `endLine=${f.endLine}`,
      `endColumn=${f.endColumn}`,
      `title=${escapeProperty(`${ctx.toolName} ${f.code}`)}`,
    ];
    return `::${githubCommand[f.severity]} ${props.join(',')}::${escapeData(f.message)}`;
  });
  for (const s of report.skipped) {
    const command = s.reason === 'unreadable' ? 'warning' : 'notice';
    lines.push(`::${command} file=${escapeProperty(s.path)},title=${escapeProperty(`${ctx.toolName}: not checked`)}::${escapeData(`${s.detail}.`)}`);
  }
  for (const p of report.configProblems) {
    lines.push(`::warning file=${escapeProperty(p.path)},title=${escapeProperty(`${ctx.toolName}: not used`)}::${escapeData(p.detail)}`);
  }
  // The agents as plain log lines (the problems are annotations above); displayPath keeps them from being commands.
  lines.push(...agentLines(report, false));
  lines.push(summaryLine(report, ctx.environment));
  return `${lines.join('\n')}\n`;
}
