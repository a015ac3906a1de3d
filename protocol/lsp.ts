// Custom LSP messages between the extension (client) and the language server. Each is defined once,
// as a namespace with a literal `method` and a typed message type; the comment says who sends it.
// Everything here is metadata: no message ever carries a secret value.

import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import type { Location } from 'vscode-languageserver-protocol';
import type { NamingStyle } from './names';
import type { Role, SecretKind } from './api';

/** What the server knows of one secret: metadata only. */
export interface SecretInfo {
  name: string;
  description: string;
  kind: SecretKind;
  keys: string[];
  agents: string[];
  updatedAt?: string;
}

export interface AgentInfo {
  id: string;
  name: string;
}

export interface FolderAgent {
  /** Workspace folder URI, as the client's `workspaceFolders` give it. */
  folderUri: string;
  /** The agent chosen for this folder; null when none is chosen. */
  agent: string | null;
}

/** The state of the client's vault connection, so the server can word diagnostics and actions. */
export type ConnectionState = 'connected' | 'signed-out' | 'unreachable';

export interface VaultSnapshot {
  connection: ConnectionState;
  namingStyle: NamingStyle;
  /** The signed-in user's role; null when signed out. Grant quick fixes are offered to admins only. */
  role: Role | null;
  secrets: SecretInfo[];
  agents: AgentInfo[];
  /** The agent per workspace folder; documents outside every folder use `defaultAgent`. */
  folders: FolderAgent[];
  defaultAgent: string | null;
}

/** Client → server: the vault's metadata changed (connect, agent change, any vault event). */
export namespace SnapshotNotification {
  export const method = 'secretsVault/snapshot' as const;
  export const type = new NotificationType<VaultSnapshot>(method);
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

export interface UsageCountsParams {
  /** Secret name → number of references in the workspace. */
  counts: Record<string, number>;
}

/** Server → client: usage counts changed (after indexing or an edit), for the sidebar's tooltips. */
export namespace UsageCountsNotification {
  export const method = 'secretsVault/usageCounts' as const;
  export const type = new NotificationType<UsageCountsParams>(method);
}

/** Commands that quick fixes invoke; the client registers and carries them out. */
export const Commands = {
  /** Arguments: [CreateSecretArgs] */
  createSecret: 'secretsVault.createSecret',
  /** Arguments: [GrantAccessArgs] */
  grantAccess: 'secretsVault.grantAccess',
} as const;

export interface CreateSecretArgs {
  name: string;
  /** Agent to tick in the form's access list. */
  agent?: string | null;
  /** Set when the reference reads keys: the form starts as key/value with these keys. */
  keys?: string[];
}

export interface GrantAccessArgs {
  name: string;
  agent: string;
}

/** Stable diagnostic codes, shared by the editor and `secrets-vault check`. */
export const DiagnosticCodes = [
  'unknown-secret',
  'not-granted',
  'invalid-name',
  'unknown-key',
  'not-a-mapping',
  'dynamic-name',
] as const;
export type DiagnosticCode = (typeof DiagnosticCodes)[number];

/** The `source` of every diagnostic we publish. */
export const DIAGNOSTIC_SOURCE = 'secrets-vault';

/** Initialization options the client passes to the server. */
export interface ServerInitializationOptions {
  /** Files larger than this are not indexed (bytes). */
  maxFileSize?: number;
}
