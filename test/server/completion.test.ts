import { describe, expect, it } from 'vitest';
import { CompletionItemKind, type CompletionItem, type CompletionList, type TextEdit } from 'vscode-languageserver-types';
import { FULL_LIST_LIMIT, SHORT_LIST_SIZE, complete, resolveCompletion } from '../../server/src/service/features/completion';
import { VaultModel } from '../../server/src/service/model/model';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { scan } from '../../server/src/service/analyze';
import { BOOKING, LEGACY, doc, envSnapshot, model, textOf } from './vaultFixture';

function run(text: string, m = model(), editRangeDefault = true, uri?: string, languageId?: string) {
  const d = doc(text, uri, languageId);
  // A client that takes the edit range as a default takes the data too (VS Code takes both).
  const list = complete(d.doc, d.result, m, d.cursor, { editRangeDefault, dataDefault: editRangeDefault });
  return { d, list };
}

const labels = (list: CompletionList | null) => list?.items.map((i) => i.label);
/** What each item would replace, and with what, as the editor applies it. */
function edits(list: CompletionList | null, d: ReturnType<typeof doc>) {
  return (list?.items ?? []).map((item) => {
    const edit = item.textEdit as TextEdit | undefined;
    const range = edit?.range ?? (list?.itemDefaults?.editRange as TextEdit['range']);
    return { replaced: textOf(d.doc, range), newText: edit?.newText ?? item.label };
  });
}

