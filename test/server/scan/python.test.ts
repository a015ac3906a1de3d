// The scanner on Python: every recognised form with exact spans, and the look-alikes it must skip.

import { describe, expect, it } from 'vitest';
import { scan } from '../../../server/src/service/analyze';
import { concat, dyn, empty, key, lit, marked, ref } from './marks';

// The references pass alone: what a computed name resolves to is nameSets.test.ts's to check.
const py = (text: string) => scan(text, 'python').references.map(({ candidates: _c, unresolved: _u, ...ref }) => ref);

/** One get_secret reference: spans[0] is the call, spans[1] the name literal. */
function expectOne(source: string, value: string | null) {
  const { text, spans } = marked(source);
  const [call, name] = spans;
  const literal = value === null ? dyn(name!) : lit(text, name!, value);
  expect(py(text)).toEqual([ref('get_secret', literal, call!)]);
}

describe('python: get_secret calls', () => {
  it('finds conv.utils.get_secret with exact spans', () => {
    expectOne(`token = ⟦conv.utils.get_secret(⟦'stripe_key'⟧)⟧\n`, 'stripe_key');
  });

  it('finds get_secret on any receiver, the span starting where the receiver does', () => {
    expectOne(`x = ⟦self.ctx().utils[0].get_secret(⟦"a"⟧)⟧`, 'a');
    expectOne(`x = ⟦(a or b).get_secret(⟦"a"⟧)⟧`, 'a');
    expectOne(`return ⟦conv.get_secret(⟦'a'⟧)⟧`, 'a');
    expectOne(`@⟦conv.get_secret(⟦'deco'⟧)⟧\ndef f(): pass`, 'deco');
  });

  it('reads every quoting and prefix, case-insensitively', () => {
    for (const prefix of ['', 'r', 'R', 'u', 'U', 'b', 'B', 'f', 'F', 'rb', 'Rb', 'bR', 'BR', 'br', 'rf', 'fR', 'Rf', 'FR']) {
      for (const q of ["'", '"', "'''", '"""']) {
        expectOne(`⟦c.get_secret(⟦${prefix}${q}api_token${q}⟧)⟧`, 'api_token');
      }
    }
  });

  it('decodes escapes, except in raw strings', () => {
    expectOne(`⟦c.get_secret(⟦'a\\x5fb'⟧)⟧`, 'a_b');
    expectOne(`⟦c.get_secret(⟦'a\\137b\\u005fc'⟧)⟧`, 'a_b_c');
    expectOne(`⟦c.get_secret(⟦'it\\'s'⟧)⟧`, "it's");
    expectOne(`⟦c.get_secret(⟦r'a\\x5f'⟧)⟧`, 'a\\x5f');
    expectOne(`⟦c.get_secret(⟦'a\\\nb'⟧)⟧`, 'ab');
  });

  it('decodes names as real accounts have them: quotes, spaces, backslashes, hex and Unicode escapes, braces of an f-string', () => {
    expectOne(String.raw`⟦c.get_secret(⟦'Prod API Credentials'⟧)⟧`, 'Prod API Credentials');
    expectOne(String.raw`⟦c.get_secret(⟦"it's \"q\" \\ done"⟧)⟧`, 'it\'s "q" \\ done');
    expectOne(String.raw`⟦c.get_secret(⟦'''it's'''⟧)⟧`, "it's");
    expectOne(String.raw`⟦c.get_secret(⟦'caf\xe9 \u00e9 \U0001F511 \t'⟧)⟧`, 'café é 🔑 \t');
    expectOne(String.raw`⟦c.get_secret(⟦f'a {{b}} \'c\''⟧)⟧`, "a {b} 'c'");
    expectOne(String.raw`⟦c.get_secret(⟦'\q \d'⟧)⟧`, '\\q \\d');
    // Raw strings keep every backslash, the one before a quote too.
    expectOne(String.raw`⟦c.get_secret(⟦r'a\'b\\c'⟧)⟧`, "a\\'b\\\\c");
    expectOne(String.raw`⟦c.get_secret(⟦rb"\N{X}"⟧)⟧`, '\\N{X}');
    expectOne(String.raw`⟦c.get_secret(⟦'\\N{LOW LINE}'⟧)⟧`, '\\N{LOW LINE}');
  });

  it('takes a named-character escape, which needs Unicode’s name table, as a name not known for sure', () => {
    for (const source of [String.raw`⟦c.get_secret(⟦'a\N{LOW LINE}b'⟧)⟧`, String.raw`⟦c.get_secret(⟦'a' '\\\N{LOW LINE}'⟧)⟧`]) {
      const { text, spans } = marked(source);
      const [only] = py(text);
      expect(only?.name).toBeNull();
      expect(only?.literal.value).toBeNull();
      // Still a literal: its content span lies inside the quotes.
      expect(text.slice(only!.literal.contentSpan.start, only!.literal.contentSpan.end)).toBe(text.slice(spans[1]!.start + 1, spans[1]!.end - 1));
    }
  });

  it('joins implicitly concatenated literals, the literal covering every part', () => {
    const { text, spans } = marked(`⟦conv.utils.get_secret(⟦'stripe'⟧ ⟦"_key"⟧)⟧`);
    expect(py(text)).toEqual([ref('get_secret', concat(text, spans[1]!, spans[2]!, 'stripe_key'), spans[0]!)]);
    const multi = marked(`x = ⟦conv.utils.get_secret(\n    ⟦'str'⟧  # first part\n    r'ipe' ⟦b"_key"⟧\n)⟧`);
    expect(py(multi.text)).toEqual([ref('get_secret', concat(multi.text, multi.spans[1]!, multi.spans[2]!, 'stripe_key'), multi.spans[0]!)]);
  });

  it('follows line continuations and calls split over many lines', () => {
    expectOne(`x = ⟦conv.utils \\\n    .get_secret(⟦'a'⟧)⟧`, 'a');
    expectOne(`x = ⟦conv.utils.get_secret(\n    # which one\n    ⟦'a'⟧,\n    default=None,\n)⟧`, 'a');
  });

  it('takes name= and prefers the first positional argument', () => {
    expectOne(`⟦c.get_secret(name=⟦'kw'⟧)⟧`, 'kw');
    expectOne(`⟦c.get_secret(default=1, name=⟦'kw'⟧)⟧`, 'kw');
    expectOne(`⟦c.get_secret(⟦'pos'⟧, name='ignored')⟧`, 'pos');
  });

  it('treats f-strings: plain ones are literals, ones with placeholders are dynamic', () => {
    expectOne(`⟦c.get_secret(⟦f'abc'⟧)⟧`, 'abc');
    expectOne(`⟦c.get_secret(⟦f'a{{b}}c'⟧)⟧`, 'a{b}c');
    expectOne(`⟦c.get_secret(⟦f'svc_{n}'⟧)⟧`, null);
    expectOne(`⟦c.get_secret(⟦f"svc_{n!r:>{w}}"⟧)⟧`, null);
    expectOne(`⟦c.get_secret(⟦'a' f'{b}'⟧)⟧`, null);
  });

  it('treats any other argument as a dynamic name spanning the expression', () => {
    expectOne(`⟦c.get_secret(⟦name_var⟧)⟧`, null);
    expectOne(`⟦c.get_secret(⟦'a' + suffix⟧, 1)⟧`, null);
    expectOne(`⟦c.get_secret(⟦names[0]⟧)⟧`, null);
    expectOne(`⟦c.get_secret(⟦('paren', 'tuple')⟧)⟧`, null);
    expectOne(`⟦c.get_secret(⟦*args⟧)⟧`, null);
    expectOne(`⟦c.get_secret(\n    ⟦prefix +  # why\n    'x'⟧\n)⟧`, null);
  });

  it('reads Python 3.12 placeholders with the same quotes, \\N{…} escapes and t-strings', () => {
    const { text, spans } = marked(`h = f'{⟦c.get_secret(⟦'same_quotes'⟧)⟧}' + f'\\N{LOW LINE}{⟦c.get_secret(⟦t'tpl'⟧)⟧}'`);
    expect(py(text)).toEqual([ref('get_secret', lit(text, spans[1]!, 'same_quotes'), spans[0]!), ref('get_secret', lit(text, spans[3]!, 'tpl'), spans[2]!)]);
  });

  it('finds references inside f-string placeholders', () => {
    const { text, spans } = marked(`h = f"Bearer {⟦conv.utils.get_secret(⟦'tok'⟧)⟧!s:>10} and {⟦c.get_secret(⟦'b'⟧)⟧}"`);
    expect(py(text)).toEqual([ref('get_secret', lit(text, spans[1]!, 'tok'), spans[0]!), ref('get_secret', lit(text, spans[3]!, 'b'), spans[2]!)]);
  });
});

