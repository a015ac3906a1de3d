// How fast the language service analyses agent code, against tree-sitter on the same text.
// A 10,000-line Python file in the style of agent functions (requests calls, f-strings, docstrings,
// comments) with 1,000 references, 5% of them choosing their name by `conv.env` as ADK functions do
// (so that name resolution runs), and a vault snapshot of 10,000 secrets. Prints the full analysis
// time (scan + diagnostics), tree-sitter's parse alone and parse + query, one regular-expression
// pass, and completion latency at random reference positions. Last line: `analysis: ratio R
// (target >= 10)`, against tree-sitter's parse alone (the stricter peer); the line before gives the
// ratio against parse + query.
// It runs under exactly the language server's V8 flags (SERVER_V8_FLAGS: how the young generation
// is sized and used decides how much of a large file's analysis is garbage collection), re-starting
// itself with them and --expose-gc alone: not run.mjs's --enable-source-maps, under which Node keeps
// the bundle's inline source map and every analysis ran about a quarter slower than in the server,
// which runs without it. Both sides are measured in their steady state, as in a language server that has
// analysed the workspace's files at start: our passes need some 40-50 analyses before the JIT has
// optimised them (the warm-up is printed, apart from the ratio), tree-sitter's WebAssembly one or two
// parses. What garbage collection costs stays in the samples, as it does in the server (whose flags,
// SERVER_V8_FLAGS, are chosen for it: see there).

import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { SERVER_V8_FLAGS, type SecretInfo, type VaultSnapshot } from '../protocol/lsp';
import { VaultModel } from '../server/src/service/model/model';
import { scan } from '../server/src/service/analyze';
import { computeDiagnostics } from '../server/src/service/features/diagnostics';
import { complete } from '../server/src/service/features/completion';
import { createRequire } from 'node:module';
import { Language, Parser, Query } from 'web-tree-sitter';
// Deterministic, so every run measures the same text.
import { prng } from '../test/server/scan/corpus';

const SECRETS = 10_000;
/** Analyses run before the samples: enough for the JIT to have optimised every pass (see the warm-up line). */
const WARMUP = 60;
const REFERENCES = 1_000;
const AGENT = 'bench-agent';


const secretName = (i: number) => (i % 5 === 0 ? `svc${i}_oauth` : `svc${i}_api_key`);

function makeSnapshot(): VaultSnapshot {
  const secrets: SecretInfo[] = [];
  for (let i = 0; i < SECRETS; i++) {
    const kv = i % 5 === 0;
    secrets.push({
      name: secretName(i),
      description: `Partner ${i} credentials for the booking flow`,
      kind: kv ? 'kv' : 'single',
      keys: kv ? ['client_id', 'client_secret'] : [],
      agents: i % 3 === 0 ? [AGENT, 'other-agent'] : ['other-agent'],
    });
  }
  return {
    revision: 1,
    connection: 'connected',
    namingStyle: 'snake_case',
    role: 'admin',
    secrets,
    agents: [
      { id: AGENT, name: 'Bench agent' },
      { id: 'other-agent', name: 'Other agent' },
    ],
    folders: [],
    defaultAgent: AGENT,
    stale: null,
  };
}

/** A typing slip after the partner number: a dropped, doubled, swapped or wrong letter. */
function typo(name: string, rand: () => number): string {
  const from = name.indexOf('_') + 1;
  const at = from + Math.floor(rand() * (name.length - from - 1));
  const kind = Math.floor(rand() * 4);
  if (kind === 0) return name.slice(0, at) + name.slice(at + 1);
  if (kind === 1) return name.slice(0, at) + name.charAt(at) + name.slice(at);
  if (kind === 2) return name.slice(0, at) + name.charAt(at + 1) + name.charAt(at) + name.slice(at + 2);
  return name.slice(0, at) + (name.charAt(at) === 'x' ? 'q' : 'x') + name.slice(at + 1);
}

/**
 * A name chosen at run time by `conv.env`, in one of the ways real functions choose it: the lines
 * to write before the function, the lines at the top of its body, and the read's argument.
 */
