// check_code and check_workspace: the diagnostics the editor shows, computed by the language
// server's own analysis (dist/server/check.js, the engine `secrets-vault check` loads) against the
// vault's metadata. A finding's message never quotes a literal that looks like a credential (the
// engine's rule): a hard-coded key is reported by its kind and place.

import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { canonicalEnvironment } from '../../../protocol/environments';
import { DIAGNOSTIC_RULES, secretInfoOf, type CheckFinding, type CheckMetadata, type CheckReport } from '../../../protocol/check';
import type { Role } from '../../../protocol/api';
import { VaultApiError } from '../../../protocol/client';
import { agentFor } from './metadata';
import { ToolError, type McpContext } from './toolContext';

/** What the tools that read the workspace never read, and their file size limit. */
export const EXCLUDE = ['node_modules', '.git', 'dist', '.venv', 'venv', '__pycache__'];
export const MAX_FILE_SIZE = 1024 * 1024;
/** Findings listed in full; the rest are counted. */
const MAX_FINDINGS = 200;
/** A snippet longer than this is refused: check_code is for a function or a file, not a tree. */
export const MAX_SNIPPET = 200_000;

export type CodeLanguage = 'python' | 'javascript' | 'typescript';
const EXTENSIONS: Record<CodeLanguage, string> = { python: 'py', javascript: 'js', typescript: 'ts' };

async function metadata(ctx: McpContext): Promise<{ meta: CheckMetadata; role: Role | null }> {
  const [who, secrets, agents, pending] = await Promise.all([
    ctx.api.whoami(),
    ctx.api.listSecrets(),
    ctx.api.listAgents(),
    ctx.api.listAccessRequests('pending').catch((e: unknown) => {
      if (e instanceof VaultApiError && e.status === 404) return [];
      throw e;
    }),
  ]);
  const meta: CheckMetadata = {
    namingStyle: who.account.namingStyle,
    secrets: secrets.map(secretInfoOf),
    agents: agents.map((a) => ({ id: a.id, name: a.name })),
    pendingAccess: pending.map((r) => ({ secret: r.secret, agent: r.agent })),
  };
  // The quick fixes the editor would offer this user: an admin's vault changes, a developer's request.
  return { meta, role: who.principal.type === 'user' ? who.principal.role : null };
}

/** A finding as the model gets it: where, how severe, the code, the message, and what the code means. */
function finding(f: CheckFinding, pathShown: string) {
  const rule = DIAGNOSTIC_RULES[f.code];
  return {
    path: pathShown,
    line: f.line,
    column: f.column,
    severity: f.severity,
    code: f.code,
    message: f.message,
    ...(rule ? { rule: rule.summary } : {}),
    // What the editor's quick fix menu offers for it (Ctrl+.), by title; none is listed as [].
    quickFixes: f.fixes ?? [],
  };
}

