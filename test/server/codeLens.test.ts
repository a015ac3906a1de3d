import { describe, expect, it } from 'vitest';
import type { RunFunctionArgs } from '../../protocol/lsp';
import { codeLenses } from '../../server/src/service/features/codeLens';
import { BOOKING, LEGACY, SUPPORT, doc, envSnapshot, model, textOf } from './vaultFixture';
import { VaultModel } from '../../server/src/service/model/model';
import type { VaultSnapshot } from '../../protocol/lsp';

/** The lenses as `line:name title`, and the arguments of each. */
function lenses(text: string, m = model(), uri?: string) {
  const d = doc(text, uri);
  const found = codeLenses(d.doc, d.result, m);
  return {
    titles: found.map((l) => `${l.range.start.line}:${textOf(d.doc, l.range)} ${l.command!.title}`),
    commands: found.map((l) => l.command!.command),
    args: found.map((l) => l.command!.arguments![0] as RunFunctionArgs),
    uri: d.doc.uri,
  };
}

const BOOK = ['import os', '', '', 'def book(conv, date):', "    key = conv.utils.get_secret('opentable_token')", '    return key[:4]', ''].join('\n');

describe('the Run / Debug as agent CodeLens', () => {
  it('offers Run and Debug as the folder’s agent on a function of conv that reads a secret', () => {
    const l = lenses(BOOK);
    expect(l.titles).toEqual(['3:book ▶ Run as booking-agent', '3:book Debug as booking-agent']);
    expect(l.commands).toEqual(['secretsVault.runFunction', 'secretsVault.debugFunction']);
    expect(l.args[0]).toEqual({ uri: l.uri, name: 'book', line: 3, agent: 'booking-agent' });
    expect(l.args[1]).toEqual(l.args[0]);
  });

  it('names no agent when the folder has none, and follows each folder’s agent', () => {
    const none = lenses(BOOK, model(), `${LEGACY}/f.py`);
    expect(none.titles).toEqual(['3:book ▶ Run as agent…', '3:book Debug as agent…']);
    expect(none.args[0]!.agent).toBeNull();
    expect(lenses(BOOK, model(), `${SUPPORT}/f.py`).titles[0]).toBe('3:book ▶ Run as support-agent');
  });

  it('async def, decorated functions and a parameter list over several lines', () => {
    const text = [
      '@retry(3)',
      'async def fetch(',
      '    conv,',
      '    query: str,',
      ') -> dict:',
      '    return {"k": conv.utils.get_secret(name="sendgrid_api_key")}',
    ].join('\n');
    expect(lenses(text).titles).toEqual(['1:fetch ▶ Run as booking-agent', '1:fetch Debug as booking-agent']);
  });

  it('type parameters before the parameter list (Python 3.12)', () => {
    expect(lenses("def f[T](conv: T):\n    return conv.utils.get_secret('opentable_token')\n").titles).toEqual(['0:f ▶ Run as booking-agent', '0:f Debug as booking-agent']);
  });

  it('the body runs to its dedent: past comments and string lines at column 0 and a nested def', () => {
    const text = [
      'def long(conv):',
      '    def helper():',
      '        return 1',
      '# a comment at column 0',
      '    s = """',
      'a string line at column 0',
      '"""',
      "    return conv.utils.get_secret('opentable_token')",
    ].join('\n');
    expect(lenses(text).titles).toEqual(['0:long ▶ Run as booking-agent', '0:long Debug as booking-agent']);
  });

  it('a def in a module-level block counts', () => {
    const text = ['try:', '    def a(conv):', "        return conv.utils.get_secret('opentable_token')", 'except ImportError:', '    pass'].join('\n');
    expect(lenses(text).titles).toEqual(['1:a ▶ Run as booking-agent', '1:a Debug as booking-agent']);
  });

  it('only functions whose first parameter is conv', () => {
    const read = "    return conv.utils.get_secret('opentable_token')";
    for (const header of ['def f(conversation):', 'def f(self, conv):', 'def f(*, conv):', 'def f():', 'def f(c):']) {
      expect(lenses(`${header}\n${read}\n`).titles, header).toEqual([]);
    }
  });

  it('no lens where nothing is read, nor for nested functions and methods', () => {
    expect(lenses('def ping(conv):\n    return "pong"\n').titles).toEqual([]);
    const nested = ["def outer(x):", '    def inner(conv):', "        return conv.utils.get_secret('opentable_token')", '    return inner'].join('\n');
    expect(lenses(nested).titles).toEqual([]);
    const method = ['class Tool:', '    def run(conv):', "        return conv.utils.get_secret('opentable_token')"].join('\n');
    expect(lenses(method).titles).toEqual([]);
  });

  it('a name in a comment or a docstring is not a read', () => {
    const text = ['def f(conv):', '    """Reads get_secret(\'opentable_token\') later."""', "    # conv.utils.get_secret('opentable_token')", '    return 1'].join('\n');
    expect(lenses(text).titles).toEqual([]);
  });

  it('a read belongs to the function whose body holds it, not to the one before', () => {
    const text = [
      'def first(conv):',
      '    return 1',
      '',
      'def second(conv):',
      "    return conv.utils.get_secret('opentable_token')",
      '',
      "TOP = conv_free = 1",
      'def third(conv):',
      '    return 2',
      "x = get_secret('opentable_token')",
    ].join('\n');
    expect(lenses(text).titles).toEqual(['3:second ▶ Run as booking-agent', '3:second Debug as booking-agent']);
  });

  it('environment reads count only in environment-style accounts', () => {
    const text = ['import os', 'def post(conv):', "    return os.environ['X_BEARER_TOKEN']"].join('\n');
    expect(lenses(text).titles).toEqual([]);
    expect(lenses(text, VaultModel.fromSnapshot(envSnapshot())).titles).toEqual(['1:post ▶ Run as booking-agent', '1:post Debug as booking-agent']);
  });

  it('a dynamic name is a read too (the function reads some secret)', () => {
    expect(lenses('def f(conv, which):\n    return conv.utils.get_secret(which)\n').titles).toHaveLength(2);
  });

  it('JavaScript has no lens', () => {
    const d = doc("export function f(conv) { return conv.utils.get_secret('opentable_token'); }", `${BOOKING}/f.js`, 'javascript');
    expect(codeLenses(d.doc, d.result, model())).toEqual([]);
  });
});

