// The language server with a large vault, without a transport: a vault of
// 10,000 secrets (3,072 granted to the agent, 2,500 key/value) and 500 Python files with 20
// references each, in a Session as server.ts drives it. Prints what a vault change costs as a delta
// against the old way (a new model from a full snapshot, every document re-checked), what an
// identical snapshot costs, completion latency while typing (after `get_secret('` and after a
// prefix), per-keystroke counts, and heap growth over a typing run.
// Last line: `session: ratio R (target >= 10)`, R = full rebuild and re-check / delta.

import { performance } from 'node:perf_hooks';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { SecretInfo, VaultSnapshot } from '../protocol/lsp';
import { Session } from '../server/src/session';
import { VaultModel, scan, computeDiagnostics } from '../server/src/service/index';
import type { IndexedFile } from '../server/src/workspaceIndex';
import { prng } from '../test/server/scan/corpus';

const SECRETS = 10_000;
const GRANTED = 3_072;
const KV = 2_500;
const FILES = 500;
const REFS_PER_FILE = 20;
const AGENT = 'bench-agent';
const FOLDER = 'file:///bench/ws';

const rand = prng(13);
const name = (i: number) => `svc${String(i).padStart(5, '0')}_${['api_key', 'token', 'oauth', 'secret'][i % 4]}`;

function makeSnapshot(revision: number): VaultSnapshot {
  const secrets: SecretInfo[] = [];
  for (let i = 0; i < SECRETS; i++) {
    const kv = i < KV;
    secrets.push({
      name: name(i),
      description: `Partner ${i} credentials`,
      kind: kv ? 'kv' : 'single',
      keys: kv ? ['client_id', 'client_secret'] : [],
      // Every third-ish secret granted, exactly GRANTED of them.
      agents: (i * 7919) % SECRETS < GRANTED ? [AGENT, 'other-agent'] : ['other-agent'],
    });
  }
  return {
    revision,
    connection: 'connected',
    namingStyle: 'snake_case',
    role: 'admin',
    secrets,
    agents: [
      { id: AGENT, name: 'Bench agent' },
      { id: 'other-agent', name: 'Other agent' },
    ],
    folders: [{ folderUri: FOLDER, agent: AGENT }],
    defaultAgent: null,
    stale: null,
  };
}

function makeFile(k: number): string {
  const lines = ['from conv import utils', '', ''];
  lines.push(`def handler_${k}(conv):`);
  for (let r = 0; r < REFS_PER_FILE; r++) {
    const i = Math.floor(rand() * SECRETS);
    lines.push(i < KV ? `    c${r} = conv.utils.get_secret('${name(i)}')['client_id']` : `    v${r} = conv.utils.get_secret('${name(i)}')`);
  }
  lines.push('    return None', '');
  return lines.join('\n');
}

const median = (xs: number[]) => percentile(xs, 50);
function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}
const fmt = (ms: number) => (ms < 1 ? `${(ms * 1000).toFixed(1)} µs` : `${ms.toFixed(2)} ms`);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const gc = () => (globalThis as { gc?: () => void }).gc?.();

