// The analysis's one budget per document (server/src/service/scan/budget.ts) on the adversarial
// corpus: every shape, in Python, JavaScript and TypeScript, at two sizes, takes at most a fixed
// multiple of its size in steps; the reported attack (get_secret(T[conv.env]) over a 37,000-key
// table, read 100 times) leaves its reads unresolved as too large to follow, and says so. What
// these steps cost in time, against an ordinary file of the same size, is bench/adversarial.ts's to
// print: no test here measures time.

import { TextDocument } from 'vscode-languageserver-textdocument';
import { describe, expect, it } from 'vitest';
import type { VaultSnapshot } from '../../../protocol/lsp';
import { scanOrThrow } from '../../../server/src/service/analyze';
import { computeDiagnostics } from '../../../server/src/service/features/diagnostics';
import { VaultModel } from '../../../server/src/service/model/model';
import { AnalysisBudget, AnalysisDeadline, BASE_STEPS, LINEAR_PASSES, STEPS_PER_CHAR } from '../../../server/src/service/scan/budget';
import { SHAPES, ordinaryFile, tableAttack, type CorpusLanguage } from './corpus';

const LANGUAGES: readonly CorpusLanguage[] = ['python', 'javascript', 'typescript'];

/** The most steps a document of `size` characters may take: the budget, and the linear passes' tokens (at most one per character each). */
const bound = (size: number) => BASE_STEPS + (STEPS_PER_CHAR + LINEAR_PASSES) * size;

function analyse(text: string, language: CorpusLanguage) {
  const budget = new AnalysisBudget(text.length);
  const result = scanOrThrow(text, language, undefined, budget);
  return { result, budget };
}

const attack = tableAttack;

const snapshot: VaultSnapshot = {
  revision: 1,
  connection: 'connected',
  namingStyle: 'snake_case',
  role: 'admin',
  secrets: [{ name: 'secret_1', description: '', kind: 'single', keys: [], agents: ['a'] }],
  agents: [{ id: 'a', name: 'A' }],
  folders: [],
  defaultAgent: 'a',
  stale: null,
};

describe('the analysis budget on the adversarial corpus', () => {
  for (const shape of SHAPES) {
    for (const language of LANGUAGES) {
      it(`${shape.name} (${language}): steps stay within a fixed multiple of the size`, () => {
        for (const size of [32_768, 131_072]) {
          const text = shape.make(language, size);
          const { budget } = analyse(text, language);
          expect(budget.spent, `${shape.name} at ${text.length} characters`).toBeLessThanOrEqual(bound(text.length));
          expect(budget.linear).toBeLessThanOrEqual(LINEAR_PASSES * text.length);
        }
      });
    }
  }

  it('an ordinary file of agent functions resolves its conv.env reads well within the budget', () => {
    for (const language of LANGUAGES) {
      const text = ordinaryFile(language, 65_536);
      const { result, budget } = analyse(text, language);
      const computed = result.references.filter((r) => r.name === null);
      expect(computed.length).toBeGreaterThan(3);
      expect(computed.every((r) => r.candidates?.length === 2)).toBe(true);
      expect(budget.spent - budget.linear).toBeLessThan(budget.limit / 2);
    }
  });
});

describe('calls followed by the leak analysis', () => {
  for (const language of LANGUAGES) {
    it(`${language}: a chain of thousands of calls, and thousands of calls to one logging helper, are each followed within the budget`, () => {
      const chain = SHAPES.find((s) => s.name === 'call-chain')!.make(language, 131_072);
      const followed = analyse(chain, language);
      // Every entry's secret comes back from the chain to its log: each step's summary is computed once, and reused.
      const entries = chain.split('entry_').length - 1;
      expect(followed.result.leaks).toHaveLength(entries);
      expect(followed.budget.spent).toBeLessThanOrEqual(bound(chain.length));
      const logger = SHAPES.find((s) => s.name === 'one-logger')!.make(language, 131_072);
      const logged = analyse(logger, language);
      // One finding at the helper's sink, an origin per function that calls it.
      expect(logged.result.leaks).toHaveLength(1);
      expect(logged.result.leaks[0]!.origins.length).toBe(logged.result.references.length);
      expect(logged.budget.spent).toBeLessThanOrEqual(bound(logger.length));
    });
  }
});

