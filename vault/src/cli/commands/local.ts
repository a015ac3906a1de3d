// Commands that run a vault on a local data folder: init, add-account, serve, demo, rotate-key, issue-key.

import { Command, Option } from 'commander';
import path from 'node:path';
import type { Role } from '../../../../protocol/api';
import { VaultApi } from '../../../../protocol/client';
import { NAMING_STYLES, type NamingStyle } from '../../../../protocol/names';
import { safeJson } from '../../../../protocol/safeText';
import { DEMO_BOOKING_AGENT, demoName, refreshDemoExpiry, seedDemo, startDemoSession } from '../../demo';
import { DEFAULT_AUDIT_RETENTION_DAYS, DEFAULT_DATA_DIR } from '../../defaults';
import type { Vault } from '../../vault';
import { DATABASE_URL_ENV, maskDatabaseUrl } from '../../store/databaseUrl';
import { CliError, EXIT, human, info, out } from '../io';
import { undiciTransport } from '../remote';
import { addEdgeOptions, edgeServeOptions, type EdgeFlags } from '../serveOptions';
import type { CommandContext } from './commandContext';

/** The vault itself (stores, HTTP server), loaded by the commands that open one: the others start without it. */
const vaultModule = () => import('../../vault');

export function registerLocalCommands(cli: Command, ctx: CommandContext): void {
  const { g } = ctx;
  const dataOption = () => new Option('--data <dir>', 'data folder').default(DEFAULT_DATA_DIR);
  const databaseOption = () =>
    new Option('--database-url <url>', `PostgreSQL database (postgres://…; default $${DATABASE_URL_ENV}); the data folder then holds the key file only`);
  const namingOption = () =>
    new Option('--naming <style>', 'secret naming style of the account').choices(NAMING_STYLES as string[]).default('snake_case');

  cli
    .command('init')
    .description('create the data folder, the master key file and the database; prints the first admin API key once')
    .addOption(dataOption())
    .addOption(databaseOption())
    .addOption(namingOption())
    .option('--account <name>', 'account name', 'default')
    .action(async (o: { data: string; databaseUrl?: string; naming: NamingStyle; account: string }) => {
      const { databaseUrlOf, initVault } = await vaultModule();
      const r = await initVault({ dataDir: o.data, ...databaseOf(o), namingStyle: o.naming, accountName: o.account });
      await r.vault.close();
      showNotices(r.vault);
      const databaseUrl = databaseUrlOf(databaseOf(o));
      if (g().json) return out(safeJson({ dataDir: o.data, ...(databaseUrl ? { database: maskDatabaseUrl(databaseUrl) } : {}), account: r.account, adminKey: r.adminKey }));
      out(
        databaseUrl === undefined
          ? human`Initialised a vault in ${path.resolve(o.data)} (account '${r.account.name}', ${o.naming} names).`
          : human`Initialised a vault in ${maskDatabaseUrl(databaseUrl)} (account '${r.account.name}', ${o.naming} names); the key is in ${path.resolve(o.data)}.`,
      );
      out(r.keySource === 'file' ? human`Master key: ${path.join(o.data, 'master.key')} (mode 0600). Back it up: without it the data cannot be read.` : 'Master key: from SECRETS_VAULT_MASTER_KEY.');
      out('');
      out(human`Admin API key (shown once, store it now):\n  ${r.adminKey}`);
    });

  cli
    .command('add-account')
    .description('add another account to a vault (accounts never see each other); prints its admin key once')
    .argument('<name>', 'account name')
    .addOption(dataOption())
    .addOption(databaseOption())
    .addOption(namingOption())
    .action(async (name: string, o: { data: string; databaseUrl?: string; naming: NamingStyle }) => {
      const vault = await openLocal(o);
      try {
        const r = await (await vaultModule()).addAccount(vault, name, o.naming);
        if (g().json) return out(safeJson(r));
        out(human`Account '${name}' (${r.account.id}). Admin API key (shown once):\n  ${r.adminKey}`);
      } finally {
        await vault.close();
      }
    });

  const serveCommand = cli
    .command('serve')
    .description('serve the vault API (any number of replicas may serve one PostgreSQL database)')
    .addOption(dataOption())
    .addOption(databaseOption())
    .option('--host <host>', 'address to bind (not loopback: needs --tls-cert/--tls-key or --insecure-http)', '127.0.0.1')
    .addOption(new Option('--port <port>', 'port').default(8787).argParser(parsePort))
    .option('--quiet', 'log warnings and errors only')
    .addOption(retentionOption());
  addEdgeOptions(serveCommand).action(async (o: EdgeFlags & { data: string; databaseUrl?: string; host: string; port: number; quiet?: boolean; auditRetentionDays: number }) => {
      // The TLS files are read before the database is opened; serve() refuses an unsafe transport before listening.
      const edge = edgeServeOptions(o);
      const { serve, startAuditRetention } = await vaultModule();
      const vault = await openLocal(o);
      let server;
      try {
        server = await serve(vault, { ...edge, host: o.host, port: o.port, logger: { level: o.quiet ? 'warn' : 'info' } });
      } catch (e) {
        await vault.close();
        throw e;
      }
      const stopRetention = await startAuditRetention(vault, o.auditRetentionDays, {
        onError: (e) => info(human`secrets-vault: audit retention failed (will retry): ${e instanceof Error ? e.message : String(e)}`),
      });
      out(human`listening on ${server.url}`);
      stopOnSignal(async () => {
        stopRetention();
        await server.close();
        await vault.close();
      });
    });

  cli
    .command('demo')
    .description('initialise if needed, seed demo agents and secrets, serve, and print the URL and an admin key')
    .addOption(new Option('--data <dir>', 'data folder').default(path.join(DEFAULT_DATA_DIR, 'demo')))
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .addOption(new Option('--port <port>', 'port').default(8787).argParser(parsePort))
    .addOption(namingOption())
    .addOption(retentionOption())
    .action(async (o: { data: string; host: string; port: number; naming: NamingStyle; auditRetentionDays: number }) => {
      // The demo is always the SQLite vault in its folder: a SECRETS_VAULT_DATABASE_URL exported for
      // a real deployment must not receive demo data (nor decide where the demo looks for its vault).
      const env: NodeJS.ProcessEnv = { ...process.env };
      delete env[DATABASE_URL_ENV];
      const { initVault, isInitialised, openVault, serve, startAuditRetention } = await vaultModule();
      const fresh = !(await isInitialised(o.data));
      const vault = fresh
        ? (await initVault({ dataDir: o.data, namingStyle: o.naming, accountName: 'demo', env })).vault
        : await openVault({ dataDir: o.data, env });
      showNotices(vault);
      const [account] = await vault.store.accounts.listAccounts();
      if (!account) throw new CliError(`${o.data} holds no account.`, EXIT.failure);
      // A fresh key each start (only digests are stored, so an earlier key cannot be shown again);
      // the keys and tokens of earlier starts are revoked, so printed keys do not pile up valid.
      const session = await startDemoSession(vault.service, vault.store.keys, account.id);
      const admin = session.admin;
      const stopRetention = await startAuditRetention(vault, o.auditRetentionDays);
      const server = await serve(vault, { host: o.host, port: o.port, logger: { level: 'warn' } });
      const api = new VaultApi(undiciTransport(server.url), admin.token);
      const seeded = await seedDemo(api, account.namingStyle);
      await refreshDemoExpiry(api, account.namingStyle);
      const agentToken = await api.createAgentToken(DEMO_BOOKING_AGENT, 'demo Booking agent token');
      await session.remember([agentToken.id]);
      if (g().json) {
        out(safeJson({ url: server.url, adminKey: admin.token, agentToken: agentToken.token, dataDir: o.data, namingStyle: account.namingStyle }));
      } else {
        out(human`listening on ${server.url}`);
        out(human`Demo vault in ${path.resolve(o.data)}${fresh ? ' (new)' : ''}: ${seeded.agents} agents, ${seeded.secrets} secrets added.`);
        if (session.revoked > 0) out(`Revoked the ${session.revoked} key(s) and token(s) earlier demo starts printed.`);
        out('');
        out(human`Admin API key:          ${admin.token}`);
        out(human`Booking agent token:    ${agentToken.token} (${DEMO_BOOKING_AGENT})`);
        out('');
        out('Try:');
        out(human`  export SECRETS_VAULT_URL=${server.url} SECRETS_VAULT_TOKEN=${admin.token}`);
        out(human`  curl -s -H "Authorization: Bearer $SECRETS_VAULT_TOKEN" ${server.url}/v1/secrets?agent=${DEMO_BOOKING_AGENT}`);
        out(human`  curl -s -H "Authorization: Bearer ${agentToken.token}" ${server.url}/v1/runtime/secrets/${demoName('amadeus_flights', account.namingStyle)}`);
        out('Press Ctrl+C to stop.');
      }
      stopOnSignal(async () => {
        stopRetention();
        await server.close();
        await vault.close();
      });
    });

  cli
    .command('rotate-key')
    .description('re-encrypt every value under a new data key (and, with a key file, a new master key); safe while the vault serves')
    .addOption(dataOption())
    .addOption(databaseOption())
    .action(async (o: { data: string; databaseUrl?: string }) => {
      const vault = await openLocal(o);
      try {
        const r = await vault.keyring.rotate((n) => {
          if (process.stderr.isTTY) process.stderr.write(`\rre-encrypted ${n} values`);
        });
        if (process.stderr.isTTY) process.stderr.write('\n');
        // Ids and counts only; the names of values that failed are in the operator's output, not the audit.
        await vault.service.audit.recordLocal(
          'rotate-key',
          'key.rotate',
          r.dataKey,
          r.unreadable.length > 0 ? 'failed' : 'success',
          [
            `re-encrypted ${r.resealed} values`,
            r.masterRotated ? `new master key ${r.masterKey}` : 'master key kept (environment)',
            r.droppedDataKeys.length ? `dropped ${r.droppedDataKeys.join(', ')}` : '',
            r.unreadable.length ? `${r.unreadable.length} unreadable left under their old key` : '',
          ]
            .filter(Boolean)
            .join('; '),
        );
        if (r.unreadable.length > 0) process.exitCode = EXIT.failure;
        if (g().json) return out(safeJson(r));
        out(human`Re-encrypted ${r.resealed} values under data key ${r.dataKey}.`);
        out(r.masterRotated ? human`New master key ${r.masterKey} in the key file; old master keys removed.` : 'The master key comes from SECRETS_VAULT_MASTER_KEY and was kept; only the data key was rotated.');
        if (r.droppedDataKeys.length) out(human`Dropped data keys: ${r.droppedDataKeys.join(', ')}.`);
        if (r.unreadable.length) {
          info(
            human`secrets-vault: ${r.unreadable.length} stored value(s) failed authentication (tampered or corrupted) and were left under their old key: ${r.unreadable.map((u) => `'${u.name}'`).join(', ')}. Restore them from a backup or set them again.`,
          );
        }
      } finally {
        await vault.close();
      }
    });

  cli
    .command('issue-key')
    .description('recovery: mint a user API key for an account directly on the data folder (needs the master key); prints it once')
    .requiredOption('--account <id>', 'account id (acc_…)')
    .addOption(dataOption())
    .addOption(databaseOption())
    .option('--name <name>', 'who or what the key is for', 'recovery admin')
    .addOption(new Option('--role <role>', 'role').choices(['admin', 'developer']).default('admin'))
    .action(async (o: { account: string; data: string; databaseUrl?: string; name: string; role: Role }) => {
      const vault = await openLocal(o);
      try {
        const accounts = await vault.store.accounts.listAccounts();
        if (!accounts.some((a) => a.id === o.account)) {
          throw new CliError(human`No account '${o.account}' in ${o.data}. Accounts: ${accounts.map((a) => `${a.id} (${a.name})`).join(', ') || 'none'}.`, EXIT.usage);
        }
        const k = await vault.service.keys.issueLocalKey(o.account, o.name, o.role, 'issue-key');
        if (g().json) return out(safeJson(k));
        out(human`API key '${k.name}' (${k.role}, id ${k.id}) for account ${o.account} (shown once):\n  ${k.token}`);
      } finally {
        await vault.close();
      }
    });
}

