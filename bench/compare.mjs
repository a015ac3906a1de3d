// `npm run bench -- --compare [name…]`: runs the quick variant of each benchmark and prints its ratio
// beside the one in bench/baseline.json, flagging a ratio worse than the baseline by more than that
// benchmark's own run-to-run spread. A tool for developers before they stop, not a test: it exits
// non-zero only when a benchmark fails to run.
//
// `npm run bench -- --baseline [--runs N] [name…]` measures the baseline: each quick variant N times
// (3 by default), the median ratio and the spread ((max - min) / median) written to
// bench/baseline.json with the commit, the date and the machine's core count. Update it only with a
// reason in the commit message (docs/testing.md).
//
// Every benchmark's last line is `<name>: [worst] ratio R (…)`; which direction is better and the
// environment of its quick variant are said here, once.

import { spawn, execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';

/**
 * Each benchmark's quick variant: the environment that shortens it, and which way its ratio is
 * better. `editor` is left out unless named (minutes: a real editor and 10,000 secrets).
 */
export const QUICK = {
  adversarial: { better: 'lower', env: {} },
  analysis: { better: 'higher', env: {} },
  check: { better: 'lower', env: { BENCH_ROUNDS: '3' } },
  hardcoded: { better: 'higher', env: {} },
  session: { better: 'higher', env: {} },
  'vault-read': { better: 'higher', env: { BENCH_ROUNDS: '2', BENCH_SECONDS: '3' } },
  'vault-scale': { better: 'higher', env: { BENCH_ROUNDS: '1', BENCH_SECONDS: '3', BENCH_TRIALS: '1' } },
  // A choice between two drivers made once, not a figure of the product: run when named.
  'pg-driver': { better: 'higher', env: { BENCH_ROUNDS: '1', BENCH_SECONDS: '2' }, onlyWhenNamed: true },
  editor: { better: 'lower', env: { BENCH_TRIGGERS: '10', BENCH_TYPING_SECONDS: '10' }, onlyWhenNamed: true },
};

/** A ratio below which a spread is not trusted: two runs that agree by chance say little. */
const MIN_SPREAD = 0.05;

/** The ratio on a benchmark's output's last ratio line, or undefined. */
export function parseRatio(output) {
  let found;
  for (const line of output.split('\n')) {
    const m = /^([\w-]+): (?:worst )?ratio (\d+(?:\.\d+)?)/.exec(line.trim());
    if (m) found = { name: m[1], ratio: Number(m[2]) };
  }
  return found;
}

/** How much worse `now` is than `base` (0 when not worse), as a fraction of `base`. */
export function worseBy(now, base, better) {
  if (!(base > 0)) return 0;
  const delta = better === 'higher' ? (base - now) / base : (now - base) / base;
  return Math.max(0, delta);
}

/** The median of `values`, and their spread as a fraction of it. */
export function summarize(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  const spread = median > 0 ? (sorted[sorted.length - 1] - sorted[0]) / median : 0;
  return { median, spread };
}

/** Runs a built benchmark, its output shown as it comes and kept; resolves with it and the exit code. */
function runOne(outfile, env, root) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--enable-source-maps', '--expose-gc', outfile], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      out += chunk;
      process.stdout.write(chunk);
    });
    child.on('close', (code) => resolve({ out, code: code ?? 1 }));
  });
}

function commitOf(root) {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

const fmt = (n) => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));
const pct = (f) => `${(f * 100).toFixed(0)}%`;

/**
 * `--compare` or `--baseline`. `build(name)` bundles a benchmark and returns its file; `names` are
 * those asked for (none: every benchmark QUICK knows, but the ones only run when named).
 */
export async function compareOrBaseline({ root, names, build, mode, runs }) {
  const file = path.join(root, 'bench/baseline.json');
  const selected = names.length > 0 ? names : Object.keys(QUICK).filter((n) => !QUICK[n].onlyWhenNamed);
  const unknown = selected.filter((n) => !QUICK[n]);
  if (unknown.length > 0) {
    console.error(`no quick variant for ${unknown.join(', ')} (have: ${Object.keys(QUICK).join(', ')})`);
    return 1;
  }
  const baseline = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
  if (mode === 'compare' && !baseline) {
    console.error('bench/baseline.json is missing: `npm run bench -- --baseline` makes it.');
    return 1;
  }
  let failed = 0;
  const rows = [];
  for (const name of selected) {
    const outfile = await build(name);
    const ratios = [];
    for (let i = 0; i < (mode === 'baseline' ? runs : 1); i++) {
      console.log(`# ${name} (quick${mode === 'baseline' ? `, run ${i + 1} of ${runs}` : ''})`);
      const { out, code } = await runOne(outfile, QUICK[name].env, root);
      const parsed = parseRatio(out);
      // A benchmark below its own target exits non-zero after its ratio line: that is a figure, not
      // a failure to run.
      if (!parsed) {
        console.error(`${name}: printed no ratio line${code !== 0 ? ` (exited ${code})` : ''}`);
        failed++;
        break;
      }
      ratios.push(parsed.ratio);
    }
    if (ratios.length > 0) rows.push({ name, ratios });
  }
  if (mode === 'baseline') {
    const benchmarks = { ...(baseline?.benchmarks ?? {}) };
    for (const { name, ratios } of rows) {
      const { median, spread } = summarize(ratios);
      benchmarks[name] = { ratio: Number(fmt(median)), spread: Number(spread.toFixed(3)), better: QUICK[name].better, runs: ratios.length };
    }
    const out = { commit: commitOf(root), date: new Date().toISOString().slice(0, 10), cores: cpus().length, benchmarks };
    writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
    console.log(`\nbench/baseline.json: ${rows.map((r) => r.name).join(', ')} (commit ${out.commit}, ${out.cores} cores)`);
    return failed > 0 ? 1 : 0;
  }
  console.log(`\nAgainst bench/baseline.json (commit ${baseline.commit}, ${baseline.date}, ${baseline.cores} cores; this machine ${cpus().length}):`);
  if (baseline.cores !== cpus().length) console.log('  (another core count: the ratios may differ for that alone)');
  console.log(`  ${'benchmark'.padEnd(12)} ${'now'.padStart(8)} ${'baseline'.padStart(9)} ${'spread'.padStart(7)}  verdict`);
  for (const { name, ratios } of rows) {
    const base = baseline.benchmarks[name];
    const now = ratios[0];
    if (!base) {
      console.log(`  ${name.padEnd(12)} ${fmt(now).padStart(8)} ${'-'.padStart(9)} ${'-'.padStart(7)}  no baseline`);
      continue;
    }
    const allowed = Math.max(base.spread, MIN_SPREAD);
    const worse = worseBy(now, base.ratio, base.better);
    const verdict = worse > allowed ? `WORSE by ${pct(worse)} (${base.better} is better)` : worse > 0 ? 'within spread' : 'same or better';
    console.log(`  ${name.padEnd(12)} ${fmt(now).padStart(8)} ${fmt(base.ratio).padStart(9)} ${pct(allowed).padStart(7)}  ${verdict}`);
  }
  return failed > 0 ? 1 : 0;
}
