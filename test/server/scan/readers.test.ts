// A function another module of the project defines that reads the secret its caller names
// (`def credentials(conv, secret_name): return conv.utils.get_secret(secret_name)`): the module gives
// it as a reader (pythonModuleNames), and each call of it where it is imported is a read of the
// secret its argument names, checked there. Whether the call's value is the secret's decides its
// keys and whether it is a source of the value for the leak analysis.

import { describe, expect, it } from 'vitest';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { scan, scanOrThrow } from '../../../server/src/service/analyze';
import { complete } from '../../../server/src/service/features/completion';
import { computeDiagnostics } from '../../../server/src/service/features/diagnostics';
import { hover } from '../../../server/src/service/features/hover';
import { BOOKING, model, textOf } from '../vaultFixture';
import { pythonModuleNames } from '../../../server/src/service/python/nameSets';
import { jsModuleNames } from '../../../server/src/service/javascript/jsNameSets';
import type { ImportLookup, SecretReference } from '../../../server/src/service/scan/types';

/** The keys pythonModuleNames gives a module that say it reads what its caller names. */
const readers = (module: string) => [...pythonModuleNames(module).keys()].filter((k) => / reads \d+$| returns its read of \d+$/.test(k));

const HELPERS = [
  'import requests',
  '',
  '',
  'def credentials(conv: Conversation, secret_name: str):',
  '    try:',
  '        return conv.utils.get_secret(secret_name=secret_name)',
  '    except Exception:',
  '        return None',
  '',
  '',
  'def call_api(conv, name, path, *, timeout=10):',
  '    token = conv.utils.get_secret(name)',
  '    return requests.get(path, headers={"Authorization": f"Bearer {token}"}, timeout=timeout).json()',
  '',
  '',
  'def keyed(conv, *, secret):',
  '    return conv.utils.get_secret(secret)',
  '',
].join('\n');

const lookup: ImportLookup = (m) => (m === 'functions.helpers' || m === '.helpers' ? pythonModuleNames(HELPERS) : undefined);

/** Each read of `text` with the helpers' module: [name or candidates, literal as written, through, keys]. */
function reads(text: string, imports: ImportLookup | null = lookup): unknown[] {
  return scanOrThrow(text, 'python', imports ?? undefined).references.map((r: SecretReference) => [
    r.name ?? r.candidates?.map((c) => c.name) ?? r.unresolved?.text,
    text.slice(r.literal.span.start, r.literal.span.end),
    r.through === undefined ? null : `${r.through.function}${r.through.returnsValue ? ' (value)' : ''}`,
    r.keys.map((k) => k.key),
  ]);
}