describe('python: imported and aliased get_secret', () => {
  it('reads an import on the first line after a byte-order mark', () => {
    const { text, spans } = marked(`\ufefffrom conv.utils import get_secret\nx = ⟦get_secret(⟦'a'⟧)⟧`);
    expect(py(text)).toEqual([ref('get_secret', lit(text, spans[1]!, 'a'), spans[0]!)]);
  });

  it('ignores a bare get_secret that is not imported', () => {
    expect(py(`get_secret('x')\n`)).toEqual([]);
  });

  it('finds a bare get_secret after `from … import get_secret`, anywhere in the file', () => {
    const { text, spans } = marked(`def f():\n    return ⟦get_secret(⟦'a'⟧)⟧\n\nfrom conv.utils import get_secret\n`);
    expect(py(text)).toEqual([ref('get_secret', lit(text, spans[1]!, 'a'), spans[0]!)]);
  });

  it('follows `as` imports, parenthesised import lists and simple assignments', () => {
    const source = [
      'from conv.utils import (\n    other,\n    get_secret as gs,\n)',
      'fetch = conv.utils.get_secret',
      'again = fetch',
      'a = ⟦gs(⟦"one"⟧)⟧',
      'b = ⟦fetch(⟦"two"⟧)⟧',
      'c = ⟦again(name=⟦"three"⟧)⟧',
      'd = get_secret("not_imported_under_this_name")',
      'e = other("x")',
    ].join('\n');
    const { text, spans } = marked(source);
    expect(py(text)).toEqual([
      ref('get_secret', lit(text, spans[1]!, 'one'), spans[0]!),
      ref('get_secret', lit(text, spans[3]!, 'two'), spans[2]!),
      ref('get_secret', lit(text, spans[5]!, 'three'), spans[4]!),
    ]);
  });
});

