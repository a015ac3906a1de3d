// `secrets-vault check`: the contract between the CLI (vault/) and the check engine (server/src/check/),
// which the CLI loads at run time from its sibling bundle. Also the offline snapshot file that
// `secrets-vault snapshot` writes and `check --snapshot` reads. Metadata only: nothing here ever
// carries a secret value.

import { isSecretInfo } from './guards';
import { keyMarksOf } from './sync';
import type { AgentInfo, DiagnosticCode, PendingAccess, SecretInfo } from './lsp';
import type { Role } from './api';
import { checkAgentId, NAMING_STYLES, type NamingStyle } from './names';

export type CheckSeverity = 'error' | 'warning' | 'info';
/** Most severe first; `--fail-on` fails on its level and every level before it. */
export const CHECK_SEVERITIES: readonly CheckSeverity[] = ['error', 'warning', 'info'];

/** One diagnostic, as the editor shows it, positioned for people: lines and columns are 1-based. */
export interface CheckFinding {
  /** Relative to the working directory of the check, with `/` separators. */
  path: string;
  line: number;
  /** In UTF-16 code units, as editors and SARIF's default `columnKind` count. */
  column: number;
  endLine: number;
  /** Exclusive: the column just after the finding. */
  endColumn: number;
  severity: CheckSeverity;
  code: DiagnosticCode;
  message: string;
  /**
   * `secret-in-log`: each step of the flow from the secret's read to the sink, in order (same file).
   * A computed name's candidate: where its name is written and each test that chooses it.
   */
  related?: CheckStep[];
  /**
   * With `CheckRequest.fixes`: the titles of the quick fixes the editor offers for this finding, for
   * the requester's role (vault changes are an admin's; a developer is offered a request). Titles,
   * like messages, never quote a credential.
   */
  fixes?: string[];
}

/** One step of a flow, or a related place, in the finding's file unless `path` says another. Its message names variables and calls, never a value. */
export interface CheckStep {
  /** The file the step is in when it is not the finding's (a name imported from another module), relative as `path` is. */
  path?: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
}

/**
 * `merge-conflict`: the file has unresolved merge markers (protocol/adkProject.ts hasMergeMarkers).
 * `analysis-timeout`: its analysis ran past the wall-clock limit (`--analysis-timeout`) and was stopped.
 */
export type SkipReason = 'binary' | 'too-large' | 'unreadable' | 'ignored' | 'not-source' | 'merge-conflict' | 'analysis-timeout';

/** A file the check did not read, and why. Never file content. */
export interface SkippedFile {
  path: string;
  reason: SkipReason;
  /** For people: the size, the error code, the rule that ignores it. */
  detail: string;
}

export interface CheckReport {
  /** Files read and analysed. */
  filesChecked: number;
  /** Bytes read from the files checked. */
  bytesChecked: number;
  /** Sorted by path, then position, then code. */
  findings: CheckFinding[];
  /** Sorted by path. */
  skipped: SkippedFile[];
  /**
   * Whose access each checked file was held to, one entry per place an agent came from, sorted by
   * `source` (the given agent first). Only entries with files checked.
   */
  agents: CheckedAgent[];
  /** Files checked with no agent (names and keys only, access not checked), sorted. */
  withoutAgent: string[];
  /** project.yaml and secrets-vault.json files that give no agent because of a problem, sorted by path. */
  configProblems: ConfigProblem[];
  /** With `CheckRequest.reads`: what each agent's files read, sorted by agent (files with none last). */
  reads?: AgentReads[];
}

/**
 * What one agent's files read (`access review`): every name the code may read (literal, computed
 * among literals, or named by the project's configuration), with the environments that take it and
 * where, and the reads whose name stays unknown. Names the credential detector judges a credential
 * are left out (they are hardcoded-secret findings, never quoted).
 */
export interface AgentReads {
  /** null: the files with no agent. */
  agent: string | null;
  /** The project.yaml or secrets-vault.json files that gave it, relative to `cwd`, sorted; [] for a given agent. */
  sources: string[];
  /** Sorted by name. */
  names: NameRead[];
  /** Reads whose name the analysis cannot tell (`dynamic-name`), sorted by place. */
  dynamic: DynamicRead[];
}

