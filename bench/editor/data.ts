// The editor bench's data, generated from a seed so that every run measures the same vault and
// workspace: 10,000 secrets (3,072 granted to the agent, 2,500 key/value) and 500 Python files with
// 20 references each, of which 5 per file are problems (3 not granted, 1 unknown name, 1 unknown key).

import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const AGENT = 'booking-agent';
export const OTHER_AGENTS = ['support-agent', 'billing-agent', 'ops-agent', 'sales-agent', 'hr-agent', 'legal-agent', 'data-agent'];
export const SECRETS = 10_000;
export const GRANTED = 3_072;
export const KV = 2_500;
export const FILES = 500;
export const REFS_PER_FILE = 20;
/** Per file: 3 references to secrets not granted to the agent, 1 misspelt name, 1 unknown key. */
export const PROBLEMS_PER_FILE = 5;
/**
 * A plain identifier in every file, for the editor's own word completion: the only word of the file
 * that starts with `y` (no vendor, key or Python word does), so it is the first row after `y`.
 */
export const PLAIN_WORD = 'yearly_quota_limit';

/** mulberry32: small, fast, deterministic. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VENDORS = [
  'stripe', 'strava', 'streamlabs', 'amadeus', 'hotel', 'openai', 'zendesk', 'sendgrid', 'twilio', 'slack',
  'github', 'gitlab', 'aws', 'azure', 'gcp', 'datadog', 'sentry', 'pagerduty', 'mailgun', 'postmark',
  'hubspot', 'salesforce', 'shopify', 'paypal', 'adyen', 'plaid', 'okta', 'auth0', 'segment', 'mixpanel',
  'algolia', 'elastic', 'redis', 'mongo', 'postgres', 'snowflake', 'bigquery', 'airtable', 'notion', 'jira',
  'dropbox', 'docusign', 'intercom', 'freshdesk', 'square', 'braintree', 'klarna', 'xero', 'quickbooks', 'expedia',
  // Two more `st…` vendors, so that the list for `st` does not already look like the one for `str`.
  'stackoverflow', 'statuspage',
];
const SINGLE_PURPOSES = ['api_key', 'token', 'webhook_secret', 'signing_key', 'password', 'dsn', 'access_key', 'bearer_token'];
const KV_PURPOSES = ['oauth', 'client', 'credentials', 'account', 'service_account', 'login'];
const KEY_POOL = ['client_id', 'client_secret', 'api_key', 'base_url', 'username', 'password', 'account_sid', 'auth_token', 'region', 'tenant_id'];
const ENVS = ['production', 'staging', 'EU region', 'US region', 'sandbox', 'the nightly jobs'];

export interface GeneratedSecret {
  name: string;
  description: string;
  kind: 'single' | 'kv';
  keys: string[];
  agents: string[];
}

function shuffle<T>(items: T[], rand: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

const pick = <T>(items: readonly T[], rand: () => number): T => items[Math.floor(rand() * items.length)]!;

export function generateSecrets(seed = 13): GeneratedSecret[] {
  const rand = prng(seed);
  const order = shuffle([...Array(SECRETS).keys()], rand);
  const kv = new Set(order.slice(0, KV));
  const granted = new Set(shuffle([...Array(SECRETS).keys()], rand).slice(0, GRANTED));
  const out: GeneratedSecret[] = [];
  for (let i = 0; i < SECRETS; i++) {
    const vendor = pick(VENDORS, rand);
    const isKv = kv.has(i);
    const purpose = pick(isKv ? KV_PURPOSES : SINGLE_PURPOSES, rand);
    const keys = isKv ? shuffle([...KEY_POOL], rand).slice(0, 2 + Math.floor(rand() * 3)).sort() : [];
    const agents = OTHER_AGENTS.filter(() => rand() < 0.2);
    if (granted.has(i)) agents.push(AGENT);
    out.push({
      name: `${vendor}_${purpose}_${String(i).padStart(4, '0')}`,
      description: `${vendor[0]!.toUpperCase()}${vendor.slice(1)} ${purpose.replace(/_/g, ' ')} for ${pick(ENVS, rand)}.`,
      kind: isKv ? 'kv' : 'single',
      keys,
      agents: agents.sort(),
    });
  }
  return out;
}

/** A value of the secret's shape; random, since no value is ever read back by the bench. */
export function valueOf(secret: GeneratedSecret, rand: () => number): string | Record<string, string> {
  const token = () => Array.from({ length: 32 }, () => 'abcdefghijklmnopqrstuvwxyz0123456789'[Math.floor(rand() * 36)]).join('');
  return secret.kind === 'kv' ? Object.fromEntries(secret.keys.map((k) => [k, token()])) : `sk_${token()}`;
}

