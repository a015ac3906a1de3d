// The check engine (dist/server/check.js, the language server's analysis) for the MCP tools: loaded
// at run time from beside the bundle, as `secrets-vault check` loads it (vault/ may not import
// server/). Both the CLI (dist/vault/cli.js) and the editor's copy (dist/mcp/server.js) find it at
// ../server/check.js.

import path from 'node:path';
import type { CheckEngine } from '../../../protocol/check';
import { ToolError } from './toolContext';

export function loadCheckEngine(): CheckEngine {
  const file = path.join(__dirname, '../server/check.js');
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a built sibling bundle, loaded at run time on purpose
    return require(file) as CheckEngine;
  } catch (e) {
    throw new ToolError(`The check engine ${file} cannot be loaded (${e instanceof Error ? e.message : String(e)}); checks are unavailable in this installation.`);
  }
}
