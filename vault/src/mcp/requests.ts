// The two tools that ask for something (only with --allow-requests): request_access files an access
// request as the user, which an admin decides; propose_secret stores nothing and returns the command
// that opens the Create Secret step with the name, kind, keys, description and agents filled in and
// the value left for a person to type. No tool creates, edits, grants or deletes.

import { checkAgentId, checkSecretName } from '../../../protocol/names';
import { ToolError, type McpContext } from './toolContext';
import { signedCreateSecretLink } from './linkSignature';

export async function requestAccess(ctx: McpContext, input: { secret: string; agent: string; reason: string; keys?: string[] | undefined }) {
  const problem = checkAgentId(input.agent);
  if (problem !== undefined) throw new ToolError(`'${input.agent}' is not an agent id. ${problem}`);
  const r = await ctx.api.createAccessRequest({ secret: input.secret, agent: input.agent, reason: input.reason, ...(input.keys?.length ? { keys: input.keys } : {}) });
  if (r.outcome === 'granted') return { outcome: 'granted', message: `'${input.agent}' can already read '${input.secret}': nothing was requested.` };
  return {
    outcome: r.outcome,
    id: r.request.id,
    newSecret: r.request.newSecret,
    message: `${r.outcome === 'created' ? 'Requested' : 'Already requested'}: ${r.request.id} ('${input.agent}' on '${input.secret}'${r.request.newSecret ? ', a secret that does not exist yet' : ''}). An admin decides; nothing is granted until then.`,
  };
}

export async function proposeSecret(
  ctx: McpContext,
  input: { name: string; kind: 'single' | 'kv'; keys?: string[] | undefined; description?: string | undefined; agents?: string[] | undefined },
) {
  const [who, secrets, agents] = await Promise.all([ctx.api.whoami(), ctx.api.listSecrets(), ctx.api.listAgents()]);
  if (who.principal.type !== 'user' || who.principal.role !== 'admin') {
    throw new ToolError('Only admins create secrets. Use request_access with the new name: it asks an admin to create it.');
  }
  const nameProblem = checkSecretName(input.name, who.account.namingStyle);
  if (nameProblem !== undefined) throw new ToolError(`'${input.name}' cannot be a secret name here: ${nameProblem}`);
  if (secrets.some((s) => s.name === input.name)) throw new ToolError(`The vault already has a secret '${input.name}'; explain_secret describes it.`);
  if (input.kind === 'single' && input.keys?.length) throw new ToolError("keys are for kind 'kv' only.");
  if (input.kind === 'kv' && !input.keys?.length) throw new ToolError("kind 'kv' needs the keys the code reads.");
  const unknown = (input.agents ?? []).filter((a) => !agents.some((x) => x.id === a));
  if (unknown.length) throw new ToolError(`The vault has no agent ${unknown.map((a) => `'${a}'`).join(', ')}.`);
  const args = ['secrets-vault', 'secrets', 'create', input.name];
  if (input.description) args.push('--description', input.description);
  if (input.kind === 'kv') args.push('--kv', '--key', ...input.keys!);
  if (input.agents?.length) args.push('--agent', ...input.agents);
  const fields = { name: input.name, ...(input.agents?.[0] ? { agent: input.agents[0] } : {}), ...(input.kind === 'kv' ? { keys: input.keys! } : {}) };
  return {
    stored: false,
    command: args.map(shellQuote).join(' '),
    // Opens the editor's Create Secret form with these fields (VS Code with the extension; the value
    // is typed there), signed with the editor's session key: only the editor's own server has one.
    ...(ctx.linkKey ? { link: signedCreateSecretLink(ctx.linkKey, fields) } : {}),
    editor: {
      command: 'secretsVault.createSecret',
      arguments: [fields],
    },
    message: `Nothing was created. A person ${ctx.linkKey ? 'opens the link (valid for 10 minutes, once), ' : ''}runs the command at a terminal (it asks for the value without echo), or runs Secrets Vault: Create Secret in the editor; the value is typed there, never into the chat.`,
  };
}

function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:@=-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