describe('a module function that reads the secret its caller names', () => {
  it('is given as a reader: the parameter, and whether every return is the read (or None)', () => {
    expect(readers(HELPERS)).toEqual([
      'credentials(conv, secret_name) returns its read of 1',
      'call_api(conv, name, path, *, timeout) reads 1',
      'keyed(conv, *, secret) returns its read of 1',
    ]);
  });

  it('returns the value it reads also through the one name it assigns the read to', () => {
    const held = 'def secret_value(conv, name: str) -> str:\n    value = conv.utils.get_secret(name)\n    if not value:\n        raise ValueError(f"Secret {name} is empty")\n    return value\n';
    expect(readers(held)).toEqual(['secret_value(conv, name) returns its read of 1']);
    // Bound again, or another name returned: the call's value is not known to be the secret's.
    expect(readers(held.replace('    return value', '    value = value.strip()\n    return value'))).toEqual(['secret_value(conv, name) reads 1']);
    expect(readers(held.replace('    return value', '    return {"v": value}'))).toEqual(['secret_value(conv, name) reads 1']);
    const js = 'export async function secretValue(conv, name) {\n  const value = await conv.utils.get_secret(name);\n  if (!value) throw new Error(`Secret ${name} is empty`);\n  return value;\n}\n';
    expect([...jsModuleNames(js, true).keys()]).toEqual(['secretValue(conv, name) returns its read of 1']);
  });

  it('is no reader where the name is bound again, is not the parameter itself, or the function reads twice', () => {
    for (const body of [
      'name = name.strip()\nreturn conv.utils.get_secret(name)',
      'return conv.utils.get_secret(f"{name}_api")',
      'return conv.utils.get_secret(name.lower())',
      'for name in NAMES:\n    conv.utils.get_secret(name)',
      'return conv.utils.get_secret(name), conv.utils.get_secret("other")',
      'return conv.utils.get_secret("literal")',
    ]) {
      expect(readers(`def f(conv, name):\n${body.replace(/^/gm, '    ')}\n`), body).toEqual([]);
    }
    expect(readers('def f(conv, *names):\n    return conv.utils.get_secret(names)\n')).toEqual([]);
    // Passed beside a keyword argument it is still the parameter (`timeout=3` assigns nothing); a tuple target rebinds it.
    expect(readers('def f(conv, name):\n    audit(name, level="info")\n    return conv.utils.get_secret(name)\n')).toEqual(['f(conv, name) returns its read of 1']);
    expect(readers('def f(conv, name):\n    other, name = name, "x"\n    return conv.utils.get_secret(name)\n')).toEqual([]);
    expect(readers('class C:\n    def f(self, name):\n        return self.conv.utils.get_secret(name)\n')).toEqual([]);
  });

  it('a call where it is imported reads the secret its argument names: by place, by keyword, under an alias', () => {
    const text = 'from functions.helpers import credentials, call_api as api, keyed\n\n\ndef f(conv):\n    a = credentials(conv, "crm_oauth")\n    b = credentials(conv, secret_name="stripe_key")\n    c = api(conv, "oms_token", "/orders")\n    return keyed(conv, secret="twilio")\n';
    expect(reads(text)).toEqual([
      ['crm_oauth', '"crm_oauth"', 'credentials (value)', []],
      ['stripe_key', '"stripe_key"', 'credentials (value)', []],
      ['oms_token', '"oms_token"', 'call_api', []],
      ['twilio', '"twilio"', 'keyed (value)', []],
    ]);
  });

  it('a call through its module imported from its package: `from functions import helpers`, then helpers.credentials(…)', () => {
    const text = 'from functions import helpers\n\n\ndef f(conv, other):\n    a = helpers.credentials(conv, "crm_oauth")\n    b = other.helpers.credentials(conv, "not_a_read")\n    return helpers.call_api(conv, name="oms_token", path="/x")\n';
    expect(reads(text)).toEqual([
      ['crm_oauth', '"crm_oauth"', 'credentials (value)', []],
      ['oms_token', '"oms_token"', 'call_api', []],
    ]);
  });

  it('a call where its module is imported whole (`from functions.helpers import *`), as ADK functions import `_gen`', () => {
    const text = 'from _gen import *  # <AUTO GENERATED>\nfrom functions.helpers import *\n\n\ndef f(conv):\n    a = credentials(conv, "crm_oauth")\n    return call_api(conv, name="oms_token", path="/x")\n';
    expect(reads(text)).toEqual([
      ['crm_oauth', '"crm_oauth"', 'credentials (value)', []],
      ['oms_token', '"oms_token"', 'call_api', []],
    ]);
    // A star import binds no `_private` name.
    const underscored = (m: string) => (m === 'functions.helpers' ? pythonModuleNames(HELPERS.replace(/credentials/g, '_credentials')) : undefined);
    expect(reads('from functions.helpers import *\n\ndef f(conv):\n    return _credentials(conv, "crm_oauth")\n', underscored)).toEqual([]);
  });

  it("its name chosen by conv.env resolves as a read's; a call passing no name, or *args, reads nothing; without the lookup, nothing", () => {
    const text = 'from .helpers import credentials\n\ndef f(conv):\n    return credentials(conv, "crm_prod" if conv.env == "live" else "crm_uat")\n';
    expect(reads(text)).toEqual([[['crm_prod', 'crm_uat'], '"crm_prod" if conv.env == "live" else "crm_uat"', 'credentials (value)', []]]);
    expect(reads('from .helpers import credentials\n\ndef f(conv, args):\n    credentials(conv)\n    return credentials(*args)\n')).toEqual([]);
    expect(reads('from .helpers import credentials\n\ndef f(conv):\n    return credentials(conv, "crm_oauth")\n', null)).toEqual([]);
    // A definition of the same name calls nothing.
    expect(reads('from .helpers import credentials\n\ndef credentials(conv, name):\n    return None\n')).toEqual([]);
    // Not the imported function: an attribute of something else, or another module's name.
    expect(reads('from .helpers import credentials\n\ndef f(conv, client):\n    return client.credentials(conv, "x")\n')).toEqual([]);
    expect(reads('from .other import credentials\n\ndef f(conv):\n    return credentials(conv, "x")\n')).toEqual([]);
  });

  it('the value of a reader that returns it carries its keys and its leaks; the value of one that does not is no secret', () => {
    const value = 'from .helpers import credentials, call_api\n\ndef f(conv):\n    creds = credentials(conv, "crm_oauth")\n    print(creds["client_id"])\n    data = call_api(conv, "oms_token", "/orders")\n    print(data["items"])\n';
    const result = scanOrThrow(value, 'python', lookup);
    expect(result.references.map((r) => [r.name, r.keys.map((k) => k.key)])).toEqual([
      ['crm_oauth', ['client_id']],
      ['oms_token', []],
    ]);
    expect(result.leaks.map((l) => [l.sink, l.origins.map((o) => `${o.source.name}:${o.key}`)])).toEqual([['print', ['crm_oauth:client_id']]]);
  });

  it('in the editor: completion of the name inside the call, and the diagnostics of a read, at the argument', () => {
    const text = 'from .helpers import credentials, call_api\n\ndef f(conv):\n    a = credentials(conv, "google_oauth")["clientid"]\n    b = call_api(conv, "strpe_key", "/x")\n    return credentials(conv, "goo|")\n';
    const cursor = text.indexOf('|');
    const clean = text.replace('|', '');
    const d = TextDocument.create(`${BOOKING}/functions/main.py`, 'python', 1, clean);
    const result = scan(clean, 'python', lookup);
    const list = complete(d, result, model(), cursor, { editRangeDefault: true, dataDefault: true });
    expect(list?.items.map((i) => i.label)).toContain('google_oauth');
    expect(computeDiagnostics(d, result, model()).map((x) => `${x.code}:${textOf(d, x.range)}`)).toEqual(['unknown-key:clientid', 'unknown-secret:strpe_key', 'unknown-secret:goo']);
    const shown = hover(d, result, model(), clean.indexOf('google_oauth') + 2);
    expect(shown && typeof shown.contents === 'object' && 'value' in shown.contents ? shown.contents.value : '').toContain('Read by `credentials()`, which reads the secret its caller names and returns it.');
  });
});

