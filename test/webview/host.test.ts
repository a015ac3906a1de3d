// The host side of the forms without a browser: the message validators, the panel HTML, and the
// controller against a real vault (started on 127.0.0.1 by the shared helper).

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { VaultApiError, type VaultApi } from '../../protocol/client';
import { isHostMessage, parseWebviewMessage, type HostToWebview } from '../../protocol/webview';
import { contentSecurityPolicy, newNonce, renderPanelHtml } from '../../client/src/webviews/html';
import { PanelController, targetKey, type FormTarget, type PanelDeps } from '../../client/src/webviews/panelController';
import { problemFromError, redact } from '../../client/src/webviews/problems';
import { startTestVault, type TestVault } from '../helpers/vault';

describe('parseWebviewMessage', () => {
  const create = { form: 'create', name: 'a_b', description: '', value: 'v', agents: ['x'] };
  const valid: unknown[] = [
    { type: 'ready' },
    { type: 'cancel' },
    { type: 'reload' },
    { type: 'submit', requestId: 0, submission: create },
    { type: 'submit', requestId: 7, submission: { ...create, value: { k: 'v', 'a.b-c': 'w' } } },
    { type: 'submit', requestId: 1, submission: { form: 'edit', description: 'd' } },
    { type: 'submit', requestId: 1, submission: { form: 'edit', description: 'd', value: { k: 'v' } } },
    { type: 'submit', requestId: 1, submission: { form: 'access', agents: [] } },
  ];
  test.each(valid)('accepts %j as an equal, fresh object', (m) => {
    const parsed = parseWebviewMessage(m);
    expect(parsed).toEqual(m);
    expect(parsed).not.toBe(m);
  });

  const invalid: [string, unknown][] = [
    ['null', null],
    ['a string', 'ready'],
    ['an array', [{ type: 'ready' }]],
    ['an unknown type', { type: 'init' }],
    ['an extra field on ready', { type: 'ready', x: 1 }],
    ['a missing request id', { type: 'submit', submission: create }],
    ['a negative request id', { type: 'submit', requestId: -1, submission: create }],
    ['a fractional request id', { type: 'submit', requestId: 1.5, submission: create }],
    ['a string request id', { type: 'submit', requestId: '1', submission: create }],
    ['an extra field on submit', { type: 'submit', requestId: 1, submission: create, extra: true }],
    ['an extra field in a submission', { type: 'submit', requestId: 1, submission: { ...create, version: 3 } }],
    ['an unknown form', { type: 'submit', requestId: 1, submission: { ...create, form: 'delete' } }],
    ['a missing name', { type: 'submit', requestId: 1, submission: { form: 'create', description: '', value: 'v', agents: [] } }],
    ['a numeric value', { type: 'submit', requestId: 1, submission: { ...create, value: 42 } }],
    ['an array value', { type: 'submit', requestId: 1, submission: { ...create, value: ['v'] } }],
    ['a pair with a non-string value', { type: 'submit', requestId: 1, submission: { ...create, value: { k: 1 } } }],
    ['agents not strings', { type: 'submit', requestId: 1, submission: { ...create, agents: [1] } }],
    ['agents not an array', { type: 'submit', requestId: 1, submission: { ...create, agents: 'x' } }],
    ['a too long description', { type: 'submit', requestId: 1, submission: { ...create, description: 'd'.repeat(501) } }],
    ['an oversized value', { type: 'submit', requestId: 1, submission: { ...create, value: 'v'.repeat(64 * 1024 + 1) } }],
    ['an explicit undefined value on edit', { type: 'submit', requestId: 1, submission: { form: 'edit', description: '', value: undefined } }],
    ['a class instance', { type: 'submit', requestId: 1, submission: Object.assign(new (class X {})(), create) }],
  ];
  test.each(invalid)('rejects %s', (_label, m) => {
    expect(parseWebviewMessage(m)).toBeUndefined();
  });

  test('a __proto__ key in pairs stays data, never a prototype', () => {
    const value = JSON.parse('{"__proto__": "v", "k": "w"}') as Record<string, string>;
    const parsed = parseWebviewMessage({ type: 'submit', requestId: 1, submission: { ...create, value } });
    const v = (parsed as { submission: { value: Record<string, string> } }).submission.value;
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(Object.keys(v)).toEqual(['__proto__', 'k']);
  });

  test('isHostMessage knows the host messages and nothing else', () => {
    expect(isHostMessage({ type: 'result', requestId: 1, ok: true })).toBe(true);
    expect(isHostMessage({ type: 'conflict', requestId: 1, currentVersion: null })).toBe(true);
    expect(isHostMessage({ type: 'result', requestId: 1 })).toBe(false);
    expect(isHostMessage({ type: 'submit', requestId: 1 })).toBe(false);
  });
});