describe('the Run / Debug as agent CodeLens in an Agent Development Kit project', () => {
  const PROJECT = 'file:///work/studio/booking';
  /** The vault's folder rules with a project folder as the client sends it (a name, even null). */
  const adkModel = (overrides: Partial<VaultSnapshot> = {}, name: string | null = 'Booking desk') =>
    model({
      folders: [
        { folderUri: 'file:///work/studio', agent: null },
        { folderUri: PROJECT, agent: 'booking-agent', name },
        { folderUri: `${PROJECT}/legacy`, agent: 'support-agent' },
      ],
      ...overrides,
    });
  // No secret is read: an ADK function has its lens whatever it does.
  const fn = (name: string, params = 'conv') => [`from _gen import *  # <AUTO GENERATED>`, '', `def ${name}(${params}):`, '    conv.log.info("hi")', '    return 1', ''].join('\n');

  it('appears on each kind of function, named like its file, titled with the agent and environment', () => {
    const live = adkModel({ environment: 'live' });
    const cases: Array<[string, string, string, RunFunctionArgs['adk']]> = [
      ['functions/lookup_order.py', 'lookup_order', 'conv, order_id: str', 'global'],
      ['functions/start_function.py', 'start_function', 'conv: Conversation', 'lifecycle'],
      ['functions/end_function.py', 'end_function', 'conv', 'lifecycle'],
      ['flows/booking_flow/functions/confirm_booking.py', 'confirm_booking', 'conv, flow, date', 'flow function'],
      ['flows/booking_flow/function_steps/collect_details.py', 'collect_details', 'conv: Conversation, flow: Flow', 'function step'],
    ];
    for (const [path, name, params, kind] of cases) {
      const l = lenses(fn(name, params), live, `${PROJECT}/${path}`);
      expect(l.titles, path).toEqual([`2:${name} ▶ Run as Booking agent (live)`, `2:${name} Debug as Booking agent (live)`]);
      expect(l.args[0], path).toEqual({ uri: l.uri, name, line: 2, agent: 'booking-agent', adk: kind, environment: 'live' });
      expect(l.commands).toEqual(['secretsVault.runFunction', 'secretsVault.debugFunction']);
    }
  });

  it('not on helpers beside the function; a file without a function named like it keeps the old rule', () => {
    const text = ['def _format(conv, x):', "    return conv.utils.get_secret('opentable_token')", '', 'def confirm_booking(conv, flow):', '    return _format(conv, 1)', ''].join('\n');
    const l = lenses(text, adkModel(), `${PROJECT}/flows/booking_flow/functions/confirm_booking.py`);
    expect(l.titles).toEqual(['3:confirm_booking ▶ Run as Booking agent (choose environment)', '3:confirm_booking Debug as Booking agent (choose environment)']);
    // No function named like the file (not one the platform runs): conv functions that read a secret.
    expect(lenses(text, adkModel(), `${PROJECT}/functions/other_name.py`).titles).toEqual(['0:_format ▶ Run as booking-agent', '0:_format Debug as booking-agent']);
    expect(lenses(fn('lookup'), adkModel(), `${PROJECT}/functions/other_name.py`).titles).toEqual([]);
  });

  it('keeps the old rule outside the function folders and outside projects', () => {
    // Project files that are not platform functions: a module of helpers, a deeper folder.
    expect(lenses(BOOK, adkModel(), `${PROJECT}/utils/helpers.py`).titles).toEqual(['3:book ▶ Run as booking-agent', '3:book Debug as booking-agent']);
    expect(lenses(fn('book'), adkModel(), `${PROJECT}/functions/sub/book.py`).titles).toEqual([]);
    // functions/ outside any project: only a conv function that reads a secret.
    expect(lenses(fn('book'), adkModel(), 'file:///work/studio/functions/book.py').titles).toEqual([]);
    expect(lenses(BOOK, adkModel(), 'file:///work/studio/functions/book.py').titles).toEqual(['3:book ▶ Run as agent…', '3:book Debug as agent…']);
    expect(lenses(BOOK, model({ environment: 'live' }), `${BOOKING}/functions/book.py`).args[0]).toEqual({ uri: `${BOOKING}/functions/book.py`, name: 'book', line: 3, agent: 'booking-agent' });
  });

  it('a project without a project_name shows its agent id; a secrets-vault.json inside it decides the agent', () => {
    expect(lenses(fn('lookup'), adkModel({ environment: 'sandbox' }, null), `${PROJECT}/functions/lookup.py`).titles[0]).toBe('2:lookup ▶ Run as Booking agent (sandbox)');
    const unnamed = adkModel({ agents: [], environment: 'pre-release' }, null);
    expect(lenses(fn('lookup'), unnamed, `${PROJECT}/functions/lookup.py`).titles[0]).toBe('2:lookup ▶ Run as booking-agent (pre-release)');
    const inner = adkModel({ folders: [{ folderUri: PROJECT, agent: null, name: null }] });
    const l = lenses(fn('lookup'), inner, `${PROJECT}/functions/lookup.py`);
    expect(l.titles[0]).toBe('2:lookup ▶ Run as agent… (choose environment)');
    expect(l.args[0]!.agent).toBeNull();
  });
});
