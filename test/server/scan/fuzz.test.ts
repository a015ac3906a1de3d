// Whatever the input, the scanner must not throw and must return spans inside the text. The fuzz
// calls scanOrThrow, the variant without the safety net, so that no internal error hides.

import { describe, expect, it } from 'vitest';
import { scanOrThrow } from '../../../server/src/service/analyze';
import type { ScanLanguage, SecretReference, Span } from '../../../server/src/service/scan/types';
import { jsFile, prng, pythonFile, type Rand } from './corpus';

const LANGUAGES: ScanLanguage[] = ['python', 'javascript', 'typescript'];

/** Characters that steer lexers into their corners. */
const ALPHABET = [
  ...'\'"`#/\\*{}()[]$.,:;=!?+-<>@ \t\n\r\n0123456789abcfrtuxNUBRF_é😀',
  'get_secret(',
  '.get_secret(',
  'process.env.',
  'os.environ[',
  'os.getenv(',
  'from m import get_secret as gs\n',
  'creds = ',
  "creds['",
  '.get(',
  "f'{",
  '"""',
  "'''",
  '${',
  '/*',
  '*/',
  '//',
  'def f():\n    ',
  'lambda ',
  'for x in ',
  ' as ',
  ':=',
  '\\\n',
];

function garbage(rand: Rand, length: number): string {
  let out = '';
  while (out.length < length) out += ALPHABET[Math.floor(rand() * ALPHABET.length)];
  return out;
}

/** Invariants of a scan result; returns a description of the first broken one, or null. */
function problem(text: string, refs: SecretReference[]): string | null {
  const bad = (span: Span) => !(span.start >= 0 && span.end >= span.start && span.end <= text.length);
  for (let i = 1; i < refs.length; i++) {
    if (refs[i]!.span.start < refs[i - 1]!.span.start) return `references out of document order at #${i}`;
  }
  for (const r of refs) {
    if (bad(r.span) || bad(r.literal.span) || bad(r.literal.contentSpan)) return `span outside the text: ${JSON.stringify(r)}`;
    if (r.literal.span.start < r.span.start || r.literal.span.end > r.span.end) return `literal outside its reference: ${JSON.stringify(r)}`;
    if (r.name !== r.literal.value) return `name is not the literal's value: ${JSON.stringify(r)}`;
    for (const k of r.keys) {
      if (bad(k.literal.span) || bad(k.literal.contentSpan)) return `key span outside the text: ${JSON.stringify(k)}`;
      if (k.key !== k.literal.value) return `key is not the literal's value: ${JSON.stringify(k)}`;
    }
  }
  return null;
}

/** Scans without the safety net and checks the invariants (one expect per failure, not per span). */
function check(text: string, language: ScanLanguage): void {
  const found = problem(text, scanOrThrow(text, language).references);
  if (found !== null) expect.fail(`${language} ${JSON.stringify(text)}: ${found}`);
}

describe('scanner robustness', () => {
  it('never throws on random garbage, and keeps every span inside the text', () => {
    const rand = prng(0xf022);
    for (let i = 0; i < 1500; i++) {
      const text = garbage(rand, Math.floor(rand() * 400));
      for (const language of LANGUAGES) check(text, language);
    }
  });

  it('never throws on real code cut or damaged at random points (half-typed code)', () => {
    const rand = prng(0xc0de);
    const sources: Array<[string, ScanLanguage]> = [
      [pythonFile(rand, 6), 'python'],
      [jsFile(rand, 6, false), 'javascript'],
      [jsFile(rand, 6, true), 'typescript'],
    ];
    for (const [source, language] of sources) {
      for (let i = 0; i < 300; i++) {
        const cut = Math.floor(rand() * source.length);
        const damaged = rand() < 0.5 ? source.slice(0, cut) : source.slice(0, cut) + garbage(rand, 3) + source.slice(cut + Math.floor(rand() * 5));
        check(damaged, language);
      }
    }
  });

  it('scans degenerate inputs', () => {
    const inputs = ['', '\n', '(', ')', ']]]', '}}}', "'", '"""', '`', '${', '/', '\\', '#', '\r\r', 'f"{', "f'{x:{", 'get_secret(', '.get_secret(', 'process.env', 'process.env.', 'os.environ[', '(' .repeat(5000), '{'.repeat(5000) + '}'.repeat(4000)];
    for (const text of inputs) for (const language of LANGUAGES) check(text, language);
  });
});