describe("a module function whose one read joins its parameters into the name (`get_secret(f\"{service}_api_key\")`)", () => {
  const JOINING = [
    'import requests',
    '',
    '',
    'def creds(conv, service: str):',
    '    return conv.utils.get_secret(f"{service}_api_key")',
    '',
    '',
    'def token(conv, prefix: str, region="eu"):',
    '    name = prefix + "_" + region + "_token"',
    '    value = conv.utils.get_secret(secret_name=name)',
    '    return value',
    '',
    '',
    'def call(conv, service, path):',
    '    key = conv.utils.get_secret(f"{service}_api_key")',
    '    return requests.get(path, headers={"X-Key": key}).json()',
    '',
  ].join('\n');
  const joiningLookup: ImportLookup = (m) => (m === 'functions.clients' || m === '.clients' ? pythonModuleNames(JOINING) : undefined);
  const keys = (module: string) => [...pythonModuleNames(module).keys()].filter((k) => / names$| default \d+$/.test(k));

  it('is given with the read\'s names, its parameters marked, and whether it returns the value; a marked parameter\'s default beside', () => {
    expect(keys(JOINING)).toEqual([
      'creds(conv, service) returns its read of names',
      'token(conv, prefix, region) returns its read of names',
      'token(conv, prefix, region) default 2',
      'call(conv, service, path) reads names',
    ]);
  });

  it('is none where a joined parameter is also tested, changed, passed on, looked up or bound again', () => {
    for (const body of [
      'if service == "crm":\n    return None\nreturn conv.utils.get_secret(service + "_key")',
      'return conv.utils.get_secret(service.upper() + "_KEY")',
      'audit(service)\nreturn conv.utils.get_secret(f"{service}_key")',
      'return conv.utils.get_secret(NAMES[service])',
      'service = service.strip()\nreturn conv.utils.get_secret(f"{service}_key")',
      'return conv.utils.get_secret(f"{service!r}_key")',
    ]) {
      expect(keys(`def f(conv, service):\n${body.replace(/^/gm, '    ')}\n`), body).toEqual([]);
    }
  });

  it('a call where it is imported reads the names its arguments make: by place, keyword, default, a name chosen by conv.env', () => {
    const text = [
      'from functions.clients import creds, token',
      'from functions import clients',
      '',
      '',
      'def f(conv):',
      '    a = creds(conv, "stripe")["client_id"]',
      '    b = token(conv, "crm" if conv.env == "live" else "crm_test", region="us")',
      '    c = token(conv, prefix="oms")',
      '    d = clients.call(conv, "twilio", "/messages")',
      '    return a, b, c, d',
      '',
    ].join('\n');
    const result = scanOrThrow(text, 'python', joiningLookup);
    expect(result.references.map((r) => [r.candidates?.map((c) => `${c.name}${c.environments ? `@${c.environments.join('|')}` : ''} at ${c.uri === undefined ? text.slice(c.literal.start, c.literal.end) : c.uri}`), r.through?.function, r.through?.returnsValue, r.keys.map((k) => k.key)])).toEqual([
      [['stripe_api_key at "stripe"'], 'creds', true, ['client_id']],
      [['crm_us_token@live at "crm"', 'crm_test_us_token@sandbox|pre-release at "crm_test"'], 'token', true, []],
      [['oms_eu_token at "oms"'], 'token', true, []],
      [['twilio_api_key at "twilio"'], 'call', false, []],
    ]);
    // Without the project's modules the calls read nothing.
    expect(scanOrThrow(text, 'python').references).toEqual([]);
  });

  it('in the editor: a missing name is reported at the argument that makes it', () => {
    const text = 'from .clients import creds\n\ndef f(conv):\n    return creds(conv, "strpe")["clientid"]\n';
    const d = TextDocument.create(`${BOOKING}/functions/main.py`, 'python', 1, text);
    const found = computeDiagnostics(d, scan(text, 'python', joiningLookup), model()).map((x) => `${x.code}:${textOf(d, x.range)}`);
    expect(found).toEqual(['unknown-secret:strpe']);
  });
});

