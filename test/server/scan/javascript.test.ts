// The scanner on JavaScript and TypeScript: env reads, get_secret member calls, and everything the
// lexer must skip (comments, strings, templates, regular expressions).

import { describe, expect, it } from 'vitest';
import { scan } from '../../../server/src/service/analyze';
import type { ScanLanguage } from '../../../server/src/service/scan/types';
import { dyn, empty, ident, lit, marked, ref } from './marks';

// The shape of each reference; what a computed name resolves to is jsNameSets.test.ts's.
const js = (text: string, language: ScanLanguage = 'javascript') => scan(text, language).references.map(({ candidates: _c, unresolved: _u, ...ref }) => ref);

describe('javascript: process.env', () => {
  it('finds process.env.X, process.env[…] with exact spans', () => {
    const { text, spans } = marked(
      "const a = ⟦process.env.⟦API_KEY⟧⟧;\nconst b = ⟦process.env[⟦'B'⟧]⟧;\nconst c = ⟦process.env[⟦\"C\"⟧]⟧ ?? ⟦process.env[⟦`D`⟧]⟧;\nconst e = ⟦process.env[⟦key⟧]⟧;\nconst f = ⟦process.env?.⟦F⟧⟧;",
    );
    expect(js(text)).toEqual([
      ref('env', ident(text, spans[1]!), spans[0]!),
      ref('env', lit(text, spans[3]!, 'B'), spans[2]!),
      ref('env', lit(text, spans[5]!, 'C'), spans[4]!),
      ref('env', lit(text, spans[7]!, 'D'), spans[6]!),
      ref('env', dyn(spans[9]!), spans[8]!),
      ref('env', ident(text, spans[11]!), spans[10]!),
    ]);
  });

  it('keeps assignments and deletes apart as writes; += and a member of the value are reads', () => {
    const text = "process.env.A = '1';\ndelete process.env.B;\nprocess.env['C'] = x;\na = process.env.D = b;\nprocess.env.E += 'x';\nprocess.env.F.x = 1;\ndelete process.env.G.x;\nprocess.env.H ??= 'd';\nif (process.env.I == 'y') {}\n";
    for (const language of ['javascript', 'typescript'] as const) {
      const result = scan(text, language);
      expect(result.writes.map((r) => r.name)).toEqual(['A', 'B', 'C', 'D']);
      expect(result.references.map((r) => r.name)).toEqual(['E', 'F', 'G', 'H', 'I']);
    }
  });

  it('skips look-alikes', () => {
    // (`const { Z } = process.env` is a read of Z: jsIdioms.test.ts.)
    expect(js('a.process.env.X; process.envx.Y; process.env; const { Z } = processes.env; const { Y } = process.envs; myprocess.env.W;')).toEqual([]);
  });

  it('reads nothing past the end of a short text scanned after a longer one (regression)', () => {
    js('const a = process.env.FIRST_A_LONGER_TEXT; const b = process.env.B; const c = 1;');
    expect(js('const e = process.env')).toEqual([]);
  });

  it('yields an empty literal for `process.env.` still being typed', () => {
    const text = 'const a = process.env.\nconst b = 1;';
    const dot = text.indexOf('env.') + 4;
    expect(js(text)).toEqual([ref('env', empty(dot), { start: 10, end: dot })]);
  });
});

describe('javascript: get_secret member calls', () => {
  it('finds string and template arguments, the span starting where the receiver does', () => {
    const { text, spans } = marked(
      "const a = await ⟦conv.utils.get_secret(⟦'a'⟧)⟧;\nconst b = ⟦this.ctx().items[0].get_secret(⟦`b`⟧)⟧;\nconst c = ⟦x?.get_secret(⟦\"c\\x5fd\"⟧)⟧;\nconst d = ⟦x.get_secret(⟦`svc_${id}`⟧)⟧;\nconst e = ⟦x.get_secret(⟦name⟧, 1)⟧;",
    );
    expect(js(text)).toEqual([
      ref('get_secret', lit(text, spans[1]!, 'a'), spans[0]!),
      ref('get_secret', lit(text, spans[3]!, 'b'), spans[2]!),
      ref('get_secret', lit(text, spans[5]!, 'c_d'), spans[4]!),
      ref('get_secret', dyn(spans[7]!), spans[6]!),
      ref('get_secret', dyn(spans[9]!), spans[8]!),
    ]);
  });

  it('decodes names as real accounts have them: quotes, spaces, backslashes, hex and Unicode escapes, templates without placeholders', () => {
    const { text, spans } = marked(
      String.raw`⟦c.get_secret(⟦'it\'s \\ Prod API'⟧)⟧; ⟦c.get_secret(⟦"say \"hi\" caf\xe9 \u00e9 \u{1F511}"⟧)⟧; ⟦c.get_secret(⟦` + '`a \\` b \\${c} $ {d}`' + '⟧)⟧;',
    );
    expect(js(text).map((r) => r.name)).toEqual(["it's \\ Prod API", 'say "hi" café é 🔑', 'a ` b ${c} $ {d}']);
    expect(js(text).map((r) => r.literal.contentSpan)).toEqual([1, 3, 5].map((i) => ({ start: spans[i]!.start + 1, end: spans[i]!.end - 1 })));
  });

  it('starts the span at `new` when the receiver is a new-expression; reads `?.(` and `!.`', () => {
    const { text, spans } = marked("⟦new Client(k).get_secret(⟦'a'⟧)⟧; ⟦x.get_secret?.(⟦'b'⟧)⟧; ⟦a!.b.get_secret(⟦'c'⟧)⟧;");
    expect(js(text, 'typescript')).toEqual([
      ref('get_secret', lit(text, spans[1]!, 'a'), spans[0]!),
      ref('get_secret', lit(text, spans[3]!, 'b'), spans[2]!),
      ref('get_secret', lit(text, spans[5]!, 'c'), spans[4]!),
    ]);
  });

  it('ignores a bare get_secret and look-alike members', () => {
    expect(js("get_secret('a'); x.get_secrets('b'); x.get_secret_name('c'); x.my_get_secret('d'); x.get_secret;")).toEqual([]);
  });

  it('yields an unclosed or empty literal while typing', () => {
    const { text, spans } = marked("const a = ⟦conv.get_secret(⟦'stri⟧⟧\nconst b = 2;");
    expect(js(text)).toEqual([ref('get_secret', lit(text, spans[1]!, 'stri', false), spans[0]!)]);
    const open = 'conv.get_secret('.length;
    expect(js('conv.get_secret(\nconst b = 2;')).toEqual([ref('get_secret', empty(open), { start: 0, end: open })]);
  });
});

