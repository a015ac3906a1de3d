// Seeded random source files for the differential test: every form of reference the scanner must
// find, mixed with strings of every kind, comments, docstrings, f-strings / templates, nesting,
// multi-line calls, aliases, key reads and decoys. Always syntactically valid, so tree-sitter can
// serve as the oracle.

export type Rand = () => number;

/** mulberry32: small, fast and deterministic. */
export function prng(seed: number): Rand {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(rand: Rand, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const chance = (rand: Rand, p: number): boolean => rand() < p;

const NAMES = ['stripe_key', 'api_token', 'db_creds', 'x_bearer', 'openai', 'svc1_oauth', 'a', 'mail_pw', 'é_name'];
const ENV_NAMES = ['API_KEY', 'X_BEARER_TOKEN', 'DB_URL', 'A1', 'OPENAI_API_KEY'];
const KEYS = ['client_id', 'client_secret', 'user', 'password', 'k'];

// ---------------- Python ----------------

/** Stands for the indentation of the statement a continuation line belongs to. */
const IND = '\u0001';

/** A Python string literal spelling `text` (which holds only [a-zA-Z0-9_é]). */
function pyString(rand: Rand, text: string): string {
  const r = rand();
  if (r < 0.25) return `'${text}'`;
  if (r < 0.4) return `"${text}"`;
  if (r < 0.45) return `'''${text}'''`;
  if (r < 0.5) return `"""${text}"""`;
  if (r < 0.6) {
    const quote = pick(rand, ["'", '"']);
    return `${pick(rand, ['r', 'R', 'u', 'U', 'f', 'F', 'rf', 'Rb', 'bR', 'br', 'fR', 'B', 'b'])}${quote}${text}${quote}`;
  }
  if (r < 0.7 && text.length >= 2) {
    // Implicit concatenation, sometimes over lines inside the call's parentheses.
    const cut = 1 + Math.floor(rand() * (text.length - 1));
    const sep = chance(rand, 0.3) ? `\n${IND}        ` : chance(rand, 0.5) ? ' ' : '';
    return `${pyString(rand, text.slice(0, cut))}${sep}${pyString(rand, text.slice(cut))}`;
  }
  if (r < 0.8 && text.includes('_')) return `'${text.replace('_', pick(rand, ['\\x5f', '\\137', '\\u005f', '\\x5F']))}'`;
  if (r < 0.85) return `f'${text}{{x}}'`;
  return `'${text}'`;
}

function pyDynamic(rand: Rand): string {
  return pick(rand, [
    `f'{prefix}_key'`,
    `f"svc{n:>3}_{m!r}"`,
    'name_var',
    `'a' + suffix`,
    'names[0]',
    `PREFIX + "x"`,
    'str(n)',
    `F'{d["k"]}'`,
    '*args',
    `('paren')`,
    `rf'{x}'`,
  ]);
}

function pyNameArg(rand: Rand): string {
  return chance(rand, 0.85) ? pyString(rand, pick(rand, NAMES)) : pyDynamic(rand);
}

function pyKeyArg(rand: Rand, subscript: boolean): string {
  if (chance(rand, 0.85)) return pyString(rand, pick(rand, KEYS));
  return pick(rand, subscript ? ['key', `f'{k}'`, 'KEYS[i]', '1:2', `'a', 'b'`] : ['key', `f'{k}'`, 'KEYS[i]']);
}

interface PyFile {
  aliases: string[];
  environ: string | null;
  getenv: string | null;
}

/** A call on one line with only plain single-quoted strings: fits inside an f-string's braces. */
function pyFlatCall(rand: Rand, file: PyFile): string {
  const fn = file.aliases.length > 0 && chance(rand, 0.3) ? pick(rand, file.aliases) : `${pick(rand, ['conv.utils', 'self.conv'])}.get_secret`;
  const key = chance(rand, 0.3) ? pick(rand, [`['${pick(rand, KEYS)}']`, `.get('${pick(rand, KEYS)}')`]) : '';
  return `${fn}('${pick(rand, NAMES)}')${key}`;
}

function pyCall(rand: Rand, file: PyFile): string {
  const arg = pyNameArg(rand);
  const receiver = pick(rand, ['conv.utils', 'conv.utils', 'self.conv.utils', 'ctx()', 'agent.conv().utils', `conv.utils \\\n${IND}        `]);
  const r = rand();
  let fn: string;
  if (file.aliases.length > 0 && r < 0.25) fn = pick(rand, file.aliases);
  else fn = `${receiver}.get_secret`;
  const s = rand();
  // The platform's keyword, and `name=` as other APIs have it.
  if (s < 0.05) return `${fn}(secret_name=${arg})`;
  if (s < 0.1) return `${fn}(name=${arg})`;
  if (s < 0.2) return `${fn}(\n${IND}    ${arg},\n${IND})`;
  if (s < 0.25) return `${fn}(  # the secret\n${IND}    ${arg}  # its name\n${IND})`;
  if (s < 0.3) return `${fn}(${arg}, default=None)`;
  if (s < 0.33) return `${fn}(default=1, name=${arg})`;
  return `${fn}(${arg})`;
}

function pyKeyRead(rand: Rand): string {
  return chance(rand, 0.6) ? `[${pyKeyArg(rand, true)}]` : chance(rand, 0.5) ? `.get(${pyKeyArg(rand, false)})` : `.get(${pyKeyArg(rand, false)}, None)`;
}

function pyEnv(rand: Rand, file: PyFile): string {
  const n = chance(rand, 0.85) ? pyString(rand, pick(rand, ENV_NAMES)) : pick(rand, ['var', `f'{p}_KEY'`]);
  const forms = [`os.environ[${n}]`, `os.environ.get(${n})`, `os.environ.get(${n}, "dflt")`, `os.getenv(${n})`, `os.getenv(key=${n})`];
  if (file.environ) forms.push(`${file.environ}[${n}]`, `${file.environ}.get(${n})`);
  if (file.getenv) forms.push(`${file.getenv}(${n}, 'x')`);
  return pick(rand, forms);
}

const PY_DECOYS = [
  `# conv.utils.get_secret('in_comment') and os.environ['NOPE']`,
  `"""A docstring: conv.utils.get_secret('in_docstring')\n    spanning lines, os.getenv("NOPE") too."""`,
  `s = 'conv.utils.get_secret("in_string")'`,
  `s = "os.environ['IN_STRING']"`,
  `s = r'get_secret(\\'x\\')'`,
  `t = f"text get_secret('in_fstring_text') {value}"`,
  `get_secrets('plural')`,
  `my_get_secret('prefixed')`,
  `x.get_secret_name('longer')`,
  `conv.utils.get_secret`,
  `os.environ`,
  `other.environ['X']`,
  `b = b'get_secret("bytes")'`,
  `q = '''\nconv.utils.get_secret('in_triple')\n'''`,
  `n = 1 / 2 # get_secret('after_division')`,
  `d = {'get_secret': 1, "k": [1, 2, 3]}`,
  `get_secret('bare_when_imported_only')`,
];

/**
 * Secrets assigned in branches (if/elif/else, try/except/finally, loops with break/continue/else,
 * match), environment and key writes, shadowing, `**kwargs`, parenthesised names, `import os as`.
 */
function pyFlowCases(rand: Rand, file: PyFile, indent: string): string[] {
  const f = () => pyFlatCall(rand, file);
  const k = () => pick(rand, KEYS);
  const n = () => pyString(rand, pick(rand, ENV_NAMES));
  const b = `\n${indent}    `;
  const bb = `\n${indent}        `;
  const cases = [
    `if ok:${b}creds = ${f()}\nelif n > 1:${b}creds = ${f()}${b}return None\nelse:${b}creds = ${f()}\nprint(creds['${k()}'], creds.get('${k()}'))`,
    `try:${b}cr = ${f()}\nexcept Exception:${b}cr = ${f()}\nfinally:${b}log(cr['${k()}'])\ncr['${k()}']`,
    `try:${b}cr = ${f()}\nexcept KeyError:${b}raise\nelse:${b}cr['${k()}']\ncr['${k()}']`,
    `for item in items:${b}if item:${bb}tk = ${f()}${bb}break${b}tk = load(item)\nelse:${b}tk = ${f()}\ntk['${k()}']`,
    `while cond():${b}wc = ${f()}${b}if wc['${k()}']: continue${b}wc = None\nwc['${k()}']`,
    `match mode:${b}case 'a':${bb}mc = ${f()}${b}case {'x': mc}:${bb}pass${b}case _:${bb}mc = ${f()}\nmc['${k()}']`,
    `mt = ${f()}\nmatch mt:${b}case [x, *rest] if mt['${k()}']:${bb}mt['${k()}']${b}case str() as mt:${bb}pass\nmt['${k()}']`,
    `with ctx() as wt:${b}wt = ${f()}\nwt['${k()}']`,
    `os.environ[${n()}] = 'v'; del os.environ[${n()}]`,
    `os.environ[${n()}] += 'x'`,
    `a, os.environ[${n()}] = 1, 2`,
    `os.environ[${n()}]: str = 'v'`,
    `for os.environ[${n()}] in vals: pass`,
    `with ctx() as os.environ[${n()}]: pass`,
    `with ctx() as (os.environ[${n()}], wy), other() as [wz, os.environ[${n()}]]: pass`,
    `del (os.environ[${n()}]), x`,
    `(os.environ[${n()}],) = [os.environ[${n()}]]`,
    `os.environ[${n()}][0] = os.environ.get(${n()})`,
    `kw = ${f()}\nkw['new'] = 1\nkw['${k()}'] += 'x'\ndel kw['old']\nkw['${k()}']['b'] = 2\nkw['${k()}']`,
    `lc = ${f()}\nfl = lambda lc: lc['shadow']\nrs = [lc['s'] for lc in rows]\nfl2 = lambda: lc['${k()}']\ngen = (lc['${k()}'] for _ in rows)\nlc['${k()}']`,
    `ds = conv.utils.get_secret(name=${pyNameArg(rand)}, **extra)\ndt = conv.utils.get_secret(**extra)\ndv = conv.utils.get_secret(default=None, secret_name='kw_name', **extra)\ndw = conv.utils.get_secret()\ndu = conv.utils.get_secret((${pyString(rand, pick(rand, NAMES))}))`,
    `import os as _os\nv1 = _os.environ[${n()}]\nv2 = _os.getenv(${n()})\n_os.environ[${n()}] = 'w'`,
    `gl = ${f()}\ndef setter():${b}global gl${b}gl = None\ngl['${k()}']`,
  ];
  if (file.aliases.length > 0) cases.push(`def ${pick(rand, file.aliases)}(key, default=None):${b}return key`);
  return cases;
}

function pyStatements(rand: Rand, file: PyFile, indent: string, depth: number): string[] {
  const out: string[] = [];
  const count = 3 + Math.floor(rand() * 8);
  for (let i = 0; i < count; i++) {
    const r = rand();
    if (r < 0.12) {
      out.push(`x${i} = ${pyCall(rand, file)}`);
    } else if (r < 0.2) {
      out.push(`v${i} = ${pyCall(rand, file)}${pyKeyRead(rand)}`);
    } else if (r < 0.36) {
      // A variable assigned once from a call, then keys read through it (or reassigned).
      const v = pick(rand, ['creds', 'token', 'cfg', 'c']);
      const annotated = chance(rand, 0.15) ? ': dict' : '';
      out.push(`${v}${annotated} = ${pyCall(rand, file)}`);
      const uses = 1 + Math.floor(rand() * 3);
      for (let u = 0; u < uses; u++) {
        out.push(
          pick(rand, [
            `print(${v}${pyKeyRead(rand)})`,
            `h = {"a": ${v}${pyKeyRead(rand)}, "b": 2}`,
            `m = f"{${v}['${pick(rand, KEYS)}']} and {${v}.get('${pick(rand, KEYS)}')!r:>{w}} x"`,
            `n = f'{${v}['${pick(rand, KEYS)}']}'  # Python 3.12: the same quotes inside`,
            `other.${v}['not_this']`,
            `if ${v}: y = ${v}${pyKeyRead(rand)}`,
          ]),
        );
      }
      if (chance(rand, 0.25)) {
        out.push(
          pick(rand, [
            `${v} = None`,
            `${v} += 1`,
            `for ${v} in items: pass`,
            `with open(p) as ${v}: pass`,
            `(${v} := load())`,
            `a, ${v} = pair`,
            `del ${v}`,
            `[${v} for ${v} in rows]`,
            `f = lambda ${v}: 0`,
          ]),
        );
      }
      if (chance(rand, 0.15)) out.push(`def inner():\n${indent}    return ${v}['inner_key']`);
    } else if (r < 0.46) {
      out.push(`e${i} = ${pyEnv(rand, file)}`);
    } else if (r < 0.56) {
      out.push(pick(rand, PY_DECOYS));
    } else if (r < 0.62) {
      out.push(`headers = {"Authorization": f"Bearer {${pyFlatCall(rand, file)}}", 'X': f'{${pyFlatCall(rand, file).replace(/'/g, '"')}}'}`);
    } else if (r < 0.66) {
      out.push(`getter = lambda: ${pyCall(rand, file)}`);
    } else if (r < 0.7) {
      out.push(`vals = [${pyCall(rand, file)} for n in names if n]`);
    } else if (r < 0.74) {
      out.push(`cfg2 = {"a": ${pyCall(rand, file)}, "b": ${pyEnv(rand, file)}}`);
    } else if (r < 0.8 && depth < 2) {
      const body = pyStatements(rand, file, indent + '    ', depth + 1);
      out.push(`if cond${i}:\n${body.map((l) => indent + '    ' + l).join('\n')}`);
    } else if (r < 0.82) {
      out.push(
        pick(rand, [
          `a = 1; cfg3 = ${pyFlatCall(rand, file)}; cfg3['k']`,
          `if ok: creds = ${pyFlatCall(rand, file)}\nelse: creds = None`,
          `try:\n${indent}    tok = ${pyFlatCall(rand, file)}\nexcept KeyError as err:\n${indent}    tok = err.args[0]['x']`,
          `async with session() as s2:\n${indent}    s2['k'] = ${pyFlatCall(rand, file)}`,
          `rows = {k: ${pyFlatCall(rand, file)} for k in keys if (n := len(k))}`,
          `print(*names, sep=${pyString(rand, 'x')}, end=os.environ.get('END', '\\n'))`,
          `global G\nG = ${pyFlatCall(rand, file)}\nG['k']`,
          `def helper(conv=conv, key=${pyString(rand, 'k')}):\n${indent}    creds = ${pyFlatCall(rand, file)}\n${indent}    return creds[key], creds['h']`,
          `x = [1, 2][0] if a < b < c else -1  # a 'comparison" chain`,
          `lam = lambda d, k='key': d[k] + conv.utils.get_secret('in_lambda')`,
          ...pyFlowCases(rand, file, indent),
        ]),
      );
    } else if (r < 0.84) {
      out.push(`resp = requests.get(url, headers=headers, timeout=10)  # 'quote" in comment`);
    } else if (r < 0.88) {
      out.push(`total = (a +\n${indent}         b) / 2 if ok else {'k': [1, (2, 3)]}`);
    } else if (r < 0.92) {
      out.push(`fn = conv.utils.get_secret  # an alias inside a scope is file-wide\nz = fn(${pyNameArg(rand)})`);
      file.aliases.push('fn');
    } else {
      out.push(`return ${pyCall(rand, file)}`);
    }
  }
  return out.map((s) => s.replace(/\n(?=\S)/g, '\n' + indent).replace(/\u0001/g, indent));
}

/** One Python file of roughly `functions` functions. */
export function pythonFile(rand: Rand, functions: number): string {
  const file: PyFile = { aliases: [], environ: null, getenv: null };
  const head: string[] = ['"""Module docstring: conv.utils.get_secret(\'module_doc\')."""', 'import os', 'import requests'];
  if (chance(rand, 0.5)) {
    head.push('from conv.utils import get_secret');
    file.aliases.push('get_secret');
  }
  if (chance(rand, 0.4)) {
    head.push('from conv.utils import (\n    other_thing,\n    get_secret as gs,\n)');
    file.aliases.push('gs');
  }
  if (chance(rand, 0.3)) {
    head.push('fetch_secret = conv.utils.get_secret');
    file.aliases.push('fetch_secret');
    if (chance(rand, 0.5)) {
      head.push('fs2 = fetch_secret');
      file.aliases.push('fs2');
    }
  }
  if (chance(rand, 0.4)) {
    file.environ = chance(rand, 0.5) ? 'environ' : 'env';
    head.push(file.environ === 'environ' ? 'from os import environ' : 'from os import environ as env');
  }
  if (chance(rand, 0.4)) {
    file.getenv = 'getenv';
    head.push('from os import getenv');
  }
  const body: string[] = [];
  body.push(...pyStatements(rand, file, '', 0));
  for (let f = 0; f < functions; f++) {
    const kind = rand();
    if (kind < 0.7) {
      const decorator = chance(rand, 0.2) ? `@tool(name='t${f}')\n` : '';
      const asyncKw = chance(rand, 0.15) ? 'async ' : '';
      const params = pick(rand, ['conv', 'conv, item_id', 'conv, creds=None', 'conv, *args, **kw', 'conv, n: int = 3']);
      const doc = chance(rand, 0.5) ? `    """Fetch: conv.utils.get_secret('doc${f}') is not a reference."""\n` : '';
      const stmts = pyStatements(rand, file, '    ', 0);
      body.push(`${decorator}${asyncKw}def handler_${f}(${params}):\n${doc}${stmts.map((l) => '    ' + l).join('\n')}`);
    } else {
      const methods: string[] = [];
      for (let m = 0; m < 2; m++) {
        const stmts = pyStatements(rand, file, '        ', 0);
        methods.push(`    def m${m}(self, conv):\n${stmts.map((l) => '        ' + l).join('\n')}`);
      }
      body.push(`class Tool${f}(Base):\n    token = conv.utils.get_secret('class_attr')\n\n${methods.join('\n\n')}`);
    }
  }
  return `${head.join('\n')}\n\n${body.join('\n\n')}\n`;
}

// ---------------- JavaScript / TypeScript ----------------

function jsString(rand: Rand, text: string): string {
  const r = rand();
  if (r < 0.35) return `'${text}'`;
  if (r < 0.65) return `"${text}"`;
  if (r < 0.8) return `\`${text}\``;
  if (r < 0.9 && text.includes('_')) return `'${text.replace('_', pick(rand, ['\\x5f', '\\u005f', '\\u{5f}', '\\_']))}'`;
  return `"${text}"`;
}

function jsNameArg(rand: Rand): string {
  return chance(rand, 0.85) ? jsString(rand, pick(rand, NAMES)) : pick(rand, ['`svc_${id}`', 'nameVar', "'a' + b", 'names[0]', 'f(x)']);
}

function jsEnv(rand: Rand): string {
  const n = pick(rand, ENV_NAMES);
  return pick(rand, [`process.env.${n}`, `process.env.${n}`, `process.env['${n}']`, `process.env["${n}"]`, `process.env[\`${n}\`]`, 'process.env[key]', `process.env.${n}.length`]);
}

function jsCall(rand: Rand, ts = false): string {
  const receivers = ['conv.utils', 'this.conv', 'ctx()', 'a.b(c)[0]', '(cond ? a : b)', 'conv\n      .utils', 'new Client(key)', 'a?.b'];
  if (ts) receivers.push('conv!.utils', 'this.conv!');
  const receiver = pick(rand, receivers);
  const arg = jsNameArg(rand);
  if (chance(rand, 0.1)) return `${receiver}.get_secret?.(${arg})`;
  return chance(rand, 0.15) ? `${receiver}.get_secret(\n      ${arg},\n    )` : `${receiver}.get_secret(${arg})`;
}

const JS_DECOYS = [
  `// conv.utils.get_secret('in_comment') process.env.NOPE`,
  `/* process.env.NOPE\n   conv.utils.get_secret("in_block") */`,
  `const s = 'process.env.NOPE';`,
  `const d = "conv.utils.get_secret('in_string')";`,
  `const re = /process\\.env\\.NOPE['"]\\/\\//g;`,
  `const re2 = /[/'"]get_secret\\(/;`,
  `const half = total / 2 / count; // process.env.NOPE`,
  `const t = \`plain template get_secret('x') process.env.NOPE\`;`,
  `x.get_secret_name('no');`,
  `get_secret('bare_is_not_a_js_reference');`,
  `const o = { get_secret: 1, env: process.envx };`,
  `a.process.env.NOPE;`,
];

/** A JSX element: its text holds quotes and slashes that are not code; its braces hold code. */
function jsxElement(rand: Rand): string {
  const inner = pick(rand, [
    `{${jsEnv(rand)}}`,
    `{${jsCall(rand).replace(/\n\s*/g, '')}}`,
    `<Item name={\`\${${jsEnv(rand)}}\`} onClick={() => call(${jsEnv(rand)})} />`,
    `<>{cond ? <b title="it's">{${jsEnv(rand)}}</b> : null}</>`,
    `{/* process.env.NOPE */}`,
  ]);
  return `const view = (\n  <div className="card" title='say "hi"' data-x={${jsEnv(rand)}}>\n    Don't {${jsEnv(rand)}} / it's // not a comment, process.env.NOPE\n    ${inner}\n    <Foo.Bar /> <span>a / b 'c' \`d\`</span>\n  </div>\n);`;
}

function jsStatements(rand: Rand, ts: boolean, depth: number): string[] {
  const out: string[] = [];
  const count = 3 + Math.floor(rand() * 8);
  for (let i = 0; i < count; i++) {
    const r = rand();
    const typ = ts ? pick(rand, [': string', ': string | undefined', '']) : '';
    if (r < 0.2) out.push(`const e${i}${typ} = ${jsEnv(rand)}${ts && chance(rand, 0.3) ? ' as string' : ''};`);
    else if (r < 0.35) {
      // tree-sitter-javascript reads `await (x).m()` as `(await (x)).m()`; keep parentheses out of it.
      const call = jsCall(rand, ts);
      out.push(`const s${i} = ${call.startsWith('(') ? '' : 'await '}${call};`);
    }
    else if (r < 0.5) out.push(pick(rand, JS_DECOYS));
    else if (r < 0.58) out.push(`const url = \`https://\${host}/\${${jsEnv(rand)}}/x?k=\${\`\${${jsCall(rand).replace(/\n\s*/g, '')}}\`}\`;`);
    else if (r < 0.64) out.push(`const ratio = a / b / (c || 1); const m = s.match(/\\d+\\/['"]/g);`);
    else if (r < 0.7) out.push(`call(${jsEnv(rand)}, { key: ${jsCall(rand)} }, [1, 2]);`);
    else if (r < 0.76 && depth < 2) out.push(`if (ok) {\n${jsStatements(rand, ts, depth + 1).map((l) => '  ' + l).join('\n')}\n}`);
    else if (r < 0.8) out.push(`const f${i} = (x${ts ? ': number' : ''}) => x / 2;`);
    else if (r < 0.82) {
      const n = pick(rand, ENV_NAMES);
      out.push(pick(rand, [`process.env.${n} = 'v';`, `delete process.env.${n};`, `process.env['${n}'] = x;`, `process.env.${n} += 'x';`, `process.env.${n} ??= 'd';`, `process.env.${n}.x = 1;`, `a = process.env.${n} = b;`, `delete process.env['${n}'];`]));
    }
    else if (r < 0.85 && ts) out.push(`const n${i}: Map<string, number> = new Map<string, number>(); const k${i} = process.env.API_KEY!;`);
    else if (r < 0.9) out.push(chance(rand, 0.5) ? `return ${jsCall(rand)};` : jsxElement(rand));
    else out.push(`const z${i} = cond ? ${jsEnv(rand)} : "default";`);
  }
  return out;
}

/** One JavaScript or TypeScript file of roughly `functions` functions. */
export function jsFile(rand: Rand, functions: number, ts: boolean): string {
  const parts: string[] = [`import { thing } from './thing';`, `'use strict';`];
  if (ts) parts.push(`interface Config {\n  key: string; // process.env.NOPE\n  other?: number;\n}`, `type Mode = 'process.env.NOPE' | "get_secret('no')";`);
  for (let f = 0; f < functions; f++) {
    const body = jsStatements(rand, ts, 0).map((l) => '  ' + l.replace(/\n/g, '\n  ')).join('\n');
    if (ts && chance(rand, 0.3)) parts.push(`export async function handler${f}<T>(conv: Conv, input: T): Promise<void> {\n${body}\n}`);
    else if (chance(rand, 0.2)) parts.push(`class Tool${f} {\n  async run(conv) {\n  ${body.replace(/\n/g, '\n  ')}\n  }\n}`.replace(/run\(conv\)/, ts ? 'run(conv: Conv)' : 'run(conv)'));
    else parts.push(`async function handler${f}(conv${ts ? ': Conv' : ''}) {\n${body}\n}`);
  }
  return parts.join('\n\n') + '\n';
}
