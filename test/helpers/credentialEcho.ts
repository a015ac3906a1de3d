// The replay of issue 50's point 3, shared by test/vault/credentialEcho.test.ts and the security
// suite's scenario: every path where the vault receives a name, a key or a reason, sent a
// credential instead, and every place the credential could have gone searched for it.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { AuditRecord } from '../../protocol/api';
import { ASSISTANT_CLIENT_HEADER } from '../../protocol/assistantClient';
import { credentialIn } from '../../protocol/credentials/credentialIn';
import { credentialSamples, leakOf, type CredentialSample } from './credentialNames';
import type { TestVault } from './vault';

/**
 * The samples of credentialNames.ts that the detector judges credentials: the vault refuses what
 * the detector says is one, and a generated sample is now and then a look-alike to it (a JWT whose
 * random signature reads as a filler), which the editor's tests take as a name too.
 */
export function detectedSamples(seed?: number): CredentialSample[] {
  return credentialSamples(seed).filter((s) => credentialIn(s.value) !== null);
}

/** Every file of a folder, as text (a SQLite database and its WAL hold names in plain UTF-8). */
export function filesText(dir: string): string {
  let out = '';
  for (const entry of readdirSync(dir)) {
    const p = path.join(dir, entry);
    out += statSync(p).isDirectory() ? filesText(p) : readFileSync(p).toString('utf8') + '\n';
  }
  return out;
}

/** Every row of every table of a PostgreSQL database, as JSON text. */
export async function databaseText(url: string): Promise<string> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const tables = await c.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");
    let out = '';
    for (const { table_name } of tables.rows) {
      const rows = await c.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM "${table_name}" t`);
      out += rows.rows.map((r) => r.row).join('\n') + '\n';
    }
    return out;
  } finally {
    await c.end();
  }
}

/** The whole audit, page by page. */
export async function auditAll(v: Pick<TestVault, 'api'>): Promise<AuditRecord[]> {
  const all: AuditRecord[] = [];
  let before: string | undefined;
  for (;;) {
    const page = await v.api().audit({ limit: 500, ...(before !== undefined ? { before } : {}) });
    all.push(...page.records);
    if (page.next === null) return all;
    before = page.next;
  }
}

/** One request of the replay and what it must get. */
export interface EchoCase {
  label: string;
  status: number;
  /** The answer's field (400), or undefined. */
  field: string | undefined;
  /** The field the request put the credential in; undefined for a run-time read (400 or 403). */
  expectField: string | undefined;
  text: string;
}

/**
 * Sends each credential where a name goes: a run-time read as the agent and as a user key, an
 * access request's secret, agent, key and reason (also as the agent), a deny's reason (one and
 * bulk), an assistant's audit target, an access change's reason (one and a batch) and a batch's
 * secret and agent. `pendingId`: a pending request to deny.
 */
export async function replayCredentialPaths(v: Pick<TestVault, 'http' | 'adminKey'>, agentToken: string, pendingId: string, samples: readonly CredentialSample[]): Promise<EchoCase[]> {
  const out: EchoCase[] = [];
  for (const { label, value: c } of samples) {
    const reads: [string, string][] = [['run-time read (agent)', agentToken], ['run-time read (user key)', v.adminKey]];
    for (const [what, token] of reads) {
      const r = await v.http('GET', `/v1/runtime/secrets/${encodeURIComponent(c)}`, { token });
      out.push({ label: `${label}: ${what}`, status: r.status, field: r.json?.field, expectField: undefined, text: r.text });
    }
    const refusals: [string, string, Record<string, unknown>, string, string?][] = [
      ['POST', '/v1/access-requests', { secret: c, agent: 'booking-agent' }, 'secret'],
      ['POST', '/v1/access-requests', { secret: 'stripe_key', agent: c }, 'agent'],
      ['POST', '/v1/access-requests', { secret: 'new_secret', agent: 'billing-agent', keys: ['client_id', c] }, 'keys'],
      ['POST', '/v1/access-requests', { secret: 'stripe_key', agent: 'billing-agent', reason: `the key is ${c} please` }, 'reason'],
      ['POST', '/v1/access-requests', { secret: c, agent: 'booking-agent' }, 'secret', agentToken],
      ['POST', `/v1/access-requests/${pendingId}/deny`, { reason: c }, 'reason'],
      ['POST', '/v1/access-requests/deny', { all: true, reason: c }, 'reason'],
      ['POST', '/v1/audit/assistant', { tool: 'explain_secret', target: c, outcome: 'failed' }, 'target'],
      ['POST', '/v1/audit/assistant', { tool: 'snippet', target: c, outcome: 'success' }, 'target'],
      // A batch of access changes: the credential in its second change (changes.1), after a good one.
      ['POST', '/v1/access/changes', { changes: [{ secret: 'stripe_key', agent: 'billing-agent', granted: true }, { secret: c, agent: 'booking-agent', granted: false }] }, 'changes.1.secret'],
      ['POST', '/v1/access/changes', { changes: [{ secret: 'stripe_key', agent: 'billing-agent', granted: true }, { secret: 'stripe_key', agent: c, granted: true }] }, 'changes.1.agent'],
    ];
    // An access change's reason is kept in its audit record (access review --apply gives one).
    const changes: [string, string, string, unknown?][] = [
      ['PUT', '/v1/secrets/stripe_key/access/billing-agent', `needed: ${c}`],
      ['DELETE', '/v1/secrets/stripe_key/access/booking-agent', c],
      ['POST', '/v1/access/changes', `review: ${c}`, { changes: [{ secret: 'stripe_key', agent: 'billing-agent', granted: true }] }],
    ];
    for (const [method, route, reason, body] of changes) {
      const r = await v.http(method, route, { token: v.adminKey, ...(body !== undefined ? { body } : {}), headers: { 'x-secrets-vault-reason': encodeURIComponent(reason) } });
      out.push({ label: `${label}: ${method} ${route} reason`, status: r.status, field: r.json?.field, expectField: 'reason', text: r.text });
    }
    for (const [method, route, body, field, token] of refusals) {
      const r = await v.http(method, route, { token: token ?? v.adminKey, body, headers: { [ASSISTANT_CLIENT_HEADER]: 'test-assistant/1.0' } });
      out.push({ label: `${label}: ${route} ${field}`, status: r.status, field: r.json?.field, expectField: field, text: r.text });
    }
  }
  return out;
}

/** Whether a case got what it must: a read 400 or 403; a refusal 400 naming the field (or, from the schema, an item of it: keys.1). */
export function caseHolds(c: EchoCase): boolean {
  if (c.expectField === undefined) return c.status === 400 || c.status === 403;
  return c.status === 400 && (c.field === c.expectField || (c.field?.startsWith(`${c.expectField}.`) ?? false));
}

/** Where each credential was found among `places` ([where, text]); empty when nowhere. */
export function echoes(samples: readonly CredentialSample[], places: readonly [string, string][]): string[] {
  const found: string[] = [];
  for (const { label, value } of samples) {
    for (const [where, text] of places) {
      const leak = leakOf(text, value);
      if (leak !== null) found.push(`${label} in ${where}: ${leak}`);
    }
  }
  return found;
}
