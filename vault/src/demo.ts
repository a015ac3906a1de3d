// Demo data: three agents and realistic secrets of both kinds with least-privilege access lists.
// Values are random at seed time, so no credential-shaped string lives in the repository.

import { randomBytes } from 'node:crypto';
import type { SecretValue, NamingStyle } from '../../protocol/names';
import type { VaultApi } from '../../protocol/client';

const rand = (n: number) => randomBytes(n).toString('base64url').slice(0, n);

interface DemoSecret {
  name: string;
  description: string;
  value: () => SecretValue;
  agents: string[];
}

/** The name of the admin key `secrets-vault demo` issues at each start, as `keys list` shows it. */
export const DEMO_ADMIN_KEY_NAME = 'Demo admin';

export const DEMO_AGENTS = [
  { id: 'booking-agent', name: 'Booking agent', description: 'Books flights and hotels for callers.' },
  { id: 'support-agent', name: 'Support agent', description: 'Answers support calls and opens tickets.' },
  { id: 'billing-agent', name: 'Billing agent', description: 'Takes payments and issues refunds.' },
];

export const DEMO_SECRETS: DemoSecret[] = [
  { name: 'stripe_api_key', description: 'Stripe secret key for payments and refunds.', value: () => `sk_test_${rand(32)}`, agents: ['billing-agent'] },
  {
    name: 'amadeus_flights',
    description: 'Amadeus self-service API credentials for flight search.',
    value: () => ({ client_id: rand(24), client_secret: rand(32) }),
    agents: ['booking-agent'],
  },
  {
    name: 'hotel_api',
    description: 'Hotel booking partner API (base URL and key).',
    value: () => ({ base_url: 'https://api.hotels.example/v2', api_key: rand(32) }),
    agents: ['booking-agent'],
  },
  {
    name: 'openai_api_key',
    description: 'OpenAI key for summarising calls.',
    value: () => `sk-proj-${rand(40)}`,
    agents: ['billing-agent', 'booking-agent', 'support-agent'],
  },
  {
    name: 'zendesk',
    description: 'Zendesk API access for creating and updating tickets.',
    value: () => ({ subdomain: 'acme-support', email: 'bot@acme.example', api_token: rand(40) }),
    agents: ['support-agent'],
  },
  { name: 'sendgrid_api_key', description: 'SendGrid key for confirmation emails.', value: () => `SG.${rand(22)}.${rand(43)}`, agents: ['booking-agent', 'support-agent'] },
  {
    name: 'twilio',
    description: 'Twilio account for SMS confirmations.',
    value: () => ({ account_sid: `AC${randomBytes(16).toString('hex')}`, auth_token: randomBytes(16).toString('hex') }),
    agents: ['support-agent'],
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
  const existing = new Set((await api.listSecrets()).map((s) => s.name));
  let secrets = 0;
  for (const s of DEMO_SECRETS) {
    const name = demoName(s.name, style);
    if (existing.has(name)) continue;
    await api.createSecret({ name, description: s.description, value: s.value(), agents: s.agents });
    secrets++;
  }
  return { agents: DEMO_AGENTS.length, secrets };
}
