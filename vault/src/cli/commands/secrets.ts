// `secrets`: metadata, create, update, delete (values come from stdin or a hidden prompt, never argv);
// kept values and rollback; `list --due` for a cron job (expired, expiring within 7 days, rotation due).

import { Command, Option } from 'commander';
import { MAX_ROTATION_DAYS, MIN_ROTATION_DAYS, type SecretMetadata } from '../../../../protocol/api';
import { keySensitivity, type KeySensitivity } from '../../../../protocol/keySensitivity';
import { lastReadPhrase } from '../../../../protocol/lastReads';
import { EXPIRING_SOON_DAYS, isDue, lifecycleOf, type Lifecycle } from '../../../../protocol/lifecycle';
import { conventionalName, followsConvention, type NamingStyle, type SecretValue } from '../../../../protocol/names';
import type { VaultApi } from '../../../../protocol/client';
import { injectionNotice } from '../../../../protocol/processEnv';
import { safeJson } from '../../../../protocol/safeText';
import { CliError, EXIT, human, info, out, promptHidden, readStdin, table } from '../io';
import { parseVersion } from './commandContext';
import type { CommandContext } from './commandContext';

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
              list.map((s) => [s.name, s.kind === 'kv' ? `kv (${s.keys.join(', ')})` : 'single', notSensitiveText(s) || '-', s.agents.join(', ') || '-', s.description]),
              ['NAME', 'KIND', 'NOT SENSITIVE', 'AGENTS', 'DESCRIPTION'],
            )
          : 'No secrets.',
      );
    });
  secrets
    .command('get')
    .alias('show')
    .description('show metadata (never the value)')
    .argument('<name>')
    .action(async (name: string) => {
      const s = await api().getSecret(name);
      if (g().json) return out(safeJson(s));
      out(human`'${s.name}' (${s.kind}${s.kind === 'kv' ? `: ${s.keys.join(', ')}` : ''}), version ${s.version}`);
      if (s.description) out(human`  ${s.description}`);
      if (s.kind === 'kv') {
        const text = notSensitiveText(s);
        out(human`  not sensitive: ${text || '(none: every key is a credential)'}`);
      }
      out(human`  agents: ${s.agents.join(', ') || '(none)'}`);
      out(human`  updated ${s.updatedAt} by ${s.updatedBy}`);
      if (s.valueVersion !== undefined) out(human`  value version ${s.valueVersion}, set ${s.valueUpdatedAt ?? '?'} by ${s.valueUpdatedBy ?? '?'}`);
      out(human`  expires: ${s.expiresAt ?? 'never'}; rotation reminder: ${s.rotationDays ? `every ${s.rotationDays} days` : 'none'}`);
      const reasons = dueReasons(lifecycleOf(s, Date.now()));
      if (reasons.length) out(human`  due: ${reasons.join('; ')}`);
      // Per agent on the access list, then agents that read it before losing access (history).
      const reads = new Map((s.lastReads ?? []).map((r) => [r.agent, r]));
      const now = Date.now();
      for (const agent of s.agents) out(human`  ${lastReadPhrase(agent, reads.get(agent), now)}`);
      for (const r of s.lastReads ?? []) if (!s.agents.includes(r.agent)) out(human`  ${lastReadPhrase(r.agent, r, now)}; no longer granted`);
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
    .addOption(markOption('not-sensitive'))
    .addOption(markOption('sensitive'))
    .action(async (name: string, o: { description?: string; kv?: boolean; key?: string[]; agent?: string[]; expires?: string; rotationDays?: number } & MarkOptions) => {
      const marks = marksOf(o);
      if (Object.keys(marks).length > 0 && !o.kv) throw new CliError('--not-sensitive and --sensitive mark keys of a key/value secret: add --kv.', EXIT.usage);
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
        ...(Object.keys(marks).length > 0 ? { keySensitivity: marks } : {}),
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
    .addOption(markOption('not-sensitive'))
    .addOption(markOption('sensitive'))
    .addOption(new Option('--unmark <key>', "remove a key's mark: it takes the default its name implies again (repeatable)").argParser(collect).default(undefined))
    .addOption(new Option('--if-match <version>', 'fail if the secret changed since this version').argParser(parseVersion))
    .action(
      async (
        name: string,
        o: { description?: string; value?: boolean; kv?: boolean; key?: string[]; ifMatch?: number; expires?: string; expiry?: boolean; rotationDays?: number; rotation?: boolean; unmark?: string[] } & MarkOptions,
      ) => {
      if (o.expires !== undefined && o.expiry === false) throw new CliError('Give --expires or --no-expiry, not both.', EXIT.usage);
      if (o.rotationDays !== undefined && o.rotation === false) throw new CliError('Give --rotation-days or --no-rotation, not both.', EXIT.usage);
      const lifecycle = {
        ...(o.expires !== undefined ? { expiresAt: o.expires } : o.expiry === false ? { expiresAt: null } : {}),
        ...(o.rotationDays !== undefined ? { rotationDays: o.rotationDays } : o.rotation === false ? { rotationDays: null } : {}),
      };
      const marking = Object.keys(marksOf(o)).length > 0 || (o.unmark?.length ?? 0) > 0;
      if (!o.value && o.description === undefined && Object.keys(lifecycle).length === 0 && !marking) {
        throw new CliError(
          'Nothing to change: give --description, --value, --expires/--no-expiry, --rotation-days/--no-rotation and/or --not-sensitive/--sensitive/--unmark.',
          EXIT.usage,
        );
      }
      const value = o.value ? await readValue(Boolean(o.kv), o.key) : undefined;
      const client = api();
      // The vault replaces every mark at once: the change is made on the marks read, and If-Match
      // (the version read, unless given) makes sure nobody changed them in between.
      let marks: { keySensitivity?: Record<string, KeySensitivity> } = {};
      let ifMatch = o.ifMatch;
      if (marking) {
        const current = await client.getSecret(name);
        ifMatch ??= current.version;
        const keys = value === undefined ? current.keys : typeof value === 'string' ? [] : Object.keys(value);
        marks = { keySensitivity: changedMarks(current.keySensitivity, keys, o) };
      }
      const body = {
        ...(o.description !== undefined ? { description: o.description } : {}),
        ...lifecycle,
        ...marks,
        ...(value !== undefined ? { value } : {}),
      };
      const s = await client.updateSecret(name, body, ifMatch);
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

interface MarkOptions {
  notSensitive?: string[];
  sensitive?: string[];
}

function collect(v: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), v];
}

/** `--not-sensitive <key>` / `--sensitive <key>`, repeatable: marks on keys of a key/value secret. */
function markOption(mark: KeySensitivity): Option {
  const help =
    mark === 'not-sensitive'
      ? 'mark a key as not sensitive: configuration such as a base URL, which may appear in logs (repeatable)'
      : 'mark a key as sensitive: a credential, even if its name says otherwise (repeatable)';
  return new Option(`--${mark} <key>`, help).argParser(collect).default(undefined);
}

/** The marks the options give; a key given both ways is a usage error. */
function marksOf(o: MarkOptions): Record<string, KeySensitivity> {
  const marks: Record<string, KeySensitivity> = {};
  for (const k of o.notSensitive ?? []) marks[k] = 'not-sensitive';
  for (const k of o.sensitive ?? []) {
    if (marks[k] === 'not-sensitive') throw new CliError(`'${k}' is given as both --not-sensitive and --sensitive.`, EXIT.usage);
    marks[k] = 'sensitive';
  }
  return marks;
}

/** The marks after an update: the current ones on `keys`, changed by the options (--unmark removes one). */
function changedMarks(current: Record<string, KeySensitivity> | undefined, keys: string[], o: MarkOptions & { unmark?: string[] }): Record<string, KeySensitivity> {
  const given = marksOf(o);
  const next: Record<string, KeySensitivity> = {};
  for (const k of keys) if (current?.[k] !== undefined) next[k] = current[k];
  for (const k of o.unmark ?? []) {
    if (given[k] !== undefined) throw new CliError(`'${k}' is given both to --unmark and to mark it.`, EXIT.usage);
    delete next[k];
  }
  // Keys that are not the secret's are sent as given: the vault refuses them, naming the key.
  return { ...next, ...given };
}

/**
 * The keys of a key/value secret that are not sensitive, each saying why: "BASE_URL (default),
 * REGION (marked)". "default": its name says it is an address or an identifier; "marked": an admin said so.
 */
function notSensitiveText(s: SecretMetadata): string {
  if (s.kind !== 'kv') return '';
  return s.keys
    .filter((k) => keySensitivity(k, s.keySensitivity) === 'not-sensitive')
    .map((k) => `${k} (${s.keySensitivity?.[k] !== undefined ? 'marked' : 'default'})`)
    .join(', ');
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
