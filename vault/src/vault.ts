// Assembling a vault from its data folder: the database, the master key, the keyring, the service
// and the HTTP server. `init`, `serve`, `demo` and `rotate-key` all start here.

import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import type { NamingStyle } from '../../protocol/names';
import { DEFAULT_AUDIT_RETENTION_DAYS, DEFAULT_DATA_DIR, VaultSetupError, VERSION } from './defaults';
import { AuditWriter } from './audit';
import { isIP } from 'node:net';
import { Authenticator, FailedAuthLimiter, newId, ReadRateLimiter, type MintRateLimiter } from './auth';
import { Keyring } from './crypto/keyring';
import { KEY_FILE_NAME, loadMasterKey, MASTER_KEY_ENV, MasterKeyError, newKeyMaterial, newMasterKeyId, writeKeyFile } from './crypto/master';
import { EventBus } from './events';
import { buildApp, type ServerLimits } from './http/app';
import type { StreamLimits } from './http/streams';
import { VaultService } from './service';
import { secureDataDir } from './store/files';
import { DB_FILE_NAME, openStore, storeExists, type StoreConfig } from './store/index';
import { DATABASE_URL_ENV, isPostgresUrl, maskDatabaseUrl } from './store/index';
import type { Account, VaultStore } from './store/types';

export { DEFAULT_AUDIT_RETENTION_DAYS, DEFAULT_DATA_DIR, VaultSetupError, VERSION };
export { DB_FILE_NAME };

export interface OpenOptions {
  dataDir: string;
  /**
   * The PostgreSQL database (postgres://…), else SECRETS_VAULT_DATABASE_URL from `env`; without
   * either, the SQLite database in the data folder. With PostgreSQL the data folder holds the key
   * file only.
   */
  databaseUrl?: string;
  env?: NodeJS.ProcessEnv;
  /** For tests of the durability-insensitive kind only; the service defaults to FULL. */
  synchronous?: 'FULL' | 'NORMAL';
}

export interface Vault {
  dataDir: string;
  /** The storage, through its interface only (which implementation came from the configuration). */
  store: VaultStore;
  keyring: Keyring;
  service: VaultService;
  bus: EventBus;
  auth: Authenticator;
  /** What opening changed to make the data folder private (modes tightened), for the operator to read. */
  notices: string[];
  /** Stops the event feed and closes the store (waiting for audit writes in flight). */
  close(): Promise<void>;
}

/** The database URL the options or the environment give, if any (checked: a clear error for anything else). */
export function databaseUrlOf(options: { databaseUrl?: string | undefined; env?: NodeJS.ProcessEnv | undefined }): string | undefined {
  const url = options.databaseUrl ?? (options.env ?? process.env)[DATABASE_URL_ENV] ?? undefined;
  if (url === undefined || url === '') return undefined;
  if (!isPostgresUrl(url)) {
    throw new VaultSetupError(`${maskDatabaseUrl(url)} is not a PostgreSQL URL: give postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE (from --database-url or ${DATABASE_URL_ENV}).`);
  }
  return url;
}

/** The store a vault uses: PostgreSQL when a database URL is configured, else SQLite in the data folder. */
export function storeConfig(dataDir: string, options: { databaseUrl?: string | undefined; synchronous?: 'FULL' | 'NORMAL' | undefined } = {}): StoreConfig {
  if (options.databaseUrl !== undefined) return { kind: 'postgres', url: options.databaseUrl };
  return { kind: 'sqlite', dataDir, ...(options.synchronous ? { synchronous: options.synchronous } : {}) };
}

/** Where the vault's data lives, for messages (a PostgreSQL URL without its password). */
export function describeStore(dataDir: string, databaseUrl: string | undefined): string {
  return databaseUrl === undefined ? dataDir : maskDatabaseUrl(databaseUrl);
}

export async function isInitialised(dataDir: string, databaseUrl?: string): Promise<boolean> {
  try {
    return await storeExists(storeConfig(dataDir, { databaseUrl }));
  } catch (e) {
    throw databaseSetupError(e, databaseUrl);
  }
}

/**
 * PostgreSQL's refusals that an operator fixes (no such database, wrong password, no right to
 * create tables) as a VaultSetupError saying what to do; anything else as it is. The server's
 * messages name the database or user, never data.
 */
function databaseSetupError(e: unknown, databaseUrl: string | undefined): unknown {
  if (databaseUrl === undefined || !(e instanceof Error)) return e;
  const code = (e as { code?: unknown }).code;
  const where = maskDatabaseUrl(databaseUrl);
  switch (code) {
    case '3D000':
      return new VaultSetupError(`${e.message} (${where}): create it first (createdb, or CREATE DATABASE), then run this again.`);
    case '28P01':
    case '28000':
      return new VaultSetupError(`PostgreSQL refused the login (${e.message}) for ${where}: check the user and password in the URL.`);
    case '42501':
      return new VaultSetupError(`PostgreSQL refused the vault's schema change (${e.message}) in ${where}: the user needs to create tables in that database.`);
  }
  return e;
}

