import { randomBytes } from 'node:crypto';
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

  it('never writes diagnostic messages, code-action titles or suggested names, in any message that carries them', () => {
    // Credentials of several kinds, as a document could have put them where a name goes.
    const header = Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url');
    const credentials = [
      `ghp_${randomBytes(22).toString('base64url').replace(/[-_]/g, 'x').slice(0, 36)}`,
      `a${randomBytes(20).toString('hex')}`,
      `AKIA${randomBytes(10).toString('hex').toUpperCase().slice(0, 16)}`,
      `${header}.${randomBytes(24).toString('base64url')}.${randomBytes(32).toString('base64url')}`,
      `${KEY}\"quoted\"`,
    ];
    for (const cred of credentials) {
      const diagnostic = {
        range: { start: { line: 0, character: 1 }, end: { line: 0, character: 9 } },
        severity: 1,
        code: 'unknown-secret',
        source: 'secrets-vault',
        message: `Secret '${cred}' does not exist in the vault.`,
        relatedInformation: [{ location: { uri: 'file:///w/a.py', range: {} }, message: `read secret '${cred}'` }],
      };
      const action = { title: `Create secret '${cred}'…`, kind: 'quickfix', command: { title: `Create secret '${cred}'…`, command: 'secretsVault.moveToVault', arguments: [{ suggestedName: cred.toLowerCase() }] } };
      const lines = [
        traced('textDocument/publishDiagnostics', { uri: 'file:///w/a.py', diagnostics: [diagnostic] }, true, 'Received'),
        traced('textDocument/publishDiagnostics', { uri: 'file:///w/a.py', diagnostics: [diagnostic] }, false, 'Received'),
        `Received response 'textDocument/diagnostic - (7)' in 3ms.\nResult: ${JSON.stringify({ kind: 'full', items: [diagnostic] }, null, 4)}`,
        `Sending request 'textDocument/codeAction - (8)'.\nParams: ${JSON.stringify({ textDocument: { uri: 'file:///w/a.py' }, context: { diagnostics: [diagnostic] } }, null, 4)}`,
        `Received response 'textDocument/codeAction - (8)' in 2ms.\nResult: ${JSON.stringify([action], null, 4)}`,
        `Received response 'textDocument/codeAction - (9)' in 2ms.\nResult: ${JSON.stringify([action])}`,
      ];
      for (const line of lines) {
        const out = redactTrace(line);
        for (const form of [cred, cred.toLowerCase()]) {
          for (let i = 0; i + 8 <= form.length; i++) expect(out.toLowerCase()).not.toContain(form.slice(i, i + 8).toLowerCase());
        }
        // What the trace is for stays: the method, the document, the codes and ranges.
        expect(out).toMatch(/'textDocument\/(publishDiagnostics|diagnostic|codeAction)/);
        if (line.includes('"code"')) expect(out).toContain('unknown-secret');
      }
    }
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
