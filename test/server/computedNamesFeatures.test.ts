import { describe, expect, it } from 'vitest';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-types';
import { computeDiagnostics } from '../../server/src/service/features/diagnostics';
import { codeActions } from '../../server/src/service/features/codeActions';
import { hover } from '../../server/src/service/features/hover';
import { addUsageCounts, findUsages, referencesAt } from '../../server/src/service/features/usages';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { doc, textOf } from './vaultFixture';
import { BY_ENV, BY_ENV_CANDIDATES, envModel, withCandidates } from './computedNamesHelpers';

const MIXED = BY_ENV.replace("'x_uat_api'", "'narvar_staging_api'").replace("['token']", '');
const MIXED_CANDIDATES = [
  { name: 'x_prod_api', environments: ['live'], when: [["conv.env == 'live'", true]] as [string, boolean][] },
  { name: 'narvar_staging_api', environments: ['sandbox', 'pre-release'], when: [["conv.env == 'live'", false]] as [string, boolean][] },
];

type Role = 'admin' | 'developer';

function fixes(text: string, role: Role, strip = false) {
  const d = withCandidates(text, MIXED_CANDIDATES);
  const m = envModel({ role });
  const diagnostics: Diagnostic[] = computeDiagnostics(d.doc, d.result, m);
  // A client that does not return `data`: the fix finds the candidate by the name its message quotes.
  if (strip) for (const x of diagnostics) delete x.data;
  const actions = codeActions(d.doc, d.result, m, diagnostics);
  return { d, actions };
}

function edited(d: ReturnType<typeof withCandidates>, a: CodeAction): string {
  const [uri, edits] = Object.entries(a.edit!.changes!)[0]!;
  expect(uri).toBe(d.doc.uri);
  return edits.map((e) => `${textOf(d.doc, e.range)} -> ${e.newText}`).join('; ');
}

describe('computed names: quick fixes on a candidate', () => {
  it("changes the candidate's literal to the name it likely means, and creates or grants the candidate (admin)", () => {
    for (const strip of [false, true]) {
      const { d, actions } = fixes(MIXED, 'admin', strip);
      expect(actions.map((a) => a.title)).toEqual([
        "Change to 'x_prod_apis'",
        "Create secret 'x_prod_api'…",
        "Grant 'booking-agent' access to 'narvar_staging_api'",
      ]);
      expect(edited(d, actions[0]!)).toBe('x_prod_api -> x_prod_apis');
      expect(actions[1]!.command!.arguments).toEqual([{ name: 'x_prod_api', agent: 'booking-agent' }]);
      expect(actions[2]!.command!.arguments).toEqual([{ name: 'narvar_staging_api', agent: 'booking-agent' }]);
    }
  });

  it('requests the candidate for a developer', () => {
    const { actions } = fixes(MIXED, 'developer');
    expect(actions.map((a) => [a.title, a.command?.arguments?.[0]])).toEqual([
      ["Change to 'x_prod_apis'", undefined],
      ["Request secret 'x_prod_api' for 'booking-agent'…", { name: 'x_prod_api', agent: 'booking-agent', newSecret: true }],
      ["Request access for 'booking-agent' to 'narvar_staging_api'…", { name: 'narvar_staging_api', agent: 'booking-agent', newSecret: false }],
    ]);
  });

  it("keeps the candidate literal's quoting when it changes it", () => {
    const text = MIXED.replace("'x_prod_api'", 'r"x_prod_api"');
    const d = withCandidates(text, MIXED_CANDIDATES);
    const m = envModel();
    const diagnostics = computeDiagnostics(d.doc, d.result, m);
    const change = codeActions(d.doc, d.result, m, diagnostics).find((a) => a.title === "Change to 'x_prod_apis'")!;
    expect(edited(d, change)).toBe('x_prod_api -> x_prod_apis');
    expect(computeDiagnostics(d.doc, d.result, m)[0]!.data).toMatchObject({ candidate: { opening: 'r"' } });
  });

  it("offers a candidate's keys of its own secret", () => {
    const text = BY_ENV.replace("'x_prod_api'", "'narvar_prod_api'").replace("['token']", "['tokn']");
    const d = withCandidates(text, [
      { name: 'narvar_prod_api', environments: ['live'] },
      { name: 'x_uat_api', environments: ['sandbox', 'pre-release'] },
    ]);
    const m = envModel();
    const diagnostics = computeDiagnostics(d.doc, d.result, m);
    expect(diagnostics.map((x) => x.code)).toEqual(['not-a-mapping', 'unknown-key']);
    const actions = codeActions(d.doc, d.result, m, diagnostics);
    // The key fix offers the kv candidate's own keys; the single-value candidate's not-a-mapping has
    // the admin's edit (a read as a string is not offered: the other candidate is key/value).
    expect(actions.map((a) => a.title)).toEqual(["Edit secret 'narvar_prod_api' to make it key/value with key 'tokn'…", "Change to 'token'"]);
    expect(edited(d, actions.find((a) => a.title === "Change to 'token'")!)).toBe('tokn -> token');
  });
});

