// A realistic vault for the language feature tests: three agents, single and key/value secrets,
// one secret nobody can read, one shared by many agents; and helpers for in-memory documents.

import { TextDocument } from 'vscode-languageserver-textdocument';
import type { SecretInfo, VaultSnapshot } from '../../protocol/lsp';
import { VaultModel } from '../../server/src/service/model/model';
import { languageOfId } from '../../server/src/service/scan/references';
import { scan } from '../../server/src/service/analyze';
import type { ScanResult } from '../../server/src/service/analyze';

export const BOOKING = 'file:///work/booking';
export const SUPPORT = 'file:///work/support';
export const LEGACY = 'file:///work/booking/legacy';

const many = ['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7'].map((n) => `${n}-agent`);

export const SNAKE_SECRETS: SecretInfo[] = [
  { name: 'stripe_key', description: 'Stripe secret key for charging cards', kind: 'single', keys: [], agents: ['billing-agent'] },
  { name: 'sendgrid_api_key', description: 'Transactional email', kind: 'single', keys: [], agents: ['booking-agent', 'support-agent'] },
  { name: 'google_oauth', description: 'OAuth client for Calendar', kind: 'kv', keys: ['client_id', 'client_secret'], agents: ['booking-agent'] },
  { name: 'zendesk', description: 'Zendesk API *admin* access', kind: 'kv', keys: ['email', 'subdomain', 'token'], agents: ['support-agent'] },
  { name: 'opentable_token', description: '', kind: 'single', keys: [], agents: ['booking-agent'] },
  { name: 'twilio_auth', description: 'SMS', kind: 'kv', keys: ['account_sid', 'auth_token'], agents: [] },
  { name: 'webhook_signing_key', description: 'Shared webhook key', kind: 'single', keys: [], agents: many },
];

export function snapshot(overrides: Partial<VaultSnapshot> = {}): VaultSnapshot {
  return {
    revision: 1,
    connection: 'connected',
    namingStyle: 'snake_case',
    role: 'admin',
    secrets: SNAKE_SECRETS,
    agents: [
      { id: 'booking-agent', name: 'Booking agent' },
      { id: 'support-agent', name: 'Support agent' },
      { id: 'billing-agent', name: 'Billing agent' },
    ],
    folders: [
      { folderUri: BOOKING, agent: 'booking-agent' },
      { folderUri: `${SUPPORT}/`, agent: 'support-agent' },
      { folderUri: LEGACY, agent: null },
    ],
    defaultAgent: null,
    stale: null,
    ...overrides,
  };
}

export const ENV_SECRETS: SecretInfo[] = [
  { name: 'STRIPE_API_KEY', description: 'Stripe', kind: 'single', keys: [], agents: ['billing-agent'] },
  { name: 'X_BEARER_TOKEN', description: 'X API', kind: 'single', keys: [], agents: ['booking-agent'] },
  { name: 'OPENTABLE_TOKEN', description: '', kind: 'single', keys: [], agents: ['booking-agent'] },
];

export function envSnapshot(overrides: Partial<VaultSnapshot> = {}): VaultSnapshot {
  return snapshot({ namingStyle: 'UPPER_CASE', secrets: ENV_SECRETS, ...overrides });
}

export function model(overrides: Partial<VaultSnapshot> = {}): VaultModel {
  return VaultModel.fromSnapshot(snapshot(overrides));
}

export interface Doc {
  doc: TextDocument;
  result: ScanResult;
  /** The offset of the `|` marker, removed from the text; -1 without one. */
  cursor: number;
}

/** An in-memory document; a `|` in `text` marks the cursor and is removed. */
export function doc(text: string, uri = `${BOOKING}/functions/main.py`, languageId = 'python'): Doc {
  const cursor = text.indexOf('|');
  const clean = cursor >= 0 ? text.slice(0, cursor) + text.slice(cursor + 1) : text;
  const language = languageOfId(languageId);
  if (!language) throw new Error(`no scanner for ${languageId}`);
  const d = TextDocument.create(uri, languageId, 1, clean);
  return { doc: d, result: scan(clean, language), cursor };
}

/** The text a range covers, to assert ranges by what they select. */
export function textOf(d: TextDocument, range: { start: { line: number; character: number }; end: { line: number; character: number } }): string {
  return d.getText().slice(d.offsetAt(range.start), d.offsetAt(range.end));
}
