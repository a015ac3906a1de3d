// Documents shaped to make a scan quadratic: nested lambdas and arrow functions, thousands of uses
// of a secret beside thousands of lambdas. The scanner runs on every keystroke, so each must stay
// linear. Each case here took longer than the test timeout before its walk was made linear (the
// sizes are chosen so: 33 s, 56 s, minutes); now each takes well under a second. The results are
// checked too: being fast must not mean finding less.

import { describe, expect, it } from 'vitest';
import { scanOrThrow } from '../../../server/src/service/analyze';

describe('the scanner on adversarial shapes', () => {
  it('nested lambdas: each finds its enclosing group and its body without a walk of its own', () => {
    const result = scanOrThrow(`x = ${'lambda: '.repeat(50_000)}1\n`, 'python');
    expect(result.references).toEqual([]);
    expect(result.leaks).toEqual([]);
  });

  it('a secret printed 50,000 lambdas deep is still followed there', () => {
    const text = `def f(conv):\n    s = conv.utils.get_secret('a')\n    g = ${'lambda: '.repeat(50_000)}print(s)\n`;
    const result = scanOrThrow(text, 'python');
    expect(result.references.map((r) => r.name)).toEqual(['a']);
    expect(result.leaks).toHaveLength(1);
    expect(result.leaks[0]!.sink).toBe('print');
  });

  it('thousands of key reads beside thousands of lambdas: each read is checked against them at once', () => {
    const reads = 35_000;
    const text = `def f(conv):\n    s = conv.utils.get_secret('a')\n    g = ${'lambda x: '.repeat(35_000)}1\n${"    print(s['k'])\n".repeat(reads)}`;
    const result = scanOrThrow(text, 'python');
    expect(result.references).toHaveLength(1);
    expect(result.references[0]!.keys).toHaveLength(reads);
    expect(result.leaks).toHaveLength(reads);
  });

  it('a lambda parameter still shadows the secret inside its own body only', () => {
    const text = `def f(conv):\n    s = conv.utils.get_secret('a')\n    g = (${"lambda s: s['x'], ".repeat(2_000)})\n    print(s['k'])\n`;
    const result = scanOrThrow(text, 'python');
    expect(result.references[0]!.keys.map((k) => k.key)).toEqual(['k']);
  });

  it('nested arrow functions: a secret logged 50,000 arrows deep is found', () => {
    const text = `function f() {\n  const s = process.env.API_KEY;\n  const g = ${'() => '.repeat(50_000)}console.log(s);\n}\n`;
    const result = scanOrThrow(text, 'javascript');
    expect(result.leaks).toHaveLength(1);
  });
});
