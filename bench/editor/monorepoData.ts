// The editor bench's monorepo data, generated from a seed so that every run measures the same vault
// and repository: 200 Agent Studio projects (ADK layout, `poly pull`'s shape) at depths of one to
// three folders, 50 function files each (10,000 files), one agent per project (200 agents), and
// 10,000 secrets granted across them. Every file reads secrets its project's agent has and one it
// lacks, so that each file has exactly one problem (not-granted) when, and only when, the file is
// checked as its own project's agent.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PLAIN_WORD, prng } from './data';

export const PROJECTS = 200;
export const FILES_PER_PROJECT = 50;
export const SECRETS = 10_000;
export const KV = 2_500;
/** References per file: GRANTED_REFS to secrets the project's agent has, then one it lacks. */
export const GRANTED_REFS = 6;
export const REFS_PER_FILE = GRANTED_REFS + 1;
/** Per file: one reference to a secret not granted to the project's agent. */
export const PROBLEMS_PER_FILE = 1;
/** The project the editor works in (its files are opened, completion is measured there). */
export const ACTIVE_PROJECT = 100;
export const HEADER = 'from _gen import *  # <AUTO GENERATED>';

export interface MonorepoAgent {
  id: string;
  name: string;
}

export interface MonorepoSecret {
  name: string;
  description: string;
  kind: 'single' | 'kv';
  keys: string[];
  agents: string[];
}

export interface MonorepoProject {
  agent: MonorepoAgent;
  /** The project's folder, relative to the repository, with '/' separators. */
  root: string;
  /** Its function files, relative to the repository. */
  files: string[];
}

export interface Monorepo {
  agents: MonorepoAgent[];
  secrets: MonorepoSecret[];
  projects: MonorepoProject[];
}

const pick = <T>(items: readonly T[], rand: () => number): T => items[Math.floor(rand() * items.length)]!;

