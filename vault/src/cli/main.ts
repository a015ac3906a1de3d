// `secrets-vault`: run a vault (init, serve, demo, rotate-key) and administer one over its API.

import { Command, CommanderError, Option } from 'commander';
import path from 'node:path';
import type { Role } from '../../../protocol/api';
import { VaultApi, VaultApiError } from '../../../protocol/client';
import { NAMING_STYLES, type NamingStyle, type SecretValue } from '../../../protocol/names';
import { MasterKeyError } from '../crypto/master';
import { DEMO_ADMIN_KEY_NAME, demoName, seedDemo } from '../demo';
import { addAccount, DEFAULT_DATA_DIR, initVault, isInitialised, openVault, serve, VaultSetupError, VERSION } from '../vault';
import { registerCheckCommands } from './check';
import { CliError, EXIT, promptHidden, readStdin, table } from './io';
import { apiFailure, remoteApi, undiciTransport, type RemoteOptions } from './remote';

const out = (s: string): void => {
  process.stdout.write(`${s}\n`);
};
const info = (s: string) => process.stderr.write(`${s}\n`);

interface Global extends RemoteOptions {
  json?: boolean;
}

function program(): Command {
  const cli = new Command('secrets-vault')
    .description('Secrets Vault: secrets for AI agents, with access lists, audit and live events.')
    .version(VERSION)
    .option('--url <url>', 'vault URL (default: $SECRETS_VAULT_URL, secrets-vault.json, http://127.0.0.1:8787)')
    .option('--token-file <file>', 'read the API key or agent token from a file (default: $SECRETS_VAULT_TOKEN)')
    .option('--json', 'print JSON for scripts')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  const g = (): Global => cli.opts<Global>();
  const api = () => remoteApi(g());
  const dataOption = () => new Option('--data <dir>', 'data folder').default(DEFAULT_DATA_DIR);
  const namingOption = () =>
    new Option('--naming <style>', 'secret naming style of the account').choices(NAMING_STYLES as string[]).default('snake_case');

  // ---- running a vault ----

  cli
    .command('init')
    .description('create the data folder, the master key file and the database; prints the first admin API key once')
    .addOption(dataOption())
    .addOption(namingOption())
    .option('--account <name>', 'account name', 'default')
    .action(async (o: { data: string; naming: NamingStyle; account: string }) => {
      const r = await initVault({ dataDir: o.data, namingStyle: o.naming, accountName: o.account });
      r.vault.close();
      if (g().json) return out(JSON.stringify({ dataDir: o.data, account: r.account, adminKey: r.adminKey }));
      out(`Initialised a vault in ${path.resolve(o.data)} (account '${r.account.name}', ${o.naming} names).`);
      out(r.keySource === 'file' ? `Master key: ${path.join(o.data, 'master.key')} (mode 0600). Back it up: without it the data cannot be read.` : 'Master key: from SECRETS_VAULT_MASTER_KEY.');
      out('');
      out(`Admin API key (shown once, store it now):\n  ${r.adminKey}`);
    });

  cli
    .command('add-account')
    .description('add another account to a vault (accounts never see each other); prints its admin key once')
    .argument('<name>', 'account name')
    .addOption(dataOption())
    .addOption(namingOption())
    .action(async (name: string, o: { data: string; naming: NamingStyle }) => {
      const vault = await openVault({ dataDir: o.data });
      try {
        const r = await addAccount(vault, name, o.naming);
        if (g().json) return out(JSON.stringify(r));
        out(`Account '${name}' (${r.account.id}). Admin API key (shown once):\n  ${r.adminKey}`);
      } finally {
        vault.close();
      }
    });

  cli
    .command('serve')
    .description('serve the vault API')
    .addOption(dataOption())
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .addOption(new Option('--port <port>', 'port').default(8787).argParser(parsePort))
    .option('--quiet', 'log warnings and errors only')
    .action(async (o: { data: string; host: string; port: number; quiet?: boolean }) => {
      const vault = await openVault({ dataDir: o.data });
      const server = await serve(vault, { host: o.host, port: o.port, logger: { level: o.quiet ? 'warn' : 'info' } });
      out(`listening on ${server.url}`);
      stopOnSignal(async () => {
        await server.close();
        vault.close();
      });
    });

  cli
    .command('demo')
    .description('initialise if needed, seed demo agents and secrets, serve, and print the URL and an admin key')
    .addOption(new Option('--data <dir>', 'data folder').default(path.join(DEFAULT_DATA_DIR, 'demo')))
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .addOption(new Option('--port <port>', 'port').default(8787).argParser(parsePort))
    .addOption(namingOption())
    .action(async (o: { data: string; host: string; port: number; naming: NamingStyle }) => {
      const fresh = !isInitialised(o.data);
      const vault = fresh ? (await initVault({ dataDir: o.data, namingStyle: o.naming, accountName: 'demo' })).vault : await openVault({ dataDir: o.data });
      const [account] = await vault.store.listAccounts();
      if (!account) throw new CliError(`${o.data} holds no account.`, EXIT.failure);
      // A fresh key each start: only digests are stored, so an earlier key cannot be shown again.
      const admin = await vault.service.issueUserKey(account.id, DEMO_ADMIN_KEY_NAME, 'admin', null);
      const server = await serve(vault, { host: o.host, port: o.port, logger: { level: 'warn' } });
      const api = new VaultApi(undiciTransport(server.url), admin.token);
      const seeded = await seedDemo(api, account.namingStyle);
      const agentToken = await api.createAgentToken('booking-agent', 'demo booking-agent token');
      if (g().json) {
        out(JSON.stringify({ url: server.url, adminKey: admin.token, agentToken: agentToken.token, dataDir: o.data, namingStyle: account.namingStyle }));
      } else {
        out(`listening on ${server.url}`);
        out(`Demo vault in ${path.resolve(o.data)}${fresh ? ' (new)' : ''}: ${seeded.agents} agents, ${seeded.secrets} secrets added.`);
        out('');
        out(`Admin API key:          ${admin.token}`);
        out(`booking-agent token:    ${agentToken.token}`);
        out('');
        out('Try:');
        out(`  export SECRETS_VAULT_URL=${server.url} SECRETS_VAULT_TOKEN=${admin.token}`);
        out(`  curl -s -H "Authorization: Bearer $SECRETS_VAULT_TOKEN" ${server.url}/v1/secrets?agent=booking-agent`);
        out(`  curl -s -H "Authorization: Bearer ${agentToken.token}" ${server.url}/v1/runtime/secrets/${demoName('amadeus_flights', account.namingStyle)}`);
        out('Press Ctrl+C to stop.');
      }
      stopOnSignal(async () => {
        await server.close();
        vault.close();
      });
    });

  cli
    .command('rotate-key')
    .description('re-encrypt every value under a new data key (and, with a key file, a new master key); safe while the vault serves')
    .addOption(dataOption())
    .action(async (o: { data: string }) => {
      const vault = await openVault({ dataDir: o.data });
      try {
        const r = await vault.keyring.rotate((n) => {
          if (process.stderr.isTTY) process.stderr.write(`\rre-encrypted ${n} values`);
        });
        if (process.stderr.isTTY) process.stderr.write('\n');
        if (r.unreadable.length > 0) process.exitCode = EXIT.failure;
        if (g().json) return out(JSON.stringify(r));
        out(`Re-encrypted ${r.resealed} values under data key ${r.dataKey}.`);
        out(r.masterRotated ? `New master key ${r.masterKey} in the key file; old master keys removed.` : 'The master key comes from SECRETS_VAULT_MASTER_KEY and was kept; only the data key was rotated.');
        if (r.droppedDataKeys.length) out(`Dropped data keys: ${r.droppedDataKeys.join(', ')}.`);
        if (r.unreadable.length) {
          info(
            `secrets-vault: ${r.unreadable.length} stored value(s) failed authentication (tampered or corrupted) and were left under their old key: ${r.unreadable.map((u) => u.name).join(', ')}. Restore them from a backup or set them again.`,
          );
        }
      } finally {
        vault.close();
      }
    });

  // ---- over the API ----

  cli
    .command('whoami')
    .description('show the account and the identity of your token')
    .action(async () => {
      const w = await api().whoami();
      if (g().json) return out(JSON.stringify(w));
      const p = w.principal;
      out(`${p.type === 'user' ? `${p.name} (${p.role})` : `agent ${p.id}`} in account '${w.account.name}' (${w.account.namingStyle} names)`);
    });

  const agents = cli.command('agents').description('list, create and delete agents; mint agent tokens');
  agents
    .command('list')
    .action(async () => {
      const list = await api().listAgents();
      if (g().json) return out(JSON.stringify(list));
      out(list.length ? table(list.map((a) => [a.id, a.name, a.description]), ['ID', 'NAME', 'DESCRIPTION']) : 'No agents.');
    });
  agents
    .command('create')
    .argument('<id>', 'agent id (lower-case letters, digits, hyphens)')
    .option('--name <name>', 'display name')
    .option('--description <text>', 'what the agent does')
    .action(async (id: string, o: { name?: string; description?: string }) => {
      const a = await api().createAgent({ id, ...(o.name ? { name: o.name } : {}), ...(o.description ? { description: o.description } : {}) });
      if (g().json) return out(JSON.stringify(a));
      out(`Created agent '${a.id}'.`);
    });
  agents
    .command('delete')
    .argument('<id>')
    .action(async (id: string) => {
      await api().deleteAgent(id);
      if (g().json) return out(JSON.stringify({ deleted: id }));
      out(`Deleted agent '${id}' and removed it from every access list.`);
    });
  agents
    .command('token')
    .description('mint a run-time token for an agent (shown once)')
    .argument('<id>')
    .option('--name <name>', 'label for the token')
    .action(async (id: string, o: { name?: string }) => {
      const t = await api().createAgentToken(id, o.name);
      if (g().json) return out(JSON.stringify(t));
      out(`Agent token for '${id}' (shown once):\n  ${t.token}`);
    });

  const keys = cli.command('keys').description('user API keys');
  keys.command('list').action(async () => {
    const list = await api().listUserKeys();
    if (g().json) return out(JSON.stringify(list));
    out(table(list.map((k) => [k.id, k.role, k.revokedAt ? 'revoked' : 'active', k.name]), ['ID', 'ROLE', 'STATE', 'NAME']));
  });
  keys
    .command('create')
    .argument('<name>', 'who or what the key is for')
    .addOption(new Option('--role <role>', 'role').choices(['admin', 'developer']).default('developer'))
    .action(async (name: string, o: { role: Role }) => {
      const k = await api().createUserKey({ name, role: o.role });
      if (g().json) return out(JSON.stringify(k));
      out(`API key '${name}' (${o.role}, shown once):\n  ${k.token}`);
    });
  keys
    .command('revoke')
    .argument('<id>')
    .action(async (id: string) => {
      await api().revokeUserKey(id);
      if (g().json) return out(JSON.stringify({ revoked: id }));
      out(`Revoked API key ${id}.`);
    });

  const secrets = cli.command('secrets').description('secrets: metadata, create, update, delete');
  secrets
    .command('list')
    .option('--agent <id>', 'only those granted to this agent')
    .action(async (o: { agent?: string }) => {
      const list = await api().listSecrets(o.agent);
      if (g().json) return out(JSON.stringify(list));
      out(
        list.length
          ? table(
              list.map((s) => [s.name, s.kind === 'kv' ? `kv (${s.keys.join(', ')})` : 'single', s.agents.join(', ') || '-', s.description]),
              ['NAME', 'KIND', 'AGENTS', 'DESCRIPTION'],
            )
          : 'No secrets.',
      );
    });
  secrets
    .command('get')
    .description('show metadata (never the value)')
    .argument('<name>')
    .action(async (name: string) => {
      const s = await api().getSecret(name);
      if (g().json) return out(JSON.stringify(s));
      out(`${s.name} (${s.kind}${s.kind === 'kv' ? `: ${s.keys.join(', ')}` : ''}), version ${s.version}`);
      if (s.description) out(`  ${s.description}`);
      out(`  agents: ${s.agents.join(', ') || '(none)'}`);
      out(`  updated ${s.updatedAt} by ${s.updatedBy}`);
    });
  const valueHelp =
    'The value is read from stdin when it is not a terminal, otherwise asked for without echo. With --kv, stdin is a JSON object of string pairs; at a terminal, each --key is asked for.';
  secrets
    .command('create')
    .description(`create a secret. ${valueHelp}`)
    .argument('<name>')
    .option('--description <text>', 'what it is for')
    .option('--kv', 'key/value pairs instead of a single value')
    .option('--key <key...>', 'with --kv at a terminal: the keys to ask for')
    .option('--agent <id...>', 'agents to grant access')
    .action(async (name: string, o: { description?: string; kv?: boolean; key?: string[]; agent?: string[] }) => {
      const value = await readValue(Boolean(o.kv), o.key);
      const s = await api().createSecret({ name, value, ...(o.description ? { description: o.description } : {}), ...(o.agent ? { agents: o.agent } : {}) });
      if (g().json) return out(JSON.stringify(s));
      out(`Created '${s.name}' (${s.kind}), granted to ${s.agents.join(', ') || 'no agent'}.`);
    });
  secrets
    .command('update')
    .description(`change the description and/or the value (--value). ${valueHelp}`)
    .argument('<name>')
    .option('--description <text>', 'new description')
    .option('--value', 'also replace the value')
    .option('--kv', 'the new value is key/value pairs')
    .option('--key <key...>', 'with --kv at a terminal: the keys to ask for')
    .addOption(new Option('--if-match <version>', 'fail if the secret changed since this version').argParser(parseVersion))
    .action(async (name: string, o: { description?: string; value?: boolean; kv?: boolean; key?: string[]; ifMatch?: number }) => {
      if (!o.value && o.description === undefined) throw new CliError('Nothing to change: give --description and/or --value.', EXIT.usage);
      const body = { ...(o.description !== undefined ? { description: o.description } : {}), ...(o.value ? { value: await readValue(Boolean(o.kv), o.key) } : {}) };
      const s = await api().updateSecret(name, body, o.ifMatch);
      if (g().json) return out(JSON.stringify(s));
      out(`Updated '${s.name}' (now version ${s.version}).`);
    });
  secrets
    .command('delete')
    .argument('<name>')
    .option('--yes', 'do not ask for confirmation')
    .addOption(new Option('--if-match <version>', 'fail if the secret changed since this version').argParser(parseVersion))
    .action(async (name: string, o: { yes?: boolean; ifMatch?: number }) => {
      const client = api();
      if (!o.yes) {
        if (!process.stdin.isTTY) throw new CliError('Refusing to delete without confirmation: pass --yes.', EXIT.usage);
        const s = await client.getSecret(name);
        const answer = await promptHidden(
          `Delete '${name}'? ${s.agents.length ? `${s.agents.join(', ')} will lose it. ` : ''}Type the name to confirm: `,
        );
        if (answer.trim() !== name) throw new CliError('Not deleted.', EXIT.failure);
      }
      await client.deleteSecret(name, o.ifMatch);
      if (g().json) return out(JSON.stringify({ deleted: name }));
      out(`Deleted '${name}'.`);
    });

  const access = cli.command('access').description('access lists');
  access
    .command('set')
    .description('replace the whole access list (guarded by the version read just before)')
    .argument('<name>')
    .argument('[agents...]', 'the agents that keep or get access; none removes all')
    .action(async (name: string, list: string[]) => {
      const client = api();
      const current = await client.getSecret(name);
      const s = await client.replaceAccess(name, list, current.version);
      if (g().json) return out(JSON.stringify(s));
      out(`'${name}' is now granted to ${s.agents.join(', ') || 'no agent'}.`);
    });
  for (const [verb, grant] of [
    ['grant', true],
    ['revoke', false],
  ] as const) {
    access
      .command(verb)
      .argument('<name>')
      .argument('<agent>')
      .action(async (name: string, agent: string) => {
        const s = grant ? await api().grant(name, agent) : await api().revoke(name, agent);
        if (g().json) return out(JSON.stringify(s));
        out(`'${name}' is granted to ${s.agents.join(', ') || 'no agent'}.`);
      });
  }

  cli
    .command('audit')
    .description('the audit log, newest first')
    .addOption(new Option('--limit <n>', 'records per page').default(50).argParser(parseVersion))
    .addOption(new Option('--before <id>', 'records older than this one (an id from the ID column)'))
    .action(async (o: { limit: number; before?: string }) => {
      const page = await api().audit({ limit: o.limit, ...(o.before ? { before: o.before } : {}) });
      if (g().json) return out(JSON.stringify(page));
      out(table(page.records.map((r) => [r.id, r.time, r.actor, r.action, r.target, r.outcome, r.detail]), ['ID', 'TIME', 'ACTOR', 'ACTION', 'TARGET', 'OUTCOME', 'DETAIL']));
      if (page.next) out(`(more: --before ${page.next})`);
    });

  const runtime = cli.command('runtime').description('what an agent sees at run time (needs an agent token)');
  runtime
    .command('get')
    .description('print a granted value, as get_secret returns it (a string, or JSON for key/value)')
    .argument('<name>')
    .action(async (name: string) => {
      const r = await api().runtimeSecret(name);
      out(typeof r.value === 'string' && !g().json ? r.value : JSON.stringify(g().json ? r : r.value));
    });
  runtime
    .command('env')
    .description('print the granted single values as NAME=value lines (or JSON)')
    .action(async () => {
      const r = await api().runtimeEnv();
      if (g().json) return out(JSON.stringify(r));
      for (const [k, v] of Object.entries(r.env)) out(`${k}=${JSON.stringify(v)}`);
    });

  // ---- for reviewers and CI ----

  registerCheckCommands(cli, g);

  return cli;
}