describe('panel HTML', () => {
  test('carries the CSP, the nonce on its one script, and escapes what it is given', () => {
    const nonce = newNonce();
    expect(nonce).not.toBe(newNonce());
    const html = renderPanelHtml({ title: '</title><script>alert(1)</script>', scriptUri: 'https://x/a.js?"onload="alert(1)', nonce });
    expect(html).toContain(`content="${contentSecurityPolicy(nonce).replace(/'/g, '&#39;')}"`);
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('"onload="');
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).toContain(`<script nonce="${nonce.replace(/\+/g, '+')}"`);
  });
});

describe('problem mapping', () => {
  const err = (status: number, problem: object) => new VaultApiError(status, { type: 'about:blank', title: 'T', status, ...problem } as never);
  test('maps the vault problems to fields or the banner', () => {
    expect(problemFromError(err(409, { code: 'conflict', detail: "Secret 'a' already exists.", field: 'name' }), 'create', 'a')).toEqual({
      code: 'conflict',
      field: 'name',
      message: "Secret 'a' already exists.",
    });
    expect(problemFromError(err(409, { code: 'conflict' }), 'create', 'a')).toMatchObject({ field: 'name', message: "A secret named 'a' already exists." });
    expect(problemFromError(err(413, { code: 'payload_too_large', detail: 'Too big.' }), 'create', 'a')).toMatchObject({ field: 'value' });
    expect(problemFromError(err(400, { code: 'invalid_value', field: 'value.client_secret', detail: 'Empty.' }), 'edit', 'a')).toMatchObject({
      field: 'value.client_secret',
      message: 'Empty.',
    });
    expect(problemFromError(err(403, { code: 'forbidden', detail: 'Only admins can do this.' }), 'access', 'a')).toEqual({ code: 'forbidden', message: 'Only admins can do this.' });
    expect(problemFromError(err(404, { code: 'not_found' }), 'edit', 'gone')).toEqual({ code: 'not_found', message: "The secret 'gone' no longer exists." });
    expect(problemFromError(new VaultApiError(0, { type: 'about:blank', title: 'Vault unreachable', status: 0, code: 'internal', detail: 'Could not reach it.' }), 'edit', 'a')).toEqual({
      code: 'unreachable',
      message: 'Could not reach it.',
    });
  });

  test('redact removes every submitted value from a message', () => {
    expect(redact("value 'hunter22' rejected; hunter22 again", ['hunter22', 'ab'])).toBe("value '[redacted]' rejected; [redacted] again");
  });
});

// ---- the controller against a real vault ----

let tv: TestVault;
let api: VaultApi;

beforeAll(async () => {
  tv = await startTestVault();
  api = tv.api();
  await api.createAgent({ id: 'support-bot', name: 'Support bot' });
  await api.createAgent({ id: 'billing-bot', name: 'Billing bot' });
  await api.createSecret({ name: 'openai_key', value: 'sk-existing-VALUE', agents: ['support-bot'] });
});

afterAll(async () => {
  await tv?.stop();
});

interface Run {
  controller: PanelController;
  posted: HostToWebview[];
  logs: string[];
  changed: string[];
  closed: number;
}

