// The adversarial corpus: source files shaped to make one part of the analysis do more than linear
// work (huge tables read by `conv.env`, many reads of one table, deep nesting, long concatenation
// chains, long lines, literals built to keep the credential detector busy), each written at a given
// size in Python and in JavaScript / TypeScript, and an ordinary file of agent functions of the
// same size to compare them with. test/server/adversarial/budget.test.ts asserts the step counts
// of each; bench/adversarial.ts prints each one's time against the ordinary file's.

export type CorpusLanguage = 'python' | 'javascript' | 'typescript';

export interface Shape {
  /** A short name, as the benchmark and the tests print it. */
  name: string;
  /** What the shape attacks. */
  attacks: string;
  /** The file, at about `size` characters (never less). */
  make(language: CorpusLanguage, size: number): string;
}

/** Lines made by `line(i)` until the text reaches `size` characters, between `head` and `tail`. */
function fill(size: number, head: string, line: (i: number) => string, tail = ''): string {
  const parts = [head];
  let n = head.length + tail.length;
  for (let i = 0; n < size; i++) {
    const l = line(i);
    parts.push(l);
    n += l.length;
  }
  parts.push(tail);
  return parts.join('');
}

const py = (language: CorpusLanguage) => language === 'python';

/** `count` functions that each read a secret named by `argument`. */
function reads(language: CorpusLanguage, count: number, argument: string, from = 0): string {
  const out: string[] = [];
  for (let i = from; i < from + count; i++) {
    out.push(
      py(language)
        ? `def read_${i}(conv):\n    return conv.utils.get_secret(${argument})\n\n`
        : `function read_${i}(conv) {\n  return conv.utils.get_secret(${argument});\n}\n\n`,
    );
  }
  return out.join('');
}

/** Reads through the environment form too, where the language has one that takes a computed name. */
function envReads(language: CorpusLanguage, count: number, argument: string): string {
  if (py(language)) return reads(language, count, argument, 1_000_000);
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(`function env_${i}(conv) {\n  return process.env[${argument}];\n}\n\n`);
  return out.join('');
}