export interface NameRead {
  name: string;
  /** The environments (`conv.env`) that read it; null when some read takes it in every environment. */
  environments: string[] | null;
  /** Each read, sorted by place. */
  locations: ReadLocation[];
}

/** A read's place (1-based, as findings), and the environments that take the name there (null: all). */
export interface ReadLocation {
  path: string;
  line: number;
  column: number;
  environments: string[] | null;
}

/** A read whose name is unknown: where, and the dynamic-name finding's message (which never quotes a credential). */
export interface DynamicRead {
  path: string;
  line: number;
  column: number;
  message: string;
}

/** Where a file's agent came from: `--agent` or the snapshot's for every file, or the nearest file that names one. */
export type AgentSourceKind = 'given' | 'config' | 'project';

export interface CheckedAgent {
  id: string;
  /** The project's `project_name`, else the vault's display name of the agent; null when neither has one. */
  name: string | null;
  kind: AgentSourceKind;
  /** The project.yaml or secrets-vault.json it came from, relative to `cwd`; null for `given`. */
  source: string | null;
  /** Files checked with this agent. */
  files: number;
  /** Whether the vault has this agent. When not, every read is refused at run time (reported as not-granted). */
  inVault: boolean;
}

/** A project.yaml or secrets-vault.json that could not be used; its folder's files get no agent from it. */
export interface ConfigProblem {
  /** Relative to `cwd`, `/`-separated. */
  path: string;
  /** For people; never the file's content. */
  detail: string;
}

/** What the vault knows, as the check needs it: the same metadata the editor's language server gets. */
export interface CheckMetadata {
  namingStyle: NamingStyle;
  secrets: SecretInfo[];
  agents: AgentInfo[];
  /** The account's pending access requests (the live vault only; absent: none known). */
  pendingAccess?: PendingAccess[];
}

export interface CheckRequest {
  /** Relative paths in the request and in the report are relative to this folder. */
  cwd: string;
  /** Files and folders to check; none means `cwd`. */
  paths: string[];
  /** Globs of paths (relative to `cwd`) to leave out; a pattern without `/` matches a name at any depth. */
  exclude: string[];
  /** Honour `.gitignore` files (and `.git/info/exclude`). */
  gitignore: boolean;
  /** Larger files are skipped (bytes). */
  maxFileSize: number;
  /** A file whose analysis runs longer than this (milliseconds, wall clock) is stopped and skipped; absent: DEFAULT_ANALYSIS_TIMEOUT_MS. */
  analysisTimeoutMs?: number;
  metadata: CheckMetadata;
  /**
   * The agent whose access list applies to every file (`--agent`, or the snapshot's). When null, each
   * file's own: the `agent` of the nearest secrets-vault.json above it, if that names one, else the
   * `project_id` of the nearest project.yaml above it, else none (names and keys only).
   */
  agent: string | null;
  /**
   * `--environment`: 'all' (absent), or one environment (`live`, `sandbox`, `pre-release`, another
   * name a file tests): of a computed name's candidates, only those taken there are reported.
   */
  environment?: string;
  /** Called as files are read: `total` is known once the walk is done. */
  onProgress?: (done: number, total: number) => void;
  /** Give each finding the titles of its quick fixes (`CheckFinding.fixes`), as offered to `role`. */
  fixes?: { role: Role | null };
  /** Also say which names each agent's files read (`CheckReport.reads`), for `access review`. */
  reads?: boolean;
}

/** What `dist/server/check.js` exports. */
export interface CheckEngine {
  check(request: CheckRequest): Promise<CheckReport>;
}

/**
 * How long one file's analysis may run (wall clock) in `check` and the editor's workspace index
 * before it is stopped and the file reported as skipped. Generous: the analysis is bounded by the
 * file's size (docs/security.md), so only a machine far slower than expected reaches it.
 */
export const DEFAULT_ANALYSIS_TIMEOUT_MS = 10_000;

/** Same as the editor's `secretsVault.index.maxFileSize` default. */
export const DEFAULT_CHECK_MAX_FILE_SIZE = 1024 * 1024;