describe('a module class whose instances read the secret a parameter of its __init__ names', () => {
  // As PolyAI's templates write it: a handler class is given the name chosen by environment, and
  // hands it to a session class that reads it.
  const CLIENT = [
    'import requests',
    '',
    '',
    'class Session:',
    '    def __init__(self, conv, secret_name: str):',
    '        self.creds = conv.utils.get_secret(secret_name)',
    '',
    '',
    'class Handler:',
    '    def __init__(self, conv, secret_name: str, *, timeout=10):',
    '        self.timeout = timeout',
    '        self.session = Session(conv, secret_name)',
    '',
    '',
    'class Client(object):',
    '    def __init__(self, conv, name):',
    '        self.conv = conv',
    '        self.secret_name = name',
    '',
    '    def token(self):',
    '        return self.conv.utils.get_secret(self.secret_name)',
    '',
    '',
    'def make_client(conv, name):',
    '    return Client(conv, name)',
    '',
    '',
    'class StripeSession(Session):',
    '    pass',
    '',
    '',
    'class RefundHandler(Handler):',
    '    def __init__(self, conv, secret_name):',
    '        super().__init__(conv, secret_name, timeout=3)',
    '',
  ].join('\n');
  const clientLookup: ImportLookup = (m) => (m === 'functions.payments_client' || m === '.payments_client' ? pythonModuleNames(CLIENT) : undefined);

  it('is given as a reader of that parameter (the instance\'s not counted): read in __init__, kept as self.X and read in a method, or handed to another reader', () => {
    expect(readers(CLIENT)).toEqual([
      'Session(conv, secret_name) reads 1',
      'Handler(conv, secret_name, *, timeout) reads 1',
      'Client(conv, name) reads 1',
      'make_client(conv, name) reads 1',
      // A subclass without an `__init__` of its own, and one that hands the name to its base's.
      'StripeSession(conv, secret_name) reads 1',
      'RefundHandler(conv, secret_name) reads 1',
    ]);
    // A subclass with a read of its own, or a base from elsewhere: none.
    expect(readers(`${CLIENT}\n\nclass Audited(Session):\n    def audit(self, conv):\n        return conv.utils.get_secret("audit_key")\n`).filter((k) => k.startsWith('Audited'))).toEqual([]);
    expect(readers('from base import Session\n\n\nclass S(Session):\n    pass\n')).toEqual([]);
  });

  it('is none where the name is changed, kept under an attribute written again, read twice, or given through *args', () => {
    const client = (init: string, more = '') =>
      `class Client:\n    def __init__(self, conv, name):\n${init.replace(/^/gm, '        ')}\n\n    def token(self):\n        return self.conv.utils.get_secret(self.secret_name)\n${more}`;
    expect(readers(client('self.conv = conv\nself.secret_name = name'))).toEqual(['Client(conv, name) reads 1']);
    for (const [init, more] of [
      ['self.secret_name = name.upper()', ''],
      ['self.secret_name = f"{name}_prod"', ''],
      ['name = name.strip()\nself.secret_name = name', ''],
      ['self.secret_name = name', '\n    def rotate(self, other):\n        self.secret_name = other\n'],
      ['self.secret_name = name', '\n    def other(self):\n        return self.conv.utils.get_secret("other_secret")\n'],
      ['self.secret_name = "fixed"', ''],
      ['pass', ''],
    ]) {
      expect(readers(client(init!, more)), `${init} ${more}`).toEqual([]);
    }
    expect(readers('class C:\n    def __init__(self, conv, *names):\n        self.creds = conv.utils.get_secret(names)\n')).toEqual([]);
    // A method's own parameter is its callers' business in this module, not the constructor's.
    expect(readers('class C:\n    def __init__(self, conv):\n        self.conv = conv\n\n    def token(self, name):\n        return self.conv.utils.get_secret(name)\n')).toEqual([]);
  });

  it('a dataclass whose method reads the secret a field names: each construction where it is imported is a read', () => {
    const DATA = '@dataclass\nclass Client:\n    conv: object\n    secret_name: str\n    timeout: int = 10\n\n    def token(self):\n        return self.conv.utils.get_secret(self.secret_name)\n';
    const module = `from dataclasses import dataclass\n\n\n${DATA}`;
    expect(readers(module)).toEqual(['Client(conv, secret_name, timeout) reads 1']);
    // A field written elsewhere in the module, or a dataclass whose fields' order is not its body's alone: none.
    expect(readers(`${module}\n\ndef rotate(client, other):\n    client.secret_name = other\n`)).toEqual([]);
    expect(readers(module.replace('@dataclass', '@dataclass(kw_only=True)'))).toEqual([]);
    const dataLookup: ImportLookup = (m) => (m === 'functions.client' ? pythonModuleNames(module) : undefined);
    const text = 'from functions.client import Client\n\n\ndef f(conv):\n    a = Client(conv, "crm_oauth")\n    return Client(conv=conv, secret_name="stripe_key" if conv.env == "live" else "stripe_test")\n';
    expect(reads(text, dataLookup)).toEqual([
      ['crm_oauth', '"crm_oauth"', 'Client', []],
      [['stripe_key', 'stripe_test'], '"stripe_key" if conv.env == "live" else "stripe_test"', 'Client', []],
    ]);
  });

  it('a chain of thousands of classes handing the name on is followed some way and loses the module nothing (its stack stays small)', () => {
    const chain = (n: number) =>
      [...Array.from({ length: n }, (_, i) => `class C${i}:\n    def __init__(self, conv, name):\n        self.s = C${i + 1}(conv, name)\n`), `class C${n}:\n    def __init__(self, conv, name):\n        self.creds = conv.utils.get_secret(name)\n`, 'SECRET = "crm_api"\n'].join('\n\n');
    const names = pythonModuleNames(chain(5000));
    // The module's other names are all there (the walk overflowed the stack before, and the module gave none).
    expect(names.get('SECRET')?.map((c) => c.name)).toEqual(['crm_api']);
    expect(names.has('C5000(conv, name) reads 1')).toBe(true);
    expect(names.has('C4999(conv, name) reads 1')).toBe(true);
    const js = [...Array.from({ length: 5000 }, (_, i) => `export class C${i} {\n  constructor(conv, name) {\n    this.s = new C${i + 1}(conv, name);\n  }\n}\n`), 'export class C5000 {\n  constructor(conv, name) {\n    this.creds = conv.utils.get_secret(name);\n  }\n}\n', "export const SECRET = 'crm_api';\n"].join('\n');
    const jsNames = jsModuleNames(js, false);
    expect(jsNames.get('SECRET')?.map((c) => c.name)).toEqual(['crm_api']);
    expect(jsNames.has('C5000(conv, name) reads 1')).toBe(true);
  });

  it('a construction where it is imported reads the secret its argument names; its value is an instance, not the secret', () => {
    const text = [
      'from functions.payments_client import Handler, Client',
      '',
      '',
      'def _secret_name(conv):',
      '    env = str(conv.env or "").lower()',
      '    if env == "live":',
      '        return "payments_prod"',
      '    return "payments_sandbox"',
      '',
      '',
      'def start(conv):',
      '    handler = Handler(conv, _secret_name(conv), timeout=5)',
      '    client = Client(conv, name="crm_oauth")',
      '    print(client)',
      '    return handler',
      '',
    ].join('\n');
    const result = scanOrThrow(text, 'python', clientLookup);
    expect(result.references.map((r) => [r.name ?? r.candidates?.map((c) => `${c.name}@${c.environments?.join('|')}`), r.through?.function, r.through?.returnsValue, r.keys])).toEqual([
      [['payments_prod@live', 'payments_sandbox@sandbox|pre-release'], 'Handler', false, []],
      ['crm_oauth', 'Client', false, []],
    ]);
    expect(result.leaks).toEqual([]);
    // Through the module, imported from its package.
    expect(reads('from functions import payments_client\n\n\ndef f(conv):\n    return payments_client.Session(conv, "stripe_key")\n', clientLookup)).toEqual([['stripe_key', '"stripe_key"', 'Session', []]]);
  });

  it("in the editor: the construction's argument is checked; the class's own read says its callers are checked where they construct it", () => {
    const text = 'from .payments_client import Handler\n\ndef f(conv):\n    return Handler(conv, "strpe_key")\n';
    const d = TextDocument.create(`${BOOKING}/functions/main.py`, 'python', 1, text);
    expect(computeDiagnostics(d, scan(text, 'python', clientLookup), model()).map((x) => `${x.code}:${textOf(d, x.range)}`)).toEqual(['unknown-secret:strpe_key']);
    const own = TextDocument.create(`${BOOKING}/functions/payments_client.py`, 'python', 1, CLIENT);
    const messages = computeDiagnostics(own, scan(CLIENT, 'python'), model()).map((x) => `${x.code}:${textOf(own, x.range)}:${x.message}`);
    expect(messages).toHaveLength(2);
    expect(messages[0]).toMatch(/^dynamic-name:secret_name:.*a parameter of `Session`, which reads the secret its caller names/);
    expect(messages[1]).toMatch(/^dynamic-name:self\.secret_name:.*a parameter of `Client`, which reads the secret its caller names/);
  });
});

