// The Python lexer pushes tokens without a capacity check per token (it makes room ahead, by how
// many tokens a turn of its loop may push): texts denser in tokens than usual must come out whole.

import { describe, expect, it } from 'vitest';
import { lexPython } from '../../../server/src/service/python/pythonLexer';
import { IDENT, LINE, OP, TPL_HEAD, TPL_MID, TPL_TAIL, TokenBuffer } from '../../../server/src/service/scan/tokens';

function kinds(buf: TokenBuffer): number[] {
  return Array.from(buf.kind.subarray(0, buf.count));
}

describe('the Python lexer on texts dense in tokens', () => {
  it('keeps every token of a token per character', () => {
    const n = 50_000;
    const text = 'x,'.repeat(n);
    for (const buf of [new TokenBuffer(), new TokenBuffer(), new TokenBuffer()]) {
      lexPython('', buf);
      lexPython(text, buf);
      expect(buf.count).toBe(1 + 2 * n);
      const k = kinds(buf);
      expect(k[0]).toBe(LINE);
      // One comparison per buffer, not one `expect` per token (300,000 of them took 30 s on a loaded machine).
      const wrong: string[] = [];
      for (let t = 1; t < buf.count && wrong.length < 5; t++) {
        if (k[t] !== (t % 2 === 1 ? IDENT : OP) || buf.start[t] !== t - 1 || buf.end[t] !== t) wrong.push(`token ${t}: kind ${k[t]} [${buf.start[t]}, ${buf.end[t]})`);
      }
      expect(wrong).toEqual([]);
    }
  });

  it('keeps every token of one-character lines and f-string placeholders', () => {
    const lines = 'a\n'.repeat(30_000);
    const buf = new TokenBuffer();
    lexPython(lines, buf);
    expect(buf.count).toBe(60_000);
    const fstring = `f"${'{a}'.repeat(20_000)}"`;
    lexPython(fstring, buf);
    const k = kinds(buf);
    expect(buf.count).toBe(1 + 1 + 20_000 + 19_999 + 1);
    expect(k[1]).toBe(TPL_HEAD);
    expect(k[3]).toBe(TPL_MID);
    expect(k[buf.count - 1]).toBe(TPL_TAIL);
    expect(k.filter((x) => x === IDENT).length).toBe(20_000);
  });
});
