// Message statistics for the editor benchmark (bench/editor.ts): when SECRETS_VAULT_LSP_STATS names
// a file, every message the server receives appends one line `{"method":…,"bytes":…}` to it (a
// response to a server request has method null). Methods and sizes only, never params: the bench
// measures sync traffic without the file ever holding document text. Unset, nothing is attached.
//
// It taps the transport rather than the connection, so it sees every message whichever handler
// takes it: node IPC (how VS Code starts the server) and stdio (how the tests do) are covered.

import { appendFileSync } from 'node:fs';

export const LSP_STATS_ENV = 'SECRETS_VAULT_LSP_STATS';

function record(file: string, message: unknown, bytes: number): void {
  const method = typeof message === 'object' && message !== null && typeof (message as { method?: unknown }).method === 'string' ? (message as { method: string }).method : null;
  appendFileSync(file, `${JSON.stringify({ method, bytes })}\n`);
}

/** Starts recording if the environment asks for it; call once, before the connection listens. */
export function recordLspStats(env: NodeJS.ProcessEnv = process.env, argv: readonly string[] = process.argv): void {
  const file = env[LSP_STATS_ENV];
  if (!file) return;
  if (argv.includes('--node-ipc') && typeof process.send === 'function') {
    // IPC delivers whole messages; their size on the wire is their JSON.
    process.on('message', (message: unknown) => record(file, message, Buffer.byteLength(JSON.stringify(message))));
  } else if (argv.includes('--stdio')) {
    tapStdio(file);
  }
}

/** Splits stdin into LSP frames (`Content-Length` header, blank line, body) beside the real reader. */
function tapStdio(file: string): void {
  let pending = Buffer.alloc(0);
  process.stdin.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    for (;;) {
      const headerEnd = pending.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const length = Number(/Content-Length: *(\d+)/i.exec(pending.subarray(0, headerEnd).toString('ascii'))?.[1]);
      if (!Number.isFinite(length)) return; // not a frame we understand: the real reader reports it
      const bodyStart = headerEnd + 4;
      if (pending.length < bodyStart + length) return;
      const body = pending.subarray(bodyStart, bodyStart + length).toString('utf8');
      pending = pending.subarray(bodyStart + length);
      let message: unknown;
      try {
        message = JSON.parse(body);
      } catch {
        message = undefined;
      }
      record(file, message, length);
    }
  });
}
