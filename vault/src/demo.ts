// Demo data: three agents (Agent Studio project ids) and realistic secrets of both kinds with least-privilege access lists.
// Values are random at seed time, so no credential-shaped string lives in the repository.

import { randomBytes } from 'node:crypto';
import type { SecretValue, NamingStyle } from '../../protocol/names';
import type { IssuedToken, SecretMetadata } from '../../protocol/api';
import { VaultApiError, type VaultApi } from '../../protocol/client';
import type { VaultService } from './service';
import type { KeyStore } from './store/types';

const rand = (n: number) => randomBytes(n).toString('base64url').slice(0, n);

interface DemoSecret {
  name: string;
  description: string;
  value: () => SecretValue;
  agents: string[];
}

/** The name of the admin key `secrets-vault demo` issues at each start, as `keys list` shows it. */
export const DEMO_ADMIN_KEY_NAME = 'Demo admin';

/**
 * The demo's agents, with Agent Studio's project ids: an agent is a project, and the demo workspace
 * (vault/demo/workspace) is the booking agent's project, whose project.yaml names this id.
 */
export const DEMO_BOOKING_AGENT = 'PROJECT-BK7QF2MA';
export const DEMO_SUPPORT_AGENT = 'PROJECT-SP4TK9WD';
export const DEMO_BILLING_AGENT = 'PROJECT-BL8NX3RC';

export const DEMO_AGENTS = [
  { id: DEMO_BOOKING_AGENT, name: 'Booking agent', description: 'Books flights and hotels for callers.' },
  { id: DEMO_SUPPORT_AGENT, name: 'Support agent', description: 'Answers support calls and opens tickets.' },
  { id: DEMO_BILLING_AGENT, name: 'Billing agent', description: 'Takes payments and issues refunds.' },
];

/** The ids earlier demo vaults gave the same agents; seedDemo moves their access to the ids above. */
const EARLIER_DEMO_AGENT_IDS: Record<string, string> = {
  'booking-agent': DEMO_BOOKING_AGENT,
  'support-agent': DEMO_SUPPORT_AGENT,
  'billing-agent': DEMO_BILLING_AGENT,
};

const BOOKING = DEMO_BOOKING_AGENT;
const SUPPORT = DEMO_SUPPORT_AGENT;
const BILLING = DEMO_BILLING_AGENT;

export const DEMO_SECRETS: DemoSecret[] = [
  { name: 'stripe_api_key', description: 'Stripe secret key for payments and refunds.', value: () => `sk_test_${rand(32)}`, agents: [BILLING] },
  {
    name: 'amadeus_flights',
    description: 'Amadeus self-service API credentials for flight search.',
    value: () => ({ client_id: rand(24), client_secret: rand(32) }),
    agents: [BOOKING],
  },
  {
    name: 'hotel_api',
    description: 'Hotel booking partner API (base URL and key).',
    value: () => ({ base_url: 'https://api.hotels.example/v2', api_key: rand(32) }),
    agents: [BOOKING],
  },
  {
    name: 'hotel_mcp_token',
    description: "Token for the hotel partner's MCP server (agent_settings/experimental_config.json).",
    value: () => `hmcp_${rand(32)}`,
    agents: [BOOKING],
  },
  {
    name: 'openai_api_key',
    description: 'OpenAI key for summarising calls.',
    value: () => `sk-proj-${rand(40)}`,
    agents: [BILLING, BOOKING, SUPPORT],
  },
  {
    name: 'zendesk',
    description: 'Zendesk API access for creating and updating tickets.',
    value: () => ({ subdomain: 'acme-support', email: 'bot@acme.example', api_token: rand(40) }),
    agents: [SUPPORT],
  },
  { name: 'sendgrid_api_key', description: 'SendGrid key for confirmation emails.', value: () => `SG.${rand(22)}.${rand(43)}`, agents: [BOOKING, SUPPORT] },
  {
    name: 'twilio',
    description: 'Twilio account for SMS confirmations.',
    value: () => ({ account_sid: `AC${randomBytes(16).toString('hex')}`, auth_token: randomBytes(16).toString('hex') }),
    agents: [SUPPORT],
  },
  { name: 'slack_webhook_url', description: 'Incoming webhook for the #ops channel.', value: () => `https://hooks.slack.example/services/${rand(24)}`, agents: [] },
];

export function demoName(name: string, style: NamingStyle): string {
  return style === 'UPPER_CASE' ? name.toUpperCase() : name;
}