describe('the reported attack: a 37,000-key table read by conv.env 100 times', () => {
  for (const language of ['python', 'javascript'] as const) {
    it(`${language}: every read is unresolved as too large to follow, within the file's budget`, () => {
      const text = attack(language, 37_000, 100);
      const { result, budget } = analyse(text, language);
      expect(result.references).toHaveLength(100);
      for (const ref of result.references) {
        expect(ref.candidates).toBeUndefined();
        expect(ref.unresolved).toMatchObject({ text: 'T[conv.env]', tooLarge: true });
      }
      expect(budget.spent).toBeLessThanOrEqual(bound(text.length));
      // The diagnostic says why, and names the expression.
      const doc = TextDocument.create(`file:///attack.${language === 'python' ? 'py' : 'js'}`, language, 1, text);
      const dynamic = computeDiagnostics(doc, result, VaultModel.fromSnapshot(snapshot)).filter((d) => d.code === 'dynamic-name');
      expect(dynamic).toHaveLength(100);
      expect(dynamic[0]!.message).toContain('`T[conv.env]`, which is too large to follow');
    });
  }

  it('the same table with a few keys still resolves every read (the budget takes nothing from an ordinary one)', () => {
    for (const language of ['python', 'javascript'] as const) {
      const { result } = analyse(attack(language, 3, 100), language);
      expect(result.references.map((r) => r.candidates?.map((c) => c.name))).toEqual(Array(100).fill(['secret_0', 'secret_1', 'secret_2']));
      expect(result.references[0]!.candidates!.map((c) => c.environments)).toEqual([['env0'], ['env1'], ['env2']]);
    }
  });

  it('a table read many times is read once: the reads after the first cost what the first did', () => {
    const one = analyse(attack('python', 40, 1), 'python').budget;
    const many = analyse(attack('python', 40, 101), 'python').budget;
    const perRead = (many.spent - many.linear - (one.spent - one.linear)) / 100;
    // The first read also reads the table literal (its tokens); each later one walks its entries.
    expect(perRead).toBeLessThan(one.spent - one.linear);
  });
});

describe('reads that repeat one another', () => {
  it('a concatenation longer than a read may walk is charged the walk at every read, and the budget runs out', () => {
    const text = SHAPES.find((s) => s.name === 'long-concatenation')!.make('python', 256 * 1024);
    const { result, budget } = analyse(text, 'python');
    const reads = result.references.filter((r) => r.unresolved?.text.startsWith('name'));
    expect(reads).toHaveLength(100);
    expect(reads.every((r) => r.unresolved!.tooLarge)).toBe(true);
    // Each read walks the expression's top level until its share is spent, and is charged all of it:
    // the shape's work is the whole budget, not the few steps before each walk.
    expect(budget.spent - budget.linear).toBeGreaterThan(budget.limit / 2);
  });

  const nested = (depth: number, reads: number) => {
    const lines = [`name = ${Array.from({ length: depth }, (_, i) => `('n_${i}' if conv.env == 'e_${i}' else `).join('')}'last'${')'.repeat(depth)}`, ''];
    for (let i = 0; i < reads; i++) lines.push(`def f${i}(conv):`, '    return conv.utils.get_secret(name)', '');
    return lines.join('\n');
  };

  it('a name whose value fails: every read says where, and each after the first costs what the first did', () => {
    const one = analyse(nested(40, 1), 'python');
    const many = analyse(nested(40, 41), 'python');
    const parts = many.result.references.map((r) => r.unresolved?.text);
    expect(parts).toEqual(Array(41).fill(one.result.references[0]!.unresolved!.text));
    expect(parts[0]).toMatch(/^'n_\d+'/);
    const perRead = (many.budget.spent - many.budget.linear - (one.budget.spent - one.budget.linear)) / 40;
    expect(perRead).toBeGreaterThan(0);
    expect(perRead).toBeLessThanOrEqual(one.budget.spent - one.budget.linear);
  });

  it('a name whose value resolves: every read gets the same candidates, in their environments', () => {
    const { result } = analyse(nested(3, 50), 'python');
    const names = ['n_0', 'n_1', 'n_2', 'last'];
    for (const r of result.references) {
      expect(r.candidates?.map((c) => c.name)).toEqual(names);
      expect(r.candidates?.map((c) => c.environments)).toEqual([['e_0'], ['e_1'], ['e_2'], ['sandbox', 'pre-release', 'live']]);
    }
  });
});

describe('the deadline', () => {
  it('stops an analysis past it with AnalysisDeadline, which scan lets through', () => {
    const text = attack('python', 2_000, 200);
    // A deadline already passed: the first look at the clock stops the analysis.
    const budget = new AnalysisBudget(text.length, { deadlineMs: -1 });
    expect(() => scanOrThrow(text, 'python', undefined, budget)).toThrow(AnalysisDeadline);
  });
});
