// The JS / TS front end's statements (server/src/service/javascript/jsStructure.ts), which the leak
// analysis's JavaScript walker reads instead of splitting statements itself: the table's shapes,
// that every body the walker reads was split in the front end's pass, and the findings each
// statement shape gives (the same as the walker's own splitting gave before it read the table).

import { describe, expect, it } from 'vitest';
import { scan } from '../../server/src/service/analyze';
import { scanReferences } from '../../server/src/service/frontEnds';
import * as S from '../../server/src/service/javascript/jsStructure';
import { JsStructure, jsStructure } from '../../server/src/service/javascript/jsStructure';
import { jsFile, prng } from './scan/corpus';

/** Kind numbers back to their names (ST_IF → 'IF'). */
const KIND_NAMES = new Map<number, string>(Object.entries(S).flatMap(([k, v]) => (k.startsWith('ST_') && typeof v === 'number' ? [[v, k.slice(3)] as const] : [])));

/** Each entry of the list of the `{` at `open` (-1: the module) as `KIND text`, its parts indented under it. */
function outline(text: string, st: JsStructure, tokens: { start: Int32Array; end: Int32Array }, open = -1): string[] {
  const out: string[] = [];
  const entry = (i: number, indent: string): void => {
    const last = Math.max(st.start[i]!, st.end[i]! - 1);
    out.push(`${indent}${KIND_NAMES.get(st.kind[i]!)} ${text.slice(tokens.start[st.start[i]!]!, tokens.end[last]!).replace(/\s+/g, ' ').slice(0, 40)}`);
    for (let j = i + 1; j < st.next[i]!; j = st.next[j]!) entry(j, `${indent}  `);
  };
  const { first, end } = st.statementsOf(open, Number.MAX_SAFE_INTEGER);
  for (let i = first; i < end; i = st.next[i]!) entry(i, '');
  return out;
}

/** Each leak's origins as `line name via sink`. */
function findings(text: string, language: 'javascript' | 'typescript' = 'typescript'): string[] {
  const r = scan(text, language);
  const line = (o: number) => text.slice(0, o).split('\n').length;
  return r.leaks.flatMap((l) => l.origins.map((o) => `${line(o.span.start)} ${r.references.find((x) => x.span.start === o.source.span.start)?.name} via ${l.sink}`));
}

