// Custom LSP messages between the extension (client) and the language server. Each is defined once,
// as a namespace with a literal `method` and a typed message type; the comment says who sends it.
// Everything here is metadata: no message ever carries a secret value.

import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import type { Location, Range } from 'vscode-languageserver-protocol';
import type { NamingStyle } from './names';
import type { Role, SecretKind } from './api';
import type { KeySensitivity } from './keySensitivity';

/** What the server knows of one secret: metadata only. */
export interface SecretInfo {
  name: string;
  description: string;
  kind: SecretKind;
  keys: string[];
  agents: string[];
  updatedAt?: string;
  /** Lifecycle (see protocol/lifecycle.ts): when the value expires / was last set, and the rotation reminder. */
  expiresAt?: string | null;
  rotationDays?: number | null;
  valueUpdatedAt?: string;
  /** Who set the current value (a key's display name), for hovers; the CLI's check leaves it out. */
  valueUpdatedBy?: string;
  /** An admin's marks on keys (protocol/keySensitivity.ts); absent: none, every key takes its default. */
  keySensitivity?: Record<string, KeySensitivity>;
  /**
   * The last run-time read of this secret by each agent the editor follows (the current project's)
   * that is on its access list, sorted by agent: `at` null when that agent never read it. Absent
   * when the editor has not fetched those agents' reads (then hovers say nothing of reads).
   */
  reads?: SecretReadInfo[];
}

/** One agent's last read of a secret as the editor knows it (GET /v1/agents/{id}/reads): metadata only. */
export interface SecretReadInfo {
  agent: string;
  /** ISO 8601; null: never read. */
  at: string | null;
  environment: string | null;
}

/** A pending access request the server words a diagnostic for ("access requested, pending"). */
export interface PendingAccess {
  secret: string;
  agent: string;
}

export interface AgentInfo {
  id: string;
  name: string;
}

export interface FolderAgent {
  /**
   * Workspace folder URI, as the client's `workspaceFolders` give it, or the URI of an Agent
   * Development Kit project's folder (the one holding its `project.yaml`); the innermost one that
   * holds a document decides its agent.
   */
  folderUri: string;
  /** The agent chosen for this folder (a project's `project_id`); null when none is chosen. */
  agent: string | null;
  /** A project's `project_name`: the agent's display name when the vault's agent list has none. */
  name?: string | null;
}

/** The state of the client's vault connection, so the server can word diagnostics and actions. */
export type ConnectionState = 'connected' | 'signed-out' | 'unreachable';

/** Set when the metadata is not live: it comes from the offline cache or the vault became unreachable. */
export interface StaleInfo {
  /** ISO time of the last successful listing the data comes from. */
  since: string;
}

export interface VaultSnapshot {
  /**
   * The client's metadata revision. Every delta names the revision it applies to (`baseRevision`),
   * so the server can tell a gap and ask for a full snapshot again.
   */
  revision: number;
  connection: ConnectionState;
  namingStyle: NamingStyle;
  /** The signed-in user's role; null when signed out. Grant quick fixes are offered to admins only. */
  role: Role | null;
  secrets: SecretInfo[];
  agents: AgentInfo[];
  /** The agent per workspace folder; documents outside every folder use `defaultAgent`. */
  folders: FolderAgent[];
  defaultAgent: string | null;
  /** Non-null when the data is not live (offline cache, vault unreachable); null when live. */
  stale: StaleInfo | null;
  /** Pending access requests of the account (absent: none known). */
  pendingAccess?: PendingAccess[];
  /**
   * The environment chosen in the editor (`secretsVault.environment`): 'all', or one environment
   * ('sandbox', 'pre-release', 'live'); a computed read's candidates taken only in other
   * environments are not reported. Absent: 'all'.
   */
  environment?: string;
}

/**
 * Client → server: the full metadata, once per connection of the language client and again only
 * when the server asks (`ResyncNotification`). An identical snapshot (same content, whatever the
 * revision) is a no-op on the server, and the client does not send one in the first place.
 */
export namespace SnapshotNotification {
  export const method = 'secretsVault/snapshot' as const;
  export const type = new NotificationType<VaultSnapshot>(method);
}

/** The part of the metadata that is not a list of secrets or agents; each field present changed. */
export interface ContextChange {
  kind: 'context';
  connection?: ConnectionState;
  role?: Role | null;
  namingStyle?: NamingStyle;
  /** The whole list of folders and their agents (replaces the previous one). */
  folders?: FolderAgent[];
  defaultAgent?: string | null;
  stale?: StaleInfo | null;
  /** The whole list of pending access requests (replaces the previous one). */
  pendingAccess?: PendingAccess[];
  /** The environment chosen in the editor ('all' or one environment), as in VaultSnapshot. */
  environment?: string;
}