/** Seeds the demo agents and secrets through the API (so audit and events record it like any change). */
export async function seedDemo(api: VaultApi, style: NamingStyle): Promise<{ agents: number; secrets: number }> {
  const existingAgents = new Set((await api.listAgents()).map((a) => a.id));
  for (const a of DEMO_AGENTS) if (!existingAgents.has(a.id)) await api.createAgent(a);
  const listed = await api.listSecrets();
  await moveEarlierAgents(api, existingAgents, listed);
  const existing = new Set(listed.map((s) => s.name));
  let secrets = 0;
  for (const s of DEMO_SECRETS) {
    const name = demoName(s.name, style);
    if (existing.has(name)) continue;
    await api.createSecret({ name, description: s.description, value: s.value(), agents: s.agents });
    secrets++;
  }
  return { agents: DEMO_AGENTS.length, secrets };
}

/**
 * A demo vault seeded before the agents had Agent Studio ids: each secret an earlier id was granted
 * gets the new id too (so that every access list a person changed there carries over), then the
 * earlier agents go.
 */
async function moveEarlierAgents(api: VaultApi, agents: ReadonlySet<string>, secrets: readonly SecretMetadata[]): Promise<void> {
  const earlier = Object.keys(EARLIER_DEMO_AGENT_IDS).filter((id) => agents.has(id));
  if (earlier.length === 0) return;
  for (const s of secrets) {
    for (const id of earlier) {
      const now = EARLIER_DEMO_AGENT_IDS[id]!;
      if (s.agents.includes(id) && !s.agents.includes(now)) await api.grant(s.name, now);
    }
  }
  for (const id of earlier) await api.deleteAgent(id);
}

/**
 * The demo secret that always expires soon, so that a newcomer sees a secret's life: the warning
 * mark and "expires in 5 days" in All Secrets, the Expires field in its edit form, `secrets list
 * --due`. No agent reads it, so nothing in the demo stops working. Each start moves its expiry
 * DEMO_EXPIRY_DAYS ahead again: a demo vault kept for weeks never holds an expired secret.
 */
export const DEMO_EXPIRING_SECRET = 'slack_webhook_url';
export const DEMO_EXPIRY_DAYS = 5;

/** Sets the expiring demo secret (when it is there) to expire DEMO_EXPIRY_DAYS from `nowMs`; returns the new expiry, or null. */
export async function refreshDemoExpiry(api: VaultApi, style: NamingStyle, nowMs = Date.now()): Promise<string | null> {
  const name = demoName(DEMO_EXPIRING_SECRET, style);
  let secret: SecretMetadata;
  try {
    secret = await api.getSecret(name);
  } catch (e) {
    if (e instanceof VaultApiError && e.status === 404) return null;
    throw e;
  }
  const expiresAt = new Date(nowMs + DEMO_EXPIRY_DAYS * 86_400_000).toISOString();
  await api.updateSecret(name, { expiresAt }, secret.version);
  return expiresAt;
}

/** Where the ids of the keys and tokens demo minted are kept, so that the next start revokes them. */
const DEMO_TOKENS_META = 'demo.tokens';

/**
 * Starts a demo session: mints a fresh admin key (only digests are stored, so an earlier key cannot
 * be shown again) and revokes every key and token earlier starts minted, all audited as `local:demo`.
 * Call `remember` with the ids of anything else this session mints (the agent token).
 */
export async function startDemoSession(
  service: VaultService,
  store: Pick<KeyStore, 'getMeta' | 'setMeta'>,
  accountId: string,
): Promise<{ admin: IssuedToken; revoked: number; remember(ids: string[]): Promise<void> }> {
  const earlier = await readDemoTokens(store);
  const admin = await service.keys.issueLocalKey(accountId, DEMO_ADMIN_KEY_NAME, 'admin', 'demo');
  // Remembered before revoking, so that a crash in between still leaves every demo key listed.
  await writeDemoTokens(store, [...earlier, admin.id]);
  let revoked = 0;
  for (const id of earlier) if ((await service.keys.revokeLocalKey(accountId, id, 'demo')) === 'revoked') revoked++;
  const mine = [admin.id];
  await writeDemoTokens(store, mine);
  return {
    admin,
    revoked,
    remember: async (ids) => {
      mine.push(...ids);
      await writeDemoTokens(store, mine);
    },
  };
}

async function readDemoTokens(store: Pick<KeyStore, 'getMeta'>): Promise<string[]> {
  const raw = await store.getMeta(DEMO_TOKENS_META);
  if (!raw) return [];
  try {
    const list: unknown = JSON.parse(raw.toString('utf8'));
    return Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

async function writeDemoTokens(store: Pick<KeyStore, 'setMeta'>, ids: string[]): Promise<void> {
  await store.setMeta(DEMO_TOKENS_META, Buffer.from(JSON.stringify(ids)));
}
