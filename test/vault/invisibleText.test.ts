// Zero-width, tag and filler characters in reasons, descriptions, display names,
// ids and keys. The API refuses each (400 naming the field and the code point as U+XXXX, never
// quoting the text) and nothing is stored; text stored before the rule shows visibly in the CLI.

import Database from 'better-sqlite3';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliBundle } from '../helpers/cliBundle';
import { runChildCli } from '../helpers/childCli';
import { startTestVault, type TestVault } from '../helpers/vault';

/** A hidden instruction after visible text: "ok" then the tag characters spelling IGNORE. */
const TAGS = 'ok' + [...'IGNORE'].map((c) => String.fromCodePoint(0xe0000 + c.charCodeAt(0))).join('');

/** [character, its name in the refusal] */
const INVISIBLE: [string, string][] = [
  ['\u200b', 'U+200B'],
  ['\u200d', 'U+200D'],
  ['\u2060', 'U+2060'],
  ['\u2064', 'U+2064'],
  ['\ufeff', 'U+FEFF'],
  ['\u00ad', 'U+00AD'],
  ['\u180e', 'U+180E'],
  ['\u034f', 'U+034F'],
  ['\u115f', 'U+115F'],
  ['\u3164', 'U+3164'],
  ['\u{e0001}', 'U+E0001'],
];

describe('zero-width and tag characters at the API', () => {
  let v: TestVault;
  let developer: string;

  beforeAll(async () => {
    v = await startTestVault();
    const api = v.api();
    await api.createAgent({ id: 'booking-agent' });
    await api.createSecret({ name: 'api_key', value: 'sk-invisible-test-0001', description: 'plain' });
    developer = (await api.createUserKey({ name: 'dev', role: 'developer' })).token;
  });
  afterAll(() => v.stop());

  /** Each text field, as [method, path, body with `text` in the field, field as the problem names it, token]. */
  const fields = (text: string): [string, string, unknown, string, string?][] => [
    ['POST', '/v1/access-requests', { secret: 'api_key', agent: 'booking-agent', reason: `needed ${text}` }, 'reason', developer],
    ['POST', '/v1/access-requests', { secret: `api_key${text}`, agent: 'booking-agent' }, 'secret', developer],
    ['POST', '/v1/access-requests', { secret: 'api_key', agent: `booking-agent${text}` }, 'agent', developer],
    ['POST', '/v1/access-requests', { secret: 'new_one', agent: 'booking-agent', keys: [`client${text}id`] }, 'keys.0', developer],
    ['POST', '/v1/access-requests/deny', { all: true, reason: `no ${text}` }, 'reason'],
    ['POST', '/v1/access-requests/req_0000/deny', { reason: `no ${text}` }, 'reason'],
    ['POST', '/v1/agents', { id: `helper${text}` }, 'id'],
    ['POST', '/v1/agents', { id: 'helper', name: `Helper ${text}` }, 'name'],
    ['POST', '/v1/agents', { id: 'helper', description: `Helps ${text}` }, 'description'],
    ['POST', '/v1/agents/booking-agent/tokens', { name: `ci ${text}` }, 'name'],
    ['POST', '/v1/keys', { name: `admin${text}`, role: 'admin' }, 'name'],
    ['POST', '/v1/secrets', { name: `new_secret${text}`, value: 'x' }, 'name'],
    ['POST', '/v1/secrets', { name: 'new_secret', value: 'x', description: `desc ${text}` }, 'description'],
    ['PATCH', '/v1/secrets/api_key', { description: `desc ${text}` }, 'description'],
    ['POST', '/v1/secrets', { name: 'new_kv', value: { [`client${text}id`]: 'v' } }, 'value'],
    ['PATCH', '/v1/secrets/api_key', { value: { [`client${text}id`]: 'v' } }, 'value'],
  ];

  it('refuses each character in each field with 400 naming the field and the code point, never the text, and stores nothing', async () => {
    const before = JSON.stringify([await v.api().listSecrets(), await v.api().listAgents(), await v.api().listUserKeys(), await v.api().listAccessRequests()]);
    for (const [c, name] of [...INVISIBLE, [TAGS.slice(2), 'U+E0049'] as [string, string]]) {
      for (const [method, pathname, body, field, token] of fields(c)) {
        const r = await v.http(method, pathname, { token: token ?? v.adminKey, body });
        const where = `${method} ${pathname} ${field} ${name}`;
        expect(r.status, where).toBe(400);
        expect(r.json.field, where).toBe(field);
        expect(r.json.detail, where).toContain(name);
        expect(r.json.detail, where).toMatch(/invisible characters/);
        // Neither the character nor the text around it comes back.
        expect(r.text.includes(c), where).toBe(false);
        for (const quoted of ['needed', 'Helps', 'desc ', 'client']) expect(r.json.detail, where).not.toContain(quoted);
      }
    }
    const after = JSON.stringify([await v.api().listSecrets(), await v.api().listAgents(), await v.api().listUserKeys(), await v.api().listAccessRequests()]);
    expect(after).toBe(before);
  });

  it('ordinary text with accents, CJK, emoji and line breaks in a description still passes', async () => {
    expect((await v.http('PATCH', '/v1/secrets/api_key', { token: v.adminKey, body: { description: 'Zürich — 東京 😀\nsecond line' } })).status).toBe(200);
    expect((await v.http('POST', '/v1/access-requests', { token: developer, body: { secret: 'api_key', agent: 'booking-agent', reason: 'für Zürich 😀' } })).status).toBe(201);
  });

  it('text stored before the rule shows visibly in the CLI (tables, audit) and escaped in --json', async () => {
    // As an older vault would hold them: written to the database directly.
    const db = new Database(path.join(v.dataDir, 'vault.db'));
    try {
      db.prepare('UPDATE access_requests SET reason = ?, requested_by = ?').run(`needed${TAGS}`, 'dev\u200b');
      db.prepare("UPDATE agents SET name = ?, description = ? WHERE id = 'booking-agent'").run('Booking\u200b', 'desc\ufeff');
      db.prepare("UPDATE secrets SET description = ? WHERE name = 'api_key'").run('plain\u00ad');
      db.prepare('UPDATE audit SET actor = ? WHERE actor = ?').run('initial admin\u2060', 'initial admin');
    } finally {
      db.close();
    }
    const cli = await cliBundle('invisible-text');
    const env = { PATH: process.env.PATH, SECRETS_VAULT_URL: v.url, SECRETS_VAULT_TOKEN: v.adminKey };
    const outputs: string[] = [];
    for (const args of [['access', 'requests'], ['agents', 'list'], ['secrets', 'list'], ['audit']]) {
      const r = await runChildCli(cli, args, env);
      expect(r.code, `${args.join(' ')}: ${r.err}`).toBe(0);
      outputs.push(r.out);
    }
    const all = outputs.join('\n');
    for (const raw of ['\u200b', '\ufeff', '\u00ad', '\u2060', '\u{e0049}']) expect(all.includes(raw)).toBe(false);
    expect(outputs[0]).toContain('needed');
    expect(outputs[0]).toContain('ok\\u{e0049}\\u{e0047}');
    expect(outputs[0]).toContain('dev\\u200b');
    const json = await runChildCli(cli, ['--json', 'access', 'requests'], env);
    expect(json.out.includes('\u{e0049}')).toBe(false);
    expect(json.out).toContain('\\udb40\\udc49');
    expect(JSON.parse(json.out)[0].reason).toBe(`needed${TAGS}`);
  });
});