describe('completion of names', () => {
  it('lists the agent’s secrets first, then the others with their status', () => {
    const { list } = run("conv.utils.get_secret('|')");
    expect(labels(list)).toEqual([
      'google_oauth',
      'opentable_token',
      'sendgrid_api_key',
      'stripe_key',
      'twilio_auth',
      'webhook_signing_key',
      'zendesk',
    ]);
    const byLabel = new Map(list!.items.map((i) => [i.label, i]));
    expect(byLabel.get('google_oauth')).toMatchObject({
      kind: CompletionItemKind.Struct,
      labelDetails: { description: 'key/value, 2 keys' },
      detail: 'OAuth client for Calendar',
    });
    expect(byLabel.get('opentable_token')).toMatchObject({
      kind: CompletionItemKind.Constant,
      labelDetails: { description: 'single value' },
      detail: 'single value',
    });
    expect(byLabel.get('stripe_key')).toMatchObject({ labelDetails: { description: 'not granted to booking-agent' } });
    // The editor sorts by sortText after filtering: granted names must sort first there too.
    const sorted = [...list!.items].sort((a, b) => (a.sortText! < b.sortText! ? -1 : 1)).map((i) => i.label);
    expect(sorted).toEqual(labels(list));
    expect(list!.isIncomplete).toBe(false);
  });

  it('shares one item list between requests and keeps it through vault changes (nothing rebuilt per keystroke or event)', () => {
    const m = model();
    const first = run("conv.utils.get_secret('|')", m).list!;
    const second = run("x = conv.utils.get_secret('st|')\n", m).list!;
    expect(second.items).toBe(first.items);
    m.apply([{ kind: 'secret', secret: { name: 'booking_api_key', description: '', kind: 'single', keys: [], agents: ['booking-agent'] } }]);
    const third = run("conv.utils.get_secret('|')", m).list!;
    expect(third.items).toBe(first.items);
    expect(labels(third)?.slice(0, 2)).toEqual(['booking_api_key', 'google_oauth']);
  });

  it('replaces the whole name in a closed literal, wherever the cursor is', () => {
    const { d, list } = run("x = conv.utils.get_secret('goo|gle_oath')\n");
    expect(list?.itemDefaults?.editRange).toBeDefined();
    expect(edits(list, d)[0]).toEqual({ replaced: 'google_oath', newText: 'google_oauth' });
  });

  it('gives each item its own textEdit when the client has no itemDefaults', () => {
    const { d, list } = run("x = conv.utils.get_secret('st|')\n", model(), false);
    expect(list?.itemDefaults).toBeUndefined();
    expect(list?.items.every((i) => i.textEdit !== undefined)).toBe(true);
    expect(edits(list, d).find((e) => e.newText === 'stripe_key')).toEqual({ replaced: 'st', newText: 'stripe_key' });
  });

  it('in an unclosed literal replaces only the word being typed', () => {
    const a = run("x = conv.utils.get_secret('st|\ny = 1\n");
    expect(edits(a.list, a.d)[0]?.replaced).toBe('st');
    const b = run("x = conv.utils.get_secret('st|ripe, other\n");
    expect(edits(b.list, b.d)[0]?.replaced).toBe('stripe');
  });

  it('inserts a whole literal when the call has no argument yet, closing the call when nothing follows', () => {
    expect(edits(run('x = conv.utils.get_secret(|').list, run('x = conv.utils.get_secret(|').d)[0]).toEqual({ replaced: '', newText: "'google_oauth')" });
    const { d, list } = run('x = conv.utils.get_secret(|)');
    expect(edits(list, d)[0]).toEqual({ replaced: '', newText: "'google_oauth'" });
  });

  it('leaves a well-formed call when the editor closed neither the quote nor the bracket', () => {
    const cases: [string, string][] = [
      ["x = conv.utils.get_secret('|", "x = conv.utils.get_secret('google_oauth')"],
      ["x = conv.utils.get_secret('goo|\ny = 1\n", "x = conv.utils.get_secret('google_oauth')\ny = 1\n"],
      ["x = conv.utils.get_secret('goo|  \r\ny = 1\r\n", "x = conv.utils.get_secret('google_oauth')  \r\ny = 1\r\n"],
      ['x = conv.utils.get_secret("goo|', 'x = conv.utils.get_secret("google_oauth")'],
      ["x = conv.utils.get_secret( 'goo|", "x = conv.utils.get_secret( 'google_oauth')"],
      ["x = conv.utils.get_secret(name='goo|", "x = conv.utils.get_secret(name='google_oauth')"],
      ['x = conv.utils.get_secret(|', "x = conv.utils.get_secret('google_oauth')"],
      ['x = conv.utils.get_secret(|)', "x = conv.utils.get_secret('google_oauth')"],
      ["x = conv.utils.get_secret('goo|)", "x = conv.utils.get_secret('google_oauth')"],
      // Whatever follows on the line is the user's: the quote closes, the bracket is left to them.
      ["x = conv.utils.get_secret('goo|, other", "x = conv.utils.get_secret('google_oauth', other"],
      ["x = conv.utils.get_secret('goo|')", "x = conv.utils.get_secret('google_oauth')"],
      // The editor closed the quote but not the bracket: the item adds the bracket after the quote.
      ["x = conv.utils.get_secret('|'", "x = conv.utils.get_secret('google_oauth')"],
      ["x = conv.utils.get_secret('goo|'\ny = 1\n", "x = conv.utils.get_secret('google_oauth')\ny = 1\n"],
      ["x = conv.utils.get_secret(\"goo|\"  \r\n", "x = conv.utils.get_secret(\"google_oauth\")  \r\n"],
      ["c = conv.utils.get_secret('google_oauth')['cli|'", "c = conv.utils.get_secret('google_oauth')['client_id']"],
      // …but not where the call goes on or closes below, or something follows on the line.
      ["x = conv.utils.get_secret('goo|'\n)\n", "x = conv.utils.get_secret('google_oauth'\n)\n"],
      ["x = conv.utils.get_secret('goo|'\n  , default)\n", "x = conv.utils.get_secret('google_oauth'\n  , default)\n"],
      ["x = conv.utils.get_secret('goo|' , other", "x = conv.utils.get_secret('google_oauth' , other"],
      ["c = conv.utils.get_secret('google_oauth')['cli|", "c = conv.utils.get_secret('google_oauth')['client_id']"],
      ["c = conv.utils.get_secret('google_oauth').get(|", "c = conv.utils.get_secret('google_oauth').get('client_id')"],
      ["c = conv.utils.get_secret('google_oauth').get(\"cl|", 'c = conv.utils.get_secret(\'google_oauth\').get("client_id")'],
    ];
    for (const editRangeDefault of [true, false]) {
      for (const [text, expected] of cases) {
        const { d, list } = run(text, model(), editRangeDefault);
        const item = list!.items[0]!;
        const edit = item.textEdit as TextEdit | undefined;
        const range = edit?.range ?? (list!.itemDefaults!.editRange as TextEdit['range']);
        const after = TextDocument.applyEdits(d.doc, [{ range, newText: edit?.newText ?? item.label }]);
        expect(after, `${text} (${editRangeDefault})`).toBe(expected);
        // And the scanner reads a closed reference to the item there.
        const ref = scan(after, 'python').references.at(-1)!;
        expect(ref.literal.closed).toBe(true);
      }
    }
  });

  it('without an agent lists every secret without a status', () => {
    const { list } = run("conv.utils.get_secret('|')", model(), true, `${LEGACY}/x.py`);
    expect(labels(list)).toEqual([
      'google_oauth',
      'opentable_token',
      'sendgrid_api_key',
      'stripe_key',
      'twilio_auth',
      'webhook_signing_key',
      'zendesk',
    ]);
    expect(list!.items.some((i) => i.labelDetails?.description?.startsWith('not granted'))).toBe(false);
  });

  it('offers nothing outside a reference, in comments, docstrings, dynamic names, or when signed out', () => {
    expect(run("x = 'stripe|'").list).toBeNull();
    expect(run("# conv.utils.get_secret('|')").list).toBeNull();
    expect(run('"""conv.utils.get_secret(\'|\')"""').list).toBeNull();
    expect(run("conv.utils.get_secret(f'{x}_|')").list).toBeNull();
    expect(run("conv.utils.get_secret('|')", model({ connection: 'signed-out', role: null })).list).toBeNull();
    expect(run("conv.utils.get_secret('|')", VaultModel.empty).list).toBeNull();
  });

  it('documents an item when the editor resolves it, with access for the agent, never a value', () => {
    const m = model();
    const { list } = run("conv.utils.get_secret('|')", m);
    // The agent comes once for the whole list; the editor gives it to each item it resolves.
    expect(list!.itemDefaults?.data).toEqual({ agent: 'booking-agent' });
    expect(list!.items.every((i) => i.data === undefined)).toBe(true);
    const item = { ...list!.items.find((i) => i.label === 'zendesk'), data: list!.itemDefaults!.data } as CompletionItem;
    const resolved = resolveCompletion(item, m);
    // The description is the item's detail, which the editor shows above the documentation: said once.
    expect(resolved.detail).toBe('Zendesk API *admin* access');
    expect(resolved.documentation).toEqual({
      kind: 'markdown',
      value: [
        '**zendesk** (key/value, 3 keys)',
        'Keys: `email`, `subdomain`, `token`',
        'Not sensitive (configuration; a log of it is not reported): `email` (by its name)',
        'Agents with access: `support-agent` (Support agent)',
        '✗ Not granted to `booking-agent` (Booking agent).',
      ].join('\n\n'),
    });
    // Items sent one by one (an older client) carry the name and agent themselves.
    const own = run("conv.utils.get_secret('|')", m, false).list!.items.find((i) => i.label === 'zendesk')!;
    expect(own.data).toEqual({ secret: 'zendesk', agent: 'booking-agent' });
    expect(resolveCompletion(own, m).documentation).toEqual(resolved.documentation);
    // Key items have nothing to resolve, whatever their label.
    const key = run("conv.utils.get_secret('google_oauth')['|']", m).list!;
    expect(key.itemDefaults?.data).toBeUndefined();
    expect(resolveCompletion({ label: 'zendesk' }, m).documentation).toBeUndefined();
  });
});

