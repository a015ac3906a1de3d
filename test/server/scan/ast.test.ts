// The scanner against Python's own parser over real code nobody here wrote: the Python standard
// library on this machine (and, with AST_ORACLE_SITE_PACKAGES=1, the installed packages too).
// ast_oracle.py finds the references under the scanner's rules from `ast` trees; every reference
// (form, name, spans, keys) and every environment write must match, in both naming styles.

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { activeReferences } from '../../../server/src/service/scan/references';
import { scanOrThrow } from '../../../server/src/service/analyze';
import type { SecretReference } from '../../../server/src/service/scan/types';
import type { ScanResult } from '../../../server/src/service/analyze';

const here = path.dirname(fileURLToPath(import.meta.url));

function python(code: string): string {
  const run = spawnSync('python3', ['-c', code], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`python3 failed: ${run.stderr}`);
  return run.stdout.trim();
}

/** Every .py file under `dir`, in a stable order, leaving out `skip` directories. */
function pythonFiles(dir: string, skip: ReadonlySet<string>, out: string[] = []): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isDirectory() && !e.isSymbolicLink()) {
      if (!skip.has(full)) pythonFiles(full, skip, out);
    } else if (e.isFile() && e.name.endsWith('.py')) out.push(full);
  }
  return out;
}

/** Runs ast_oracle.py over `files`: one JSON line per file. */
function oracle(files: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', [path.join(here, 'ast_oracle.py')], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(Buffer.concat(out).toString('utf8')) : reject(new Error(`ast_oracle.py failed: ${Buffer.concat(err).toString('utf8')}`))));
    child.stdin.end(files.join('\n') + '\n');
  });
}

/** The names a computed read can take as the oracle sees them: sorted; null when it cannot say; 'dynamic' when the rules say no one can. */
type OracleNames = string[] | null | 'dynamic';
type OracleRef = [
  form: string,
  name: string | null,
  litStart: number | null,
  litEnd: number | null,
  start: number,
  end: number,
  keys: Array<[string | null, string, number | null, number | null]>,
  names?: OracleNames,
];
type OracleFile = { skip: string } | { refs: OracleRef[]; writes: OracleRef[]; functions: Array<[name: string, start: number, firstParam: string | null, bodyEnd: number]> };

function describeOracle(r: OracleRef): string {
  const [form, name, ls, le, s, e, keys] = r;
  const k = keys.map(([key, via, ks, ke]) => `${via}:${JSON.stringify(key)}${key === null ? '' : `@${ks}-${ke}`}`);
  return `${form} ${JSON.stringify(name)} span=${s}-${e}${name === null ? '' : ` lit=${ls}-${le}`} keys=[${k.join(',')}]`;
}

function describeScanned(r: SecretReference): string {
  const k = r.keys.map((a) => `${a.via}:${JSON.stringify(a.key)}${a.key === null ? '' : `@${a.literal.span.start}-${a.literal.span.end}`}`);
  return `${r.form} ${JSON.stringify(r.name)} span=${r.span.start}-${r.span.end}${r.name === null ? '' : ` lit=${r.literal.span.start}-${r.literal.span.end}`} keys=[${k.join(',')}]`;
}