describe('the JS / TS front end splits statements once, for the leak walker', () => {
  it('the module: statements ended by `;`, by a line break the next line cannot continue, by a block; compound statements with their parts', () => {
    const text = [
      'const a = process.env.A',
      'console.log(a)',
      '  .trim()',
      'if (ok) go(); else { stop() }',
      'for (const k of list) use(k)',
      'for (let i = 0; i < n; i++) use(i)',
      'do step(); while (more)',
      'outer: while (x) { break outer }',
      'class K extends Base { @dec() m() {} static { init() } f = 1; }',
      'interface I { x: string }',
      'export default { go() {} }',
      '',
    ].join('\n');
    const { structure, tokens } = scanReferences(text, 'typescript');
    expect(structure).toBeInstanceOf(JsStructure);
    expect(outline(text, structure as JsStructure, tokens)).toEqual([
      'DECLARATION const a = process.env.A',
      'EXPRESSION console.log(a) .trim()',
      'IF if (ok) go(); else { stop() }',
      '  EXPRESSION go();',
      '  BLOCK { stop() }',
      '    EXPRESSION stop()',
      'FOR_OF for (const k of list) use(k)',
      '  EXPRESSION use(k)',
      'FOR for (let i = 0; i < n; i++) use(i)',
      '  DECLARATION i = 0;',
      '  EXPRESSION i++',
      '  EXPRESSION use(i)',
      'DO do step(); while (more)',
      '  EXPRESSION step();',
      'NONE outer:',
      'WHILE while (x) { break outer }',
      '  BLOCK { break outer }',
      '    NONE break outer',
      'CLASS class K extends Base { @dec() m() {} sta',
      '  DECORATOR @dec()',
      '  METHOD m() {}',
      '  STATIC static { init() }',
      '  FIELD f = 1;',
      'NONE interface I { x: string }',
      'EXPRESSION export default { go() {} }',
    ]);
    // A body is a list of its own: the static block's.
    const st = structure as JsStructure;
    const staticBlock = Array.from({ length: st.count }, (_, i) => i).find((i) => st.kind[i] === S.ST_STATIC)!;
    expect(outline(text, st, tokens, st.a[staticBlock]!)).toEqual(['EXPRESSION init()']);
  });

  it('is made only for a document with references (no other consumer reads it)', () => {
    const { structure } = scanReferences('function f() { return 1 }\n', 'javascript');
    expect((structure as JsStructure).count).toBe(0);
    const read = scanReferences('function f() { return process.env.X }\n', 'javascript');
    expect((read.structure as JsStructure).count).toBeGreaterThan(0);
  });

  it('every body the leak walker reads was split in the front end’s pass, none after it', () => {
    const random = prng(51);
    for (let n = 0; n < 20; n++) {
      const ts = n % 2 === 1;
      scan(jsFile(random, 40, ts), ts ? 'typescript' : 'javascript');
      expect(jsStructure.late).toBe(0);
    }
    const text = [
      'const key = process.env.KEY;',
      'app.get("/", async (req, res) => { console.debug(key); });',
      'const handlers = { show() { console.log(key) }, hide: function () { console.error(key) } };',
      'class Job { run = () => { console.warn(key) }; constructor() { this.k = key } }',
      'setTimeout(function named() { console.info(key) }, 1);',
      '',
    ].join('\n');
    expect(findings(text, 'javascript')).toEqual(['2 KEY via console.debug', '3 KEY via console.log', '3 KEY via console.error', '4 KEY via console.warn', '5 KEY via console.info']);
    expect(jsStructure.late).toBe(0);
  });

  it('each statement shape gives the findings the walker found when it split statements itself', () => {
    const text = [
      'const a = process.env.A',
      'console.log(a)',
      'if (ok) console.log(process.env.B); else console.log(process.env.C)',
      'for (const k of [process.env.D]) console.log(k)',
      'for (let i = process.env.E; i; i = next(i)) console.log(i)',
      'do console.log(process.env.F); while (more)',
      'switch (kind) { case 1: console.log(process.env.G); break; default: console.log(process.env.H) }',
      'try { work() } catch (e) { console.log(process.env.I) } finally { console.log(process.env.J) }',
      'class K {',
      '  @track(console.log(process.env.K))',
      '  m() { console.log(process.env.L) }',
      '  static { console.log(process.env.M) }',
      '  f = console.log(process.env.N)',
      '}',
      'outer: for (;;) { console.log(process.env.O); break outer }',
      'export default { go() { console.log(process.env.P) } }',
      "app.get('/', () => { console.log(process.env.Q) })",
      'interface I { x: string }',
      'namespace NS { console.log(process.env.R) }',
      'const s = process.env.S',
      '(function () { console.log(s) })()',
      'function late() {',
      '  return',
      '  console.log(process.env.T)',
      '}',
      'export async function h(): Promise<void> { const u = process.env.U; while (u) { console.log(u) } }',
      '',
    ].join('\n');
    // E: `i` is given another value in the loop's update; S: the next line's `(` continues the statement (a call of the value).
    expect(findings(text)).toEqual([
      '2 A via console.log',
      '3 B via console.log',
      '3 C via console.log',
      '4 D via console.log',
      '6 F via console.log',
      '7 G via console.log',
      '7 H via console.log',
      '8 I via console.log',
      '8 J via console.log',
      '10 K via console.log',
      '11 L via console.log',
      '12 M via console.log',
      '13 N via console.log',
      '15 O via console.log',
      '16 P via console.log',
      '17 Q via console.log',
      '19 R via console.log',
      '24 T via console.log',
      '26 U via console.log',
    ]);
  });

  it('an unclosed brace or a stray bracket: the lists end where the walker’s bodies end, and nesting past the limit is not split', () => {
    const text = ['const k = process.env.K;', 'function f() {', '  if (x) { console.log(k) )', '  console.log(k);', 'app.use(() => { console.log(k)', ''].join('\n');
    expect(() => findings(text, 'javascript')).not.toThrow();
    const deep = `const k = process.env.K;\n${'if (a) { '.repeat(5000)}console.log(k)${' }'.repeat(5000)}\n${'f(() => { '.repeat(3000)}console.log(k)${' })'.repeat(3000)}\n`;
    expect(() => findings(deep, 'javascript')).not.toThrow();
  });
});
