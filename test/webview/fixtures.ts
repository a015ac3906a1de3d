// Form data as the host would send it: a small account with five agents.

import type { SecretMetadata } from '../../protocol/api';
import type { AccessFormData, AgentOption, CreateFormData, EditFormData, HostToWebview } from '../../protocol/webview';

export const AGENTS: AgentOption[] = [
  { id: 'support-bot', name: 'Support bot' },
  { id: 'billing-bot', name: 'Billing bot' },
  { id: 'billing-reports', name: 'Billing reports' },
  { id: 'onboarding', name: 'Onboarding assistant' },
  { id: 'research', name: 'research' },
];

export function createData(over: Partial<CreateFormData> = {}): CreateFormData {
  return {
    form: 'create',
    namingStyle: 'snake_case',
    agents: AGENTS,
    existingNames: ['stripe_api_key', 'openai_key', 'crm_oauth'],
    currentAgent: 'support-bot',
    prefill: {},
    ...over,
  };
}

export function secret(over: Partial<SecretMetadata> = {}): SecretMetadata {
  return {
    name: 'stripe_api_key',
    description: 'Stripe live key for refunds',
    kind: 'single',
    keys: [],
    agents: ['billing-bot'],
    version: 3,
    createdAt: '2026-11-01T09:00:00.000Z',
    updatedAt: '2026-11-20T10:30:00.000Z',
    updatedBy: 'alice',
    ...over,
  };
}

export const CRM = secret({
  name: 'crm_oauth',
  description: 'CRM OAuth client',
  kind: 'kv',
  keys: ['client_id', 'client_secret'],
  agents: ['billing-bot', 'support-bot'],
  version: 7,
});

export function editData(s: SecretMetadata = secret()): EditFormData {
  return { form: 'edit', namingStyle: 'snake_case', secret: s };
}

export function accessData(s: SecretMetadata = CRM, over: Partial<AccessFormData> = {}): AccessFormData {
  return { form: 'access', namingStyle: 'snake_case', agents: AGENTS, currentAgent: 'support-bot', secret: s, ...over };
}

export function init(data: CreateFormData | EditFormData | AccessFormData): HostToWebview {
  return { type: 'init', data };
}
