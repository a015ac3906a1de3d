// What the CLI needs before it opens a vault (its version, the default folder and retention, the
// setup error it reports), apart from vault.ts: a command over the API loads neither the HTTP
// server nor the stores, so that it starts in a fraction of the time (cli/main.ts).

import pkg from '../../package.json';

export const VERSION: string = pkg.version;
export const DEFAULT_DATA_DIR = '.secrets-vault';
/** Audit retention in days by default; 0 keeps every record. */
export const DEFAULT_AUDIT_RETENTION_DAYS = 90;

export class VaultSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VaultSetupError';
  }
}
