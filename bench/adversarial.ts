// How long the analysis takes on the adversarial corpus (test/server/adversarial/corpus.ts: huge
// tables, many reads of one table, deep nesting, long concatenation chains, long lines, literals
// built for the credential detector), against an ordinary file of agent functions of the same size
// measured in the same run. One budget per document, linear in its size (server/src/service/scan/
// budget.ts), is what keeps each within a fixed multiple of the ordinary file: for each shape and
// language this prints time(adversarial) / time(ordinary), target <= 5; the last line is the worst.
// The tests (test/server/adversarial/budget.test.ts) assert the step counts; only this measures time.
// Like bench/analysis.ts it runs under exactly the language server's V8 flags.

import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { SERVER_V8_FLAGS } from '../protocol/lsp';
import { scan } from '../server/src/service/analyze';
import { SHAPES, ordinaryFile, type CorpusLanguage } from '../test/server/adversarial/corpus';

const SIZE = 256 * 1024;
const LANGUAGES: readonly CorpusLanguage[] = ['python', 'javascript'];
const WARMUP = 4;
const SAMPLES = 7;
const TARGET = 5;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

function main(): void {
  const flags = [...SERVER_V8_FLAGS, '--expose-gc'];
  if (process.execArgv.length !== flags.length || !flags.every((f) => process.execArgv.includes(f))) {
    const run = spawnSync(process.execPath, [...flags, process.argv[1]!], { stdio: 'inherit' });
    process.exit(run.status ?? 1);
  }
  console.log(`V8 flags: ${SERVER_V8_FLAGS.join(' ')} (the language server's); files of ${SIZE / 1024} KiB; median of ${SAMPLES}, the two sides alternating`);
  let worst = 0;
  let worstName = '';
  for (const language of LANGUAGES) {
    const ordinary = ordinaryFile(language, SIZE);
    for (const shape of SHAPES) {
      const text = shape.make(language, SIZE);
      // The ordinary file is made at the adversarial one's size (some shapes overshoot theirs).
      const same = text.length === ordinary.length ? ordinary : ordinaryFile(language, text.length);
      for (let i = 0; i < WARMUP; i++) {
        scan(same, language);
        scan(text, language);
      }
      const ours: number[] = [];
      const base: number[] = [];
      for (let i = 0; i < SAMPLES; i++) {
        let t = performance.now();
        scan(same, language);
        base.push(performance.now() - t);
        t = performance.now();
        scan(text, language);
        ours.push(performance.now() - t);
      }
      const ratio = median(ours) / median(base);
      if (ratio > worst) {
        worst = ratio;
        worstName = `${shape.name} (${language})`;
      }
      console.log(
        `${`${shape.name} (${language})`.padEnd(34)} ${(text.length / 1024).toFixed(0).padStart(4)} KiB: ${fmt(median(ours)).padStart(10)} vs ordinary ${fmt(median(base)).padStart(9)}: ratio ${ratio.toFixed(2)}${ratio > TARGET ? '  (over target)' : ''}`,
      );
    }
  }
  console.log(`adversarial: worst ratio ${worst.toFixed(2)}, ${worstName} (target <= ${TARGET})`);
}

main();
