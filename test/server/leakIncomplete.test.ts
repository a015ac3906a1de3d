// The leak analysis follows a secret into the document's own functions, within bounds: calls at
// most MAX_CALL_DEPTH deep, and work within the document's analysis budget. A call it does not
// follow although it may carry a secret is not silent: the scan says so (leaksUnfollowed) and the
// editor and `check` show `leak-check-incomplete` at the first such call, counting the others.
// Calls that carry nothing, and files followed all the way, say nothing.

import { TextDocument } from 'vscode-languageserver-textdocument';
import { describe, expect, it } from 'vitest';
import { DIAGNOSTIC_RULES } from '../../protocol/check';
import type { VaultSnapshot } from '../../protocol/lsp';
import { scanOrThrow } from '../../server/src/service/analyze';
import { computeDiagnostics } from '../../server/src/service/features/diagnostics';
import { MAX_CALL_DEPTH } from '../../server/src/service/leaks/follow';
import { VaultModel } from '../../server/src/service/model/model';
import { AnalysisBudget } from '../../server/src/service/scan/budget';

type Language = 'python' | 'javascript' | 'typescript';
const LANGUAGES: readonly Language[] = ['python', 'javascript', 'typescript'];
const py = (language: Language) => language === 'python';

const snapshot: VaultSnapshot = {
  revision: 1,
  connection: 'connected',
  namingStyle: 'snake_case',
  role: 'admin',
  secrets: [{ name: 'api_token', description: '', kind: 'single', keys: [], agents: ['a'] }],
  agents: [{ id: 'a', name: 'A' }],
  folders: [],
  defaultAgent: 'a',
  stale: null,
};

function scanned(text: string, language: Language) {
  const result = scanOrThrow(text, language, undefined, new AnalysisBudget(text.length));
  const doc = TextDocument.create(`file:///agent/functions/f.${py(language) ? 'py' : language === 'javascript' ? 'js' : 'ts'}`, language, 1, text);
  const diagnostics = computeDiagnostics(doc, result, VaultModel.fromSnapshot(snapshot));
  return { result, doc, diagnostics, incomplete: diagnostics.filter((d) => d.code === 'leak-check-incomplete') };
}

/**
 * `entries` functions calling the last of `depth` helpers with `argument`, then the helpers, each
 * passing its argument to the one before, the first logging it. The entries come first, so the
 * analysis meets the chain from its top (the queue walks functions in the order they are found).
 */
function chain(language: Language, depth: number, argument: string, entries = 1): string {
  const lines: string[] = [];
  if (py(language)) {
    for (let e = 0; e < entries; e++) lines.push(`def entry_${e}(conv):\n    hop_${depth - 1}(${argument})\n`);
    lines.push('def hop_0(value):\n    print(value)\n');
    for (let i = 1; i < depth; i++) lines.push(`def hop_${i}(value):\n    hop_${i - 1}(value)\n`);
  } else {
    const type = language === 'typescript' ? ': string' : '';
    for (let e = 0; e < entries; e++) lines.push(`function entry_${e}(conv${language === 'typescript' ? ': any' : ''}) {\n  hop_${depth - 1}(${argument});\n}\n`);
    lines.push(`function hop_0(value${type}) {\n  console.log(value);\n}\n`);
    for (let i = 1; i < depth; i++) lines.push(`function hop_${i}(value${type}) {\n  hop_${i - 1}(value);\n}\n`);
  }
  return lines.join('\n');
}

/** A class whose send() logs n attributes, and n methods that each set one of them to a secret and call send(). */
function attributeVariants(language: Language, n: number): string {
  const lines: string[] = [];
  if (py(language)) {
    lines.push('class Client:', '    def send(self):');
    for (let i = 0; i < n; i++) lines.push(`        print(self.a_${i})`);
    for (let i = 0; i < n; i++) lines.push('', `    def m_${i}(self, conv):`, `        self.a_${i} = ${SECRET}`, '        self.send()');
  } else {
    const any = language === 'typescript' ? ': any' : '';
    lines.push('class Client {', '  send() {');
    for (let i = 0; i < n; i++) lines.push(`    console.log(this.a_${i});`);
    lines.push('  }');
    for (let i = 0; i < n; i++) lines.push('', `  m_${i}(conv${any}) {`, `    this.a_${i} = ${SECRET};`, '    this.send();', '  }');
    lines.push('}');
  }
  return `${lines.join('\n')}\n`;
}

const SECRET = "conv.utils.get_secret('api_token')";

