// The names string literals are given to, as each front end records them in its one pass
// (server/src/service/scan/literalContexts.ts): a case per kind of target in Python and in
// JavaScript / TypeScript, and the places where reading the tokens around a literal (the
// detector's former way) named the wrong thing or nothing.

import { describe, expect, it } from 'vitest';
import { scanReferences } from '../../server/src/service/frontEnds';
import {
  LC_ARGUMENT,
  LC_ASSIGN,
  LC_ATTRIBUTE,
  LC_COMPARE,
  LC_DEFAULT,
  LC_FIELD,
  LC_KEY,
  LC_KEYWORD,
  LC_SUBSCRIPT,
} from '../../server/src/service/scan/literalContexts';
import { STRING } from '../../server/src/service/scan/tokens';

const KINDS: Record<number, string> = {
  [LC_ASSIGN]: 'assign',
  [LC_ATTRIBUTE]: 'attribute',
  [LC_SUBSCRIPT]: 'subscript',
  [LC_KEYWORD]: 'keyword',
  [LC_KEY]: 'key',
  [LC_DEFAULT]: 'default',
  [LC_FIELD]: 'field',
  [LC_COMPARE]: 'compare',
  [LC_ARGUMENT]: 'argument',
};

type Language = 'python' | 'javascript' | 'typescript';

