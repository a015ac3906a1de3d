// The second read API of agent functions: `secret_vault(name)`, imported from `utils.secret_vault`
// (or the older builtin module), is a reference exactly like `conv.utils.get_secret(name)`; without
// the import a `secret_vault(…)` is somebody else's function.

import { describe, expect, it } from 'vitest';
import { scan } from '../../../server/src/service/analyze';
import { key, lit, marked, ref } from './marks';

const py = (text: string) => scan(text, 'python').references;

/** One reference: spans[0] is the call, spans[1] the name literal, then its keys' literals. */
function expectOne(source: string, value: string, keys: Array<[string, 'subscript' | 'get']> = []) {
  const { text, spans } = marked(source);
  const [call, name, ...keySpans] = spans;
  expect(py(text)).toEqual([
    ref(
      'get_secret',
      lit(text, name!, value),
      call!,
      keys.map(([k, via], i) => key(lit(text, keySpans[i]!, k), via)),
    ),
  ]);
}

const IMPORT = 'from utils.secret_vault import secret_vault\n';

describe('python: secret_vault(name)', () => {
  it('is a reference after `from utils.secret_vault import secret_vault`, positional or by keyword', () => {
    expectOne(`${IMPORT}def f(conv):\n    token = ⟦secret_vault(⟦'stripe_key'⟧)⟧\n`, 'stripe_key');
    expectOne(`${IMPORT}token = ⟦secret_vault(name=⟦"stripe_key"⟧)⟧\n`, 'stripe_key');
  });

  it('after the older builtin import path, and under an alias', () => {
    expectOne(`from agent_v3.deployment_service.agents.functions.builtin import secret_vault\nx = ⟦secret_vault(⟦'a'⟧)⟧`, 'a');
    expectOne(`from utils.secret_vault import secret_vault as sv_fn\nx = ⟦sv_fn(⟦'a'⟧)⟧`, 'a');
    expectOne(`from agent_v3.deployment_service.agents.functions.builtin import (\n    other,\n    secret_vault as read,\n)\nx = ⟦read(⟦'a'⟧)⟧`, 'a');
    expectOne(`from utils.secret_vault import *\nx = ⟦secret_vault(⟦'a'⟧)⟧`, 'a');
  });

  it('through the module: `import utils.secret_vault as sv`, `from utils import secret_vault`, the full dotted path', () => {
    expectOne(`import utils.secret_vault as sv\nx = ⟦sv.secret_vault(⟦'a'⟧)⟧`, 'a');
    expectOne(`from utils import secret_vault as m\nx = ⟦m.secret_vault(⟦'a'⟧)⟧`, 'a');
    expectOne(`from utils import secret_vault\nx = ⟦secret_vault.secret_vault(⟦'a'⟧)⟧`, 'a');
    expectOne(`import utils.secret_vault\nx = ⟦utils.secret_vault.secret_vault(⟦'a'⟧)⟧`, 'a');
    expectOne(`import agent_v3.deployment_service.agents.functions.builtin as b\nx = ⟦b.secret_vault(⟦'a'⟧)⟧`, 'a');
    expectOne(`from agent_v3.deployment_service.agents.functions import builtin\nx = ⟦builtin.secret_vault(⟦'a'⟧)⟧`, 'a');
  });

  it('reads keys off the result, directly and through a variable', () => {
    expectOne(`${IMPORT}x = ⟦secret_vault(⟦'google_oauth'⟧)⟧[⟦'client_id'⟧]`, 'google_oauth', [['client_id', 'subscript']]);
    expectOne(`${IMPORT}x = ⟦secret_vault(⟦'google_oauth'⟧)⟧.get(⟦'client_id'⟧)`, 'google_oauth', [['client_id', 'get']]);
    expectOne(`${IMPORT}def f(conv):\n    creds = ⟦secret_vault(⟦'g'⟧)⟧\n    return creds[⟦'API_KEY'⟧], creds.get(⟦'BASE_URL'⟧)\n`, 'g', [
      ['API_KEY', 'subscript'],
      ['BASE_URL', 'get'],
    ]);
  });

  it('is no reference without the import, nor from another module, nor a local function of that name', () => {
    for (const text of [
      `x = secret_vault('a')`,
      `def secret_vault(name):\n    return name\nx = secret_vault('a')`,
      `from mylib import secret_vault\nx = secret_vault('a')`,
      `from utils.other import secret_vault\nx = secret_vault('a')`,
      `import mylib as sv\nx = sv.secret_vault('a')`,
      `x = helpers.secret_vault('a')`,
      `import utils\nx = utils.secret_vault('a')`,
      `from utils import secret_vault\nx = secret_vault('a')`,
      `import utils.secret_vault as sv\nx = sv('a')`,
      `${IMPORT}x = self.secret_vault('a')`,
      `${IMPORT}# secret_vault('in_comment')\n"""secret_vault('in_docstring')"""`,
    ]) {
      expect(py(text), text).toEqual([]);
    }
  });

  it('counts as get_secret does beside it, in document order', () => {
    const { text, spans } = marked(`${IMPORT}def f(conv):\n    a = ⟦conv.utils.get_secret(⟦'a'⟧)⟧\n    b = ⟦secret_vault(⟦'b'⟧)⟧\n`);
    expect(py(text)).toEqual([ref('get_secret', lit(text, spans[1]!, 'a'), spans[0]!), ref('get_secret', lit(text, spans[3]!, 'b'), spans[2]!)]);
  });

  it('feeds the leak analysis like get_secret: its value into conv.log and plog is a leak', () => {
    const text = `${IMPORT}import plog\n\ndef f(conv):\n    token = secret_vault('stripe_key')\n    conv.log.info(f"token {token}")\n    plog.error("failed", error=token)\n`;
    const leaks = scan(text, 'python').leaks;
    expect(leaks.map((l) => l.origins.map((o) => o.source.name))).toEqual([['stripe_key'], ['stripe_key']]);
  });
});
