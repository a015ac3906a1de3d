import { describe, expect, it } from 'vitest';
import { redactTrace } from '../../client/src/core/traceText';

const KEY = 'sk_live_51PASTEDKEYINTOTHECODE';

/** A trace line as vscode-jsonrpc writes it (verbose: JSON.stringify(params, null, 4); compact: no spaces). */
function traced(method: string, params: unknown, verbose = true, direction = 'Sending'): string {
  return `${direction} notification '${method}'.\nParams: ${verbose ? JSON.stringify(params, null, 4) : JSON.stringify(params)}`;
}

describe('language server trace', () => {
  it('never writes the text of an opened or changed document, only its length', () => {
    const text = `STRIPE = "${KEY}"\nprint("say \\"hi\\"")\n`;
    const open = traced('textDocument/didOpen', { textDocument: { uri: 'file:///w/a.py', languageId: 'python', version: 1, text } });
    const change = traced('textDocument/didChange', { textDocument: { uri: 'file:///w/a.py', version: 2 }, contentChanges: [{ range: {}, text: KEY }, { text }] }, false);
    for (const line of [open, change]) {
      const out = redactTrace(line);
      expect(out).not.toContain(KEY);
      expect(out).not.toContain('say');
      expect(out).toContain("'textDocument/");
      expect(out).toContain('file:///w/a.py');
    }
    expect(redactTrace(open)).toContain(`"text": "<${JSON.stringify(text).length - 2} characters of document text, not traced>"`);
  });

  it('leaves every other message as it was', () => {
    for (const line of [
      traced('secretsVault/delta', { changes: [{ kind: 'secret', secret: { name: 'x', text: 'not a document' } }] }),
      "Received response 'textDocument/hover - (4)' in 2ms.\nResult: {\"contents\": \"**x**\"}",
      "Sending request 'textDocument/completion - (5)'.",
    ]) {
      expect(redactTrace(line)).toBe(line);
    }
  });
});
