// The scanner against tree-sitter: on a seeded random corpus of valid Python, JavaScript and
// TypeScript, the scanner must find exactly the references the tree-sitter oracle finds.

import { beforeAll, describe, expect, it } from 'vitest';
import { scanOrThrow } from '../../../server/src/service/analyze';
import type { ScanLanguage, SecretReference } from '../../../server/src/service/scan/types';
import { jsFile, prng, pythonFile } from './corpus';
import { createOracle, type Oracle } from './oracle';

let oracle: Oracle;

beforeAll(async () => {
  oracle = await createOracle();
});

/** A readable line per reference, with the source text of each span, for diffs that make sense. */
function describeRefs(text: string, refs: SecretReference[]): string[] {
  const at = (s: { start: number; end: number }) => `${s.start}-${s.end} ${JSON.stringify(text.slice(s.start, s.end))}`;
  return refs.map((r) => {
    const keys = r.keys.map((k) => `${k.via}:${JSON.stringify(k.key)}@${at(k.literal.span)}|${at(k.literal.contentSpan)}|${k.literal.closed}`);
    return `${r.form} ${JSON.stringify(r.name)} lit=${at(r.literal.span)} content=${at(r.literal.contentSpan)} closed=${r.literal.closed} span=${at(r.span)} keys=[${keys.join(', ')}]`;
  });
}

function compare(files: string[], language: ScanLanguage): { lines: number; refs: number; keys: number; writes: number } {
  let lines = 0;
  let refs = 0;
  let keys = 0;
  let writes = 0;
  for (const text of files) {
    const scanned = scanOrThrow(text, language);
    const resolved = new Set(scanned.references.filter((r) => r.candidates !== undefined).map((r) => r.span.start));
    const expected = oracle.analyze(text, language, resolved);
    if (expected.hasError) {
      const at = expected.errorAt;
      expect.fail(`tree-sitter found a syntax error in a generated ${language} file at ${at}:\n${text.slice(Math.max(0, at - 200), at)}⚠${text.slice(at, at + 200)}`);
    }
    const actual = scanned.references;
    // Writes (assigned or deleted environment variables) are listed apart from the reads.
    const want = [...describeRefs(text, expected.references), '-- writes --', ...describeRefs(text, expected.writes)];
    const got = [...describeRefs(text, actual), '-- writes --', ...describeRefs(text, scanned.writes)];
    if (want.join('\n') !== got.join('\n')) {
      // Show the first difference with its surroundings, then fail on the whole list.
      const i = want.findIndex((w, k) => w !== got[k]);
      const ref = [...expected.references, ...expected.writes][i] ?? [...actual, ...scanned.writes][i];
      const pos = ref ? ref.span.start : 0;
      console.log(`first difference at #${i}:\n  oracle:  ${want[i]}\n  scanner: ${got[i]}\n--- context ---\n${text.slice(Math.max(0, pos - 300), pos + 300)}`);
    }
    expect(got).toEqual(want);
    lines += text.split('\n').length;
    refs += actual.length;
    writes += scanned.writes.length;
    keys += actual.reduce((n, r) => n + r.keys.length, 0);
  }
  return { lines, refs, keys, writes };
}

describe('scanner vs tree-sitter oracle', () => {
  it('finds the same references in a random Python corpus', () => {
    const rand = prng(0x5ec7e7);
    // Some files with CRLF line ends, some indented with tabs.
    const files = Array.from({ length: 40 }, (_, i) => {
      const text = pythonFile(rand, 12);
      if (i % 4 === 1) return text.replace(/\n/g, '\r\n');
      if (i % 4 === 2) return text.replace(/^(?: {4})+/gm, (m) => '\t'.repeat(m.length / 4));
      return text;
    });
    const { lines, refs, keys, writes } = compare(files, 'python');
    console.log(`python corpus: ${files.length} files, ${lines} lines, ${refs} references, ${keys} key reads, ${writes} writes`);
    expect(writes).toBeGreaterThan(20);
    expect(lines).toBeGreaterThan(5000);
    expect(refs).toBeGreaterThan(1000);
  });

  it('finds the same references in a random JavaScript corpus', () => {
    const rand = prng(0x1a5);
    const files = Array.from({ length: 30 }, (_, i) => (i % 3 === 1 ? jsFile(rand, 12, false).replace(/\n/g, '\r\n') : jsFile(rand, 12, false)));
    const { lines, refs, writes } = compare(files, 'javascript');
    console.log(`javascript corpus: ${files.length} files, ${lines} lines, ${refs} references, ${writes} writes`);
    expect(writes).toBeGreaterThan(5);
    expect(lines).toBeGreaterThan(3000);
    expect(refs).toBeGreaterThan(500);
  });

  it('finds the same references in a random TypeScript corpus', () => {
    const rand = prng(0x75);
    const files = Array.from({ length: 30 }, () => jsFile(rand, 12, true));
    const { lines, refs, writes } = compare(files, 'typescript');
    console.log(`typescript corpus: ${files.length} files, ${lines} lines, ${refs} references, ${writes} writes`);
    expect(writes).toBeGreaterThan(5);
    expect(lines).toBeGreaterThan(3000);
    expect(refs).toBeGreaterThan(500);
  });
});