describe('javascript: what the lexer skips', () => {
  it('skips line and block comments, strings and template text', () => {
    const text = [
      "// process.env.NOPE conv.get_secret('x')",
      '/* process.env.NOPE',
      "   conv.get_secret('x') */",
      "const s = 'process.env.NOPE \\' conv.get_secret(\"x\")';",
      'const d = "process.env.NOPE";',
      "const t = `process.env.NOPE conv.get_secret('x') \\${process.env.ESCAPED}`;",
    ].join('\n');
    expect(js(text)).toEqual([]);
  });

  it('finds references inside ${…}, also in nested templates', () => {
    const { text, spans } = marked("const u = `a ${⟦process.env.⟦A⟧⟧} b ${`c ${⟦x.get_secret(⟦'n'⟧)⟧} ${{ k: '}' }.k}`} d`; ⟦process.env.⟦AFTER⟧⟧;");
    expect(js(text)).toEqual([
      ref('env', ident(text, spans[1]!), spans[0]!),
      ref('get_secret', lit(text, spans[3]!, 'n'), spans[2]!),
      ref('env', ident(text, spans[5]!), spans[4]!),
    ]);
  });

  it('skips regular expressions and tells them from division', () => {
    const text = [
      "const re = /process\\.env\\.NOPE['\"]\\/\\//g;",
      "const re2 = /[/'\"]get_secret\\(/;",
      "if (/'/.test(s)) x = 1;",
      "const half = total / 2 / process.env.DIVISOR;",
      "const q = (a) / process.env.AFTER_PAREN / 'x'.length;",
      'return /process.env.IN_RETURNED_REGEX/;',
    ].join('\n');
    expect(js(text).map((r) => r.name)).toEqual(['DIVISOR', 'AFTER_PAREN']);
  });

  it('reads TypeScript: annotations, generics, casts, non-null assertions', () => {
    const text = [
      "type Mode = 'process.env.NOPE' | \"get_secret('no')\";",
      'interface C { key: string } // process.env.NOPE',
      'const a: string = process.env.A as string;',
      'const b = process.env.B!;',
      'const m = new Map<string, number>();',
      "export async function f<T>(conv: Conv, x: T): Promise<string> { return conv.utils.get_secret('t'); }",
    ].join('\n');
    expect(js(text, 'typescript').map((r) => r.name)).toEqual(['A', 'B', 't']);
  });

  it('skips JSX text and attribute strings, and finds references in JSX braces', () => {
    const text = [
      '<p title="it\'s process.env.NOPE" on={() => process.env.A}>',
      "  Don't {process.env.B} // not a comment, process.env.NOPE",
      "  <b>it's {x.get_secret('c')}</b> <Foo.Bar /> <>frag's</>",
      '</p>;',
      'const d = process.env.D / 2;',
    ].join('\n');
    const src = `const a = ${text}`;
    expect(js(src).map((r) => r.name)).toEqual(['A', 'B', 'c', 'D']);
    expect(js(src, 'typescript').map((r) => r.name)).toEqual(['A', 'B', 'c', 'D']);
  });

  it('tells TypeScript generics and comparisons from JSX', () => {
    const text = [
      'const g = <T,>(x: T) => process.env.A;',
      "const h = <T>(x: T): T => x; const s = 'it's';".replace("'it's'", '"it\'s"'),
      'function f<T extends U>(x: T) { return <Foo>x; } const j = process.env.C;',
      'const k = <T extends unknown>(y: T) => process.env.D;',
      'if (a < b && c > d) { process.env.E }',
    ].join('\n');
    expect(js(text, 'typescript').map((r) => r.name)).toEqual(['A', 'C', 'D', 'E']);
  });
});
