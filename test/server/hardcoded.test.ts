// Hard-coded credentials (the `hardcoded-secret` engine): the labelled corpus of
// test/fixtures/hardcoded (every expected finding with its rule, context and escaping; nothing on
// decoys or unlabelled lines), then each behaviour on its own: kinds, contexts, escaping, the
// ignore comment, names that are not values, documented examples, placeholders, checksums, and that
// no finding ever carries any part of a value.

import '../../server/src/nodeHmac';
import { createHmac } from 'node:crypto';
import { crc32 } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FORMAT_RULES, IGNORE_MARKER, ignoredLines, type HardcodedFinding } from '../../server/src/service/credentials/index';
import { base62ChecksumOk, base64Includes, crc32 as ourCrc32, decodeBase64, decodeBase64Text } from '../../protocol/credentials/encoding';
import { provideHmac, providedHmac } from '../../protocol/credentials/hmac';
import { looksDrawnName, looksLikePassword, looksRandom, repeatsItself } from '../../protocol/credentials/shape';
import { bodyStandIn, bodyStandInByCharacter, isPlaceholder } from '../../protocol/credentials/standIns';
import { scanOrThrow } from '../../server/src/service/analyze';
import { lexJs } from '../../server/src/service/javascript/jsLexer';
import { lexPython } from '../../server/src/service/python/pythonLexer';
import { STRING, TokenBuffer } from '../../server/src/service/scan/tokens';
import { GENERATORS, labels, prng, render, renderCorpus, type CorpusFile } from '../fixtures/hardcoded/generate';

const buffer = new TokenBuffer();

/** The findings of one analysis of `text`: the front end's references say which literals are names. */
function find(text: string, language: 'python' | 'javascript' | 'typescript' = 'python'): HardcodedFinding[] {
  return scanOrThrow(text, language).hardcoded;
}

const js = (text: string) => find(text, 'javascript');
const ts = (text: string) => find(text, 'typescript');

/** A fresh fake credential of `rule` (seeded: the same on every run). */
const rand = prng(4242);
const fake = (rule: string, variant = '') => GENERATORS[rule]!(rand, variant).value;