export const SHAPES: readonly Shape[] = [
  {
    name: 'huge-table',
    attacks: 'one table of as many keys as the file holds, read by conv.env 100 times (the reported attack)',
    make(language, size) {
      const tail = reads(language, 50, 'T[conv.env]') + envReads(language, 50, 'T[conv.env]');
      const head = py(language) ? 'T = {\n' : 'const T = {\n';
      return fill(size - tail.length, head, (i) => `    'env_${i}': 'secret_name_${i}',\n`, py(language) ? '}\n\n' : '};\n\n') + tail;
    },
  },
  {
    name: 'many-reads',
    attacks: 'a table of 60 keys read by conv.env in every function of the file',
    make(language, size) {
      const entries: string[] = [];
      for (let i = 0; i < 60; i++) entries.push(`    'env_${i}': 'secret_name_${i}',\n`);
      const head = (py(language) ? 'T = {\n' : 'const T = {\n') + entries.join('') + (py(language) ? '}\n\n' : '};\n\n');
      return fill(size, head, (i) => reads(language, 1, 'T[conv.env]', i));
    },
  },
  {
    name: 'nested-tables',
    attacks: 'tables of tables, each inner one read by conv.env, then by a key',
    make(language, size) {
      const inner = (i: number) => `{'live': 'live_${i}', 'sandbox': 'sandbox_${i}', 'pre-release': 'pre_${i}'}`;
      return fill(
        size,
        py(language) ? 'C = {\n' : 'const C = {\n',
        (i) => `    'svc_${i}': ${inner(i)},\n`,
        (py(language) ? '}\n\n' : '};\n\n') + reads(language, 100, `C['svc_1'][conv.env]`) + reads(language, 100, `C[conv.env]`, 100),
      );
    },
  },
  {
    name: 'deep-nesting',
    attacks: 'conditional names nested as deep as the file allows, in parentheses',
    make(language, size) {
      const depth = Math.max(1, Math.floor(size / 64));
      const open = py(language) ? (i: number) => `('n_${i}' if conv.env == 'e_${i}' else ` : (i: number) => `(conv.env === 'e_${i}' ? 'n_${i}' : `;
      const parts: string[] = [];
      for (let i = 0; i < depth; i++) parts.push(open(i));
      const expr = `${parts.join('')}'last'${')'.repeat(depth)}`;
      const head = py(language) ? `name = ${expr}\n\n` : `const name = ${expr};\n\n`;
      return fill(size, head, (i) => reads(language, 1, 'name', i));
    },
  },
  {
    name: 'deep-blocks',
    attacks: 'if / elif chains on conv.env and blocks nested inside each other, each assigning the name',
    make(language, size) {
      const n = Math.max(1, Math.floor(size / 80));
      const out: string[] = [py(language) ? 'def pick(conv):\n    name = None\n' : 'function pick(conv) {\n  let name = null;\n'];
      for (let i = 0; i < n; i++) {
        out.push(
          py(language)
            ? `    ${i === 0 ? 'if' : 'elif'} conv.env == 'env_${i}':\n        name = 'secret_${i}'\n`
            : `  ${i === 0 ? 'if' : 'else if'} (conv.env === 'env_${i}') {\n    name = 'secret_${i}';\n  }\n`,
        );
      }
      out.push(py(language) ? '    return conv.utils.get_secret(name)\n\n' : '  return conv.utils.get_secret(name);\n}\n\n');
      return fill(size, out.join(''), (i) => reads(language, 1, 'pick(conv)', i));
    },
  },
  {
    name: 'environment-wrappings',
    attacks: 'conv.env kept through chains as long as the file: aliases of aliases, methods of methods, helpers calling helpers, each tested',
    make(language, size) {
      const chain = Math.max(1, Math.floor(size / 400));
      const methods = py(language) ? '.strip()'.repeat(chain) : '.trim()'.repeat(chain);
      const head = py(language)
        ? `def e_0(conv):\n    return str(conv.env or "").lower()\n\n`
        : `function e_0(conv) {\n  return String(conv.env ?? '').toLowerCase();\n}\n\n`;
      return fill(size, head, (i) =>
        py(language)
          ? `def e_${i + 1}(conv):\n    return e_${i}(conv)\n\n` +
            `def read_${i}(conv):\n    env = conv.env${i % 50 === 0 ? methods : ''}\n    env = env.strip().upper()\n    if env == "LIVE" or e_${i + 1}(conv) in ("sandbox", "e${i % 7}"):\n        return conv.utils.get_secret("n_${i}")\n    return conv.utils.get_secret("x" if env.startswith("PRE") else "y")\n\n`
          : `function e_${i + 1}(conv) {\n  return e_${i}(conv);\n}\n\n` +
            `function read_${i}(conv) {\n  let env = conv.env${i % 50 === 0 ? methods : ''};\n  env = env.trim().toUpperCase();\n  return conv.utils.get_secret(env === 'LIVE' || e_${i + 1}(conv) === 'e${i % 7}' ? 'n_${i}' : env.startsWith('PRE') ? 'x' : 'y');\n}\n\n`,
      );
    },
  },
  {
    name: 'long-concatenation',
    attacks: 'a name built by a concatenation as long as the file, and by += on every line',
    make(language, size) {
      const terms = Math.max(1, Math.floor(size / 24));
      const parts: string[] = [];
      for (let i = 0; i < terms; i++) parts.push(`('a' if conv.env == 'e${i % 7}' else 'b')`);
      const head = py(language) ? `name = ${parts.join(' + ')}\n` : `let name = ${parts.join(' + ')};\n`;
      const body = fill(size / 2, py(language) ? 'def grow(conv):\n    part = "x"\n' : 'function grow(conv) {\n  let part = "x";\n', (i) =>
        py(language) ? `    part += 'p${i % 10}' if conv.env == 'e${i % 5}' else 'q'\n` : `  part += conv.env === 'e${i % 5}' ? 'p${i % 10}' : 'q';\n`,
      );
      const tail = py(language) ? '    return conv.utils.get_secret(part)\n\n' : '  return conv.utils.get_secret(part);\n}\n\n';
      return head + body + tail + reads(language, 100, 'name');
    },
  },
  {
    name: 'iteration',
    attacks: "a table of rows as long as half the file, iterated (unpacked, nested) by a comprehension or callback in every function, and an attribute its class's constructor sets read in every method",
    make(language, size) {
      const half = Math.floor(size / 2);
      if (py(language)) {
        const rows = fill(half, 'ROWS = [\n', (i) => `    ('label_${i}', ['name_${i}', 'other_${i}']),\n`, ']\n\n');
        const cls = 'class Handler:\n    def __init__(self, secret_name):\n        self.secret_name = secret_name\n\n';
        return fill(size - cls.length, rows + cls, (i) =>
          i % 2 === 0
            ? `def read_${i}(conv):\n    return [conv.utils.get_secret(n) for label, names in ROWS for n in names]\n\n`
            : `class H_${i}(Handler):\n    def read(self, conv):\n        return conv.utils.get_secret(self.secret_name)\n\nH_${i}('name_${i}')\n\n`,
        );
      }
      const rows = fill(half, 'const ROWS = [\n', (i) => `  ['label_${i}', 'name_${i}'],\n`, '];\n\n');
      return fill(size, rows, (i) =>
        i % 2 === 0
          ? `function read_${i}() {\n  return ROWS.map((row) => row).map((n) => process.env[n]);\n}\nfor (const [label, name] of ROWS) process.env[name];\n`
          : `class H_${i} {\n  constructor(name) {\n    this.name = name;\n  }\n  read() {\n    return process.env[this.name];\n  }\n}\nnew H_${i}('name_${i}');\n`,
      );
    },
  },
  {
    name: 'rows-and-objects',
    attacks: 'a table of (label, [names]) rows as long as half the file, iterated by nested loops, a row\'s fixed index and nested callbacks in every other function; in the others an object of its own class read by a field of its own name (a scan of the file for its writes each) and a static field',
    make(language, size) {
      const half = Math.floor(size / 2);
      if (py(language)) {
        const rows = fill(half, 'ROWS = [\n', (i) => `    ('label_${i}', ['name_${i}', 'other_${i}']),\n`, ']\n\n');
        return fill(size, rows, (i) =>
          i % 2 === 0
            ? `def read_${i}(conv):\n    for row in ROWS:\n        for n in row[1]:\n            conv.utils.get_secret(n)\n    return [conv.utils.get_secret(n) for label, names in ROWS for n in names]\n\n`
            : `class S_${i}:\n    NAME = 'static_${i}'\n\n    def __init__(self, conv, name):\n        self.name_${i} = name\n\ndef use_${i}(conv):\n    s = S_${i}(conv, 'name_${i}')\n    return conv.utils.get_secret(s.name_${i}), conv.utils.get_secret(S_${i}.NAME)\n\n`,
        );
      }
      const rows = fill(half, 'const ROWS = [\n', (i) => `  ['label_${i}', ['name_${i}', 'other_${i}']],\n`, '];\n\n');
      return fill(size, rows, (i) =>
        i % 2 === 0
          ? `function read_${i}(conv) {\n  for (const [label, names] of ROWS) for (const nm of names) conv.utils.get_secret(nm);\n  for (const row of ROWS) for (const nm of row[1]) conv.utils.get_secret(nm);\n  ROWS.forEach(([label, names]) => names.forEach((nm) => conv.utils.get_secret(nm)));\n}\n`
          : `class S_${i} {\n  static NAME = 'static_${i}';\n  constructor(conv, name) {\n    this.name_${i} = name;\n  }\n}\nfunction use_${i}(conv) {\n  const s = new S_${i}(conv, 'name_${i}');\n  return [conv.utils.get_secret(s.name_${i}), conv.utils.get_secret(S_${i}.NAME)];\n}\n`,
      );
    },
  },
  {
    name: 'long-lines',
    attacks: 'single lines as long as the file: a list of names, a call with every argument, a read inside',
    make(language, size) {
      const items: string[] = [];
      let n = 0;
      for (let i = 0; n < size / 2; i++) {
        const item = `'name_${i}'`;
        items.push(item);
        n += item.length + 2;
      }
      const list = items.join(', ');
      const head = py(language) ? `NAMES = [${list}]\n` : `const NAMES = [${list}];\n`;
      const call = py(language)
        ? `x = f(${items.slice(0, items.length / 2).join(', ')}, conv.utils.get_secret(NAMES[3]))\n`
        : `const x = f(${items.slice(0, items.length / 2).join(', ')}, conv.utils.get_secret(NAMES[3]));\n`;
      const loop = py(language)
        ? `def each(conv):\n    for n in NAMES:\n        conv.utils.get_secret(n)\n\n`
        : `function each(conv) {\n  for (const n of NAMES) conv.utils.get_secret(n);\n}\n\n`;
      return fill(size, head + call + loop, (i) => reads(language, 1, `NAMES[${i % 50}]`, i));
    },
  },
  {
    name: 'call-chain',
    attacks: 'the leak analysis following calls: thousands of functions each passing the value on to the one before, entered from every tenth with a secret, the first returning it to a log',
    make(language, size) {
      const python = py(language);
      const head = python ? 'def step_0(x):\n    return x\n\n' : 'function step_0(x) {\n  return x;\n}\n\n';
      return fill(size, head, (j) => {
        const i = j + 1;
        const step = python ? `def step_${i}(x):\n    return step_${i - 1}(x)\n\n` : `function step_${i}(x) {\n  return step_${i - 1}(x);\n}\n\n`;
        if (i % 10 !== 0) return step;
        return step + (python ? `def entry_${i}(conv):\n    print(step_${i}(conv.utils.get_secret('s${i}')))\n\n` : `function entry_${i}(conv) {\n  console.log(step_${i}(conv.utils.get_secret('s${i}')));\n}\n\n`);
      });
    },
  },
  {
    name: 'one-logger',
    attacks: 'the leak analysis following calls: every function of the file passes its secret to one logging helper (one summary, a call to it per function)',
    make(language, size) {
      const python = py(language);
      const head = python ? 'import logging\n\ndef log_it(label, value, *rest):\n    logging.info("%s %s", label, value)\n\n' : 'function logIt(label, value, ...rest) {\n  console.log(label, value);\n}\n\n';
      return fill(size, head, (i) =>
        python ? `def f_${i}(conv):\n    token = conv.utils.get_secret('k${i}')\n    log_it('k', token, ${i})\n\n` : `function f${i}(conv) {\n  const token = conv.utils.get_secret('k${i}');\n  logIt('k', token, ${i});\n}\n\n`,
      );
    },
  },
  {
    name: 'class-chain',
    attacks: 'the class families: thousands of classes each subclassing the one before and giving the field again, each with a method reading it through self / this (every class a family of all those below it)',
    make(language, size) {
      const python = py(language);
      const head = python ? 'class C0:\n    name = "n0"\n\n' : "class C0 {\n  name = 'n0';\n}\n";
      return fill(size, head, (j) => {
        const i = j + 1;
        return python
          ? `class C${i}(C${i - 1}):\n    name = "n${i}"\n\n    def key_${i}(self, conv):\n        return conv.utils.get_secret(self.name)\n\n`
          : `class C${i} extends C${i - 1} {\n  name = 'n${i}';\n  key${i}(conv) {\n    return conv.utils.get_secret(this.name);\n  }\n}\n`;
      });
    },
  },
  {
    name: 'credential-literals',
    attacks: 'literals that look almost like credentials: every format prefix, long random runs, JWT-like dots, long keys beside them',
    make(language, size) {
      const prefixes = ['sk_live_', 'rk_live_', 'ghp_', 'xoxb-', 'AKIA', 'AIza', 'eyJ', 'glpat-', 'sk-', 'npm_', 'SG.', 'hf_'];
      let seed = 7;
      const rand = () => {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        return seed / 0x7fffffff;
      };
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
      const random = (n: number) => {
        let s = '';
        for (let i = 0; i < n; i++) s += alphabet[Math.floor(rand() * alphabet.length)];
        return s;
      };
      const line = (i: number): string => {
        const kind = i % 6;
        let value: string;
        if (kind === 0) value = prefixes.join('').repeat(20);
        else if (kind === 1) value = `${prefixes[i % prefixes.length]}${random(900)}`;
        else if (kind === 2) value = `eyJ${'a.'.repeat(400)}`;
        else if (kind === 3) value = `${random(40)}${'='.repeat(200)}`;
        else if (kind === 4) value = `${'ab'.repeat(300)}_${random(30)}`;
        else value = `password${'x'.repeat(500)}`;
        return py(language) ? `api_secret_token_${i} = '${value}'\n` : `const api_secret_token_${i} = '${value}';\n`;
      };
      return fill(size, py(language) ? '' : '', line);
    },
  },
];

