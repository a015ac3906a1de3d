// `secrets-vault check` over a generated tree of 2,000 files (Python and TypeScript agent code in
// nested folders, a .gitignore, a vault of 500 secrets), against the peer that bounds it: a plain read
// of the same files (known up front, no walk, no analysis), with the same read call. The engine runs
// in-process, as the CLI runs it once the metadata is in. Rounds alternate and the medians count.
// Prints files/s and MB/s of both; last line `check: ratio R`, R = check time / plain read time.
//
//   node bench/run.mjs check          (BENCH_ROUNDS=7 by default)

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { CheckMetadata, CheckReport } from '../protocol/check';
import type { SecretInfo } from '../protocol/lsp';
import { check } from '../server/src/check/index';
import { findFiles } from '../server/src/check/walk';
import { languageOfPath } from '../server/src/service/scan/references';
import { scan } from '../server/src/service/analyze';
// Deterministic, so every run measures the same text.
import { prng } from '../test/server/scan/corpus';

const FILES = 2_000;
const SECRETS = 500;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const AGENT = 'bench-agent';


const secretName = (i: number) => (i % 5 === 0 ? `partner${i}_oauth` : `partner${i}_api_key`);

function metadata(): CheckMetadata {
  const secrets: SecretInfo[] = [];
  for (let i = 0; i < SECRETS; i++) {
    const kv = i % 5 === 0;
    secrets.push({ name: secretName(i), description: `Partner ${i}`, kind: kv ? 'kv' : 'single', keys: kv ? ['client_id', 'client_secret'] : [], agents: i % 10 === 0 ? ['other-agent'] : [AGENT, 'other-agent'] });
  }
  return { namingStyle: 'snake_case', secrets, agents: [{ id: AGENT, name: 'Bench' }, { id: 'other-agent', name: 'Other' }] };
}

/** An agent module: docstrings, comments, HTTP calls, and a few secret reads (some wrong). */
function pythonFile(rand: () => number, n: number): string {
  const out = [`"""Partner integration ${n}: get_secret('in_a_docstring') is not a reference."""`, 'import requests', ''];
  const functions = 4 + Math.floor(rand() * 8);
  for (let f = 0; f < functions; f++) {
    const i = Math.floor(rand() * SECRETS);
    const name = rand() < 0.05 ? `${secretName(i)}x` : secretName(i);
    out.push(`def call_${f}(conv, payload):`, `    # Calls partner ${i}; retries are handled by the platform.`);
    if (i % 5 === 0) out.push(`    creds = conv.utils.get_secret('${name}')`, `    token = requests.post(URL, data={'id': creds['client_id'], 'secret': creds['client_secret']})`);
    else out.push(`    key = conv.utils.get_secret('${name}')`, `    token = requests.get(f'https://api.example.com/{payload["id"]}', headers={'Authorization': f'Bearer {key}'})`);
    out.push(`    return {'status': token.status_code, 'items': [x for x in token.json().get('items', []) if x]}`, '');
  }
  return out.join('\n');
}

function typescriptFile(rand: () => number, n: number): string {
  const out = [`// Web hook ${n}.`, "import type { Conv } from './conv';", ''];
  const functions = 3 + Math.floor(rand() * 6);
  for (let f = 0; f < functions; f++) {
    const i = Math.floor(rand() * SECRETS);
    out.push(
      `export async function hook${f}(conv: Conv, body: { id: string }): Promise<number> {`,
      `  const key = conv.utils.get_secret('${secretName(i)}');`,
      '  const res = await fetch(`https://hooks.example.com/${body.id}`, { headers: { authorization: `Bearer ${key}` } });',
      '  return res.status;',
      '}',
      '',
    );
  }
  return out.join('\n');
}

function makeTree(): { root: string; files: string[] } {
  const root = mkdtempSync(path.join(tmpdir(), 'sv-bench-check-'));
  const rand = prng(7);
  const files: string[] = [];
  writeFileSync(path.join(root, '.gitignore'), '__pycache__/\n*.generated.py\nbuild/\n');
  for (let n = 0; n < FILES; n++) {
    const dir = path.join(root, `team${n % 10}`, `service${n % 40}`, n % 3 === 0 ? 'hooks' : 'functions');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, n % 3 === 0 ? `hook_${n}.ts` : `agent_${n}.py`);
    writeFileSync(file, n % 3 === 0 ? typescriptFile(rand, n) : pythonFile(rand, n));
    files.push(file);
  }
  // Things a check must pass over: ignored build output and non-source files.
  mkdirSync(path.join(root, 'build'));
  for (let n = 0; n < 50; n++) writeFileSync(path.join(root, 'build', `out_${n}.py`), pythonFile(rand, n));
  for (let n = 0; n < 100; n++) writeFileSync(path.join(root, `team${n % 10}`, `notes_${n}.md`), '# notes\n');
  return { root, files };
}

/** The peer: each file read whole, synchronously, as the engine reads (the faster way for small files). */
function plainRead(files: readonly string[]): number {
  let bytes = 0;
  for (const file of files) bytes += readFileSync(file).length;
  return bytes;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const { root, files } = makeTree();
  const meta = metadata();
  try {
    const run = () => check({ cwd: root, paths: [], exclude: [], gitignore: true, maxFileSize: 1024 * 1024, metadata: meta, agent: AGENT });
    // Warm up both (page cache, JIT) before measuring.
    const bytes = plainRead(files);
    let report: CheckReport = await run();
    if (report.filesChecked !== FILES || report.bytesChecked !== bytes) {
      throw new Error(`the check read ${report.filesChecked} files (${report.bytesChecked} bytes), expected ${FILES} (${bytes})`);
    }
    const texts = files.map((f) => readFileSync(f, 'utf8'));
    const readTimes: number[] = [];
    const checkTimes: number[] = [];
    const walkTimes: number[] = [];
    const scanTimes: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      let t = performance.now();
      plainRead(files);
      readTimes.push(performance.now() - t);
      t = performance.now();
      report = await run();
      checkTimes.push(performance.now() - t);
      // Where the check's time goes: the walk alone, and the scanner alone over texts in memory.
      t = performance.now();
      findFiles({ cwd: root, paths: [], exclude: [], gitignore: true });
      walkTimes.push(performance.now() - t);
      t = performance.now();
      texts.forEach((text, i) => scan(text, languageOfPath(files[i]!)!));
      scanTimes.push(performance.now() - t);
    }
    const read = median(readTimes);
    const whole = median(checkTimes);
    const mb = bytes / (1024 * 1024);
    const line = (label: string, ms: number) =>
      console.log(`${label.padEnd(12)} ${ms.toFixed(1).padStart(8)} ms  ${(FILES / (ms / 1000)).toFixed(0).padStart(8)} files/s  ${(mb / (ms / 1000)).toFixed(1).padStart(7)} MB/s`);
    console.log(`tree: ${FILES} source files, ${mb.toFixed(2)} MB, ${report.findings.length} findings; median of ${ROUNDS} rounds`);
    line('plain read', read);
    line('walk only', median(walkTimes));
    line('scan only', median(scanTimes));
    line('check', whole);
    console.log(`check: ratio ${(whole / read).toFixed(2)}`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