export async function checkCode(
  ctx: McpContext,
  input: { path?: string | undefined; code?: string | undefined; language?: CodeLanguage | undefined; agent?: string | undefined; environment?: string | undefined },
) {
  if ((input.path === undefined) === (input.code === undefined)) throw new ToolError('Give either path (a file or folder of the workspace) or code with its language, not both.');
  const agent = await agentFor(ctx, input.agent);
  const { meta, role } = await metadata(ctx);
  const environment = input.environment && input.environment !== 'all' ? { environment: canonicalEnvironment(input.environment) } : {};
  const fixes = { fixes: { role } };
  if (input.path !== undefined) {
    const { root, rel } = workspacePath(ctx.cwd, input.path);
    const report = await ctx.engine().check({ cwd: root, paths: [rel || '.'], exclude: EXCLUDE, gitignore: true, maxFileSize: MAX_FILE_SIZE, metadata: meta, agent: agent ?? null, ...environment, ...fixes });
    return shape(report, agent, (p) => p);
  }
  const language = input.language;
  if (language === undefined) throw new ToolError('With code, give its language: python, javascript or typescript.');
  if (input.code!.length > MAX_SNIPPET) throw new ToolError(`The code is longer than ${MAX_SNIPPET} characters; check a file of the workspace by path instead.`);
  // The snippet is checked as a file of its own in a private temporary folder, removed at once.
  const dir = mkdtempSync(path.join(tmpdir(), 'sv-mcp-'));
  try {
    const file = `snippet.${EXTENSIONS[language]}`;
    writeFileSync(path.join(dir, file), input.code!, { mode: 0o600 });
    const report = await ctx.engine().check({ cwd: dir, paths: [file], exclude: [], gitignore: false, maxFileSize: MAX_SNIPPET * 4, metadata: meta, agent: agent ?? null, ...environment, ...fixes });
    return shape(report, agent, () => '(code)');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function isWithin(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return !(rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel));
}

/**
 * A path the model named, as the real path of a file or folder of the workspace relative to the
 * workspace's real folder. Links are resolved before the check (the path, and every folder on the
 * way): a link inside the workspace that stays in it is followed; one that leads out
 * (`vendor -> /elsewhere`, `notes.py -> ~/private.py`) is refused, naming the path as given, never
 * where it leads or what is there. The engine then gets the resolved path, so no link is followed
 * after the check; its walk of a folder follows none (walk.ts).
 */
export function workspacePath(cwd: string, named: string): { root: string; rel: string } {
  let root: string;
  try {
    root = realpathSync(cwd);
  } catch {
    throw new ToolError('The workspace folder cannot be read.');
  }
  const lexical = path.resolve(cwd, named);
  if (!isWithin(path.resolve(cwd), lexical)) throw new ToolError(`'${named}' is outside the workspace (${cwd}).`);
  let real: string;
  try {
    real = realpathSync(lexical);
  } catch {
    throw new ToolError(`No such file or folder in the workspace: ${named}`);
  }
  if (!isWithin(root, real)) {
    throw new ToolError(`'${named}' is a link (or lies under one) that leads outside the workspace; check_code reads only the workspace's own files.`);
  }
  return { root, rel: path.relative(root, real) };
}

function shape(report: CheckReport, agent: string | undefined, showPath: (p: string) => string) {
  return {
    agent: agent ?? (report.agents.map((a) => a.id).join(', ') || null),
    filesChecked: report.filesChecked,
    findings: report.findings.slice(0, MAX_FINDINGS).map((f) => finding(f, showPath(f.path))),
    ...(report.findings.length > MAX_FINDINGS ? { moreFindings: report.findings.length - MAX_FINDINGS } : {}),
    ...(report.withoutAgent.length ? { filesWithoutAgent: report.withoutAgent.length } : {}),
  };
}

/** The whole workspace, summarised: counts by severity and code, and the files with most findings. */
export async function checkWorkspace(ctx: McpContext, input: { agent?: string | undefined; environment?: string | undefined }) {
  const agent = input.agent === undefined ? null : ((await agentFor(ctx, input.agent)) ?? null);
  const { meta } = await metadata(ctx);
  const environment = input.environment && input.environment !== 'all' ? { environment: canonicalEnvironment(input.environment) } : {};
  const report = await ctx.engine().check({ cwd: ctx.cwd, paths: [], exclude: EXCLUDE, gitignore: true, maxFileSize: MAX_FILE_SIZE, metadata: meta, agent: agent ?? null, ...environment });
  const bySeverity: Record<string, number> = {};
  const byCode: Record<string, number> = {};
  const byFile = new Map<string, number>();
  for (const f of report.findings) {
    bySeverity[f.severity] = (bySeverity[f.severity] ?? 0) + 1;
    byCode[f.code] = (byCode[f.code] ?? 0) + 1;
    byFile.set(f.path, (byFile.get(f.path) ?? 0) + 1);
  }
  return {
    filesChecked: report.filesChecked,
    findings: report.findings.length,
    bySeverity,
    byCode,
    files: [...byFile].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 50).map(([p, n]) => ({ path: p, findings: n })),
    agents: report.agents.map((a) => ({ id: a.id, files: a.files })),
    filesWithoutAgent: report.withoutAgent.length,
    configProblems: report.configProblems,
    note: 'check_code with a path lists the findings of a file or folder.',
  };
}
