// The agent chosen in the editor is written where every tool reads it: the folder's
// `secrets-vault.json` (`agent`), which the CLI, `check` and the extension all read. The file keeps
// its other fields, their order and its formatting (indentation, line ends); only `agent` changes.
// (A small editor of one top-level string field: the file is plain JSON, as `check` parses it.)

import { WORKSPACE_CONFIG_FILE } from '../../../protocol/api';

interface Member {
  /** Where the member's key starts and its value ends. */
  keyStart: number;
  valueStart: number;
  valueEnd: number;
}

/**
 * The new text of a `secrets-vault.json` with `agent` set (or removed when undefined). `text` is the
 * file's current content, undefined when there is none; the result is undefined when nothing needs
 * writing (no file, and no agent to write). Throws when the file is not a JSON object: a file a person
 * wrote is never replaced by one they did not.
 */
export function configWithAgent(text: string | undefined, agent: string | undefined): string | undefined {
  if (text === undefined || text.trim() === '') return agent === undefined ? undefined : `${JSON.stringify({ agent }, null, 2)}\n`;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${WORKSPACE_CONFIG_FILE} is not a JSON object, so the agent was not written to it: fix the file, then choose the agent again.`);
  }
  const { members, close } = topLevelMembers(text);
  const found = members.filter((m) => JSON.parse(text.slice(m.keyStart, text.indexOf(':', keyEnd(text, m.keyStart)))) === 'agent').at(-1);
  if (agent === undefined) {
    if (!found) return text;
    const i = members.indexOf(found);
    // The member and the comma that joins it to its neighbour, so that the rest reads as before.
    if (i > 0) return text.slice(0, members[i - 1]!.valueEnd) + text.slice(found.valueEnd);
    if (members.length > 1) return text.slice(0, found.keyStart) + text.slice(members[1]!.keyStart);
    return text.slice(0, text.indexOf('{') + 1) + text.slice(close);
  }
  const written = JSON.stringify(agent);
  if (found) return text.slice(0, found.valueStart) + written + text.slice(found.valueEnd);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const indent = /^([ \t]+)"/m.exec(text)?.[1] ?? '  ';
  const last = members.at(-1);
  if (!last) {
    const open = text.indexOf('{');
    return `${text.slice(0, open + 1)}${eol}${indent}"agent": ${written}${eol}${text.slice(close)}`;
  }
  // On a line of its own after the last member when the members are one per line, else inline.
  const multiline = /[\r\n]/.test(text.slice(text.indexOf('{'), last.keyStart));
  const join = multiline ? `,${eol}${indent}` : ', ';
  return `${text.slice(0, last.valueEnd)}${join}"agent": ${written}${text.slice(last.valueEnd)}`;
}

/** The end of the string token starting at `start` (just after its closing quote). */
function keyEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
  return i + 1;
}

/** The members of the outermost object of valid JSON `text`, and where its closing brace is. */
function topLevelMembers(text: string): { members: Member[]; close: number } {
  const members: Member[] = [];
  let depth = 0;
  let current: Partial<Member> | undefined;
  let expectKey = false;
  let close = text.lastIndexOf('}');
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      const end = keyEnd(text, i);
      if (depth === 1 && expectKey) {
        current = { keyStart: i };
        expectKey = false;
      } else if (depth === 1 && current && current.valueStart === undefined) {
        current.valueStart = i;
      }
      i = end - 1;
      if (depth === 1 && current?.valueStart !== undefined && current.valueEnd === undefined && current.valueStart <= i) current.valueEnd = end;
      continue;
    }
    if (c === '{' || c === '[') {
      if (depth === 1 && current && current.valueStart === undefined) current.valueStart = i;
      depth++;
      if (depth === 1) expectKey = true;
      continue;
    }
    if (c === '}' || c === ']') {
      depth--;
      if (depth === 1 && current?.valueStart !== undefined && current.valueEnd === undefined) current.valueEnd = i + 1;
      if (depth === 0) {
        close = i;
        if (current?.keyStart !== undefined && current.valueStart !== undefined) members.push(finish(text, current, i));
        break;
      }
      continue;
    }
    if (depth === 1 && c === ',') {
      if (current?.keyStart !== undefined && current.valueStart !== undefined) members.push(finish(text, current, i));
      current = undefined;
      expectKey = true;
      continue;
    }
    if (depth === 1 && current && current.valueStart === undefined && c !== ':' && !/\s/.test(c)) current.valueStart = i;
  }
  return { members, close };
}

/** A member whose value is a literal (number, true, false, null) ends at its last character before `stop`. */
function finish(text: string, m: Partial<Member>, stop: number): Member {
  let end = m.valueEnd;
  if (end === undefined) {
    end = stop;
    while (end > m.valueStart! && /\s/.test(text[end - 1]!)) end--;
  }
  return { keyStart: m.keyStart!, valueStart: m.valueStart!, valueEnd: end };
}
