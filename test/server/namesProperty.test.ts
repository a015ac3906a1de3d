// Names as real accounts have them, generated, through the pure language service:
// completion writes a name into every kind of literal so that the document still lexes with the
// literal closed where it was and the scanner reads back exactly the vault's name; a granted name
// draws no problem, a name off the convention only naming-convention (information); a variant in
// case, spacing or `_`/`-`/space gets the vault's name as the first quick fix, escaped for its
// literal. Bounded runs with a fixed seed (FC_SEED overrides it).

import '../../server/src/nodeHmac';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DiagnosticSeverity, type CompletionList, type Range, type TextEdit } from 'vscode-languageserver-types';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { SecretInfo } from '../../protocol/lsp';
import { escapeInLiteral, quotingOf } from '../../protocol/nameLiterals';
import { followsConvention, isAnyName, nameLooseFold } from '../../protocol/names';
import { codeActions } from '../../server/src/service/features/codeActions';
import { complete } from '../../server/src/service/features/completion';
import { credentialIn } from '../../server/src/service/credentials';
import { computeDiagnostics } from '../../server/src/service/features/diagnostics';
import { VaultModel } from '../../server/src/service/model/model';
import { languageOfId } from '../../server/src/service/scan/references';
import { scan } from '../../server/src/service/analyze';
import { BOOKING, snapshot } from './vaultFixture';

const SEED = Number(process.env.FC_SEED ?? 3303);
const RUNS = 60;

/** Pieces real names are made of, and the characters that break naive quoting. */
const PIECES = [
  'Prod', 'API', 'credentials', 'key', 'Bob', 'client_id', '2fa', 'v2',
  ' ', ' ', '_', '-', "'", '"', '\\', '`', '$', '{', '}', '${', '%', '#', '?', '/', '..', '+', ':', '::', ',', '=',
  '🔑', 'é', 'e\u0301', 'שלום', 'مرحبا', '予約', 'Ｐrod',
];

/** A name some get_secret account may hold, not a credential (those are hardcoded-secret). */
const nameArb = fc
  .array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 8 })
  .map((parts) => parts.join('').trim())
  .chain((name) => fc.constantFrom(name, `${name}${'x'.repeat(Math.max(0, 128 - [...name].length))}`))
  .filter((name) => isAnyName(name) && credentialIn(name) === null);

const vaultArb = fc.uniqueArray(nameArb, { minLength: 1, maxLength: 6, selector: nameLooseFold });

function modelOf(names: readonly string[]): VaultModel {
  const secrets: SecretInfo[] = names.map((name) => ({ name, description: '', kind: 'single', keys: [], agents: ['booking-agent'] }));
  return VaultModel.fromSnapshot(snapshot({ secrets }));
}

interface Form {
  languageId: 'python' | 'javascript';
  /** The literal's opening and closing. */
  open: string;
  close: string;
}

const FORMS: Form[] = [
  { languageId: 'python', open: "'", close: "'" },
  { languageId: 'python', open: '"', close: '"' },
  { languageId: 'python', open: "'''", close: "'''" },
  { languageId: 'python', open: 'f"', close: '"' },
  { languageId: 'python', open: "r'", close: "'" },
  { languageId: 'javascript', open: "'", close: "'" },
  { languageId: 'javascript', open: '"', close: '"' },
  { languageId: 'javascript', open: '`', close: '`' },
];

function docOf(text: string, languageId: string) {
  const uri = `${BOOKING}/functions/main.${languageId === 'python' ? 'py' : 'js'}`;
  const doc = TextDocument.create(uri, languageId, 1, text);
  return { doc, result: scan(text, languageOfId(languageId)!) };
}

/** The item's edit as the editor applies it. */
function editOf(list: CompletionList, label: string): TextEdit | undefined {
  const item = list.items.find((i) => i.label === label);
  if (!item) return undefined;
  const own = item.textEdit as TextEdit | undefined;
  return own ?? { range: list.itemDefaults!.editRange as Range, newText: item.label };
}

function apply(doc: TextDocument, edit: TextEdit): string {
  const text = doc.getText();
  return text.slice(0, doc.offsetAt(edit.range.start)) + edit.newText + text.slice(doc.offsetAt(edit.range.end));
}

/** Cuts at a code point that does not split an escape (`$` before `{` in a template). */
function typedPrefix(name: string, k: number): string {
  const points = [...name];
  let cut = Math.min(k, points.length);
  while (cut > 0 && points[cut - 1] === '$') cut--;
  return points.slice(0, cut).join('');
}

