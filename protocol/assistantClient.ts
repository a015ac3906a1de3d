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
