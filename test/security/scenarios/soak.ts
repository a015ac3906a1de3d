// Load: a bounded soak against the real CLI in a child process, 90% reads and 10% writes from
// concurrent clients, with an event stream open. Zero errors; the service's memory levels off
// rather than growing with the run; p50, p95 and p99 are printed (never asserted: a shared machine).

import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { SecretValue } from '../../../protocol/names';
import { tally } from '../helpers/ledger';
import { call, openEvents } from '../helpers/http';
import { sentinel } from '../helpers/leakwatch';
import { newDataDir, serveChild } from '../helpers/vaults';

const SECONDS = Number(process.env.SECURITY_SOAK_SECONDS ?? 60);
const CLIENTS = Number(process.env.SECURITY_SOAK_CLIENTS ?? 12);
const SECRETS = 50;

export function registerSoak(): void {
  describe('load soak', () => {
    it(`serves ${SECONDS} s of 90% reads / 10% writes with no error and memory that levels off`, async () => {
      const { dataDir, adminKey } = await newDataDir();
      // One agent token makes every read: its run-time read rate (100 a second by default) is lifted,
      // as a deployment with such an agent would, so that the soak measures the vault under load.
      const child = await serveChild(dataDir, { quiet: true, args: ['--read-rate', '1000000', '--read-burst', '1000000'] });
      const failures: string[] = [];
      const latency = { read: [] as number[], write: [] as number[] };
      const rss: number[] = [];
      try {
        for (const id of ['soak', 'soak-extra']) expect((await call(child.url, 'POST', '/v1/agents', { token: adminKey, body: { id } })).status).toBe(201);
        const token = (await call(child.url, 'POST', '/v1/agents/soak/tokens', { token: adminKey, body: {} })).json.token as string;
        const latest = new Map<string, SecretValue>();
        const writing = new Map<string, SecretValue>();
        const history = new Map<string, SecretValue[]>();
        for (let i = 0; i < SECRETS; i++) {
          const value: SecretValue = i % 4 === 0 ? { client_id: sentinel(), client_secret: sentinel() } : sentinel() + 's'.repeat(i * 8);
          expect((await call(child.url, 'POST', '/v1/secrets', { token: adminKey, body: { name: `soak_${i}`, value, agents: ['soak'] } })).status).toBe(201);
          latest.set(`soak_${i}`, value);
          history.set(`soak_${i}`, [value]);
        }
        const events = await openEvents(child.url, adminKey);
        const sampler = setInterval(() => {
          const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
          if (m) rss.push(Number(m[1]) / 1024);
        }, 1000);
        const end = performance.now() + SECONDS * 1000;
        const client = async () => {
          while (performance.now() < end) {
            const name = `soak_${Math.floor(Math.random() * SECRETS)}`;
            const roll = Math.random();
            const t0 = performance.now();
            try {
              if (roll < 0.9) {
                const sub = Math.random();
                if (sub < 0.7) {
                  // Any value current at some moment of the read may come back: the last acknowledged
                  // one when it started, or one written since.
                  const h = history.get(name)!;
                  const from = h.length - 1;
                  const r = await call(child.url, 'GET', `/v1/runtime/secrets/${name}`, { token });
                  if (r.status !== 200) failures.push(`read ${name}: ${r.status}`);
                  else if (!h.slice(Math.max(0, from - 1)).some((x) => isDeepStrictEqual(x, r.json.value))) failures.push(`read ${name}: a value that was not current`);
                } else if (sub < 0.9) {
                  const r = await call(child.url, 'GET', `/v1/secrets/${name}`, { token: adminKey });
                  if (r.status !== 200) failures.push(`metadata ${name}: ${r.status}`);
                } else {
                  const r = await call(child.url, 'GET', '/v1/secrets?agent=soak', { token: adminKey });
                  if (r.status !== 200 || r.json.secrets.length !== SECRETS) failures.push(`list: ${r.status}`);
                }
                latency.read.push(performance.now() - t0);
              } else {
                if (Math.random() < 0.7 && !writing.has(name)) {
                  const value = sentinel();
                  writing.set(name, value);
                  history.get(name)!.push(value);
                  const r = await call(child.url, 'PATCH', `/v1/secrets/${name}`, { token: adminKey, body: { value } });
                  if (r.status !== 200) failures.push(`write ${name}: ${r.status}`);
                  else latest.set(name, value);
                  writing.delete(name);
                } else {
                  const grant = Math.random() < 0.5;
                  const r = await call(child.url, grant ? 'PUT' : 'DELETE', `/v1/secrets/${name}/access/soak-extra`, { token: adminKey });
                  if (r.status !== 200) failures.push(`${grant ? 'grant' : 'revoke'} ${name}: ${r.status}`);
                }
                latency.write.push(performance.now() - t0);
              }
            } catch (e) {
              failures.push(`${(e as Error).name}: ${(e as Error).message}`);
            }
          }
        };
        await Promise.all(Array.from({ length: CLIENTS }, client));
        clearInterval(sampler);
        await events.close();
        if (!events.text().includes('event: secret.updated')) failures.push('the event stream saw no updates');
        const total = latency.read.length + latency.write.length;
        // Memory: after a warm-up quarter, the last third may not sit clearly above the middle third.
        const warm = rss.slice(Math.floor(rss.length / 4));
        const third = Math.max(1, Math.floor(warm.length / 3));
        const middle = median(warm.slice(third, 2 * third));
        const last = median(warm.slice(-third));
        const grows = rss.length >= 6 && last > middle * 1.15 + 10;
        if (grows) failures.push(`memory keeps growing: median RSS ${middle.toFixed(0)} MB -> ${last.toFixed(0)} MB`);
        const line = (xs: number[]) => `p50 ${pct(xs, 50)} ms, p95 ${pct(xs, 95)} ms, p99 ${pct(xs, 99)} ms`;
        const report = [
          `soak: ${SECONDS} s, ${CLIENTS} clients, ${total} requests (${(total / SECONDS).toFixed(0)}/s), ${((latency.write.length / Math.max(1, total)) * 100).toFixed(1)}% writes, ${failures.length} errors`,
          `  reads  (${latency.read.length}): ${line(latency.read)}`,
          `  writes (${latency.write.length}): ${line(latency.write)}`,
          `  service RSS MB: start ${rss[0]?.toFixed(0)}, after warm-up ${warm[0]?.toFixed(0)}, middle third ${middle.toFixed(0)}, last third ${last.toFixed(0)}, max ${Math.max(...rss).toFixed(0)} (${rss.length} samples)`,
        ].join('\n');
        process.stdout.write(`\n${report}\n`);
        tally('load: soak', total, failures.length, `reads ${line(latency.read)}; writes p50 ${pct(latency.write, 50)} ms, p99 ${pct(latency.write, 99)} ms; RSS ${middle.toFixed(0)}->${last.toFixed(0)} MB`);
        expect(failures.slice(0, 20)).toEqual([]);
        expect(latency.write.length).toBeGreaterThan(0);
      } finally {
        await child.stop();
      }
    }, (SECONDS + 120) * 1000);
  });
}

function median(xs: number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function pct(xs: number[], p: number): string {
  if (xs.length === 0) return '-';
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!.toFixed(1);
}