function chosenName(f: number, i: number): { before: string[]; inside: string[]; argument: string } {
  const live = secretName(i);
  const uat = secretName((i + 1) % SECRETS);
  const preRelease = `svc${i}_preprod_api_key`; // unknown-secret in pre-release only
  switch (f % 5) {
    case 0:
      return { before: [], inside: [], argument: `'${live}' if conv.env == 'live' else '${uat}'` };
    case 1:
      return {
        before: [],
        inside: [
          `    if conv.env == 'live':`,
          `        secret_name = '${live}'`,
          `    elif conv.env in ('pre-release', 'pre_release'):`,
          `        secret_name = '${preRelease}'`,
          `    else:`,
          `        secret_name = '${uat}'`,
        ],
        argument: 'secret_name',
      };
    case 2:
      return { before: [`SECRET_NAMES_${f} = {'sandbox': '${uat}', 'pre-release': '${uat}', 'live': '${live}'}`, ''], inside: [], argument: `SECRET_NAMES_${f}[conv.env]` };
    case 3:
      return {
        before: [`def _secret_name_${f}(conv):`, `    if conv.env == 'live':`, `        return '${live}'`, `    return '${uat}'`, ''],
        inside: [],
        argument: `_secret_name_${f}(conv)`,
      };
    default:
      return {
        before: [`NAMES_${f} = {'live': '${live}', 'pre_release': '${preRelease}'}`, ''],
        inside: [],
        argument: `NAMES_${f}.get(conv.env, '${uat}') if conv.real_time_config['partner_${i}_v2'] else 'legacy_partner_${i}'`,
      };
  }
}

function makeSource(rand: () => number): string {
  const lines: string[] = [];
  for (let f = 0; f < REFERENCES; f++) {
    const i = Math.floor(rand() * SECRETS);
    const kv = i % 5 === 0;
    let name = secretName(i);
    const roll = rand();
    if (roll < 0.05) name = typo(name, rand); // unknown-secret, one edit from the intended name
    else if (roll < 0.06) name = `legacy_partner_password_${f}`; // unknown-secret, like nothing in the vault
    const dynamic = roll > 0.97;
    const chosen = roll >= 0.06 && roll < 0.11 ? chosenName(f, i) : undefined;
    const literal = dynamic ? `f'svc{partner_id}_api_key'` : chosen ? chosen.argument : `'${name}'`;
    const call = f % 7 === 0 ? `conv.utils.get_secret(name=${literal})` : `conv.utils.get_secret(${literal})`;
    lines.push(
      ...(chosen?.before ?? []),
      `def fetch_partner_${f}(conv, item_id, partner_id=${i}):`,
      `    """Fetch item ${f} from partner ${i}; never logs conv.utils.get_secret('doc_only')."""`,
      `    # The token rotates monthly: get_secret('commented_out') was the old name`,
      ...(chosen?.inside ?? []),
      kv ? `    creds = ${call}` : `    token = ${call}`,
      `    url = f"https://api.partner${i}.example.com/v2/items/{item_id}?page={${f} % 3}"`,
      kv
        ? `    headers = {"X-Client": creds['client_id'], "X-Secret": creds.get('${rand() < 0.1 ? 'client_secert' : 'client_secret'}')}`
        : `    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}`,
      `    resp = requests.get(url, headers=headers, timeout=10)`,
      `    resp.raise_for_status()  # 4xx/5xx: let the agent retry`,
      `    return {"partner": ${i}, "items": resp.json().get("items", [])}`,
      '',
    );
  }
  return lines.join('\n');
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

/** Median wall time of `runs` calls after `warmup` unmeasured ones. */
function time(runs: number, warmup: number, fn: () => unknown): number {
  for (let i = 0; i < warmup; i++) fn();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    out.push(performance.now() - t0);
  }
  return median(out);
}

const fmt = (ms: number) => (ms < 1 ? `${(ms * 1000).toFixed(1)} µs` : `${ms.toFixed(2)} ms`);