async function readValue(kv: boolean, keys: string[] | undefined): Promise<SecretValue> {
  if (!process.stdin.isTTY) {
    const text = await readStdin();
    if (!kv) {
      if (text === '') throw new CliError('The value read from stdin is empty.', EXIT.usage);
      return text;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new CliError('With --kv, stdin must be a JSON object of string pairs, e.g. {"client_id": "…", "client_secret": "…"}.', EXIT.usage);
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed) || !Object.values(parsed).every((v) => typeof v === 'string')) {
      throw new CliError('With --kv, stdin must be a JSON object whose values are all strings.', EXIT.usage);
    }
    return parsed as Record<string, string>;
  }
  if (!kv) return promptHidden('Value (not shown): ');
  if (!keys?.length) throw new CliError('With --kv at a terminal, name the keys: --key client_id client_secret.', EXIT.usage);
  const value: Record<string, string> = {};
  for (const k of keys) value[k] = await promptHidden(`${k} (not shown): `);
  return value;
}

function parsePort(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new CliError(`'${v}' is not a port number.`, EXIT.usage);
  return n;
}

function parseVersion(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new CliError(`'${v}' is not a positive whole number.`, EXIT.usage);
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

export async function main(argv: string[]): Promise<number> {
  try {
    await program().parseAsync(argv);
    return EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Commander printed the message (or the help) already.
      return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help' ? EXIT.ok : EXIT.usage;
    }
    const failure =
      e instanceof CliError
        ? e
        : e instanceof VaultApiError
          ? apiFailure(e)
          : e instanceof MasterKeyError || e instanceof VaultSetupError
            ? new CliError(e.message, EXIT.failure)
            : isAddrInUse(e)
              ? new CliError(`The port is in use: ${(e as Error).message}. Pick another with --port.`, EXIT.failure)
              : undefined;
    if (failure) {
      info(`secrets-vault: ${failure.message}`);
      return failure.exitCode;
    }
    info(`secrets-vault: unexpected error: ${e instanceof Error ? e.message : String(e)}`);
    return EXIT.failure;
  }
}

function isAddrInUse(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: string }).code === 'EADDRINUSE';
}

void main(process.argv).then((code) => {
  if (code !== EXIT.ok) process.exitCode = code;
});