function run(target: FormTarget, sessionApi: VaultApi = api): Run {
  const r: Run = { posted: [], logs: [], changed: [], closed: 0 } as unknown as Run;
  const deps: PanelDeps = {
    session: async () => ({ api: sessionApi, namingStyle: 'snake_case', currentAgent: 'support-bot' }),
    onDidChange: (s) => r.changed.push(`${s.name}@${s.version}`),
    log: (l) => r.logs.push(l),
  };
  r.controller = new PanelController(target, { post: (m) => r.posted.push(m), close: () => (r.closed += 1) }, deps);
  return r;
}

async function agentRead(name: string, agent: string): Promise<unknown> {
  const token = (await api.createAgentToken(agent)).token;
  return (await tv.api(token).runtimeSecret(name)).value;
}

describe('PanelController with a real vault', () => {
  test('create: init from the vault, a submit creates the secret, closes, and the value reaches only the vault', async () => {
    const r = run({ form: 'create', prefill: { name: 'sendgrid', keys: ['api_key'], agent: 'billing-bot' } });
    await r.controller.receive({ type: 'ready' });
    expect(r.posted).toEqual([
      {
        type: 'init',
        data: {
          form: 'create',
          namingStyle: 'snake_case',
          agents: [
            { id: 'billing-bot', name: 'Billing bot' },
            { id: 'support-bot', name: 'Support bot' },
          ],
          existingNames: ['openai_key'],
          currentAgent: 'billing-bot',
          prefill: { name: 'sendgrid', keys: ['api_key'] },
        },
      },
    ]);
    const value = { api_key: 'SG.VALUE-created-through-form' };
    await r.controller.receive({ type: 'submit', requestId: 1, submission: { form: 'create', name: 'sendgrid', description: 'Mail', value, agents: ['billing-bot'] } });
    expect(r.posted[1]).toEqual({ type: 'result', requestId: 1, ok: true });
    expect(r.changed).toEqual(['sendgrid@1']);
    expect(r.closed).toBe(1);
    expect(await agentRead('sendgrid', 'billing-bot')).toEqual(value);
    const everything = JSON.stringify([r.posted, r.logs, tv.logs]);
    expect(everything).not.toContain('SG.VALUE-created-through-form');
  });

  test('create for Move to vault: the value and its origin go to the form only in init; after the vault created the secret, onCreated runs, then the panel closes', async () => {
    const order: string[] = [];
    const moved = 'sk_live_VALUE-moved-from-the-editor';
    const r = run({
      form: 'create',
      prefill: {
        name: 'stripe_moved',
        agent: 'billing-bot',
        description: 'Stripe secret key, moved out of pay.py:3.',
        value: moved,
        moveFrom: { location: 'pay.py:3', replacement: "conv.utils.get_secret('stripe_moved')" },
        onCreated: async (secret) => {
          order.push(`created ${secret.name}; closed ${r.closed}`);
        },
      },
    });
    await r.controller.receive({ type: 'ready' });
    expect(r.posted[0]).toMatchObject({
      type: 'init',
      data: {
        currentAgent: 'billing-bot',
        prefill: {
          name: 'stripe_moved',
          description: 'Stripe secret key, moved out of pay.py:3.',
          value: moved,
          moveFrom: { location: 'pay.py:3', replacement: "conv.utils.get_secret('stripe_moved')" },
        },
      },
    });
    await r.controller.receive({ type: 'submit', requestId: 1, submission: { form: 'create', name: 'stripe_moved', description: 'Stripe', value: moved, agents: ['billing-bot'] } });
    expect(order).toEqual(['created stripe_moved; closed 0']);
    expect(r.closed).toBe(1);
    expect(await agentRead('stripe_moved', 'billing-bot')).toBe(moved);
    // Only the init carried it; no log line or later message does.
    expect(JSON.stringify([r.posted.slice(1), r.logs, tv.logs])).not.toContain(moved);
  });

  test("create: the vault's 409 goes to the name field, a bad key to its field; nothing is created", async () => {
    const r = run({ form: 'create' });
    await r.controller.receive({ type: 'ready' });
    const submission = { form: 'create', name: 'openai_key', description: '', value: 'VALUE-409', agents: [] };
    await r.controller.receive({ type: 'submit', requestId: 3, submission });
    expect(r.posted[1]).toEqual({ type: 'result', requestId: 3, ok: false, problem: { code: 'conflict', field: 'name', message: "Secret 'openai_key' already exists." } });
    await r.controller.receive({ type: 'submit', requestId: 4, submission: { ...submission, name: 'fresh', value: { ok: 'x', bad: '' } } });
    expect(r.posted[2]).toEqual({ type: 'result', requestId: 4, ok: false, problem: { code: 'invalid', field: 'value.bad', message: "The value of key 'bad' cannot be empty." } });
    await r.controller.receive({ type: 'submit', requestId: 5, submission: { ...submission, name: 'fresh', agents: ['nobody'] } });
    expect(r.posted[3]).toEqual({ type: 'result', requestId: 5, ok: false, problem: { code: 'bad_request', field: 'agents', message: "Agent 'nobody' does not exist." } });
    expect(r.closed).toBe(0);
    expect((await api.listSecrets()).map((s) => s.name)).not.toContain('fresh');
    expect(JSON.stringify([r.posted, r.logs])).not.toContain('VALUE-409');
  });

  test('edit: If-Match from the loaded version; a concurrent change is a conflict; reload takes the new version', async () => {
    await api.createSecret({ name: 'crm_oauth', value: { client_id: 'id-1', client_secret: 'secret-1' }, agents: ['support-bot'] });
    const r = run({ form: 'edit', name: 'crm_oauth' });
    await r.controller.receive({ type: 'ready' });
    expect(r.posted[0]).toMatchObject({ type: 'init', data: { form: 'edit', secret: { name: 'crm_oauth', version: 1, keys: ['client_id', 'client_secret'] } } });
    await api.updateSecret('crm_oauth', { description: 'changed elsewhere' });
    await r.controller.receive({ type: 'submit', requestId: 1, submission: { form: 'edit', description: 'mine', value: { client_id: 'id-2', tenant: 't' } } });
    expect(r.posted[1]).toEqual({ type: 'conflict', requestId: 1, currentVersion: 2 });
    expect((await api.getSecret('crm_oauth')).description).toBe('changed elsewhere');
    await r.controller.receive({ type: 'reload' });
    expect(r.posted[2]).toMatchObject({ type: 'init', data: { secret: { version: 2, description: 'changed elsewhere' } } });
    await r.controller.receive({ type: 'submit', requestId: 2, submission: { form: 'edit', description: 'mine', value: { client_id: 'id-2', tenant: 't' } } });
    expect(r.posted[3]).toEqual({ type: 'result', requestId: 2, ok: true });
    expect(await agentRead('crm_oauth', 'support-bot')).toEqual({ client_id: 'id-2', tenant: 't' });
    // Without a value the stored one stays.
    const again = run({ form: 'edit', name: 'crm_oauth' });
    await again.controller.receive({ type: 'ready' });
    await again.controller.receive({ type: 'submit', requestId: 1, submission: { form: 'edit', description: 'only this' } });
    expect(again.posted[1]).toEqual({ type: 'result', requestId: 1, ok: true });
    expect(await agentRead('crm_oauth', 'support-bot')).toEqual({ client_id: 'id-2', tenant: 't' });
  });

  test('access: replaces the list; a developer key gets the vault\'s 403 in the banner', async () => {
    const r = run({ form: 'access', name: 'openai_key' });
    await r.controller.receive({ type: 'ready' });
    expect(r.posted[0]).toMatchObject({ type: 'init', data: { form: 'access', secret: { agents: ['support-bot'] }, currentAgent: 'support-bot' } });
    await r.controller.receive({ type: 'submit', requestId: 1, submission: { form: 'access', agents: ['billing-bot', 'support-bot'] } });
    expect(r.posted[1]).toEqual({ type: 'result', requestId: 1, ok: true });
    expect((await api.getSecret('openai_key')).agents).toEqual(['billing-bot', 'support-bot']);

    const dev = tv.api((await api.createUserKey({ name: 'dev', role: 'developer' })).token);
    const d = run({ form: 'access', name: 'openai_key' }, dev);
    await d.controller.receive({ type: 'ready' });
    await d.controller.receive({ type: 'submit', requestId: 1, submission: { form: 'access', agents: [] } });
    expect(d.posted[1]).toEqual({ type: 'result', requestId: 1, ok: false, problem: { code: 'forbidden', message: 'Only admins can do this; your API key has the developer role.' } });
    expect((await api.getSecret('openai_key')).agents).toEqual(['billing-bot', 'support-bot']);
  });

  test('untrusted input: malformed messages and a submit for another form are refused before the vault', async () => {
    const before = (await api.listSecrets()).length;
    const r = run({ form: 'access', name: 'openai_key' });
    await r.controller.receive({ type: 'submit', requestId: 1, submission: { form: 'create', name: 'x_y', description: '', value: 'VALUE-smuggled', agents: [] }, extra: 1 });
    await r.controller.receive({ type: 'submit', requestId: 2, submission: { form: 'create', name: 'x_y', description: '', value: 'VALUE-smuggled', agents: [] } });
    await r.controller.receive({ type: 'submit', requestId: 3, submission: { form: 'access', agents: 'all' } });
    expect(r.posted).toEqual([{ type: 'result', requestId: 2, ok: false, problem: { code: 'invalid', message: 'This form cannot send that request.' } }]);
    expect(r.logs).toEqual([
      'Ignored a malformed message from the access form.',
      'Ignored a create submit sent to the access form.',
      'Ignored a malformed message from the access form.',
    ]);
    expect((await api.listSecrets()).length).toBe(before);
  });

  test('a failed load says why: a missing secret, or no session', async () => {
    const r = run({ form: 'edit', name: 'nope' });
    await r.controller.receive({ type: 'ready' });
    expect(r.posted).toEqual([{ type: 'loadFailed', message: "The secret 'nope' no longer exists." }]);
    const deps: PanelDeps = { session: () => Promise.reject(new Error('Not signed in to a vault.')) };
    const posted: HostToWebview[] = [];
    const c = new PanelController({ form: 'create' }, { post: (m) => posted.push(m), close: () => undefined }, deps);
    await c.receive({ type: 'ready' });
    expect(posted).toEqual([{ type: 'loadFailed', message: 'Not signed in to a vault.' }]);
  });

  test('one submit at a time; nothing is posted after dispose', async () => {
    const r = run({ form: 'access', name: 'openai_key' });
    await r.controller.receive({ type: 'ready' });
    const first = r.controller.receive({ type: 'submit', requestId: 1, submission: { form: 'access', agents: ['support-bot'] } });
    await r.controller.receive({ type: 'submit', requestId: 2, submission: { form: 'access', agents: [] } });
    await first;
    expect(r.posted.slice(1)).toEqual([
      { type: 'result', requestId: 2, ok: false, problem: { code: 'busy', message: 'The previous request is still running.' } },
      { type: 'result', requestId: 1, ok: true },
    ]);
    r.controller.dispose();
    await r.controller.receive({ type: 'ready' });
    expect(r.posted).toHaveLength(3);
  });

  test('panel keys: one panel per form and secret', () => {
    expect(targetKey({ form: 'edit', name: 'a' })).not.toBe(targetKey({ form: 'access', name: 'a' }));
    expect(targetKey({ form: 'create' })).toBe(targetKey({ form: 'create', prefill: { name: '' } }));
    expect(targetKey({ form: 'create', prefill: { name: 'a' } })).not.toBe(targetKey({ form: 'create' }));
  });
});
