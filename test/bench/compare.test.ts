// bench/compare.mjs: `npm run bench -- --compare` reads each benchmark's last ratio line and judges
// it against bench/baseline.json by the benchmark's own spread and direction.

import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module of the bench tooling, without types
import { QUICK, parseRatio, summarize, worseBy } from '../../bench/compare.mjs';

describe('bench --compare', () => {
  it('reads the last ratio line of each benchmark’s real output shapes', () => {
    expect(parseRatio('rounds…\nadversarial: worst ratio 4.84, python many reads (target <= 5)\n')).toEqual({ name: 'adversarial', ratio: 4.84 });
    expect(parseRatio("against tree-sitter's parse + query: ratio 30.1\nanalysis: ratio 11.2 against tree-sitter's parse alone (target >= 10)")).toEqual({ name: 'analysis', ratio: 11.2 });
    expect(parseRatio('check: ratio 9.25\n')).toEqual({ name: 'check', ratio: 9.25 });
    expect(parseRatio('target: ratio <= 1.5: 61.39 FAIL\neditor: ratio 61.39 (target <= 1.5)')).toEqual({ name: 'editor', ratio: 61.39 });
    expect(parseRatio('vault-read: ratio 0.49 (target >= 0.5)')).toEqual({ name: 'vault-read', ratio: 0.49 });
    expect(parseRatio('no ratio here')).toBeUndefined();
  });

  it('calls a ratio worse only in its benchmark’s direction', () => {
    expect(worseBy(0.4, 0.5, 'higher')).toBeCloseTo(0.2);
    expect(worseBy(0.6, 0.5, 'higher')).toBe(0);
    expect(worseBy(12, 10, 'lower')).toBeCloseTo(0.2);
    expect(worseBy(8, 10, 'lower')).toBe(0);
  });

  it('summarizes runs as their median and spread', () => {
    expect(summarize([10, 12, 11])).toEqual({ median: 11, spread: 2 / 11 });
    expect(summarize([4, 6])).toEqual({ median: 5, spread: 0.4 });
  });

  it('knows the direction of every benchmark in bench/', async () => {
    const { readdirSync } = await import('node:fs');
    const benches = readdirSync('bench').filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3));
    expect(Object.keys(QUICK).sort()).toEqual(benches.sort());
  });
});
