// Names as accounts have them: now that a secret name is printable text (spaces,
// punctuation, `/`, `%`, `..`) and an agent id is any case, two attacks. A bidirectional control
// (U+202A–U+202E, U+2066–U+2069, U+200E/F, U+061C) would make a name display as another ("Trojan
// Source"): it must be refused wherever a name, id or display name is taken, path or body, before
// anything is looked up or audited. A name that looks like a path (`../x`, `a/b`, `%2e%2e`, `..`)
// or a GitHub workflow command (`::error::x`) must be inert: one secret, one route, its own value,
// audited, listed and announced verbatim. Every request over real HTTP with the path sent byte for
// byte (node:http), on each store.

import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestStoreKind } from '../../helpers/vault';
import { tally } from '../helpers/ledger';
import { openEvents } from '../helpers/http';
import { keepResponse, sentinel } from '../helpers/leakwatch';
import { inProcessVault, type InProcessVault } from '../helpers/vaults';

const S = 'names as accounts have them';

const BIDI = ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u200e', '\u200f', '\u061c'];
/** Names that look like paths, encodings or workflow commands: each must stay one secret on its one route. */
const INERT = ['../x', 'a/b', '%2e%2e', '%2F', '..', '.', '../../v1/keys', 'x/access/inert-agent', '?agent=inert-agent', '#frag', '::error::x', '::set-output name=x::y', '::add-mask::x', 'a+b', 'a b'];

interface Reply {
  status: number;
  json: any;
}

