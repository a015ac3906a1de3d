// `secrets-vault check` and `secrets-vault snapshot`: the editor's warnings for reviewers and CI.
// The metadata comes from the live vault (API client) or a snapshot file; the analysis is the
// language server's own, loaded at run time from the sibling bundle dist/server/check.js (vault/ may
// not import server/, and a run-time load of a built file keeps that boundary).

import { Command, Option } from 'commander';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import {
  CHECK_SEVERITIES,
  DEFAULT_ANALYSIS_TIMEOUT_MS,
  DEFAULT_CHECK_MAX_FILE_SIZE,
  SNAPSHOT_FILE_VERSION,
  secretInfoOf,
  snapshotFileProblem,
  type CheckEngine,
  type CheckMetadata,
  type CheckReport,
  type CheckSeverity,
  type SnapshotFile,
} from '../../../protocol/check';
import { VaultApiError, type VaultApi } from '../../../protocol/client';
import type { PendingAccess } from '../../../protocol/lsp';
import { checkAgentId } from '../../../protocol/names';
import { VERSION } from '../defaults';
import { safeJson, safeText } from '../../../protocol/safeText';
import { environmentChoiceOf, ENVIRONMENTS_TEXT } from '../../../protocol/environments';
import { CliError, EXIT } from './io';
import { CHECK_FORMATS, displayPath, fails, formatReport, type CheckFormat } from './checkFormats';
import { apiFailure, findWorkspaceConfig, remoteApi, resolveUrl, type RemoteOptions } from './remote';

export interface CheckGlobals extends RemoteOptions {
  json?: boolean;
}

interface CheckOptions {
  agent?: string;
  snapshot?: string;
  format: CheckFormat;
  failOn: CheckSeverity;
  exclude: string[];
  gitignore: boolean;
  maxFileSize: number;
  analysisTimeout: number;
  environment: string;
}

/** Progress appears only at a terminal, and only for trees this large: small ones finish at once. */
const PROGRESS_MIN_FILES = 500;
const PROGRESS_EVERY_MS = 100;

export function registerCheckCommands(cli: Command, globals: () => CheckGlobals): void {
  cli
    .command('check')
    .description(
      'check files for the secret references the editor warns about (unknown or ungranted secrets, bad names and keys), against the live vault or a --snapshot file. Exit code: 0 clean, 1 findings at or above --fail-on, 2 usage or connection error',
    )
    .argument('[paths...]', 'files and folders to check (default: the current folder)')
    .option(
      '--agent <id>',
      'the agent whose access list applies to every file (default: the snapshot\'s; else each file\'s own: the nearest secrets-vault.json\'s "agent", else its ADK project\'s project_id from the nearest project.yaml)',
    )
    .option('--snapshot <file>', "read the vault's metadata from this file (written by 'secrets-vault snapshot') instead of the vault")
    .addOption(new Option('--format <format>', 'output format').choices([...CHECK_FORMATS]).default('text'))
    .addOption(new Option('--fail-on <severity>', 'exit with 1 when a finding is at least this severe').choices([...CHECK_SEVERITIES]).default('error'))
    .option('--exclude <glob>', 'leave out paths matching this glob (repeatable; without a "/" it matches a name at any depth)', collect, [])
    .option('--no-gitignore', 'also check files that .gitignore ignores')
    .addOption(new Option('--max-file-size <bytes>', 'skip larger files').default(DEFAULT_CHECK_MAX_FILE_SIZE).argParser(parseSize))
    .addOption(new Option('--analysis-timeout <ms>', "stop a file's analysis after this many milliseconds and report it as not checked").default(DEFAULT_ANALYSIS_TIMEOUT_MS).argParser(parseMilliseconds))
    .addOption(
      new Option(
        '--environment <env>',
        "of a secret name chosen at run time (by conv.env or another test), report only the names taken in this environment: all, sandbox, pre-release, live, or another name the code tests",
      )
        .default('all')
        .argParser(parseEnvironment),
    )
    .action(async (paths: string[], o: CheckOptions) => {
      const g = globals();
      const format: CheckFormat = g.json && o.format === 'text' ? 'json' : o.format;
      const cwd = process.cwd();
      assertPathsExist(cwd, paths);
      const source = o.snapshot ? readSnapshotFile(o.snapshot) : await fetchMetadata(g);
      // An agent given (--agent, else the snapshot's) applies to every file. Otherwise each file has its
      // own: the nearest secrets-vault.json naming one, else its ADK project's (the engine decides); the
      // working folder's secrets-vault.json is checked here, as before, so that a bad one stops the run.
      const given = o.agent ?? source.agent;
      const agent = given !== undefined ? resolveAgent(given, source.metadata) : null;
      const folderAgent = given === undefined ? resolveAgent(findWorkspaceConfig(cwd)?.config.agent, source.metadata) : null;
      const engine = loadEngine();
      const progress = progressReporter();
      let report;
      try {
        report = await engine.check({
          cwd,
          paths,
          exclude: o.exclude,
          gitignore: o.gitignore,
          maxFileSize: o.maxFileSize,
          analysisTimeoutMs: o.analysisTimeout,
          metadata: source.metadata,
          agent,
          ...(o.environment !== 'all' ? { environment: o.environment } : {}),
          onProgress: progress.update,
        });
      } finally {
        progress.done();
      }
      process.stdout.write(
        formatReport(format, report, {
          toolName: 'secrets-vault',
          toolVersion: VERSION,
          cwd,
          agent: agent ?? folderAgent,
          vault: source.vault,
          snapshot: o.snapshot ?? null,
          failOn: o.failOn,
          environment: o.environment,
        }),
      );
      // A check of nothing would pass while checking nothing (a CI job copied into an ignored folder):
      // the report above says what was skipped, and this says why nothing was read and what to do.
      if (report.filesChecked === 0) throw new CliError(nothingChecked(report, paths, o.gitignore), EXIT.usage);
      if (fails(report, o.failOn)) process.exitCode = EXIT.failure;
    });

  cli
    .command('snapshot')
    .description("print the vault's metadata (names, kinds, keys, access lists, agents; never a value) as JSON, for 'check --snapshot FILE' without network access")
    .option('--agent <id>', "record the agent to check for, so that 'check --snapshot' needs no --agent")
    .action(async (o: { agent?: string }) => {
      const g = globals();
      const source = await fetchMetadata(g);
      const agent = o.agent === undefined ? null : resolveAgent(o.agent, source.metadata);
      const file: SnapshotFile = {
        version: SNAPSHOT_FILE_VERSION,
        generatedAt: new Date().toISOString(),
        vault: source.vault,
        namingStyle: source.metadata.namingStyle,
        ...(agent !== null ? { agent } : {}),
        secrets: source.metadata.secrets,
        agents: source.metadata.agents,
      };
      process.stdout.write(`${safeJson(file, 2)}\n`);
    });
}