function lineOf(text: string, offset: number): number {
  let line = 0;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** The one finding in `text`, or a failure listing what was found. */
function only(findings: HardcodedFinding[]): HardcodedFinding {
  expect(findings.map((f) => f.rule)).toHaveLength(1);
  return findings[0]!;
}

describe('the labelled corpus', () => {
  const corpus = renderCorpus();

  function check(file: CorpusFile) {
    const findings = find(file.text, file.language);
    const lines = file.text.split('\n');
    const problems: string[] = [];
    const used = new Set<number>();
    for (const label of file.expected) {
      const at = findings.findIndex((f, k) => !used.has(k) && lineOf(file.text, f.span.start) <= label.line && label.line <= lineOf(file.text, f.span.end));
      if (at < 0) {
        problems.push(`line ${label.line + 1}: expected ${label.rule}, found nothing`);
        continue;
      }
      used.add(at);
      const f = findings[at]!;
      if (f.rule !== label.rule) problems.push(`line ${label.line + 1}: expected ${label.rule}, found ${f.rule}`);
      if (label.context !== undefined && f.context !== label.context) problems.push(`line ${label.line + 1}: context ${JSON.stringify(f.context)}, expected ${JSON.stringify(label.context)}`);
      if (label.escaped !== undefined && f.escaped !== label.escaped) problems.push(`line ${label.line + 1}: escaped ${f.escaped}, expected ${label.escaped}`);
    }
    findings.forEach((f, k) => {
      if (used.has(k)) return;
      const line = lineOf(file.text, f.span.start);
      const why = file.decoys.includes(line) ? 'a decoy' : 'an unlabelled line';
      problems.push(`line ${line + 1}: ${f.rule} on ${why}: ${lines[line]!.slice(0, 60)}…`);
    });
    return problems;
  }

  for (const file of corpus) {
    it(`${file.path}: every labelled credential with its rule, nothing else`, () => {
      expect(file.expected.length + file.decoys.length).toBeGreaterThan(0);
      expect(check(file)).toEqual([]);
    });
  }

  it('covers every rule, in Python and in JavaScript/TypeScript, in many places', () => {
    const rules = [...FORMAT_RULES.map((r) => r.id), 'context-secret', 'aws-secret-access-key'];
    for (const rule of rules) {
      const python = corpus.filter((f) => f.language === 'python').flatMap((f) => f.expected).filter((l) => l.rule === rule);
      const other = corpus.filter((f) => f.language !== 'python').flatMap((f) => f.expected).filter((l) => l.rule === rule);
      expect(python.length, `${rule} in Python`).toBeGreaterThanOrEqual(5);
      expect(other.length, `${rule} in JavaScript/TypeScript`).toBeGreaterThanOrEqual(4);
    }
  });

  it('has at least 60 decoys, and every line that looks like a credential is labelled one way or the other', () => {
    expect(corpus.reduce((n, f) => n + f.decoys.length, 0)).toBeGreaterThanOrEqual(60);
    for (const file of corpus) {
      const labelled = new Set([...file.expected.map((l) => l.line), ...file.decoys]);
      file.text.split('\n').forEach((line, i) => {
        if (/\{\{gen:/.test(line)) throw new Error(`${file.path}:${i + 1}: unrendered placeholder`);
        // A generated value sits on a labelled line (or inside a multi-line literal whose last line is).
        if (file.secrets.some((s) => line.includes(s)) && !labelled.has(i) && !/^\s*[A-Za-z0-9+/=]{40,}\s*$/.test(line)) {
          throw new Error(`${file.path}:${i + 1}: a generated value on an unlabelled line`);
        }
      });
    }
  });

  it('is rendered the same on every run, with fresh values in each file', () => {
    const again = renderCorpus();
    expect(again.map((f) => f.text)).toEqual(corpus.map((f) => f.text));
    const secrets = corpus.flatMap((f) => f.secrets);
    expect(new Set(secrets).size).toBe(secrets.length);
  });

  it('never puts any part of a value into a finding', () => {
    for (const file of corpus) {
      const json = JSON.stringify(find(file.text, file.language));
      for (const secret of file.secrets) {
        for (let i = 0; i + 8 <= secret.length; i += 4) {
          if (json.includes(secret.slice(i, i + 8))) throw new Error(`${file.path}: a finding holds part of a value`);
        }
      }
    }
  });
});

describe('the rules table', () => {
  it('has unique ids and a human kind for every rule, and a generator for the corpus', () => {
    const ids = FORMAT_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of FORMAT_RULES) {
      expect(rule.kind).toMatch(/^[A-Za-z0-9][A-Za-z0-9 -]+[a-zA-Z]$/);
      expect(GENERATORS[rule.id], rule.id).toBeDefined();
      expect(rule.prefixes.length, rule.id).toBeGreaterThan(0);
    }
  });

  it('takes a 1Password service account token only when it decodes to an account, and the rest of secretlint\'s preset by format', () => {
    const token = fake('1password-service-account-token');
    expect(only(find(`client = Client(token="${token}")`)).rule).toBe('1password-service-account-token');
    expect(only(js(`const op = createClient({ auth: '${token}' });`)).rule).toBe('1password-service-account-token');
    // `ops_` and base64 of JSON without an account's secret key: another tool's id, no token.
    const other = `ops_${Buffer.from(JSON.stringify({ pipeline: 'nightly-build', stage: 'deploy', region: 'eu-west-1', note: 'runs after the integration suite' })).toString('base64')}`;
    expect(find(`run_id = "${other}"`)).toEqual([]);
    expect(find(`OP_SERVICE_ACCOUNT_TOKEN = "${other}"`)).toEqual([]);
    // Shopify's four prefixes, Linear's keys; stand-ins after the prefix are none.
    for (const prefix of ['shpat_', 'shpca_', 'shppa_', 'shpss_']) {
      expect(only(find(`x = "${prefix}${'0f3a9c7e5b2d4f6a8c1e3b5d7f9a2c4e'}"`)).rule, prefix).toBe('shopify-token');
      expect(find(`x = "${prefix}${'x'.repeat(32)}"`), prefix).toEqual([]);
    }
    expect(only(find(`LINEAR = "${fake('linear-api-key')}"`)).rule).toBe('linear-api-key');
    expect(find(`LINEAR_API_KEY = "lin_api_${'X'.repeat(40)}"`)).toEqual([]);
  });

  it('names the kind of credential, from the table or from the name it is assigned to', () => {
    for (const rule of FORMAT_RULES) {
      if (rule.id === 'authorization-header' || rule.id === 'url-password') continue;
      const f = only(find(`value = "${fake(rule.id)}"`));
      expect(f.rule).toBe(rule.id);
      expect(f.kind).toBe(rule.kind);
    }
    expect(only(find(`x = "${fake('authorization-header')}"`)).kind).toBe('Authorization header credential');
    expect(only(find(`x = "${fake('url-password')}"`)).kind).toBe('URL with a password');
    const key = fake('context-secret');
    expect(only(find(`api_key = "${key}"`)).kind).toBe('API key');
    expect(only(find(`auth_token = "${key}"`)).kind).toBe('token');
    expect(only(find(`client_secret = "${key}"`)).kind).toBe('secret');
    expect(only(find(`db_password = "${fake('context-secret', 'password')}"`)).kind).toBe('password');
    expect(only(find(`private_key = "${key}"`)).kind).toBe('private key');
    expect(only(find(`credentials = "${key}"`)).kind).toBe('credential');
    expect(only(find(`aws_secret_access_key = "${fake('aws-secret-access-key')}"`)).kind).toBe('AWS secret access key');
    expect(only(find(`h = {"Authorization": "Token ${fake('hash', 'sha1')}"}`)).kind).toBe('Authorization header credential');
  });

  it('finds a webhook signing secret in Stripe\'s format and in Standard Webhooks\' (Svix, OpenAI), naming no provider', () => {
    const standard = fake('stripe-webhook-secret', 'standard');
    expect(standard).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    for (const source of [`value = "${fake('stripe-webhook-secret')}"`, `value = "${standard}"`, `configure("${standard}")`]) {
      const f = only(find(source));
      expect(f.rule).toBe('stripe-webhook-secret');
      expect(f.kind).toBe('webhook signing secret');
    }
    expect(only(ts(`const hook = new Webhook("${standard}");`)).kind).toBe('webhook signing secret');
    // A prefix alone, or a stand-in after it, is not one.
    expect(find(`prefix = "whsec_"`)).toEqual([]);
    expect(find(`secret = "whsec_your-signing-secret-here"`)).toEqual([]);
    expect(find(`secret = "whsec_${'x'.repeat(40)}"`)).toEqual([]);
  });
});

describe('context', () => {
  const key = fake('context-secret');
  const stripe = fake('stripe-secret-key');

  it('is the variable, attribute, annotated name, dict key, keyword argument or subscript key', () => {
    expect(only(find(`api_key = "${key}"`)).context).toBe('api_key');
    expect(only(find(`self.api_key = "${key}"`)).context).toBe('api_key');
    expect(only(find(`api_key: Optional[str] = "${key}"`)).context).toBe('api_key');
    expect(only(find(`if debug: api_key = "${key}"`)).context).toBe('api_key');
    expect(only(find(`d = {"partner_api_key": "${key}"}`)).context).toBe('partner_api_key');
    expect(only(find(`Client(api_key="${key}")`)).context).toBe('api_key');
    expect(only(find(`os.environ["PARTNER_API_KEY"] = "${key}"`)).context).toBe('PARTNER_API_KEY');
    expect(only(find(`key = os.environ.get("PARTNER_API_KEY", "${key}")`)).context).toBe('PARTNER_API_KEY');
    expect(only(find(`KEY = ("${key.slice(0, 10)}" "${key.slice(10)}")`)).context).toBe('KEY');
  });

  it('is the property, class field, typed constant, default parameter or header name in JavaScript and TypeScript', () => {
    expect(only(js(`const config = { apiKey: "${key}" };`)).context).toBe('apiKey');
    expect(only(js(`const config = { "x-api-key": '${key}' };`)).context).toBe('x-api-key');
    expect(only(ts(`class C { private readonly apiKey: string = "${key}"; }`)).context).toBe('apiKey');
    expect(only(ts(`export const API_KEY: string | undefined = \`${key}\`;`)).context).toBe('API_KEY');
    expect(only(js(`function f(apiKey = "${key}") {}`)).context).toBe('apiKey');
    expect(only(js(`headers.set("X-Api-Key", "${key}");`)).context).toBe('X-Api-Key');
    expect(only(js(`process.env.PARTNER_API_KEY = "${key}";`)).context).toBe('PARTNER_API_KEY');
  });

  it('is null where the literal has no name: a call argument, a return value, a docstring', () => {
    expect(only(find(`configure("${stripe}")`)).context).toBeNull();
    expect(only(find(`def f():\n    return "${stripe}"`)).context).toBeNull();
    expect(only(find(`def f():\n    """Uses ${stripe} for refunds."""`)).context).toBeNull();
  });

  it('is needed by the context rule: a random value without a secret-like name is not a finding', () => {
    expect(find(`configure("${key}")`)).toEqual([]);
    expect(find(`request_id = "${key}"`)).toEqual([]);
    expect(find(`def f():\n    """api_key = '${key}'"""`)).toEqual([]);
    expect(find(`def f():\n    return "${key}"`)).toEqual([]);
  });
});

describe('context, as the front end reads it', () => {
  // The name a value is given to comes from the front end's pass (scan/literalContexts.ts), not
  // from the tokens just before the literal: each case here was misread that way.
  const key = fake('context-secret');

  it('a tuple target gives each element its own name', () => {
    expect(find(`user, token = "${key}", "plain"`)).toEqual([]);
    expect(only(find(`token, user = "${key}", "plain"`)).context).toBe('token');
    expect(only(js(`const [user, apiKey] = ['plain', '${key}'];`)).context).toBe('apiKey');
  });

  it('a string annotation, an augmented assignment, an optional field after one without a semicolon', () => {
    expect(only(find(`token: "Final[str]" = "${key}"`)).context).toBe('token');
    expect(only(find(`token += "${key}"`)).context).toBe('token');
    expect(only(ts(`class C {\n  retries = 1\n  apiKey?: string = '${key}'\n}`)).context).toBe('apiKey');
  });

  it("a conditional's branch, a case label and a type are not what the value is given to", () => {
    expect(js(`const value = cond ? token : '${key}';`)).toEqual([]);
    expect(js(`switch (kind) { case 'token': '${key}' }`)).toEqual([]);
    expect(ts(`interface Stub { token: '${key}'; }`)).toEqual([]);
  });
});

describe('escaped', () => {
  const stripe = fake('stripe-secret-key');

  it('is false when the text between the quotes is the value', () => {
    expect(only(find(`k = "${stripe}"`)).escaped).toBe(false);
    expect(only(find(`k = f"${stripe}"`)).escaped).toBe(false);
    expect(only(js(`const k = \`${stripe}\`;`)).escaped).toBe(false);
    expect(only(js(`const k = '${stripe}';`)).escaped).toBe(false);
  });

  it('is true for escapes, raw and bytes prefixes, implicit concatenation and doubled braces', () => {
    const escaped = `\\x73${stripe.slice(1)}`;
    expect(only(find(`k = "${escaped}"`)).escaped).toBe(true);
    expect(only(js(`const k = "${escaped}";`)).escaped).toBe(true);
    expect(only(js(`const k = "\\u0073${stripe.slice(1)}";`)).escaped).toBe(true);
    expect(only(find(`k = r"${stripe}"`)).escaped).toBe(true);
    expect(only(find(`k = b"${stripe}"`)).escaped).toBe(true);
    expect(only(find(`k = ("${stripe.slice(0, 12)}"\n     "${stripe.slice(12)}")`)).escaped).toBe(true);
    expect(only(find(`k = f"{{${stripe}}}"`)).escaped).toBe(true);
  });

  it('gives spans around the whole literal and between its quotes', () => {
    const text = `k = rb'${stripe}'`;
    const f = only(find(text));
    expect(text.slice(f.span.start, f.span.end)).toBe(`rb'${stripe}'`);
    expect(text.slice(f.contentSpan.start, f.contentSpan.end)).toBe(stripe);
    const triple = `k = """\n${stripe}\n"""`;
    const g = only(find(triple));
    expect(triple.slice(g.contentSpan.start, g.contentSpan.end)).toBe(`\n${stripe}\n`);
  });
});

describe('the ignore comment', () => {
  const stripe = fake('stripe-secret-key');

  it('silences the line it is on, in Python and in both JavaScript comment forms', () => {
    expect(find(`k = "${stripe}"  # secrets-vault: ignore hardcoded-secret`)).toEqual([]);
    expect(find(`k = "${stripe}"  # noqa: E501  # secrets-vault: ignore hardcoded-secret (test fixture)`)).toEqual([]);
    expect(js(`const k = "${stripe}"; // secrets-vault: ignore hardcoded-secret`)).toEqual([]);
    expect(ts(`const k = /* secrets-vault: ignore hardcoded-secret */ "${stripe}";`)).toEqual([]);
  });

  it('silences that line only', () => {
    const text = `a = "${stripe}"  # secrets-vault: ignore hardcoded-secret\nb = "${fake('stripe-secret-key')}"\n`;
    const f = only(find(text));
    expect(lineOf(text, f.span.start)).toBe(1);
    expect(js(`// secrets-vault: ignore hardcoded-secret\nconst k = "${stripe}";`)).toHaveLength(1);
  });

  it('on the closing line of a literal over several lines silences it', () => {
    expect(find(`KEY = """${fake('pem-private-key', 'lines')}\n"""  # secrets-vault: ignore hardcoded-secret`)).toEqual([]);
  });

  it('is not the same text inside a string', () => {
    expect(find(`note = "# secrets-vault: ignore hardcoded-secret"; k = "${stripe}"`)).toHaveLength(1);
    expect(find(`k = "${stripe}"; note = "# secrets-vault: ignore hardcoded-secret"`)).toHaveLength(1);
    expect(js(`const note = "// secrets-vault: ignore hardcoded-secret", k = "${stripe}";`)).toHaveLength(1);
    expect(js(`const k = "${stripe}", note = \`/* secrets-vault: ignore hardcoded-secret */\`;`)).toHaveLength(1);
    // A real comment earlier on the line does not make the text in a later string a comment.
    expect(js(`const k = "${stripe}"; /* note */ const m = "secrets-vault: ignore hardcoded-secret";`)).toHaveLength(1);
  });

  it('is listed by ignoredLines, 0-based, with CRLF and CR line ends counted once', () => {
    const text = `a = 1\r\nb = 2  # secrets-vault: ignore hardcoded-secret\rc = "# secrets-vault: ignore hardcoded-secret"\n# secrets-vault: ignore hardcoded-secret\n`;
    lexPython(text, buffer);
    expect([...ignoredLines(text, buffer, true)]).toEqual([1, 3]);
    const jsText = `x = 1; /* secrets-vault: ignore hardcoded-secret */\ny = '// secrets-vault: ignore hardcoded-secret'`;
    lexJs(jsText, buffer, false);
    expect([...ignoredLines(jsText, buffer, false)]).toEqual([0]);
  });
});

describe('names are not values', () => {
  // Whatever they look like: a literal there names a secret or a variable.
  const stripe = fake('stripe-secret-key');

  it('in get_secret, by position or by name', () => {
    expect(find(`conv.utils.get_secret("${stripe}")`)).toEqual([]);
    expect(find(`conv.utils.get_secret(name="${stripe}")`)).toEqual([]);
    expect(find(`conv.utils.get_secret(secret_name="${stripe}")`)).toEqual([]);
    expect(find(`from utils import secret_vault\nk = secret_vault.secret_vault("${stripe}")`)).toEqual([]);
    expect(js(`await conv.utils.get_secret("${stripe}");`)).toEqual([]);
  });

  // Which literals are names is the front end's reading (its references), not the neighbouring
  // tokens': the detector used to re-recognise `get_secret(`, `secret_name=`, `env[` by spelling.
  it('read through an alias, by the platform\'s keyword, on a call over several lines', () => {
    expect(find(`gs = conv.utils.get_secret\nkey = gs(secret_name="${stripe}")`)).toEqual([]);
    expect(find(`read = conv.utils.get_secret\nkey = read(\n    # the live account's\n    secret_name="${stripe}",\n)`)).toEqual([]);
    expect(find(`key = conv.utils.get_secret(\n    timeout=30,\n    secret_name="${stripe}",\n)`)).toEqual([]);
  });

  it('every literal a computed name may take, in Python and in TypeScript', () => {
    const github = fake('github-pat');
    expect(find(`name = "${stripe}" if conv.env == "live" else "${github}"\nkey = conv.utils.get_secret(name)`)).toEqual([]);
    expect(find(`NAMES = {"live": "${stripe}", "sandbox": "${github}"}\nfor env, name in NAMES.items():\n    conv.utils.get_secret(name)`)).toEqual([]);
    expect(find(`key = conv.utils.get_secret("stripe" if conv.env == "sandbox" else "${stripe}")`)).toEqual([]);
    expect(find(`keys = list(map(conv.utils.get_secret, ["${stripe}", "${github}"]))`)).toEqual([]);
    expect(ts(`const name = "${stripe}";\nconst key = process.env[name];`)).toEqual([]);
  });

  it('a key read from a secret', () => {
    expect(find(`creds = conv.utils.get_secret("stripe")\nk = creds["${stripe}"]`)).toEqual([]);
  });

  it('but a value given to a function that only shares the name is a value', () => {
    // A test double's parameter default, a function of the file's own: no secret is read there.
    expect(only(find(`class FakeUtils:\n    def get_secret(self, secret_name="${stripe}"):\n        return secret_name`)).context).toBe('secret_name');
    expect(only(ts(`class FakeVault {\n  get_secret(name = "${stripe}") { return name; }\n}`)).context).toBe('name');
    expect(only(ts(`function get_secret(secret_name = "${stripe}") { return secret_name; }`)).context).toBe('secret_name');
  });

  it('in the environment: os.environ, os.getenv, process.env', () => {
    expect(find(`k = os.environ["${stripe}"]`)).toEqual([]);
    expect(find(`k = os.environ.get("${stripe}")`)).toEqual([]);
    expect(find(`k = os.getenv("${stripe}")`)).toEqual([]);
    expect(js(`const k = process.env["${stripe}"];`)).toEqual([]);
  });

  it('but a default value after the name is a value', () => {
    expect(only(find(`k = os.environ.get("STRIPE_KEY", "${stripe}")`)).rule).toBe('stripe-secret-key');
  });
});

describe('look-alikes', () => {
  it('documented example keys are not findings', () => {
    expect(find(`a = "AKIAIOSFODNN7EXAMPLE"`)).toEqual([]);
    expect(find(`aws_secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"`)).toEqual([]);
    expect(find(`stripe.api_key = "sk_test_4eC39HqLyjWDarjtT1zdp7dc"`)).toEqual([]);
    expect(
      find(`token = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"`),
    ).toEqual([]);
  });

  it('GitHub and npm tokens need a valid checksum to be reported as such; without one, their name decides, as for any value', () => {
    const token = fake('github-pat');
    expect(only(find(`t = "${token}"`)).rule).toBe('github-pat');
    const last = token.charAt(token.length - 1);
    const broken = token.slice(0, -1) + (last === 'a' ? 'b' : 'a');
    // A hand-made or mistyped token: no GitHub token where nothing says it is a secret…
    expect(find(`t = "${broken}"`)).toEqual([]);
    expect(find(`tokens = ["${broken}"]`)).toEqual([]);
    // …but under a secret's name it is judged as any random value there, like the same text without the prefix.
    const named = only(find(`github_token = "${broken}"`));
    expect([named.rule, named.kind, named.context]).toEqual(['context-secret', 'token', 'github_token']);
    expect(only(find(`github_token = "${broken.slice(4)}"`)).rule).toBe('context-secret');
    expect(only(ts(`const client = new Octokit({ auth: "${broken}" });`)).context).toBe('auth');
    const npm = fake('npm-token');
    const npmBroken = `${npm.slice(0, 4)}${npm.charAt(4) === 'A' ? 'B' : 'A'}${npm.slice(5)}`;
    expect(find(`x = "${npmBroken}"`)).toEqual([]);
    expect(only(find(`npm_token = "${npmBroken}"`)).rule).toBe('context-secret');
    // A filler or a documented sample stays no finding under any name.
    expect(find(`github_token = "ghp_${'x'.repeat(36)}"`)).toEqual([]);
    expect(find(`github_token = "ghp_${'0'.repeat(36)}"`)).toEqual([]);
    expect(find(`GH_TOKEN = "gho_16C7e42F292c6912E7710c838347Ae178B4a"`)).toEqual([]);
    // A value with the prefix but not the format (a wrong length) is a look-alike: no finding by its name either.
    expect(find(`github_token = "${token.slice(0, 30)}"`)).toEqual([]);
  });

  it('finds bytes in base64 as decoding it to a string would', () => {
    const needles = ['"alg"', 'a', '{"', 'zz'];
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.boolean(), fc.constantFrom(...needles), fc.nat(3), (text, url, needle, pad) => {
        let b64 = Buffer.from(text, 'latin1').toString(url ? 'base64url' : 'base64');
        if (url) b64 += '='.repeat(pad % 3);
        const framed = `x${b64}y`;
        expect(base64Includes(framed, 1, framed.length - 1, needle)).toBe(decodeBase64(b64)!.includes(needle));
      }),
      { numRuns: 5000 },
    );
    // Outside the alphabet: no bytes, no match.
    expect(base64Includes('eyJhbGciOi*', 0, 11, '"alg"')).toBe(false);
    expect(decodeBase64('eyJhbGciOi*')).toBeNull();
    expect(base64Includes('eyJhbGciOiJIUzI1NiJ9', 0, 20, '"alg"')).toBe(true);
  });

  it('decodes base64 to text only when every byte is printable ASCII', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 48 }), fc.boolean(), (bytes, url) => {
        const b64 = Buffer.from(bytes).toString(url ? 'base64url' : 'base64');
        const printable = bytes.every((b) => b >= 0x20 && b <= 0x7e);
        expect(decodeBase64Text(b64)).toBe(printable ? Buffer.from(bytes).toString('latin1') : null);
      }),
      { numRuns: 3000 },
    );
    expect(decodeBase64Text('dXNlcm5hbWU6cGFzc3dvcmQ=')).toBe('username:password');
    expect(decodeBase64Text('')).toBeNull();
    expect(decodeBase64Text('dXNl*')).toBeNull();
  });

  it('our CRC-32 and checksum agree with zlib', () => {
    for (const s of ['', 'a', 'abc', '0123456789abcdefghijklmnopqrst', 'The quick brown fox']) expect(ourCrc32(s)).toBe(crc32(s));
    const token = fake('npm-token');
    expect(base62ChecksumOk(token, 4, token.length)).toBe(true);
  });

  it('placeholders and fillers are not findings, in any format', () => {
    const cases = [
      `k = "sk_live_xxxxxxxxxxxxxxxxxxxxxxxx"`,
      `k = "sk_live_${'0'.repeat(24)}"`,
      `k = "sk_live_abcdefghijklmnopqrstuvwx"`,
      `k = "AKIAXXXXXXXXXXXXXXXX"`,
      `k = "sk-proj-...your-key..."`,
      `api_key = "<your-api-key>"`,
      `api_key = "YOUR_API_KEY_HERE"`,
      `api_key = "\${OPENAI_API_KEY}"`,
      `api_key = "{{ api_key }}"`,
      `password = "%(password)s"`,
      `password = "changeme"`,
      `password = "REPLACE_ME"`,
      `token = "dummy-token-for-tests"`,
      `secret = "not-a-real-secret-key"`,
      `token = "aaaaaaaaaaaaaaaaaaaaaaaa"`,
      `k = "-----BEGIN RSA PRIVATE KEY-----"`,
      `k = "-----BEGIN PRIVATE KEY-----\\n...\\n-----END PRIVATE KEY-----"`,
      `k = "Bearer <token>"`,
      `k = "postgres://postgres:postgres@localhost/db"`,
      `k = "mysql://root:password@localhost/db"`,
      `k = "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"`,
    ];
    for (const c of cases) expect(find(c), c).toEqual([]);
  });

  it('ids, digests, images, URLs and paths in non-secret positions are not findings', () => {
    const cases = [
      `request_id = "${fake('uuid')}"`,
      `sha = "${fake('hash')}"`,
      `password_hash = "${fake('hash')}"`,
      `logo = "${fake('png-data-url')}"`,
      `icon_key = "${fake('png-data-url')}"`,
      `url = "https://api.example.com/v1/items?token=abc"`,
      `token_path = "/var/run/secrets/token"`,
      `key_file = "./keys/${fake('random', '16')}.pem"`,
      `publishable_key = "${fake('stripe-publishable-key')}"`,
    ];
    for (const c of cases) expect(find(c), c).toEqual([]);
  });

  it('a UUID under a secret-like name is a finding: some providers issue UUID keys', () => {
    expect(only(find(`heroku_api_key = "${fake('uuid')}"`)).rule).toBe('context-secret');
  });

  it('strings with placeholders and comments are not literals', () => {
    const stripe = fake('stripe-secret-key');
    expect(find(`k = f"${stripe}{suffix}"`)).toEqual([]);
    expect(js(`const k = \`${stripe}\${suffix}\`;`)).toEqual([]);
    expect(find(`# k = "${stripe}"`)).toEqual([]);
    expect(js(`/* const k = "${stripe}"; */`)).toEqual([]);
  });

  it('in a literal with several credentials, the specific one is reported', () => {
    expect(only(find(`h = "Bearer ${fake('github-pat')}"`)).rule).toBe('github-pat');
    expect(only(find(`u = "https://deploy:${fake('stripe-secret-key')}@git.example.com/x"`)).rule).toBe('stripe-secret-key');
  });

  it('a JWT needs a signature: unsigned, truncated or spelled in words, it is a fixture under any name', () => {
    const b64 = (json: object) => Buffer.from(JSON.stringify(json)).toString('base64url');
    const head = `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64({ iss: 'svc@agents.example.com', iat: 1763900000 })}`;
    const signature = Buffer.from(Array.from({ length: 32 }, (_, i) => (i * 97 + 13) % 256)).toString('base64url');
    expect(only(find(`access_token = "${head}.${signature}"`)).rule).toBe('jwt');
    expect(only(js(`fetch(u, { token: '${head}.${signature}' });`)).rule).toBe('jwt');
    // Supabase's anon key is public by design; its service-role key is a secret.
    const supabase = (role: string) => `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ iss: 'supabase', ref: 'kzrlppojinpcyyaipxnb', role, iat: 1719257579, exp: 2034833579 })}.${signature}`;
    expect(find(`SUPABASE_ANON_KEY = "${supabase('anon')}"`)).toEqual([]);
    expect(js(`createClient(url, key, { global: { headers: { Authorization: "Bearer ${supabase('anon')}" } } });`)).toEqual([]);
    expect(only(find(`SUPABASE_SERVICE_ROLE_KEY = "${supabase('service_role')}"`)).rule).toBe('jwt');
    for (const sig of ['', 'sig', 'signature', 'test-signature-value', 'invalidsignaturefortests', 'Fake_Signature_Here', signature.slice(0, 12)]) {
      expect(find(`access_token = "${head}.${sig}"`), JSON.stringify(sig)).toEqual([]);
      expect(ts(`const token: string = '${head}.${sig}';`), JSON.stringify(sig)).toEqual([]);
    }
  });

  it('a JWT signed with a key documentation publishes is a fixture, in a literal or an Authorization value; with any other key it is a credential', () => {
    const b64 = (json: object) => Buffer.from(JSON.stringify(json)).toString('base64url');
    const payload = b64({ sub: 'svc-booking', iat: 1763900000, scope: 'bookings:write' });
    const sign = (alg: string, key: string, spaced = false) => {
      const header = spaced ? Buffer.from(`{"alg": "${alg}", "typ": "JWT"}`).toString('base64url') : b64({ alg, typ: 'JWT' });
      return `${header}.${payload}.${createHmac(`sha${alg.slice(2)}`, key).update(`${header}.${payload}`).digest('base64url')}`;
    };
    const published = ['secret', 'your-256-bit-secret', '09d25e094faa6ca2556c818166b7a9563b93f7099f6f0f4caa6cf63b88e8d3e7'];
    for (const key of published) {
      for (const alg of ['HS256', 'HS384', 'HS512', 'hs256']) {
        const token = sign(alg, key, alg === 'HS384');
        expect(find(`example_jwt = "${token}"`), `${alg} ${key}`).toEqual([]);
        expect(find(`headers = {"Authorization": "Bearer ${token}"}`), `${alg} ${key}`).toEqual([]);
        expect(js(`fetch(url, { headers: { Authorization: \`Bearer ${token}\` } });`), `${alg} ${key}`).toEqual([]);
      }
    }
    // PyJWT's tests write tokens as implicitly concatenated bytes.
    const [h, p, sig] = sign('HS256', 'secret', true).split('.');
    expect(find(`example_jwt = (\n    b"${h}"\n    b".${p}"\n    b".${sig}"\n)\n`)).toEqual([]);
    // Expired (`exp` in the past, in seconds or milliseconds): refused by every verifier, whatever the key.
    const other = (claims: object) => {
      const header = b64({ alg: 'HS256', typ: 'JWT' });
      const body = b64(claims);
      return `${header}.${body}.${createHmac('sha256', 'Qm7vL2pZ9kTwX4LpR8sN').update(`${header}.${body}`).digest('base64url')}`;
    };
    expect(find(`token = "${other({ exp: 946684800 })}"`)).toEqual([]);
    expect(find(`token = "${other({ sub: 'svc', exp: 946684800000 })}"`)).toEqual([]);
    expect(find(`token = "${other({ sub: 'svc', exp: 946684800.5 })}"`)).toEqual([]);
    expect(find(`token = "${other({ name: 'José Müller', exp: 946684800 })}"`)).toEqual([]);
    expect(only(find(`token = "${other({ sub: 'svc', exp: 4102444800 })}"`)).rule).toBe('jwt');
    expect(only(find(`token = "${other({ sub: 'svc', exp: '946684800' })}"`)).rule).toBe('jwt');
    // The language service is pure: without the HMAC its Node host gives it, signatures go unchecked.
    const hmac = providedHmac();
    provideHmac(null);
    try {
      expect(only(find(`example_jwt = "${sign('HS256', 'secret')}"`)).rule).toBe('jwt');
    } finally {
      provideHmac(hmac);
    }
    expect(find(`example_jwt = "${sign('HS256', 'secret')}"`)).toEqual([]);
    // Any other key, and a published key's name as a prefix of the real one, are credentials.
    for (const key of ['secret2', 'Qm7vL2pZ9kTwX4LpR8sN', 'your-256-bit-secret-rotated']) {
      expect(only(find(`token = "${sign('HS256', key)}"`)).rule, key).toBe('jwt');
      expect(only(find(`headers = {"Authorization": "Bearer ${sign('HS256', key)}"}`)).rule, key).toBe('jwt');
    }
  });

  it("a Google API key in a Firebase web app's configuration names a project and is no finding; elsewhere it is", () => {
    const key = fake('google-api-key');
    const config = `const firebaseConfig = {\n  apiKey: "${key}",\n  authDomain: "agents-prod.firebaseapp.com",\n  projectId: "agents-prod",\n  storageBucket: "agents-prod.appspot.com",\n  messagingSenderId: "123456789012",\n  appId: "1:123456789012:web:abc123",\n};\ninitializeApp(firebaseConfig);`;
    expect(js(config)).toEqual([]);
    expect(ts(`export default { firebase: { apiKey: '${key}', messagingSenderId: '1234' } };`)).toEqual([]);
    expect(find(`config = {"apiKey": "${key}", "authDomain": "agents-prod.firebaseapp.com", "databaseURL": ""}`)).toEqual([]);
    // Not a Firebase configuration: the key alone, among other keys, or in a nested object beside one.
    expect(only(js(`const maps = { apiKey: "${key}", region: "eu" };`)).rule).toBe('google-api-key');
    expect(only(js(`const c = { maps: { apiKey: "${key}" }, authDomain: "x.firebaseapp.com" };`)).rule).toBe('google-api-key');
    expect(only(find(`geocode(address, key="${key}")`)).rule).toBe('google-api-key');
  });

  it("reads the keys beside a literal as the front end recorded the object (not a conditional's colon, a type's members, nor within a token window)", () => {
    const hex = () => fake('context-secret', 'hex');
    const key = fake('google-api-key');
    // A conditional's colon in a sibling's value is no key: `value`, `id` there made no entry or record of it.
    expect(only(js(`const tag = { key: "${hex()}", kind: isNew ? value : previous };`)).context).toBe('key');
    expect(only(js(`const session = { token: "${hex()}", owner: user ? user.id : null };`)).context).toBe('token');
    expect(js(`const session = { token: "${hex()}", owner: user.id, id: null };`)).toEqual([]);
    // A TypeScript interface's members are no object's keys.
    expect(only(ts(`interface FirebaseShape { apiKey: "${key}"; authDomain: string }`)).rule).toBe('google-api-key');
    // The whole dict, however long: a Firebase configuration whose `authDomain` is 3,000 tokens after
    // its `apiKey`, or whose `{` is as far before it (the former walk read 2,048 tokens each way).
    const filler = Array.from({ length: 750 }, (_, i) => `"k${i}": ${i}`).join(', ');
    expect(find(`config = {"apiKey": "${key}", ${filler}, "authDomain": "agents-prod.firebaseapp.com"}`)).toEqual([]);
    expect(find(`config = {${filler}, "apiKey": "${key}", "authDomain": "agents-prod.firebaseapp.com"}`)).toEqual([]);
    expect(only(find(`config = {"apiKey": "${key}", ${filler}, "region": "eu"}`)).rule).toBe('google-api-key');
  });

  it('a field of a data record (an object with a numeric or UUID id, or a timestamp) is data; a configuration with a named id is not a record', () => {
    const hex = () => fake('context-secret', 'hex');
    expect(js(`mock(JSON.stringify({"checkouts": [{"id": 450789469, "token": "${hex()}", "cart_token": "${hex()}", "email": "bob@example.com"}]}));`)).toEqual([]);
    expect(find(`ORDER = {"id": None, "checkout_token": "${hex()}", "total": "19.90"}`)).toEqual([]);
    expect(ts(`const response = { token: '${fake('context-secret')}', id: '430eed87-632a-4ea6-90db-0aace67ec228' };`)).toEqual([]);
    expect(find(`key_row = {"key": "${hex()}", "created_at": "2024-05-01T10:00:00Z"}`)).toEqual([]);
    expect(js(`const items = [{"id": "c72185ef93b358d7", "key": "${hex()}", "product_id": 632910392}];`)).toEqual([]);
    expect(find(`item = {"key": "${hex()}", "product_id": 632910392, "variant_id": 808950810, "sku": "IPOD2008PINK"}`)).toEqual([]);
    // One numeric reference is an account number in a configuration, not a record.
    expect(only(js(`const aws = { accountId: 123456789012, apiKey: "${fake('context-secret')}" };`)).rule).toBe('context-secret');
    // A configuration names its id; a provider's key in a record is still a key.
    expect(only(js(`const provider = { id: "partner-oauth", type: "oauth", clientSecret: "${fake('context-secret')}" };`)).rule).toBe('context-secret');
    expect(only(js(`const row = { id: 7, key: "${fake('stripe-secret-key')}" };`)).rule).toBe('stripe-secret-key');
    expect(only(find(`settings = {"token": "${hex()}", "timeout": 10}`)).rule).toBe('context-secret');
  });

  it('a user:password pair whose password is the user, a stand-in or words naming a password is no credential, in a URL or a Basic header', () => {
    const basic = (pair: string) => `Basic ${Buffer.from(pair).toString('base64')}`;
    for (const password of ['Qm7vL2pZ9kTw', 'hunter2!', 'N7f%24kq92Lx', 'MyS3cretP4ss2024!', 'Tr0ub4dor%263']) {
      expect(only(find(`DSN = "postgresql://booking:${password}@db.internal:5432/app"`)).rule, password).toBe('url-password');
    }
    for (const pair of ['svc:Qm7vL2pZ9kTw', '111.222:hunter2!']) expect(only(find(`h = "${basic(pair)}"`)).rule, pair).toBe('authorization-header');
    for (const password of ['app', 'pass%2Fword', 'pass%23pass', 'pa%20ssword', 'withPwd', 'my-secret-password', 'token_rotation_secret', '%s', 'changeme', 's3cr3t_pw', 'p%40ss_w0rd', 'My-T0k3n']) {
      expect(find(`DSN = "postgresql://app:${password}@db.internal:5432/app"`), password).toEqual([]);
    }
    // Base64 of readable text is no key; of a real pair, of JSON holding a key, of printable key text, it is.
    const b64 = (t: string) => Buffer.from(t).toString('base64');
    for (const t of ['{"foo": "bar"}', "you're not supposed to decode this!", '[1, 2, 3]', '{"boto_truncate_amount": 2, "NextToken": "foo"}']) {
      expect(find(`token = "${b64(t)}"`), t).toEqual([]);
      expect(find(`headers = {"Authorization": "Bearer ${b64(t)}"}`), t).toEqual([]);
    }
    for (const t of ['{"private_key": "Qm7vL2pZ9kTwX4Lp"}', '{"id": "svc", "value": "q8Zr2LmX7vN4tB9kW3pY6sD1"}', '3f9a1c7e5b2d4f6a8c0e1b3d5f7a9c2e']) {
      expect(only(find(`token = "${b64(t)}"`)).rule, t).toBe('context-secret');
    }
    for (const password of ['pwpw', 'passpass', 'testpassword']) expect(find(`DSN = "mongodb://app:${password}@db.internal/app"`), password).toEqual([]);
    // A JWT's header alone, with or without its dot, is public: every token of that algorithm starts so.
    for (const header of [b64('{"alg":"RS256"}'), `${b64('{"alg":"RS256","typ":"JWT"}')}.`]) expect(find(`access_token = "${header}"`), header).toEqual([]);
    expect(only(find(`DSN = "mongodb://app:P4ssw0rdZ9x@db.internal/app"`)).rule).toBe('url-password');
    // Documented examples and keys pressed in a row; the same user with another password is a finding.
    for (const pair of ['scott:tiger', 'SCOTT:Tiger', 'aladdin:open sesame', ':foobared', 'app:correct-horse-battery-staple', 'nkim:1234', 'u:123456', 'u:7890', 'u:aaaa', 'u:1111', 'u:asdf', 'root:asd123', 'u:abc123', 'u:Qwerty', 'u:zxcvbnm']) {
      expect(find(`DSN = "postgresql://${pair}@localhost/test"`), pair).toEqual([]);
    }
    for (const pair of ['scott:tiger42!', 'scott:Zq8v!Lx2', 'nkim:1243', 'u:135790', 'jane:doe-1984x', 'u:asdf9x', 'u:qwe12', 'u:abc123def456']) {
      expect(only(find(`DSN = "postgresql://${pair}@localhost/test"`)).rule, pair).toBe('url-password');
    }
    // Without its scheme, under a secret's name: the same judgment once decoded.
    expect(only(find(`BASIC_AUTH = "${Buffer.from('svc:Qm7vL2pZ9kTw').toString('base64')}"`)).rule).toBe('context-secret');
    expect(find(`BASIC_AUTH = "${Buffer.from('username:password').toString('base64')}"`)).toEqual([]);
    for (const pair of ['svc:svc', '111.222:secret', '111.222:token_rotation_secret', 'admin:password', 'user:MyPassword', 'Aladdin:open sesame', 'u:pass#pass', 'scott:tiger', 'nkim:1234']) {
      expect(find(`headers["authorization"] == "${basic(pair)}"`), pair).toEqual([]);
      expect(js(`headers.set("Authorization", "${basic(pair)}");`), pair).toEqual([]);
    }
  });
});