describe('python: what is not a reference', () => {
  it('skips comments, docstrings and every other string', () => {
    const text = [
      '"""Module: conv.utils.get_secret(\'doc\')."""',
      '# conv.utils.get_secret("comment")',
      'def f():',
      '    """get_secret(\'docstring\')',
      '    spanning lines: c.get_secret("x")',
      '    """',
      "    s = 'c.get_secret(\"in_string\")'",
      '    t = f"text c.get_secret(\'in_fstring_text\') {value}"',
      "    b = b'c.get_secret(\"bytes\")'",
      "    r = r'c.get_secret(\\'raw\\')'",
      "    q = '''\nc.get_secret('in_triple')\n'''",
      '    n = 1 / 2  # c.get_secret("after_code")',
      "    e = 'os.environ[\"X\"]'",
    ].join('\n');
    expect(py(text)).toEqual([]);
  });

  it('skips look-alike calls', () => {
    const text = [
      'from conv.utils import get_secret',
      "get_secrets('plural')",
      "my_get_secret('prefixed')",
      "x.get_secret_name('longer')",
      "x.my_get_secret('prefixed')",
      'fn = conv.utils.get_secret',
      "d = {'get_secret': 1}",
      "other.environ['X']",
      'os.environ',
      "os.environ.items()",
      "os.getenvb('X')",
      "a.os.environ['X']",
    ].join('\n');
    expect(py(text).map((r) => r.name)).toEqual([]);
  });
});

