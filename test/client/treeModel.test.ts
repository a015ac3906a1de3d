import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent, SecretMetadata } from '../../protocol/api';
import { agentLabel } from '../../client/src/core/agentLabels';
import { allView, applyCounts, escapeMarkdown, grantedView, itemDescription, PAGE_SIZE, pageOf, regrantAll, shownThrough, tooltipOf, type SecretNode, type TreeInput } from '../../client/src/core/treeModel';
import { seedDemo } from '../../vault/src/demo';
import { startTestVault, type TestVault } from '../helpers/vault';

describe('the tree model, from a real vault’s metadata', () => {
  let tv: TestVault;
  let secrets: SecretMetadata[];
  let agents: Agent[];
  beforeAll(async () => {
    tv = await startTestVault();
    const api = tv.api();
    await seedDemo(api, 'snake_case');
    secrets = await api.listSecrets();
    agents = await api.listAgents();
  });
  afterAll(() => tv.stop());

  const input = (over: Partial<TreeInput> = {}): TreeInput => ({
    secrets,
    agents,
    agent: 'PROJECT-BK7QF2MA',
    role: 'admin',
    usage: new Map([
      ['amadeus_flights', 3],
      ['openai_api_key', 1],
    ]),
    ...over,
  });

  // Tooltips are built when the editor shows one (resolveTreeItem), from the node and the agents.
  const tip = (node: SecretNode, agent: string | null = 'PROJECT-BK7QF2MA') => tooltipOf(node, { agents, agent });

  it('shows the secrets the current agent can read, sorted, with kinds, keys and usage', () => {
    const view = grantedView(input());
    expect(view.empty).toBeUndefined();
    expect(view.nodes.map((n) => n.name)).toEqual(['amadeus_flights', 'hotel_api', 'hotel_mcp_token', 'openai_api_key', 'sendgrid_api_key']);
    const amadeus = view.nodes[0]!;
    expect(amadeus).toMatchObject({ kind: 'kv', icon: 'symbol-namespace', granted: true, usage: 3 });
    expect(amadeus.keys.map((k) => k.key)).toEqual(['client_id', 'client_secret']);
    expect(amadeus.keys[0]).toMatchObject({ type: 'key', secret: 'amadeus_flights', contextValue: 'secretKey' });
    const openai = view.nodes[3]!;
    expect(openai).toMatchObject({ kind: 'single', icon: 'key', keys: [], usage: 1 });
    expect(openai.contextValue.split(' ')).toEqual(['secret', 'single', 'granted', 'hasAgent', 'admin']);
  });

  it('a key row says when it is not sensitive, and its tooltip whether by an admin\'s mark or by its name', async () => {
    const api = tv.api();
    await api.createSecret({
      name: 'oms_prod_api',
      value: { API_KEY: 'tree-key-1f0c', BASE_URL: 'https://oms.tree.test', REGION_CODE: 'eu-1', ACCOUNT_ID: 'acct-7' },
      agents: ['PROJECT-BK7QF2MA'],
      keySensitivity: { REGION_CODE: 'not-sensitive', ACCOUNT_ID: 'sensitive' },
    });
    try {
      const listed = await api.listSecrets();
      const node = grantedView(input({ secrets: listed })).nodes.find((n) => n.name === 'oms_prod_api')!;
      expect(node.keys.map((k) => [k.key, k.sensitivity, k.by, k.description])).toEqual([
        ['ACCOUNT_ID', 'sensitive', 'mark', ''],
        ['API_KEY', 'sensitive', 'default', ''],
        ['BASE_URL', 'not-sensitive', 'default', 'not sensitive'],
        ['REGION_CODE', 'not-sensitive', 'mark', 'not sensitive (marked)'],
      ]);
      expect(tip(node)).toContain('Not sensitive: `BASE_URL` (default), `REGION_CODE` (marked)');
      const tips = Object.fromEntries(node.keys.map((k) => [k.key, k.tooltip]));
      expect(tips.BASE_URL).toBe(
        "Key 'BASE_URL' of oms_prod_api: not sensitive: configuration; its value may appear in logs (by default: its name says it holds an address or an identifier).",
      );
      expect(tips.REGION_CODE).toContain('not sensitive: configuration; its value may appear in logs (marked so by an admin)');
      expect(tips.ACCOUNT_ID).toContain('sensitive: a credential; its value reaching a log is reported (marked so by an admin)');
      expect(tips.API_KEY).toContain('(by default: its name does not say it holds an address or an identifier)');
      // The All Secrets view's key rows say the same; a secret without marks takes every default.
      const all = allView(input({ secrets: listed })).nodes.find((n) => n.name === 'oms_prod_api')!;
      expect(all.keys.map((k) => k.description)).toEqual(['', '', 'not sensitive', 'not sensitive (marked)']);
      const amadeus = grantedView(input({ secrets: listed })).nodes.find((n) => n.name === 'amadeus_flights')!;
      expect(amadeus.keys.map((k) => [k.key, k.by, k.description])).toEqual([
        ['client_id', 'default', 'not sensitive'],
        ['client_secret', 'default', ''],
      ]);
      // Metadata only: no value in any of it.
      expect(JSON.stringify(node)).not.toContain('tree-key-1f0c');
      expect(JSON.stringify(node)).not.toContain('oms.tree.test');
    } finally {
      await api.deleteSecret('oms_prod_api');
    }
  });

  it('writes a tooltip with kind, keys, access list, last update and usage, and no value', () => {
    const amadeus = grantedView(input()).nodes[0]!;
    expect(tip(amadeus)).toContain('key/value secret');
    expect(tip(amadeus)).toContain('Keys: `client_id`, `client_secret`');
    expect(tip(amadeus)).toContain('Not sensitive: `client_id` (default)');
    expect(tip(amadeus)).toContain('Access: PROJECT\\-BK7QF2MA \\(Booking agent\\) ← current');
    expect(tip(amadeus)).toMatch(/Updated \d{4}-\d\d-\d\d \d\d:\d\d UTC by /);
    expect(tip(amadeus)).toContain('Used 3 times in this workspace');
    const hotel = grantedView(input()).nodes[1]!;
    expect(tip(hotel)).toContain('Not used in this workspace');
    // The demo's hotel_api has a URL value: the tooltip is metadata only.
    expect(tip(hotel)).not.toContain('api.hotels.example');
  });

  it('says why the Secrets view is empty', () => {
    expect(grantedView(input({ agent: null }))).toEqual({ nodes: [], empty: 'no-agent' });
    expect(grantedView(input({ agent: 'lonely-agent' }))).toEqual({ nodes: [], empty: 'no-secrets' });
    expect(grantedView(input({ filter: 'zzz' }))).toEqual({ nodes: [], empty: 'no-match' });
  });

  it('filters on name or description, ignoring case', () => {
    expect(grantedView(input({ filter: 'HOTEL' })).nodes.map((n) => n.name)).toEqual(['hotel_api', 'hotel_mcp_token']);
    expect(grantedView(input({ filter: 'summarising' })).nodes.map((n) => n.name)).toEqual(['openai_api_key']);
  });

  it('shows every secret in All Secrets with its grant state for the current agent', () => {
    const view = allView(input({ agent: 'PROJECT-SP4TK9WD' }));
    expect(view.nodes).toHaveLength(secrets.length);
    const state = Object.fromEntries(view.nodes.map((n) => [n.name, n.granted]));
    expect(state).toMatchObject({ zendesk: true, twilio: true, stripe_api_key: false, slack_webhook_url: false });
    const stripe = view.nodes.find((n) => n.name === 'stripe_api_key')!;
    expect(stripe.contextValue).toContain('notGranted');
    expect(stripe.contextValue).not.toMatch(/\bgranted\b/);
    // Beside each item: the current agent's grant, then who else has access.
    expect(itemDescription(stripe, 'all', 'PROJECT-SP4TK9WD', 'PROJECT-SP4TK9WD')).toBe('not granted · PROJECT-BL8NX3RC');
    const zendesk = view.nodes.find((n) => n.name === 'zendesk')!;
    expect(itemDescription(zendesk, 'all', 'PROJECT-SP4TK9WD', 'PROJECT-SP4TK9WD')).toBe('✓ PROJECT-SP4TK9WD · no other agent');
    expect(itemDescription(view.nodes.find((n) => n.name === 'slack_webhook_url')!, 'all', 'PROJECT-SP4TK9WD', 'PROJECT-SP4TK9WD')).toBe('not granted · no agent has access');
    const crowded = { ...zendesk, secret: { ...zendesk.secret, agents: ['PROJECT-SP4TK9WD', 'a-1', 'a-2', 'a-3', 'a-4', 'a-5'] } };
    expect(itemDescription(crowded, 'all', 'PROJECT-SP4TK9WD (Field agent)', 'PROJECT-SP4TK9WD')).toBe('✓ PROJECT-SP4TK9WD (Field agent) · also a-1, a-2, a-3 +2');
    expect(tip(stripe)).toContain('Access: PROJECT\\-BL8NX3RC \\(Billing agent\\)');
    const slack = view.nodes.find((n) => n.name === 'slack_webhook_url')!;
    expect(tip(slack)).toContain('Access: no agent');
    // Without an agent, nothing is granted and no grant action applies.
    expect(allView(input({ agent: null })).nodes.every((n) => !n.granted && !n.contextValue.includes('hasAgent'))).toBe(true);
    // Developers see the items without the admin actions.
    expect(allView(input({ role: 'developer' })).nodes.every((n) => !n.contextValue.includes('admin'))).toBe(true);
  });

  it('moving to another agent changes in place only the All Secrets items granted to either, to what a fresh build gives', () => {
    const now = Date.now();
    const agentIds = agents.map((a) => a.id);
    expect(agentIds.length).toBeGreaterThan(2);
    const view = allView(input({ agent: agentIds[0]!, now }));
    const nodes = view.nodes;
    // There and back again, through every agent: the same node objects each time, as built afresh.
    for (const [from, to] of [...agentIds.slice(1), agentIds[0]!].map((to, i) => [agentIds[i]!, to] as const)) {
      const changed = regrantAll(nodes, { ...input({ agent: to, now }), agent: to });
      const expected = secrets.filter((s) => s.agents.includes(from) || s.agents.includes(to)).map((s) => s.name);
      expect(changed.map((n) => n.name)).toEqual(expected);
      expect(expected.length).toBeLessThan(secrets.length);
      expect(view.nodes).toBe(nodes);
      expect(nodes).toEqual(allView(input({ agent: to, now })).nodes);
      const label = agentLabel(to, agents);
      expect(nodes.map((n) => itemDescription(n, 'all', label, to))).toEqual(allView(input({ agent: to, now })).nodes.map((n) => itemDescription(n, 'all', label, to)));
    }
  });

  it('escapes markdown in descriptions', () => {
    expect(escapeMarkdown('a *b* [c](d)')).toBe('a \\*b\\* \\[c\\]\\(d\\)');
    // Entities and theme icons stay text (names are free text).
    expect(escapeMarkdown('a&lt;b $(alert)')).toBe('a\\&lt;b \\$\\(alert\\)');
  });

  it('an Agent Studio agent shows with its display name; names with spaces, quotes and markup are inert in tooltips', async () => {
    const api = tv.api();
    await api.createAgent({ id: 'PROJECT-WEVYLLDV', name: 'Field *Service* [Template](http://evil.example)' });
    const odd = `Bob's "Prod" *API* [key](http://evil.example) <img src=x> &lt; $(alert) #1`;
    await api.createSecret({ name: odd, value: 'tree-model-value', agents: ['PROJECT-WEVYLLDV'] });
    await api.createSecret({ name: 'Prod API Credentials', value: { client_id: 'x1' }, agents: ['PROJECT-WEVYLLDV'] });
    const all = { ...input(), secrets: await api.listSecrets(), agents: await api.listAgents(), agent: 'PROJECT-WEVYLLDV' };
    const shown = agentLabel('PROJECT-WEVYLLDV', all.agents);
    expect(shown).toBe('PROJECT-WEVYLLDV (Field *Service* [Template](http://evil.example))');
    const view = grantedView(all);
    expect(view.nodes.map((n) => n.name)).toEqual(expect.arrayContaining([odd, 'Prod API Credentials']));
    const node = allView(all).nodes.find((n) => n.name === 'Prod API Credentials')!;
    expect(itemDescription(node, 'all', shown, 'PROJECT-WEVYLLDV')).toBe('✓ PROJECT-WEVYLLDV (Field *Service* [Template](http://evil.example)) · no other agent');
    // Ids are case-sensitive: the same id in another case reads nothing.
    expect(grantedView({ ...all, agent: 'project-wevylldv' }).empty).toBe('no-secrets');
    const t = tooltipOf(view.nodes.find((n) => n.name === odd)!, all);
    expect(t.split('\n\n')[0]).toBe(
      `**Bob's "Prod" \\*API\\* \\[key\\]\\(http://evil\\.example\\) \\<img src=x\\> \\&lt; \\$\\(alert\\) \\#1** · single value`,
    );
    expect(t).toContain('Access: PROJECT\\-WEVYLLDV \\(Field \\*Service\\* \\[Template\\]\\(http://evil\\.example\\)\\) ← current');
    // No unescaped link, image or HTML survives.
    expect(t).not.toMatch(/(?<!\\)\[[^\]]*(?<!\\)\]\(/);
    expect(t).not.toMatch(/(?<!\\)</);
    expect(t).not.toContain('tree-model-value');
  });

  it('applies usage reports: a full one replaces, a partial one merges, and only changed names are returned', () => {
    const counts = new Map<string, number>();
    expect(applyCounts(counts, { counts: { amadeus_flights: 3, openai_api_key: 1 }, full: true }).sort()).toEqual(['amadeus_flights', 'openai_api_key']);
    // The same report again changes nothing: no item is redrawn.
    expect(applyCounts(counts, { counts: { amadeus_flights: 3, openai_api_key: 1 }, full: true })).toEqual([]);
    expect(applyCounts(counts, { counts: { amadeus_flights: 4 }, full: false })).toEqual(['amadeus_flights']);
    expect(applyCounts(counts, { counts: { openai_api_key: 0 }, full: false })).toEqual(['openai_api_key']);
    expect([...counts]).toEqual([['amadeus_flights', 4]]);
    // A full report drops names it does not mention; a name like `constructor` is just a name.
    expect(applyCounts(counts, { counts: { constructor: 2 }, full: true }).sort()).toEqual(['amadeus_flights', 'constructor']);
    expect([...counts]).toEqual([['constructor', 2]]);
  });

  it('takes a node’s count from the usage held, and its tooltip follows an update in place', () => {
    const usage = new Map([['hotel_api', 2]]);
    const hotel = grantedView(input({ usage })).nodes.find((n) => n.name === 'hotel_api')!;
    expect(tip(hotel)).toContain('Used 2 times in this workspace');
    hotel.usage = 1;
    expect(tip(hotel)).toContain('Used 1 time in this workspace');
  });
});