describe('computed names: a correction of a joined name', () => {
  /** Each "Change to" fix of the document's diagnostics: its name, and the names the read takes once it is applied. */
  function changes(text: string): Array<[string, string[]]> {
    const d = doc(text);
    const m = envModel();
    const out: Array<[string, string[]]> = [];
    for (const a of codeActions(d.doc, d.result, m, computeDiagnostics(d.doc, d.result, m))) {
      if (!a.title.startsWith('Change to ')) continue;
      const edits = Object.values(a.edit!.changes!)[0]!;
      const changed = TextDocument.applyEdits(d.doc, edits);
      const read = doc(changed).result.references.find((r) => r.name === null);
      out.push([a.title, (read?.candidates ?? []).map((c) => c.name)]);
    }
    return out;
  }

  it('edits the part that tells the name apart, to the name it offers; not a part the other names share', () => {
    // 'x_uta_api' (a typo in the part conv.env chooses) becomes 'x_uat_api' by its part alone; 'x_prod_api'
    // is nearest 'x_prod_apis', which would change the suffix every name shares: not offered.
    const text = "def f(conv):\n    tier = 'prod' if conv.env == 'live' else 'uta'\n    return conv.utils.get_secret('x_' + tier + '_api')\n";
    const offered = changes(text);
    expect(offered).toContainEqual(["Change to 'x_uat_api'", ['x_prod_api', 'x_uat_api']]);
    expect(offered.map(([title]) => title)).not.toContain("Change to 'x_prod_apis'");
    // Every fix offered reads the name it says, the other name unchanged.
    for (const [title, names] of offered) expect(names.some((n) => title === `Change to '${n}'`), title).toBe(true);
  });
});

describe('computed names: hover, usages and Find All References', () => {
  it('lists the candidates with their environments, kinds and access, on the argument', () => {
    const text = BY_ENV.replace("['token']", '');
    const d = withCandidates(text, BY_ENV_CANDIDATES);
    const at = text.indexOf('get_secret(name') + 'get_secret(na'.length;
    const h = hover(d.doc, d.result, envModel({ environment: 'live' }), at)!;
    expect(textOf(d.doc, h.range!)).toBe('name');
    expect((h.contents as { value: string }).value).toBe(
      [
        'The secret name is chosen at run time among 2 names:',
        '',
        '- In live: **x\\_prod\\_api**: does not exist in the vault',
        '- In sandbox and pre\\-release: **x\\_uat\\_api**: key/value, 2 keys: `token`, `user`; ✓ granted to `booking-agent` (Booking agent) _(not taken in live)_',
      ].join('\n'),
    );
    const cond = withCandidates(text, [{ name: 'x_prod_api', when: [["conv.env == 'live'", true]] }, { name: 'x_uat_api' }]);
    expect((hover(cond.doc, cond.result, envModel({ defaultAgent: null, folders: [] }), at)!.contents as { value: string }).value).toBe(
      [
        'The secret name is chosen at run time among 2 names:',
        '',
        "- When conv\\.env == 'live' holds: **x\\_prod\\_api**: does not exist in the vault",
        '- On every path: **x\\_uat\\_api**: key/value, 2 keys: `token`, `user`',
      ].join('\n'),
    );
  });

  it("counts a candidate as a use of its name at its literal, and finds its uses from the literal", () => {
    const d = withCandidates(BY_ENV, BY_ENV_CANDIDATES);
    const docs = [{ doc: d.doc, result: d.result }];
    expect(findUsages(docs, 'snake_case', 'x_uat_api').map((l) => textOf(d.doc, l.range))).toEqual(['x_uat_api']);
    expect(findUsages(docs, 'snake_case', 'x_uat_api', 'token').map((l) => textOf(d.doc, l.range))).toEqual(['token']);
    const counts = new Map<string, number>();
    addUsageCounts(counts, d.result, 'snake_case');
    expect(Object.fromEntries(counts)).toEqual({ x_prod_api: 1, x_uat_api: 1 });
    const onLiteral = BY_ENV.indexOf("'x_prod_api'") + 3;
    expect(referencesAt(docs[0]!, onLiteral, docs, 'snake_case')!.map((l) => textOf(d.doc, l.range))).toEqual(['x_prod_api']);
  });
});