describe('python: keys', () => {
  it('reads [k] and .get(k) on the call itself', () => {
    const { text, spans } = marked(`a = ⟦c.get_secret(⟦'db'⟧)⟧[⟦'user'⟧]\nb = ⟦c.get_secret(⟦'db'⟧)⟧.get(⟦"pw"⟧, None)`);
    expect(py(text)).toEqual([
      ref('get_secret', lit(text, spans[1]!, 'db'), spans[0]!, [key(lit(text, spans[2]!, 'user'), 'subscript')]),
      ref('get_secret', lit(text, spans[4]!, 'db'), spans[3]!, [key(lit(text, spans[5]!, 'pw'), 'get')]),
    ]);
  });

  it('reads keys through a variable assigned once in the same scope, and only after it', () => {
    const source = [
      'def f(conv):',
      '    print(creds["before"])',
      '    creds = ⟦conv.utils.get_secret(⟦"db"⟧)⟧',
      '    user = creds[⟦"user"⟧]',
      '    pw = creds.get(⟦\'pw\'⟧)',
      '    k = creds[⟦key_var⟧]',
      '    h = f"{creds[⟦\'in_fstring\'⟧]}"',
      '    other.creds["attribute"]',
      '    def inner():',
      '        return creds["inner_scope"]',
      '    if ok: creds[⟦"one_liner"⟧]',
      'creds["module_scope"]',
    ].join('\n');
    const { text, spans } = marked(source);
    expect(py(text)).toEqual([
      ref('get_secret', lit(text, spans[1]!, 'db'), spans[0]!, [
        key(lit(text, spans[2]!, 'user'), 'subscript'),
        key(lit(text, spans[3]!, 'pw'), 'get'),
        key(dyn(spans[4]!), 'subscript'),
        key(lit(text, spans[5]!, 'in_fstring'), 'subscript'),
        key(lit(text, spans[6]!, 'one_liner'), 'subscript'),
      ]),
    ]);
  });

  it('reads keys through a name a walrus binds to the read (the call its whole value), from where it stands', () => {
    const source = [
      'def f(conv):',
      '    if not (creds := ⟦conv.utils.get_secret(⟦"db"⟧)⟧):',
      '        return creds["unreachable_but_bound"]',
      '    return creds[⟦"user"⟧], creds.get(⟦"pw"⟧)',
      'def g(conv):',
      '    if (inner := ⟦conv.utils.get_secret(⟦"nested"⟧)⟧[⟦"outer"⟧]):',
      '        return inner["not_a_key_of_nested"]',
    ].join('\n');
    const { text, spans } = marked(source);
    const refs = py(text);
    expect(refs.map((r) => [r.name, r.keys.map((k) => k.key)])).toEqual([
      ['db', ['unreachable_but_bound', 'user', 'pw']],
      ['nested', ['outer']],
    ]);
    expect(refs[0]!.keys.slice(1)).toEqual([key(lit(text, spans[2]!, 'user'), 'subscript'), key(lit(text, spans[3]!, 'pw'), 'get')]);
  });

  it('scopes variables to def and class bodies by indentation, async def included', () => {
    const source = [
      'class Tool:',
      '    creds = c.get_secret("class_level")',
      '    creds["class_key"]',
      '    async def run(self):',
      '        creds = c.get_secret("method_level")',
      '        creds["method_key"]',
      '        def inner():',
      '            nonlocal creds',
      '            return creds["inner"]',
      '    creds["class_key_2"]',
      'creds["module"]',
    ].join('\n');
    expect(py(source).map((r) => [r.name, r.keys.map((k) => k.key)])).toEqual([
      ['class_level', ['class_key', 'class_key_2']],
      ['method_level', ['method_key']],
    ]);
  });

  it('accepts an annotated assignment', () => {
    const { text, spans } = marked(`creds: dict = ⟦c.get_secret(⟦'db'⟧)⟧\ncreds[⟦'k'⟧]`);
    expect(py(text)).toEqual([ref('get_secret', lit(text, spans[1]!, 'db'), spans[0]!, [key(lit(text, spans[2]!, 'k'), 'subscript')])]);
  });

  it('attaches no keys through a variable reassigned between the call and the read', () => {
    const rebinds = [
      'creds = None',
      'creds += 1',
      'for creds in rows: pass',
      'with open(p) as creds: pass',
      '(creds := load())',
      'a, creds = pair',
      '[x, *creds] = rows',
      'del creds',
      'import creds',
      'from m import creds',
      'from m import x as creds',
      'def creds(): pass',
      'class creds: pass',
      'match v:\n        case creds: pass',
      'match v:\n        case {"k": [creds, *_]}: pass',
      'match v:\n        case str() as creds: pass',
      'creds = c.get_secret("again")',
    ];
    for (const rebind of rebinds) {
      const text = `def f():\n    creds = c.get_secret('db')\n    ${rebind}\n    creds['k']\n`;
      const first = py(text)[0]!;
      expect(first.name, rebind).toBe('db');
      expect(first.keys, rebind).toEqual([]);
      // After the read, the same rebinding changes nothing for it.
      const after = py(`def f():\n    creds = c.get_secret('db')\n    creds['k']\n    ${rebind}\n`)[0]!;
      expect(after.keys.map((k) => k.key), rebind).toEqual(['k']);
    }
    // A parameter of the same name is what the variable holds before the assignment only.
    expect(py(`def f(creds):\n    creds['p']\n    creds = c.get_secret('db')\n    creds['k']\n`)[0]!.keys.map((k) => k.key)).toEqual(['k']);
    // The same name bound in another scope, a lambda parameter, a comprehension variable, or a
    // mutation, does not count; writing or deleting a key is not a read.
    for (const harmless of [
      'def g():\n        creds = 1',
      'creds["k2"] = 1',
      'del creds["k2"]',
      'creds["k2"]: str = "v"',
      'x, creds["k2"] = 1, 2',
      'creds.x = 1',
      'print(creds=1)',
      'x: creds = 1',
      'f = lambda creds: creds["lam"]',
      'rows = [creds["comp"] for creds in x]',
      'rows = {c: creds["comp"] for x in y for creds in x}',
      'g = (creds["gen"] for creds in x)',
    ]) {
      const text = `def f():\n    creds = c.get_secret('db')\n    ${harmless}\n    creds['k']\n`;
      expect(py(text)[0]!.keys.map((k) => k.key), harmless).toEqual(['k']);
    }
  });

  it('counts an augmented assignment to a key, and the inner key of a nested target, as reads', () => {
    const text = `creds = c.get_secret('db')\ncreds['a'] += 'x'\ncreds['b']['c'] = 1\n(creds['d'],) = 1,\n`;
    expect(py(text)[0]!.keys.map((k) => k.key)).toEqual(['a', 'b']);
  });

  it('keeps a lambda or generator body, which runs later, to keys that hold for the whole scope', () => {
    const once = `creds = c.get_secret('db')\nf = lambda: creds['lam']\ng = (creds['gen'] for _ in x)\nh = [creds['now'] for _ in x]\n`;
    expect(py(once)[0]!.keys.map((k) => k.key)).toEqual(['lam', 'gen', 'now']);
    // Reassigned later in the scope: the lambda may see either value, so nothing is checked.
    const later = `creds = c.get_secret('db')\nf = lambda: creds['lam']\ng = (creds['gen'] for _ in x)\nh = [creds['now'] for _ in x]\ncreds = None\n`;
    expect(py(later)[0]!.keys.map((k) => k.key)).toEqual(['now']);
  });

  it('attaches a key read to every secret the variable may hold there, over branches, loops, try and match', () => {
    const keysOf = (text: string) => py(text).map((r) => `${r.name}:${r.keys.map((k) => k.key).join(',')}`);
    const c = (name: string) => `conv.utils.get_secret('${name}')`;
    // if / elif / else; a branch that returns does not reach the read.
    expect(keysOf(`def f():\n    if a:\n        v = ${c('a')}\n    elif b:\n        v = ${c('b')}\n        return\n    else:\n        v = ${c('c')}\n    v['k']\n`)).toEqual(['a:k', 'b:', 'c:k']);
    // if without else: the assignment before it still reaches.
    expect(keysOf(`v = ${c('a')}\nif x:\n    v = ${c('b')}\nv['k']\n`)).toEqual(['a:k', 'b:k']);
    // try / except / else / finally: the handler sees the state before and after each statement.
    expect(keysOf(`try:\n    v = ${c('a')}\n    v = ${c('b')}\nexcept E:\n    v['h']\nelse:\n    v['e']\nfinally:\n    v['f']\n`)).toEqual(['a:h,f', 'b:h,e,f']);
    // A loop: the body's assignment reaches the next round's read and the read after the loop;
    // break leaves with what it has; the else runs when the loop ends without break.
    expect(keysOf(`v = ${c('a')}\nfor x in y:\n    v['top']\n    if x:\n        v = ${c('b')}\n        break\n    v = ${c('c')}\nelse:\n    v = ${c('d')}\nv['after']\n`)).toEqual(['a:top', 'b:after', 'c:top', 'd:after']);
    expect(keysOf(`while x:\n    v = ${c('a')}\n    if v['k']: continue\n    v = None\nv['after']\n`)).toEqual(['a:k']);
    // match: each case, and no case matching.
    expect(keysOf(`v = ${c('a')}\nmatch m:\n    case 1:\n        v = ${c('b')}\n    case [1, *_]:\n        v = ${c('c')}\nv['k']\n`)).toEqual(['a:k', 'b:k', 'c:k']);
    // A computed name that does not resolve is an unknown value, like any other.
    expect(keysOf(`v = ${c('a')}\nif x:\n    v = conv.utils.get_secret(name)\nv['k']\n`)).toEqual(['a:', 'null:']);
    // One that resolves is a secret: the key is read from whichever it is.
    expect(keysOf(`v = ${c('a')}\nif x:\n    v = conv.utils.get_secret('b' if y else 'c')\nv['k']\n`)).toEqual(['a:k', 'null:k']);
    // global in a function that assigns it: anything, anywhere.
    expect(keysOf(`v = ${c('a')}\ndef g():\n    global v\n    v = 1\nv['k']\n`)).toEqual(['a:']);
    expect(keysOf(`v = ${c('a')}\ndef g():\n    global v\n    return v\nv['k']\n`)).toEqual(['a:k']);
  });

  it('does not track a variable whose value is more than the call', () => {
    const text = `creds = c.get_secret('db')['user']\ncreds['x']\nother = c.get_secret('db') or {}\nother['y']\n`;
    expect(py(text).map((r) => r.keys.map((k) => k.key))).toEqual([['user'], []]);
  });

  it("reads keys through an attribute of the instance that a method sets to the value, in the class's methods", () => {
    const cls = (more: string) =>
      `class Crm:\n    def __init__(self, conv):\n        self.creds = conv.utils.get_secret('crm_oauth')\n${more}    def cid(self):\n        self.creds['set'] = 1\n        return self.creds['client_id'], self.creds.get('client_secret')\n`;
    expect(py(cls('')).map((r) => [r.name, r.keys.map((k) => k.key)])).toEqual([['crm_oauth', ['client_id', 'client_secret']]]);
    // Written again anywhere (by `=`, `+=`, a tuple's target, `del`), on any object: anything may be there.
    for (const write of ['        self.creds = {}\n', '        self.creds += x\n', '        self.creds, self.y = x\n', '        del self.creds\n', '        other.creds = {}\n']) {
      expect(py(cls(`    def reset(self, x, other):\n${write}`))[0]!.keys, write).toEqual([]);
    }
    // Another class's `self.creds` is another object; a nested function's `self` another name.
    expect(py(`${cls('')}class Other:\n    def cid(self):\n        return self.creds['other']\n`)[0]!.keys.map((k) => k.key)).toEqual(['client_id', 'client_secret']);
    // Held by two statements (two secrets under one attribute): neither is followed.
    expect(py(`class Crm:\n    def a(self, conv):\n        self.creds = conv.utils.get_secret('x')\n    def b(self, conv):\n        self.creds = conv.utils.get_secret('y')\n    def c(self):\n        return self.creds['k']\n`).map((r) => r.keys.length)).toEqual([0, 0]);
  });

  it("reads keys through a helper of the file whose every return is a read: assigned, or read on the call; a method through self", () => {
    const keyed = (text: string) => scan(text, 'python').references.map((r) => [r.name ?? r.candidates?.map((c) => c.name).join('|'), r.keys.map((k) => k.key).sort()]);
    const helper = "def _creds(conv):\n    return conv.utils.get_secret('db')\n\n";
    expect(keyed(`${helper}def f(conv):\n    c = _creds(conv)\n    return c['user'], c.get('password'), _creds(conv)['host']\n`)).toEqual([['db', ['host', 'password', 'user']]]);
    // Each return's read, the name chosen by conv.env (written in the branches, or computed there).
    const byEnv = "def _creds(conv):\n    if conv.env == 'live':\n        return conv.utils.get_secret('db_live')\n    return conv.utils.get_secret('db_test')\n\n";
    expect(keyed(`${byEnv}async def f(conv):\n    c = _creds(conv)\n    return c['user']\n`)).toEqual([['db_live', ['user']], ['db_test', ['user']]]);
    const computed = "def _creds(conv):\n    name = 'db_live' if conv.env == 'live' else 'db_test'\n    return conv.utils.get_secret(name)\n\n";
    expect(keyed(`${computed}def f(conv):\n    c = _creds(conv)\n    return c['user']\n`)).toEqual([['db_live|db_test', ['user']]]);
    const method = "class Client:\n    def __init__(self, conv):\n        self.conv = conv\n\n    def _creds(self):\n        return self.conv.utils.get_secret('crm')\n\n    def call(self):\n        creds = self._creds()\n        return creds['client_id']\n";
    expect(keyed(method)).toEqual([['crm', ['client_id']]]);
  });

  it('a computed key of a subscript: the keys it may take, each where it is written; not a .get, not a guarded or open one', () => {
    const keys = (text: string) => scan(text, 'python').references.flatMap((r) => r.keys.map((k) => (k.key !== null ? k.key : (k.candidates?.map((c) => `${c.name}@${text.slice(c.literal.start, c.literal.end)}`) ?? null))));
    expect(keys('def f(conv):\n    creds = conv.utils.get_secret("db")\n    for k in ("user", "password"):\n        print(len(creds[k]))\n')).toEqual([['user@"user"', 'password@"password"']]);
    expect(keys('USER = "user"\n\ndef f(conv):\n    return conv.utils.get_secret("db")[USER]\n')).toEqual([['user@"user"']]);
    expect(keys('def f(conv):\n    creds = conv.utils.get_secret("db")\n    return {k: creds[k] for k in ["user", "host"]}\n')).toEqual([['user@"user"', 'host@"host"']]);
    expect(keys('def f(conv):\n    creds = conv.utils.get_secret("db")\n    return [creds.get(k) for k in ["user", "host"]]\n')).toEqual([null]);
    expect(keys('def f(conv):\n    creds = conv.utils.get_secret("db")\n    for k in ("user", "pw"):\n        if k in creds:\n            print(len(creds[k]))\n')).toEqual([null]);
    expect(keys('def f(conv, k="user"):\n    return conv.utils.get_secret("db")[k]\n')).toEqual([null]);
    expect(keys('def f(conv, k):\n    return conv.utils.get_secret("db")[k]\n')).toEqual([null]);
  });

  it('a helper is not followed where what it returns is not one known secret for every caller', () => {
    const keyed = (text: string) => scan(text, 'python').references.map((r) => r.keys.map((k) => k.key));
    const call = "def f(conv):\n    c = _creds(conv)\n    return c['user']\n";
    // Another return (a dict), a second def of the name, the name its parameter's, the variable bound again.
    expect(keyed(`def _creds(conv):\n    if conv.env == 'live':\n        return conv.utils.get_secret('db')\n    return {}\n\n${call}`)).toEqual([[]]);
    expect(keyed(`def _creds(conv):\n    return conv.utils.get_secret('db')\n\ndef _creds(conv):\n    return {}\n\n${call}`)).toEqual([[]]);
    expect(keyed("def _creds(conv, name):\n    return conv.utils.get_secret(name)\n\ndef f(conv):\n    c = _creds(conv, 'db')\n    d = _creds(conv, 'api')\n    return c['user']\n")).toEqual([[]]);
    expect(keyed(`def _creds(conv):\n    return conv.utils.get_secret('db')\n\ndef f(conv):\n    c = _creds(conv)\n    c = {}\n    return c['nope']\n`)).toEqual([[]]);
    // A function nested in another, and an attribute call of some other object.
    expect(keyed(`def outer(conv):\n    def _creds():\n        return conv.utils.get_secret('db')\n    return 1\n\n${call}`)).toEqual([[]]);
    expect(keyed(`def _creds(conv):\n    return conv.utils.get_secret('db')\n\ndef f(conv, other):\n    c = other._creds(conv)\n    return c['nope']\n`)).toEqual([[]]);
  });
});

