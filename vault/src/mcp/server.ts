// `secrets-vault mcp`: a Model Context Protocol server over stdio for coding assistants. It knows
// the vault's names and metadata and the workspace's reads of them, and never holds a value: no
// tool calls a run-time path (the transport refuses them), and no tool's input or output has a
// value field. Read-only unless started with --allow-requests.

import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { VaultApiError } from '../../../protocol/client';
import { ENVIRONMENT_NAME, ENVIRONMENTS } from '../../../protocol/environments';
import { safeText } from '../../../protocol/safeText';
import { checkCode, checkWorkspace, MAX_SNIPPET } from './check';
import { auditableName, credentialDigest, credentialInText } from '../nameChecks';
import { ToolError, type McpContext } from './toolContext';
import { explainSecret, listSecrets, snippet } from './metadata';
import { proposeSecret, requestAccess } from './requests';
import { accessReview } from './review';

export const MCP_SERVER_NAME = 'secrets-vault';

const agentArg = z
  .string()
  .max(128)
  .optional()
  .describe("An agent id (for example PROJECT-WEVYLLDV or booking-agent). Default: the workspace's agent (secrets-vault.json or --agent).");
const environmentArg = z
  .string()
  .regex(ENVIRONMENT_NAME)
  .optional()
  .describe(`For secret names chosen at run time by conv.env: report only the names taken in this environment (${ENVIRONMENTS.map((e) => `'${e}'`).join(', ')}); default all.`);
const languageArg = z.enum(['python', 'javascript', 'typescript']);

function ok(value: unknown): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(value, null, 2) }] };
}

function failure(e: unknown): CallToolResult {
  let text: string;
  if (e instanceof ToolError) text = e.message;
  else if (e instanceof VaultApiError) text = `The vault refused (${e.status}): ${e.problem.detail ?? e.problem.title}`;
  else text = `Failed: ${e instanceof Error ? e.message : String(e)}`;
  return { isError: true, content: [{ type: 'text', text: safeText(text) }] };
}

/** The arguments that hold a name, a key or a reason: judged by the credential detector before any use. */
const NAME_ARGS = ['name', 'secret', 'agent', 'agents', 'keys', 'reason', 'filter', 'description'] as const;

/** The first name argument that holds a credential (nameChecks.ts credentialInText), with the credential's kind. */
function credentialArg(args: unknown): { field: string; kind: string; text: string } | null {
  if (typeof args !== 'object' || args === null) return null;
  const o = args as Record<string, unknown>;
  for (const field of NAME_ARGS) {
    const v = o[field];
    for (const text of typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []) {
      const verdict = credentialInText(text);
      if (verdict !== null) return { field, kind: verdict.kind, text };
    }
  }
  return null;
}

/**
 * Every tool call: run, shape the answer, and tell the vault (audited as the user, marked as the
 * assistant). A credential passed where a name goes is refused before anything is sent: the answer
 * names the argument and the credential's kind, and the audit records the call under the
 * credential's digest, never the text.
 */
function tool<A>(ctx: McpContext, name: string, run: (args: A) => Promise<unknown>, target: (args: A) => string = () => '') {
  return async (args: A): Promise<CallToolResult> => {
    const credential = credentialArg(args);
    if (credential !== null) {
      await ctx.audit(name, credentialDigest(credential.text), 'failed').catch(() => undefined);
      return failure(
        new ToolError(
          `The ${credential.field} given is a credential (${credential.kind}), not a name: nothing was sent to the vault, and it is not repeated here. ` +
            "Pass the secret's name (list_secrets lists them), never its value; if the credential was shared, revoke it at its provider.",
        ),
      );
    }
    try {
      const result = await run(args);
      await ctx.audit(name, auditableName(target(args)), 'success');
      return ok(result);
    } catch (e) {
      await ctx.audit(name, auditableName(target(args)), 'failed').catch(() => undefined);
      return failure(e);
    }
  };
}

