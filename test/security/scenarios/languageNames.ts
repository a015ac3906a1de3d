// Names in the language service: secret names are printable text, and names reach
// code. A vault name crafted to break out of the string it is completed into (a quote and a
// statement after it, a JS `${…}` placeholder, f-string braces, a trailing backslash) must be
// written so that the literal closes where it did and reads exactly the name: no statement, call
// or placeholder appears, in any Python or JS literal kind, through completion and the did-you-mean
// fix. A bidirectional control or a line break written into a name in the code is invalid-name,
// shown as an escape in every message, hover and `check` output; a name shaped like a workflow
// command or a path stays one finding's inert text in `check --format github|text`.

import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CompletionList, Range, TextEdit } from 'vscode-languageserver-types';
import '../../../server/src/nodeHmac';
import type { SecretInfo } from '../../../protocol/lsp';
import { escapeInLiteral, quotingOf } from '../../../protocol/nameLiterals';
import { codeActions } from '../../../server/src/service/features/codeActions';
import { complete } from '../../../server/src/service/features/completion';
import { computeDiagnostics } from '../../../server/src/service/features/diagnostics';
import { hover } from '../../../server/src/service/features/hover';
import { VaultModel } from '../../../server/src/service/model/model';
import { languageOfId } from '../../../server/src/service/scan/references';
import { scan } from '../../../server/src/service/analyze';
import { BOOKING, snapshot } from '../../server/vaultFixture';
import { tally } from '../helpers/ledger';
import { runCli } from '../../check/helpers';

const S = 'language-service names';
const ROOT = path.resolve(__dirname, '../../..');

/** Names that try to end the literal and run code, open a placeholder, or swallow the closing quote. */
const BREAKOUTS = [
  "x'); import os; os.system('id'); ('",
  'x"); process.exit(1); ("',
  '${process.exit(1)}',
  '`+process.exit(1)+`',
  "{__import__('os').system('id')}",
  "'''; import os; '''",
  'ends with \\',
  '\\\'); os.system(\'id\'); #',
];

const FORMS: { languageId: 'python' | 'javascript'; open: string; close: string }[] = [
  { languageId: 'python', open: "'", close: "'" },
  { languageId: 'python', open: '"', close: '"' },
  { languageId: 'python', open: "'''", close: "'''" },
  { languageId: 'python', open: 'f"', close: '"' },
  { languageId: 'python', open: "r'", close: "'" },
  { languageId: 'javascript', open: "'", close: "'" },
  { languageId: 'javascript', open: '"', close: '"' },
  { languageId: 'javascript', open: '`', close: '`' },
];

/** Bidirectional controls and line breaks that would reorder or split a message. */
const HOSTILE_CHARS = ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u2028', '\u200f'];
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

function guarded(check: () => Promise<void> | void): () => Promise<void> {
  return async () => {
    try {
      await check();
    } catch (e) {
      tally(S, 1, 1);
      throw e;
    }
  };
}

function docOf(text: string, languageId: string) {
  const doc = TextDocument.create(`${BOOKING}/functions/main.${languageId === 'python' ? 'py' : 'js'}`, languageId, 1, text);
  return { doc, result: scan(text, languageOfId(languageId)!) };
}

function apply(doc: TextDocument, edit: TextEdit): string {
  const text = doc.getText();
  return text.slice(0, doc.offsetAt(edit.range.start)) + edit.newText + text.slice(doc.offsetAt(edit.range.end));
}

/** What the edited document holds: exactly one read, of exactly `name`, with the code after it untouched. */
function readsExactly(text: string, languageId: string, name: string, after: string): string | undefined {
  const refs = docOf(text, languageId).result.references;
  if (refs.length !== 1 || refs[0]!.name !== name) return `reads ${JSON.stringify(refs.map((r) => r.name))}`;
  if (!refs[0]!.literal.closed) return 'literal left open';
  if (text.slice(refs[0]!.literal.span.end) !== after) return `code after the literal changed: ${JSON.stringify(text.slice(refs[0]!.literal.span.end))}`;
  return undefined;
}