describe('python: environment reads', () => {
  it('finds os.environ[…], os.environ.get(…) and os.getenv(…)', () => {
    const { text, spans } = marked(
      `a = ⟦os.environ[⟦'API_KEY'⟧]⟧\nb = ⟦os.environ.get(⟦"B"⟧, 'd')⟧\nc = ⟦os.getenv(⟦'''C'''⟧)⟧\nd = ⟦os.getenv(key=⟦'D'⟧)⟧\ne = ⟦os.environ[⟦k⟧]⟧`,
    );
    expect(py(text)).toEqual([
      ref('env', lit(text, spans[1]!, 'API_KEY'), spans[0]!),
      ref('env', lit(text, spans[3]!, 'B'), spans[2]!),
      ref('env', lit(text, spans[5]!, 'C'), spans[4]!),
      ref('env', lit(text, spans[7]!, 'D'), spans[6]!),
      ref('env', dyn(spans[9]!), spans[8]!),
    ]);
  });

  it('follows environ and getenv imported from os', () => {
    const { text, spans } = marked(
      `from os import environ, getenv as ge\nfrom elsewhere import getenv\na = ⟦environ[⟦'A'⟧]⟧\nb = ⟦environ.get(⟦'B'⟧)⟧\nc = ⟦ge(⟦'C'⟧)⟧\nd = getenv('not_from_os')`,
    );
    expect(py(text)).toEqual([
      ref('env', lit(text, spans[1]!, 'A'), spans[0]!),
      ref('env', lit(text, spans[3]!, 'B'), spans[2]!),
      ref('env', lit(text, spans[5]!, 'C'), spans[4]!),
    ]);
  });
});

  it('follows a name assigned os.environ, os.getenv or os.environ.get, unless the file binds it to anything else', () => {
    const { text, spans } = marked(
      [
        'import os as o',
        'def f():',
        '    env = o.environ',
        "    a = ⟦env[⟦'A'⟧]⟧",
        "    b = ⟦env.get(⟦'B'⟧)⟧",
        '    e2 = env',
        "    c = ⟦e2.get(⟦'C'⟧)⟧",
        '    getv = os.environ.get',
        "    d = ⟦getv(⟦'D'⟧, '')⟧",
        '    h = os.getenv',
        "    e = ⟦h(⟦'E'⟧)⟧",
      ].join('\n'),
    );
    expect(py(text)).toEqual([
      ref('env', lit(text, spans[1]!, 'A'), spans[0]!),
      ref('env', lit(text, spans[3]!, 'B'), spans[2]!),
      ref('env', lit(text, spans[5]!, 'C'), spans[4]!),
      ref('env', lit(text, spans[7]!, 'D'), spans[6]!),
      ref('env', lit(text, spans[9]!, 'E'), spans[8]!),
    ]);
    const rebound = ['import os', 'def f():', '    env = os.environ', "    env['A']", 'def other(cfg):', '    env = cfg', "    env.get('not_a_variable')", 'def third(g=os.getenv):', "    g('X')"];
    expect(py(rebound.join('\n'))).toEqual([]);
  });