/** A path that does not exist is a usage error (exit 2), before anything is asked of the vault. */
export function assertPathsExist(cwd: string, paths: readonly string[]): void {
  for (const p of paths) {
    try {
      statSync(path.resolve(cwd, p));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new CliError(`No such file or folder: ${p}`, EXIT.usage);
    }
  }
}

export interface MetadataSource {
  vault: string;
  agent?: string;
  metadata: CheckMetadata;
}

/** Reads what the check needs over the API; every failure (network, token, role) is exit code 2. */
export async function fetchMetadata(g: CheckGlobals): Promise<MetadataSource> {
  const vault = resolveUrl(g);
  const api = remoteApi(g);
  try {
    const [who, secrets, agents, pending] = await Promise.all([api.whoami(), api.listSecrets(), api.listAgents(), pendingAccess(api)]);
    return {
      vault,
      metadata: {
        namingStyle: who.account.namingStyle,
        // Only the fields of SecretInfo (lifecycle included: secret-expired, rotation-due): the response's other fields stay here.
        secrets: secrets.map((s) => secretInfoOf(s)),
        agents: agents.map((a) => ({ id: a.id, name: a.name })),
        pendingAccess: pending,
      },
    };
  } catch (e) {
    if (e instanceof VaultApiError) throw new CliError(apiFailure(e).message, EXIT.usage);
    throw e;
  }
}

/**
 * The account's pending access requests as the check words them ("access requested, pending"): only
 * the secret and agent. A vault from before access requests (404) simply has none.
 */
export async function pendingAccess(api: VaultApi): Promise<PendingAccess[]> {
  try {
    return (await api.listAccessRequests('pending')).map((r) => ({ secret: r.secret, agent: r.agent }));
  } catch (e) {
    if (e instanceof VaultApiError && e.status === 404) return [];
    throw e;
  }
}

function readSnapshotFile(file: string): MetadataSource {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliError(`Cannot read the snapshot file ${file} (${(e as NodeJS.ErrnoException).code ?? 'error'}).`, EXIT.usage);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new CliError(`The snapshot file ${file} is not valid JSON. Write one with 'secrets-vault snapshot > ${file}'.`, EXIT.usage);
  }
  const problem = snapshotFileProblem(value);
  if (problem !== undefined) throw new CliError(`The snapshot file ${file} is not a secrets-vault snapshot: ${problem}.`, EXIT.usage);
  const s = value as SnapshotFile;
  return {
    vault: s.vault,
    ...(s.agent !== undefined ? { agent: s.agent } : {}),
    metadata: { namingStyle: s.namingStyle, secrets: s.secrets.map(secretInfoOf), agents: s.agents.map((a) => ({ id: a.id, name: a.name })) },
  };
}