/** Whether only blank lines and comments (and a stray `;` or `\`) are in `text`. */
function trivia(text: string): boolean {
  return /^[\s;\\]*$/.test(text.replace(/#[^\r\n]*/g, ''));
}

/** What the scanner and the oracle make of the computed reads (names not literal): counts and disagreements. */
class NameSetTally {
  computed = 0;
  oracleResolved = 0;
  oracleDynamic = 0;
  scannerResolved = 0;
  agreed = 0;
  missed: string[] = [];
  extra: string[] = [];

  /** `refs`: every read of the scan (both naming styles); the oracle's are matched by span. */
  compare(file: string, text: string, oracleRefs: OracleRef[], refs: SecretReference[]): void {
    const bySpan = new Map<string, OracleNames | undefined>(oracleRefs.filter((r) => r[1] === null).map((r) => [`${r[4]}-${r[5]}`, r[7]]));
    for (const r of refs) {
      if (r.name !== null) continue;
      const key = `${r.span.start}-${r.span.end}`;
      if (!bySpan.has(key)) continue; // the reference itself is reported missing or false elsewhere
      const want = bySpan.get(key);
      const got = r.candidates === undefined ? null : [...new Set(r.candidates.map((c) => c.name))].sort();
      this.computed++;
      if (got !== null) this.scannerResolved++;
      const at = `${file}@${r.span.start} ${JSON.stringify(text.slice(r.literal.span.start, r.literal.span.end).slice(0, 80))}: `;
      if (want === 'dynamic') {
        this.oracleDynamic++;
        if (got !== null) this.extra.push(`${at}resolved to ${JSON.stringify(got)}, which the rules leave unknown`);
        continue;
      }
      if (want === null || want === undefined) continue;
      this.oracleResolved++;
      if (got === null) this.missed.push(`${at}not resolved; the oracle: ${JSON.stringify(want)}${r.unresolved ? ` (unresolved: ${JSON.stringify(r.unresolved.text)})` : ''}`);
      else if (JSON.stringify(got) !== JSON.stringify(want)) {
        const lost = want.filter((n) => !got.includes(n));
        const added = got.filter((n) => !want.includes(n));
        if (lost.length > 0) this.missed.push(`${at}misses ${JSON.stringify(lost)} of ${JSON.stringify(want)}`);
        if (added.length > 0) this.extra.push(`${at}adds ${JSON.stringify(added)} to ${JSON.stringify(want)}`);
      } else this.agreed++;
    }
  }

  summary(): string {
    return (
      `computed names: ${this.computed} reads, the oracle resolved ${this.oracleResolved} (${this.oracleDynamic} unknowable by the rules), ` +
      `the scanner ${this.scannerResolved}, agreeing on ${this.agreed}; missed ${this.missed.length}, false ${this.extra.length}`
    );
  }
}

/** Entries of `a` not in `b`, as multisets. */
function minus(a: string[], b: string[]): string[] {
  const left = new Map<string, number>();
  for (const x of b) left.set(x, (left.get(x) ?? 0) + 1);
  const out: string[] = [];
  for (const x of a) {
    const n = left.get(x) ?? 0;
    if (n > 0) left.set(x, n - 1);
    else out.push(x);
  }
  return out;
}

describe('scanner vs Python ast on real code', () => {
  it('finds exactly the references Python finds in the standard library, in both naming styles', async () => {
    const paths = JSON.parse(python('import json, sysconfig; print(json.dumps(sysconfig.get_paths()))')) as Record<string, string>;
    const stdlib = paths['stdlib']!;
    const sitePackages = new Set([paths['purelib']!, paths['platlib']!]);
    const files = pythonFiles(stdlib, sitePackages);
    if (process.env['AST_ORACLE_SITE_PACKAGES'] === '1') for (const dir of sitePackages) pythonFiles(dir, new Set(), files);
    // A distribution's python3 may ship the standard library without its test suite: ~700 files.
    expect(files.length).toBeGreaterThan(300);

    // Two python processes, one per half of the files (parsing is most of the time).
    const half = Math.ceil(files.length / 2);
    const outputs = await Promise.all([files.slice(0, half), files.slice(half)].map((part) => oracle(part)));
    const lines = outputs.flatMap((out) => out.split('\n').filter((l) => l.length > 0));
    expect(lines.length).toBe(files.length);

    let compared = 0;
    let skipped = 0;
    const reasons = new Map<string, number>();
    const counts = { snake: 0, env: 0, writes: 0, keys: 0, functions: 0 };
    const missed: string[] = [];
    const extra: string[] = [];
    const names = new NameSetTally();
    files.forEach((file, i) => {
      const oracle = JSON.parse(lines[i]!) as OracleFile;
      if ('skip' in oracle) {
        skipped++;
        reasons.set(oracle.skip, (reasons.get(oracle.skip) ?? 0) + 1);
        return;
      }
      compared++;
      const text = readFileSync(file, 'utf8');
      const result: ScanResult = scanOrThrow(text, 'python');
      const check = (label: string, want: string[], got: string[]) => {
        for (const m of minus(want, got)) missed.push(`${file} [${label}] ${m}`);
        for (const x of minus(got, want)) extra.push(`${file} [${label}] ${x}`);
      };
      const snakeWant = oracle.refs.filter((r) => r[0] === 'get_secret').map(describeOracle);
      check('snake_case', snakeWant, activeReferences(result, 'snake_case').map(describeScanned));
      check('UPPER_CASE', oracle.refs.map(describeOracle), activeReferences(result, 'UPPER_CASE').map(describeScanned));
      check('writes', oracle.writes.map(describeOracle), result.writes.map(describeScanned));
      names.compare(file, text, oracle.refs, result.references);
      // The module-level functions the Run / Debug as agent CodeLens looks at.
      check(
        'functions',
        oracle.functions.map(([name, start, first]) => `def ${name}@${start}(${first ?? ''})`),
        result.functions.map((f) => `def ${f.name}@${f.span.start}(${f.firstParam ?? ''})`),
      );
      // Its extent: all of the body, and beyond it only blank lines and comments (so that a read
      // in the next statement is never credited to it, nor one in its last line missed).
      const byStart = new Map(result.functions.map((f) => [f.span.start, f]));
      for (const [name, start, , bodyEnd] of oracle.functions) {
        const f = byStart.get(start);
        if (!f) continue; // reported above
        const beyond = text.slice(bodyEnd, f.span.end);
        if (f.span.end < bodyEnd || !trivia(beyond)) {
          missed.push(`${file} [function extent] def ${name}@${start}: body ends at ${bodyEnd}, the scanner's at ${f.span.end} ${JSON.stringify(beyond.slice(0, 80))}`);
        }
      }
      counts.functions += oracle.functions.length;
      counts.snake += snakeWant.length;
      counts.env += oracle.refs.length;
      counts.writes += oracle.writes.length;
      counts.keys += oracle.refs.reduce((n, r) => n + r[6].length, 0);
    });
    const why = [...reasons].map(([reason, n]) => `${n} ${reason}`).join('; ');
    console.log(
      `ast oracle: ${files.length} files (${compared} compared, ${skipped} skipped: ${why || 'none'}); ` +
        `references compared: ${counts.snake} in snake_case style, ${counts.env} in UPPER_CASE style, ${counts.keys} keys, ${counts.writes} environment writes, ${counts.functions} module-level functions; ` +
        `missed ${missed.length}, false ${extra.length}`,
    );
    console.log(`ast oracle, ${names.summary()}`);
    for (const line of [...missed.slice(0, 20).map((m) => `missed: ${m}`), ...extra.slice(0, 20).map((x) => `false: ${x}`)]) console.log(line);
    for (const line of [...names.missed.slice(0, 20).map((m) => `names missed: ${m}`), ...names.extra.slice(0, 20).map((x) => `names false: ${x}`)]) console.log(line);
    expect(compared).toBeGreaterThan(300);
    expect(counts.env).toBeGreaterThan(50);
    expect(counts.writes).toBeGreaterThan(5);
    expect(counts.functions).toBeGreaterThan(1000);
    // The first few only: a diff of thousands of long lines takes vitest minutes.
    expect({ missed: missed.length, first: missed.slice(0, 20) }).toEqual({ missed: 0, first: [] });
    expect({ extra: extra.length, first: extra.slice(0, 20) }).toEqual({ extra: 0, first: [] });
    // The names computed reads can take: every set the oracle computes is the scanner's, and the
    // scanner resolves none that the rules leave unknown.
    expect(names.computed).toBeGreaterThan(20);
    expect(names.oracleResolved).toBeGreaterThanOrEqual(5);
    expect({ missed: names.missed.length, first: names.missed.slice(0, 20) }).toEqual({ missed: 0, first: [] });
    expect({ extra: names.extra.length, first: names.extra.slice(0, 20) }).toEqual({ extra: 0, first: [] });
  }, 600_000);

  it("finds exactly what Python finds in this repository's own agent code (keys through variables aside)", async () => {
    const root = path.resolve(here, '../../..');
    const listed = spawnSync('git', ['ls-files', '*.py'], { cwd: root, encoding: 'utf8' });
    const files = listed.stdout.split('\n').filter((f) => f.length > 0).map((f) => path.join(root, f));
    expect(files.length).toBeGreaterThan(5);
    const lines = (await oracle(files)).split('\n').filter((l) => l.length > 0);
    let refs = 0;
    const names = new NameSetTally();
    files.forEach((file, i) => {
      const found = JSON.parse(lines[i]!) as OracleFile;
      if ('skip' in found) return;
      const text = readFileSync(file, 'utf8');
      const result = scanOrThrow(text, 'python');
      names.compare(file, text, found.refs, result.references);
      // ast_oracle.py does not follow variables: keep the keys read on the call itself.
      const direct = (r: SecretReference): SecretReference => ({
        ...r,
        keys: r.keys.filter((k) => k.literal.span.start >= r.span.end && /^\s*(\[|\.\s*get\s*\()\s*$/.test(text.slice(r.span.end, k.literal.span.start))),
      });
      expect(result.references.map(direct).map(describeScanned), file).toEqual(found.refs.map(describeOracle));
      expect(result.writes.map(describeScanned), file).toEqual(found.writes.map(describeOracle));
      refs += found.refs.length;
    });
    console.log(`ast oracle, this repository: ${files.length} files, ${refs} references; ${names.summary()}`);
    expect(refs).toBeGreaterThan(30);
    expect({ missed: names.missed, extra: names.extra }).toEqual({ missed: [], extra: [] });
  }, 120_000);

  it("agrees with Python on the platform's keyword secret_name=, name= and reads with no name", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sv-ast-kw-'));
    try {
      const file = path.join(dir, 'keywords.py');
      writeFileSync(
        file,
        [
          "NAME_BY_ENV = {'live': 'x_prod_api', 'sandbox': 'x_uat_api'}",
          "NAME = 'x_prod_api' if LIVE else 'x_uat_api'",
          '',
          'def f(conv, **kw):',
          "    a = conv.utils.get_secret(secret_name='a')",
          "    b = conv.utils.get_secret(secret_name='b')['k']",
          "    c = conv.utils.get_secret(default=None, secret_name='c', **kw).get('k')",
          "    d = conv.utils.get_secret('d', secret_name='ignored')",
          "    e = conv.utils.get_secret(name='e', secret_name='ignored')",
          "    g = conv.utils.get_secret(secret_name='g', name='ignored')",
          '    h = conv.utils.get_secret(secret_name=NAME_BY_ENV[conv.env])',
          '    i = conv.utils.get_secret()',
          '    j = conv.utils.get_secret(default=None)',
          '    k = conv.utils.get_secret(**kw)',
          "    l = os.getenv(key='L', secret_name='not_env')",
          '    m = conv.utils.get_secret(secret_name=NAME)',
          '    return a, b, c, d, e, g, h, i, j, k, l, m',
          '',
        ].join('\n'),
      );
      const [line] = (await oracle([file])).split('\n');
      const found = JSON.parse(line!) as OracleFile;
      if ('skip' in found) throw new Error(`the oracle skipped the file: ${found.skip}`);
      const text = readFileSync(file, 'utf8');
      const result = scanOrThrow(text, 'python');
      expect(activeReferences(result, 'UPPER_CASE').map(describeScanned)).toEqual(found.refs.map(describeOracle));
      expect(found.refs.map((r) => r[1])).toEqual(['a', 'b', 'c', 'd', 'e', 'g', null, '', '', null, 'L', null]);
      const names = new NameSetTally();
      names.compare(file, text, found.refs, result.references);
      expect(names.oracleResolved).toBe(1);
      expect({ missed: names.missed, extra: names.extra, agreed: names.agreed }).toEqual({ missed: [], extra: [], agreed: 1 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  // Both sides follow these rules; where the oracle cannot say (a construction given the field by
  // position, a plain class's attribute with arguments), the scanner must leave the read unknown too.
  it('agrees with Python on rows at an index, containers at a key, instances and dataclasses', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sv-ast-rows-'));
    try {
      const sources: Record<string, string[]> = {
        'rows.py': [
          "ROWS = [(\"l\", [\"r1\", \"r2\"]), (\"m\", [\"r3\"])]",
          "CFG = {\"names\": [\"c1\", \"c2\"], \"other\": \"x\"}",
          "PAIRS = [[\"p1\", \"q1\"], [\"p2\", \"q2\"]]",
          "NAMED = ((\"crm_api\", \"CRM\"), (\"pay_api\", \"Payments\"))",
          "def f1(conv):",
          "    for row in ROWS:",
          "        for nm in row[1]:",
          "            conv.utils.get_secret(nm)",
          "def f2(conv):",
          "    for nm in CFG[\"names\"]:",
          "        conv.utils.get_secret(nm)",
          "def f3(conv):",
          "    for nm in PAIRS[-1]:",
          "        conv.utils.get_secret(nm)",
          "def f4(conv):",
          "    for row in NAMED:",
          "        conv.utils.get_secret(row[0])",
          "def f5(conv):",
          "    x = [conv.utils.get_secret(r[0]) for r in NAMED]",
          "def f6(conv):",
          "    for nm in CFG[\"missing\"]:",
          "        conv.utils.get_secret(nm)",
        ],
        'instances.py': [
          "from dataclasses import dataclass",
          "from typing import ClassVar",
          "import dataclasses",
          "",
          "class Session:",
          "    def __init__(self, secret_name, retries=3):",
          "        self.secret_name = secret_name",
          "",
          "def other():",
          "    return Session(\"pay_api\")",
          "",
          "def crm(conv):",
          "    session = Session(\"crm_api\")",
          "    return conv.utils.get_secret(session.secret_name)",
          "",
          "def crm2(conv):",
          "    session = Session(secret_name=\"crm2_api\")",
          "    return conv.utils.get_secret(session.secret_name)",
          "",
          "@dataclass(frozen=True)",
          "class Provider:",
          "    provider_key: str = \"prov_api\"",
          "    timeout: int = 10",
          "",
          "def p1(conv):",
          "    provider = Provider(timeout=5)",
          "    return conv.utils.get_secret(provider.provider_key)",
          "",
          "def p2(conv):",
          "    provider = Provider(provider_key=\"p2_api\")",
          "    return conv.utils.get_secret(provider.provider_key)",
          "",
          "def p3(conv):",
          "    provider = Provider(\"p3_api\")",
          "    return conv.utils.get_secret(provider.provider_key)",
          "",
          "@dataclass",
          "class Keyed:",
          "    KIND: ClassVar[str] = \"k\"",
          "    label: str",
          "    key_name: str = \"keyed_api\"",
          "",
          "def k1(conv):",
          "    keyed = Keyed(\"K\", \"k1_api\")",
          "    return conv.utils.get_secret(keyed.key_name)",
          "",
          "def k2(conv):",
          "    keyed = Keyed(\"K\")",
          "    return conv.utils.get_secret(keyed.key_name)",
          "",
          "@dataclass",
          "class Based(Keyed):",
          "    other: str = \"o\"",
          "",
          "def k3(conv):",
          "    based = Based(\"K\", \"k3_api\")",
          "    return conv.utils.get_secret(based.key_name)",
          "",
          "@dataclasses.dataclass",
          "class Named:",
          "    label: str",
          "    key_name: str",
          "",
          "def n1(conv):",
          "    named = Named(label=\"CRM\", key_name=\"n1_api\")",
          "    return conv.utils.get_secret(named.key_name)",
          "",
          "class Plain:",
          "    NAME = \"plain_api\"",
          "",
          "def q1(conv):",
          "    plain = Plain()",
          "    return conv.utils.get_secret(plain.NAME)",
          "",
          "def q2(conv):",
          "    plain = Plain(NAME=\"zz\")",
          "    return conv.utils.get_secret(plain.NAME)",
        ],
      };
      const files = Object.entries(sources).map(([name, lines]) => {
        const file = path.join(dir, name);
        writeFileSync(file, lines.join('\n') + '\n');
        return file;
      });
      const lines = (await oracle(files)).split('\n').filter((l) => l.length > 0);
      const names = new NameSetTally();
      let unknown = 0;
      files.forEach((file, i) => {
        const found = JSON.parse(lines[i]!) as OracleFile;
        if ('skip' in found) throw new Error(`the oracle skipped ${file}: ${found.skip}`);
        const text = readFileSync(file, 'utf8');
        const result = scanOrThrow(text, 'python');
        names.compare(file, text, found.refs, result.references);
        // What the oracle cannot say, the scanner does not claim either.
        for (const ref of found.refs) {
          if (ref[7] !== null) continue;
          unknown++;
          const scanned = result.references.find((r) => r.span.start === ref[4]);
          expect(scanned?.candidates, `${file}@${ref[4]}`).toBeUndefined();
        }
      });
      expect({ missed: names.missed, extra: names.extra, agreed: names.agreed }).toEqual({ missed: [], extra: [], agreed: 14 });
      expect(unknown).toBe(3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
