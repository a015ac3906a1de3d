// Local attacks and checks: what another user of the machine
// could read in the data folder, actors an API key could forge in the audit, a race to revoke every
// admin key, what one account learns of another's activity from event ids and ETags, demo keys that
// stay valid after a restart, and a token file others can read. Local commands run as the built CLI.

import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../../protocol/api';
import { addAccount, initVault } from '../../../vault/src/vault';
import { tally } from '../helpers/ledger';
import { call, openEvents } from '../helpers/http';
import { sentinel, watchDataDir } from '../helpers/leakwatch';
import { cliBundle, inProcessVault, runCli, serveChild, type InProcessVault } from '../helpers/vaults';

const S = 'local';
const modeOf = (p: string) => statSync(p).mode & 0o777;

async function auditOf(base: string, token: string): Promise<AuditRecord[]> {
  const r = await call(base, 'GET', '/v1/audit?limit=500', { token });
  expect(r.status).toBe(200);
  return r.json.records as AuditRecord[];
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

export function registerLocal(): void {
  describe('local: data folder, actors, last admin, account isolation', () => {
    let v: InProcessVault;
    beforeAll(async () => {
      v = await inProcessVault();
    });
    afterAll(async () => {
      await v?.finish();
    });

    it('leaves nothing in the data folder readable by other users, WAL and SHM included, and keeps it out of git', guarded(async () => {
      const data = path.join(mkdtempSync(path.join(tmpdir(), 'sv-sec-local-')), 'data');
      watchDataDir(path.dirname(data));
      mkdirSync(data);
      chmodSync(data, 0o755); // an existing folder, as `mkdir` with the usual umask leaves it
      // init as the CLI runs it (in this process: the CLI's output, which prints the key, is kept for the leak search).
      const init = await initVault({ dataDir: data, namingStyle: 'snake_case', env: {} });
      init.vault.close();
      const adminKey = init.adminKey;
      const s = await serveChild(data, { quiet: true });
      let checked = 0;
      let failed = 0;
      try {
        // Writes to both files (a change, a refused read), so that every -wal and -shm exists.
        await call(s.url, 'POST', '/v1/agents', { token: adminKey, body: { id: 'perm-agent' } });
        const token = (await call(s.url, 'POST', '/v1/agents/perm-agent/tokens', { token: adminKey, body: {} })).json.token as string;
        await call(s.url, 'POST', '/v1/secrets', { token: adminKey, body: { name: 'perm_secret', value: sentinel(), agents: ['perm-agent'] } });
        await call(s.url, 'GET', '/v1/runtime/secrets/perm_secret', { token });
        const files = readdirSync(data);
        expect(files).toEqual(expect.arrayContaining(['vault.db', 'vault.db-wal', 'vault.db-shm', 'audit.db', 'audit.db-wal', 'audit.db-shm', 'master.key', '.gitignore']));
        for (const [p, want] of [[data, 0o700] as const, ...files.map((f) => [path.join(data, f), 0o600] as const)]) {
          checked++;
          if (modeOf(p) !== want) failed++;
          expect([p, modeOf(p).toString(8)]).toEqual([p, want.toString(8)]);
        }
      } finally {
        await s.stop();
      }
      // Loosened behind the vault's back (a restore, a careless chmod): the next start tightens it and says so.
      chmodSync(data, 0o755);
      chmodSync(path.join(data, 'audit.db'), 0o644);
      const again = await serveChild(data, { quiet: true });
      try {
        checked += 2;
        const ok = modeOf(data) === 0o700 && modeOf(path.join(data, 'audit.db')) === 0o600 && /notice: .*audit\.db was accessible to other users/.test(again.output());
        if (!ok) failed++;
        expect(ok, again.output()).toBe(true);
      } finally {
        await again.stop();
      }
      tally(S, checked, failed, 'file modes, forged actors, last admin, per-account ids, demo keys, token file');
    }), 120_000);

    it('an API key cannot pass for a system actor or for another key of the same name', guarded(async () => {
      const names = ['local:init', 'initial admin', 'local:audit-retention', 'system', 'Initial Admin'];
      let failed = 0;
      const made: { id: string; name: string; target: string }[] = [];
      for (const [i, name] of names.entries()) {
        const key = await call(v.url, 'POST', '/v1/keys', { token: v.adminKey, body: { name, role: 'admin' } });
        expect(key.status).toBe(201);
        const target = `forged-${i}`;
        expect((await call(v.url, 'POST', '/v1/agents', { token: key.json.token, body: { id: target } })).status).toBe(201);
        made.push({ id: key.json.id, name, target });
      }
      const records = await auditOf(v.url, v.adminKey);
      const systemByApi = records.filter((r) => r.actorType === 'system' && r.action !== 'account.create' && !(r.action === 'userkey.create' && r.actor === 'local:init'));
      if (systemByApi.length > 0) failed++;
      expect(systemByApi).toEqual([]);
      for (const m of made) {
        const r = records.find((x) => x.action === 'agent.create' && x.target === m.target)!;
        const ok = r.actorType === 'user' && r.actorId === m.id && r.actor === m.name;
        if (!ok) failed++;
        expect([r.actorType, r.actorId]).toEqual(['user', m.id]);
      }
      // The two 'initial admin' keys (init's and the one made above) are told apart by id.
      const initial = records.filter((r) => r.actor === 'initial admin').map((r) => r.actorId);
      expect(new Set(initial).size).toBe(2);
      tally(S, names.length + 1, failed);
    }), 120_000);

    it('no race of admins revoking each other leaves an account without an admin key', guarded(async () => {
      const rounds = 8;
      let failed = 0;
      for (let round = 0; round < rounds; round++) {
        const { account, adminKey } = await addAccount(v.vault, `race-${round}`, 'snake_case');
        const keys = [{ token: adminKey, id: (await v.vault.store.tokens.listUserKeys(account.id))[0]!.id }];
        for (let i = 0; i < 3; i++) {
          const k = await call(v.url, 'POST', '/v1/keys', { token: adminKey, body: { name: `racer ${i}`, role: 'admin' } });
          keys.push({ token: k.json.token, id: k.json.id });
        }
        // Each key revokes the next one, all at once.
        const replies = await Promise.all(keys.map((k, i) => call(v.url, 'DELETE', `/v1/keys/${keys[(i + 1) % keys.length]!.id}`, { token: k.token })));
        const active = (await v.vault.store.tokens.listUserKeys(account.id)).filter((k) => k.role === 'admin' && k.revokedAt === null);
        const refused = replies.filter((r) => r.status === 409);
        const ok = active.length >= 1 && refused.every((r) => r.json.code === 'last_admin') && replies.every((r) => [204, 401, 409].includes(r.status));
        if (!ok) failed++;
        expect(active.length).toBeGreaterThanOrEqual(1);
      }
      tally(S, rounds, failed);
    }), 120_000);

    it("an account learns nothing of another's activity from event ids or listing ETags", guarded(async () => {
      const watcher = await addAccount(v.vault, 'watcher', 'snake_case');
      const etag = async () => String((await call(v.url, 'GET', '/v1/secrets', { token: watcher.adminKey })).headers.etag);
      const readyId = async () => {
        const ev = await openEvents(v.url, watcher.adminKey);
        for (let i = 0; i < 50 && !/event: ready/.test(ev.text()); i++) await new Promise((r) => setTimeout(r, 20));
        await ev.close();
        return /id: (\d+)\nevent: ready/.exec(ev.text())?.[1];
      };
      const before = [await etag(), await readyId()];
      const changes = 25;
      for (let i = 0; i < changes; i++) {
        await call(v.url, 'POST', '/v1/secrets', { token: v.adminKey, body: { name: `busy_${i}`, value: sentinel() } });
      }
      const after = [await etag(), await readyId()];
      const ok = before[0] === after[0] && before[1] === after[1] && before[1] === '0';
      expect(after).toEqual(before);
      expect(before[1]).toBe('0');
      // Audit ids are opaque: no row number to subtract (they were `v12`, counted vault-wide).
      const ids = (await auditOf(v.url, watcher.adminKey)).map((r) => r.id);
      const opaque = ids.length > 0 && ids.every((id) => /^[A-Za-z0-9_-]{22}$/.test(id) && !/^[av]\d+$/.test(id));
      expect(opaque, ids.join(' ')).toBe(true);
      tally(S, changes + 1, (ok ? 0 : changes) + (opaque ? 0 : 1));
    }), 120_000);

    it('demo revokes the keys and tokens printed by its earlier starts', guarded(async () => {
      const data = path.join(mkdtempSync(path.join(tmpdir(), 'sv-sec-demo-')), 'demo');
      watchDataDir(path.dirname(data));
      const runDemo = async () => {
        const cli = await cliBundle();
        const child = spawn(process.execPath, [cli, '--json', 'demo', '--data', data, '--port', '0'], { env: { PATH: process.env.PATH }, stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        child.stdout.on('data', (c) => (out += String(c)));
        const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
        const printed = await new Promise<{ url: string; adminKey: string; agentToken: string }>((resolve, reject) => {
          const t = setTimeout(() => reject(new Error(`demo did not start: ${out}`)), 60_000);
          child.stdout.on('data', () => {
            if (!out.includes('\n')) return;
            clearTimeout(t);
            resolve(JSON.parse(out.split('\n')[0]!));
          });
        });
        const stop = async () => {
          child.kill('SIGTERM');
          await closed;
        };
        return { ...printed, stop };
      };
      const starts = [];
      for (let i = 0; i < 3; i++) {
        const d = await runDemo();
        starts.push(d);
        if (i < 2) await d.stop();
      }
      const last = starts[2]!;
      let failed = 0;
      let cases = 0;
      try {
        for (const old of starts.slice(0, 2)) {
          for (const [token, p] of [[old.adminKey, '/v1/whoami'], [old.agentToken, '/v1/runtime/secrets/amadeus_flights']] as const) {
            cases++;
            const r = await call(last.url, 'GET', p, { token });
            if (r.status !== 401) failed++;
            expect(r.status).toBe(401);
          }
        }
        cases++;
        const live = await call(last.url, 'GET', '/v1/whoami', { token: last.adminKey });
        if (live.status !== 200) failed++;
        const demoRecords = (await auditOf(last.url, last.adminKey)).filter((r) => r.actor === 'local:demo');
        cases++;
        const counts = [demoRecords.filter((r) => r.action === 'userkey.create').length, demoRecords.filter((r) => r.action === 'userkey.revoke').length];
        if (counts[0] !== 3 || counts[1] !== 4) failed++;
        expect(counts).toEqual([3, 4]);
      } finally {
        await last.stop();
      }
      tally(S, cases, failed);
    }), 120_000);

    it('warns about a token file that group or others can read', guarded(async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'sv-sec-token-'));
      watchDataDir(dir);
      const file = path.join(dir, 'token');
      writeFileSync(file, v.adminKey);
      let failed = 0;
      for (const [mode, warned] of [[0o644, true], [0o640, true], [0o604, true], [0o600, false], [0o400, false]] as const) {
        chmodSync(file, mode);
        const r = await runCli(['--token-file', file, 'whoami'], { env: { SECRETS_VAULT_URL: v.url } });
        const ok = r.code === 0 && /warning: the token file .* accessible to other users/.test(r.stderr) === warned;
        if (!ok) failed++;
        expect([mode.toString(8), r.code, /warning/.test(r.stderr)]).toEqual([mode.toString(8), 0, warned]);
      }
      tally(S, 5, failed);
    }), 120_000);
  });
}