describe('computed names: a literal in another module', () => {
  const CONFIG_URI = 'file:///work/booking/functions/config.py';
  const CONFIG = "API_NAME = 'x_prod_api'\n";
  const MAIN = "from .config import API_NAME\n\ndef run(conv):\n    return conv.utils.get_secret(API_NAME)\n";

  function imported() {
    const d = doc(MAIN);
    const ref = d.result.references[0]!;
    const at = CONFIG.indexOf("'x_prod_api'");
    ref.name = null;
    delete ref.unresolved;
    ref.candidates = [{ name: 'x_prod_api', literal: { start: at, end: at + 12 }, uri: CONFIG_URI, when: [], environments: null }];
    return d;
  }

  it('points the related information and the fix at the module that holds the name', () => {
    const d = imported();
    const config = TextDocument.create(CONFIG_URI, 'python', 1, CONFIG);
    const m = envModel();
    const found = computeDiagnostics(d.doc, d.result, m, Date.now(), (uri) => (uri === CONFIG_URI ? config : undefined));
    expect(found.map((x) => x.message)).toEqual(["May read 'x_prod_api', which does not exist in the vault. Did you mean 'x_prod_apis'?"]);
    expect(found[0]!.relatedInformation?.map((r) => [r.location.uri, config.getText(r.location.range), r.message])).toEqual([[CONFIG_URI, "'x_prod_api'", "'x_prod_api' is chosen here"]]);
    const change = codeActions(d.doc, d.result, m, found).find((a) => a.title === "Change to 'x_prod_apis'")!;
    const edits = change.edit!.changes![CONFIG_URI]!;
    expect(edits.map((e) => [config.getText(e.range), e.newText])).toEqual([['x_prod_api', 'x_prod_apis']]);
  });

  it('without that module at hand: the problem still, no related place, no edit, the create fix', () => {
    const d = imported();
    const m = envModel();
    const found = computeDiagnostics(d.doc, d.result, m);
    expect(found.map((x) => [x.message, x.relatedInformation])).toEqual([["May read 'x_prod_api', which does not exist in the vault. Did you mean 'x_prod_apis'?", undefined]]);
    expect(codeActions(d.doc, d.result, m, found).map((a) => a.title)).toEqual(["Create secret 'x_prod_api'…"]);
  });
});

describe('a credential among the names a computed read may take', () => {
  // A Stripe-shaped live key, made here so that no scanner of this repository sees one in the text.
  const key = ['sk', 'live', '51Hx9vT2mLq8K8pR7wZaLp2Rk8sWn4YbQx9vT2mL'].join('_');

  it('is a hard-coded secret at its literal, in every environment, once however many reads take it', () => {
    const text = `KEYS = {"live": "${key}", "sandbox": "crm_api"}


def first(conv):
    return conv.utils.get_secret(KEYS[conv.env])


def second(conv):
    return conv.utils.get_secret(KEYS.get(conv.env))
`;
    const d = doc(text);
    expect(d.result.references.every((r) => r.candidates?.some((c) => c.name === key))).toBe(true);
    // The detector leaves the literal to the read: it is a name there.
    expect(d.result.hardcoded).toEqual([]);
    for (const environment of ['live', 'sandbox', 'all']) {
      const m = envModel({ environment });
      const found = computeDiagnostics(d.doc, d.result, m).filter((x) => x.code === 'hardcoded-secret');
      expect(found, String(environment)).toHaveLength(1);
      expect(textOf(d.doc, found[0]!.range)).toBe(`"${key}"`);
      expect(found[0]!.message).toMatch(/^Hard-coded Stripe .*where a secret's name goes/);
      // Never quoted back.
      expect(JSON.stringify(found)).not.toContain(key);
    }
  });
});
