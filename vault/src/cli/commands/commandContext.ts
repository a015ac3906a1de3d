// What every command group gets from the program: the global options and a client built from them.

import type { VaultApi } from '../../../../protocol/client';
import { CliError, EXIT } from '../io';
import type { RemoteOptions } from '../remote';

export interface Global extends RemoteOptions {
  json?: boolean;
}

export interface CommandContext {
  /** The global options, read when a command runs (commander parses them first). */
  g: () => Global;
  /** A client for the vault the global options point at, built per command. */
  api: () => VaultApi;
}

export function parseVersion(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new CliError(`'${v}' is not a positive whole number.`, EXIT.usage);
  return n;
}