/** One change to the metadata, derived from a vault event (or a change of folder, agent or role). */
export type MetadataChange =
  /** A secret created or updated, including access-list changes: the whole SecretInfo (metadata only). */
  | { kind: 'secret'; secret: SecretInfo }
  | { kind: 'secretDeleted'; name: string }
  /** An agent added or renamed. */
  | { kind: 'agent'; agent: AgentInfo }
  | { kind: 'agentDeleted'; id: string }
  | ContextChange;

export interface MetadataDelta {
  /** The revision the changes apply to: the server applies them only when this is its revision. */
  baseRevision: number;
  /** The revision after the changes. */
  revision: number;
  /** Applied in order. */
  changes: MetadataChange[];
}

/**
 * Client → server: changes since the last snapshot or delta. When `baseRevision` is not the
 * server's current revision (a gap, or no snapshot yet) the server ignores it and sends
 * `ResyncNotification`.
 */
export namespace DeltaNotification {
  export const method = 'secretsVault/delta' as const;
  export const type = new NotificationType<MetadataDelta>(method);
}

export interface ResyncParams {
  /**
   * The server's current revision: null before any snapshot, and after a gap or a malformed
   * message (it then takes no delta until a snapshot comes).
   */
  revision: number | null;
}

/**
 * Server → client: the server cannot apply a delta (gap, no snapshot yet, malformed message); the
 * client answers with a full snapshot.
 */
export namespace ResyncNotification {
  export const method = 'secretsVault/resync' as const;
  export const type = new NotificationType<ResyncParams>(method);
}

export interface UsagesParams {
  name: string;
  /** With a key: only references that read this key of the secret. */
  key?: string;
}

/** Client → server: every reference to a secret across the workspace index and open documents. */
export namespace UsagesRequest {
  export const method = 'secretsVault/usages' as const;
  export const type = new RequestType<UsagesParams, Location[], void>(method);
}

export interface SecretReadsParams {
  name: string;
}

/** One read of a secret in the workspace, for the questions before a delete or a revoke and Find Usages. */
export interface SecretRead {
  uri: string;
  /** The name where it is written: the read's literal, or a computed read's candidate literal in this file. */
  range: Range;
  /**
   * The agent the file runs as (its project's, by the folder rules the client sent: an ADK
   * project's `project_id`, or a folder's chosen agent), null when none is chosen for the file; and
   * that agent's display name (the vault's, else project.yaml's `project_name`), null when it has
   * none beyond its id.
   */
  agent: string | null;
  agentName: string | null;
  /**
   * The `conv.env` values that take this name at this read ('pre_release' written 'pre-release');
   * null when every environment does (a literal name, or a choice that does not test `conv.env`).
   */
  environments: string[] | null;
}

/**
 * Client → server: every read of a secret across the workspace index and the open documents,
 * whatever environment the editor has chosen (a name taken only in sandbox counts with live chosen,
 * labelled with its environments); in document order per file.
 */
export namespace SecretReadsRequest {
  export const method = 'secretsVault/reads' as const;
  export const type = new RequestType<SecretReadsParams, SecretRead[], void>(method);
}

/** One name an agent's code may read: the environments that take it and where it is written. */
export interface AgentNeed {
  name: string;
  /** The `conv.env` values that take it at some read; null when some read takes it in every environment. */
  environments: string[] | null;
  /** Each read (a literal, a computed read's candidate literal, or a configuration field), in document order per file. */
  locations: { uri: string; range: Range; environments: string[] | null }[];
}

/** What one agent's code in the workspace may read: names only, never a value. */
export interface AgentNeeds {
  agent: string;
  /** As SecretRead's: the vault's display name, else project.yaml's `project_name`; null when none beyond the id. */
  agentName: string | null;
  /** By name, sorted. */
  needs: AgentNeed[];
  /** Reads whose name the code does not determine (`dynamic-name`): they may read any secret. */
  unresolved: { uri: string; range: Range }[];
}

/**
 * Client → server: for each agent of the workspace (every folder rule that names one, and each
 * agent some file runs as), the secret names its code may read, whatever environment is chosen,
 * over the workspace index and the open documents; for the Access review view. Agents in id order.
 */
export namespace AgentNeedsRequest {
  export const method = 'secretsVault/agentNeeds' as const;
  export const type = new RequestType<Record<string, never> | null, AgentNeeds[], void>(method);
}

export interface UsageCountsParams {
  /**
   * Secret name → number of references in the workspace, only for names of vault secrets. With
   * `full`, every such name with a count (a name absent has none); otherwise only the names whose
   * count changed since the last report (0 when a name lost its last reference).
   */
  counts: Record<string, number>;
  /** True for the first report after a (re)start or snapshot: replace, do not merge. */
  full: boolean;
}

/**
 * Server → client: usage counts changed (after indexing or an edit), for the sidebar. Sent only
 * when a count changed, debounced (~300 ms); the first report is full, the next ones changes only.
 */