describe('generated names through the language service', () => {
  it('completion round trip: in every literal, typed or not, the accepted item reads back exactly the name, the literal closed where it was', () => {
    fc.assert(
      fc.property(vaultArb, fc.nat(6), fc.boolean(), (names, k, shared) => {
        const model = modelOf(names);
        for (const form of FORMS) {
          const quoting = quotingOf(form.open, form.languageId === 'python')!;
          for (const name of names) {
            const written = escapeInLiteral(name, quoting);
            const typed = escapeInLiteral(typedPrefix(name, k), quoting) ?? '';
            const before = `x = conv.utils.get_secret(${form.open}${typed}`;
            const after = `${form.close})\ny = 1\n`;
            const { doc, result } = docOf(before + after, form.languageId);
            const list = complete(doc, result, model, before.length, { editRangeDefault: shared, dataDefault: shared });
            expect(list, `${form.open}${name}`).not.toBeNull();
            const edit = editOf(list!, name);
            if (written === undefined) {
              // A literal that cannot hold the name (a raw string and its quote or a backslash) does not offer it.
              expect(edit, `${form.open}${name}`).toBeUndefined();
              continue;
            }
            expect(edit, `${form.open}${name}`).toBeDefined();
            // The editor filters by the text typed in the range: the item's filter text must start with it.
            const item = list!.items.find((i) => i.label === name)!;
            expect((item.filterText ?? item.label).startsWith(typed), `${form.open}${name} typed ${typed}`).toBe(true);
            const text = apply(doc, edit!);
            expect(text).toBe(`x = conv.utils.get_secret(${form.open}${written}${after}`);
            const again = docOf(text, form.languageId).result.references;
            expect(again.map((r) => r.name), text).toEqual([name]);
            expect(again[0]!.literal.closed).toBe(true);
            expect(text.slice(again[0]!.literal.span.end)).toBe(`)\ny = 1\n`);
          }
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('completion in a literal the editor did not close, and with nothing typed: the item closes it', () => {
    fc.assert(
      fc.property(vaultArb, (names) => {
        const model = modelOf(names);
        for (const languageId of ['python', 'javascript'] as const) {
          for (const before of ['x = conv.utils.get_secret(', "x = conv.utils.get_secret('", 'x = conv.utils.get_secret("']) {
            const { doc, result } = docOf(`${before}\ny = 1\n`, languageId);
            const list = complete(doc, result, model, before.length, { editRangeDefault: true, dataDefault: true });
            for (const name of names) {
              const text = apply(doc, editOf(list!, name)!);
              const refs = docOf(text, languageId).result.references;
              expect(refs.map((r) => r.name), text).toEqual([name]);
              expect(refs[0]!.literal.closed, text).toBe(true);
              expect(text.endsWith(')\ny = 1\n'), text).toBe(true);
            }
          }
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('diagnostics: a granted name draws nothing, or only naming-convention (information) when off the convention', () => {
    fc.assert(
      fc.property(vaultArb, (names) => {
        const model = modelOf(names);
        for (const form of FORMS) {
          const quoting = quotingOf(form.open, form.languageId === 'python')!;
          const writable = names.filter((n) => escapeInLiteral(n, quoting) !== undefined);
          const text = writable.map((n) => `conv.utils.get_secret(${form.open}${escapeInLiteral(n, quoting)}${form.close})\n`).join('');
          const { doc, result } = docOf(text, form.languageId);
          const found = computeDiagnostics(doc, result, model);
          const expected = writable.filter((n) => !followsConvention(n, 'snake_case'));
          expect(found.map((d) => [d.code, d.severity]), text).toEqual(expected.map(() => ['naming-convention', DiagnosticSeverity.Information]));
          for (const [i, d] of found.entries()) {
            // On the literal's content, naming the name.
            expect(doc.getText(d.range)).toBe(escapeInLiteral(expected[i]!, quoting));
          }
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('quick fix: a variant in case, spacing or _/-/space gets the vault’s name first, escaped for its literal', () => {
    const variantOf = (name: string, how: number): string => {
      const swapped = [...name].map((c, i) => ((i + how) % 2 === 0 ? c.toUpperCase() : c.toLowerCase())).join('');
      const spaced = how % 3 === 0 ? swapped.replace(/ /g, '_') : how % 3 === 1 ? swapped.replace(/[_-]/g, ' ') : swapped.replace(/ /g, '-');
      return spaced.replace(/^[\s_-]+|[\s_-]+$/gu, '') || spaced;
    };
    fc.assert(
      fc.property(vaultArb, fc.nat(5), (names, how) => {
        const model = modelOf(names);
        for (const name of names) {
          const variant = variantOf(name, how);
          if (variant === name || !isAnyName(variant) || model.secret(variant) || credentialIn(variant) !== null) continue;
          if (nameLooseFold(variant) !== nameLooseFold(name)) continue;
          for (const form of FORMS) {
            const quoting = quotingOf(form.open, form.languageId === 'python')!;
            const typo = escapeInLiteral(variant, quoting);
            if (typo === undefined) continue;
            const { doc, result } = docOf(`conv.utils.get_secret(${form.open}${typo}${form.close})\n`, form.languageId);
            const diagnostics = computeDiagnostics(doc, result, model);
            expect(diagnostics.map((d) => d.code), variant).toContain('unknown-secret');
            const edits = codeActions(doc, result, model, diagnostics).flatMap((a) => a.edit?.changes?.[doc.uri] ?? []);
            const written = escapeInLiteral(name, quoting);
            if (written === undefined) {
              expect(edits).toEqual([]);
              continue;
            }
            expect(edits[0]?.newText, `${variant} → ${name}`).toBe(written);
            const fixed = apply(doc, edits[0]!);
            expect(docOf(fixed, form.languageId).result.references.map((r) => r.name)).toEqual([name]);
          }
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });
});