/** The agent to check for: a well-formed id the vault knows, or null when none was given anywhere. */
export function resolveAgent(agent: string | undefined, metadata: Pick<CheckMetadata, 'agents'>): string | null {
  if (agent === undefined || agent === '') return null;
  const problem = checkAgentId(agent);
  if (problem !== undefined) throw new CliError(`'${agent}' is not an agent id. ${problem}`, EXIT.usage);
  if (!metadata.agents.some((a) => a.id === agent)) {
    const known = metadata.agents.map((a) => a.id).sort();
    throw new CliError(`The vault has no agent '${agent}'${known.length ? ` (agents: ${known.join(', ')})` : ' (it has no agents)'}.`, EXIT.usage);
  }
  return agent;
}

export function loadEngine(): CheckEngine {
  const file = path.join(__dirname, '../server/check.js');
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a built sibling bundle, loaded at run time on purpose
    return require(file) as CheckEngine;
  } catch (e) {
    throw new CliError(`Cannot load the check engine ${file} (${e instanceof Error ? e.message : String(e)}). Build it with 'node scripts/build.mjs'.`, EXIT.usage);
  }
}

function progressReporter(): { update?: (done: number, total: number) => void; done: () => void } {
  if (!process.stderr.isTTY) return { done: () => undefined };
  let last = 0;
  let shown = false;
  return {
    update: (done, total) => {
      const now = Date.now();
      // The last file is always shown, so that the final count is on screen before the line clears.
      if (total < PROGRESS_MIN_FILES || (now - last < PROGRESS_EVERY_MS && done < total)) return;
      last = now;
      shown = true;
      process.stderr.write(`\rsecrets-vault: checked ${done} of ${total} files`);
    },
    done: () => {
      if (shown) process.stderr.write('\r\x1b[K');
    },
  };
}

/** Why a check read no file, and how to include the files: the message of exit code 2. */
export function nothingChecked(report: Pick<CheckReport, 'skipped'>, paths: readonly string[], gitignore: boolean): string {
  const where = paths.length === 0 ? 'the current folder' : paths.map((p) => displayPath(p)).join(', ');
  const ignoreFiles = [...new Set(report.skipped.filter((s) => s.reason === 'ignored' && s.detail.startsWith('ignored by ')).map((s) => s.detail.slice('ignored by '.length)))];
  const excluded = report.skipped.some((s) => s.reason === 'ignored' && s.detail.startsWith('excluded'));
  const generated = report.skipped.some((s) => s.reason === 'ignored' && s.detail.startsWith('generated by the ADK'));
  const reasons: string[] = [];
  if (ignoreFiles.length > 0) {
    reasons.push(
      `${where} ${paths.length > 1 ? 'are' : 'is'} ignored by ${ignoreFiles.map((f) => displayPath(f)).join(', ')}: check ignored files with --no-gitignore, or run check in a folder git does not ignore (a repository of its own is checked by its own .gitignore)`,
    );
  }
  if (excluded) reasons.push('what is there is excluded (by --exclude, or as a dependency or build folder): name fewer --exclude globs or the files themselves');
  if (generated) reasons.push('the ADK generates what is there (_gen, real_time_configuration), which is never checked: check the project folder');
  if (reasons.length === 0) {
    const outside = gitignore ? ' that .gitignore does not ignore' : '';
    reasons.push(`there is no Python, JavaScript or TypeScript file in ${where}${outside} (dependency and build folders are never read): name the folders that hold your functions${gitignore ? ', or add --no-gitignore' : ''}`);
  }
  return `No files were checked, so nothing was verified: ${reasons.join('; ')}.`;
}

export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** 'all' or an environment's name, as the editor's setting takes it ('pre_release' is written 'pre-release', as the scanner labels it). */
function parseEnvironment(v: string): string {
  const env = environmentChoiceOf(v);
  if (env === null) throw new CliError(`'${safeText(v)}' is not an environment: all, ${ENVIRONMENTS_TEXT}, or a name of up to 64 letters, digits, '_' and '-'.`, EXIT.usage);
  return env;
}

function parseMilliseconds(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new CliError(`'${safeText(v)}' is not a number of milliseconds.`, EXIT.usage);
  return n;
}

export function parseSize(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new CliError(`'${v}' is not a size in bytes.`, EXIT.usage);
  return n;
}