/** With PostgreSQL, a vault.db left in the data folder (before a migration) is not used: say so. */
function unusedSqliteNotice(dataDir: string, databaseUrl: string | undefined): string[] {
  if (databaseUrl === undefined || !existsSync(path.join(dataDir, DB_FILE_NAME))) return [];
  return [`${path.join(dataDir, DB_FILE_NAME)} is not used: this vault runs on ${maskDatabaseUrl(databaseUrl)}. Archive it once you no longer need it.`];
}

export async function openVault(options: OpenOptions): Promise<Vault> {
  const databaseUrl = databaseUrlOf(options);
  if (!(await isInitialised(options.dataDir, databaseUrl))) {
    const where = databaseUrl === undefined ? `in ${options.dataDir}` : `in ${maskDatabaseUrl(databaseUrl)}`;
    const init = `secrets-vault init --data ${options.dataDir}${databaseUrl === undefined ? '' : ' --database-url …'}`;
    throw new VaultSetupError(`No vault ${where}: run '${init}' first${databaseUrl === undefined ? '' : ", or 'secrets-vault migrate' to move a SQLite vault there"}.`);
  }
  const notices = [...secureDataDir(options.dataDir), ...unusedSqliteNotice(options.dataDir, databaseUrl)];
  const master = loadMasterKey(path.join(options.dataDir, KEY_FILE_NAME), options.env ?? process.env);
  const { store, notices: opened } = await openStore(storeConfig(options.dataDir, { databaseUrl, synchronous: options.synchronous ?? 'FULL' })).catch((e: unknown) => {
    throw databaseSetupError(e, databaseUrl);
  });
  try {
    const keyring = await Keyring.open(store, master);
    // Expected once, on the first start after an upgrade; at any other time someone marked values
    // pending in the database (see Keyring.addMissingMacs): worth an operator's look.
    if (keyring.macsAdded > 0) opened.push(`${keyring.macsAdded} stored value(s) had no integrity MAC and were given one (expected once, after upgrading from a release without them).`);
    return assemble(options.dataDir, store, keyring, [...notices, ...opened]);
  } catch (e) {
    await store.close();
    throw e;
  }
}

function assemble(dataDir: string, store: VaultStore, keyring: Keyring, notices: string[]): Vault {
  const bus = new EventBus(store);
  const service = new VaultService(store, keyring, bus, new AuditWriter((entries, now, reads) => store.audit.appendAuditInBackground(entries, now, reads)));
  const auth = new Authenticator(store, keyring);
  service.onRevoked.add(() => auth.forget());
  const close = async () => {
    bus.close();
    await store.close();
  };
  return { dataDir, store, keyring, service, bus, auth, notices, close };
}

export interface InitOptions {
  dataDir: string;
  /** As OpenOptions.databaseUrl: PostgreSQL (the data folder then holds the key file only). */
  databaseUrl?: string;
  namingStyle: NamingStyle;
  accountName?: string;
  env?: NodeJS.ProcessEnv;
}

export interface InitResult {
  vault: Vault;
  account: Account;
  adminKey: string;
  keySource: 'file' | 'environment';
}

/** Creates the data folder, the key file (unless the key comes from the environment) and the database. */
export async function initVault(options: InitOptions): Promise<InitResult> {
  const env = options.env ?? process.env;
  const databaseUrl = databaseUrlOf({ databaseUrl: options.databaseUrl, env });
  if (await isInitialised(options.dataDir, databaseUrl)) {
    throw new VaultSetupError(`${describeStore(options.dataDir, databaseUrl)} already holds a vault; nothing was changed.`);
  }
  if (existsSync(options.dataDir) && !statSync(options.dataDir).isDirectory()) {
    throw new VaultSetupError(`${options.dataDir} is not a folder.`);
  }
  const notices = secureDataDir(options.dataDir);
  const keyFile = path.join(options.dataDir, KEY_FILE_NAME);
  const fromEnv = Boolean(env[MASTER_KEY_ENV]);
  if (!fromEnv) {
    if (existsSync(keyFile)) throw new VaultSetupError(`${keyFile} exists but there is no database: refusing to overwrite a key.`);
    const id = newMasterKeyId();
    writeKeyFile(keyFile, id, new Map([[id, newKeyMaterial()]]));
  }
  const master = loadMasterKey(keyFile, env);
  const { store, notices: opened } = await openStore(storeConfig(options.dataDir, { databaseUrl })).catch((e: unknown) => {
    throw databaseSetupError(e, databaseUrl);
  });
  const keyring = await Keyring.open(store, master);
  const vault = assemble(options.dataDir, store, keyring, [...notices, ...opened]);
  const account: Account = {
    id: `acc_${randomBytes(6).toString('hex')}`,
    name: options.accountName ?? 'default',
    namingStyle: options.namingStyle,
    createdAt: new Date().toISOString(),
  };
  await vault.service.accounts.createAccountLocally(account, 'init');
  const key = await vault.service.keys.issueLocalKey(account.id, 'initial admin', 'admin', 'init');
  return { vault, account, adminKey: key.token, keySource: fromEnv ? 'environment' : 'file' };
}

