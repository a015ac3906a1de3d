// What the language server trace may write to the log. Document text goes to the language server
// (it has to), but a document can hold a credential pasted into it, and the trace writes whole
// messages into a log file that outlives the session. So the text of didOpen / didChange is
// replaced by its length before a trace line is written. Diagnostic messages, code-action titles
// and suggested names quote what the document wrote where a name goes (a credential pasted
// there): the server describes those, and the trace keeps only their lengths as well, in every
// message that carries them (publishDiagnostics, pulled reports, codeAction requests and responses).

/** A JSON string literal's content as vscode-jsonrpc's trace prints it (JSON.stringify). */
const TEXT_FIELD = /"text": ?"((?:[^"\\]|\\.)*)"/g;
const DOCUMENT_TEXT = /^(Sending|Received) notification 'textDocument\/(didOpen|didChange)'/;
/** Fields that quote a document's names: diagnostics' and related information's messages, actions' and commands' titles, Move to vault's name. */
const QUOTING_FIELD = /"(message|title|suggestedName)": ?"((?:[^"\\]|\\.)*)"/g;

export function redactTrace(message: string): string {
  let out = message;
  if (DOCUMENT_TEXT.test(out)) out = out.replace(TEXT_FIELD, (_, body: string) => `"text": "<${body.length} characters of document text, not traced>"`);
  if (out.includes('"message"') || out.includes('"title"') || out.includes('"suggestedName"')) {
    out = out.replace(QUOTING_FIELD, (_, field: string, body: string) => `"${field}": "<${body.length} characters, not traced>"`);
  }
  return out;
}
