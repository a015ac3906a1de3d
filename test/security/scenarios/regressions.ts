// One pinned test per defect this suite found in the vault, so that each fix stays fixed even if
// the random search stops generating the input that exposed it.

import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Keyring } from '../../../vault/src/crypto/keyring';
import { loadMasterKey } from '../../../vault/src/crypto/master';
import { AuditWriter } from '../../../vault/src/audit';
import { VaultService } from '../../../vault/src/service';
import type { KeyStore, VaultStore } from '../../../vault/src/store/types';
import { tally } from '../helpers/ledger';
import { call } from '../helpers/http';
import { sentinel } from '../helpers/leakwatch';
import { inProcessVault, type InProcessVault } from '../helpers/vaults';

export function registerRegressions(): void {
  describe('regressions', () => {
    let v: InProcessVault;
    beforeAll(async () => {
      v = await inProcessVault();
    });
    afterAll(async () => {
      await v?.finish();
    });

    it('answers router errors (bad percent-encoding, over-long parameter) with a problem document', async () => {
      const cases: [string, string, number][] = [
        ['DELETE', '/v1/keys/w%e', 400],
        ['GET', '/v1/secrets/%E0%A4%A', 400],
        // Longer than any encoded name (128 code points of 4 UTF-8 bytes: 1,536 characters).
        ['POST', `/v1/agents/${'x'.repeat(1600)}/tokens`, 414],
      ];
      let failed = 0;
      for (const [method, path, status] of cases) {
        const r = await call(v.url, method, path, { token: v.adminKey, body: {} });
        const ok = r.status === status && String(r.headers['content-type']).startsWith('application/problem+json') && r.json?.code === 'bad_request';
        if (!ok) failed++;
        expect({ status: r.status, type: String(r.headers['content-type']).split(';')[0], code: r.json?.code }).toEqual({ status, type: 'application/problem+json', code: 'bad_request' });
      }
      tally('regressions', cases.length, failed);
    });

    it('does not let a key rotation bring back a deleted value over a secret re-created under the same name', async () => {
      const api = v.api();
      await api.createAgent({ id: 'aba-agent' });
      const token = (await api.createAgentToken('aba-agent')).token;
      const old = sentinel();
      await api.createSecret({ name: 'aba', value: old, agents: ['aba-agent'] });
      const fresh = sentinel();
      // rotate-key is another process: between its read of a batch and its re-seal, the service
      // deletes the secret and creates it again (version 1 again). Played here in that order.
      let interleaved = false;
      const keys = new Proxy(v.vault.store.keys, {
        get(target, prop, receiver) {
          if (prop === 'secretsNotUnder') {
            return async (...args: Parameters<KeyStore['secretsNotUnder']>) => {
              const batch = await target.secretsNotUnder(...args);
              if (!interleaved && batch.some((s) => s.name === 'aba')) {
                interleaved = true;
                await api.deleteSecret('aba');
                await api.createSecret({ name: 'aba', value: fresh, agents: ['aba-agent'] });
              }
              return batch;
            };
          }
          const value = Reflect.get(target, prop, receiver) as unknown;
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      });
      const rotating = await Keyring.open(withPart(v.vault.store, 'keys', keys), loadMasterKey(path.join(v.dataDir, 'master.key'), {}));
      await rotating.rotate();
      expect(interleaved).toBe(true);
      const r = await call(v.url, 'GET', '/v1/runtime/secrets/aba', { token });
      const ok = r.status === 200 && r.json.value === fresh;
      tally('regressions', 1, ok ? 0 : 1);
      expect({ status: r.status, isNewValue: r.json?.value === fresh, isDeletedValue: r.json?.value === old }).toEqual({ status: 200, isNewValue: true, isDeletedValue: false });
    });

    it('seals again when rotate-key drops the data key between sealing and writing, instead of failing with 500', async () => {
      const api = v.api();
      await api.createAgent({ id: 'stale-agent' });
      const token = (await api.createAgentToken('stale-agent')).token;
      await api.createSecret({ name: 'stale_a', value: sentinel(), agents: ['stale-agent'] });
      await api.createSecret({ name: 'stale_b', value: sentinel(), agents: ['stale-agent'] });
      // rotate-key runs in another process; here it runs to the end right after the service has
      // sealed a value and before its write, which is the window the race needs.
      const rotator = await Keyring.open(v.vault.store, loadMasterKey(path.join(v.dataDir, 'master.key'), {}));
      let rotations = 0;
      const racing = new Proxy(v.vault.store.secrets, {
        get(target, prop, receiver) {
          if (prop === 'updateSecret' || prop === 'createSecret') {
            const write = (Reflect.get(target, prop, receiver) as (...a: unknown[]) => Promise<unknown>).bind(target);
            return async (...args: unknown[]) => {
              if (rotations < 2) {
                rotations++;
                await rotator.rotate();
              }
              return write(...args);
            };
          }
          const value = Reflect.get(target, prop, receiver) as unknown;
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      });
      const service = new VaultService(withPart(v.vault.store, 'secrets', racing), v.vault.keyring, v.vault.bus, new AuditWriter((entries, now) => v.vault.store.audit.appendAudit(entries, now)));
      const admin = (await v.vault.auth.authenticate(`Bearer ${v.adminKey}`))!;
      const updated = sentinel();
      const created = sentinel();
      const outcome = await Promise.allSettled([
        service.secrets.updateSecret(admin, 'stale_a', { value: updated }),
      ]);
      const outcome2 = await Promise.allSettled([service.secrets.createSecret(admin, { name: 'stale_c', value: created, agents: ['stale-agent'] })]);
      const errors = [...outcome, ...outcome2].filter((o) => o.status === 'rejected').map((o) => String((o as PromiseRejectedResult).reason));
      const a = await call(v.url, 'GET', '/v1/runtime/secrets/stale_a', { token });
      const c = await call(v.url, 'GET', '/v1/runtime/secrets/stale_c', { token });
      const ok = errors.length === 0 && a.json?.value === updated && c.json?.value === created;
      tally('regressions', 1, ok ? 0 : 1);
      expect(rotations).toBe(2);
      expect({ errors, a: a.json?.value === updated, c: c.json?.value === created }).toEqual({ errors: [], a: true, c: true });
    });

    it('answers a grant that keeps losing races to another process with 409, not an unexpected 500', async () => {
      const api = v.api();
      await api.createAgent({ id: 'busy-agent' });
      await api.createSecret({ name: 'busy', value: sentinel() });
      // Another process changes the secret between every read and write of the grant.
      let raced = 0;
      const racing = new Proxy(v.vault.store.secrets, {
        get(target, prop, receiver) {
          if (prop === 'updateSecret') {
            const write = (Reflect.get(target, prop, receiver) as (...a: unknown[]) => Promise<unknown>).bind(target);
            return async (...args: unknown[]) => {
              raced++;
              await api.updateSecret('busy', { description: `changed elsewhere ${raced}` });
              return write(...args);
            };
          }
          const value = Reflect.get(target, prop, receiver) as unknown;
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      });
      const service = new VaultService(withPart(v.vault.store, 'secrets', racing), v.vault.keyring, v.vault.bus, new AuditWriter((entries, now) => v.vault.store.audit.appendAudit(entries, now)));
      const admin = (await v.vault.auth.authenticate(`Bearer ${v.adminKey}`))!;
      const outcome = await service.access.setGrant(admin, 'busy', 'busy-agent', true).then(
        () => ({ status: 200, code: 'ok' }),
        (e: unknown) => ({ status: (e as { status?: number }).status ?? 500, code: (e as { code?: string }).code ?? String(e) }),
      );
      tally('regressions', 1, outcome.status === 409 ? 0 : 1);
      expect(raced).toBeGreaterThan(1);
      expect(outcome).toEqual({ status: 409, code: 'conflict' });
      expect((await api.getSecret('busy')).agents).toEqual([]);
    });
  });
}

/** The store with one part replaced (a part that plays another process's race), the rest as it is. */
function withPart<K extends keyof VaultStore>(store: VaultStore, key: K, part: VaultStore[K]): VaultStore {
  return new Proxy(store, { get: (target, prop) => (prop === key ? part : Reflect.get(target, prop, target)) });
}
