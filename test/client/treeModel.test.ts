import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent, SecretMetadata } from '../../protocol/api';
import { allView, escapeMarkdown, grantedView, itemDescription, type TreeInput } from '../../client/src/core/treeModel';
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
    agent: 'booking-agent',
    role: 'admin',
    usage: { amadeus_flights: 3, openai_api_key: 1 },
    ...over,
  });

  it('shows the secrets the current agent can read, sorted, with kinds, keys and usage', () => {
    const view = grantedView(input());
    expect(view.empty).toBeUndefined();
    expect(view.nodes.map((n) => n.name)).toEqual(['amadeus_flights', 'hotel_api', 'openai_api_key', 'sendgrid_api_key']);
    const amadeus = view.nodes[0]!;
    expect(amadeus).toMatchObject({ kind: 'kv', icon: 'symbol-namespace', granted: true, usage: 3 });
    expect(amadeus.keys.map((k) => k.key)).toEqual(['client_id', 'client_secret']);
    expect(amadeus.keys[0]).toMatchObject({ type: 'key', secret: 'amadeus_flights', contextValue: 'secretKey' });
    const openai = view.nodes[2]!;
    expect(openai).toMatchObject({ kind: 'single', icon: 'key', keys: [], usage: 1 });
    expect(openai.contextValue.split(' ')).toEqual(['secret', 'single', 'granted', 'hasAgent', 'admin']);
  });

  it('writes a tooltip with kind, keys, access list, last update and usage, and no value', () => {
    const amadeus = grantedView(input()).nodes[0]!;
    expect(amadeus.tooltip).toContain('key/value secret');
    expect(amadeus.tooltip).toContain('Keys: `client_id`, `client_secret`');
    expect(amadeus.tooltip).toContain('Access: booking\\-agent \\(Booking agent\\) ← current');
    expect(amadeus.tooltip).toMatch(/Updated \d{4}-\d\d-\d\d \d\d:\d\d UTC by /);
    expect(amadeus.tooltip).toContain('Used 3 times in this workspace');
    const hotel = grantedView(input()).nodes[1]!;
    expect(hotel.tooltip).toContain('Not used in this workspace');
    // The demo's hotel_api has a URL value: the tooltip is metadata only.
    expect(hotel.tooltip).not.toContain('api.hotels.example');
  });

  it('says why the Secrets view is empty', () => {
    expect(grantedView(input({ agent: null }))).toEqual({ nodes: [], empty: 'no-agent' });
    expect(grantedView(input({ agent: 'lonely-agent' }))).toEqual({ nodes: [], empty: 'no-secrets' });
    expect(grantedView(input({ filter: 'zzz' }))).toEqual({ nodes: [], empty: 'no-match' });
  });

  it('filters on name or description, ignoring case', () => {
    expect(grantedView(input({ filter: 'HOTEL' })).nodes.map((n) => n.name)).toEqual(['hotel_api']);
    expect(grantedView(input({ filter: 'summarising' })).nodes.map((n) => n.name)).toEqual(['openai_api_key']);
  });

  it('shows every secret in All Secrets with its grant state for the current agent', () => {
    const view = allView(input({ agent: 'support-agent' }));
    expect(view.nodes).toHaveLength(secrets.length);
    const state = Object.fromEntries(view.nodes.map((n) => [n.name, n.granted]));
    expect(state).toMatchObject({ zendesk: true, twilio: true, stripe_api_key: false, slack_webhook_url: false });
    const stripe = view.nodes.find((n) => n.name === 'stripe_api_key')!;
    expect(stripe.contextValue).toContain('notGranted');
    expect(stripe.contextValue).not.toMatch(/\bgranted\b/);
    expect(itemDescription(stripe, 'all', 'support-agent')).toBe('not granted');
    expect(itemDescription(view.nodes.find((n) => n.name === 'zendesk')!, 'all', 'support-agent')).toBe('✓ support-agent');
    expect(stripe.tooltip).toContain('Access: billing\\-agent \\(Billing agent\\)');
    const slack = view.nodes.find((n) => n.name === 'slack_webhook_url')!;
    expect(slack.tooltip).toContain('Access: no agent');
    // Without an agent, nothing is granted and no grant action applies.
    expect(allView(input({ agent: null })).nodes.every((n) => !n.granted && !n.contextValue.includes('hasAgent'))).toBe(true);
    // Developers see the items without the admin actions.
    expect(allView(input({ role: 'developer' })).nodes.every((n) => !n.contextValue.includes('admin'))).toBe(true);
  });

  it('escapes markdown in descriptions', () => {
    expect(escapeMarkdown('a *b* [c](d)')).toBe('a \\*b\\* \\[c\\]\\(d\\)');
  });
});
