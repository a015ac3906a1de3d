// An assistant that passes a credential where a name goes (issue 50, point 3): explain_secret,
// snippet and request_access of the built `secrets-vault mcp`, over stdio against a real vault, with
// credentials of many kinds. Each call is refused before anything is sent, naming the argument and
// the credential's kind; the audit records the call under the credential's digest; no access
// request is made; the credential is in no answer, the audit, the events or the vault's log.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialDigest } from '../../vault/src/nameChecks';
import { auditAll, detectedSamples, echoes } from '../helpers/credentialEcho';
import { CREDENTIAL_SEED } from '../helpers/credentialNames';
import { openSse, type SseConnection } from '../helpers/sse';
import { startTestVault, type TestVault } from '../helpers/vault';

const CLI = path.resolve('dist/vault/cli.js');
// The samples the detector judges credentials (all of them, as the suite's other tests check).
const SAMPLES = detectedSamples();

let v: TestVault;
let dir: string;
let sse: SseConnection;
let client: Client;
let stderr = '';

beforeAll(async () => {
  execFileSync(process.execPath, ['scripts/build.mjs']);
  v = await startTestVault();
  const api = v.api();
  await api.createAgent({ id: 'booking-agent' });
  await api.createSecret({ name: 'stripe_key', value: 'sk_test_mcp_value', agents: ['booking-agent'] });
  dir = mkdtempSync(path.join(tmpdir(), 'sv-mcp-cred-'));
  writeFileSync(path.join(dir, 'secrets-vault.json'), JSON.stringify({ agent: 'booking-agent' }));
  sse = await openSse(v.url, v.adminKey);
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, 'mcp', '--allow-requests'],
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', SECRETS_VAULT_URL: v.url, SECRETS_VAULT_TOKEN: v.adminKey },
    stderr: 'pipe',
  });
  transport.stderr?.on('data', (c) => (stderr += String(c)));
  client = new Client({ name: 'test-assistant', version: '1.0.0' });
  await client.connect(transport);
}, 120_000);
afterAll(async () => {
  await client?.close();
  sse?.close();
  await v?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('secrets-vault mcp: a credential where a name goes', () => {
  it(`is refused by explain_secret, snippet and request_access, recorded as a digest, and echoed nowhere (seed ${CREDENTIAL_SEED})`, async () => {
    expect(SAMPLES.length).toBeGreaterThan(10);
    const answers: string[] = [];
    for (const { label, value: c } of SAMPLES) {
      const calls: [string, Record<string, unknown>, string][] = [
        ['explain_secret', { name: c }, 'name'],
        ['snippet', { name: c, language: 'python' }, 'name'],
        ['request_access', { secret: c, agent: 'booking-agent', reason: 'needed' }, 'secret'],
        ['request_access', { secret: 'stripe_key', agent: 'booking-agent', reason: `use ${c}` }, 'reason'],
      ];
      for (const [tool, args, field] of calls) {
        const r = (await client.callTool({ name: tool, arguments: args })) as { isError?: boolean; content: { text: string }[] };
        const text = r.content.map((x) => x.text).join('\n');
        answers.push(text);
        expect(r.isError, `${label} ${tool}`).toBe(true);
        expect(text, `${label} ${tool}`).toMatch(new RegExp(`^The ${field} given is a credential \\(`));
      }
    }
    // Recorded, as failed calls of the assistant under the digest of the argument that held the credential.
    const audit = await auditAll(v);
    const calls = audit.filter((r) => r.action === 'assistant.call');
    for (const { value: c } of SAMPLES) {
      expect(calls.filter((r) => r.outcome === 'failed' && r.target.endsWith(credentialDigest(c))).length).toBe(3);
      expect(calls.filter((r) => r.outcome === 'failed' && r.target.endsWith(credentialDigest(`use ${c}`))).length).toBe(1);
    }
    // No access request was made.
    const requests = await v.http('GET', '/v1/access-requests', { token: v.adminKey });
    expect(requests.json.requests ?? requests.json).toEqual([]);
    await new Promise((r) => setTimeout(r, 300));
    const places: [string, string][] = [
      ['answers', answers.join('\n')],
      ['audit', JSON.stringify(audit)],
      ['events', JSON.stringify(sse.events)],
      ['access requests', requests.text],
      ['vault log', v.logs.join('\n')],
      ['mcp stderr', stderr],
    ];
    expect(echoes(SAMPLES, places)).toEqual([]);
  }, 120_000);
});
