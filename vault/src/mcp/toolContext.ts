// What every tool of `secrets-vault mcp` shares: the API client (the user's key, the assistant's
// marker on every request, no run-time path ever), the workspace folder, the agent it defaults to,
// and whether the request tools are on.

import type { CheckEngine } from '../../../protocol/check';
import type { HttpTransport, VaultApi } from '../../../protocol/client';
import { ASSISTANT_CLIENT_HEADER } from '../../../protocol/assistantClient';

export interface McpContext {
  api: VaultApi;
  /** The workspace the server was started in: check_workspace's folder, and where usages are looked for. */
  cwd: string;
  /** The agent of the workspace (--agent, else secrets-vault.json's, else none). */
  defaultAgent: string | undefined;
  /** request_access and propose_secret are listed only with --allow-requests (propose_secret also with a link key). */
  allowRequests: boolean;
  /**
   * The key the editor gave this server for its session (CREATE_SECRET_LINK_KEY_ENV), with which
   * propose_secret signs its Create Secret link; undefined outside the editor (no link is offered).
   */
  linkKey?: Uint8Array | undefined;
  /** The language server's analysis (dist/server/check.js), loaded when first needed. */
  engine: () => CheckEngine;
  /** Records a tool call in the vault's audit, as the user, marked as the assistant. */
  audit: (tool: string, target: string, outcome: 'success' | 'failed') => Promise<void>;
}

/** Thrown by a tool for a problem the model should read (bad input, unknown name): an error result. */
export class ToolError extends Error {}

/**
 * Decorates the CLI's transport: every request carries the assistant marker (read when the request
 * is made: the client's name is known only after the MCP handshake), and a run-time path, the only
 * one that returns values, is refused before anything is sent.
 */
export function assistantTransport(inner: HttpTransport, marker: () => string): HttpTransport {
  return (req) => {
    if (/^\/v1\/runtime(\/|$|\?)/.test(req.path) || req.path.includes('/runtime/')) {
      return Promise.reject(new Error('secrets-vault mcp never reads run-time values.'));
    }
    return inner({ ...req, headers: { ...req.headers, [ASSISTANT_CLIENT_HEADER]: marker() } });
  };
}