async function main(): Promise<void> {
  // The server's flags and --expose-gc (for the collection before the completion runs), nothing else.
  const flags = [...SERVER_V8_FLAGS, '--expose-gc'];
  if (process.execArgv.length !== flags.length || !flags.every((f) => process.execArgv.includes(f))) {
    const run = spawnSync(process.execPath, [...flags, process.argv[1]!], { stdio: 'inherit' });
    process.exit(run.status ?? 1);
  }
  console.log(`V8 flags: ${SERVER_V8_FLAGS.join(' ')} (the language server's), --expose-gc`);
  const rand = prng(20261122);
  const text = makeSource(rand);
  const uri = 'file:///bench/functions.py';
  const lineCount = text.split('\n').length;

  const t0 = performance.now();
  const snapshot = makeSnapshot();
  const model = VaultModel.fromSnapshot(snapshot);
  const modelMs = performance.now() - t0;

  // Ours: what the server does per edit, from text to diagnostics. The server's document keeps its
  // line offsets across incremental edits, so the document here is made (and its lines counted) once.
  // "First after a snapshot" uses a fresh model each time (nothing cached, did-you-mean computed);
  // "later edits" is every keystroke after that.
  const doc = TextDocument.create(uri, 'python', 1, text);
  doc.positionAt(text.length);
  let diagnosticsCount = 0;
  let referenceCount = 0;
  const analyse = (m: VaultModel) => {
    const result = scan(text, 'python');
    referenceCount = result.references.length;
    diagnosticsCount = computeDiagnostics(doc, result, m).length;
  };
  const firstStart = performance.now();
  analyse(model);
  const firstMs = performance.now() - firstStart;
  if (referenceCount !== REFERENCES) throw new Error(`the scanner found ${referenceCount} references, the text has ${REFERENCES}`);
  // Resolution is on: the reads that choose their name by conv.env resolve to their candidates.
  const scanned = scan(text, 'python').references;
  const computedReads = scanned.filter((r) => r.name === null).length;
  const resolvedReads = scanned.filter((r) => r.candidates !== undefined).length;

  // tree-sitter on the same text: parse, then the query the scanner tests' oracle runs
  // (test/server/scan/oracle.ts). The oracle's own walk over the captures is not timed: it is test
  // code, far slower than parse + query, and would flatter the ratio.
  await Parser.init();
  const python = await Language.load(createRequire(import.meta.url).resolve('tree-sitter-python/tree-sitter-python.wasm'));
  const parser = new Parser();
  parser.setLanguage(python);
  const query = new Query(python, '[(call) (subscript) (import_from_statement) (assignment)] @node');
  let captureCount = 0;
  const parseOnly = () => {
    const tree = parser.parse(text);
    if (!tree) throw new Error('tree-sitter returned no tree');
    tree.delete();
  };
  const treeSitter = () => {
    const tree = parser.parse(text);
    if (!tree) throw new Error('tree-sitter returned no tree');
    captureCount = query.captures(tree.rootNode).length;
    tree.delete();
  };

  // The ratio's two sides (ours, tree-sitter's parse alone) run alternately, so that load from other
  // processes falls on both alike; each side leaves only its own garbage to the other's samples.
  const ours: number[] = [];
  const scans: number[] = [];
  const trees: number[] = [];
  const parses: number[] = [];
  const cold: number[] = [];
  const builds: number[] = [];
  const sample = (out: number[], fn: () => unknown) => {
    const s = performance.now();
    fn();
    out.push(performance.now() - s);
  };
  const warmup: number[] = [];
  for (let i = 0; i < WARMUP; i++) sample(warmup, () => analyse(model));
  for (let i = 0; i < 3; i++) {
    treeSitter();
    parseOnly();
  }
  for (let i = 0; i < 9; i++) {
    sample(parses, parseOnly);
    for (let j = 0; j < 3; j++) sample(ours, () => analyse(model));
  }
  // Parse + query apart: its 9,500 capture objects are JavaScript garbage, whose collection fell on
  // the analyses sampled after it (about a millisecond each, a tenth of the ratio) when they alternated.
  for (let i = 0; i < 9; i++) sample(trees, treeSitter);
  // The parts and the first analysis after a snapshot, apart: each new snapshot's model (10,000
  // secrets) leaves garbage that a later collection would charge to the samples around it, and
  // per edit the server builds no model.
  for (let i = 0; i < 9; i++) {
    for (let j = 0; j < 3; j++) sample(scans, () => scan(text, 'python'));
    for (let j = 0; j < 2; j++) {
      let fresh = model;
      sample(builds, () => (fresh = VaultModel.fromSnapshot(snapshot)));
      sample(cold, () => analyse(fresh));
    }
  }
  const coldMs = median(cold);
  const treeSitterMs = median(trees);
  const parseMs = median(parses);
  const oursMs = median(ours);
  const scanMs = median(scans);

  // One regular-expression pass: the floor for any scan (it also matches comments and docstrings).
  const pattern = /get_secret\(\s*(?:name\s*=\s*)?[fFrRbBuU]?(['"])([^'"\n]*)\1/g;
  let regexCount = 0;
  const regexMs = time(50, 10, () => {
    regexCount = 0;
    pattern.lastIndex = 0;
    while (pattern.exec(text) !== null) regexCount++;
  });

  // Completion at random reference positions, on the scan the server caches per document version.
  const result = scan(text, 'python');
  const targets = result.references.filter((r) => r.name !== null);
  const offsets: number[] = [];
  for (let i = 0; i < 1000; i++) {
    const ref = targets[Math.floor(rand() * targets.length)]!;
    const { start, end } = ref.literal.contentSpan;
    offsets.push(start + Math.floor(rand() * (end - start + 1)));
  }
  const sizes: number[] = [];
  const counts: number[] = [];
  const latencies = (editRangeDefault: boolean): number[] => {
    for (const offset of offsets.slice(0, 200)) complete(doc, result, model, offset, { editRangeDefault, dataDefault: editRangeDefault });
    return offsets.map((offset) => {
      const s = performance.now();
      const list = complete(doc, result, model, offset, { editRangeDefault, dataDefault: editRangeDefault });
      const ms = performance.now() - s;
      // An empty list is right where the typed part is a typo that matches no secret.
      if (!list) throw new Error(`no completion at ${offset}`);
      if (editRangeDefault) {
        counts.push(list.items.length);
        sizes.push(JSON.stringify(list).length);
      }
      return ms;
    });
  };
  // Start the latency runs without the garbage of the runs above (run.mjs passes --expose-gc).
  (globalThis as { gc?: () => void }).gc?.();
  const withDefaults = latencies(true);
  const perItem = latencies(false);
  // The same positions again, five times each, keeping each position's fastest: what the work
  // costs without the preemption that other processes on a shared machine add to single samples.
  const fastest = offsets.map((offset) => {
    let best = Infinity;
    for (let k = 0; k < 5; k++) {
      const s = performance.now();
      complete(doc, result, model, offset, { editRangeDefault: true, dataDefault: true });
      best = Math.min(best, performance.now() - s);
    }
    return best;
  });
  // The first completion after a snapshot builds the agent's item list and the word index.
  const firsts: number[] = [];
  for (let i = 0; i < 5; i++) {
    const fresh = VaultModel.fromSnapshot(snapshot);
    sample(firsts, () => complete(doc, result, fresh, offsets[i]!, { editRangeDefault: true, dataDefault: true }));
  }

  const ratio = parseMs / oursMs;
  console.log(`text: ${lineCount} lines, ${(text.length / 1024).toFixed(0)} KiB; snapshot: ${SECRETS} secrets; agent: ${AGENT}`);
  console.log(`references: ours ${referenceCount} (all of them), regex ${regexCount} (the regex also matches docstrings and comments)`);
  console.log(`computed names: ${computedReads} reads, ${resolvedReads} resolved to their candidates`);
  console.log(`diagnostics: ${diagnosticsCount}`);
  console.log(
    `snapshot model build, incl. the did-you-mean table (once per snapshot): first ${fmt(modelMs)}, then median of 18 ${fmt(median(builds))}`,
  );
  console.log(
    `warm-up, not in the ratio: the first analysis after start ${fmt(firstMs)}; of the ${WARMUP} after it, the first 10 a median ${fmt(median(warmup.slice(0, 10)))}, the last 10 ${fmt(median(warmup.slice(-10)))}`,
  );
  // The mean keeps what the median leaves out: the edits that a garbage collection fell on.
  console.log(`full analysis, scan + diagnostics, per edit (median of 27): ${fmt(oursMs)} (mean ${fmt(ours.reduce((a, b) => a + b, 0) / ours.length)})`);
  console.log(`  of which scan: ${fmt(scanMs)} (median of 27)`);
  console.log(`full analysis, first after a new snapshot (median of 18): ${fmt(coldMs)} (ratio against it: ${(parseMs / coldMs).toFixed(1)})`);
  console.log(`tree-sitter parse alone (median of 9): ${fmt(parseMs)}`);
  console.log(`tree-sitter parse + query, ${captureCount} captures (median of 9): ${fmt(treeSitterMs)}`);
  console.log(`one regular-expression pass (median of 50): ${fmt(regexMs)}`);
  console.log(
    `completion, itemDefaults.editRange (VS Code), 1000 requests: p50 ${fmt(percentile(withDefaults, 50))}, p99 ${fmt(percentile(withDefaults, 99))} (target p99 < 1 ms)`,
  );
  console.log(
    `completion, itemDefaults.editRange, fastest of 5 per position: p50 ${fmt(percentile(fastest, 50))}, p99 ${fmt(percentile(fastest, 99))}`,
  );
  console.log(
    `completion, a textEdit per item (older clients), 1000 requests: p50 ${fmt(percentile(perItem, 50))}, p99 ${fmt(percentile(perItem, 99))}`,
  );
  console.log(`completion, first request after a new snapshot (builds the item list and word index; median of 5): ${fmt(median(firsts))}`);
  console.log(
    `completion responses: median ${median(counts)} items, ${(median(sizes) / 1024).toFixed(1)} KiB of JSON, largest ${(Math.max(...sizes) / 1024).toFixed(1)} KiB (a large vault's lists follow what is typed)`,
  );
  console.log(`ours vs regex: ${(oursMs / regexMs).toFixed(1)}x the regex time`);
  console.log(`against tree-sitter's parse + query: ratio ${(treeSitterMs / oursMs).toFixed(1)}`);
  console.log(`analysis: ratio ${ratio.toFixed(1)} against tree-sitter's parse alone (target >= 10)`);
}

await main();
