// The editor bench's landing check (bench/editor/landing.ts) tells typing that landed where the bench
// meant from typing that went elsewhere, on the states the page showed: the monorepo run whose peer
// took the first round's text at its top (then every `x = y` sat in a Ruby string and word
// completion timed out 20 times), and a trigger typed where it should be.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { faults, target, type EditorState } from '../../bench/editor/landing';
import { generateMonorepo, writeMonorepo } from '../../bench/editor/monorepoData';

const dir = mkdtempSync(path.join(tmpdir(), 'sv-bench-landing-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const written = writeMonorepo(dir, generateMonorepo(), 'http://127.0.0.1:1');
const plain = target(dir, written.plainFile);
const code = target(dir, written.triggerFile);
const last = plain.lines.length;

/** The editor showing `lines` (1-based numbers drawn beside them), the cursor at `line`:`column`. */
function state(tab: string, lines: string[], line: number, column: number, focused = true): EditorState {
  return { tab, focused, cursor: { line, column }, drawn: lines.map((text, i) => [i + 1, text]) };
}

describe('landing', () => {
  it('the generated files end with an empty last line, where the triggers type', () => {
    expect(plain.lines[last - 1]).toBe('');
    expect(code.lines[code.lines.length - 1]).toBe('');
  });

  it('accepts the typed text at the end of the last line, the rest as written (auto-closed brackets after the cursor)', () => {
    const lines = [...code.lines.slice(0, -1), "v = conv.utils.get_secret('')"];
    expect(faults(state(path.basename(code.relative), lines, lines.length, 28), code, "v = conv.utils.get_secret('")).toEqual([]);
  });

  it("reports the 20:49 run's landing: the first round's text at the top of the peer, the cursor on line 1", () => {
    const lines = [` = conv.utils.get_secret('str${plain.lines[0]}`, ...plain.lines.slice(1)];
    const found = faults(state('plain_words.rb', lines, 1, 30), plain, '');
    expect(found.join('; ')).toContain(`the cursor is at line 1, column 30, not line ${last}, column 1`);
    expect(found.join('; ')).toContain('line 1 reads');
  });

  it('reports a later round on the right line of a file the earlier landing changed', () => {
    const lines = [` = conv.utils.get_secret('str${plain.lines[0]}`, ...plain.lines.slice(1, -1), 'x = '];
    const found = faults(state('plain_words.rb', lines, last, 5), plain, 'x = ');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^line 1 reads/);
  });

  it('reports another file active, or an editor without the keyboard', () => {
    const lines = [...plain.lines.slice(0, -1), 'x = '];
    expect(faults(state(path.basename(code.relative), lines, last, 5), plain, 'x = ')[0]).toMatch(/^the active tab is/);
    expect(faults(state('plain_words.rb', lines, last, 5, false), plain, 'x = ')).toEqual(['the active editor does not have the keyboard']);
  });

  it('reports text typed but not at the cursor, or a cursor before the text typed', () => {
    expect(faults(state('plain_words.rb', [...plain.lines.slice(0, -1), 'x = '], last, 1), plain, 'x = ')[0]).toMatch(/cursor is at line \d+, column 1/);
    expect(faults(state('plain_words.rb', [...plain.lines.slice(0, -1), 'y = '], last, 5), plain, 'x = ')[0]).toMatch(/reads "y = "/);
  });
});
