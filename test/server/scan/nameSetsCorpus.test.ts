// The resolution patterns of nameSetsCorpusCases.ts through the scanner, as the language server runs
// it: the one computed read of each case must resolve to exactly the expected names, in order,
// with their literals, environments and the other tests that choose them; the unknown variants
// must stay unknown and name the part that is.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { scanOrThrow } from '../../../server/src/service/analyze';
import { pythonModuleNames } from '../../../server/src/service/python/nameSets';
import { jsModuleNames } from '../../../server/src/service/javascript/jsNameSets';
import { ENVIRONMENTS, type ImportLookup, type ModuleNames, type NameCandidate, type SecretReference, type Span } from '../../../server/src/service/scan/types';
import { JS_CASES, JS_UNRESOLVED, PYTHON_CASES, PYTHON_UNRESOLVED, type CorpusCase, type WantCandidate } from './nameSetsCorpusCases';

const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();

function spanOf(text: string, written: string): Span {
  const start = text.indexOf(written);
  if (start < 0) throw new Error(`${JSON.stringify(written)} is not in ${JSON.stringify(text)}`);
  return { start, end: start + written.length };
}

/** The case's other modules as the session supplies them: by the module as written, undefined for any other. */
function lookupFor(c: CorpusCase): ImportLookup {
  return (module) => {
    const m = c.modules?.[module];
    if (!m) return undefined;
    const names: ModuleNames = new Map(
      Object.entries(m.names).map(([name, candidates]) => [
        name,
        candidates.map((x): NameCandidate => ({ name: x.name, literal: spanOf(m.text, x.literal), uri: m.uri, when: [], environments: x.environments === null ? null : [...x.environments] })),
      ]),
    );
    return names;
  };
}

