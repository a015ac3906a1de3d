// The `secret-in-log` engine (server/src/service/leaks/): secret values followed from their
// reference to a sink. The corpus in test/fixtures/flows/ marks each expected finding on its line
// (`# expect: secret-in-log NAME via SINK`); everything else there must stay quiet. The focused
// cases check each step kind's location and message, each sanitiser, each sink, the scope and
// order decisions, and a large generated file.

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DISPLAY_FUNCTIONS, findSecretSinks, SANITISERS, SINKS, type LeakOrigin, type SecretLeak } from '../../server/src/service/leaks';
import { isDisplayFunction, isDisplayFunctionAt } from '../../server/src/service/leaks/sinks';
import { MAX_SHOWN_STEPS } from '../../server/src/service/leaks/findings';
import { SINK_PREFILTER } from '../../server/src/service/leaks/queue';
import { scan } from '../../server/src/service/analyze';
import { scanReferences } from '../../server/src/service/frontEnds';
import { pythonModuleNames } from '../../server/src/service/python/nameSets';
import type { ScanLanguage, SecretReference } from '../../server/src/service/scan/types';
import { jsFile, prng, pythonFile } from './scan/corpus';

const FIXTURES = path.resolve(__dirname, '../fixtures/flows');
/** One origin of a leak with its sink: what most cases here look at (each secret and key that reaches a sink). */
type Flow = LeakOrigin & { sink: string };

/** The leaks' origins, each with its sink, in order. */
function flows(leaks: readonly SecretLeak[]): Flow[] {
  return leaks.flatMap((l) => l.origins.map((o) => ({ ...o, sink: l.sink })));
}