describe('what looks random', () => {
  it('accepts nearly all random keys of the usual alphabets and lengths', () => {
    const r = prng(99);
    const alphabets = ['0123456789abcdef', '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'];
    for (const alphabet of alphabets) {
      let ok = 0;
      for (let i = 0; i < 2000; i++) {
        let s = '';
        for (let k = 0; k < 32; k++) s += alphabet[Math.floor(r() * alphabet.length)];
        if (looksRandom(s)) ok++;
      }
      expect(ok / 2000, alphabet).toBeGreaterThan(0.98);
    }
  });

  it('a run of one character is a filler in a key of many characters, but in hex digits only when it is longer than chance makes it', () => {
    // 64 random hex digits hold a run of 5 once in about 1,100 keys: those must still be keys.
    const r = prng(7);
    let withRunOfFive = 0;
    for (let i = 0; i < 20000; i++) {
      let s = 'abcdef'[Math.floor(r() * 6)]!;
      while (s.length < 64) s += '0123456789abcdef'[Math.floor(r() * 16)]!;
      if (!/(.)\1{4}/.test(s)) continue;
      withRunOfFive++;
      expect(looksRandom(s), s).toBe(true);
    }
    expect(withRunOfFive).toBeGreaterThan(5);
    for (const s of ['c3334b374b7c72e4f8622b06c46629d5d6a67171222220075e5d3b280a697e5a', 'b820753cf0a1903af12cf35681b3329dc0a67672bc7242688f4d222228989740']) expect(looksRandom(s), s).toBe(true);
    // Fillers: a long run in hex, a run of 5 in a wider alphabet.
    for (const s of ['9f86d081884c7d650000000a0b0c9d1e', 'Qx9vT2mLaaaaaK8pR7wZaLp2Rk8sWn4Y', 'sk_live_00000Zq3xT9vLp2Rk8sWn4Yb']) expect(looksRandom(s), s).toBe(false);
  });

  it('a name drawn at random is told from one a person wrote, even when its letters read as words', () => {
    // Random base62 keys of 32 that looksRandom turns away for their word-like letters (seen as CI failures).
    for (const s of ['AFnhoRAIVFETRsav3DhLJM1KTiE0yx9H', 'CTtAesoolfof9zjIN3KntqK1lKfFelcE', 'TTyIh3gWmF4GogboldLdEnejlSibPliK', 'JFEcEBNOBbYOmoIr4Loooptl7hSxNED6']) {
      expect(looksRandom(s) || looksDrawnName(s), s).toBe(true);
    }
    const r = prng(11);
    const base62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
    let missed = 0;
    for (let i = 0; i < 20000; i++) {
      let s = '';
      for (let k = 0; k < 32; k++) s += base62[Math.floor(r() * 62)];
      if (!looksRandom(s) && !looksDrawnName(s)) missed++;
    }
    expect(missed).toBeLessThan(20);
    for (const s of ['userProfileSettingsKey', 'utf8ToBase64AndSha256Hex', 'getHTTPSProxyURLForAWSS3Bucket', 'OAuth2ClientSecretV3Prod', 'sha256HmacKeyV2ForS3Uploads', 'gcpProjectIdEU1West2Zone3', 'AzureADB2CClientIdV2', 'IPv4AndIPv6AllowListV2', 'x509CertPEMForTLS13Server', 'MP3ToAACConverterKeyV2', 'myXApiKeyForAToBSync']) {
      expect(looksDrawnName(s), s).toBe(false);
    }
  });

  it('rejects identifiers, phrases, paths, URLs, model names and numbers', () => {
    for (const s of [
      'access_token_cookie',
      'userProfileSettingsKey',
      'BOOKING_SERVICE_TOKEN_V2',
      'hotel-booking-agent-prod',
      'correcthorsebatterystaple',
      'projects/agents/secrets/api/versions/3',
      'https://api.example.com/v1',
      'claude-3-5-sonnet-20241022',
      'com.example.booking.agent',
      '12345678901234567890',
      'the quick brown fox jumps',
      '2016-07-12T17:56:26.804Z',
      '2024-01-31 09:30:00+01:00',
      'fe80:0000:0000:0000:0204:61ff:fe9d:f156',
      '2001:db8:85a3::8a2e:370:7334',
      '00:1A:2B:3C:4D:5E:6F:70',
      '0002_auto_20160226_1747',
      'nightly-backup-2024-01-31',
      '1234abcd-1234-abcd-1234-abcd1234adcd',
      '0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20',
      '9f3c000102030405060708090a0b0c0d',
      'abcd-Qx9-1234-Lm2vR8',
      '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      'grant_type=password&username=johndoe&password=A3ddj3w',
    ]) {
      expect(looksRandom(s), s).toBe(false);
      expect(looksLikePassword(s), s).toBe(false);
    }
  });

  it('a key repeated is a test\'s key; a drawn one that happens to repeat a few characters is not', () => {
    for (const s of ['8slRzzty6dKMaFCP8slRzzty6dKMaFCP', '8slRzzty6dKMaFCP8slRzzty', '9f86d081884c7d659f86d081884c7d65']) expect(looksRandom(s), s).toBe(false);
    for (const s of ['8slRzzty6dKMaFCP8slRzzty6dKMaFCP', 'Qx9vQx9vQx9vQx9vQx9v', 'deadbeefdeadbeef', 'abcdeabcdeab', 'abcabcab']) expect(repeatsItself(s), s).toBe(true);
    // The start comes back, but not as a repetition of all that came before; or only in the second half.
    for (const s of ['Qx9vT2mLQx9vK8pR7wZa', '8slRzzty6dKMaFCP8slR', 'Zq3xT9vLp2Rk8sWn4Yb7Hc1Jd6Fg0Mm5', 'abcdabc']) expect(repeatsItself(s), s).toBe(false);
  });

  it('takes weak but real passwords under a password name, not names or stand-ins', () => {
    for (const s of ['Tr0ub4dor&3', 'BookingAgent2024!', 'k9#Lp2$vQz', 'MyS3cretP4ss2024!']) expect(looksLikePassword(s), s).toBe(true);
    for (const s of ['password', 'hunter2', 'changeme', 'Summer2024Summer', 'passwordResetTokenTTL3600', 'application/json', 'Enter your password', 's3cr3t_pw', 'P@ssw0rd', 'My-T0k3n-Key']) {
      expect(looksLikePassword(s), s).toBe(false);
    }
  });

  it('knows stand-ins', () => {
    for (const s of ['<your-key>', 'your_api_key_here', '${VAR}', '%s', 'REPLACE_ME', 'xxx', 'dummy', 'example-key', 'test-token', '****']) expect(isPlaceholder(s), s).toBe(true);
  });

  it('judges a format body by character pairs exactly as character by character', () => {
    // Pieces that make every condition likely: runs, sequences, alternation, the words, symbols, non-ASCII.
    const pieces = ['a', 'b', 'x', 'X', 'xxxx', '.', '..', '...', '*', '***', '<', '>', '{', '$', '${', '…', 'é', 'abcdef', 'abcdefg', '6543210', 'ZYXWVU', 'abababab', 'ab', 'example', 'EXAMPLE', 'Your', 'dummy', 'fake', 'FAKE', 'placeholder', 'redacted', 'yo', 'ex', 'K9', 'qR7', 'zz', '11', '0'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 30 }), fc.nat(40), fc.nat(40), (parts, a, b) => {
        const s = parts.join('');
        const from = Math.min(a, s.length);
        const to = Math.min(Math.max(from, b), s.length);
        expect(bodyStandIn(s, from, to), JSON.stringify([s, from, to])).toBe(bodyStandInByCharacter(s, from, to));
      }),
      { numRuns: 20_000 },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary-ascii', maxLength: 40 }), (s) => {
        expect(bodyStandIn(s, 0, s.length), JSON.stringify(s)).toBe(bodyStandInByCharacter(s, 0, s.length));
      }),
      { numRuns: 20_000 },
    );
  });
});