export function registerLanguageNames(): void {
  describe(S, () => {
    const secrets: SecretInfo[] = BREAKOUTS.map((name) => ({ name, description: '', kind: 'single', keys: [], agents: ['booking-agent'] }));
    const model = VaultModel.fromSnapshot(snapshot({ secrets }));
    let work: string;
    beforeAll(() => {
      work = mkdtempSync(path.join(tmpdir(), 'sv-sec-language-names-'));
    });
    afterAll(() => {
      rmSync(work, { recursive: true, force: true });
    });

    it('completion cannot break out of the literal: in every literal kind the item reads back exactly the name, or is not offered', guarded(() => {
      let cases = 0;
      const failures: string[] = [];
      for (const form of FORMS) {
        const quoting = quotingOf(form.open, form.languageId === 'python')!;
        for (const shared of [true, false]) {
          const before = `x = conv.utils.get_secret(${form.open}`;
          const after = `${form.close})\ny = 1\n`;
          const { doc, result } = docOf(before + after, form.languageId);
          const list = complete(doc, result, model, before.length, { editRangeDefault: shared, dataDefault: shared }) as CompletionList;
          for (const name of BREAKOUTS) {
            cases++;
            const item = list.items.find((i) => i.label === name);
            const writable = escapeInLiteral(name, quoting) !== undefined;
            if (!item) {
              if (writable) failures.push(`${form.open}${name}: not offered`);
              continue;
            }
            if (!writable) {
              failures.push(`${form.open}${name}: offered where no literal of this kind can hold it`);
              continue;
            }
            const edit = (item.textEdit as TextEdit | undefined) ?? { range: list.itemDefaults!.editRange as Range, newText: item.label };
            const problem = readsExactly(apply(doc, edit), form.languageId, name, `)\ny = 1\n`);
            if (problem) failures.push(`${form.open}${name} (${shared ? 'shared' : 'own'} edit): ${problem}`);
          }
        }
      }
      tally(S, cases, failures.length, 'names breaking out of literals: completion, did-you-mean, bidi names, check outputs');
      expect(failures).toEqual([]);
    }));

    it('the did-you-mean fix cannot break out either: a case/spacing variant gets the name escaped for its literal', guarded(() => {
      let cases = 0;
      const failures: string[] = [];
      for (const form of FORMS) {
        const quoting = quotingOf(form.open, form.languageId === 'python')!;
        for (const name of BREAKOUTS) {
          const variant = escapeInLiteral(name.toUpperCase(), quoting);
          if (variant === undefined || name.toUpperCase() === name) continue;
          cases++;
          const text = `conv.utils.get_secret(${form.open}${variant}${form.close})\n`;
          const { doc, result } = docOf(text, form.languageId);
          const edits = codeActions(doc, result, model, computeDiagnostics(doc, result, model)).flatMap((a) => a.edit?.changes?.[doc.uri] ?? []);
          if (escapeInLiteral(name, quoting) === undefined) {
            if (edits.length > 0) failures.push(`${form.open}${name}: a fix where the literal cannot hold the name`);
            continue;
          }
          const problem = edits.length === 0 ? 'no fix' : readsExactly(apply(doc, edits[0]!), form.languageId, name, ')\n');
          if (problem) failures.push(`${form.open}${name}: ${problem}`);
        }
      }
      tally(S, cases, failures.length);
      expect(failures).toEqual([]);
    }));

    it('a bidirectional control or line separator in a name in the code: invalid-name, shown as an escape in messages and hovers', guarded(() => {
      let cases = 0;
      const failures: string[] = [];
      for (const c of HOSTILE_CHARS) {
        cases++;
        const text = `conv.utils.get_secret('admin${c}key')\n`;
        const { doc, result } = docOf(text, 'python');
        const diagnostics = computeDiagnostics(doc, result, model);
        const shown = hover(doc, result, model, text.indexOf('admin') + 1);
        // What a person sees: the messages and the hover (a diagnostic's data is for code actions, never shown).
        const out = [...diagnostics.map((d) => d.message), JSON.stringify(shown?.contents ?? '')].join('\n');
        if (diagnostics.map((d) => d.code).join() !== 'invalid-name') failures.push(`U+${c.codePointAt(0)!.toString(16)}: ${diagnostics.map((d) => d.code).join()}`);
        else if (RAW_CONTROL.test(out)) failures.push(`U+${c.codePointAt(0)!.toString(16)}: raw in a message or hover`);
      }
      tally(S, cases, failures.length);
      expect(failures).toEqual([]);
    }));

    it('check: names shaped like workflow commands, paths or bidi text stay inert in text and GitHub output', guarded(async () => {
      await promisify(execFile)(process.execPath, ['scripts/build.mjs'], { cwd: ROOT });
      const names = ['::error title=pwned::gotcha', '::add-mask::x', '../../etc/passwd', '100%0A::warning::x', 'a,b=c::d'];
      const hostile = HOSTILE_CHARS.map((c) => `admin${c}key`);
      writeFileSync(
        path.join(work, 'snapshot.json'),
        JSON.stringify({ version: 1, generatedAt: '2026-11-22T08:00:00.000Z', vault: 'http://127.0.0.1:8787', namingStyle: 'snake_case', agent: 'booking-agent', secrets: names.map((name) => ({ name, description: '', kind: 'single', keys: [], agents: [] })), agents: [{ id: 'booking-agent', name: 'Booking agent' }] }),
      );
      const lines = [...names, ...hostile].map((n) => `conv.utils.get_secret(${JSON.stringify(n)})`);
      writeFileSync(path.join(work, 'main.py'), `${lines.join('\n')}\n`);
      const failures: string[] = [];
      const text = await runCli(['check', '--snapshot', 'snapshot.json', 'main.py'], { cwd: work });
      const github = await runCli(['check', '--snapshot', 'snapshot.json', '--format', 'github', 'main.py'], { cwd: work });
      if (RAW_CONTROL.test(text.out) || RAW_CONTROL.test(github.out)) failures.push('a raw control character in the output');
      if (text.out.split('\n').some((l) => /^\s*(::|##\[)/.test(l))) failures.push('a text line starts a workflow command');
      const commands = github.out.split('\n').filter((l) => l.startsWith('::'));
      // One command per read: names × (naming-convention + not-granted), the hostile ones invalid-name.
      const wanted = names.length * 2 + hostile.length;
      if (commands.length !== wanted) failures.push(`${commands.length} workflow commands, ${wanted} findings`);
      for (const l of commands) if (!/^::(error|warning|notice) file=main\.py,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=secrets-vault [a-z-]+::/.test(l)) failures.push(`forged: ${l}`);
      tally(S, wanted + 2, failures.length);
      expect(failures).toEqual([]);
    }));
  });
}