export interface GeneratedWorkspace {
  files: string[];
  /** The file the completion triggers type into (relative to the workspace). */
  triggerFile: string;
  /**
   * The same text in a language no extension completes (Ruby: a grammar, no provider), for the
   * editor's own word completion: in a Python file it waits for our server's answer first.
   */
  plainFile: string;
  expectedProblems: number;
}

/** Writes the 500 files under `dir/functions/`, plus secrets-vault.json; returns what a run expects. */
export function writeWorkspace(dir: string, secrets: GeneratedSecret[], vaultUrl: string, seed = 29): GeneratedWorkspace {
  const rand = prng(seed);
  const granted = secrets.filter((s) => s.agents.includes(AGENT));
  const notGranted = secrets.filter((s) => !s.agents.includes(AGENT));
  const grantedKv = granted.filter((s) => s.kind === 'kv');
  const files: string[] = [];
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'secrets-vault.json'), `${JSON.stringify({ vault: vaultUrl, agent: AGENT }, null, 2)}\n`);
  for (let f = 0; f < FILES; f++) {
    const rel = `functions/group_${String(Math.floor(f / 20)).padStart(2, '0')}/module_${String(f).padStart(3, '0')}.py`;
    const refs: string[] = [];
    const ref = (s: GeneratedSecret, name = s.name, key?: string) => {
      const k = key ?? (s.kind === 'kv' ? pick(s.keys, rand) : undefined);
      return `conv.utils.get_secret('${name}')${k === undefined ? '' : `['${k}']`}`;
    };
    for (let i = 0; i < REFS_PER_FILE - PROBLEMS_PER_FILE; i++) refs.push(ref(pick(granted, rand)));
    for (let i = 0; i < 3; i++) refs.push(ref(pick(notGranted, rand)));
    // A misspelt name: every real name ends in four digits, so a trailing letter is never one.
    const typo = pick(granted, rand);
    refs.push(ref(typo, `${typo.name}x`));
    refs.push(ref(pick(grantedKv, rand), undefined, 'no_such_key'));
    shuffle(refs, rand);
    const lines = [`"""Agent functions generated for the editor benchmark (module ${f})."""`, 'from conv import utils', ''];
    for (let fn = 0; fn < 4; fn++) {
      lines.push('', `def handle_${f}_${fn}(conv, request):`, `    ${PLAIN_WORD} = ${30 + fn}`);
      for (let r = 0; r < 5; r++) lines.push(`    value_${r} = ${refs[fn * 5 + r]!}`);
      lines.push(`    return ${PLAIN_WORD}`);
    }
    lines.push('');
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), `${lines.join('\n')}\n`);
    files.push(rel);
  }
  writeFileSync(
    path.join(dir, 'README.md'),
    '# Editor bench workspace\n\nGenerated by bench/editor.ts: 500 modules, 20 references each, 5 problems each.\n',
  );
  const plainFile = 'notes/plain_words.rb';
  mkdirSync(path.join(dir, 'notes'), { recursive: true });
  copyFileSync(path.join(dir, files[0]!), path.join(dir, plainFile));
  return { files, triggerFile: files[0]!, plainFile, expectedProblems: FILES * PROBLEMS_PER_FILE };
}

/** Lines of the very large module (about 6 MB): a generated file a project may hold, opened once the rest is measured. */
export const LARGE_FILE_LINES = 200_000;

/**
 * Writes a module of LARGE_FILE_LINES lines of agent functions reading granted secrets (no problems,
 * so the Problems count stays the workspace's), ending with an empty line for the triggers; returns
 * its path relative to `dir` and its size. Past the workspace index's size limit, it is analysed
 * only when open.
 */
export function writeLargeFile(dir: string, secrets: GeneratedSecret[], seed = 31): { file: string; bytes: number } {
  const rand = prng(seed);
  const granted = secrets.filter((s) => s.agents.includes(AGENT) && s.kind === 'single');
  const lines = [`"""A generated module of ${LARGE_FILE_LINES.toLocaleString('en-US')} lines for the editor benchmark."""`, 'from conv import utils', ''];
  for (let fn = 0; lines.length < LARGE_FILE_LINES - 8; fn++) {
    lines.push(`def handle_${fn}(conv, request):`, `    ${PLAIN_WORD} = ${fn % 97}`, `    key = conv.utils.get_secret('${pick(granted, rand).name}')`);
    lines.push(`    total = request.amount * ${fn % 13} + request.fee * 0.25 + request.tax`, '    if total > 100:', '        return key, total', `    return ${PLAIN_WORD}`, '');
  }
  const text = `${lines.join('\n')}\n`;
  const file = 'large/generated_functions.py';
  mkdirSync(path.join(dir, 'large'), { recursive: true });
  writeFileSync(path.join(dir, file), text);
  return { file, bytes: Buffer.byteLength(text) };
}