/** An ordinary file of agent functions of about `size` characters (secret reads, requests, logs; 5% choose their name by conv.env). */
export function ordinaryFile(language: CorpusLanguage, size: number): string {
  return fill(size, py(language) ? 'import requests\n\n' : "import fetch from 'node-fetch';\n\n", (i) => {
    const chosen = i % 20 === 0;
    if (py(language)) {
      const name = chosen ? `'svc${i}_api_key' if conv.env == 'live' else 'svc${i}_uat_key'` : `'svc${i}_api_key'`;
      return [
        `def fetch_partner_${i}(conv, item_id):`,
        `    """Fetch item from partner ${i}; never logs the token."""`,
        `    token = conv.utils.get_secret(${name})`,
        `    url = f"https://api.partner${i}.example.com/v2/items/{item_id}"`,
        `    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}`,
        `    resp = requests.get(url, headers=headers, timeout=10)`,
        `    resp.raise_for_status()  # 4xx/5xx: let the agent retry`,
        `    return {"partner": ${i}, "items": resp.json().get("items", [])}`,
        '',
        '',
      ].join('\n');
    }
    const name = chosen ? `conv.env === 'live' ? 'SVC${i}_API_KEY' : 'SVC${i}_UAT_KEY'` : `'SVC${i}_API_KEY'`;
    return [
      `export async function fetchPartner${i}(conv, itemId) {`,
      `  // Fetch item from partner ${i}; never logs the token.`,
      `  const token = conv.utils.get_secret(${name});`,
      `  const url = \`https://api.partner${i}.example.com/v2/items/\${itemId}\`;`,
      `  const headers = { Authorization: \`Bearer \${token}\`, Accept: 'application/json' };`,
      `  const resp = await fetch(url, { headers, timeout: 10 });`,
      `  if (!resp.ok) throw new Error('partner ${i} failed');`,
      `  return { partner: ${i}, items: (await resp.json()).items ?? [] };`,
      '}',
      '',
      '',
    ].join('\n');
  });
}

/** The reported attack: one table of `keys` names, read by conv.env in `reads` functions. */
export function tableAttack(language: CorpusLanguage, keys: number, reads: number): string {
  const python = py(language);
  const lines: string[] = [python ? 'T = {' : 'const T = {'];
  for (let i = 0; i < keys; i++) lines.push(`    'env${i}': 'secret_${i}',`);
  lines.push(python ? '}' : '};', '');
  for (let i = 0; i < reads; i++) {
    lines.push(python ? `def f${i}(conv):\n    return conv.utils.get_secret(T[conv.env])\n` : `function f${i}(conv) {\n  return conv.utils.get_secret(T[conv.env]);\n}\n`);
  }
  return lines.join('\n');
}