/** Adds another account to a vault (accounts never see each other's data); returns its first admin key. */
export async function addAccount(vault: Vault, name: string, namingStyle: NamingStyle): Promise<{ account: Account; adminKey: string }> {
  const account: Account = { id: newId('acc'), name, namingStyle, createdAt: new Date().toISOString() };
  await vault.service.accounts.createAccountLocally(account, 'add-account');
  const key = await vault.service.keys.issueLocalKey(account.id, 'initial admin', 'admin', 'add-account');
  return { account, adminKey: key.token };
}

const RETENTION_INTERVAL_MS = 60 * 60 * 1000;

/**
 * Prunes audit records older than `days` days now and then every hour (0: never); each pruning
 * that removed something is itself audited. Returns a function that stops it.
 */
export async function startAuditRetention(
  vault: Vault,
  days: number,
  options: { intervalMs?: number; onError?: (e: unknown) => void } = {},
): Promise<() => void> {
  if (days === 0) return () => {};
  await vault.service.audit.pruneAudit(days);
  // Decided access requests go with their audit records, so that they are not kept forever.
  await vault.service.accessRequests.pruneAccessRequests(days);
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    vault.service
      .audit.pruneAudit(days)
      .then(() => vault.service.accessRequests.pruneAccessRequests(days))
      .catch((e: unknown) => options.onError?.(e))
      .finally(() => (running = false));
  }, options.intervalMs ?? RETENTION_INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
}

export interface ServeOptions {
  host?: string;
  port?: number;
  logger?: FastifyServerOptions['logger'];
  heartbeatMs?: number;
  limiter?: FailedAuthLimiter;
  readLimiter?: ReadRateLimiter;
  mintLimiter?: MintRateLimiter;
  /** Host names and browser origins accepted besides the defaults (IP addresses and localhost; no origin). */
  allowedHosts?: string[];
  allowedOrigins?: string[];
  streams?: Partial<StreamLimits>;
  server?: ServerLimits;
  /** PEM certificate chain and key: serve HTTPS. */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** Serve plain HTTP on an address that is not loopback (refused otherwise). */
  insecureHttp?: boolean;
  /** Where the warning about insecureHttp goes (standard error by default). */
  warn?: (message: string) => void;
}

export interface RunningServer {
  url: string;
  app: FastifyInstance;
  close(): Promise<void>;
}

/** Loopback only: 127.0.0.0/8, ::1 and localhost. 0.0.0.0 and :: listen on every interface. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h === '::1') return true;
  return isIP(h) === 4 && h.startsWith('127.');
}

/**
 * Refuses, before anything listens, plain HTTP on an address other machines can reach: tokens and
 * values would cross the network in clear. TLS (`tls`) or an explicit `insecureHttp` (for a
 * deployment whose proxy terminates TLS on the same host) lifts it; the latter with a warning.
 */
export function checkTransport(host: string, options: Pick<ServeOptions, 'tls' | 'insecureHttp' | 'warn'>): void {
  if (options.tls || isLoopbackHost(host)) return;
  if (!options.insecureHttp) {
    throw new VaultSetupError(
      `Refusing to serve plain HTTP on ${host}, which is not a loopback address: tokens and secret values would cross the network unencrypted. ` +
        'Give --tls-cert FILE and --tls-key FILE, or put a TLS proxy in front and pass --insecure-http.',
    );
  }
  (options.warn ?? ((m) => process.stderr.write(`${m}\n`)))(
    `warning: serving plain HTTP on ${host} (--insecure-http): anyone on the network path can read tokens and secret values unless a TLS proxy sits in front.`,
  );
}

export async function serve(vault: Vault, options: ServeOptions = {}): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  checkTransport(host, options);
  const app = await buildApp({
    service: vault.service,
    auth: vault.auth,
    bus: vault.bus,
    version: VERSION,
    logger: options.logger ?? false,
    edge: { host, ...(options.allowedHosts ? { allowedHosts: options.allowedHosts } : {}), ...(options.allowedOrigins ? { allowedOrigins: options.allowedOrigins } : {}) },
    ...(options.limiter ? { limiter: options.limiter } : {}),
    ...(options.readLimiter ? { readLimiter: options.readLimiter } : {}),
    ...(options.mintLimiter ? { mintLimiter: options.mintLimiter } : {}),
    ...(options.heartbeatMs ? { heartbeatMs: options.heartbeatMs } : {}),
    ...(options.streams ? { streams: options.streams } : {}),
    ...(options.server ? { server: options.server } : {}),
    ...(options.tls ? { tls: options.tls } : {}),
  });
  await app.listen({ host, port: options.port ?? 8787 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return { url: `${options.tls ? 'https' : 'http'}://${shownHost}:${port}`, app, close: () => app.close() };
}

export { MasterKeyError };