describe('leak-check-incomplete', () => {
  for (const language of LANGUAGES) {
    it(`${language}: a chain of helpers within the depth is followed to its log, and says nothing more`, () => {
      const { result, incomplete } = scanned(chain(language, MAX_CALL_DEPTH, SECRET), language);
      expect(result.leaks).toHaveLength(1);
      expect(result.leaksUnfollowed).toBeUndefined();
      expect(incomplete).toEqual([]);
    });

    it(`${language}: a chain deeper than the analysis follows is reported as unchecked, at the call that carries the secret`, () => {
      const text = chain(language, MAX_CALL_DEPTH + 4, SECRET, 3);
      const { result, doc, incomplete } = scanned(text, language);
      // The log at the chain's end is past the depth: not found, and not silently so.
      expect(result.leaks).toEqual([]);
      expect(result.leaksUnfollowed).toMatchObject({ callee: `hop_${MAX_CALL_DEPTH + 3}`, calls: 3, reason: 'depth' });
      expect(incomplete).toHaveLength(1);
      const first = text.indexOf(`hop_${MAX_CALL_DEPTH + 3}(conv`);
      expect(doc.offsetAt(incomplete[0]!.range.start)).toBe(first);
      expect(doc.getText(incomplete[0]!.range)).toBe(`hop_${MAX_CALL_DEPTH + 3}(${SECRET})`);
      expect(incomplete[0]!.severity).toBe(3); // Information: nothing is known to leak
      expect(incomplete[0]!.message).toBe(
        `The leak check did not follow this call into \`hop_${MAX_CALL_DEPTH + 3}\` (and 2 other calls in this file), which may carry a secret: calls nest more than ${MAX_CALL_DEPTH} deep here and the check follows none deeper. A secret's value passed through it to a log, the output or an error message is not reported. Smaller functions, or fewer levels of calls, let the check follow it.`,
      );
    });

    it(`${language}: the same deep chain defined before its callers is followed to its log (its helpers are summarised from the bottom as the queue meets them)`, () => {
      const text = chain(language, MAX_CALL_DEPTH + 4, SECRET, 0) + chain(language, 0, SECRET, 1).replace(/hop_-1/g, `hop_${MAX_CALL_DEPTH + 3}`);
      const { result, incomplete } = scanned(text, language);
      expect(result.leaks).toHaveLength(1);
      expect(result.leaksUnfollowed).toBeUndefined();
      expect(incomplete).toEqual([]);
    });

    it(`${language}: the same deep chain given no secret says nothing`, () => {
      const { result, incomplete } = scanned(chain(language, MAX_CALL_DEPTH + 4, "'hello'") + (py(language) ? `\ntoken = ${SECRET}\n` : `\nconst token = ${SECRET};\n`), language);
      expect(result.references).toHaveLength(1);
      expect(result.leaksUnfollowed).toBeUndefined();
      expect(incomplete).toEqual([]);
    });

    it(`${language}: a method summarised anew for each set of attributes its callers set takes the budget, and says its calls went unfollowed`, () => {
      // Each of n methods sets one attribute of `self` to a secret and calls send(), which logs
      // every attribute: send() is summarised once per set of tainted attributes (n times its
      // size: quadratic), so a large n spends the file's budget.
      const large = scanned(attributeVariants(language, 1_500), language);
      expect(large.result.leaksUnfollowed).toMatchObject({ callee: py(language) ? 'self.send' : 'this.send', reason: 'budget' });
      expect(large.result.leaksUnfollowed!.calls).toBeGreaterThan(1_000);
      // What was followed before the budget ran out is still reported.
      expect(large.result.leaks.length).toBeGreaterThan(0);
      expect(large.result.leaks.length).toBeLessThan(1_500);
      expect(large.incomplete).toHaveLength(1);
      expect(large.incomplete[0]!.message).toContain("the analysis of one file is bounded by the file's size and following this file's calls used all of it");
      const small = scanned(attributeVariants(language, 3), language);
      expect(small.result.leaks).toHaveLength(3);
      expect(small.result.leaksUnfollowed).toBeUndefined();
      expect(small.incomplete).toEqual([]);
    });
  }

  it('a call inside a function followed from the document counts at that call, once', () => {
    // entry → relay (followed) → the deep chain (cut): the notice is at entry's call of relay.
    const deep = chain('python', MAX_CALL_DEPTH + 2, 'value', 0);
    const text = `def entry(conv):\n    relay(${SECRET})\n\ndef other(conv):\n    relay(${SECRET})\n\ndef relay(value):\n    hop_${MAX_CALL_DEPTH + 1}(value)\n\n${deep}`;
    const { result, doc, incomplete } = scanned(text, 'python');
    expect(result.leaksUnfollowed).toMatchObject({ callee: 'relay', calls: 2, reason: 'depth' });
    expect(doc.getText(incomplete[0]!.range)).toBe(`relay(${SECRET})`);
  });

  it("the rule's help states the depth the analysis follows", () => {
    expect(DIAGNOSTIC_RULES['leak-check-incomplete'].help).toContain(`at most ${MAX_CALL_DEPTH} deep`);
    expect(DIAGNOSTIC_RULES['leak-check-incomplete'].severity).toBe('info');
  });
});
