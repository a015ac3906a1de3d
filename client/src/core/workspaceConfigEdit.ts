// The agent chosen in the editor is written where every tool reads it: the folder's
// `secrets-vault.json` (`agent`), which the CLI, `check` and the extension all read. The file keeps
// its other fields, their order and its formatting (indentation, line ends); only `agent` changes.

import { applyEdits, modify, parse, type ParseError } from 'jsonc-parser';
import { WORKSPACE_CONFIG_FILE } from '../../../protocol/api';

/**
 * The new text of a `secrets-vault.json` with `agent` set (or removed when undefined). `text` is the
 * file's current content, undefined when there is none; the result is undefined when nothing needs
 * writing (no file, and no agent to write). Throws when the file is not a JSON object: a file a person
 * wrote is never replaced by one they did not.
 */
export function configWithAgent(text: string | undefined, agent: string | undefined): string | undefined {
  if (text === undefined || text.trim() === '') return agent === undefined ? undefined : `${JSON.stringify({ agent }, null, 2)}\n`;
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, { allowTrailingComma: false, disallowComments: true });
  if (errors.length > 0 || typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${WORKSPACE_CONFIG_FILE} is not a JSON object, so the agent was not written to it: fix the file, then choose the agent again.`);
  }
  if (agent === undefined && !('agent' in value)) return text;
  const indent = /^([ \t]+)"/m.exec(text)?.[1] ?? '  ';
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const edits = modify(text, ['agent'], agent, {
    formattingOptions: { insertSpaces: !indent.startsWith('\t'), tabSize: indent.startsWith('\t') ? 1 : indent.length, eol },
  });
  return applyEdits(text, edits);
}