/** Lexes and scans like the scanner does, then runs the flow analysis over the same tokens and statements: its origins (`leaks`) and the leaks themselves (`grouped`). */
function analyse(text: string, language: ScanLanguage = 'python'): { leaks: Flow[]; grouped: SecretLeak[]; references: SecretReference[] } {
  const { result, tokens, structure } = scanReferences(text, language === 'config' ? 'javascript' : language);
  const references = result.references;
  const grouped = findSecretSinks(text, tokens, structure, references);
  return { leaks: flows(grouped), grouped, references };
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** Each step as `line:text → message`, the text being what its span covers. */
function stepsOf(text: string, leak: Flow): string[] {
  return leak.steps.map((s) => `${lineOf(text, s.span.start)}:${text.slice(s.span.start, s.span.end)} → ${s.message}`);
}

/** A finding as the corpus writes it: `line name via sink`. */
function finding(text: string, leak: Flow): string {
  return `${lineOf(text, leak.span.start)} ${leak.source.name ?? '?'} via ${leak.sink}`;
}

function expectations(text: string): string[] {
  const out: string[] = [];
  text.split('\n').forEach((line, i) => {
    for (const m of line.matchAll(/expect: secret-in-log (\S+) via (.+?)(?=;\s*expect:|$)/g)) out.push(`${i + 1} ${m[1]} via ${m[2]!.trim()}`);
  });
  return out.sort();
}

function languageOf(file: string): ScanLanguage {
  return file.endsWith('.py') ? 'python' : file.endsWith('.ts') ? 'typescript' : 'javascript';
}

/** A Python function `f(conv)` with `body` (lines joined, indented); `$S` stands for a secret read. */
function py(...body: string[]): string {
  return `def f(conv):\n${body.map((l) => `    ${l.replaceAll('$S', "conv.utils.get_secret('s')")}`).join('\n')}\n`;
}

/** A JavaScript function with `body`; `$S` stands for a secret read. */
function js(...body: string[]): string {
  return `function f(vault) {\n${body.map((l) => `  ${l.replaceAll('$S', "vault.get_secret('s')")}`).join('\n')}\n}\n`;
}

const PY_SOURCE = "conv.utils.get_secret('s') → read secret 's'";
const JS_SOURCE = "vault.get_secret('s') → read secret 's'";

/** The one finding `source` must produce. */
function only(source: string, language: ScanLanguage = 'python'): { leak: Flow; steps: string[] } {
  const { leaks } = analyse(source, language);
  expect(leaks.map((l) => finding(source, l))).toHaveLength(1);
  return { leak: leaks[0]!, steps: stepsOf(source, leaks[0]!) };
}

describe('the corpus', () => {
  const files = readdirSync(FIXTURES).filter((f) => /\.(py|js|ts)$/.test(f));

  it('has Python, JavaScript and TypeScript files with many expected findings', () => {
    expect(files.some((f) => f.endsWith('.py'))).toBe(true);
    expect(files.some((f) => f.endsWith('.js'))).toBe(true);
    expect(files.some((f) => f.endsWith('.ts'))).toBe(true);
    const total = files.reduce((n, f) => n + expectations(readFileSync(path.join(FIXTURES, f), 'utf8')).length, 0);
    expect(total).toBeGreaterThanOrEqual(45);
  });

  for (const file of files) {
    it(`${file}: every expected finding on its line, with its secret and sink, and nothing else`, () => {
      const text = readFileSync(path.join(FIXTURES, file), 'utf8');
      const { leaks } = analyse(text, languageOf(file));
      // A secret whose two keys reach one sink is one line of the corpus (keys are told apart below).
      expect([...new Set(leaks.map((l) => finding(text, l)))].sort()).toEqual(expectations(text));
    });
  }

  it('says each step with a name, a key or a callee at most: never a value', () => {
    const known = [
      /^read secret '[\w.-]+'$/,
      /^read environment variable '\w+'$/,
      /^read (a secret|an environment variable) whose name is computed$/,
      /^(assigned to|unpacked into|iterated into|appended to|combined into|stored in|added to) [\w.]+$/,
      /^read key '[\w.\- ]+'$/,
      /^(sliced|read an element|read attribute '\w+')$/,
      /^formatted into (an f-string|a template literal)$/,
      /^(formatted with %|concatenated with \+|combined with \S+)$/,
      /^(converted with|passed through|encoded with|formatted with|joined with) [\w.]+\(\)$/,
      /^put in (a|an) (dict|list|tuple|set|generator|object|array)$/,
      /^built into [\w.]+$/,
      /^(passed to|raised in|thrown in) [\w.()…]+$/,
      /^(raised|thrown|used as the assertion message)$/,
      /^returned from ([\w.()…]+|the callback of \w+\(\))$/,
      /^returned by the callback of \w+\(\)$/,
      /^passed to ([\w.()…]+|the callback of \w+\(\)) as ([\w.]+|a pattern)$/,
      /^stored in attribute \w+ by [\w.()…]+$/,
      /^the default of \w+ in [\w.()…]+$/,
      /^… [\d,]+ steps not listed, from here on$/,
      /^requested by [\w.]+$/,
      /^response assigned to [\w.]+: its \w+ is the request's$/,
      /^raised for [\w.]+$/,
      /^caught as \w+: the error names the request's URL$/,
    ];
    let steps = 0;
    for (const file of files) {
      const text = readFileSync(path.join(FIXTURES, file), 'utf8');
      for (const leak of analyse(text, languageOf(file)).leaks) {
        for (const step of leak.steps) {
          steps++;
          expect(known.some((re) => re.test(step.message)), `${file}: ${step.message}`).toBe(true);
        }
      }
    }
    expect(steps).toBeGreaterThan(100);
  });
});

describe('steps', () => {
  // Each case: the body, then the steps after the source read (line:text → message; line 1 is the `def`).
  const python: Array<[string, string[], string[]]> = [
    ['assignment', ['token = $S', 'print(token)'], ['2:token → assigned to token', '3:token → passed to print']],
    ['augmented assignment +=', ['url = "https://x/?t="', 'url += $S', 'print(url)'], ['3:url → appended to url', '4:url → passed to print']],
    ['augmented assignment, other operators', ['factor = 2', 'factor *= $S', 'print(factor)'], ['3:factor → combined into factor', '4:factor → passed to print']],
    ['tuple unpacking, element by element', ['a, b = $S, "x"', 'print(b)', 'print(a)'], ['2:a → unpacked into a', '4:a → passed to print']],
    ['tuple unpacking of a tainted value', ['a, b = $S', 'print(b)'], ['2:b → unpacked into b', '3:b → passed to print']],
    ['walrus', ['if (t := $S):', '    print(t)'], ['2:t → assigned to t', '3:t → passed to print']],
    ['attribute target', ['self.token = $S', 'print(self.token)'], ['2:self.token → assigned to self.token', '3:self.token → passed to print']],
    [
      'for loop',
      ['for part in $S.split(","):', '    print(part)'],
      ['2:conv.utils.get_secret(\'s\').split(",") → passed through .split()', '2:part → iterated into part', '3:part → passed to print'],
    ],
    [
      'comprehension',
      ['parts = [p for p in $S]', 'print(parts)'],
      ['2:p → iterated into p', "2:[p for p in conv.utils.get_secret('s')] → put in a list", '2:parts → assigned to parts', '3:parts → passed to print'],
    ],
    ['f-string', ['print(f"t={$S}")'], [`2:f"t={conv.utils.get_secret('s')}" → formatted into an f-string`, `2:f"t={conv.utils.get_secret('s')}" → passed to print`]],
    ['f-string !r', ['print(f"{$S!r}")'], [`2:f"{conv.utils.get_secret('s')!r}" → formatted into an f-string`, `2:f"{conv.utils.get_secret('s')!r}" → passed to print`]],
    ['f-string =', ['print(f"{$S=}")'], [`2:f"{conv.utils.get_secret('s')=}" → formatted into an f-string`, `2:f"{conv.utils.get_secret('s')=}" → passed to print`]],
    ['% formatting', ['print("t=%s" % $S)'], [`2:"t=%s" % conv.utils.get_secret('s') → formatted with %`, `2:"t=%s" % conv.utils.get_secret('s') → passed to print`]],
    [
      '% formatting with a tuple',
      ['print("%s:%s" % ("u", $S))'],
      [`2:("u", conv.utils.get_secret('s')) → put in a tuple`, `2:"%s:%s" % ("u", conv.utils.get_secret('s')) → formatted with %`, `2:"%s:%s" % ("u", conv.utils.get_secret('s')) → passed to print`],
    ],
    ['.format()', ['print("t={}".format($S))'], [`2:"t={}".format(conv.utils.get_secret('s')) → formatted with .format()`, `2:"t={}".format(conv.utils.get_secret('s')) → passed to print`]],
    ['+ concatenation', ['print("t=" + $S)'], [`2:"t=" + conv.utils.get_secret('s') → concatenated with +`, `2:"t=" + conv.utils.get_secret('s') → passed to print`]],
    ['other operators', ['print($S * 2)'], [`2:conv.utils.get_secret('s') * 2 → combined with *`, `2:conv.utils.get_secret('s') * 2 → passed to print`]],
    ['str()', ['print(str($S))'], [`2:str(conv.utils.get_secret('s')) → converted with str()`, `2:str(conv.utils.get_secret('s')) → passed to print`]],
    ['repr()', ['print(repr($S))'], [`2:repr(conv.utils.get_secret('s')) → converted with repr()`, `2:repr(conv.utils.get_secret('s')) → passed to print`]],
    [
      '.join() of a tainted iterable',
      ['print(", ".join([$S]))'],
      [`2:[conv.utils.get_secret('s')] → put in a list`, `2:", ".join([conv.utils.get_secret('s')]) → joined with .join()`, `2:", ".join([conv.utils.get_secret('s')]) → passed to print`],
    ],
    ['.join() with a tainted separator', ['print($S.join(["a", "b"]))'], [`2:conv.utils.get_secret('s').join(["a", "b"]) → joined with .join()`, `2:conv.utils.get_secret('s').join(["a", "b"]) → passed to print`]],
    ['key read by subscript', ['creds = $S', 'print(creds["password"])'], ['2:creds → assigned to creds', `3:creds["password"] → read key 'password'`, '3:creds["password"] → passed to print']],
    ['key read by .get()', ['print($S.get("user"))'], [`2:conv.utils.get_secret('s').get("user") → read key 'user'`, `2:conv.utils.get_secret('s').get("user") → passed to print`]],
    ['slice', ['token = $S', 'print(token[:4])'], ['2:token → assigned to token', '3:token[:4] → sliced', '3:token[:4] → passed to print']],
    ['element', ['parts = $S.split(":")', 'print(parts[0])'], [`2:conv.utils.get_secret('s').split(":") → passed through .split()`, '2:parts → assigned to parts', '3:parts[0] → read an element', '3:parts[0] → passed to print']],
    ['attribute', ['print($S.value)'], [`2:conv.utils.get_secret('s').value → read attribute 'value'`, `2:conv.utils.get_secret('s').value → passed to print`]],
    [
      'methods of a tainted receiver',
      ['print($S.strip().encode())'],
      [`2:conv.utils.get_secret('s').strip() → passed through .strip()`, `2:conv.utils.get_secret('s').strip().encode() → passed through .encode()`, `2:conv.utils.get_secret('s').strip().encode() → passed to print`],
    ],
    ['dict', ['print({"k": $S})'], [`2:{"k": conv.utils.get_secret('s')} → put in a dict`, `2:{"k": conv.utils.get_secret('s')} → passed to print`]],
    ['list', ['print([$S])'], [`2:[conv.utils.get_secret('s')] → put in a list`, `2:[conv.utils.get_secret('s')] → passed to print`]],
    ['tuple', ['print(($S, 1))'], [`2:(conv.utils.get_secret('s'), 1) → put in a tuple`, `2:(conv.utils.get_secret('s'), 1) → passed to print`]],
    ['set', ['print({$S})'], [`2:{conv.utils.get_secret('s')} → put in a set`, `2:{conv.utils.get_secret('s')} → passed to print`]],
    [
      'json.dumps()',
      ['print(json.dumps({"k": $S}))'],
      [`2:{"k": conv.utils.get_secret('s')} → put in a dict`, `2:json.dumps({"k": conv.utils.get_secret('s')}) → passed through json.dumps()`, `2:json.dumps({"k": conv.utils.get_secret('s')}) → passed to print`],
    ],
    [
      'base64',
      ['print(base64.b64encode($S.encode()))'],
      [
        `2:conv.utils.get_secret('s').encode() → passed through .encode()`,
        `2:base64.b64encode(conv.utils.get_secret('s').encode()) → encoded with base64.b64encode()`,
        `2:base64.b64encode(conv.utils.get_secret('s').encode()) → passed to print`,
      ],
    ],
    ['urllib.parse.quote()', ['print(urllib.parse.quote($S))'], [`2:urllib.parse.quote(conv.utils.get_secret('s')) → passed through urllib.parse.quote()`, `2:urllib.parse.quote(conv.utils.get_secret('s')) → passed to print`]],
    [
      'urlencode()',
      ['print(urlencode({"t": $S}))'],
      [`2:{"t": conv.utils.get_secret('s')} → put in a dict`, `2:urlencode({"t": conv.utils.get_secret('s')}) → passed through urlencode()`, `2:urlencode({"t": conv.utils.get_secret('s')}) → passed to print`],
    ],
    [
      'a header dict',
      ['headers = {"Authorization": f"Bearer {$S}"}', 'requests.get("https://x", headers=headers)', 'print(headers)'],
      [
        `2:f"Bearer {conv.utils.get_secret('s')}" → formatted into an f-string`,
        `2:{"Authorization": f"Bearer {conv.utils.get_secret('s')}"} → put in a dict`,
        '2:headers → assigned to headers',
        '4:headers → passed to print',
      ],
    ],
    ['stored by subscript', ['headers = {}', 'headers["Authorization"] = $S', 'print(headers)'], ['3:headers["Authorization"] → stored in headers', '4:headers → passed to print']],
    ['added by a method', ['parts = []', 'parts.append($S)', 'print(parts)'], [`3:parts.append(conv.utils.get_secret('s')) → added to parts`, '4:parts → passed to print']],
    ['exception built, then raised', ['err = ValueError($S)', 'raise err'], [`2:ValueError(conv.utils.get_secret('s')) → built into ValueError`, '2:err → assigned to err', '3:err → raised']],
    ['exception raised', ['raise ValueError("bad", $S)'], [`2:conv.utils.get_secret('s') → raised in ValueError`]],
    ['assert message', ['assert False, $S'], [`2:conv.utils.get_secret('s') → used as the assertion message`]],
  ];

  for (const [name, body, steps] of python) {
    it(`Python: ${name}`, () => {
      const source = py(...body);
      const { steps: actual } = only(source);
      expect(actual[0]!.replace(/^\d+:/, '')).toBe(PY_SOURCE);
      expect(actual.slice(1)).toEqual(steps);
    });
  }

  it('Python: the value returned from a display function', () => {
    const source = "def show_token(conv):\n    return conv.utils.get_secret('s')\n";
    const { leak, steps } = only(source);
    expect(leak.sink).toBe('return from show_token');
    expect(steps).toEqual([`2:${PY_SOURCE}`, `2:conv.utils.get_secret('s') → returned from show_token`]);
  });

  it('Python: a key read on the call itself (a key/value secret)', () => {
    const source = "def f(conv):\n    print(conv.utils.get_secret('db')['password'])\n";
    const { leak, steps } = only(source);
    expect(leak.source.name).toBe('db');
    expect(steps).toEqual([
      "2:conv.utils.get_secret('db') → read secret 'db'",
      "2:conv.utils.get_secret('db')['password'] → read key 'password'",
      "2:conv.utils.get_secret('db')['password'] → passed to print",
    ]);
  });

  it('Python: the example from the issue', () => {
    const source = py('token = $S', 'url = f"https://api.example.com/v1/items?token={token}"', 'print(f"calling {url}")');
    const { leak, steps } = only(source);
    expect(leak.sink).toBe('print');
    expect(source.slice(leak.span.start, leak.span.end)).toBe('f"calling {url}"');
    expect(steps).toEqual([
      `2:${PY_SOURCE}`,
      '2:token → assigned to token',
      '3:f"https://api.example.com/v1/items?token={token}" → formatted into an f-string',
      '3:url → assigned to url',
      '4:f"calling {url}" → formatted into an f-string',
      '4:f"calling {url}" → passed to print',
    ]);
  });

  const javascript: Array<[string, string[], string[]]> = [
    ['declaration', ['const token = $S;', 'console.log(token);'], ['2:token → assigned to token', '3:token → passed to console.log']],
    ['template literal', ['console.log(`t=${$S}`);'], [`2:\`t=\${vault.get_secret('s')}\` → formatted into a template literal`, `2:\`t=\${vault.get_secret('s')}\` → passed to console.log`]],
    ['object', ['console.log({ k: $S });'], [`2:{ k: vault.get_secret('s') } → put in an object`, `2:{ k: vault.get_secret('s') } → passed to console.log`]],
    ['object shorthand', ['const token = $S;', 'console.log({ token });'], ['2:token → assigned to token', '3:{ token } → put in an object', '3:{ token } → passed to console.log']],
    ['array', ['console.log([$S]);'], [`2:[vault.get_secret('s')] → put in an array`, `2:[vault.get_secret('s')] → passed to console.log`]],
    ['destructuring', ['const { user, ...rest } = $S;', 'console.log(rest);'], ['2:rest → unpacked into rest', '3:rest → passed to console.log']],
    ['+=', ["let line = 'k=';", 'line += $S;', 'console.log(line);'], ['3:line → appended to line', '4:line → passed to console.log']],
    ['for...of', ['for (const part of $S.split(",")) {', '  console.log(part);', '}'], [`2:vault.get_secret('s').split(",") → passed through .split()`, '2:part → iterated into part', '3:part → passed to console.log']],
    ['JSON.stringify()', ['console.log(JSON.stringify($S));'], [`2:JSON.stringify(vault.get_secret('s')) → passed through JSON.stringify()`, `2:JSON.stringify(vault.get_secret('s')) → passed to console.log`]],
    [
      'Buffer.from(…).toString()',
      ["console.log(Buffer.from($S).toString('base64'));"],
      [`2:Buffer.from(vault.get_secret('s')) → passed through Buffer.from()`, `2:Buffer.from(vault.get_secret('s')).toString('base64') → passed through .toString()`, `2:Buffer.from(vault.get_secret('s')).toString('base64') → passed to console.log`],
    ],
    ['optional chaining', ['console.log($S?.trim());'], [`2:vault.get_secret('s')?.trim() → passed through .trim()`, `2:vault.get_secret('s')?.trim() → passed to console.log`]],
    ['property assignment', ['this.token = $S;', 'console.log(this.token);'], ['2:this.token → assigned to this.token', '3:this.token → passed to console.log']],
    ['headers.set()', ['const headers = new Headers();', "headers.set('Authorization', $S);", 'console.log(headers);'], [`3:headers.set('Authorization', vault.get_secret('s')) → added to headers`, '4:headers → passed to console.log']],
    ['throw new Error', ['throw new Error(`bad ${$S}`);'], [`2:\`bad \${vault.get_secret('s')}\` → formatted into a template literal`, `2:\`bad \${vault.get_secret('s')}\` → thrown in Error`]],
    ['an Error built, then thrown', ['const err = new Error($S);', 'throw err;'], [`2:new Error(vault.get_secret('s')) → built into Error`, '2:err → assigned to err', '3:err → thrown']],
  ];

  for (const [name, body, steps] of javascript) {
    it(`JavaScript: ${name}`, () => {
      const source = js(...body);
      const { steps: actual } = only(source, 'javascript');
      expect(actual[0]!.replace(/^\d+:/, '')).toBe(JS_SOURCE);
      expect(actual.slice(1)).toEqual(steps);
    });
  }

  it('JavaScript: a statement continued on the next line (after an operator, or by one)', () => {
    const source = js("const url = 'https://x/?t=' +", '  $S;', 'const shown = url', '  .trim()', 'console.log(shown)');
    const { steps } = only(source, 'javascript');
    expect(steps.slice(1)).toEqual([
      `2:'https://x/?t=' +\n    vault.get_secret('s') → concatenated with +`,
      '2:url → assigned to url',
      '4:url\n    .trim() → passed through .trim()',
      '4:shown → assigned to shown',
      '6:shown → passed to console.log',
    ]);
  });

  it('TypeScript: types, casts and non-null assertions do not stop the flow', () => {
    const source = [
      'export function f(vault: Vault): void {',
      "  const token: string = vault.get_secret('s')!;",
      '  const header = `Bearer ${token as string}` satisfies string;',
      '  console.log(header);',
      '  console.log(token as Array<string>);',
      '}',
      'export const renderKey = (): string => `key ${process.env.KEY!}`;',
    ].join('\n');
    const { leaks } = analyse(source, 'typescript');
    expect(leaks.map((l) => finding(source, l))).toEqual(['4 s via console.log', '5 s via console.log', '7 KEY via return from renderKey']);
    expect(stepsOf(source, leaks[0]!)).toEqual([
      `2:${JS_SOURCE}`,
      '2:token → assigned to token',
      '3:`Bearer ${token as string}` → formatted into a template literal',
      '3:header → assigned to header',
      '4:header → passed to console.log',
    ]);
  });
});

describe('sanitisers', () => {
  // Examples per sanitiser table entry; each is printed where `token`, `creds` and `other` are set.
  const examples: Record<string, string[]> = {
    builtins: ['len(token)', 'bool(token)', 'hash(token)', 'isinstance(token, str)', 'callable(token)', 'type(token)', 'id(token)', 'hasattr(creds, "x")', 'issubclass(type(token), str)'],
    hashlib: ['hashlib.sha256(token.encode()).hexdigest()', 'hashlib.md5(token.encode())', 'hmac.new(b"k", token.encode(), "sha256").digest()'],
    'hash-functions': ['sha256(token.encode()).hexdigest()', 'compare_digest(token, other)', 'secrets.compare_digest(token, other)', 'zlib.crc32(token.encode())'],
    mask: ['mask(token)', 'redact(token)', 'mask_secret(token)', 'token_fingerprint(token)', 'obfuscate(token)', 'hash_token(token)', 'f"{mask(token)}"'],
    predicates: ['token.startswith("a")', 'token.endswith("b")', 'token.isdigit()', 'token.count("a")', 'token.find("a")', 'creds.keys()'],
    comparison: ['token == other', 'token != other', 'token < other', 'token >= other', 'token in other', 'token not in other', 'token is None', 'token is not None', 'len(token) > 3'],
    not: ['not token', '"set" if token else "unset"'],
    'js-builtins': ['Boolean(token)', 'Object.keys(creds)', 'isNaN(token)'],
    'js-crypto': ["crypto.createHash('sha256').update(token).digest('hex')", 'crypto.timingSafeEqual(token, other)', "crypto.createHmac('sha256', token).digest()"],
    'js-predicates': ["token.startsWith('a')", "token.endsWith('b')", "token.includes('c')", "token.indexOf('d')", '/x/.test(token)'],
    length: ['token.length', '`${token.length} characters`'],
    'js-comparison': ['token === other', 'token !== other', 'token == other', "'k' in creds", 'token instanceof String', 'token > other'],
    'js-not': ['!token', '!!token', 'typeof token', 'void token', "token ? 'set' : 'unset'"],
  };

  it('every sanitiser in the table has examples here', () => {
    expect(Object.keys(examples).sort()).toEqual(SANITISERS.map((s) => s.id).sort());
  });

  for (const entry of SANITISERS) {
    const python = entry.languages !== 'javascript';
    for (const expr of examples[entry.id] ?? []) {
      it(`${entry.id}: ${expr} carries nothing (and the same value unsanitised does)`, () => {
        const source = python
          ? py('token = $S', 'creds = $S', 'other = "x"', `print(${expr})`, 'print(token)')
          : js('const token = $S;', 'const creds = $S;', "const other = 'x';", `console.log(${expr});`, 'console.log(token);');
        const { leaks } = analyse(source, python ? 'python' : 'javascript');
        expect(leaks.map((l) => finding(source, l))).toEqual([python ? '6 s via print' : '6 s via console.log']);
      });
    }
  }

  it("a request's response records its URL: with a secret in the URL, the response's url is a finding, nothing else of it", () => {
    const source = py(
      'key = $S',
      'url = f"https://api.example.com/items?key={key}"',
      'resp = requests.get(url, timeout=10)',
      'print(resp.url)',
      'print(resp.status_code, resp.json())',
      'clean = requests.get("https://api.example.com/items", headers={"Authorization": key})',
      'print(clean.url)',
      'resp = other()',
      'print(resp.url)',
      'session = requests.Session()',
      'page = session.get(url=f"https://api.example.com/?k={key}")',
      'log.info("fetched %s", page.url)',
    );
    expect(analyse(source).leaks.map((l) => finding(source, l))).toEqual(['5 s via print', '13 s via log.info']);
    expect(stepsOf(source, analyse(source).leaks[0]!).slice(-3)).toEqual([
      '4:requests.get(url, timeout=10) → requested by requests.get',
      "4:resp → response assigned to resp: its url is the request's",
      '5:resp.url → passed to print',
    ]);
    const script = js('const key = $S;', 'const res = await fetch(`https://api.example.com/?key=${key}`);', 'console.log(res.url);', 'console.log(res.status);');
    expect(analyse(script, 'javascript').leaks.map((l) => finding(script, l))).toEqual(['4 s via console.log']);
  });

  it("Python: a request's params are its URL's query: a secret passed there is in the response's url, and in the error raise_for_status() raises", () => {
    const source = py(
      'key = $S',
      'resp = requests.get("https://api.example.com/items", params={"api_key": key, "q": "x"}, timeout=10)',
      'log.info("fetched %s", resp.url)',
      'page = httpx.get("https://api.example.com/items", params={"q": "x"}, headers={"X-Api-Key": key})',
      'log.info("fetched %s", page.url)',
      'try:',
      '    r = session.post("https://api.example.com/run", params={"token": key})',
      '    r.raise_for_status()',
      'except requests.HTTPError as e:',
      '    log.error("failed: %s", e)',
    );
    expect(analyse(source).leaks.map((l) => finding(source, l))).toEqual(['4 s via log.info', '11 s via log.error']);
    expect(stepsOf(source, analyse(source).leaks[0]!).slice(-3)).toEqual([
      '3:requests.get("https://api.example.com/items", params={"api_key": key, "q": "x"}, timeout=10) → requested by requests.get',
      "3:resp → response assigned to resp: its url is the request's",
      '4:resp.url → passed to log.info',
    ]);
  });

  it("Python: an exception caught around a request names the request's URL: logging it is a finding when the URL carried the secret", () => {
    const source = py(
      'key = $S',
      'try:',
      '    resp = requests.get(f"https://api.example.com/items?key={key}", timeout=10)',
      '    resp.raise_for_status()',
      'except requests.RequestException as e:',
      '    log.error(f"weather call failed: {e}")',
      'try:',
      '    clean = requests.get("https://api.example.com/items", headers={"Authorization": key})',
      'except Exception as err:',
      '    print(err)',
      'resp = requests.get(f"https://api.example.com/items?key={key}")',
      'try:',
      '    resp.raise_for_status()',
      'except Exception as http_error:',
      '    print(http_error)',
      'try:',
      '    other()',
      'except Exception as plain:',
      '    print(plain)',
    );
    expect(analyse(source).leaks.map((l) => finding(source, l))).toEqual(['7 s via log.error', '16 s via print']);
    expect(stepsOf(source, analyse(source).leaks[0]!).slice(-4)).toEqual([
      '4:requests.get(f"https://api.example.com/items?key={key}", timeout=10) → requested by requests.get',
      "6:e → caught as e: the error names the request's URL",
      '7:f"weather call failed: {e}" → formatted into an f-string',
      '7:f"weather call failed: {e}" → passed to log.error',
    ]);
  });

  it('passing the value to a request (headers, auth) is its intended use: the result carries nothing', () => {
    const source = py(
      'token = $S',
      'headers = {"Authorization": f"Bearer {token}"}',
      'response = requests.get("https://x", headers=headers, auth=(token, ""))',
      'print(response.status_code)',
      'print(requests.post("https://x", headers=headers).json())',
      'client = Client(api_key=token)',
      'print(client.list_items())',
    );
    expect(analyse(source).leaks).toEqual([]);
  });
});

describe('sinks', () => {
  // Per sink table entry: [source, the sink as the finding names it].
  const examples: Record<string, Array<[ScanLanguage, string, string]>> = {
    print: [
      ['python', py('print($S)'), 'print'],
      ['python', py('pprint($S)'), 'pprint'],
      ['python', py('pprint.pprint($S)'), 'pprint.pprint'],
    ],
    stdio: [
      ['python', py('sys.stdout.write($S)'), 'sys.stdout.write'],
      ['python', py('sys.stderr.write($S + "\\n")'), 'sys.stderr.write'],
    ],
    warnings: [['python', py('warnings.warn($S)'), 'warnings.warn']],
    logging: [
      ['python', py('logging.info("%s", $S)'), 'logging.info'],
      ['python', py('logging.exception($S)'), 'logging.exception'],
      ['python', py('logging.log(logging.INFO, $S)'), 'logging.log'],
    ],
    logger: [
      ['python', py('logger.debug($S)'), 'logger.debug'],
      ['python', py('log.warning($S)'), 'log.warning'],
      ['python', py('_log.warn($S)'), '_log.warn'],
      ['python', py('LOGGER.critical($S)'), 'LOGGER.critical'],
      ['python', py('self.logger.exception($S)'), 'self.logger.exception'],
      ['python', py('audit_logger.error($S)'), 'audit_logger.error'],
      ['python', `audit = logging.getLogger("audit")\n${py('audit.info($S)')}`, 'audit.info'],
      ['python', py('logging.getLogger(__name__).info($S)'), 'logging.getLogger(…).info'],
      ['javascript', js('logger.info($S);'), 'logger.info'],
      ['javascript', `const out = pino();\n${js('out.error($S);')}`, 'out.error'],
    ],
    'conv-log': [
      ['python', py('conv.log.info($S)'), 'conv.log.info'],
      ['python', py('conv.log.anything($S)'), 'conv.log.anything'],
      ['python', py('self.conv.log.warning($S)'), 'self.conv.log.warning'],
    ],
    plog: [
      ['python', py('plog.error($S)'), 'plog.error'],
      ['python', py('plog.info("failed", error=$S)'), 'plog.info'],
    ],
    console: [
      ['javascript', js('console.log($S);'), 'console.log'],
      ['javascript', js('console.table([$S]);'), 'console.table'],
      ['python', py('console.print($S)'), 'console.print'],
    ],
    'process-stdio': [['javascript', js('process.stderr.write($S);'), 'process.stderr.write']],
    raise: [
      ['python', py('raise ValueError($S)'), 'raise ValueError'],
      ['python', py('raise errors.AuthError(f"bad {$S}") from None'), 'raise errors.AuthError'],
    ],
    assert: [['python', py('assert ok, $S'), 'assert']],
    throw: [
      ['javascript', js('throw new Error($S);'), 'throw new Error'],
      ['javascript', js('throw new errors.AuthError($S);'), 'throw new errors.AuthError'],
      ['javascript', js('throw $S;'), 'throw'],
    ],
    'display-return': [
      ['python', "def show_token(conv):\n    return conv.utils.get_secret('s')\n", 'return from show_token'],
      ['python', "def display(conv):\n    return conv.utils.get_secret('s')\n", 'return from display'],
      ['python', "def render_header(conv):\n    return conv.utils.get_secret('s')\n", 'return from render_header'],
      ['python', "def print_status(conv):\n    return conv.utils.get_secret('s')\n", 'return from print_status'],
      ['python', "def describe_client(conv):\n    return conv.utils.get_secret('s')\n", 'return from describe_client'],
      ['python', "def format_error_message(conv):\n    return conv.utils.get_secret('s')\n", 'return from format_error_message'],
      ['python', "def run_summary(conv):\n    return conv.utils.get_secret('s')\n", 'return from run_summary'],
      ['python', "class A:\n    def __repr__(self):\n        return f\"A({self.conv.utils.get_secret('s')})\"\n", 'return from __repr__'],
      ['python', "show_key = lambda conv: conv.utils.get_secret('s')\n", 'return from show_key'],
      ['javascript', "function showToken(vault) {\n  return vault.get_secret('s');\n}\n", 'return from showToken'],
      ['javascript', "class A {\n  toString() {\n    return vault.get_secret('s');\n  }\n}\n", 'return from toString'],
      ['javascript', "const buildSummary = (vault) => `${vault.get_secret('s')}`;\n", 'return from buildSummary'],
    ],
  };

  it('every sink in the table has examples here', () => {
    expect(Object.keys(examples).sort()).toEqual(SINKS.map((s) => s.id).sort());
  });

  for (const [id, cases] of Object.entries(examples)) {
    for (const [language, source, sink] of cases) {
      it(`${id}: ${sink}`, () => {
        const { leaks } = analyse(source, language);
        expect(leaks.map((l) => l.sink)).toEqual([sink]);
      });
    }
  }

  it("a display function's name is read in place exactly as splitting it into words reads it", () => {
    // The rule as DISPLAY_FUNCTIONS states it, on a list of words.
    const byWords = (name: string): boolean => {
      if ((DISPLAY_FUNCTIONS.names as readonly string[]).includes(name)) return true;
      const w = name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase().split('_').filter((x) => x !== '');
      if (w.length === 0) return false;
      if ((DISPLAY_FUNCTIONS.prefixes as readonly string[]).includes(w[0]!)) return true;
      return w.length >= 2 && (DISPLAY_FUNCTIONS.suffixes as readonly string[]).includes(w[w.length - 1]!);
    };
    const pieces = ['show', 'Show', 'SHOW', 'shows', 'display', 'Render', 'print', 'describe', 'error', 'message', 'Message', 'MESSAGE', 'messages', 'summary', 'Summary', 'token', 'Token', 'TOKEN', '_', '__', '2', '$', 'x', 'X', 'str', 'toString', '__str__', '__repr__', 'é', 'İ'];
    const rand = prng(31);
    const names = new Set<string>(['', '_', '__', 'show', 'show_', '_show', 'showToken', 'SHOWToken', 'show2Token', 'error_message', 'errorMessage', 'ERROR_MESSAGE', 'message', '_message', 'error__message__', 'toString', '__str__', 'x__str__']);
    while (names.size < 5000) {
      let name = '';
      const n = 1 + Math.floor(rand() * 4);
      for (let k = 0; k < n; k++) name += pieces[Math.floor(rand() * pieces.length)];
      names.add(name);
    }
    let display = 0;
    for (const name of names) {
      const expected = byWords(name);
      expect(isDisplayFunction(name), name).toBe(expected);
      // In place, inside a longer text.
      expect(isDisplayFunctionAt(`(${name})`, 1, name.length + 1), name).toBe(expected);
      if (expected) display++;
    }
    expect(display).toBeGreaterThan(500);
  });

  it('functions whose names do not say they show it, and other methods, are not sinks', () => {
    const source = [
      "def format_headers(conv):\n    return {'Authorization': conv.utils.get_secret('s')}\n",
      "def message(conv):\n    return conv.utils.get_secret('s')\n",
      "def get_token(conv):\n    return conv.utils.get_secret('s')\n",
      py('catalog.info($S)', 'np.log($S)', 'self.print($S)', 'log($S)', 'dialog.error($S)'),
      py('print("hello", file=$S)', 'logger.info("failed", exc_info=$S)'),
    ].join('\n');
    expect(analyse(source).leaks.map((l) => finding(source, l))).toEqual([]);
  });
});

describe('sources', () => {
  it('records environment reads as such, with their names (whether they count is the account style’s call)', () => {
    const source = [
      'import os',
      'def f():',
      "    key = os.environ['API_KEY']",
      "    print(key, os.getenv('OTHER'))",
      "    print(os.environ.get('THIRD'))",
    ].join('\n');
    const { leaks, references } = analyse(source);
    expect(leaks.map((l) => [l.source.form, l.source.name, l.sink])).toEqual([
      ['env', 'API_KEY', 'print'],
      ['env', 'OTHER', 'print'],
      ['env', 'THIRD', 'print'],
    ]);
    // The very reference objects the scanner found.
    for (const leak of leaks) expect(references).toContain(leak.source);
    expect(stepsOf(source, leaks[0]!)[0]).toBe("3:os.environ['API_KEY'] → read environment variable 'API_KEY'");
  });

  it('records process.env reads in JavaScript', () => {
    const source = 'function f() {\n  const k = process.env.API_KEY;\n  console.log(k);\n}\n';
    const { leak } = only(source, 'javascript');
    expect([leak.source.form, leak.source.name]).toEqual(['env', 'API_KEY']);
  });

  it('follows a secret read with a computed name', () => {
    const source = py('name = "x"', 'print(conv.utils.get_secret(name))');
    const { leak, steps } = only(source);
    expect(leak.source.name).toBeNull();
    expect(steps[0]).toBe('3:conv.utils.get_secret(name) → read a secret whose name is computed');
  });

  it('finds nothing, and does no work, without references', () => {
    const source = py('token = "not a secret"', 'print(token)', 'print(get_secret("x"))');
    const { tokens, structure } = scanReferences(source, 'python');
    expect(findSecretSinks(source, tokens, structure, [])).toEqual([]);
    // The same text with a reference is a finding: the emptiness above is the references'.
    expect(analyse(py('print($S)')).leaks).toHaveLength(1);
  });
});

describe('decisions', () => {
  it("Python: a dict's keys are told apart: another key than the secret's carries nothing, the secret's key and the dict do", () => {
    const source = py(
      'cfg = {"api_key": $S, "model": "gpt-4", "timeout": 30}',
      'print(cfg["model"], cfg.get("timeout"))',
      'print(cfg["api_key"])',
      'print(cfg.get("api_key"))',
      'print(cfg)',
      'log.info("using %s", cfg[name])',
    );
    expect(analyse(source).leaks.map((l) => finding(source, l))).toEqual(['4 s via print', '5 s via print', '6 s via print', '7 s via log.info']);
    expect(stepsOf(source, analyse(source).leaks[0]!)).toEqual([
      `2:${PY_SOURCE}`,
      '2:{"api_key": conv.utils.get_secret(\'s\'), "model": "gpt-4", "timeout": 30} → put in a dict',
      '2:cfg → assigned to cfg',
      '4:cfg["api_key"] → read key \'api_key\'',
      '4:cfg["api_key"] → passed to print',
    ]);
  });

  it('Python: keys stored one by one are told apart; a key not known, a reassignment or a merge may put the secret in any key', () => {
    const stored = py('d = {}', 'd["key"] = $S', 'd["model"] = "gpt-4"', 'print(d["model"])', 'print(d["key"])');
    expect(analyse(stored).leaks.map((l) => finding(stored, l))).toEqual(['6 s via print']);
    for (const change of ['cfg[name] = $S', 'cfg = {"model": $S}', 'cfg.update({"model": $S})', 'cfg |= {"model": $S}', 'cfg = dict(other, model=$S)']) {
      const source = py('cfg = {"api_key": $S, "model": "gpt-4"}', change, 'print(cfg["model"])');
      expect(analyse(source).leaks.map((l) => finding(source, l)), change).toEqual(['4 s via print']);
    }
    // On one branch the key holds the secret: after the branches it may.
    const branches = py('if fast:', '    cfg = {"key": $S, "model": "m"}', 'else:', '    cfg = {"key": "k", "model": $S}', 'print(cfg["model"])');
    expect(analyse(branches).leaks.map((l) => finding(branches, l))).toEqual(['6 s via print']);
    // Keys not all constant: a spread or a comprehension may put the secret under any of them.
    for (const value of ['{**base, "model": "m", "key": $S}', '{k: $S for k in ("key", "model")}']) {
      const source = py(`cfg = ${value}`, 'print(cfg["model"])');
      expect(analyse(source).leaks.map((l) => finding(source, l)), value).toEqual(['3 s via print']);
    }
  });

  it("JavaScript: an object's properties are told apart, by name or by subscript; another property than the secret's carries nothing", () => {
    const source = js(
      "const model = 'gpt-4';",
      "const cfg = { apiKey: $S, model, 'base-url': 'https://api.example.com' };",
      "console.log(cfg.model, cfg['model'], cfg['base-url']);",
      'console.log(cfg.apiKey);',
      'console.log(cfg);',
      'cfg.model = $S;',
      'console.log(cfg.model);',
    );
    expect(analyse(source, 'javascript').leaks.map((l) => finding(source, l))).toEqual(['5 s via console.log', '6 s via console.log', '8 s via console.log']);
    const spread = js('const cfg = { ...base, apiKey: $S, model: "m" };', 'console.log(cfg.model);');
    expect(analyse(spread, 'javascript').leaks.map((l) => finding(spread, l))).toEqual(['3 s via console.log']);
  });

  it('one finding per sink call and source: two secrets give two findings, one secret twice gives one', () => {
    const source = py("a = conv.utils.get_secret('a')", "b = conv.utils.get_secret('b')", 'print(a, b)', 'print(a, a + "x")');
    const { leaks } = analyse(source);
    expect(leaks.map((l) => `${finding(source, l)} at ${source.slice(l.span.start, l.span.end)}`)).toEqual([
      '4 a via print at a',
      '4 b via print at b',
      '5 a via print at a',
    ]);
  });

  it("iterating over a dict's items or an enumeration, the key or index takes nothing and the value the secret", () => {
    // gpt-researcher's check of its required variables printed the names of the missing ones.
    const source = py(
      'required = {"A": $S, "B": other}',
      'missing = []',
      'for name, value in required.items():',
      '    if not value:',
      '        missing.append(name)',
      'for name in missing:',
      '    print(name)',
      'for name, value in required.items():',
      '    print(value)',
      'for i, t in enumerate([$S]):',
      '    print(i)',
      '    print(t)',
      'print([k for k, v in required.items()], [v for k, v in required.items()])',
      'for pair in required.items():',
      '    print(pair)',
      'for a, b in zip(["x"], [$S]):',
      '    print(a)',
    );
    expect(analyse(source).leaks.map((l) => finding(source, l))).toEqual(['10 s via print', '13 s via print', '14 s via print', '16 s via print', '18 s via print']);
    const script = js(
      'const required = { A: $S };',
      'for (const [name, value] of Object.entries(required)) { console.log(name); console.log(value); }',
      'for (const [i, t] of [$S].entries()) { console.log(i); console.log(t); }',
      'for (const entry of Object.entries(required)) console.log(entry);',
    );
    expect(analyse(script, 'javascript').leaks.map((l) => finding(script, l))).toEqual(['3 s via console.log', '4 s via console.log', '5 s via console.log']);
  });

  it("Python: statements as the front end's structure pass splits them: bodies on the header's line, `;`, decorators, async, match / case, nested and inline defs", () => {
    const source = [
      "t = conv.utils.get_secret('a'); print(t)",
      "if ok: u = conv.utils.get_secret('b'); print(u)",
      "class K: v = conv.utils.get_secret('c'); print(v)",
      "@register(conv.utils.get_secret('d'))",
      'def deco(x):',
      '    print(x)',
      'async def handler(conv):',
      "    async with conv.utils.get_secret('e') as w:",
      '        print(w)',
      'match kind:',
      '    case 1:',
      "        y = conv.utils.get_secret('f')",
      '        print(y)',
      "    case _: print(conv.utils.get_secret('g'))",
      "case = conv.utils.get_secret('h')",
      'print(case)',
      'def outer(conv):',
      '    def inner():',
      "        print(conv.utils.get_secret('i'))",
      "    z = conv.utils.get_secret('j')",
      '    print(z)',
      "def one(conv): q = conv.utils.get_secret('k'); print(q)",
      "show = lambda: print(conv.utils.get_secret('l'))",
      '',
    ].join('\n');
    expect(analyse(source).leaks.map((l) => finding(source, l))).toEqual([
      '1 a via print',
      '2 b via print',
      '3 c via print',
      '9 e via print',
      '13 f via print',
      '14 g via print',
      '16 h via print',
      '19 i via print',
      '21 j via print',
      '22 k via print',
      '23 l via print',
    ]);
  });

  it("Python: the statements walked are the document's, also when resolving an imported name scanned another module in the middle", () => {
    // The imported module has more statements than the document, other ones: a walk of its table would find other leaks or none.
    const module = ["NAME = 'alpha_api'", ...Array.from({ length: 60 }, (_, i) => `def helper_${i}(x):\n    if x:\n        return x; y = ${i}\n`)].join('\n');
    const source = [
      'from settings import NAME',
      '',
      'def f(conv):',
      '    token = conv.utils.get_secret(NAME)',
      '    print(token)',
      '',
      'class K:',
      '    def g(self, conv): t = conv.utils.get_secret("beta_api"); logging.info(t)',
      '',
    ].join('\n');
    const asked: string[] = [];
    const lookup = (name: string) => {
      asked.push(name);
      return name === 'settings' ? pythonModuleNames(module) : undefined;
    };
    const result = scan(source, 'python', lookup);
    // Asked by the references pass (for the module's readers, and NAME's as a module of its package) and by the resolver (for NAME).
    expect(asked).toEqual(['settings', 'settings.NAME', 'settings']);
    expect(result.references.map((r) => r.candidates?.map((c) => c.name) ?? r.name)).toEqual([['alpha_api'], 'beta_api']);
    expect(result.leaks.flatMap((l) => l.origins.map((o) => finding(source, { ...o, sink: l.sink })))).toEqual(['5 ? via print', '8 beta_api via logging.info']);
  });

  it("Python: a compound statement after `;` is one, as the front end reads it (a syntax error, read the way the references are)", () => {
    const source = ['x = 1; if ok: print(conv.utils.get_secret("a"))', 'case x: print(conv.utils.get_secret("b"))', ''].join('\n');
    expect(analyse(source).leaks.map((l) => finding(source, l))).toEqual(['1 a via print']);
  });

  it('statements are read in order: a sink before the assignment is not a finding', () => {
    const source = py('print(token)', 'token = $S', 'print(token)');
    expect(analyse(source).leaks.map((l) => finding(source, l))).toEqual(['4 s via print']);
  });

  it('a clean assignment clears a name only when it always runs after the secret was assigned', () => {
    const cleared = py('token = $S', 'if ok:', '    token = "x"', 'token = None', 'print(token)');
    expect(analyse(cleared).leaks).toEqual([]);
    const sameBlock = py('if ok:', '    token = $S', '    token = "x"', '    print(token)', 'print(token)');
    expect(analyse(sameBlock).leaks).toEqual([]);
    const branch = py('token = $S', 'if ok:', '    token = "x"', 'else:', '    pass', 'print(token)');
    expect(analyse(branch).leaks.map((l) => finding(branch, l))).toEqual(['7 s via print']);
    const jsBranch = js('let token = $S;', "if (ok) token = 'x';", 'console.log(token);');
    expect(analyse(jsBranch, 'javascript').leaks.map((l) => finding(jsBranch, l))).toEqual(['4 s via console.log']);
    const jsCleared = js('let token = $S;', "if (ok) { token = 'x'; }", "token = '';", 'console.log(token);');
    expect(analyse(jsCleared, 'javascript').leaks).toEqual([]);
  });

  it('inside a branch, an assignment there replaces what the name held before', () => {
    const source = py('token = $S', 'if ok:', '    token = "redacted"', '    print(token)', 'else:', '    print(token)');
    expect(analyse(source).leaks.map((l) => finding(source, l))).toEqual(['7 s via print']);
  });

  it('with … as, except … as and class bodies bind names of their own', () => {
    const source = [
      'class Settings:',
      "    token = conv.utils.get_secret('class_token')",
      'def f(conv):',
      "    token = conv.utils.get_secret('s')",
      '    with open("/tmp/x") as token:',
      '        print(token)',
      "    err = conv.utils.get_secret('e')",
      '    try:',
      '        run()',
      '    except Exception as err:',
      '        print(err)',
      'print(token)',
    ].join('\n');
    expect(analyse(source).leaks).toEqual([]);
    // The same names, not rebound, are findings.
    const control = source.replace('with open("/tmp/x") as token:', 'with open("/tmp/x") as handle:').replace('except Exception as err:', 'except Exception:').replace('class Settings:\n    token', 'token');
    expect(analyse(control).leaks.map((l) => finding(control, l))).toEqual(['5 s via print', '10 e via print', '11 class_token via print']);
  });

  it('JavaScript: for…of takes the values, for…in the keys (which carry nothing)', () => {
    const source = js('for (const k in $S) console.log(k);', 'for (const v of Object.values($S)) console.log(v);');
    expect(analyse(source, 'javascript').leaks.map((l) => finding(source, l))).toEqual(['3 s via console.log']);
  });

  it('a nested function sees the names around it as they stand at the end of their scope; its parameters hide them', () => {
    const source = [
      'def outer(conv):',
      '    def early():',
      '        print(token)',
      "    token = conv.utils.get_secret('s')",
      '    def hidden(token):',
      '        print(token)',
      '    run(lambda: print(token))',
      '    return early, hidden',
    ].join('\n');
    expect(analyse(source).leaks.map((l) => finding(source, l))).toEqual(['3 s via print', '7 s via print']);
    // Cleared before the end of the function around it: the nested function sees nothing.
    const cleared = source.replace('    return early, hidden', '    token = None\n    return early, hidden');
    expect(analyse(cleared).leaks).toEqual([]);
    const jsSource = js('const token = $S;', 'items.forEach((item) => console.log(item, token));', 'items.forEach((token) => console.log(token));');
    expect(analyse(jsSource, 'javascript').leaks.map((l) => finding(jsSource, l))).toEqual(['3 s via console.log']);
  });

  it("a function's names are not seen by other functions; a value passed to one is followed into it", () => {
    const source = ['def a(conv):', "    token = conv.utils.get_secret('s')", '    b(token)', 'def b(value):', '    print(value)', 'def c():', '    print(token)'].join('\n');
    const leaks = analyse(source).leaks;
    expect(leaks.map((l) => finding(source, l))).toEqual(['5 s via print']);
    expect(stepsOf(source, leaks[0]!)).toEqual([
      "2:conv.utils.get_secret('s') → read secret 's'",
      '2:token → assigned to token',
      '3:token → passed to b as value',
      '5:value → passed to print',
    ]);
  });

  it('module-level names are seen by the module and its functions', () => {
    const source = ['from vault import get_secret', 'def f():', '    print(TOKEN)', "TOKEN = get_secret('s')", 'print(f"{TOKEN}")'].join('\n');
    expect(analyse(source).leaks.map((l) => finding(source, l))).toEqual(['3 s via print', '5 s via print']);
  });
});

describe('scale and robustness', () => {
  function generatedPython(functions: number): { text: string; planted: string[] } {
    const lines: string[] = ['import logging', 'import requests', 'logger = logging.getLogger(__name__)', ''];
    const planted: string[] = [];
    for (let i = 0; i < functions; i++) {
      lines.push(`def step_${i}(conv, items):`);
      lines.push(`    total_${i} = sum(x * ${i} for x in items)`);
      lines.push(`    label = f"step {i}: {total_${i}}"`);
      if (i % 40 === 7) {
        lines.push(`    token = conv.utils.get_secret('gen_${i}')`);
        lines.push(`    headers = {"Authorization": f"Bearer {token}"}`);
        lines.push(`    requests.get("https://example.com/${i}", headers=headers)`);
        lines.push(`    logger.info("headers %s", headers)`);
        planted.push(`${lines.length} gen_${i} via logger.info`);
        lines.push(`    print(len(token), label)`);
      } else {
        lines.push(`    if total_${i} > 10:`);
        lines.push(`        logger.debug(label)`);
        lines.push(`    data = {"n": ${i}, "items": [x for x in items if x]}`);
        lines.push(`    print(data)`);
      }
      lines.push(`    return label`);
      lines.push('');
    }
    return { text: lines.join('\n'), planted };
  }

  it('a 5,000-line generated Python file completes and finds exactly the planted leaks', () => {
    const { text, planted } = generatedPython(625);
    expect(text.split('\n').length).toBeGreaterThanOrEqual(5000);
    const { leaks } = analyse(text);
    expect(leaks.map((l) => finding(text, l))).toEqual(planted);
    expect(planted.length).toBeGreaterThan(10);
  });

  it('a 5,000-line generated JavaScript file completes and finds exactly the planted leaks', () => {
    const lines: string[] = ["const log = require('pino')();"];
    const planted: string[] = [];
    for (let i = 0; lines.length < 5000; i++) {
      lines.push(`export async function step${i}(vault, items) {`);
      lines.push(`  const total = items.reduce((a, b) => a + b * ${i}, 0);`);
      lines.push(`  const label = \`step ${i}: \${total}\`;`);
      if (i % 40 === 3) {
        lines.push(`  const key = vault.get_secret('gen_${i}');`);
        lines.push(`  await fetch('https://example.com', { headers: { 'X-Key': key } });`);
        lines.push(`  console.log(label, \`key=\${key}\`);`);
        planted.push(`${lines.length} gen_${i} via console.log`);
      } else {
        lines.push(`  if (total > 10) log.debug(label);`);
        lines.push(`  console.log({ n: ${i}, items: items.filter((x) => x) });`);
      }
      lines.push('  return label;');
      lines.push('}');
    }
    const text = lines.join('\n');
    const { leaks } = analyse(text, 'javascript');
    expect(leaks.map((l) => finding(text, l))).toEqual(planted);
    expect(planted.length).toBeGreaterThan(10);
  });

  it('functions (and modules) with no sink and no display function in them are not walked, and the findings are exactly those of walking every one', () => {
    const rand = prng(2311);
    const inputs: Array<[ScanLanguage, string]> = [];
    for (const file of readdirSync(FIXTURES).filter((f) => /\.(py|js|ts)$/.test(f))) inputs.push([languageOf(file), readFileSync(path.join(FIXTURES, file), 'utf8')]);
    for (let i = 0; i < 40; i++) {
      inputs.push(['python', pythonFile(rand, 12)]);
      inputs.push([i % 2 === 0 ? 'typescript' : 'javascript', jsFile(rand, 12, i % 2 === 0)]);
    }
    inputs.push(['python', generatedPython(200).text]);
    // Where a leak needs more than a sink word in the function: a display function inside one
    // without sinks, by def, lambda, type parameters, a method, a member named by a string.
    inputs.push(['python', py('key = $S', 'def show_token():', '    return key', 'render_key = lambda: key', 'def describe_it[T](x: T):', '    return f"{key}"')]);
    inputs.push(['python', py('key = $S', 'class Wrapper:', '    def __str__(self):', '        return key', '    def error_message(self):', '        return "bad " + key')]);
    inputs.push(['typescript', js('const key = $S;', 'class W { toString() { return key; } showKey<T>(x: T) { return key; } }', "const o = { 'displayKey': () => key, renderIt: function () { return key; } };")]);
    inputs.push(['javascript', js('const key = $S;', 'vault.log.anything(key);', 'const inner = () => { conv.log.note(key); };', 'if (!key) throw new Error(`missing ${key}`);')]);
    inputs.push(['python', py('key = $S', 'def inner():', '    conv.log.note(key)', '    assert key, key', '    raise ValueError(key)')]);
    let total = 0;
    try {
      for (const [language, text] of inputs) {
        SINK_PREFILTER.on = true;
        const fast = analyse(text, language).leaks.map((l) => `${finding(text, l)} ${stepsOf(text, l).join(' | ')}`);
        SINK_PREFILTER.on = false;
        const full = analyse(text, language).leaks.map((l) => `${finding(text, l)} ${stepsOf(text, l).join(' | ')}`);
        expect(fast).toEqual(full);
        total += full.length;
      }
    } finally {
      SINK_PREFILTER.on = true;
    }
    // The focused cases above leak, each through the function the filter must not skip.
    const last = inputs.slice(-5).map(([language, text]) => analyse(text, language).leaks.length);
    expect(last).toEqual([3, 2, 4, 2, 3]);
    expect(total).toBeGreaterThan(100);
  });

  it('on random files and random garbage: no throw, spans inside the text, the last step at the finding', () => {
    const rand = prng(17);
    const pieces = [
      ...'\'"`#/\\*{}()[]$.,:;=!?+-<>@ \t\n0123456789abfrx_',
      "conv.utils.get_secret('a')",
      'vault.get_secret("b")',
      'process.env.K',
      "os.environ['E']",
      'print(',
      'console.log(',
      'logger.info(',
      'raise ValueError(',
      'throw new Error(',
      'return ',
      'def show_x():\n    ',
      'function render() {',
      'lambda: ',
      '=> ',
      ' = ',
      ' += ',
      ':=',
      'f"{',
      '${',
      ' for x in ',
      ' if ',
      ' else ',
      ' ? ',
      'len(',
      '.format(',
      '.join(',
      '\n    ',
    ];
    let checked = 0;
    const check = (text: string, language: ScanLanguage): void => {
      const { leaks } = analyse(text, language);
      for (const leak of leaks) {
        checked++;
        expect(leak.span.start).toBeGreaterThanOrEqual(0);
        expect(leak.span.end).toBeLessThanOrEqual(text.length);
        for (const step of leak.steps) expect(step.span.start <= step.span.end && step.span.end <= text.length).toBe(true);
        expect(leak.steps.at(-1)!.span).toEqual(leak.span);
        expect(leak.steps[0]!.span).toEqual(leak.source.span);
      }
    };
    for (let i = 0; i < 40; i++) {
      check(pythonFile(rand, 6), 'python');
      check(jsFile(rand, 6, i % 2 === 0), i % 2 === 0 ? 'typescript' : 'javascript');
      let garbage = '';
      while (garbage.length < 400) garbage += pieces[Math.floor(rand() * pieces.length)];
      for (const language of ['python', 'javascript', 'typescript'] as const) check(garbage, language);
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('a flow through thousands of assignments lists its first and last steps and says how many it leaves out', () => {
    const chain = 3000;
    const lines = ['def f(conv):', "    a0 = conv.utils.get_secret('k')"];
    for (let i = 1; i < chain; i++) lines.push(`    a${i} = a${i - 1} + "."`);
    lines.push(`    print(a${chain - 1})`);
    const text = lines.join('\n');
    const { leaks } = analyse(text);
    expect(leaks).toHaveLength(1);
    const steps = stepsOf(text, leaks[0]!);
    expect(steps).toHaveLength(MAX_SHOWN_STEPS);
    // Read, assigned to a0, then each assignment is two steps (concatenated, assigned): 6,000 in all.
    expect(steps.slice(0, 3)).toEqual(["2:conv.utils.get_secret('k') → read secret 'k'", '2:a0 → assigned to a0', '3:a0 + "." → concatenated with +']);
    expect(steps[8]).toBe('6:a3 + "." → … 5,978 steps not listed, from here on');
    expect(steps.slice(-3)).toEqual(['3001:a2998 + "." → concatenated with +', '3001:a2999 → assigned to a2999', `3002:a${chain - 1} → passed to print`]);
    // A chain of n assignments makes 2n + 1 steps: up to the bound, every one is listed.
    for (const n of [(MAX_SHOWN_STEPS - 2) / 2, MAX_SHOWN_STEPS / 2]) {
      const short = ['def f(conv):', "    a0 = conv.utils.get_secret('k')"];
      for (let i = 1; i < n; i++) short.push(`    a${i} = a${i - 1} + "."`);
      short.push(`    print(a${n - 1})`);
      const [leak] = analyse(short.join('\n')).leaks;
      const listed = 2 * n + 1 <= MAX_SHOWN_STEPS;
      expect(leak!.steps).toHaveLength(listed ? 2 * n + 1 : MAX_SHOWN_STEPS);
      expect(leak!.steps.some((s) => s.message.includes('not listed'))).toBe(!listed);
    }
  });

  it('never throws on broken or hostile input', () => {
    const inputs: Array<[ScanLanguage, string]> = [];
    for (const file of readdirSync(FIXTURES).filter((f) => /\.(py|js|ts)$/.test(f))) {
      const text = readFileSync(path.join(FIXTURES, file), 'utf8');
      // Every cut of the file: half-typed code, unclosed brackets and strings.
      for (let cut = 0; cut < text.length; cut += 97) inputs.push([languageOf(file), text.slice(0, cut)]);
      // Lines dropped: bodies without headers, headers without bodies.
      const lines = text.split('\n');
      for (let k = 0; k < lines.length; k += 3) inputs.push([languageOf(file), lines.filter((_, i) => i % 7 !== k % 7).join('\n')]);
    }
    const deep = 5000;
    inputs.push(['python', `x = ${'('.repeat(deep)}get_secret('a')${')'.repeat(deep)}\nprint(x)`]);
    inputs.push(['python', `import get_secret\nprint(${'['.repeat(deep)}get_secret('a')`]);
    inputs.push(['javascript', `const x = ${'['.repeat(deep)}vault.get_secret('a')${']'.repeat(deep)};\nconsole.log(x);`]);
    inputs.push(['javascript', `${'{'.repeat(deep)} console.log(vault.get_secret('a')) ${'}'.repeat(deep)}`]);
    inputs.push(['python', Array.from({ length: 600 }, (_, i) => `${' '.repeat(i)}if x:`).join('\n') + `\n${' '.repeat(600)}print(conv.utils.get_secret('a'))`]);
    inputs.push(['python', `def f(conv):\n    x = ${Array.from({ length: 400 }, () => 'lambda: ').join('')}conv.utils.get_secret('a')\n`]);
    let found = 0;
    for (const [language, text] of inputs) found += analyse(text, language).leaks.length;
    expect(found).toBeGreaterThan(0);
  });
});

describe("calls into the document's own functions", () => {
  /** Each finding as `line name via sink`, and each one's steps. */
  const found = (source: string, language: ScanLanguage = 'python') => analyse(source, language).leaks.map((l) => finding(source, l));

  const PY = [
    'import logging',
    'def helper(x):',
    '    logging.warning(x)',
    'def fmt(x):',
    '    return "t=" + x',
    'class C:',
    '    def __init__(self, t):',
    '        self.t = t',
    '    def show(self):',
    '        print(self.t)',
    'def leak(conv):',
    '    token = conv.utils.get_secret("crm")',
    '    helper(token)',
    '    logging.info(fmt(token))',
    '    c = C(token)',
    '    logging.info(c.t)',
    '    c.show()',
    '    def inner(y):',
    '        print(y)',
    '    inner(token)',
  ].join('\n');

  it('Python: a module-level function, a returned value, a constructor, its attribute, a method and a nested def', () => {
    expect(found(PY)).toEqual(['3 crm via logging.warning', '10 crm via print', '14 crm via logging.info', '16 crm via logging.info', '19 crm via print']);
    const steps = analyse(PY).leaks.map((l) => stepsOf(PY, l));
    // The related information walks the path: into the function, then its sink.
    expect(steps[0]).toEqual(['12:conv.utils.get_secret("crm") → read secret \'crm\'', '12:token → assigned to token', '13:token → passed to helper as x', '3:x → passed to logging.warning']);
    expect(steps[1]).toEqual([
      '12:conv.utils.get_secret("crm") → read secret \'crm\'',
      '12:token → assigned to token',
      '15:token → passed to C as t',
      '8:self.t → assigned to self.t',
      '15:C(token) → stored in attribute t by C',
      '17:c.show() → passed to c.show as self.t',
      '10:self.t → passed to print',
    ]);
    expect(steps[2]!.slice(2)).toEqual(['14:token → passed to fmt as x', '5:"t=" + x → concatenated with +', '14:fmt(token) → returned from fmt', '14:fmt(token) → passed to logging.info']);
    expect(steps[3]!.slice(-2)).toEqual(['15:c → assigned to c', '16:c.t → passed to logging.info']);
  });

  it('Python: keyword arguments, *args, defaults, lambdas bound to a name, self.method and a chained constructor', () => {
    const source = [
      'import logging',
      'from vault import get_secret',
      'log = logging.getLogger(__name__)',
      'TOKEN = get_secret("module")',
      'def kw(a, b=None, *args, **kwargs):',
      '    log.info(b)',
      'def rest(first, *args):',
      '    print(args)',
      'def options(**kwargs):',
      '    print(kwargs)',
      'def default(t=TOKEN):',
      '    print(t)',
      'fmt = lambda x: f"t={x}"',
      'class H:',
      '    def __init__(self, name):',
      '        self.name = name',
      '        self.label = "static"',
      '    def run(self):',
      '        self.emit(self.name)',
      '        print(self.label)',
      '    def emit(self, v):',
      '        log.warning("v=%s", v)',
      'def leak(conv):',
      '    token = conv.utils.get_secret("crm")',
      '    kw(1, b=token)',
      '    kw(token)',
      '    rest(1, token)',
      '    options(key=token)',
      '    default()',
      '    print(fmt(token))',
      '    H(token).run()',
    ].join('\n');
    expect(found(source)).toEqual(['6 crm via log.info', '8 crm via print', '10 crm via print', '12 module via print', '22 crm via log.warning', '30 crm via print']);
  });

  it('JavaScript and TypeScript: functions, arrow functions, function expressions, classes, this.method and nested functions', () => {
    const source = [
      'function helper(x: string) {',
      '  console.log(x);',
      '}',
      "const fmt = (x: string) => 't=' + x;",
      'const show = function (y) { console.error(y); };',
      'class C {',
      '  t: string;',
      '  constructor(t: string) {',
      '    this.t = t;',
      '  }',
      '  show() {',
      '    console.log(this.t);',
      '  }',
      '  run(v, { quiet }) {',
      '    this.emit(v);',
      '  }',
      '  emit(w) {',
      '    console.info(w);',
      '  }',
      '}',
      'export function leak(conv) {',
      "  const token = conv.utils.get_secret('crm');",
      '  helper(token);',
      '  console.log(fmt(token));',
      '  const c = new C(token);',
      '  console.log(c.t);',
      '  c.show();',
      '  c.run(token, {});',
      '  show(token);',
      '  function inner(y) {',
      '    console.log(y);',
      '  }',
      '  inner(token);',
      '}',
    ].join('\n');
    expect(found(source, 'typescript')).toEqual([
      '2 crm via console.log',
      '5 crm via console.error',
      '12 crm via console.log',
      '18 crm via console.info',
      '24 crm via console.log',
      '26 crm via console.log',
      '31 crm via console.log',
    ]);
    const js = source.replace(/: string/g, '');
    expect(found(js, 'javascript')).toEqual(found(source, 'typescript'));
    const [first] = analyse(source, 'typescript').leaks;
    expect(stepsOf(source, first!).slice(-2)).toEqual(['23:token → passed to helper as x', '2:x → passed to console.log']);
  });

  it('one finding per sink: two calls with two secrets are one finding at the sink, with both origins', () => {
    const source = ['def helper(x):', '    print(x)', 'def f(conv):', '    a = conv.utils.get_secret("a")', '    helper(a)', '    helper(conv.utils.get_secret("b"))', '    helper(a)'].join('\n');
    const { grouped } = analyse(source);
    expect(grouped).toHaveLength(1);
    expect(grouped[0]!.origins.map((o) => o.source.name)).toEqual(['a', 'b']);
  });

  it('a key read in the callee is that key of the secret passed', () => {
    const source = ['def show(v):', '    print(v["API_KEY"])', 'def f(conv):', '    creds = conv.utils.get_secret("oms")', '    show(creds)'].join('\n');
    expect(analyse(source).leaks.map((l) => l.key)).toEqual(['API_KEY']);
  });

  it('stays silent: sanitised in the callee, a callee that only sends the value, one that never logs it, recursion', () => {
    const py = [
      'import hashlib, requests',
      'def sanitised(x):',
      '    print(len(x))',
      '    print(hashlib.sha256(x.encode()).hexdigest())',
      '    print(mask_secret(x))',
      'def mask_token(x):',
      '    return x[:4] + "****"',
      'def send(x):',
      '    return requests.get("https://api.example.com", headers={"Authorization": x})',
      'def unused(x, y):',
      '    print(y)',
      'def rec(x, n):',
      '    if n:',
      '        return rec(x, n - 1)',
      '    return n',
      'def ping(x):',
      '    return pong(x)',
      'def pong(x):',
      '    print(ping(x))',
      '    return ping(x)',
      'def f(conv):',
      '    token = conv.utils.get_secret("crm")',
      '    sanitised(token)',
      '    print(mask_token(token))',
      '    print(send(token))',
      '    unused(token, "n/a")',
      '    print(rec(token, 3))',
      '    ping(token)',
      '    print(len(token))',
    ].join('\n');
    expect(found(py)).toEqual([]);
    const js = [
      'function sanitised(x) { console.log(x.length); console.log(maskSecret(x)); }',
      "function send(x) { return fetch('https://api.example.com', { headers: { Authorization: x } }); }",
      'function rec(x, n) { if (n > 0) return rec(x, n - 1); return n; }',
      'const ping = (x) => pong(x);',
      'function pong(x) { console.log(ping(x)); return ping(x); }',
      'export function f(conv) {',
      "  const token = conv.utils.get_secret('crm');",
      '  sanitised(token);',
      '  send(token);',
      '  console.log(rec(token, 3));',
      '  ping(token);',
      '}',
    ].join('\n');
    expect(found(js, 'javascript')).toEqual([]);
  });

  it('a function that reads a secret itself and returns it carries it to the caller', () => {
    const source = ['class Client:', '    def __init__(self, conv):', '        self.key = conv.utils.get_secret("crm")', 'def token(conv):', '    return conv.utils.get_secret("other")', 'def f(conv):', '    print(token(conv))', '    c = Client(conv)', '    print(c.key)'].join('\n');
    expect(found(source)).toEqual(['7 other via print', '9 crm via print']);
  });

  it('a chain of calls is followed up to MAX_CALL_DEPTH deep, and no deeper', () => {
    const chain = (n: number) => {
      const lines = ['def f(conv):', '    g0(conv.utils.get_secret("s"))'];
      for (let i = 0; i < n; i++) lines.push(`def g${i}(x):`, i === n - 1 ? '    print(x)' : `    g${i + 1}(x)`);
      return lines.join('\n');
    };
    expect(found(chain(10))).toEqual([`${2 + 2 * 10} s via print`]);
    expect(analyse(chain(10)).leaks[0]!.steps.filter((s) => s.message.startsWith('passed to g'))).toHaveLength(10);
    expect(found(chain(1000))).toEqual([]);
  });
});