describe('python: writes, definitions and arguments', () => {
  it('keeps environment writes and deletes apart; += and a part of the value are reads', () => {
    const text = [
      "os.environ['A'] = '1'",
      "del os.environ['B'], x",
      "os.environ[name] = old",
      "a, os.environ['C'] = 1, 2",
      "(os.environ['D'],) = [1]",
      "os.environ['E']: str = 'v'",
      "for os.environ['F'] in vals: pass",
      "with ctx() as os.environ['G']: pass",
      "x = os.environ['H'] = y",
      "os.environ['I'] += 'x'",
      "os.environ['J'][0] = 1",
      "os.environ['K'].attr = 1",
      "f(os.environ['L'] == 'x')",
      "d = {os.environ['M']: 1}",
      "del (os.environ['N'])",
      "with ctx() as (os.environ['O'], y): pass",
    ].join('\n');
    const result = scan(text, 'python');
    expect(result.writes.map((r) => r.name)).toEqual(['A', 'B', null, 'C', 'D', 'E', 'F', 'G', 'H', 'N', 'O']);
    expect(result.references.map((r) => r.name)).toEqual(['I', 'J', 'K', 'L', 'M']);
  });

  it('takes def and class of a get_secret or getenv name for definitions, not calls', () => {
    const text = [
      'try:',
      '    from vaultlib import get_secret as _get_secret',
      'except ImportError:',
      '    def _get_secret(key, default=None):',
      '        return default',
      'from conv.utils import get_secret',
      'from os import getenv',
      'class get_secret(Base): pass',
      'class T:',
      '    def get_secret(self, name): pass',
      '    async def getenv(self, key): pass',
      "_get_secret('a')",
    ].join('\n');
    expect(py(text).map((r) => r.name)).toEqual(['a']);
  });

  it('reads name= beside **kwargs, a parenthesised literal, and os imported under another name', () => {
    expectOne(`⟦c.get_secret(name=⟦'missing_name'⟧, **extra)⟧`, 'missing_name');
    expectOne(`⟦c.get_secret(⟦**extra⟧)⟧`, null);
    expectOne(`⟦c.get_secret(((⟦'name'⟧)))⟧`, 'name');
    expectOne(`⟦c.get_secret((⟦'na'⟧ ⟦'me'⟧))⟧`.replace(/⟦'na'⟧ ⟦'me'⟧/, "⟦'na' 'me'⟧"), 'name');
    const { text, spans } = marked(`import os as _os
a = ⟦_os.environ.get(⟦'A'⟧)⟧
b = ⟦_os.getenv(⟦'B'⟧)⟧
c = ⟦_os.environ[⟦'C'⟧]⟧
other.environ['X']`);
    expect(py(text)).toEqual([
      ref('env', lit(text, spans[1]!, 'A'), spans[0]!),
      ref('env', lit(text, spans[3]!, 'B'), spans[2]!),
      ref('env', lit(text, spans[5]!, 'C'), spans[4]!),
    ]);
  });
});

