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
 * A link is good for one opening: `once` is a random nonce the proposal draws, and the editor
 * remembers the nonces it has opened (client/src/usedLinks.ts), so a link replayed from a chat log,
 * a history or another page opens nothing.
 */
export interface OneTimeLink extends CreateSecretLink {
  once: string;
}

const ONCE_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;

/** The link that opens the editor's Create Secret form with these fields and no value, once. */
export function createSecretLink(args: OneTimeLink, scheme = 'vscode'): string {
  if (!ONCE_PATTERN.test(args.once)) throw new Error('A Create Secret link needs a nonce of 16 to 64 URL-safe characters.');
  const q = new URLSearchParams({ name: args.name });
  if (args.agent) q.set('agent', args.agent);
  for (const k of args.keys ?? []) q.append('key', k);
  q.set('once', args.once);
  return `${scheme}://${EXTENSION_ID}${CREATE_SECRET_LINK_PATH}?${q.toString()}`;
}

/**
 * The fields of a Create Secret link's query, or undefined when it is not one (a link without its
 * nonce included: it could be opened any number of times). A value is never read from it.
 */
export function parseCreateSecretLink(path: string, query: string): OneTimeLink | undefined {
  if (path !== CREATE_SECRET_LINK_PATH) return undefined;
  const q = new URLSearchParams(query);
  const name = q.get('name');
  if (!name || name.length > 256) return undefined;
  const once = q.get('once');
  if (once === null || !ONCE_PATTERN.test(once)) return undefined;
  const agent = q.get('agent') ?? undefined;
  const keys = q.getAll('key').filter((k) => k.length > 0 && k.length <= 128).slice(0, 64);
  return { name, ...(agent ? { agent } : {}), ...(keys.length ? { keys } : {}), once };
}
