// Generated secret names and agent ids as real accounts have them, for the property
// tests of every surface a name travels through: the typed client's URLs, the CLI, the Python shim.
// Built from pieces that break naive code (path and query characters, quotes, escapes, workflow
// commands, markup, wide and right-to-left text, combining marks) and kept to what the contract
// accepts (protocol/names.ts isAnyName), so that every generated name is one the vault must serve.

import fc from 'fast-check';
import { AGENT_ID_PATTERN, MAX_NAME_LENGTH, isAnyName, nameLength, nameTwinOf } from '../../protocol/names';

/** Pieces a name is made of; each is valid inside a name (some not at either end: those are trimmed). */
export const NAME_PIECES = [
  ' ', "'", '"', '\\', '%', '%2F', '%00', '%%', '#', '?', '/', '//', '.', '..', '../', '+', '&', '=', ';', ':', '::', '::error::', '@', '$(', '`',
  '<b>', '</script>', '&amp;', '{', '}', '[', ']', '*', '~', '!', ',', '|', '\u00a0', 'e\u0301', 'a\u0308\u0323', '😀', '🔑', '日本語', 'Ｐｒｏｄ',
  'שלום', 'مرحبا', 'Ελληνικά', 'Prod', 'API', 'Credentials', 'x', '_', '-', '0', '9',
] as const;

/** Names every run tries (fast-check's `examples` would only cover the first property). */
export const TRICKY_NAMES = [
  'Prod API Credentials',
  '..',
  '.',
  '../access',
  'a/b',
  '/',
  '%2F',
  '%',
  '?agent=x',
  '#frag',
  "it's",
  'say "hi"',
  'back\\slash',
  '::error file=x::pwned',
  '<img src=x onerror=alert(1)>',
  '😀 key',
  'שלום עולם',
  'cafe\u0301',
  'a+b c',
  'x'.repeat(MAX_NAME_LENGTH),
  '🔑'.repeat(MAX_NAME_LENGTH),
];
for (const n of TRICKY_NAMES) if (!isAnyName(n)) throw new Error(`TRICKY_NAMES holds an invalid name: ${JSON.stringify(n)}`);

/** Cuts `s` to at most `max` code points (never in the middle of a surrogate pair). */
function cut(s: string, max: number): string {
  return Array.from(s).slice(0, max).join('');
}

/** A valid secret name of a `get_secret` account (any case, any script, punctuation, up to 128 code points). */
export const secretNameArb: fc.Arbitrary<string> = fc
  .oneof(
    { weight: 1, arbitrary: fc.constantFrom(...TRICKY_NAMES) },
    {
      weight: 6,
      arbitrary: fc
        .array(fc.oneof(fc.constantFrom(...NAME_PIECES), fc.string({ minLength: 1, maxLength: 4 })), { minLength: 1, maxLength: 12 })
        .map((parts) => parts.join('')),
    },
    // A long one: a piece repeated up to the limit, so that 128-code-point names (and 512-byte paths) occur.
    { weight: 1, arbitrary: fc.constantFrom(...NAME_PIECES).map((p) => cut(`N${p.repeat(MAX_NAME_LENGTH)}`, MAX_NAME_LENGTH)) },
  )
  .map((s) => cut(s.trim(), MAX_NAME_LENGTH).trim())
  .filter((s) => isAnyName(s) && nameLength(s) <= MAX_NAME_LENGTH);

/** A valid agent id: Agent Studio project ids and ids like booking-agent, any case. */
export const agentIdArb: fc.Arbitrary<string> = fc.oneof(
  fc.stringMatching(new RegExp(AGENT_ID_PATTERN)),
  fc.stringMatching(/^[A-Z0-9]{8}$/).map((s) => `PROJECT-${s}`),
);

/** Names that are distinct to a person too (no two twins, isNameTwin), so that creating them all never meets a 409. */
export function distinctByFold(names: readonly string[]): string[] {
  const kept: string[] = [];
  for (const n of names) if (nameTwinOf(n, kept) === undefined) kept.push(n);
  return kept;
}