describe('JavaScript / TypeScript: an exported function that reads the secret its caller names', () => {
  const HELPERS_TS = [
    'export function credentials(conv: Conversation, secretName: string) {',
    '  try {',
    '    return conv.utils.get_secret(secretName);',
    '  } catch {',
    '    return null;',
    '  }',
    '}',
    '',
    'export const callApi = async (conv, name: string, path: string) => {',
    '  const token = await conv.utils.get_secret(name);',
    '  return fetch(path, { headers: { Authorization: `Bearer ${token}` } });',
    '};',
    '',
    'export function trimmed(conv, name: string) {',
    '  name = name.trim();',
    '  return conv.utils.get_secret(name);',
    '}',
    '',
  ].join('\n');
  const names = jsModuleNames(HELPERS_TS, true);
  const tsLookup: ImportLookup = (m) => (m === './helpers' ? names : undefined);
  const tsReads = (text: string) =>
    scanOrThrow(text, 'typescript', tsLookup).references.map((r) => [r.name ?? r.candidates?.map((c) => c.name), r.through === undefined ? null : `${r.through.function}${r.through.returnsValue ? ' (value)' : ''}`, r.keys.map((k) => k.key)]);

  it('is given as a reader, as in Python; one that assigns its parameter is not', () => {
    expect([...names.keys()].filter((k) => / reads \d+$| returns its read of \d+$/.test(k))).toEqual(['credentials(conv, secretName) returns its read of 1', 'callApi(conv, name, path) reads 1']);
  });

  it('a call where it is imported, by name, under an alias or through a namespace import, is a read; its value is the secret only where the function returns it', () => {
    const text = "import { credentials, callApi as api } from './helpers';\nimport * as helpers from './helpers';\n\nexport async function f(conv: Conversation) {\n  const creds = await credentials(conv, 'crm_oauth');\n  console.log(creds.client_id);\n  const r = await api(conv, 'oms_token', '/orders');\n  console.log(r.items);\n  return helpers.credentials(conv, conv.env === 'live' ? 'crm_prod' : 'crm_uat');\n}\n";
    expect(tsReads(text)).toEqual([
      ['crm_oauth', 'credentials (value)', ['client_id']],
      ['oms_token', 'callApi', []],
      [['crm_prod', 'crm_uat'], 'credentials (value)', []],
    ]);
    expect(scanOrThrow(text, 'typescript', tsLookup).leaks.map((l) => l.origins.map((o) => `${o.source.name}:${o.key}`))).toEqual([['crm_oauth:client_id']]);
    // A function or a method of the same name defined here calls nothing.
    expect(tsReads("import { credentials } from './helpers';\nfunction credentials(conv, name) { return null; }\nclass C { credentials(conv, name) { return null; } }\n")).toEqual([]);
    // Another module's function of the same name, or no lookup: nothing.
    expect(tsReads("import { credentials } from './other';\nexport const f = (conv) => credentials(conv, 'x');\n")).toEqual([]);
    expect(scanOrThrow("import { credentials } from './helpers';\nexport const f = (conv) => credentials(conv, 'x');\n", 'typescript').references).toEqual([]);
  });

  it('an exported function whose one read joins its parameters into the name: each call where it is imported reads the names its arguments fill', () => {
    const JOINING_TS = [
      'export function creds(conv, service: string) {',
      '  return conv.utils.get_secret(`${service}_api_key`);',
      '}',
      '',
      "export const token = async (conv, prefix: string, region = 'eu') => {",
      "  const name = prefix + '_' + region + '_token';",
      '  const value = await conv.utils.get_secret(name);',
      '  return value;',
      '};',
      '',
      'export function checked(conv, service) {',
      "  if (service === 'crm') return null;",
      "  return conv.utils.get_secret(service + '_key');",
      '}',
      '',
      'export async function call(conv, service, path) {',
      '  const key = await conv.utils.get_secret(`${service}_api_key`);',
      "  return fetch(path, { headers: { 'X-Key': key } });",
      '}',
      '',
    ].join('\n');
    const joining = jsModuleNames(JOINING_TS, true);
    // A parameter it tests (checked) makes none.
    expect([...joining.keys()].filter((k) => / names$| default \d+$/.test(k))).toEqual([
      'creds(conv, service) returns its read of names',
      'token(conv, prefix, region) returns its read of names',
      'token(conv, prefix, region) default 2',
      'call(conv, service, path) reads names',
    ]);
    const text = [
      "import { creds, token, checked } from './clients';",
      "import * as clients from './clients';",
      '',
      'export async function f(conv: Conversation) {',
      "  const stripe = await creds(conv, 'stripe');",
      '  console.log(stripe.client_id);',
      "  const crm = await token(conv, conv.env === 'live' ? 'crm' : 'crm_test', 'us');",
      "  const oms = await token(conv, 'oms');",
      "  await clients.call(conv, 'twilio', '/messages');",
      "  return checked(conv, 'x');",
      '}',
      '',
    ].join('\n');
    const result = scanOrThrow(text, 'typescript', (m) => (m === './clients' ? joining : undefined));
    expect(result.references.map((r) => [r.candidates?.map((c) => `${c.name}${c.environments ? `@${c.environments.join('|')}` : ''} at ${text.slice(c.literal.start, c.literal.end)}`), r.through?.function, r.through?.returnsValue, r.keys.map((k) => k.key)])).toEqual([
      [["stripe_api_key at 'stripe'"], 'creds', true, ['client_id']],
      [["crm_us_token@live at 'crm'", "crm_test_us_token@sandbox|pre-release at 'crm_test'"], 'token', true, []],
      [["oms_eu_token at 'oms'"], 'token', true, []],
      [["twilio_api_key at 'twilio'"], 'call', false, []],
    ]);
    expect(result.leaks.map((l) => l.origins.map((o) => `${o.source.candidates?.[0]?.name}:${o.key}`))).toEqual([['stripe_api_key:client_id']]);
  });

  it('an exported class whose instances read the secret its constructor is given: each `new` where it is imported is a read', () => {
    const CLIENT_TS = [
      'export class Session {',
      '  constructor(conv, secretName) {',
      '    this.creds = conv.utils.get_secret(secretName);',
      '  }',
      '}',
      '',
      'export class Client {',
      '  constructor(conv: Conversation, name: string) {',
      '    this.conv = conv;',
      '    this.secretName = name;',
      '  }',
      '',
      '  async token() {',
      '    return await this.conv.utils.get_secret(this.secretName);',
      '  }',
      '}',
      '',
      'export class Typed {',
      '  constructor(private readonly conv: Conversation, private readonly apiKeyName: string) {}',
      '',
      '  token() {',
      '    return this.conv.utils.get_secret(this.apiKeyName);',
      '  }',
      '}',
      '',
      'export class Rotating {',
      '  constructor(conv, name) {',
      '    this.conv = conv;',
      '    this.keyName = name;',
      '  }',
      '',
      '  rotate(other) {',
      '    this.keyName = other;',
      '  }',
      '',
      '  token() {',
      '    return this.conv.utils.get_secret(this.keyName);',
      '  }',
      '}',
      '',
      'export class Suffixed {',
      '  constructor(conv, name) {',
      '    this.creds = conv.utils.get_secret(`${name}_api`);',
      '  }',
      '}',
      '',
      'export class Handler {',
      '  constructor(conv: Conversation, secretName: string, timeoutMs = 10_000) {',
      '    this.timeoutMs = timeoutMs;',
      '    this.session = new Session(conv, secretName);',
      '  }',
      '}',
      '',
      'export function makeClient(conv, name) {',
      '  return new Client(conv, name);',
      '}',
      '',
    ].join('\n');
    const classes = jsModuleNames(CLIENT_TS, true);
    // Written again by a method (Rotating), or not the parameter itself (Suffixed): no reader.
    expect([...classes.keys()].filter((k) => / reads \d+$/.test(k))).toEqual([
      'Session(conv, secretName) reads 1',
      'Client(conv, name) reads 1',
      'Typed(conv, apiKeyName) reads 1',
      // Handing the name to another reader of the module: the constructor to a class, a function to a class.
      'Handler(conv, secretName, timeoutMs) reads 1',
      'makeClient(conv, name) reads 1',
    ]);
    const text = "import { Client, Typed } from './client';\nimport * as payments from './client';\n\nexport async function f(conv: Conversation) {\n  const client = new Client(conv, conv.env === 'live' ? 'crm_prod' : 'crm_uat');\n  const typed = new Typed(conv, 'stripe_key');\n  console.log(typed);\n  return new payments.Session(conv, 'oms_token');\n}\n";
    const result = scanOrThrow(text, 'typescript', (m) => (m === './client' ? classes : undefined));
    expect(result.references.map((r) => [r.name ?? r.candidates?.map((c) => c.name), r.through?.function, r.through?.returnsValue])).toEqual([
      [['crm_prod', 'crm_uat'], 'Client', false],
      ['stripe_key', 'Typed', false],
      ['oms_token', 'Session', false],
    ]);
    expect(result.leaks).toEqual([]);
    // The classes' own reads, and an exported function's, say their callers are checked where they call them.
    const own = scanOrThrow(`${CLIENT_TS}\nexport function credentials(conv, secretName) {\n  return conv.utils.get_secret(secretName);\n}\n`, 'typescript').references;
    expect(own.map((r) => [r.unresolved?.text, r.unresolved?.reader ?? null])).toEqual([
      ['secretName', 'Session'],
      ['name', 'Client'],
      // A parameter property's read stays the evaluator's `this` (no message of the parameter); the
      // others are no readers.
      ['this', null],
      ['this.keyName', null],
      ['name', null],
      ['secretName', 'credentials'],
    ]);
  });
});

