// The leak analysis's work on inputs shaped to make following calls cost more than linear work:
// a chain of helpers passing a secret on (the corpus's call-chain), thousands of calls to one
// logging helper (one-logger), and a chain of helpers that each log their argument and pass it on
// (each entry reaches every sink below it), and one helper of thousands of parameters, each call
// tainting another (each set of tainted parameters was a summary of its own). The work is counted (FlowState.work: tokens walked,
// calls followed, sinks reported through them, steps of paths walked to list a finding), never
// timed, with no budget to stop it: at four times the size it must be at most about four times as
// much (a square would be sixteen).

import { describe, expect, it } from 'vitest';
import { scanReferences } from '../../../server/src/service/frontEnds';
import { evalExpr } from '../../../server/src/service/leaks/evaluator';
import { JS_WALKER } from '../../../server/src/service/leaks/javascript';
import { PYTHON_WALKER } from '../../../server/src/service/leaks/python';
import { analyse } from '../../../server/src/service/leaks/queue';
import { FlowState } from '../../../server/src/service/leaks/state';
import type { PythonStructure } from '../../../server/src/service/python/pythonRefsState';
import { JsStructure } from '../../../server/src/service/javascript/jsStructure';
import { SHAPES, type CorpusLanguage } from './corpus';

/** How much more work four times the input may take: linear, with room for what does not grow with it. */
const GROWTH = 5;

function work(text: string, language: CorpusLanguage): { work: number; leaks: number; origins: number } {
  const { result, tokens, structure } = scanReferences(text, language);
  const js = structure instanceof JsStructure ? structure : null;
  const flow = new FlowState(text, tokens, js === null ? (structure as PythonStructure) : null, js, result.references, evalExpr, null);
  const leaks = analyse(flow, js === null ? PYTHON_WALKER : JS_WALKER);
  return { work: flow.work, leaks: leaks.length, origins: leaks.reduce((n, l) => n + l.origins.length, 0) };
}

/** Helpers that each log their argument and pass it to the one before, entered with a secret from every tenth. */
function loggingChain(language: CorpusLanguage, size: number): string {
  const python = language === 'python';
  const out = [python ? 'def step_0(x):\n    print(x)\n    return x\n\n' : 'function step_0(x) {\n  console.log(x);\n  return x;\n}\n\n'];
  let n = out[0]!.length;
  for (let i = 1; n < size; i++) {
    let s = python ? `def step_${i}(x):\n    print(x)\n    return step_${i - 1}(x)\n\n` : `function step_${i}(x) {\n  console.log(x);\n  return step_${i - 1}(x);\n}\n\n`;
    if (i % 10 === 0) s += python ? `def entry_${i}(conv):\n    step_${i}(conv.utils.get_secret('s${i}'))\n\n` : `function entry_${i}(conv) {\n  step_${i}(conv.utils.get_secret('s${i}'));\n}\n\n`;
    out.push(s);
    n += s.length;
  }
  return out.join('');
}

/** One helper of as many parameters as the file allows, each logged; a call per parameter passes a secret to it alone, by keyword. */
function manyParameters(language: CorpusLanguage, size: number): string {
  const python = language === 'python';
  // Each parameter takes about 60 characters: its name, its print and its call.
  const k = Math.max(1, Math.floor(size / 60));
  const params = Array.from({ length: k }, (_, i) => (python ? `a${i}=None` : `a${i} = null`)).join(', ');
  const body = Array.from({ length: k }, (_, i) => (python ? `    print(a${i})\n` : `  console.log(a${i});\n`)).join('');
  const calls = Array.from({ length: k }, (_, i) =>
    python ? `def use_${i}(conv):\n    wide(a${i}=conv.utils.get_secret('s${i}'))\n\n` : `function use_${i}(conv) {\n  wide(${'null, '.repeat(Math.min(i, 3))}conv.utils.get_secret('s${i}'));\n}\n\n`,
  ).join('');
  return python ? `def wide(${params}):\n${body}\n${calls}` : `function wide(${params}) {\n${body}}\n\n${calls}`;
}

const INPUTS: ReadonlyArray<{ name: string; make: (language: CorpusLanguage, size: number) => string }> = [
  SHAPES.find((s) => s.name === 'call-chain')!,
  SHAPES.find((s) => s.name === 'one-logger')!,
  { name: 'logging-chain', make: loggingChain },
  { name: 'many-parameters', make: manyParameters },
];

describe('the leak analysis does linear work on chains of calls', () => {
  for (const input of INPUTS) {
    for (const language of ['python', 'javascript'] as const) {
      it(`${input.name} (${language}): four times the size, at most ${GROWTH} times the work`, () => {
        const small = work(input.make(language, 32_768), language);
        const large = work(input.make(language, 131_072), language);
        // The analysis found what it follows: findings at both sizes, more at the larger.
        expect(small.leaks).toBeGreaterThan(0);
        expect(large.origins).toBeGreaterThan(small.origins);
        expect(large.work / small.work, `work ${small.work} at 32 KiB, ${large.work} at 128 KiB`).toBeLessThanOrEqual(GROWTH);
      });
    }
  }

  it('the logging chain reports each helper’s sink, for the calls into it from entries nearer than MAX_HITS sinks', () => {
    const text = loggingChain('python', 16_384);
    const { leaks } = work(text, 'python');
    // Every helper up to the last entry logs a secret passed to it: one finding at each one's print.
    const entries = text.split('def entry_').length - 1;
    expect(leaks).toBe(entries * 10 + 1);
  });
});