describe('completion in a large vault', () => {
  // 1,500 secrets: beyond FULL_LIST_LIMIT, so lists follow what is typed.
  const many = model({
    secrets: Array.from({ length: 1500 }, (_, i) => ({
      name: `svc${i}_${i % 2 === 0 ? 'api_key' : 'token'}`,
      description: '',
      kind: 'single' as const,
      keys: [],
      agents: i % 3 === 0 ? ['booking-agent'] : [],
    })),
  });

  const nameOf = (i: number) => `svc${i}_${i % 2 === 0 ? 'api_key' : 'token'}`;
  /** The names `typed` starts or starts a word of, those booking-agent can read first. */
  const expected = (test: (name: string) => boolean) =>
    Array.from({ length: 1500 }, (_, i) => i)
      .filter((i) => test(nameOf(i)))
      .map((i) => ({ name: nameOf(i), granted: i % 3 === 0 }))
      .sort((a, b) => Number(b.granted) - Number(a.granted) || (a.name < b.name ? -1 : 1))
      .map((e) => e.name)
      .slice(0, SHORT_LIST_SIZE);

  it('sends the names the typed text starts, granted first, and asks to be asked again', () => {
    for (const typed of ['svc12', 'SVC12', 'svc1499_t', 'svc9']) {
      const { list } = run(`conv.utils.get_secret('${typed}|')`, many);
      expect(list!.isIncomplete).toBe(true);
      expect(labels(list), typed).toEqual(expected((n) => n.startsWith(typed.toLowerCase())));
    }
  });

  it('also the names one of whose words the typed text starts', () => {
    const { list } = run("conv.utils.get_secret('tok|')", many);
    expect(labels(list)).toEqual(expected((n) => n.endsWith('_token')));
    expect(run("conv.utils.get_secret('api_k|')", many).list!.items.length).toBe(SHORT_LIST_SIZE);
    expect(labels(run("conv.utils.get_secret('nothing|')", many).list)).toEqual([]);
  });

  it('cuts the list at SHORT_LIST_SIZE when little is typed', () => {
    for (const text of ["conv.utils.get_secret('|')", 'conv.utils.get_secret(|', "conv.utils.get_secret('s|')"]) {
      const { list } = run(text, many);
      expect(list!.items, text).toHaveLength(SHORT_LIST_SIZE);
      expect(list!.isIncomplete).toBe(true);
      expect(list!.items.every((i) => i.sortText!.startsWith('0')), text).toBe(true);
    }
  });

  it('keeps the whole list up to FULL_LIST_LIMIT secrets', () => {
    const m = model({
      secrets: Array.from({ length: FULL_LIST_LIMIT }, (_, i) => ({ name: `s${i}`, description: '', kind: 'single' as const, keys: [], agents: [] })),
    });
    const { list } = run("conv.utils.get_secret('s1|')", m);
    expect(list!.items).toHaveLength(FULL_LIST_LIMIT);
    expect(list!.isIncomplete).toBe(false);
  });
});