describe('a view of many secrets, a page at a time', () => {
  const names = Array.from({ length: 3_072 }, (_, i) => `secret_${String(i).padStart(4, '0')}`);

  it('lists the first page and says how many more the next one adds', () => {
    const first = pageOf(names, PAGE_SIZE);
    expect(first.nodes).toEqual(names.slice(0, PAGE_SIZE));
    expect(first.more).toEqual({ shown: PAGE_SIZE, total: 3_072, next: PAGE_SIZE });
    // The last page adds what is left; then nothing more is offered.
    const last = pageOf(names, 3_000);
    expect(last.nodes).toHaveLength(3_000);
    expect(last.more).toEqual({ shown: 3_000, total: 3_072, next: 72 });
    expect(pageOf(names, 3_500)).toEqual({ nodes: names, more: null });
  });

  it('lists a view that fits in a page whole, with no "Show more"', () => {
    const few = names.slice(0, PAGE_SIZE);
    expect(pageOf(few, PAGE_SIZE)).toEqual({ nodes: few, more: null });
  });

  it('lists through a secret beyond the pages shown (to reveal it), in whole pages, never fewer', () => {
    expect(shownThrough(10, PAGE_SIZE)).toBe(PAGE_SIZE);
    expect(shownThrough(PAGE_SIZE, PAGE_SIZE)).toBe(2 * PAGE_SIZE);
    expect(shownThrough(2_999, PAGE_SIZE)).toBe(3_000);
    expect(pageOf(names, shownThrough(2_999, PAGE_SIZE)).nodes).toContain(names[2_999]);
    expect(shownThrough(10, 1_500)).toBe(1_500);
  });
});