function main(): void {
  const open = new Map<string, TextDocument>();
  const files = new Map<string, IndexedFile>();
  for (let k = 0; k < FILES; k++) {
    const uri = `${FOLDER}/f${k}.py`;
    const text = makeFile(k);
    files.set(uri, { uri, doc: TextDocument.create(uri, 'python', 0, text), result: scan(text, 'python') });
  }
  const session = new Session({ get: (u) => open.get(u), all: () => [...open.values()] }, { get: (u) => files.get(u), values: () => files.values() });
  const snapshot = makeSnapshot(1);
  const snapshotBytes = JSON.stringify(snapshot).length;

  let t = performance.now();
  session.receiveSnapshot(snapshot);
  const firstMs = performance.now() - t;
  // Every document's diagnostics once, as the first workspace pull does.
  t = performance.now();
  const first = session.workspaceReport([]);
  const firstPullMs = performance.now() - t;
  const ids = first.items.map((i) => ({ uri: i.uri, value: i.resultId! }));

  // The old way, per vault change: a new model from the full snapshot, every document re-checked.
  const rebuilds: number[] = [];
  for (let i = 0; i < 5; i++) {
    const s = performance.now();
    const model = VaultModel.fromSnapshot(snapshot);
    for (const f of files.values()) computeDiagnostics(f.doc!, f.result, model);
    rebuilds.push(performance.now() - s);
  }

  // An identical snapshot (a reconnect): compared, nothing else.
  const sames: number[] = [];
  for (let i = 0; i < 5; i++) {
    const same = makeSnapshot(2 + i);
    const s = performance.now();
    const outcome = session.receiveSnapshot(same);
    sames.push(performance.now() - s);
    if (outcome.refresh || outcome.affected) throw new Error('an identical snapshot changed something');
  }
  let revision = session.revision!;

  // Deltas as vault events bring them: one secret's access changed, then the documents re-pulled.
  const deltas: number[] = [];
  const pulls: number[] = [];
  const affected: number[] = [];
  const deltaBytes: number[] = [];
  const referenced = [...files.values()][0]!.result.references.map((r) => r.name!).filter(Boolean);
  let previous = ids;
  for (let i = 0; i < 50; i++) {
    // Each delta really changes the secret: its access to the agent flips.
    const target = session.service.model.secret(referenced[i % referenced.length]!)!.info;
    const agents = target.agents.includes(AGENT) ? ['other-agent'] : [AGENT, 'other-agent'];
    const secret = { ...target, agents };
    const delta = { baseRevision: revision, revision: revision + 1, changes: [{ kind: 'secret' as const, secret }] };
    deltaBytes.push(JSON.stringify(delta).length);
    const s = performance.now();
    const outcome = session.receiveDelta(delta);
    deltas.push(performance.now() - s);
    if (outcome.resync) throw new Error('unexpected resync');
    revision++;
    affected.push(outcome.affected);
    const p = performance.now();
    const report = session.workspaceReport(previous);
    pulls.push(performance.now() - p);
    previous = report.items.map((r) => ({ uri: r.uri, value: r.resultId! }));
  }

  // Typing a reference in an open file: each keystroke a new version, a completion request, and the
  // counts the debounce would send (here every keystroke, the worst case).
  const uri = `${FOLDER}/typing.py`;
  const prefix = 'def f(conv):\n    x = conv.utils.get_secret(';
  const typed = `'${name(1234)}'`;
  const completionsEmpty: number[] = [];
  const completionsTyped: number[] = [];
  const countsMs: number[] = [];
  const bytes: number[] = [];
  let reports = 0;
  let version = 1;
  const keystroke = (text: string, measureInto?: number[]) => {
    const doc = TextDocument.create(uri, 'python', version++, text);
    open.set(uri, doc);
    const result = session.scan(doc)!;
    const s = performance.now();
    const list = session.service.complete(doc, result, text.length, { editRangeDefault: true, dataDefault: true });
    const ms = performance.now() - s;
    measureInto?.push(ms);
    if (measureInto && list) bytes.push(JSON.stringify(list).length);
    const c = performance.now();
    if (session.countsReport()) reports++;
    countsMs.push(performance.now() - c);
  };
  session.countsReport(); // the first, full report
  // Warm up, then measure: `get_secret('` (nothing typed yet) and after a few characters.
  for (let i = 0; i < 50; i++) keystroke(`${prefix}'`);
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const rounds = 200;
  for (let r = 0; r < rounds; r++) {
    for (let n = 1; n <= typed.length; n++) keystroke(prefix + typed.slice(0, n), n === 1 ? completionsEmpty : n >= 4 ? completionsTyped : undefined);
  }
  gc();
  const heapAfter = process.memoryUsage().heapUsed;
  const keystrokes = rounds * typed.length;

  const ratio = median(rebuilds) / median(deltas);
  console.log(`vault: ${SECRETS} secrets (${GRANTED} granted to ${AGENT}, ${KV} key/value); workspace: ${FILES} files x ${REFS_PER_FILE} references`);
  console.log(`first snapshot (${(snapshotBytes / 1024 / 1024).toFixed(2)} MB of JSON): model ${fmt(firstMs)}; first workspace pull, every file checked: ${fmt(firstPullMs)}`);
  console.log(`identical snapshot (a reconnect): ${fmt(median(sames))} median of 5, nothing re-checked, no refresh`);
  console.log(`old way per vault change, new model + every file re-checked: ${fmt(median(rebuilds))} median of 5`);
  console.log(
    `delta of one secret (${median(deltaBytes)} bytes): apply + find affected ${fmt(median(deltas))} median of 50 (p95 ${fmt(percentile(deltas, 95))}); ` +
      `${median(affected)} of ${FILES} files affected (median); workspace pull after it ${fmt(median(pulls))}`,
  );
  console.log(
    `completion after get_secret(' : p50 ${fmt(percentile(completionsEmpty, 50))}, p95 ${fmt(percentile(completionsEmpty, 95))} (${completionsEmpty.length} requests)`,
  );
  console.log(
    `completion after 'svc0…' typed: p50 ${fmt(percentile(completionsTyped, 50))}, p95 ${fmt(percentile(completionsTyped, 95))} (${completionsTyped.length} requests); response median ${(median(bytes) / 1024).toFixed(1)} KiB`,
  );
  console.log(`usage counts per keystroke: p50 ${fmt(percentile(countsMs, 50))}, p95 ${fmt(percentile(countsMs, 95))}; reports with a change: ${reports} of ${keystrokes} keystrokes`);
  console.log(`heap over ${keystrokes} keystrokes (after gc): ${mb(heapBefore)} -> ${mb(heapAfter)} (${mb(heapAfter - heapBefore)})`);
  console.log(`session: ratio ${ratio.toFixed(1)} (target >= 10)`);
}

main();