describe('completion of keys', () => {
  it('lists a key/value secret’s keys inside a subscript, .get() and through a variable', () => {
    for (const text of [
      "conv.utils.get_secret('google_oauth')['|']",
      "conv.utils.get_secret('google_oauth').get('cl|')",
      "creds = conv.utils.get_secret('google_oauth')\nx = creds['client_|']\n",
    ]) {
      const { list } = run(text);
      expect(labels(list), text).toEqual(['client_id', 'client_secret']);
      expect(list!.items[0]).toMatchObject({ kind: CompletionItemKind.Field, detail: 'key of google_oauth' });
    }
  });

  it('replaces the partial key, also in an unclosed key literal', () => {
    const a = run("conv.utils.get_secret('google_oauth')['client_s|']");
    expect(edits(a.list, a.d)[1]).toEqual({ replaced: 'client_s', newText: 'client_secret' });
    const b = run("conv.utils.get_secret('google_oauth')['cli|\n");
    expect(edits(b.list, b.d)[0]).toEqual({ replaced: 'cli', newText: "client_id']" });
  });

  it('inserts a quoted key when none is typed yet', () => {
    const cases: [string, string[]][] = [
      ["conv.utils.get_secret('google_oauth').get(|", ["'client_id')", "'client_secret')"]],
      ["creds = conv.utils.get_secret('google_oauth')\ncreds.get(|)\n", ["'client_id'", "'client_secret'"]],
    ];
    for (const [text, expected] of cases) {
      const { d, list } = run(text);
      expect(edits(list, d).map((e) => e.newText), text).toEqual(expected);
      expect(edits(list, d)[0]?.replaced).toBe('');
    }
  });

  it('offers no keys for a single value or an unknown secret', () => {
    expect(run("conv.utils.get_secret('stripe_key')['|']").list).toBeNull();
    expect(run("conv.utils.get_secret('nope')['|']").list).toBeNull();
  });
});

describe('completion in environment-style accounts', () => {
  const env = VaultModel.fromSnapshot(envSnapshot());

  it('completes os.environ, os.getenv and process.env names', () => {
    const expected = ['OPENTABLE_TOKEN', 'X_BEARER_TOKEN', 'STRIPE_API_KEY'];
    expect(labels(run("import os\nos.environ['|']", env).list)).toEqual(expected);
    expect(labels(run("import os\nos.getenv('X|')", env).list)).toEqual(expected);
    const js = run('const t = process.env.X_|;', env, true, `${BOOKING}/a.js`, 'javascript');
    expect(labels(js.list)).toEqual(expected);
    expect(edits(js.list, js.d)[0]?.replaced).toBe('X_');
  });

  it('inserts a quoted name after os.environ[ and a bare one after process.env.', () => {
    const py = run("import os\nos.environ[|", env);
    expect(edits(py.list, py.d)[0]).toEqual({ replaced: '', newText: "'OPENTABLE_TOKEN']" });
    const quoted = run("import os\nos.environ['OPEN|", env);
    expect(edits(quoted.list, quoted.d)[0]).toEqual({ replaced: 'OPEN', newText: "OPENTABLE_TOKEN']" });
    const js = run('const t = process.env.|', env, true, `${BOOKING}/a.js`, 'javascript');
    expect(edits(js.list, js.d)[0]).toEqual({ replaced: '', newText: 'OPENTABLE_TOKEN' });
  });

  it('offers nothing for environment reads in a snake_case account', () => {
    expect(run("import os\nos.environ['|']").list).toBeNull();
    expect(run('const t = process.env.X|;', model(), true, `${BOOKING}/a.js`, 'javascript').list).toBeNull();
  });
});