/** Each string literal whose content starts with `v` (the values under test), as `name:kind`, or `-` when it is given to nothing. */
function contexts(text: string, language: Language = 'python'): string[] {
  const { tokens: buf, contexts: found } = scanReferences(text, language);
  const out: string[] = [];
  for (let j = 0; j < buf.stringCount; j++) {
    const t = buf.strings[j]!;
    const literal = text.slice(buf.start[t]!, buf.end[t]!);
    if (!/^[bfrtu]*['"`]v/i.test(literal)) continue;
    const i = found.indexOf(t);
    if (i < 0) {
      out.push('-');
      continue;
    }
    const name = found.name[i]!;
    const written = text.slice(buf.start[name]!, buf.end[name]!);
    out.push(`${buf.kind[name] === STRING ? written.slice(1, -1) : written}:${KINDS[found.kind[i]!]}`);
  }
  return out;
}
const js = (text: string) => contexts(text, 'javascript');
const ts = (text: string) => contexts(text, 'typescript');

describe('Python: what a literal is given to', () => {
  it('an assignment target, annotated or not, a class attribute, a walrus, a chain', () => {
    expect(contexts(`token = "v1"`)).toEqual(['token:assign']);
    expect(contexts(`token: str = "v1"`)).toEqual(['token:assign']);
    expect(contexts(`class C:\n    token = "v1"`)).toEqual(['token:assign']);
    expect(contexts(`if (token := "v1"):\n    pass`)).toEqual(['token:assign']);
    expect(contexts(`a = token = "v1"`)).toEqual(['token:assign']);
    expect(contexts(`if debug: token = "v1"`)).toEqual(['token:assign']);
  });

  it('an annotation the old reading could not walk back over: a string annotation, Final[…] over lines', () => {
    expect(contexts(`token: "Final[str]" = "v1"`)).toEqual(['token:assign']);
    expect(contexts(`token: Final[\n    str\n] = "v1"`)).toEqual(['token:assign']);
    expect(contexts(`self.token: Final[str] = "v1"`)).toEqual(['token:attribute']);
  });

  it('a literal on a continuation line, through parentheses that only group it', () => {
    expect(contexts(`token = \\\n    "v1"`)).toEqual(['token:assign']);
    expect(contexts(`token = (\n    "v1"\n    "v2"\n)`)).toEqual(['token:assign', '-']);
  });

  it('an augmented assignment', () => {
    expect(contexts(`token += "v1"`)).toEqual(['token:assign']);
    expect(contexts(`self.token += "v1"`)).toEqual(['token:attribute']);
  });

  it('tuple targets element by element, and none when one value is unpacked', () => {
    expect(contexts(`user, password = "v1", "v2"`)).toEqual(['user:assign', 'password:assign']);
    expect(contexts(`(user, password) = ("v1", "v2")`)).toEqual(['user:assign', 'password:assign']);
    expect(contexts(`user, x, self.password = "v1", f(x="v2"), "v3"`)).toEqual(['user:assign', 'x:keyword', 'password:attribute']);
    expect(contexts(`a, b = "v1"`)).toEqual(['-']);
  });

  it("an attribute target's last part, a subscript's key", () => {
    expect(contexts(`self.api.token = "v1"`)).toEqual(['token:attribute']);
    expect(contexts(`obj["password"] = "v1"`)).toEqual(['password:subscript']);
    expect(contexts(`os.environ["API_KEY"] = "v1"`)).toEqual(['API_KEY:subscript']);
    expect(contexts(`obj[key] = "v1"`)).toEqual(['-']);
  });

  it('a keyword argument, also after a newline and a comment', () => {
    expect(contexts(`Client(token="v1")`)).toEqual(['token:keyword']);
    expect(contexts(`Client(\n    # the live one\n    token=\n        "v1",\n)`)).toEqual(['token:keyword']);
    expect(contexts(`class C(Base, token="v1"):\n    pass`)).toEqual(['token:keyword']);
  });

  it("a dict key: a literal, a name, a constant's last part", () => {
    expect(contexts(`d = {"password": "v1", "user": "v2"}`)).toEqual(['password:key', 'user:key']);
    expect(contexts(`d = {API_KEY: "v1"}`)).toEqual(['API_KEY:key']);
    expect(contexts(`d = {Names.API_KEY: "v1"}`)).toEqual(['API_KEY:key']);
    expect(contexts(`d = {"k": lambda: "v1"}`)).toEqual(['-']);
  });

  it("a parameter's default, annotated or not, and a lambda's", () => {
    expect(contexts(`def f(self, token="v1"):\n    pass`)).toEqual(['token:default']);
    expect(contexts(`def f(question: str, default: str = "v1"):\n    pass`)).toEqual(['default:default']);
    expect(contexts(`f = lambda token="v1": token`)).toEqual(['token:default']);
    expect(contexts(`f(lambda token="v1": token, other="v2")`)).toEqual(['token:default', 'other:keyword']);
  });

  it('a comparison, and the argument after a first string argument', () => {
    expect(contexts(`if password == "v1":\n    pass`)).toEqual(['password:compare']);
    expect(contexts(`if self.password != "v1":\n    pass`)).toEqual(['password:compare']);
    expect(contexts(`k = os.environ.get("API_KEY", "v1")`)).toEqual(['API_KEY:argument']);
    expect(contexts(`session.auth = ("user", "v1")`)).toEqual(['user:argument']);
  });

  it('nothing where the literal is given to no name: an annotation, a lambda body, an argument, a return', () => {
    expect(contexts(`def f(source: "v1"):\n    pass`)).toEqual(['-']);
    expect(contexts(`token: "v1"`)).toEqual(['-']);
    expect(contexts(`f = lambda token: "v1"`)).toEqual(['-']);
    expect(contexts(`check = lambda s, t: t[0] == "v1"`)).toEqual(['-']);
    expect(contexts(`configure("v1")`)).toEqual(['-']);
    expect(contexts(`def f():\n    return "v1"`)).toEqual(['-']);
    expect(contexts(`x = token if c else "v1"`)).toEqual(['-']);
  });
});

describe('JavaScript and TypeScript: what a literal is given to', () => {
  it('a declaration, typed or not, an assignment, a chain', () => {
    expect(js(`const apiKey = 'v1';`)).toEqual(['apiKey:assign']);
    expect(js(`let a = 1, apiKey = 'v1';`)).toEqual(['apiKey:assign']);
    expect(ts(`export const API_KEY: string | undefined = \`v1\`;`)).toEqual(['API_KEY:assign']);
    expect(ts(`let mode: 'fast' | 'slow' = 'v1';`)).toEqual(['mode:assign']);
    expect(js(`a = apiKey = 'v1';`)).toEqual(['apiKey:assign']);
  });

  it('a literal on a continuation line, after statements without semicolons', () => {
    expect(js(`const apiKey =\n  'v1';`)).toEqual(['apiKey:assign']);
    expect(ts(`let a: number\ntoken = 'v1'`)).toEqual(['token:assign']);
  });

  it("an augmented assignment, an attribute's last part, a subscript's key", () => {
    expect(js(`token += 'v1';`)).toEqual(['token:assign']);
    expect(js(`x.password = 'v1';`)).toEqual(['password:attribute']);
    expect(js(`this.apiKey = 'v1';`)).toEqual(['apiKey:attribute']);
    expect(js(`obj["password"] = 'v1';`)).toEqual(['password:subscript']);
    expect(js(`obj[key] = 'v1';`)).toEqual(['-']);
  });

  it('array destructuring element by element', () => {
    expect(js(`const [user, password] = ['v1', 'v2'];`)).toEqual(['user:assign', 'password:assign']);
    expect(js(`const [user, password] = pair;\nconst x = ['v1', 'v2'];`)).toEqual(['-', '-']);
  });

  it('an object key: a name, a literal, a literal computed key', () => {
    expect(js(`const config = { apiKey: 'v1', "x-api-key": 'v2' };`)).toEqual(['apiKey:key', 'x-api-key:key']);
    expect(js(`f({ ["password"]: 'v1', [KEY]: 'v2' });`)).toEqual(['password:key', '-']);
    expect(js(`h('p', { class: 'v1' });`)).toEqual(['class:key']);
    expect(js(`export default { token: 'v1' };`)).toEqual(['token:key']);
  });

  it("a class field, typed, optional, after a field without a semicolon", () => {
    expect(ts(`class C { apiKey = 'v1' }`)).toEqual(['apiKey:field']);
    expect(ts(`class C { private readonly apiKey: string = 'v1'; }`)).toEqual(['apiKey:field']);
    expect(ts(`class C extends B<T> {\n  a = 1\n  apiKey?: string = 'v1'\n}`)).toEqual(['apiKey:field']);
    expect(ts(`class C {\n  m(): Promise<void> {\n    let token: string = 'v1';\n  }\n}`)).toEqual(['token:assign']);
  });

  it("a parameter's default, a destructured property's default (the property's name)", () => {
    expect(js(`function f(token = 'v1') {}`)).toEqual(['token:default']);
    expect(ts(`function f(token: string = 'v1') {}`)).toEqual(['token:default']);
    expect(js(`const g = (token = 'v1') => token;`)).toEqual(['token:default']);
    expect(js(`const { token = 'v1' } = opts;`)).toEqual(['token:default']);
    expect(js(`function f({ title: t = 'v1' }) {}`)).toEqual(['title:default']);
  });

  it('a comparison, and the argument after a first string argument', () => {
    expect(js(`if (password === 'v1') {}`)).toEqual(['password:compare']);
    expect(js(`const ok = { role: connection === 'v1' };`)).toEqual(['connection:compare']);
    expect(js(`headers.set("X-Api-Key", 'v1');`)).toEqual(['X-Api-Key:argument']);
  });

  it("nothing where the old reading named a conditional's branch, a case label or a type", () => {
    expect(js(`const x = cond ? token : 'v1';`)).toEqual(['-']);
    expect(js(`const x = { a: cond ? token : 'v1' };`)).toEqual(['-']);
    expect(js(`const x = a ?? 'v1';`)).toEqual(['-']);
    expect(js(`switch (x) { case 'token': 'v1' }`)).toEqual(['-']);
    expect(js(`switch (x) { case unknown_ca: msg = 'v1'; }`)).toEqual(['msg:assign']);
    expect(ts(`interface I { type: 'v1'; }`)).toEqual(['-']);
    expect(ts(`function f(which: 'v1') {}`)).toEqual(['-']);
    expect(js(`configure('v1');`)).toEqual(['-']);
  });
});

/**
 * For each literal whose content starts with `v`: the keys of the dict or object literal it is the
 * value of, along the front end's chain of entries (`?` for a key that is an expression), or `-`
 * when it is no entry's value. The credential detector's sibling-key filters read these.
 */
function siblings(text: string, language: Language = 'python'): string[] {
  const { tokens: buf, contexts: found } = scanReferences(text, language);
  const out: string[] = [];
  for (let j = 0; j < buf.stringCount; j++) {
    const t = buf.strings[j]!;
    if (!/^[bfrtu]*['"`]v/i.test(text.slice(buf.start[t]!, buf.end[t]!))) continue;
    const entry = found.entryAt(t);
    if (entry < 0) {
      out.push('-');
      continue;
    }
    const keys: string[] = [];
    for (let e = found.firstEntry(entry); e >= 0; e = found.nextEntry(e)) {
      const key = found.entryKey(e);
      const written = key < 0 ? '?' : text.slice(buf.start[key]!, buf.end[key]!);
      keys.push(key >= 0 && buf.kind[key] === STRING ? written.slice(1, -1) : written);
    }
    out.push(keys.join(' '));
  }
  return out;
}

/** For each literal whose content starts with `v` recorded as the argument after a first string argument: its call's callee, or `-` (a bare pair). */
function callees(text: string, language: Language = 'python'): string[] {
  const { tokens: buf, contexts: found } = scanReferences(text, language);
  const out: string[] = [];
  for (let i = 0; i < found.count; i++) {
    const t = found.value[i]!;
    if (found.kind[i] !== LC_ARGUMENT || !/^[bfrtu]*['"`]v/i.test(text.slice(buf.start[t]!, buf.end[t]!))) continue;
    const callee = found.callee[i]!;
    out.push(callee < 0 ? '-' : text.slice(buf.start[callee]!, buf.end[callee]!));
  }
  return out;
}

describe("the keys beside a literal and a pair's callee, recorded in the same pass", () => {
  it("Python: a dict's keys, its nested dicts' not, a lambda's colon no key", () => {
    expect(siblings(`d = {"apiKey": "v1", "authDomain": x, **base, KEYS[0]: 1, Names.TOKEN: 2}`)).toEqual(['apiKey authDomain ? TOKEN']);
    expect(siblings(`c = {"maps": {"apiKey": "v1"}, "authDomain": "v2"}`)).toEqual(['apiKey', 'maps authDomain']);
    expect(siblings(`d = {"key": "v1", "f": lambda value: value, "g": {value: 1}}`)).toEqual(['key f g']);
    expect(siblings(`d = {\n    "key": "v1",\n    "other": (1 if c else 2),\n}\nx = c if c else "v2"`)).toEqual(['key other', '-']);
    expect(siblings(`f(token="v1")\ns = {"v2"}`)).toEqual(['-', '-']);
  });

  it("JavaScript / TypeScript: an object literal's keys; a conditional's colon, a type's members and a block's labels are none", () => {
    expect(js(`const c = { apiKey: 'v1', authDomain: x, ['k']: 1, [K]: 2, ...rest, m() { return { inner: 1 }; } };`)).toEqual(['apiKey:key']);
    expect(siblings(`const c = { apiKey: 'v1', authDomain: x, ['k']: 1, [K]: 2, ...rest, m() { return { inner: 1 }; } };`, 'javascript')).toEqual(['apiKey authDomain k ?']);
    expect(siblings(`const o = { key: 'v1', kind: isNew ? value : old };`, 'javascript')).toEqual(['key kind']);
    expect(siblings(`const o = { a: c ? x : 'v1', owner: u ? u.id : null };`, 'javascript')).toEqual(['-']);
    expect(siblings(`interface I { key: 'v1'; value: string }\ntype T = { id: 'v2' };`, 'typescript')).toEqual(['-', 'id']);
    expect(siblings(`switch (x) { case 'a': 'v1' }\nlabel: 'v2';`, 'javascript')).toEqual(['-', '-']);
  });

  it("the callee of a call whose first argument is a string, its name's last part; none for a bare pair", () => {
    expect(callees(`requests.get(url, auth=HTTPBasicAuth("user", "v1"))`)).toEqual(['HTTPBasicAuth']);
    expect(callees(`s = aiohttp.ClientSession(auth=aiohttp.BasicAuth("user", "v1"))`)).toEqual(['BasicAuth']);
    expect(callees(`session.auth = ("user", "v1")`)).toEqual(['-']);
    expect(callees(`const auth = new BasicAuth("user", 'v1');\nheaders.set("X-Api-Key", 'v2');`, 'javascript')).toEqual(['BasicAuth', 'set']);
  });
});
