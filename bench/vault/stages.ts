// The run-time read's stages, each timed on its own in this process against a real SQLite vault
// (synchronous=FULL, the served default): what each costs per read, without HTTP. Then the whole
// service read with its audit record made durable, in groups of 1, 10 and 50 reads (the reads of
// one turn of the event loop share a group), with the CPU of the main thread and of the others
// (the audit writer's commit and fsync) per read. `BENCH_STAGES=1 node bench/run.mjs vault-read`.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { READER_ENVIRONMENT_HEADER, readerEnvironment } from '../../protocol/environments';
import { ReadRateLimiter } from '../../vault/src/auth';
import { checkRuntimeName } from '../../vault/src/http/routes/runtime';
import { initVault } from '../../vault/src/vault';
import { threadCpuMs } from './processes';

const SECRETS = 200;
const ITERATIONS = Number(process.env.BENCH_STAGE_ITERATIONS ?? 200_000);
/** Reads per group size: enough groups that the fsyncs' spread averages out. */
const AUDITED_READS = Number(process.env.BENCH_STAGE_READS ?? 20_000);

const us = (n: number) => n.toFixed(2).padStart(7);

/** CPU µs per call of `f`, after a warm-up; `f` returns something so that it is not optimised away. */
function perCall(f: (i: number) => unknown, n = ITERATIONS): number {
  let sink: unknown;
  for (let i = 0; i < Math.min(n, 20_000); i++) sink = f(i);
  const c0 = process.cpuUsage();
  for (let i = 0; i < n; i++) sink = f(i);
  const c = process.cpuUsage(c0);
  if (sink === Symbol.for('never')) console.log(sink);
  return (c.user + c.system) / n;
}

export async function readStages(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'sv-stages-'));
  try {
    const { vault, adminKey } = await initVault({ dataDir: path.join(dir, 'vault'), namingStyle: 'snake_case' });
    try {
      const admin = (await vault.auth.authenticate(`Bearer ${adminKey}`))!;
      await vault.service.agents.createAgent(admin, { id: 'bench-agent' });
      const value = `sk_live_${'x'.repeat(48)}`;
      const names = Array.from({ length: SECRETS }, (_, i) => `bench_secret_${i}`);
      for (const name of names) await vault.service.secrets.createSecret(admin, { name, value, agents: ['bench-agent'] });
      const header = `Bearer ${(await vault.service.agents.createAgentToken(admin, 'bench-agent')).token}`;
      const raws = names.map((n) => encodeURIComponent(n));
      const reader = vault.service.grantedReader();
      await reader.checked;
      const generation = vault.service.generation();
      const agent = (await vault.auth.authenticate(header, { generation }))!;
      const limiter = new ReadRateLimiter(1e12, 1e12);
      const rows = await Promise.all(names.map((n) => reader.readGranted(agent.accountId, n, 'bench-agent')));
      const headers = { [READER_ENVIRONMENT_HEADER]: 'live' };

      console.log(`run-time read stages, in-process, ${SECRETS} secrets, CPU µs per read:`);
      const stages: [string, (i: number) => unknown][] = [
        ['token (remembered for the batch)', () => vault.auth.remembered(header, generation)],
        ['rate limit', () => limiter.takeRead(agent)],
        ['name: decode and check', (i) => checkRuntimeName(decodeURIComponent(raws[i % SECRETS]!))],
        ['environment header', () => readerEnvironment(headers[READER_ENVIRONMENT_HEADER])],
        ['access: granted lookup', (i) => reader.readGranted(agent.accountId, names[i % SECRETS]!, 'bench-agent')],
        ['integrity MAC and decryption', (i) => vault.keyring.openValueJson(agent.accountId, names[i % SECRETS]!, rows[i % SECRETS]!.valueVersion, rows[i % SECRETS]!.sealed)],
      ];
      for (const [label, f] of stages) console.log(`  ${label.padEnd(34)} ${us(perCall(f))}`);

      // The service's read, audited: each group is awaited, so every record is durable before the next.
      for (const size of [1, 10, 50]) {
        const groups = Math.max(1, Math.round(AUDITED_READS / size / (size === 1 ? 10 : 1)));
        const run = async () => {
          for (let g = 0; g < groups; g++) {
            const reads: Promise<string>[] = [];
            for (let i = 0; i < size; i++) reads.push(vault.service.runtimeValueJson(agent, names[(g * size + i) % SECRETS]!, reader, 'live'));
            await Promise.all(reads);
          }
        };
        await run(); // warm-up
        const t0 = threadCpuMs(process.pid);
        const wall = performance.now();
        await run();
        const ms = performance.now() - wall;
        const t1 = threadCpuMs(process.pid);
        let main = 0;
        let others = 0;
        for (const [tid, cpu] of t1) {
          const d = cpu - (t0.get(tid) ?? 0);
          if (tid === process.pid) main += d;
          else others += d;
        }
        const n = groups * size;
        console.log(
          `  read + audit, ${String(size).padStart(2)} a group          main ${us((main * 1000) / n)}, other threads ${us((others * 1000) / n)}; ${(ms / groups).toFixed(2)} ms a group (commit and fsync)`,
        );
      }
    } finally {
      await vault.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
