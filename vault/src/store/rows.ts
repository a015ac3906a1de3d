// Row mapping: the rows both databases return (the same snake_case columns in SQLite and
// PostgreSQL) and their conversion to the store's types, kept in one place so every query of either
// store maps a row the same way.

import type { SecretMetadata } from '../../../protocol/api';
import type { DataKeyRow, GrantedValue, SealedValue, TokenRow } from './types';

export interface SecretDbRow {
  account_id: string;
  name: string;
  description: string;
  kind: 'single' | 'kv';
  keys: string;
  version: number;
  value_version: number;
  created_at: string;
  updated_at: string;
  updated_by: string;
  key_id: string;
  nonce: Buffer;
  ciphertext: Buffer;
}

export type GrantedDbRow = Pick<SecretDbRow, 'name' | 'kind' | 'value_version' | 'key_id' | 'nonce' | 'ciphertext'>;

export function toGranted(row: GrantedDbRow): GrantedValue {
  return { name: row.name, kind: row.kind, valueVersion: row.value_version, sealed: { keyId: row.key_id, nonce: row.nonce, ciphertext: row.ciphertext } };
}

export interface DataKeyDbRow {
  id: string;
  master_id: string;
  nonce: Buffer;
  wrapped: Buffer;
  state: 'active' | 'retired';
  created_at: string;
}

export function toDataKey(r: DataKeyDbRow): DataKeyRow {
  return { id: r.id, masterId: r.master_id, nonce: r.nonce, wrapped: r.wrapped, state: r.state, createdAt: r.created_at };
}

export function sealedOf(row: SecretDbRow): SealedValue {
  return { keyId: row.key_id, nonce: row.nonce, ciphertext: row.ciphertext };
}

export function toMetadata(row: SecretDbRow, agents: string[]): SecretMetadata {
  return {
    name: row.name,
    description: row.description,
    kind: row.kind,
    keys: JSON.parse(row.keys) as string[],
    agents,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
  };
}

export interface TokenDbRow {
  id: string;
  account_id: string;
  digest: Buffer;
  kind: 'user' | 'agent';
  role: TokenRow['role'];
  agent_id: string | null;
  name: string;
  created_at: string;
  revoked_at: string | null;
  expires_at: string | null;
  minted_by: string | null;
  minted_by_name: string | null;
}

export function toTokenRow(r: TokenDbRow): TokenRow {
  return {
    id: r.id,
    accountId: r.account_id,
    digest: r.digest,
    kind: r.kind,
    role: r.role,
    agentId: r.agent_id,
    name: r.name,
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
    expiresAt: r.expires_at,
    mintedBy: r.minted_by,
    mintedByName: r.minted_by_name,
  };
}