export function createMcpServer(ctx: McpContext, version: string): McpServer {
  const server = new McpServer(
    { name: MCP_SERVER_NAME, title: 'Secrets Vault', version },
    {
      instructions:
        "Secrets Vault knows which secrets the user's AI agents may read: names, descriptions, kinds, keys and access, never a value. " +
        'Before writing code that reads a secret, find its exact name with list_secrets and get the code from snippet; never invent a name, hard-code a credential or ask the user to paste one. ' +
        'check_code shows the problems the editor would show for a file or a piece of code.',
    },
  );
  const readOnly = { readOnlyHint: true, destructiveHint: false, openWorldHint: false };

  server.registerTool(
    'list_secrets',
    {
      title: 'List secrets',
      description:
        "Lists the vault's secrets: name, description, kind (single value or key/value), keys, expiry and rotation state, and whether the agent may read each. Never returns a value. Use it to find the exact name before writing code that reads a secret.",
      inputSchema: {
        agent: agentArg,
        filter: z.string().max(200).optional().describe('Only secrets whose name or description contains this text (case-insensitive).'),
      },
      annotations: readOnly,
    },
    tool(ctx, 'list_secrets', (a: { agent?: string | undefined; filter?: string | undefined }) => listSecrets(ctx, a), (a) => a.agent ?? ''),
  );

  server.registerTool(
    'explain_secret',
    {
      title: 'Explain a secret',
      description:
        'Everything known about one secret except its value (which no tool returns): description, kind, keys, expiry and rotation state, the agents granted, whether the agent may read it, and where the workspace reads it.',
      inputSchema: { name: z.string().min(1).max(256).describe('The exact secret name, as list_secrets gives it.'), agent: agentArg },
      annotations: readOnly,
    },
    tool(ctx, 'explain_secret', (a: { name: string; agent?: string | undefined }) => explainSecret(ctx, a), (a) => a.name),
  );

  server.registerTool(
    'check_code',
    {
      title: 'Check code',
      description:
        'The problems the editor shows for secret reads (unknown or ungranted secrets, wrong keys, bad names, hard-coded credentials, secrets reaching logs), with their codes and the titles of the quick fixes the editor offers for each (quickFixes). Give a path of the workspace (a file or folder), or code with its language. A hard-coded credential is reported by its kind and line, never repeated.',
      inputSchema: {
        path: z.string().min(1).max(4096).optional().describe('A file or folder, relative to the workspace.'),
        code: z.string().max(MAX_SNIPPET).optional().describe('Code to check instead of a path (a function or a file).'),
        language: languageArg.optional().describe('The language of code: python, javascript or typescript.'),
        agent: agentArg,
        environment: environmentArg,
      },
      annotations: readOnly,
    },
    tool(ctx, 'check_code', (a: Parameters<typeof checkCode>[1]) => checkCode(ctx, a), (a) => a.path ?? '(code)'),
  );

  server.registerTool(
    'check_workspace',
    {
      title: 'Check the workspace',
      description: 'A summary of the problems the editor finds in the whole workspace: counts by severity and code, and the files with most findings.',
      inputSchema: { agent: agentArg, environment: environmentArg },
      annotations: readOnly,
    },
    tool(ctx, 'check_workspace', (a: { agent?: string | undefined; environment?: string | undefined }) => checkWorkspace(ctx, a)),
  );

  server.registerTool(
    'access_review',
    {
      title: 'Review access',
      description:
        "Least privilege for the workspace's agents: for each agent (an ADK project by its project.yaml, or the agent a secrets-vault.json names), the grants its code needs but lacks (missing, with where the code reads them), the grants it has but no code reads (unused, with the last run-time read), names the vault lacks (unknown), reads whose name cannot be told (dynamicReads), and secrets no code needs that no agent read for staleDays days (stale). Names, agents, times and places only; never a value; changes nothing.",
      inputSchema: {
        path: z.string().min(1).max(4096).optional().describe('A folder or file of the workspace to review (default: all of it).'),
        agent: z.string().max(128).optional().describe("Review every file as this agent (default: each project's own)."),
        staleDays: z.number().int().min(0).max(36_500).optional().describe('Days without a read after which an unneeded secret is stale (default 90).'),
      },
      annotations: readOnly,
    },
    tool(ctx, 'access_review', (a: { path?: string | undefined; agent?: string | undefined; staleDays?: number | undefined }) => accessReview(ctx, a), (a) => a.path ?? a.agent ?? ''),
  );

  server.registerTool(
    'snippet',
    {
      title: 'Code that reads a secret',
      description:
        "The exact code that reads a secret in this project's style: conv.utils.get_secret('name') (Agent Studio), secret_vault('name') (ADK utils), os.environ['NAME'] or process.env.NAME (environment-style accounts). A key/value secret's keys are unpacked. The value is read at run time; the code never contains it.",
      inputSchema: {
        name: z.string().min(1).max(256).describe('The exact secret name, as list_secrets gives it.'),
        language: languageArg.describe('python, javascript or typescript.'),
        style: z.enum(['get_secret', 'secret_vault', 'os.environ', 'process.env']).optional().describe("Default: get_secret in Python (os.environ in environment-style accounts), process.env in JavaScript and TypeScript."),
      },
      annotations: readOnly,
    },
    tool(ctx, 'snippet', (a: Parameters<typeof snippet>[1]) => snippet(ctx, a), (a) => a.name),
  );

  if (ctx.allowRequests) {
    server.registerTool(
      'request_access',
      {
        title: 'Request access',
        description:
          "Files an access request as the user: asks an admin to let an agent read a secret (or to create a secret that does not exist yet). Grants nothing by itself; an admin approves or denies. Never put a value in the reason.",
        inputSchema: {
          secret: z.string().min(1).max(256).describe('The secret name.'),
          agent: z.string().min(1).max(128).describe('The agent that needs it.'),
          reason: z.string().min(1).max(500).describe('Why the agent needs it, for the admin (at most 500 characters; no value).'),
          keys: z.array(z.string().min(1).max(128)).max(64).optional().describe('For a secret that does not exist yet: the keys the code reads.'),
        },
        annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
      },
      tool(ctx, 'request_access', (a: Parameters<typeof requestAccess>[1]) => requestAccess(ctx, a), (a) => a.secret),
    );
  }
  // propose_secret stores nothing: the editor's own server (which holds a link key) offers it too.
  if (ctx.allowRequests || ctx.linkKey) {
    server.registerTool(
      'propose_secret',
      {
        title: 'Propose a secret',
        description:
          'For admins: prepares the creation of a secret without creating it. Returns the command a person runs (it asks for the value without echo), the editor command, and (from the editor\'s own server) a signed one-time link that opens the Create Secret form prefilled with the name, agent and keys. It has no value field: the value is typed by a person, never into the chat.',
        inputSchema: {
          name: z.string().min(1).max(256).describe('The new secret name, in the account naming style.'),
          kind: z.enum(['single', 'kv']).describe("'single' for one value, 'kv' for key/value pairs."),
          keys: z.array(z.string().min(1).max(128)).max(64).optional().describe("For kind 'kv': the keys."),
          description: z.string().max(500).optional().describe('What it is for.'),
          agents: z.array(z.string().min(1).max(128)).max(64).optional().describe('Agents to grant once created.'),
        },
        annotations: { readOnlyHint: true, destructiveHint: false, openWorldHint: false },
      },
      tool(ctx, 'propose_secret', (a: Parameters<typeof proposeSecret>[1]) => proposeSecret(ctx, a), (a) => a.name),
    );
  }
  return server;
}

/** Serves over stdin/stdout until the client closes the stream. Nothing else may write to stdout. */
export async function runStdio(server: McpServer): Promise<void> {
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    process.stdin.on('end', () => resolve());
  });
  await server.connect(transport);
  await closed;
  await server.close();
}
