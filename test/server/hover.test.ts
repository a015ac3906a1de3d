import { describe, expect, it } from 'vitest';
import type { MarkupContent } from 'vscode-languageserver-types';
import { complete } from '../../server/src/service/features/completion';
import { hover } from '../../server/src/service/features/hover';
import { VaultModel } from '../../server/src/service/model/model';
import { SNAKE_SECRETS, SUPPORT, doc, envSnapshot, model, snapshot, textOf } from './vaultFixture';

function at(text: string, m = model(), uri?: string) {
  const d = doc(text, uri);
  const h = hover(d.doc, d.result, m, d.cursor);
  return h && { value: (h.contents as MarkupContent).value, range: h.range && textOf(d.doc, h.range) };
}

describe('hover', () => {
  it('describes a secret: kind, description, keys, who has access, and this agent’s grant', () => {
    expect(at("conv.utils.get_secret('google_o|auth')")).toEqual({
      range: 'google_oauth',
      value: [
        '**google\\_oauth** (key/value, 2 keys)',
        'OAuth client for Calendar',
        'Keys: `client_id`, `client_secret`',
        'Not sensitive (configuration; a log of it is not reported): `client_id` (by its name)',
        'Agents with access: `booking-agent` (Booking agent)',
        '✓ Granted to `booking-agent` (Booking agent).',
      ].join('\n\n'),
    });
  });

  it("says the file's agent's last run-time read when the editor knows it (issue 53): 'Last read by … 3 days ago (live)', 'Never read by …'", () => {
    const threeDaysAgo = new Date(Date.now() - 3 * 86_400_000 - 60_000).toISOString();
    const withReads = (reads: { agent: string; at: string | null; environment: string | null }[] | undefined) =>
      model({ secrets: SNAKE_SECRETS.map((s) => (s.name === 'google_oauth' ? { ...s, ...(reads ? { reads } : {}) } : s)) });
    const lines = (reads: Parameters<typeof withReads>[0]) => (at("conv.utils.get_secret('google_o|auth')", withReads(reads))?.value ?? '').split('\n\n');
    expect(lines([{ agent: 'booking-agent', at: threeDaysAgo, environment: 'live' }])).toContain('Last read by `booking-agent` (Booking agent) 3 days ago (live).');
    expect(lines([{ agent: 'booking-agent', at: null, environment: null }])).toContain('Never read by `booking-agent` (Booking agent).');
    // Reads not known (not fetched, or of another agent): nothing said rather than a guess.
    expect(lines(undefined).some((l) => /read by/i.test(l))).toBe(false);
    expect(lines([{ agent: 'support-agent', at: threeDaysAgo, environment: null }]).some((l) => /read by/i.test(l))).toBe(false);
    // An environment is escaped like any text from outside.
    expect(lines([{ agent: 'booking-agent', at: threeDaysAgo, environment: '[x](http://e)' }])).toContain('Last read by `booking-agent` (Booking agent) 3 days ago (\\[x\\]\\(http://e\\)).');
  });

  it('names agents by id and display name, the name escaped; a secret named as real accounts name them', () => {
    const m = model({
      secrets: [{ name: 'Prod API Credentials', description: '', kind: 'kv', keys: ['client_id'], agents: ['PROJECT-DEMO0001', 'booking-agent', 'no-name-agent'] }],
      agents: [
        { id: 'PROJECT-DEMO0001', name: 'Field Service Template' },
        { id: 'booking-agent', name: '*Booking* [agent](http://x) `x`' },
        { id: 'no-name-agent', name: '' },
      ],
    });
    expect(at("conv.utils.get_secret('Prod API C|redentials')", m)).toEqual({
      range: 'Prod API Credentials',
      value: [
        '**Prod API Credentials** (key/value, 1 key)',
        'Keys: `client_id`',
        'Not sensitive (configuration; a log of it is not reported): `client_id` (by its name)',
        'Agents with access: `PROJECT-DEMO0001` (Field Service Template), `booking-agent` (\\*Booking\\* \\[agent\\]\\(http://x\\) \\`x\\`), `no-name-agent`',
        '✓ Granted to `booking-agent` (\\*Booking\\* \\[agent\\]\\(http://x\\) \\`x\\`).',
      ].join('\n\n'),
    });
  });

  it('shows invisible characters a vault held before it refused them as escapes', () => {
    const held = SNAKE_SECRETS.map((s) => (s.name === 'google_oauth' ? { ...s, description: 'OAuth\u200b client\u{e0041}' } : s));
    const value = at("conv.utils.get_secret('google_o|auth')", model({ secrets: held }))?.value ?? '';
    // Markdown-escaped as well: the backslash and the braces.
    expect(value).toContain('OAuth\\\\u200b client\\\\u\\{e0041\\}');
    expect(/[\u200b\ufeff]|\u{e0041}/u.test(value)).toBe(false);
    // The completion item's detail too.
    const d = doc("conv.utils.get_secret('goo|')");
    const item = complete(d.doc, d.result, model({ secrets: held }), d.cursor, { editRangeDefault: true, dataDefault: true })?.items.find((i) => i.label === 'google_oauth');
    expect(item?.detail).toBe('OAuth\\u200b client\\u{e0041}');
  });

  it('says when the agent of the folder has no access, and when nobody has', () => {
    expect(at("conv.utils.get_secret('google_oauth|')", model(), `${SUPPORT}/x.py`)?.value).toContain(
      '✗ Not granted to `support-agent` (Support agent).',
    );
    expect(at("conv.utils.get_secret('|twilio_auth')")?.value).toContain('No agent has access.');
  });

  it('on a key: the key, then the secret', () => {
    const h = at("creds = conv.utils.get_secret('google_oauth')\ncreds['client_s|ecret']\n");
    expect(h?.range).toBe('client_secret');
    expect(h?.value.startsWith('Key `client_secret` of **google\\_oauth**: sensitive (by its name)\n\n---\n\n**google\\_oauth**')).toBe(true);
    expect(at("conv.utils.get_secret('google_oauth')['nope|']")?.value).toMatch(/^`nope` is not a key of \*\*google\\_oauth\*\*/);
  });

  it('on an unknown name says so', () => {
    expect(at("conv.utils.get_secret('strpe|_key')")).toEqual({ range: 'strpe_key', value: '**strpe\\_key** is not in the vault.' });
  });

  it('nothing outside references, on dynamic names, or without a connected vault', () => {
    expect(at("x = 'stripe_key|'")).toBeNull();
    expect(at("conv.utils.get_secret(na|me)")).toBeNull();
    expect(at("conv.utils.get_secret('stripe_key|')", model({ connection: 'unreachable' }))).toBeNull();
    expect(at("conv.utils.get_secret('stripe_key|')", VaultModel.empty)).toBeNull();
  });

  it('works on environment reads in an environment-style account only', () => {
    const env = VaultModel.fromSnapshot(envSnapshot());
    expect(at("import os\nos.environ['X_BEARER|_TOKEN']", env)?.value).toContain('**X\\_BEARER\\_TOKEN** (single value)');
    expect(at("import os\nos.environ['X_BEARER|_TOKEN']")).toBeNull();
    expect(at("import os\nos.environ['PA|TH']", env)).toBeNull();
    expect(at("import os\nos.environ['NOPE|_TOKEN']", env)?.value).toBe('**NOPE\\_TOKEN** is not in the vault.');
  });

  it('never shows a value, even one smuggled into the snapshot', () => {
    const poisoned = snapshot({
      secrets: snapshot().secrets.map((s) => ({ ...s, value: 'sk_live_SHOULD_NOT_APPEAR' }) as typeof s),
    });
    const h = at("conv.utils.get_secret('stripe|_key')", VaultModel.fromSnapshot(poisoned));
    expect(h?.value).toContain('Stripe secret key for charging cards');
    expect(JSON.stringify(h)).not.toContain('sk_live');
  });
});
