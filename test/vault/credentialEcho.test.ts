// A value passed where a name goes is never echoed by the vault (issue 50, point 3). Each path the
// review used is replayed with credentials of many kinds (made at run time from a seed): a run-time
// read of a credential as a name (as get_secret(get_secret('stripe_key')) does), by an agent and by
// a user key; an access request with one as its secret, agent, key or reason; a deny with one as its
// reason; an assistant's audit record with one as its target. Then every place it could have gone
// is searched: the responses, the audit (as the API lists it, and the store's files or tables, on
// SQLite and PostgreSQL), the event stream, the access requests and the service's log.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditAll, caseHolds, databaseText, detectedSamples, echoes, filesText, replayCredentialPaths } from '../helpers/credentialEcho';
import { CREDENTIAL_SEED, type CredentialSample, leakOf } from '../helpers/credentialNames';
import { pgDatabase } from '../helpers/pg';
import { openSse, type SseConnection } from '../helpers/sse';
import { startTestVault, TEST_STORES, type TestVault } from '../helpers/vault';
import { credentialDigest } from '../../vault/src/nameChecks';
import { credentialIn } from '../../protocol/credentials/credentialIn';

const SAMPLES: CredentialSample[] = detectedSamples();

describe('the search for an echo', () => {
  it('finds a piece of a credential, not a run of digits it shares with a timestamp', () => {
    const token = 'xoxb-1795812345-4815162342-AbCdEfGhIjKlMnOpQrStUvWx';
    expect(leakOf('{"level":30,"time":1795812345678,"msg":"incoming request"}', token)).toBeNull();
    expect(leakOf('refused: name xoxb-1795812345-4815 is not a secret name', token)).toMatch(/^characters 0-7/);
    expect(leakOf('… QRSTUVWX …', token)).toMatch(/^characters/);
    // A credential of digits alone is found only whole.
    expect(leakOf('"time":123456789012345', '123456789012')).toMatch(/^the whole credential/);
    expect(leakOf('"time":12345678', '123456789012')).toBeNull();
  });
});

describe.each(TEST_STORES)('a credential where a name goes is echoed nowhere (%s)', (store) => {
  let v: TestVault;
  let databaseUrl: string | undefined;
  let agentToken: string;
  let sse: SseConnection;
  const responses: string[] = [];

  beforeAll(async () => {
    console.log(`credential seed ${CREDENTIAL_SEED} (CREDENTIAL_SEED=${CREDENTIAL_SEED} replays it)`);
    databaseUrl = store === 'postgres' ? await pgDatabase() : undefined;
    v = await startTestVault(databaseUrl ? { databaseUrl } : {});
    const api = v.api();
    await api.createAgent({ id: 'booking-agent', name: 'Booking' });
    await api.createAgent({ id: 'billing-agent', name: 'Billing' });
    await api.createSecret({ name: 'stripe_key', value: 'sk_test_value_of_the_vault', agents: ['booking-agent'] });
    agentToken = (await api.createAgentToken('booking-agent')).token;
    sse = await openSse(v.url, v.adminKey);
  }, 60_000);
  afterAll(async () => {
    sse?.close();
    await v?.stop();
  });

  it('the 403 of a run-time read names no secret, the same for a missing and an ungranted one', async () => {
    await v.api().createSecret({ name: 'billing_key', value: 'x-value', agents: ['billing-agent'] });
    const missing = await v.http('GET', '/v1/runtime/secrets/no_such_secret', { token: agentToken });
    const ungranted = await v.http('GET', '/v1/runtime/secrets/billing_key', { token: agentToken });
    expect(missing.status).toBe(403);
    expect(ungranted.status).toBe(403);
    expect(missing.json.detail).toBe(ungranted.json.detail);
    expect(missing.json.detail).toBe("Agent 'booking-agent' may not read that secret: it does not exist or is not granted to this agent.");
    // An ordinary name is still audited as it was asked for.
    const audit = (await v.api().audit({ limit: 20 })).records;
    expect(audit.find((r) => r.action === 'runtime.read' && r.target === 'no_such_secret')).toMatchObject({ outcome: 'denied' });
  });

  it('replays every path with each credential: refused naming the field, or (a denied read) recorded as a digest', async () => {
    const admin = v.api();
    const pending = await admin.createAccessRequest({ secret: 'stripe_key', agent: 'billing-agent', reason: 'billing needs it' });
    expect(pending.outcome).toBe('created');
    const id = pending.outcome === 'created' ? pending.request.id : '';
    const cases = await replayCredentialPaths(v, agentToken, id, SAMPLES);
    expect(SAMPLES.length).toBeGreaterThan(12);
    expect(cases).toHaveLength(SAMPLES.length * 16);
    for (const c of cases) {
      responses.push(c.text);
      expect(caseHolds(c), `${c.label}: ${c.status} ${c.text.slice(0, 200)}`).toBe(true);
    }
    // The pending request is as it was: no deny went through.
    const listed = await v.http('GET', '/v1/access-requests', { token: v.adminKey });
    responses.push(listed.text);
    expect(listed.json.requests ?? listed.json).toEqual(expect.arrayContaining([expect.objectContaining({ id, status: 'pending' })]));
  }, 120_000);

  it('a denied read of a credential is audited under its digest, never its text', async () => {
    const records = await auditAll(v);
    const digests = new Set(SAMPLES.filter((s) => credentialIn(s.value) !== null).map((s) => credentialDigest(s.value)));
    const reads = records.filter((r) => r.action === 'runtime.read' && r.outcome === 'denied' && digests.has(r.target));
    // Each credential the name check lets through reaches the lookup and is recorded, by the agent and by the user key.
    expect(reads.length).toBeGreaterThan(0);
    for (const r of reads) expect(r.target).toMatch(/^credential sha256:[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}$/);
    // The digest itself is not taken for a credential (it would be digested again, or refused).
    for (const d of digests) expect(credentialIn(d), d).toBeNull();
  });

  it('finds none of the credentials in the responses, the audit, the store, the events, the access requests or the log', async () => {
    // Let the stream deliver what was published.
    await new Promise((r) => setTimeout(r, 300));
    const audit = JSON.stringify(await auditAll(v));
    const requests = (await v.http('GET', '/v1/access-requests', { token: v.adminKey })).text;
    const stored = databaseUrl ? await databaseText(databaseUrl) : filesText(v.dataDir);
    const events = JSON.stringify(sse.events);
    const places: [string, string][] = [
      ['responses', responses.join('\n')],
      ['audit (API)', audit],
      [`store (${store})`, stored],
      ['events', events],
      ['access requests', requests],
      ['log', v.logs.join('\n')],
    ];
    // The search can fail: the vault's own secret name is in the store and the audit.
    expect(stored).toContain('stripe_key');
    expect(audit).toContain('stripe_key');
    expect(echoes(SAMPLES, places)).toEqual([]);
  });
});
