// What the language server trace may write to the log. Document text goes to the language server
// (it has to), but a document can hold a credential pasted into it, and the trace writes whole
// messages into a log file that outlives the session. So the text of didOpen / didChange is
// replaced by its length before a trace line is written; everything else stays as it was.

/** A JSON string literal's content as vscode-jsonrpc's trace prints it (JSON.stringify). */
const TEXT_FIELD = /"text": ?"((?:[^"\\]|\\.)*)"/g;
const DOCUMENT_TEXT = /^(Sending|Received) notification 'textDocument\/(didOpen|didChange)'/;

export function redactTrace(message: string): string {
  if (!DOCUMENT_TEXT.test(message)) return message;
  return message.replace(TEXT_FIELD, (_, body: string) => `"text": "<${body.length} characters of document text, not traced>"`);
}