describe('robustness', () => {
  it('finds nothing and throws nothing on arbitrary text, and its spans are string literals', () => {
    const pieces = ['x = ', '"', "'", '"""', '`', '${', '{', '}', '(', ')', '#', '//', '/*', '*/', '\\', '\n', 'api_key', ':', ',', 'sk_live_', 'ghp_', 'Bearer ', '-----BEGIN ', '://a:b@', 'eyJ', 'secrets-vault: ignore hardcoded-secret', 'abcdefghij0123456789ABCDEFGHIJ'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 60 }), fc.boolean(), (parts, python) => {
        const text = parts.join('');
        const findings = find(text, python ? 'python' : 'typescript');
        if (python) lexPython(text, buffer);
        else lexJs(text, buffer, true);
        let last = -1;
        for (const f of findings) {
          expect(f.span.start).toBeGreaterThan(last);
          last = f.span.start;
          expect(f.contentSpan.start).toBeGreaterThanOrEqual(f.span.start);
          expect(f.contentSpan.end).toBeLessThanOrEqual(f.span.end);
          let isString = false;
          for (let t = 0; t < buffer.count; t++) if (buffer.kind[t] === STRING && buffer.start[t] === f.span.start) isString = true;
          expect(isString).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('rejects a PEM header followed by a long run of spaces or escapes without backtracking through it', () => {
    // With backtracking, 20,000 spaces took 1.6 s and 20,000 `\\n` escapes 3 s, growing with the
    // square of the length: these would take minutes and fail on the test timeout (at 40,000 they
    // took 11 s); linear, they take milliseconds.
    const run = 80_000;
    for (const filler of [' ', '\\n', 'Proc-Type: 4\n ']) {
      const text = `k = """-----BEGIN PRIVATE KEY-----${filler.repeat(run / filler.length)}!"""\n`;
      expect(find(text)).toEqual([]);
    }
    // The same key material after the spaces is still a key.
    const body = Buffer.from(Array.from({ length: 192 }, (_, i) => (i * 7919 + 13) % 256)).toString('base64');
    const key = `k = """-----BEGIN PRIVATE KEY-----${' '.repeat(run)}\n${body}\n-----END PRIVATE KEY-----"""\n`;
    expect(find(key).map((f) => f.rule)).toEqual(['pem-private-key']);
  });

  it('tries rules a bounded number of times in one literal, so a literal of repeated prefixes stays linear', () => {
    // Each try may read the rest of the literal (a key's alphabet runs to its end), and a prefix
    // after each `-` is a new try: 60,000 characters of `eyJ-eyJ-…` took 3 s, growing with the
    // square of the length; at 250,000 each of these would take about a minute and fail on the
    // test timeout. With the bound they take milliseconds.
    const run = 250_000;
    for (const unit of ['eyJ-', 'sk-', 'GOCSPX-eyJ', 'glrt-AAAAAAAAAAAAAAAA-', 'xoxb-eyJ', 'a://x:']) {
      const body = unit.repeat(Math.ceil(run / unit.length));
      expect(find(`api_key = "${body}"\n`)).toEqual([]);
      expect(js(`const apiKey = "${body}";\n`)).toEqual([]);
    }
    // A key before such a run is still found.
    const key = fake('github-pat');
    expect(only(find(`x = "${key} ${'eyJ-'.repeat(run / 4)}"\n`)).rule).toBe('github-pat');
  });

  it('reads a line that repeats the ignore comment thousands of times in one pass', () => {
    // Each marker used to be checked by a walk back to its line's start: 3,000 on one line took
    // 1.2 s, growing with the square of their number (20,000 would take about a minute).
    const markers = `${IGNORE_MARKER} `.repeat(20_000);
    const stripe = fake('stripe-secret-key');
    const python = `a = "${stripe}"  # ${markers}\nb = "${stripe}"\n`;
    expect(find(python).map((f) => lineOf(python, f.span.start))).toEqual([1]);
    const javascript = `const a = "${stripe}"; // ${markers}\nconst b = "${stripe}";\n`;
    expect(js(javascript).map((f) => lineOf(javascript, f.span.start))).toEqual([1]);
    // In a string, the markers silence nothing.
    const inString = `a = "${stripe}"; b = "# ${markers}"\n`;
    expect(find(inString).map((f) => f.rule)).toEqual(['stripe-secret-key']);
  });

  it('reports an unterminated literal while it is being typed', () => {
    const f = only(find(`k = "${fake('stripe-secret-key')}`));
    expect(f.rule).toBe('stripe-secret-key');
  });

  it('renders a template placeholder by rule and leaves other braces alone', () => {
    const { text, secrets } = render(`a = "{{gen:github-pat}}"  # expect: github-pat\nb = "{{ name }}"  # decoy: jinja\n`, 7);
    expect(text).toContain('{{ name }}');
    expect(secrets.length).toBe(1);
    expect(labels(text)).toEqual({ expected: [{ line: 0, rule: 'github-pat' }], decoys: [1] });
  });
});