// ---- the offline snapshot file ----

export const SNAPSHOT_FILE_VERSION = 1;

/** Written by `secrets-vault snapshot`, read by `check --snapshot FILE`. */
export interface SnapshotFile {
  version: typeof SNAPSHOT_FILE_VERSION;
  /** ISO 8601, when the metadata was read. */
  generatedAt: string;
  /** The vault's URL. */
  vault: string;
  namingStyle: NamingStyle;
  /** The agent to check for when `check` gets no `--agent`. */
  agent?: string;
  secrets: SecretInfo[];
  agents: AgentInfo[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';

/** Why `value` is not a snapshot file, as a sentence naming the first bad field; undefined when it is one. */
export function snapshotFileProblem(value: unknown): string | undefined {
  if (!isObject(value)) return 'it is not a JSON object';
  if (value.version !== SNAPSHOT_FILE_VERSION) return `unsupported version ${JSON.stringify(value.version)} (expected ${SNAPSHOT_FILE_VERSION})`;
  if (!isString(value.generatedAt)) return "'generatedAt' is not a string";
  if (!isString(value.vault)) return "'vault' is not a string";
  if (!NAMING_STYLES.includes(value.namingStyle as NamingStyle)) return `'namingStyle' is not one of ${NAMING_STYLES.join(', ')}`;
  if (value.agent !== undefined && (!isString(value.agent) || checkAgentId(value.agent) !== undefined)) return "'agent' is not an agent id";
  if (!Array.isArray(value.secrets)) return "'secrets' is not an array";
  for (const [i, s] of value.secrets.entries()) {
    if (!isSecretInfo(s)) {
      return `'secrets[${i}]' is not a secret's metadata (name, description, kind, keys, agents)`;
    }
  }
  if (!Array.isArray(value.agents)) return "'agents' is not an array";
  for (const [i, a] of value.agents.entries()) {
    if (!isObject(a) || !isString(a.id) || !isString(a.name)) return `'agents[${i}]' is not an agent (id, name)`;
  }
  return undefined;
}

/** Copies the known fields only, so that nothing else a file or a response holds travels further. */
export function secretInfoOf(s: SecretInfo): SecretInfo {
  const info: SecretInfo = { name: s.name, description: s.description, kind: s.kind, keys: [...s.keys], agents: [...s.agents] };
  if (s.updatedAt !== undefined) info.updatedAt = s.updatedAt;
  // Lifecycle, copied only when well-typed: a snapshot file is a file anyone may edit.
  if (typeof s.expiresAt === 'string' || s.expiresAt === null) info.expiresAt = s.expiresAt;
  if ((typeof s.rotationDays === 'number' && Number.isInteger(s.rotationDays)) || s.rotationDays === null) info.rotationDays = s.rotationDays;
  if (typeof s.valueUpdatedAt === 'string') info.valueUpdatedAt = s.valueUpdatedAt;
  // The keys' marks (secret-in-log), when well-typed: the editor and the check judge a key alike.
  const marks = keyMarksOf(s.keySensitivity);
  if (marks !== undefined) info.keySensitivity = marks;
  return info;
}

// ---- documentation of each diagnostic code: SARIF rules, `--help`, docs/diagnostics.md (generated) ----

export interface DiagnosticRule {
  /** PascalCase, as SARIF's `reportingDescriptor.name` expects. */
  name: string;
  /** Default severity (the editor's). */
  severity: CheckSeverity;
  /** One sentence. */
  summary: string;
  /** What it means and how to fix it (plain text, a short paragraph). */
  help: string;
}

export const DIAGNOSTIC_RULES: Record<DiagnosticCode, DiagnosticRule> = {
  'unknown-secret': {
    name: 'UnknownSecret',
    severity: 'error',
    summary: 'The code reads a secret that does not exist in the vault.',
    help: "get_secret('name') (or, in environment-style accounts, os.environ['NAME'] / process.env.NAME) names a secret the vault does not have, so the read fails at run time. Fix the name (the message suggests the nearest existing one) or create the secret and grant the agent access.",
  },
  'not-granted': {
    name: 'NotGranted',
    severity: 'error',
    summary: "The secret exists but is not on the agent's access list.",
    help: "The vault answers a read by an agent that is not on the secret's access list with 403, exactly as for a missing secret. Ask an admin to grant the agent access (secrets-vault access grant NAME AGENT), or read a secret the agent is granted.",
  },
  'invalid-name': {
    name: 'InvalidName',
    severity: 'error',
    summary: "The name cannot be a secret name in this account's naming style.",
    help: "No secret of this account can have this name, so the read always fails. In accounts that read secrets with get_secret a name is 1 to 128 characters of printable text (letters of any case and script, digits, spaces, punctuation) with no control, invisible or bidirectional-control character and no space at either end; in environment-style accounts it is an environment variable: an upper-case letter, then upper-case letters, digits or underscores (for example STRIPE_API_KEY). A name that is valid but does not follow the account's convention is naming-convention, not this.",
  },
  'unknown-key': {
    name: 'UnknownKey',
    severity: 'error',
    summary: 'The code reads a key that the key/value secret does not have.',
    help: "A key/value secret returns a dict, and a key it does not hold fails: creds['k'] raises KeyError, creds.get('k') returns None. Fix the key (the message lists the secret's keys and suggests the nearest) or add the key to the secret.",
  },
  'not-a-mapping': {
    name: 'NotAMapping',
    severity: 'error',
    summary: 'The code reads a key of a single-value secret.',
    help: "A single-value secret returns a str, so subscripting it with a key or calling .get('k') on it fails at run time. Use the value directly (the quick fix Read as a string removes the subscript or the .get call), or make the secret a key/value secret with that key (for an admin, a quick fix opens Edit Secret with that key).",
  },
  'dynamic-name': {
    name: 'DynamicName',
    severity: 'info',
    summary: 'The secret name is computed at run time from something the editor cannot follow, so it cannot be checked.',
    help: "The name is computed from a part whose value cannot be known before run time (a conversation's state, a parameter, an f-string placeholder, a call into another package), so neither the editor nor the check can tell which secret is read or whether the agent may read it; the message quotes the first such part. A name chosen among literals is followed and checked instead: a conditional expression, an if/elif/else or match that assigns it, an `or` default, a module constant or class attribute, a dict or tuple of literal names indexed by anything (NAMES[conv.env], NAMES.get(conv.env, 'default')), a function of the project that returns literals, a parameter every caller passes a known name to, a name imported from another module of the project. Each name it may take is then checked like a literal, its problems labelled with the environments (conv.env) or the condition that choose it; with an environment chosen (the status bar, or check --environment live) only the names taken there are reported. Prefer a literal name, for example get_secret('stripe_api_key'), or a choice among literal names.",
  },
  'hardcoded-secret': {
    name: 'HardcodedSecret',
    severity: 'warning',
    summary: 'A credential is written into the code as a string literal.',
    help: "The literal has the documented format of a provider's credential (a Stripe, AWS, GitHub, OpenAI… key, a JWT, a private key, a URL with a password), or is a random-looking value assigned to a name such as api_key, token, secret or password. Anyone who can read the code, its history or a copy of it has the credential. Move it to the vault and read it with get_secret (the editor's Move to vault quick fix does both), then revoke the exposed credential at its provider. A false finding is silenced for one line with the comment '# secrets-vault: ignore hardcoded-secret' (// in JavaScript and TypeScript). The same credential written where a secret's name goes (pasted into get_secret('…'), as a key of a secret, as an environment variable's name) is reported as this code too, as an error since the read fails as well; no message, quick fix or output quotes it.",
  },
  'secret-in-log': {
    name: 'SecretInLog',
    severity: 'warning',
    summary: "A secret's value, or something made from it, reaches a log, the output or an error message.",
    help: 'A value read with get_secret (or, in environment-style accounts, from the environment) flows, through assignments, string formatting, concatenation, dicts or lists built from it, into print, a logger, conv.log, console, an exception message or a value a function returns for display. Logs and error reports are kept and shared, so the credential leaks there. Log something that is not the value: its length, whether it is set, or a masked or hashed form. Passing the value to a request (headers, auth) is its intended use and is not reported. A key of a key/value secret is reported only when it is sensitive: marked so by an admin or, without a mark, named for a credential rather than an address or an identifier (API_KEY is, BASE_URL, EMAIL_ADDRESS and REGION are not); the whole value when any of its keys is. One finding per leak and sink, naming every secret the value may come from; it lists the read, at most three steps and the sink (in the editor, the hover on it lists every step).',
  },
  'secret-expired': {
    name: 'SecretExpired',
    severity: 'error',
    summary: 'The code reads a secret whose expiry date has passed.',
    help: "The secret has an expiry date (expiresAt) in the past, so the vault refuses every run-time read of it with 403 secret_expired, and the function fails as if the agent had no access. Rotate the credential at its provider, then give the secret the new value and a later expiry or none (secrets-vault secrets update NAME --value --expires DATE, or --no-expiry; or Edit Secret in the editor).",
  },
  'rotation-due': {
    name: 'RotationDue',
    severity: 'info',
    summary: "The secret's value is older than its rotation reminder.",
    help: "The secret has a rotation reminder (rotationDays) and its current value was set longer ago than that. Reads still work: this is a reminder to rotate the credential. Issue a new credential at the provider, update the secret's value (the old one is kept as an earlier version, so a bad rotation can be rolled back), test the agents, then revoke the old credential. secrets-vault secrets list --due lists every secret that needs attention.",
  },
  'naming-convention': {
    name: 'NamingConvention',
    severity: 'info',
    summary: "The name is valid but does not follow the account's naming convention.",
    help: "Accounts that read secrets with get_secret advise snake_case names (a lower-case letter, then lower-case letters, digits or underscores, for example stripe_api_key); real accounts also hold names such as 'Prod API Credentials', which the vault accepts. The read works as written: this is advice, never an error. The message gives the conforming form; to follow it, rename the secret in the vault and every read of it together. A credential written where the name goes is hardcoded-secret, not this, and is never quoted.",
  },
  'wrong-kind': {
    name: 'WrongKind',
    severity: 'error',
    summary: 'A configuration field names a secret of the wrong kind.',
    help: "In an Agent Development Kit project's agent_settings/experimental_config.json, agentic_dial.connector_token_secret_name must name a key/value secret (agent names mapped to connector tokens), and every other field that names a secret (an MCP server's auth.secret_name and auth.oauth.client_secret_name, a webhook's auth.secret_name, and the same under ab.test_groups[].test_config) a single-value secret, whose value the platform sends as it is. With the other kind the feature fails at run time. Point the field at a secret of the right kind, or create one (the message names the field, the kind it needs and the secret's kind).",
  },
  'missing-name': {
    name: 'MissingName',
    severity: 'error',
    summary: 'A secret is read without a name.',
    help: "The platform's get_secret() (conv.utils.get_secret, an imported get_secret, or secret_vault()) is called with no name: no positional argument and no secret_name= (the platform's keyword, get_secret(self, secret_name: str)) or name= keyword, or a keyword with nothing after its =. The call fails at run time before it reaches the vault. Pass the secret's name: get_secret('stripe_api_key') or get_secret(secret_name='stripe_api_key'). A name passed through *args or **kwargs is not missing but computed, and is reported as dynamic-name when it cannot be followed. Another object's get_secret() with no argument (an SDK's) is another API and is not reported.",
  },
  'leak-check-incomplete': {
    name: 'LeakCheckIncomplete',
    severity: 'info',
    summary: 'The leak check did not follow a call that may carry a secret, so a leak past it would not be reported.',
    help: "secret-in-log follows a secret's value into the functions, methods and constructors of the same file it is passed to. Following them is bounded, so that no file, however it is written, holds up the editor or the check: the analysis of one file may take work in proportion to its size, and calls are followed at most 16 deep. When a call that passes a secret's value (or reaches a function that reads one) is not followed for either reason, the check of that file is incomplete: this notice points at the first such call and counts the others. It is not a finding: nothing is known to leak. Splitting very large files of many small functions, or reducing how deeply calls nest, lets the check follow every call; a file's other findings are unaffected.",
  },
};