/** The path goes out exactly as given (undici's request(url) would resolve `..` and `%2E%2E` first). */
export function rawCall(base: string, method: string, path: string, token: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<Reply> {
  const u = new URL(base);
  const data = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: u.hostname,
        port: u.port,
        method,
        path,
        timeout: 15_000,
        headers: { ...extraHeaders, authorization: `Bearer ${token}`, ...(data ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } : {}) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => {
          keepResponse(path.split('?', 1)[0]!, res.statusCode ?? 0, text);
          let json: unknown;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, json });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${path} did not answer in time`)));
    req.on('error', reject);
    req.end(data);
  });
}

/** A check that throws before it tallies still shows in the closing table, as one failed case. */
function guarded(check: () => Promise<void>): () => Promise<void> {
  return async () => {
    try {
      await check();
    } catch (e) {
      tally(S, 1, 1);
      throw e;
    }
  };
}

const seg = encodeURIComponent;
/** A path segment: dot-only names encoded too, as the typed client does (the vault decodes either once). */
const pathSeg = (s: string) => (/^\.+$/.test(s) ? s.replace(/\./g, '%2E') : seg(s));

export function registerNames(store: TestStoreKind): void {
  describe(`names as accounts have them (${store})`, () => {
    let v: InProcessVault;
    let agentToken: string;
    let developer: string;
    beforeAll(async () => {
      v = await inProcessVault({ store });
      await v.api().createAgent({ id: 'inert-agent', name: 'Inert' });
      await v.api().createAgent({ id: 'other-agent' });
      await v.api().createSecret({ name: 'Bidi Probe', value: sentinel(), agents: ['inert-agent'] });
      agentToken = (await v.api().createAgentToken('inert-agent')).token;
      developer = (await v.api().createUserKey({ name: 'names-dev', role: 'developer' })).token;
    });
    afterAll(async () => {
      await v?.finish();
    });

    it('bidirectional controls are refused in every name, id and display name, path or body, and never reach the audit or a listing', guarded(async () => {
      let cases = 0;
      let failures = 0;
      const newest = async () => JSON.stringify((await rawCall(v.url, 'GET', '/v1/audit?limit=1', v.adminKey)).json.records[0]);
      const before = await newest();
      const refused: string[] = [];
      for (const c of BIDI) {
        const name = `Prod${c} API`;
        const id = `PROJECT-${c}X`;
        const n = seg(name);
        const a = seg(id);
        const calls: [string, string, string, unknown?][] = [
          ['POST', '/v1/secrets', v.adminKey, { name, value: sentinel() }],
          ['POST', '/v1/secrets', developer, { name, value: sentinel() }],
          ['POST', '/v1/access-requests', developer, { secret: name, agent: 'inert-agent' }],
          ['GET', `/v1/secrets/${n}`, v.adminKey],
          ['PATCH', `/v1/secrets/${n}`, v.adminKey, { description: 'x' }],
          ['DELETE', `/v1/secrets/${n}`, developer],
          ['GET', `/v1/secrets/${n}/versions`, v.adminKey],
          ['POST', `/v1/secrets/${n}/rollback`, v.adminKey, { version: 1 }],
          ['PUT', `/v1/secrets/${n}/access`, v.adminKey, { agents: [] }],
          ['PUT', `/v1/secrets/${n}/access/inert-agent`, v.adminKey],
          ['GET', `/v1/runtime/secrets/${n}`, agentToken],
          ['POST', '/v1/agents', v.adminKey, { id }],
          ['POST', '/v1/agents', developer, { id }],
          ['POST', '/v1/agents', v.adminKey, { id: `disp-${BIDI.indexOf(c)}`, name: `Field${c} Service` }],
          ['PATCH', '/v1/agents/inert-agent', v.adminKey, { name: `Field${c} Service` }],
          ['PATCH', `/v1/agents/${a}`, v.adminKey, { name: 'x' }],
          ['DELETE', `/v1/agents/${a}`, v.adminKey],
          ['POST', `/v1/agents/${a}/run-tokens`, v.adminKey],
          ['POST', `/v1/agents/${a}/tokens`, v.adminKey],
          ['PUT', `/v1/secrets/Bidi%20Probe/access/${a}`, v.adminKey],
          ['PUT', '/v1/secrets/Bidi%20Probe/access', v.adminKey, { agents: [id] }],
          ['GET', `/v1/secrets?agent=${a}`, v.adminKey],
          ['POST', '/v1/access-requests', developer, { secret: 'Bidi Probe', agent: id }],
        ];
        for (const [method, path, token, body] of calls) {
          const r = await rawCall(v.url, method, path, token, body);
          cases++;
          if (r.status !== 400 || JSON.stringify(r.json ?? {}).includes(c)) {
            failures++;
            refused.push(`${method} ${path} → ${r.status}`);
          }
        }
      }
      // Nothing recorded, nothing created: the newest audit record is the one from before.
      cases++;
      if ((await newest()) !== before) failures++;
      const secrets = (await rawCall(v.url, 'GET', '/v1/secrets', v.adminKey)).json.secrets as { name: string }[];
      const agents = (await rawCall(v.url, 'GET', '/v1/agents', v.adminKey)).json.agents as { id: string; name: string }[];
      cases++;
      if (secrets.map((s) => s.name).join('|') !== 'Bidi Probe') failures++;
      cases++;
      if (agents.some((x) => BIDI.some((c) => x.id.includes(c) || x.name.includes(c))) || agents.length !== 2) failures++;
      tally(S, cases, failures, 'bidi controls refused everywhere a name or id is taken; path-like and workflow-command names inert');
      expect(refused).toEqual([]);
      expect(failures).toBe(0);
    }));

    it('a name that looks like a path or a workflow command is inert: one secret, one route, its own value, verbatim in listing, audit and events', guarded(async () => {
      let cases = 0;
      let failures = 0;
      const problems: string[] = [];
      const check = (ok: boolean, what: string) => {
        cases++;
        if (!ok) {
          failures++;
          problems.push(what);
        }
      };
      const keysBefore = (await rawCall(v.url, 'GET', '/v1/keys', v.adminKey)).json.keys.length;
      const stream = await openEvents(v.url, v.adminKey);
      const values = new Map<string, string>();
      for (const name of INERT) {
        const value = sentinel();
        values.set(name, value);
        const r = await rawCall(v.url, 'POST', '/v1/secrets', v.adminKey, { name, value, agents: ['inert-agent'] });
        check(r.status === 201 && r.json.name === name, `create ${JSON.stringify(name)}: ${r.status}`);
      }
      const listed = ((await rawCall(v.url, 'GET', '/v1/secrets', v.adminKey)).json.secrets as { name: string }[]).map((s) => s.name);
      check(JSON.stringify([...listed].sort()) === JSON.stringify([...INERT, 'Bidi Probe'].sort()), `listing: ${JSON.stringify(listed)}`);
      for (const name of INERT) {
        const p = pathSeg(name);
        const meta = await rawCall(v.url, 'GET', `/v1/secrets/${p}`, v.adminKey);
        check(meta.status === 200 && meta.json.name === name, `metadata of ${JSON.stringify(name)}: ${meta.status} ${meta.json?.name}`);
        const read = await rawCall(v.url, 'GET', `/v1/runtime/secrets/${p}`, agentToken);
        check(read.status === 200 && read.json.name === name && read.json.value === values.get(name), `run-time read of ${JSON.stringify(name)}: ${read.status}`);
        // Granting through the path adds the agent to this secret only.
        const grant = await rawCall(v.url, 'PUT', `/v1/secrets/${p}/access/other-agent`, v.adminKey);
        check(grant.status === 200 && grant.json.name === name && grant.json.agents.join() === 'inert-agent,other-agent', `grant on ${JSON.stringify(name)}: ${grant.status}`);
      }
      // Each grant touched one secret: every inert name now has both agents, the probe still one.
      const after = (await rawCall(v.url, 'GET', '/v1/secrets', v.adminKey)).json.secrets as { name: string; agents: string[] }[];
      check(after.every((s) => (s.name === 'Bidi Probe' ? s.agents.join() === 'inert-agent' : s.agents.join() === 'inert-agent,other-agent')), 'grants stayed on their own secrets');
      // `../../v1/keys` read or changed no key.
      check((await rawCall(v.url, 'GET', '/v1/keys', v.adminKey)).json.keys.length === keysBefore, 'keys unchanged');
      // The audit and the events carry each name verbatim.
      const records = (await rawCall(v.url, 'GET', '/v1/audit?limit=200', v.adminKey)).json.records as { action: string; target: string }[];
      for (const name of INERT) {
        check(records.some((r) => r.action === 'secret.create' && r.target === name), `audit of ${JSON.stringify(name)}`);
        check(records.some((r) => r.action === 'runtime.read' && r.target === name), `read audit of ${JSON.stringify(name)}`);
      }
      // Deleting one through its path deletes that one only.
      for (const name of INERT) {
        const del = await rawCall(v.url, 'DELETE', `/v1/secrets/${pathSeg(name)}`, v.adminKey);
        check(del.status === 204, `delete ${JSON.stringify(name)}: ${del.status}`);
        const left = ((await rawCall(v.url, 'GET', '/v1/secrets', v.adminKey)).json.secrets as { name: string }[]).map((s) => s.name);
        check(!left.includes(name) && left.length === INERT.length - INERT.indexOf(name), `after deleting ${JSON.stringify(name)}: ${left.length} left`);
      }
      // The event stream announced each creation and deletion with the name verbatim (bounded wait for the last).
      const payloads = () =>
        stream
          .text()
          .split('\n')
          .filter((l) => l.startsWith('data: '))
          .map((l) => (JSON.parse(l.slice(6)) as { event?: { type: string; name?: string; secret?: { name: string } } }).event)
          .filter((e) => e !== undefined);
      for (let i = 0; i < 100 && !payloads().some((e) => e.type === 'secret.deleted' && e.name === INERT.at(-1)); i++) await new Promise((r) => setTimeout(r, 50));
      const seen = payloads();
      await stream.close();
      for (const name of INERT) {
        check(seen.some((e) => e.type === 'secret.created' && e.secret?.name === name), `event secret.created for ${JSON.stringify(name)}`);
        check(seen.some((e) => e.type === 'secret.deleted' && e.name === name), `event secret.deleted for ${JSON.stringify(name)}`);
      }
      tally(S, cases, failures);
      expect(problems).toEqual([]);
      expect(failures).toBe(0);
    }));
  });
}
