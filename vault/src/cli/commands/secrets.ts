// `secrets`: metadata, create, update, delete (values come from stdin or a hidden prompt, never argv);
// kept values and rollback; `list --due` for a cron job (expired, expiring within 7 days, rotation due).

import { Command, Option } from 'commander';
import { MAX_ROTATION_DAYS, MIN_ROTATION_DAYS, type SecretMetadata } from '../../../../protocol/api';
import { EXPIRING_SOON_DAYS, isDue, lifecycleOf, type Lifecycle } from '../../../../protocol/lifecycle';
import { conventionalName, followsConvention, type NamingStyle, type SecretValue } from '../../../../protocol/names';
import type { VaultApi } from '../../../../protocol/client';
import { injectionNotice } from '../../../../protocol/processEnv';
import { safeJson } from '../../../../protocol/safeText';
import { CliError, EXIT, human, info, out, promptHidden, readStdin, table } from '../io';
import { parseVersion } from './context';
import type { CommandContext } from './context';

export function registerSecretsCommands(cli: Command, ctx: CommandContext): void {
  const { g, api } = ctx;
  const secrets = cli.command('secrets').description('secrets: metadata, create, update, delete');
  secrets
    .command('list')
    .option('--agent <id>', 'only those granted to this agent')
    .option(
      '--due',
      `only secrets that need attention: expired, expiring within ${EXPIRING_SOON_DAYS} days, or due for rotation, with the reason on each line. For cron: exit code 0, and no output at all when none is due`,
    )
    .action(async (o: { agent?: string; due?: boolean }) => {
      const list = await api().listSecrets(o.agent);
      if (o.due) return printDue(list, Date.now(), g().json);
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
      out(human`'${s.name}' (${s.kind}${s.kind === 'kv' ? `: ${s.keys.join(', ')}` : ''}), version ${s.version}`);
      if (s.description) out(human`  ${s.description}`);
      out(human`  agents: ${s.agents.join(', ') || '(none)'}`);
      out(human`  updated ${s.updatedAt} by ${s.updatedBy}`);
      if (s.valueVersion !== undefined) out(human`  value version ${s.valueVersion}, set ${s.valueUpdatedAt ?? '?'} by ${s.valueUpdatedBy ?? '?'}`);
      out(human`  expires: ${s.expiresAt ?? 'never'}; rotation reminder: ${s.rotationDays ? `every ${s.rotationDays} days` : 'none'}`);
      const reasons = dueReasons(lifecycleOf(s, Date.now()));
      if (reasons.length) out(human`  due: ${reasons.join('; ')}`);
    });
  secrets
    .command('versions')
    .description('the kept values of a secret (metadata only, never a value), newest first')
    .argument('<name>')
    .action(async (name: string) => {
      const versions = await api().listSecretVersions(name);
      if (g().json) return out(safeJson(versions));
      out(
        table(
          versions.map((x) => [
            String(x.version),
            x.current ? 'current' : '',
            x.kind === 'kv' ? `kv (${x.keys.join(', ')})` : 'single',
            x.createdAt,
            x.createdBy,
            x.restoredFrom !== undefined ? `restored from ${x.restoredFrom}` : '',
          ]),
          ['VERSION', '', 'KIND', 'SET AT', 'SET BY', 'NOTE'],
        ),
      );
    });
  secrets
    .command('rollback')
    .description('admins: make the value of a kept version the current value again (as a new version)')
    .argument('<name>')
    .argument('<version>', 'the value version to restore (see `secrets versions`)', parseVersion)
    .addOption(new Option('--if-match <version>', "fail if the secret changed since this version (default: the version read just before)").argParser(parseVersion))
    .action(async (name: string, version: number, o: { ifMatch?: number }) => {
      const client = api();
      const ifMatch = o.ifMatch ?? (await client.getSecret(name)).version;
      const s = await client.rollbackSecret(name, version, ifMatch);
      if (g().json) return out(safeJson(s));
      out(human`Rolled '${s.name}' back to the value of version ${version} (now value version ${s.valueVersion ?? '?'}).`);
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
    .addOption(expiresOption())
    .addOption(rotationOption())
    .action(async (name: string, o: { description?: string; kv?: boolean; key?: string[]; agent?: string[]; expires?: string; rotationDays?: number }) => {
      const client = api();
      // Environment-style accounts, before the value is asked for: a name no run would inject is
      // refused (the vault refuses it too), one a run injects only when opted into is warned about.
      const notice = (await client.whoami()).account.namingStyle === 'UPPER_CASE' ? injectionNotice(name) : undefined;
      if (notice?.refused) throw new CliError(human`${notice.message}`, EXIT.usage);
      if (notice) info(human`secrets-vault: warning: ${notice.message}`);
      const value = await readValue(Boolean(o.kv), o.key);
      const s = await client.createSecret({
        name,
        value,
        ...(o.description ? { description: o.description } : {}),
        ...(o.agent ? { agents: o.agent } : {}),
        ...(o.expires !== undefined ? { expiresAt: o.expires } : {}),
        ...(o.rotationDays !== undefined ? { rotationDays: o.rotationDays } : {}),
      });
      // The convention is advice: the name is kept as given, and the conforming one suggested.
      const advice = await conventionAdvice(client, s.name);
      if (g().json) {
        if (advice) info(advice);
        return out(safeJson(s));
      }
      out(human`Created '${s.name}' (${s.kind}), granted to ${s.agents.join(', ') || 'no agent'}.`);
      if (advice) info(advice);
    });
  secrets
    .command('update')
    .description(`change the description and/or the value (--value). ${valueHelp}`)
    .argument('<name>')
    .option('--description <text>', 'new description')
    .option('--value', 'also replace the value')
    .option('--kv', 'the new value is key/value pairs')
    .option('--key <key...>', 'with --kv at a terminal: the keys to ask for')
    .addOption(expiresOption())
    .option('--no-expiry', 'remove the expiry')
    .addOption(rotationOption())
    .option('--no-rotation', 'remove the rotation reminder')
    .addOption(new Option('--if-match <version>', 'fail if the secret changed since this version').argParser(parseVersion))
    .action(
      async (
        name: string,
        o: { description?: string; value?: boolean; kv?: boolean; key?: string[]; ifMatch?: number; expires?: string; expiry?: boolean; rotationDays?: number; rotation?: boolean },
      ) => {
      if (o.expires !== undefined && o.expiry === false) throw new CliError('Give --expires or --no-expiry, not both.', EXIT.usage);
      if (o.rotationDays !== undefined && o.rotation === false) throw new CliError('Give --rotation-days or --no-rotation, not both.', EXIT.usage);
      const lifecycle = {
        ...(o.expires !== undefined ? { expiresAt: o.expires } : o.expiry === false ? { expiresAt: null } : {}),
        ...(o.rotationDays !== undefined ? { rotationDays: o.rotationDays } : o.rotation === false ? { rotationDays: null } : {}),
      };
      if (!o.value && o.description === undefined && Object.keys(lifecycle).length === 0) {
        throw new CliError('Nothing to change: give --description, --value, --expires/--no-expiry and/or --rotation-days/--no-rotation.', EXIT.usage);
      }
      const body = {
        ...(o.description !== undefined ? { description: o.description } : {}),
        ...lifecycle,
        ...(o.value ? { value: await readValue(Boolean(o.kv), o.key) } : {}),
      };
      const s = await api().updateSecret(name, body, o.ifMatch);
      if (g().json) return out(safeJson(s));
      out(human`Updated '${s.name}' (now version ${s.version}).`);
      },
    );
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

/**
 * The account's naming convention as a notice for a name off it ("The account advises snake_case:
 * prod_api_credentials."), or undefined. Only a name that would be valid in an environment-style
 * account asks the vault for the style: any other name was just accepted, so the account is snake_case.
 */
async function conventionAdvice(client: VaultApi, name: string): Promise<string | undefined> {
  if (followsConvention(name, 'snake_case')) return undefined;
  const style: NamingStyle = followsConvention(name, 'UPPER_CASE') ? (await client.whoami()).account.namingStyle : 'snake_case';
  if (followsConvention(name, style)) return undefined;
  const suggestion = conventionalName(name, style);
  return suggestion
    ? human`The account advises ${style}: ${suggestion}. The name was kept as given.`
    : `The account advises ${style} names (a letter, then letters, digits or underscores). The name was kept as given.`;
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

/** `--expires`: a date alone means 00:00 UTC that day; anything else goes to the vault, which checks it. */
function expiresOption(): Option {
  return new Option('--expires <date-time>', 'run-time reads are refused from then on: ISO 8601, e.g. 2026-12-31 (00:00 UTC) or 2026-12-31T18:00:00+01:00').argParser(
    (v: string) => (/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v),
  );
}

function rotationOption(): Option {
  return new Option('--rotation-days <n>', `remind to rotate the value when it is older than this (${MIN_ROTATION_DAYS} to ${MAX_ROTATION_DAYS} days)`).argParser((v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < MIN_ROTATION_DAYS || n > MAX_ROTATION_DAYS) {
      throw new CliError(`--rotation-days must be a whole number from ${MIN_ROTATION_DAYS} to ${MAX_ROTATION_DAYS}, not '${v}'.`, EXIT.usage);
    }
    return n;
  });
}

/** Why a secret is due, in words: "expired 2026-11-01", "expires 2026-11-08", "rotation due since 2026-10-02". */
function dueReasons(l: Lifecycle): string[] {
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const reasons: string[] = [];
  if (l.expired && l.expiresAtMs !== null) reasons.push(`expired ${day(l.expiresAtMs)}`);
  else if (l.expiringSoon && l.expiresAtMs !== null) reasons.push(`expires ${day(l.expiresAtMs)}`);
  if (l.rotationDue && l.rotationDueAtMs !== null) reasons.push(`rotation due since ${day(l.rotationDueAtMs)}`);
  return reasons;
}

/**
 * `secrets list --due`: one line per secret that needs attention, with its reasons; nothing at all
 * when none does (a cron job then sends no mail). With --json, the list (possibly empty) of
 * { name, reasons, expiresAt, rotationDays, valueUpdatedAt }.
 */
function printDue(list: SecretMetadata[], nowMs: number, json: boolean | undefined): void {
  const due = list.flatMap((s) => {
    const l = lifecycleOf(s, nowMs);
    return isDue(l) ? [{ s, reasons: dueReasons(l) }] : [];
  });
  if (json) {
    out(
      safeJson(
        due.map(({ s, reasons }) => ({ name: s.name, reasons, expiresAt: s.expiresAt ?? null, rotationDays: s.rotationDays ?? null, valueUpdatedAt: s.valueUpdatedAt ?? s.updatedAt })),
      ),
    );
    return;
  }
  if (due.length === 0) return;
  out(table(due.map(({ s, reasons }) => [s.name, reasons.join('; ')]), ['NAME', 'DUE']));
}
