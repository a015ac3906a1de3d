// The header an assistant's tool server (secrets-vault mcp) sends with every request, so that the
// vault's audit says which assistant acted for the user: `mcp/<client name>`.

export const ASSISTANT_CLIENT_HEADER = 'x-secrets-vault-client';

/** At most this many characters; longer values are refused. */
export const ASSISTANT_CLIENT_MAX = 80;

const CLIENT_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._\/@+-]*$/;

/** Why `value` is not an acceptable client marker, or undefined when it is one. */
export function assistantClientProblem(value: string): string | undefined {
  if (value.length === 0 || value.length > ASSISTANT_CLIENT_MAX) return `The ${ASSISTANT_CLIENT_HEADER} header is 1 to ${ASSISTANT_CLIENT_MAX} characters.`;
  if (!CLIENT_PATTERN.test(value)) return `The ${ASSISTANT_CLIENT_HEADER} header is letters, digits and . _ / @ + - only.`;
  return undefined;
}

/** The marker for an MCP client's self-reported name: unsafe characters dropped, length capped. */
export function mcpClientMarker(clientName: string | undefined): string {
  const name = (clientName ?? '').replace(/[^A-Za-z0-9._@+-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '').slice(0, ASSISTANT_CLIENT_MAX - 4);
  return `mcp/${name || 'unknown'}`;
}

/** The extension's id: its URI handler answers `vscode://secrets-vault.secrets-vault/…`. */
export const EXTENSION_ID = 'secrets-vault.secrets-vault';
export const CREATE_SECRET_LINK_PATH = '/create-secret';

/** What a Create Secret link fills in: never a value. */
export interface CreateSecretLink {
  name: string;
  agent?: string;
  keys?: string[];
}

/**
 * What makes a link the extension's own. The extension draws a signing key per session and hands
 * it to the Secrets Vault server it runs for the editor's assistants (in that process's environment,
 * `CREATE_SECRET_LINK_KEY_ENV`); propose_secret signs the link's fields, a random nonce and the time
 * with HMAC-SHA256 under it (`sig`). The editor fills the form in only from a link whose signature
 * it verifies, made less than `CREATE_SECRET_LINK_LIFETIME_MS` ago and never opened before (it
 * remembers the nonces: client/src/usedLinks.ts). Any other link opens the form empty, saying why.
 */
export interface SignedLink extends CreateSecretLink {
  /** A random nonce the proposal draws (16 to 64 URL-safe characters). */
  once: string;
  /** When the link was made, in milliseconds since the epoch. */
  at: number;
  /** HMAC-SHA256 of `createSecretLinkPayload`, base64url. */
  sig: string;
}

/** The environment variable that carries the session's link-signing key (base64url) into the MCP server. */
export const CREATE_SECRET_LINK_KEY_ENV = 'SECRETS_VAULT_LINK_KEY';
/** How long a signed link fills the form in. */
export const CREATE_SECRET_LINK_LIFETIME_MS = 10 * 60 * 1000;

const ONCE_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;
const SIG_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/**
 * The exact text a link's signature covers: every field it fills in, its nonce and its time, as
 * one JSON array (no two different links share it), under a label that no other signature uses.
 */
export function createSecretLinkPayload(l: CreateSecretLink & { once: string; at: number }): string {
  return JSON.stringify(['secrets-vault/create-secret-link/v1', l.name, l.agent ?? null, l.keys ?? [], l.once, l.at]);
}

/** The link that opens the editor's Create Secret form with these fields and no value. */
export function createSecretLink(args: SignedLink, scheme = 'vscode'): string {
  if (!ONCE_PATTERN.test(args.once)) throw new Error('A Create Secret link needs a nonce of 16 to 64 URL-safe characters.');
  if (!SIG_PATTERN.test(args.sig)) throw new Error('A Create Secret link needs its signature.');
  const q = new URLSearchParams({ name: args.name });
  if (args.agent) q.set('agent', args.agent);
  for (const k of args.keys ?? []) q.append('key', k);
  q.set('once', args.once);
  q.set('at', String(args.at));
  q.set('sig', args.sig);
  return `${scheme}://${EXTENSION_ID}${CREATE_SECRET_LINK_PATH}?${q.toString()}`;
}

/** A Create Secret link as read, before its signature is checked: nothing in it is trusted yet. */
export interface ParsedCreateSecretLink {
  /** Whether the link tries to fill anything in (a name, an agent or keys). */
  prefills: boolean;
  /** The fields, exactly as the query has them; undefined when they are not well formed. */
  fields: CreateSecretLink | undefined;
  /** The proof, when the link carries all of it in the right shape. */
  proof: { once: string; at: number; sig: string } | undefined;
}

/**
 * What a Create Secret link's query says, or undefined when the path is not the Create Secret
 * link's. A value is never read from it.
 */
export function parseCreateSecretLink(path: string, query: string): ParsedCreateSecretLink | undefined {
  if (path !== CREATE_SECRET_LINK_PATH) return undefined;
  const q = new URLSearchParams(query);
  const name = q.get('name');
  const agent = q.get('agent');
  const keys = q.getAll('key');
  const prefills = Boolean(name) || Boolean(agent) || keys.length > 0;
  const wellFormed =
    name !== null && name.length > 0 && name.length <= 256 && (agent === null || (agent.length > 0 && agent.length <= 128)) && keys.length <= 64 && keys.every((k) => k.length > 0 && k.length <= 128);
  const fields = wellFormed ? { name, ...(agent !== null ? { agent } : {}), ...(keys.length ? { keys } : {}) } : undefined;
  const once = q.get('once');
  const at = q.get('at');
  const sig = q.get('sig');
  const proof =
    once !== null && ONCE_PATTERN.test(once) && at !== null && /^[0-9]{1,15}$/.test(at) && sig !== null && SIG_PATTERN.test(sig) ? { once, at: Number(at), sig } : undefined;
  return { prefills, fields, proof };
}
