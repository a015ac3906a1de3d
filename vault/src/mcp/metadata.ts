// The metadata tools of `secrets-vault mcp`: list_secrets, explain_secret and snippet. Everything
// they return comes from the vault's metadata listing (names, descriptions, kinds, keys, access
// lists, expiry, rotation): the API has no listing with a value in it, and no run-time path is called.

import type { NamingStyle } from '../../../protocol/names';
import type { SecretMetadata } from '../../../protocol/api';
import { secretInfoOf } from '../../../protocol/check';
import { ToolError, type McpContext } from './toolContext';

/** One secret as a model sees it. Never a value: the API returns none, and nothing here asks for one. */
export interface SecretSummary {
  name: string;
  description: string;
  kind: 'single value' | 'key/value';
  keys: string[];
  /** Whether `agent` may read it (absent when no agent applies). */
  agentMayRead?: boolean;
  expiry: string;
  rotation: string;
}

export function lifecycle(s: SecretMetadata, now: Date): { expiry: string; rotation: string } {
  const expiry =
    s.expiresAt === null || s.expiresAt === undefined
      ? 'never expires'
      : Date.parse(s.expiresAt) <= now.getTime()
        ? `expired at ${s.expiresAt}: run-time reads are refused`
        : `expires at ${s.expiresAt}`;
  let rotation = 'no rotation reminder';
  if (s.rotationDays !== null && s.rotationDays !== undefined) {
    const since = s.valueUpdatedAt ?? s.updatedAt;
    const due = Date.parse(since) + s.rotationDays * 86_400_000;
    rotation = due <= now.getTime() ? `rotation due (the value is older than ${s.rotationDays} days)` : `rotate every ${s.rotationDays} days; next due ${new Date(due).toISOString()}`;
  }
  return { expiry, rotation };
}

export function summary(s: SecretMetadata, agent: string | undefined, now: Date): SecretSummary {
  return {
    name: s.name,
    description: s.description,
    kind: s.kind === 'kv' ? 'key/value' : 'single value',
    keys: s.keys,
    ...(agent !== undefined ? { agentMayRead: s.agents.includes(agent) } : {}),
    ...lifecycle(s, now),
  };
}

/** The agent a call is about: the one given (it must exist), else the workspace's, else none. */
export async function agentFor(ctx: McpContext, given: string | undefined): Promise<string | undefined> {
  const agent = given ?? ctx.defaultAgent;
  if (agent === undefined) return undefined;
  const agents = await ctx.api.listAgents();
  if (!agents.some((a) => a.id === agent)) {
    throw new ToolError(`The vault has no agent '${agent}'. Agents: ${agents.map((a) => a.id).sort().join(', ') || 'none'}.`);
  }
  return agent;
}

export async function listSecrets(ctx: McpContext, input: { agent?: string | undefined; filter?: string | undefined }) {
  const agent = await agentFor(ctx, input.agent);
  const needle = input.filter?.toLowerCase();
  const now = new Date();
  const secrets = (await ctx.api.listSecrets())
    .filter((s) => needle === undefined || s.name.toLowerCase().includes(needle) || s.description.toLowerCase().includes(needle))
    .map((s) => summary(s, agent, now));
  return {
    agent: agent ?? null,
    secrets,
    note: 'Names and metadata only: no tool returns a secret value. Read a secret in code with the snippet tool; the value exists only at run time.',
  };
}

export async function explainSecret(ctx: McpContext, input: { name: string; agent?: string | undefined }) {
  const agent = await agentFor(ctx, input.agent);
  const all = await ctx.api.listSecrets();
  const s = all.find((x) => x.name === input.name);
  if (!s) {
    const near = all.map((x) => x.name).filter((n) => n.toLowerCase().includes(input.name.toLowerCase()) || input.name.toLowerCase().includes(n.toLowerCase()));
    throw new ToolError(`The vault has no secret '${input.name}'.${near.length ? ` Similar names: ${near.slice(0, 5).join(', ')}.` : ''} list_secrets lists them all.`);
  }
  const [who, agents] = await Promise.all([ctx.api.whoami(), ctx.api.listAgents()]);
  const usages = await usagesOf(ctx, s.name, all, who.account.namingStyle, agents.map((a) => ({ id: a.id, name: a.name })));
  return {
    ...summary(s, agent, new Date()),
    agentsGranted: s.agents,
    agent: agent ?? null,
    usages,
  };
}