export namespace UsageCountsNotification {
  export const method = 'secretsVault/usageCounts' as const;
  export const type = new NotificationType<UsageCountsParams>(method);
}

export { Commands } from './commands';

/** Open the Edit Secret form; with `keys`, a single value's form starts as key/value pairs with these keys. */
export interface EditSecretArgs {
  name: string;
  keys?: string[];
}

export interface CreateSecretArgs {
  name: string;
  /** Agent to tick in the form's access list. */
  agent?: string | null;
  /** Set when the reference reads keys: the form starts as key/value with these keys. */
  keys?: string[];
}

/** Request access for an agent to a secret, or (newSecret) ask an admin to create it. */
export interface RequestAccessArgs {
  name: string;
  agent: string;
  newSecret: boolean;
  /** For a new secret: the keys the reference reads (kind 'kv' when non-empty). */
  keys?: string[];
}

export interface GrantAccessArgs {
  name: string;
  agent: string;
}

/** A function a CodeLens offers to run or debug as an agent. */
export interface RunFunctionArgs {
  /** The document's URI, as the client sent it. */
  uri: string;
  /** The module-level function's name. */
  name: string;
  /** Zero-based line of its `def`. */
  line: number;
  /** The agent the lens names; null when no agent is chosen (the client asks). */
  agent: string | null;
  /**
   * Set for an Agent Development Kit function (the function named like its file in a project's
   * `functions/`, `flows/<flow>/functions/` or `flows/<flow>/function_steps/`): which kind it is.
   * A flow function or step also takes `flow` after `conv`.
   */
  adk?: AdkFunctionKind;
  /** The environment the lens names ('all': the client asks which for each run). */
  environment?: string;
}

/** An ADK function's kind: `functions/NAME.py`, `functions/start_function.py` or `end_function.py`, a flow's function or a function step. */
export type AdkFunctionKind = 'global' | 'lifecycle' | 'flow function' | 'function step';

/**
 * A hard-coded credential to move into the vault. Ranges only: the server never sends the
 * literal's text, so the client reads the value from its own copy of the document.
 */
export interface MoveToVaultArgs {
  uri: string;
  /** The document version the ranges are of: a different version means the text moved. */
  version: number;
  /** The whole literal, prefix and quotes included: what the edit replaces. */
  range: Range;
  /** Between the quotes: the value, exactly (the quick fix is not offered when escapes would make them differ). */
  contentRange: Range;
  /** A free name in the account's style, from the variable or key the literal is assigned to, else from its kind. */
  suggestedName: string;
  /** What kind of credential it looks like ("Stripe secret key"), for the form's description. */
  kind: string;
  /** The document's agent, ticked in the form. */
  agent: string | null;
  /**
   * Python only: the literal is outside every function (module or class level), so the code that
   * replaces it runs when the module loads, where an agent's `conv` does not exist. The edit adds
   * nothing else; the form and the message say to move the read into the function.
   */
  outsideFunction?: boolean;
}

export { DIAGNOSTIC_SOURCE, DiagnosticCodes, type DiagnosticCode } from './diagnosticCodes';

/**
 * V8 flags for the language server's process (the client starts it with them; bench/analysis.ts
 * measures under them). Its work is many short-lived allocations (a scan per keystroke or per
 * indexed file): a 4 MB young generation keeps the process about 25 MB smaller in a workspace of
 * 10,000 indexed files than V8's default (up to 16 MB per semi-space).
 * No allocation-site pretenuring: a large file's analysis (a 10,000-line file allocates ~2 MB)
 * outlasts a 4 MB young generation, so its references and diagnostics, alive at each scavenge
 * while it runs, look long-lived to V8, which then allocates them in the old generation from the
 * start; they die with the next edit all the same. With pretenuring, 200 analyses of such a file
 * promoted 47 MB and needed two full collections; without it, 0.1 MB and none, and the
 * analysis's median took about a sixth less (bench/analysis, alternated runs: ratio 8.1-11.2,
 * mean 9.3, against 10.6-11.9, mean 11.4).
 */
export const SERVER_V8_FLAGS: readonly string[] = ['--max-semi-space-size=4', '--no-allocation-site-pretenuring'];

/** Initialization options the client passes to the server. */
export interface ServerInitializationOptions {
  /** Files larger than this are not indexed (bytes). */
  maxFileSize?: number;
  /**
   * The client pulls workspace diagnostics again as soon as a report arrives (vscode-languageclient
   * does, two seconds later): the server then answers only with what changed, and holds the request
   * until something has, instead of answering every item of the workspace "unchanged" each time.
   */
  holdWorkspaceDiagnostics?: boolean;
  /** A workspace file whose analysis runs longer than this (milliseconds) is skipped, with a warning in the log (default: check.ts's DEFAULT_ANALYSIS_TIMEOUT_MS). */
  analysisTimeoutMs?: number;
}
