// `migrate`: copy a SQLite vault into an empty PostgreSQL database (see store/migrateToPostgres.ts).

import { Command } from 'commander';
import path from 'node:path';
import { safeJson } from '../../../../protocol/safeText';
import { DATABASE_URL_ENV, maskDatabaseUrl } from '../../store/databaseUrl';
import { CliError, EXIT, human, info, out } from '../io';
import type { CommandContext } from './commandContext';

/** Where `--to` comes from when the flag is absent (the same variable `serve` reads). */

const HELP_AFTER = `
Copies everything as is: accounts, tokens (digests), agents, data keys (still wrapped under the same
master key), secrets (ciphertext as stored: nothing is decrypted to be copied), access lists, events
and the audit of both files. The copy is one transaction, verified before it commits (row counts per
table, and every value decrypts with the master key: DATA_DIR/master.key or ${'$'}SECRETS_VAULT_MASTER_KEY),
so a failure leaves the target without a single row. The target must be empty.

Stop the vault first. Each SQLite file is read in one read transaction, so the copy is one moment of
the vault; anything a running vault writes after that moment (changes, and the audit of run-time
reads) is not copied.

Do not start a vault on the target database before migrate has finished: a vault that finds it
empty creates keys of its own.

A vault.db of an older version is migrated in place first, as starting the vault would; apart from
that, migrate only reads the data folder.

Afterwards: secrets-vault serve --data DATA_DIR --database-url URL (on every replica; the data folder
then needs only the key file). vault.db and audit.db stay where they are: archive them.`;

export function registerMigrateCommands(cli: Command, ctx: CommandContext): void {
  const { g } = ctx;
  cli
    .command('migrate')
    .description('copy a SQLite vault (data folder) into an empty PostgreSQL database, verified before commit')
    .requiredOption('--from <dir>', 'data folder of the SQLite vault (vault.db, audit.db, master.key)')
    .option('--to <url>', `postgres://… of an empty database (default: $${DATABASE_URL_ENV})`)
    .addHelpText('after', HELP_AFTER)
    .action(async (o: { from: string; to?: string }) => {
      const to = o.to ?? process.env[DATABASE_URL_ENV];
      if (!to) throw new CliError(`No target: pass --to postgres://… or set ${DATABASE_URL_ENV}.`, EXIT.usage);
      const target = maskDatabaseUrl(to);
      info(human`secrets-vault: migrating ${path.resolve(o.from)} to ${target}`);
      // The stores (SQLite and PostgreSQL drivers) load here, not when the CLI starts.
      const { MIGRATED_TABLES, MigrateError, migrateToPostgres } = await import('../../store/index');
      let report;
      try {
        report = await migrateToPostgres({ fromDir: o.from, toUrl: to, onProgress: (line) => info(human`  ${line}`) });
      } catch (e) {
        if (e instanceof MigrateError) throw new CliError(e.message, EXIT.failure);
        throw e;
      }
      for (const n of report.notices) info(human`secrets-vault: notice: ${n}`);
      const next = `secrets-vault serve --data ${o.from} --database-url ${target}`;
      if (g().json) return out(safeJson({ ...report, next }));
      if (report.sourceSchemaMigrated) {
        out(human`The source vault.db was on schema ${report.sourceSchemaMigrated.from}; it was migrated in place to ${report.sourceSchemaMigrated.to} first.`);
      }
      out(human`Copied ${path.resolve(o.from)} to ${target} and verified it:`);
      for (const t of MIGRATED_TABLES) {
        const extra = t === 'audit' ? human` (${report.auditFrom.changes} changes from vault.db, ${report.auditFrom.accessLog} reads from audit.db)` : '';
        out(human`  ${t.padEnd(10)} ${report.rows[t]}${extra}`);
      }
      out(human`  ${report.valuesVerified} value(s) decrypt and ${report.dataKeysVerified} data key(s) and the token key unwrap with the master key.`);
      out('');
      out('Next: serve from PostgreSQL (every replica needs the same master key):');
      out(human`  ${next}`);
      out(human`The data folder then needs only the key file; vault.db and audit.db are no longer used: archive them.`);
    });
}
