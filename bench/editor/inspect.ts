// A CPU profile of one of the editor's node processes (the extension host, the language server),
// taken through V8's inspector: SIGUSR1 opens it on a port of 127.0.0.1, the Chrome DevTools
// Protocol over a WebSocket (undici's) starts and stops the profiler. For `BENCH_PROFILE=1`: where
// the opening's time goes, with profiles, not guesses. The file opens in Chromium's DevTools or
// summarises with any .cpuprofile reader.

import { readFileSync, writeFileSync } from 'node:fs';
import { WebSocket } from 'undici';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

/** A started profile; `stop` writes it to `file` and closes the inspector's connection. */
export interface RunningProfile {
  stop(file: string): Promise<void>;
}

/**
 * Opens the inspector of `pid` (SIGUSR1: node listens on 127.0.0.1:9229, or the port its
 * `--inspect-port` says) and starts the CPU profiler at a 1 ms interval.
 */
export async function startProfile(pid: number, port = 9229): Promise<RunningProfile> {
  // A process just forked has no SIGUSR1 handler yet, and SIGUSR1's default action ends it (the
  // window then starts another extension host, and the opening measured is not the user's).
  for (let i = 0; i < 200 && !catchesSigusr1(pid); i++) await sleep(10);
  process.kill(pid, 'SIGUSR1');
  let target: string | undefined;
  for (let i = 0; i < 50 && target === undefined; i++) {
    try {
      const list = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as Array<{ webSocketDebuggerUrl?: string }>;
      target = list[0]?.webSocketDebuggerUrl;
    } catch {
      await sleep(100);
    }
  }
  if (target === undefined) throw new Error(`process ${pid} opened no inspector on 127.0.0.1:${port}`);
  const ws = new WebSocket(target);
  await new Promise<void>((resolve, reject) => {
    ws.addEventListener('open', () => resolve(), { once: true });
    ws.addEventListener('error', () => reject(new Error(`could not connect to ${target}`)), { once: true });
  });
  let nextId = 1;
  const pending = new Map<number, Pending>();
  ws.addEventListener('message', (ev) => {
    const msg = JSON.parse(String(ev.data)) as { id?: number; result?: unknown; error?: { message: string } };
    if (msg.id === undefined) return;
    const p = pending.get(msg.id);
    pending.delete(msg.id);
    if (msg.error) p?.reject(new Error(msg.error.message));
    else p?.resolve(msg.result);
  });
  const call = (method: string, params: object = {}): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      ws.send(JSON.stringify({ id, method, params }));
    });
  await call('Profiler.enable');
  await call('Profiler.setSamplingInterval', { interval: 1000 });
  await call('Profiler.start');
  return {
    async stop(file: string): Promise<void> {
      const { profile } = (await call('Profiler.stop')) as { profile: unknown };
      writeFileSync(file, JSON.stringify(profile));
      ws.close();
    },
  };
}

/** Whether `pid` handles SIGUSR1 (signal 10: bit 9 of /proc/PID/status's SigCgt mask), as node does once started. */
function catchesSigusr1(pid: number): boolean {
  try {
    const m = /^SigCgt:\s+([0-9a-f]+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m !== null && (BigInt(`0x${m[1]}`) & (1n << 9n)) !== 0n;
  } catch {
    return false;
  }
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

/** The `top` functions by self time, as lines `  123 ms  12.3%  name file:line`, idle left out. */
export function profileSummary(profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }, top = 15): string[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i]!)!;
    const dt = profile.timeDeltas[i] ?? 0;
    if (node.callFrame.functionName === '(idle)') continue;
    total += dt;
    const where = node.callFrame.url ? ` ${node.callFrame.url.split('/').pop()}:${node.callFrame.lineNumber + 1}` : '';
    const key = `${node.callFrame.functionName || '(anonymous)'}${where}`;
    self.set(key, (self.get(key) ?? 0) + dt);
  }
  const lines = [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([k, us]) => `${(us / 1000).toFixed(0).padStart(7)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%  ${k}`);
  return [`busy ${(total / 1000).toFixed(0)} ms:`, ...lines];
}