/**
 * Where the workspace reads `name`, found by the check's own analysis: checked against the metadata
 * without that one secret, each read of it is an unknown-secret finding naming it.
 */
async function usagesOf(
  ctx: McpContext,
  name: string,
  all: SecretMetadata[],
  namingStyle: NamingStyle,
  agents: { id: string; name: string }[],
): Promise<{ path: string; line: number; column: number }[]> {
  const report = await ctx.engine().check({
    cwd: ctx.cwd,
    paths: [],
    exclude: ['node_modules', '.git', 'dist', '.venv', 'venv'],
    gitignore: true,
    maxFileSize: 1024 * 1024,
    metadata: { namingStyle, secrets: all.filter((s) => s.name !== name).map(secretInfoOf), agents },
    agent: null,
  });
  const quoted = `'${name}'`;
  return report.findings
    .filter((f) => f.code === 'unknown-secret' && f.message.includes(quoted))
    .slice(0, 200)
    .map((f) => ({ path: f.path, line: f.line, column: f.column }));
}

export type SnippetLanguage = 'python' | 'javascript' | 'typescript';
export type SnippetStyle = 'get_secret' | 'secret_vault' | 'os.environ' | 'process.env';

/** The code that reads `name` as this project does; kinds decide the shape (a dict's keys unpacked). */
export async function snippet(ctx: McpContext, input: { name: string; language: SnippetLanguage; style?: SnippetStyle | undefined }) {
  const [who, all] = await Promise.all([ctx.api.whoami(), ctx.api.listSecrets()]);
  const s = all.find((x) => x.name === input.name);
  if (!s) throw new ToolError(`The vault has no secret '${input.name}'; list_secrets lists them. No snippet is made for a name that does not exist.`);
  const envStyle = who.account.namingStyle === 'UPPER_CASE';
  const js = input.language !== 'python';
  const style: SnippetStyle = input.style ?? (js ? 'process.env' : envStyle ? 'os.environ' : 'get_secret');
  if (js && style !== 'process.env') throw new ToolError(`In ${input.language} a secret is read as process.env.NAME (style 'process.env').`);
  if (!js && style === 'process.env') throw new ToolError("In Python the styles are 'get_secret', 'secret_vault' and 'os.environ'.");
  if ((style === 'os.environ' || style === 'process.env') && s.kind === 'kv') {
    throw new ToolError(`'${s.name}' is a key/value secret: the runtime injects only single-value secrets as environment variables. Read it with get_secret in Python.`);
  }
  const lit = pyString(s.name);
  const variable = s.kind === 'kv' ? 'creds' : identifier(s.name);
  let code: string;
  switch (style) {
    case 'get_secret':
      code = `${variable} = conv.utils.get_secret(${lit})`;
      break;
    case 'secret_vault':
      code = `from utils.secret_vault import secret_vault\n\n${variable} = secret_vault(${lit})`;
      break;
    case 'os.environ':
      code = `import os\n\n${variable} = os.environ[${lit}]`;
      break;
    case 'process.env':
      code = /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(s.name) ? `const ${camel(s.name)} = process.env.${s.name};` : `const ${camel(s.name)} = process.env[${JSON.stringify(s.name)}];`;
      break;
  }
  if (s.kind === 'kv' && !js) code += s.keys.map((k) => `\n${identifier(k)} = ${variable}[${pyString(k)}]`).join('');
  return {
    language: input.language,
    style,
    code,
    kind: s.kind === 'kv' ? 'key/value' : 'single value',
    keys: s.keys,
    note: 'The value is read at run time by the agent; never paste a value into code, a log or the chat.',
  };
}

function pyString(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function identifier(name: string): string {
  const id = name.toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  return /^[a-z_]/.test(id) ? id : `secret_${id || 'value'}`;
}

function camel(name: string): string {
  const id = identifier(name).replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
  return id;
}
