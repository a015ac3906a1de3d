// `secrets`: metadata, create, update, delete (values come from stdin or a hidden prompt, never argv).

import { Command, Option } from 'commander';
import type { SecretValue } from '../../../../protocol/names';
import { safeJson } from '../../../../protocol/safeText';
import { CliError, EXIT, human, out, promptHidden, readStdin, table } from '../io';
import { parseVersion } from './context';
import type { CommandContext } from './context';

export function registerSecretsCommands(cli: Command, ctx: CommandContext): void {
  const { g, api } = ctx;
  const secrets = cli.command('secrets').description('secrets: metadata, create, update, delete');
  secrets
    .command('list')
    .option('--agent <id>', 'only those granted to this agent')
    .action(async (o: { agent?: string }) => {
      const list = await api().listSecrets(o.agent);
      if (g().json) return out(safeJson(list));
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
      if (g().json) return out(safeJson(s));
      out(human`${s.name} (${s.kind}${s.kind === 'kv' ? `: ${s.keys.join(', ')}` : ''}), version ${s.version}`);
      if (s.description) out(human`  ${s.description}`);
      out(human`  agents: ${s.agents.join(', ') || '(none)'}`);
      out(human`  updated ${s.updatedAt} by ${s.updatedBy}`);
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
      if (g().json) return out(safeJson(s));
      out(human`Created '${s.name}' (${s.kind}), granted to ${s.agents.join(', ') || 'no agent'}.`);
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
      if (g().json) return out(safeJson(s));
      out(human`Updated '${s.name}' (now version ${s.version}).`);
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
          human`Delete '${name}'? ${s.agents.length ? `${s.agents.join(', ')} will lose it. ` : ''}Type the name to confirm: `,
        );
        if (answer.trim() !== name) throw new CliError('Not deleted.', EXIT.failure);
      }
      await client.deleteSecret(name, o.ifMatch);
      if (g().json) return out(safeJson({ deleted: name }));
      out(human`Deleted '${name}'.`);
    });
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