/** Environments in promotion order, then any other the file tests, by name. */
function ordered(envs: readonly string[] | null): string[] | null {
  if (envs === null) return null;
  const rank = (e: string) => {
    const i = (ENVIRONMENTS as readonly string[]).indexOf(e);
    return i < 0 ? ENVIRONMENTS.length : i;
  };
  return [...envs].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/** A test of the environment: left out of the `when` comparison, which is about the other tests. */
const onEnvironment = (text: string) => /\bconv\s*\.\s*env\b/.test(text);

/** The one read of the case whose name is not a literal. */
function computedRead(c: CorpusCase, imports: ImportLookup | undefined): { read: SecretReference; text: string } {
  const result = scanOrThrow(c.source, c.language, imports);
  const computed = result.references.filter((r) => r.name === null);
  expect(computed.length, `${c.title}: computed reads`).toBe(1);
  return { read: computed[0]!, text: c.source };
}

function accepted(literal: WantCandidate['literal']): readonly string[] {
  return typeof literal === 'string' ? [literal] : literal;
}

/** What the scanner said, in the shape of the expectation (a literal among the accepted ones is written as expected). */
function view(c: CorpusCase, want: WantCandidate[], got: NameCandidate[]): unknown[] {
  return got.map((g, i) => {
    const w = want.find((x) => x.name === g.name) ?? want[i];
    const moduleText = g.uri === undefined ? c.source : Object.values(c.modules ?? {}).find((m) => m.uri === g.uri)?.text;
    const written = moduleText === undefined ? `<in unknown ${g.uri}>` : moduleText.slice(g.literal.start, g.literal.end);
    const module = g.uri === undefined ? undefined : Object.entries(c.modules ?? {}).find(([, m]) => m.uri === g.uri)?.[0] ?? `<unknown ${g.uri}>`;
    const out: Record<string, unknown> = {
      name: g.name,
      literal: w !== undefined && accepted(w.literal).includes(written) ? w.literal : written,
      environments: ordered(g.environments),
    };
    if (w?.when !== undefined) {
      out['when'] = g.when
        .filter((t) => !onEnvironment(t.text))
        .map((t) => {
          const atSpan = collapse(c.source.slice(t.span.start, t.span.end));
          return atSpan === t.text ? [t.text, t.holds] : [t.text, t.holds, `span holds ${JSON.stringify(atSpan)}`];
        });
    }
    if (module !== undefined) out['module'] = module;
    return out;
  });
}

function expected(want: WantCandidate[]): unknown[] {
  return want.map((w) => {
    const out: Record<string, unknown> = { name: w.name, literal: w.literal, environments: ordered(w.environments) };
    if (w.when !== undefined) out['when'] = w.when.map(([text, holds]) => [text, holds]);
    if (w.module !== undefined) out['module'] = w.module;
    return out;
  });
}

function check(c: CorpusCase): void {
  const { read } = computedRead(c, lookupFor(c));
  if (c.keys !== undefined) expect(read.keys.map((k) => k.key), `${c.title}: keys`).toEqual(c.keys);
  if (c.open !== undefined) expect(read.open !== undefined, `${c.title}: open to other callers`).toBe(c.open);
  if (Array.isArray(c.want)) {
    expect(read.unresolved, `${c.title}: unresolved`).toBeUndefined();
    expect(view(c, c.want, read.candidates ?? []), c.title).toEqual(expected(c.want));
  } else {
    expect(read.candidates, `${c.title}: candidates`).toBeUndefined();
    const part = read.unresolved;
    expect(part, `${c.title}: the unresolved part`).toBeDefined();
    expect(c.want.unresolved, `${c.title}: the unresolved part`).toContain(part!.text);
    expect(collapse(c.source.slice(part!.span.start, part!.span.end)), `${c.title}: the unresolved part's span`).toBe(part!.text);
  }
}

describe('name sets: the corpus of resolution patterns', () => {
  it('is written in valid Python', () => {
    const sources = [...PYTHON_CASES, ...PYTHON_UNRESOLVED].map((c) => c.source);
    const run = spawnSync('python3', ['-c', 'import ast, json, sys\nfor s in json.load(sys.stdin): ast.parse(s)'], { input: JSON.stringify(sources), encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it("agrees with Python's ast (ast_oracle.py) wherever the oracle can compute the set", () => {
    // Imports are left out: the oracle knows no other module.
    const cases = [...PYTHON_CASES, ...PYTHON_UNRESOLVED].filter((c) => c.modules === undefined);
    const dir = mkdtempSync(path.join(tmpdir(), 'name-sets-corpus-'));
    try {
      const files = cases.map((c, i) => {
        const file = path.join(dir, `case${i}.py`);
        writeFileSync(file, c.source);
        return file;
      });
      const oracle = path.join(path.dirname(fileURLToPath(import.meta.url)), 'ast_oracle.py');
      const run = spawnSync('python3', [oracle], { input: files.join('\n') + '\n', encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
      const lines = run.stdout.split('\n').filter((l) => l.length > 0);
      let computed = 0;
      const disagree: string[] = [];
      cases.forEach((c, i) => {
        const found = JSON.parse(lines[i]!) as { refs: Array<[string, string | null, ...unknown[]]> };
        const names = found.refs.filter((r) => r[1] === null).map((r) => r[7] as string[] | null | 'dynamic');
        expect(names.length, c.title).toBe(1);
        const oracleSays = names[0];
        if (oracleSays === null || oracleSays === undefined) return;
        computed++;
        const want = Array.isArray(c.want) ? [...new Set(c.want.map((w) => w.name))].sort() : 'dynamic';
        // The oracle's 'dynamic' is certain; a case the corpus leaves unknown may be unknown for other reasons.
        if (JSON.stringify(oracleSays) !== JSON.stringify(want)) disagree.push(`${c.title}: the oracle ${JSON.stringify(oracleSays)}, the corpus ${JSON.stringify(want)}`);
      });
      expect(disagree).toEqual([]);
      expect(computed).toBeGreaterThan(10);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('Python: each rule resolves to the expected names', () => {
    for (const c of PYTHON_CASES) it(c.title, () => check(c));
  });

  describe('Python: what cannot be known stays a dynamic name, naming the part', () => {
    for (const c of PYTHON_UNRESOLVED) it(c.title, () => check(c));
  });

  it('Python: without the project lookup an imported name stays unknown and is named', () => {
    for (const c of PYTHON_CASES.filter((x) => x.modules !== undefined)) {
      const { read } = computedRead(c, undefined);
      expect(read.candidates, c.title).toBeUndefined();
      const imported = /import\s+([\w.]+)(?:\s+as\s+(\w+))?/.exec(c.source)!;
      // The name, or for a module imported whole the attribute read (`config.SECRET_NAME`), or the
      // look-up or call of it (`SECRETS[conv.env]`, `stripe_name(conv)`); a star import's name as read.
      if (/import \*/.test(c.source)) expect(read.unresolved?.text, c.title).toMatch(/^\w+$/);
      else expect([imported[1], imported[2]], c.title).toContain(read.unresolved?.text.split(/[.[(]/)[0]);
    }
  });

  it("Python: an imported name resolves the same when the lookup reads the module's own text", () => {
    for (const c of PYTHON_CASES.filter((x) => x.modules !== undefined)) {
      // What the session supplies: each module's names as the resolver finds them in its text, with its uri.
      const fromText: ImportLookup = (module) => {
        const m = c.modules?.[module];
        if (!m) return undefined;
        return new Map([...pythonModuleNames(m.text)].map(([name, candidates]) => [name, candidates.map((x) => ({ ...x, uri: m.uri }))]));
      };
      const { read } = computedRead(c, fromText);
      expect(read.unresolved, c.title).toBeUndefined();
      expect(view(c, c.want as WantCandidate[], read.candidates ?? []), c.title).toEqual(expected(c.want as WantCandidate[]));
    }
  });

  it("JavaScript / TypeScript: an imported name resolves the same when the lookup reads the module's own text", () => {
    const cases = JS_CASES.filter((x) => x.modules !== undefined);
    expect(cases.length).toBeGreaterThan(0);
    for (const c of cases) {
      const fromText: ImportLookup = (module) => {
        const m = c.modules?.[module];
        if (!m) return undefined;
        return new Map([...jsModuleNames(m.text, m.uri.endsWith('.ts'))].map(([name, candidates]) => [name, candidates.map((x) => ({ ...x, uri: m.uri }))]));
      };
      const { read } = computedRead(c, fromText);
      expect(read.unresolved, c.title).toBeUndefined();
      expect(view(c, c.want as WantCandidate[], read.candidates ?? []), c.title).toEqual(expected(c.want as WantCandidate[]));
    }
  });

  describe('JavaScript and TypeScript: process.env[…] resolves to the expected names', () => {
    for (const c of JS_CASES) it(c.title, () => check(c));
  });

  describe('JavaScript and TypeScript: what cannot be known stays a dynamic name, naming the part', () => {
    for (const c of JS_UNRESOLVED) it(c.title, () => check(c));
  });
});