function shuffle<T>(items: T[], rand: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

const VENDORS = [
  'stripe', 'strava', 'streamlabs', 'amadeus', 'hotel', 'openai', 'zendesk', 'sendgrid', 'twilio', 'slack',
  'github', 'gitlab', 'aws', 'azure', 'gcp', 'datadog', 'sentry', 'pagerduty', 'mailgun', 'postmark',
  'hubspot', 'salesforce', 'shopify', 'paypal', 'adyen', 'plaid', 'okta', 'auth0', 'segment', 'mixpanel',
  'algolia', 'elastic', 'redis', 'mongo', 'postgres', 'snowflake', 'bigquery', 'airtable', 'notion', 'jira',
  'dropbox', 'docusign', 'intercom', 'freshdesk', 'square', 'braintree', 'klarna', 'xero', 'quickbooks', 'expedia',
  'stackoverflow', 'statuspage',
];
const SINGLE_PURPOSES = ['api_key', 'token', 'webhook_secret', 'signing_key', 'password', 'dsn', 'access_key', 'bearer_token'];
const KV_PURPOSES = ['oauth', 'client', 'credentials', 'account', 'service_account', 'login'];
const KEY_POOL = ['client_id', 'client_secret', 'api_key', 'base_url', 'username', 'password', 'account_sid', 'auth_token', 'region', 'tenant_id'];
const TEAMS = ['Booking', 'Support', 'Billing', 'Claims', 'Returns', 'Scheduling', 'Sales', 'Onboarding', 'Collections', 'Dispatch'];
const MARKETS = ['UK', 'US', 'EU', 'APAC', 'LATAM'];
const ACCOUNTS = ['acme-eu', 'acme-us', 'acme-uk'];
const GROUPS = ['retail', 'travel', 'finance', 'health'];
// Function names: verb_noun, then the project and file number so that every file's name is unique
// in the repository (Quick Open finds the one the bench means). No word starts with `y`: the plain
// word the editor's own completion is timed on must be the only one.
const VERBS = ['book', 'cancel', 'check', 'confirm', 'fetch', 'find', 'hold', 'lookup', 'notify', 'quote', 'refund', 'route', 'send', 'sync', 'update', 'verify'];
const NOUNS = ['order', 'ticket', 'room', 'flight', 'payment', 'account', 'address', 'balance', 'claim', 'delivery', 'invoice', 'slot', 'refund', 'member'];
const ID_CHARS = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** Files of a project: lifecycle and global functions, then two flows' transition functions and steps. */
const LAYOUT: ReadonlyArray<{ folder: string; count: number; kind: 'lifecycle' | 'global' | 'flowFunction' | 'step' }> = [
  { folder: 'functions', count: 2, kind: 'lifecycle' },
  { folder: 'functions', count: 28, kind: 'global' },
  { folder: 'flows/main_flow/functions', count: 8, kind: 'flowFunction' },
  { folder: 'flows/main_flow/function_steps', count: 4, kind: 'step' },
  { folder: 'flows/escalation/functions', count: 6, kind: 'flowFunction' },
  { folder: 'flows/escalation/function_steps', count: 2, kind: 'step' },
];

function projectRoot(p: number, agent: MonorepoAgent): string {
  const slug = `${agent.name.toLowerCase().replace(/[^a-z0-9]+/g, '_')}`;
  // Three layouts, as repositories keep them: `poly init`'s {account}/{project_id}/, one project per
  // top-level folder, and deeper groups.
  if (p % 3 === 0) return `${ACCOUNTS[p % ACCOUNTS.length]}/${agent.id}`;
  if (p % 3 === 1) return `agents/${GROUPS[p % GROUPS.length]}/${slug}`;
  return slug;
}

export function generateMonorepo(seed = 41): Monorepo {
  const rand = prng(seed);
  const ids = new Set<string>();
  const agents: MonorepoAgent[] = [];
  for (let p = 0; p < PROJECTS; p++) {
    let id: string;
    do id = `PROJECT-${Array.from({ length: 8 }, () => pick([...ID_CHARS], rand)).join('')}`;
    while (ids.has(id));
    ids.add(id);
    agents.push({ id, name: `${TEAMS[p % TEAMS.length]} agent ${MARKETS[Math.floor(p / TEAMS.length) % MARKETS.length]} ${String(p).padStart(3, '0')}` });
  }
  const kv = new Set(shuffle([...Array(SECRETS).keys()], rand).slice(0, KV));
  const secrets: MonorepoSecret[] = [];
  for (let i = 0; i < SECRETS; i++) {
    const vendor = pick(VENDORS, rand);
    const isKv = kv.has(i);
    const purpose = pick(isKv ? KV_PURPOSES : SINGLE_PURPOSES, rand);
    const keys = isKv ? shuffle([...KEY_POOL], rand).slice(0, 2 + Math.floor(rand() * 3)).sort() : [];
    // Every agent holds 50 secrets of its own; some secrets are shared with one or two more.
    const holders = new Set([agents[i % PROJECTS]!.id]);
    if (rand() < 0.3) holders.add(pick(agents, rand).id);
    if (rand() < 0.1) holders.add(pick(agents, rand).id);
    secrets.push({
      name: `${vendor}_${purpose}_${String(i).padStart(4, '0')}`,
      description: `${vendor[0]!.toUpperCase()}${vendor.slice(1)} ${purpose.replace(/_/g, ' ')}.`,
      kind: isKv ? 'kv' : 'single',
      keys,
      agents: [...holders].sort(),
    });
  }
  const projects = agents.map((agent, p): MonorepoProject => {
    const root = projectRoot(p, agent);
    const files: string[] = [];
    let n = 0;
    for (const group of LAYOUT) {
      for (let i = 0; i < group.count; i++, n++) {
        const name = group.kind === 'lifecycle' ? (i === 0 ? 'start_function' : 'end_function') : `${VERBS[(n * 7 + p) % VERBS.length]}_${NOUNS[(n * 5 + p) % NOUNS.length]}_${String(p).padStart(3, '0')}${String(n).padStart(2, '0')}`;
        files.push(`${root}/${group.folder}/${name}.py`);
      }
    }
    return { agent, root, files };
  });
  return { agents, secrets, projects };
}

export interface WrittenMonorepo {
  /** Every function file, relative to the repository. */
  files: string[];
  /** The active project's file the completion triggers type into. */
  triggerFile: string;
  /** A Ruby copy of it (no provider of ours) in the same project, for the editor's own word completion. */
  plainFile: string;
  /** The active project's agent and the first secret its Secrets view lists (names sorted). */
  activeAgent: string;
  activeFirstSecret: string;
  expectedProblems: number;
  /** Per file, the one secret read there that its project's agent lacks. */
  notGranted: Map<string, string>;
}

function kindOf(file: string): 'lifecycle' | 'global' | 'flowFunction' | 'step' {
  if (/\/functions\/(start|end)_function\.py$/.test(file) && !file.includes('/flows/')) return 'lifecycle';
  if (file.includes('/function_steps/')) return 'step';
  if (file.includes('/flows/')) return 'flowFunction';
  return 'global';
}

/**
 * Writes the repository under `dir`: each project's project.yaml, function files, a flow's config,
 * agent_settings/experimental_config.json naming one of its agent's secrets, and a `_gen/` as pull
 * leaves it (stubs and the base64 status file holding a copy of every function). At the root, a
 * secrets-vault.json with the vault URL only (the agents come from the projects).
 */
export function writeMonorepo(dir: string, repo: Monorepo, vaultUrl: string, seed = 43): WrittenMonorepo {
  const rand = prng(seed);
  const byAgent = new Map<string, MonorepoSecret[]>();
  for (const s of repo.secrets) for (const a of s.agents) (byAgent.get(a) ?? byAgent.set(a, []).get(a)!).push(s);
  const files: string[] = [];
  const notGranted = new Map<string, string>();
  const write = (rel: string, text: string) => {
    const abs = path.join(dir, rel);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, text);
  };
  mkdirSync(dir, { recursive: true });
  write('secrets-vault.json', `${JSON.stringify({ vault: vaultUrl }, null, 2)}\n`);
  write('README.md', `# Editor bench monorepo\n\nGenerated by bench/editor.ts: ${PROJECTS} ADK projects, ${FILES_PER_PROJECT} function files each.\n`);
  for (const [p, project] of repo.projects.entries()) {
    const granted = byAgent.get(project.agent.id) ?? [];
    const singles = granted.filter((s) => s.kind === 'single');
    write(
      `${project.root}/project.yaml`,
      `project_id: ${project.agent.id}\naccount_id: ${ACCOUNTS[p % ACCOUNTS.length]}\nregion: euw-1\nproject_name: ${project.agent.name}\n`,
    );
    write(`${project.root}/flows/main_flow/flow_config.yaml`, 'name: Main flow\ndescription: The main task of the agent.\nstart_step: Start\n');
    write(`${project.root}/flows/escalation/flow_config.yaml`, 'name: Escalation\ndescription: Hands the caller over when the task fails.\nstart_step: Start\n');
    const mcp = singles.length > 0 ? pick(singles, rand).name : undefined;
    write(
      `${project.root}/agent_settings/experimental_config.json`,
      `${JSON.stringify(mcp ? { llm: { mcp_servers: [{ url: 'https://mcp.example/v1/mcp', auth: { header: 'X-Api-Key', secret_name: mcp } }] } } : {}, null, 2)}\n`,
    );
    const copies: Record<string, { code: string }> = {};
    for (const file of project.files) {
      const name = path.basename(file, '.py');
      const kind = kindOf(file);
      const own = new Set(granted.map((s) => s.name));
      let lacking: MonorepoSecret;
      do lacking = pick(repo.secrets, rand);
      while (own.has(lacking.name));
      const refs = Array.from({ length: GRANTED_REFS }, () => pick(granted, rand));
      refs.splice(Math.floor(rand() * (refs.length + 1)), 0, lacking);
      notGranted.set(file, lacking.name);
      const signature =
        kind === 'lifecycle' ? 'conv: Conversation' : kind === 'step' ? 'conv: Conversation, flow: Flow' : kind === 'flowFunction' ? 'conv: Conversation, flow: Flow, request: str' : 'conv: Conversation, request: str';
      const lines = [HEADER, '', '', `def ${name}(${signature}):`, `    ${PLAIN_WORD} = ${30 + (files.length % 7)}`];
      refs.forEach((s, r) => {
        const key = s.kind === 'kv' ? `['${pick(s.keys, rand)}']` : '';
        lines.push(`    value_${r} = conv.utils.get_secret('${s.name}')${key}`);
      });
      lines.push(`    return ${PLAIN_WORD}`, '');
      const text = `${lines.join('\n')}\n`;
      write(file, text);
      copies[file.slice(project.root.length + 1)] = { code: text };
      files.push(file);
    }
    write(`${project.root}/_gen/__init__.py`, '# <AUTO GENERATED>\nclass Conversation: ...\n\n\nclass Flow: ...\n');
    const status = { project_name: project.agent.name, branch_id: 'main', resources: { functions: copies } };
    write(`${project.root}/_gen/.agent_studio_config`, Buffer.from(JSON.stringify(status)).toString('base64'));
  }
  const active = repo.projects[ACTIVE_PROJECT]!;
  const triggerFile = active.files.find((f) => kindOf(f) === 'global')!;
  // Inside the active project, so that moving between the two editors never changes the agent (the
  // Secrets view follows the active editor's project): the peer measures completion, not a switch.
  const plainFile = `${active.root}/notes/plain_words.rb`;
  write(plainFile, readFileSync(path.join(dir, triggerFile), 'utf8'));
  return {
    files,
    triggerFile,
    plainFile,
    activeAgent: active.agent.id,
    activeFirstSecret: firstSecretOf(repo, active.agent.id),
    expectedProblems: files.length * PROBLEMS_PER_FILE,
    notGranted,
  };
}

/** The first name the Secrets view lists for `agent` (names sorted by code unit, as the view sorts them). */
export function firstSecretOf(repo: Monorepo, agent: string): string {
  return repo.secrets
    .filter((s) => s.agents.includes(agent))
    .map((s) => s.name)
    .sort()[0]!;
}