/** `--database-url`, when given (else openVault reads SECRETS_VAULT_DATABASE_URL). */
function databaseOf(o: { databaseUrl?: string }): { databaseUrl?: string } {
  return o.databaseUrl === undefined ? {} : { databaseUrl: o.databaseUrl };
}

/** Opens a vault for a local command, telling the operator what was made private. */
async function openLocal(o: { data: string; databaseUrl?: string }): Promise<Vault> {
  const vault = await (await vaultModule()).openVault({ dataDir: o.data, ...databaseOf(o) });
  showNotices(vault);
  return vault;
}

function showNotices(vault: Vault): void {
  for (const n of vault.notices) info(human`secrets-vault: notice: ${n}`);
}

function retentionOption(): Option {
  return new Option('--audit-retention-days <days>', 'delete audit records older than this, at start and hourly (0 keeps them all)')
    .default(DEFAULT_AUDIT_RETENTION_DAYS)
    .argParser((v: string) => {
      const n = Number(v);
      if (!/^\d{1,6}$/.test(v) || !Number.isInteger(n)) throw new CliError(`'${v}' is not a number of days (0 keeps the audit forever).`, EXIT.usage);
      return n;
    });
}

function parsePort(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new CliError(`'${v}' is not a port number.`, EXIT.usage);
  return n;
}

function stopOnSignal(stop: () => Promise<void>): void {
  let stopping = false;
  const handler = () => {
    if (stopping) return;
    stopping = true;
    stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
}
