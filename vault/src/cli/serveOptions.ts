// The `serve` command's options for the HTTP edge: TLS, allowed hosts and origins, and the limits
// on connections, event streams, failed authentications and run-time reads.

import { type Command, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { FailedAuthLimiter, ReadRateLimiter } from '../auth';
import type { ServeOptions } from '../vault';
import { CliError, EXIT } from './io';

export const ALLOWED_HOSTS_ENV = 'SECRETS_VAULT_ALLOWED_HOSTS';
export const ALLOWED_ORIGINS_ENV = 'SECRETS_VAULT_ALLOWED_ORIGINS';

export interface EdgeFlags {
  tlsCert?: string;
  tlsKey?: string;
  insecureHttp?: boolean;
  allowedHost: string[];
  allowedOrigin: string[];
  maxConnections?: number;
  maxStreamsPerToken?: number;
  maxStreamsPerAccount?: number;
  streamRecheck?: number;
  headersTimeout?: number;
  readRate?: number;
  readBurst?: number;
  authFailures?: number;
}

const collect = (v: string, list: string[]) => [...list, v];

export function addEdgeOptions(cmd: Command): Command {
  const count = (flags: string, what: string) => new Option(flags, what).argParser(positiveInteger(flags.split(' ')[0]!));
  return cmd
    .option('--tls-cert <file>', 'PEM certificate chain: serve HTTPS (with --tls-key)')
    .option('--tls-key <file>', 'PEM private key for --tls-cert')
    .option('--insecure-http', 'allow plain HTTP on an address that is not loopback (behind a TLS proxy)')
    .option('--allowed-host <name>', `a Host name the vault answers to besides IP addresses and localhost (repeatable; also $${ALLOWED_HOSTS_ENV}, comma-separated; * for any)`, collect, [])
    .option('--allowed-origin <origin>', `a browser origin whose requests are answered (repeatable; also $${ALLOWED_ORIGINS_ENV}); none by default`, collect, [])
    .addOption(count('--max-connections <n>', 'open connections at most (default 1000)'))
    .addOption(count('--max-streams-per-token <n>', 'open event streams per token (default 16)'))
    .addOption(count('--max-streams-per-account <n>', 'open event streams per account (default 256)'))
    .addOption(count('--stream-recheck <seconds>', 'how often open event streams re-check their token (default 5)'))
    .addOption(count('--headers-timeout <seconds>', 'time a client has to send its request headers (default 10)'))
    .addOption(count('--read-rate <n>', 'run-time reads per second per token, sustained (default 100)'))
    .addOption(count('--read-burst <n>', 'run-time reads per token in a burst (default 1000)'))
    .addOption(count('--auth-failures <n>', 'failed authentications per minute per client or token prefix before 429 (default 20)'));
}

/** The flags (and environment) as serve() options; reads the TLS files. */
export function edgeServeOptions(o: EdgeFlags, env: NodeJS.ProcessEnv = process.env): Partial<ServeOptions> {
  if (Boolean(o.tlsCert) !== Boolean(o.tlsKey)) throw new CliError('Give both --tls-cert and --tls-key, or neither.', EXIT.usage);
  const fromEnv = (name: string) => (env[name] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const options: Partial<ServeOptions> = {
    allowedHosts: [...o.allowedHost, ...fromEnv(ALLOWED_HOSTS_ENV)],
    allowedOrigins: [...o.allowedOrigin, ...fromEnv(ALLOWED_ORIGINS_ENV)],
    insecureHttp: Boolean(o.insecureHttp),
    streams: {
      ...(o.maxStreamsPerToken ? { perToken: o.maxStreamsPerToken } : {}),
      ...(o.maxStreamsPerAccount ? { perAccount: o.maxStreamsPerAccount } : {}),
      ...(o.streamRecheck ? { recheckMs: o.streamRecheck * 1000 } : {}),
    },
    server: {
      ...(o.maxConnections ? { maxConnections: o.maxConnections } : {}),
      ...(o.headersTimeout ? { headersTimeoutMs: o.headersTimeout * 1000 } : {}),
    },
    readLimiter: new ReadRateLimiter(o.readRate ?? 100, o.readBurst ?? Math.max(1000, o.readRate ?? 0)),
  };
  if (o.authFailures) options.limiter = new FailedAuthLimiter(o.authFailures, 60_000);
  if (o.tlsCert && o.tlsKey) {
    options.tls = { cert: readPem(o.tlsCert, '--tls-cert'), key: readPem(o.tlsKey, '--tls-key') };
  }
  return options;
}

function readPem(file: string, flag: string): Buffer {
  try {
    return readFileSync(file);
  } catch {
    throw new CliError(`Cannot read ${flag} ${file}.`, EXIT.usage);
  }
}

function positiveInteger(flag: string): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new CliError(`${flag} wants a positive whole number, not '${v}'.`, EXIT.usage);
    return n;
  };
}