describe('python: half-typed code', () => {
  it('yields an unclosed literal for an unterminated string at the end of a line or the file', () => {
    const { text, spans } = marked(`x = ⟦conv.utils.get_secret(⟦'stri⟧⟧\ny = 1\n`);
    expect(py(text)).toEqual([ref('get_secret', lit(text, spans[1]!, 'stri', false), spans[0]!)]);
    const eof = marked(`x = ⟦conv.utils.get_secret(⟦"stri⟧⟧`);
    expect(py(eof.text)).toEqual([ref('get_secret', lit(eof.text, eof.spans[1]!, 'stri', false), eof.spans[0]!)]);
  });

  it('yields an empty literal after `(` while no argument is typed, without swallowing the next line', () => {
    const { text } = marked(`def f():\n    x = conv.utils.get_secret(\n    y = conv.utils.get_secret('next')\n`);
    const open = text.indexOf('get_secret(') + 'get_secret('.length;
    const refs = py(text);
    expect(refs[0]).toEqual(ref('get_secret', empty(open), { start: text.indexOf('conv'), end: open }));
    expect(refs[1]!.name).toBe('next');
    expect(py('conv.utils.get_secret(')).toEqual([ref('get_secret', empty(22), { start: 0, end: 22 })]);
  });

  it('puts the empty literal after `name=` while its value is not typed yet', () => {
    const text = 'x = c.get_secret(name=)\ny = c.get_secret(default=1, name=';
    const at1 = text.indexOf('name=') + 5;
    const at2 = text.lastIndexOf('name=') + 5;
    expect(py(text).map((r) => r.literal)).toEqual([empty(at1), empty(at2)]);
  });

  it("yields an unclosed key for `creds['` and an empty one for `creds[`", () => {
    const { text, spans } = marked(`creds = ⟦c.get_secret(⟦'db'⟧)⟧\nu = creds[⟦'us⟧\nv = creds[⟦⟧\nw = creds.get(⟦⟧\n`);
    expect(py(text)).toEqual([
      ref('get_secret', lit(text, spans[1]!, 'db'), spans[0]!, [
        key(lit(text, spans[2]!, 'us', false), 'subscript'),
        key(empty(spans[3]!.start), 'subscript'),
        key(empty(spans[4]!.start), 'get'),
      ]),
    ]);
  });

  it('runs an unterminated triple-quoted string to the end of the file', () => {
    const { text, spans } = marked(`⟦c.get_secret(⟦'''abc\ndef⟧⟧`);
    expect(py(text)).toEqual([ref('get_secret', lit(text, spans[1]!, 'abc\ndef', false), spans[0]!)]);
  });

  it('does not take a continuation line that starts with a string, or follows a comma, for a new statement', () => {
    expectOne(`def f():\n    x = ⟦conv.utils.get_secret(\n⟦'at_column_zero'⟧)⟧\n`, 'at_column_zero');
    expectOne(`def f():\n    x = ⟦conv.utils.get_secret(⟦name⟧,\n    default)⟧\n`, null);
  });

  it('keeps finding references after an unterminated f-string placeholder', () => {
    const refs = py(`x = f'{a\ny = c.get_secret('after')\n`);
    expect(refs.map((r) => r.name)).toEqual(['after']);
  });
});
