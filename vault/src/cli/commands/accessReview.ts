// `secrets-vault access review [PATH…]`: least privilege for a repository of agents. What each
// agent's code may read (check's discovery and analysis, loaded from the check engine's bundle),
// against what the vault grants it and what it did read (accessReview.ts); the outputs are
// reviewFormats.ts's. `--apply` (admins) adds the missing grants and revokes the unused ones as one
// audited change of the vault; a developer's key gets the plan and files access requests.

import { Command, Option } from 'commander';
import { type AccessChange, type AccessChangesResult, MAX_ACCESS_CHANGES, MAX_ACCESS_REQUEST_REASON, type SecretMetadata } from '../../../../protocol/api';
import { DEFAULT_CHECK_MAX_FILE_SIZE } from '../../../../protocol/check';
import { VaultApiError, type VaultApi } from '../../../../protocol/client';
import { safeJson, safeText } from '../../../../protocol/safeText';
import { VERSION } from '../../defaults';
import { DEFAULT_STALE_DAYS, gatherReview, planIsEmpty, planOf, REVIEW_FAIL_ON, reviewFails, type AccessReview, type ReviewFailOn, type ReviewPlan } from '../accessReview';
import { assertPathsExist, collect, loadEngine, nothingChecked, parseSize, resolveAgent } from '../check';
import { CliError, confirm, EXIT, human, info, out } from '../io';
import { apiFailure, findWorkspaceConfig, resolveUrl } from '../remote';
import { formatReview, planText, REVIEW_FORMATS, type ReviewFormat } from '../reviewFormats';
import type { CommandContext } from './commandContext';

interface ReviewOptions {
  agent?: string;
  format: ReviewFormat;
  failOn: ReviewFailOn;
  staleDays?: number;
  exclude: string[];
  gitignore: boolean;
  maxFileSize: number;
  apply?: boolean;
  yes?: boolean;
  request?: boolean;
}

export function registerAccessReview(access: Command, { g, api }: CommandContext): void {
  access
    .command('review')
    .description(
      "compare what each agent's code reads with what the vault grants it and what it did read: missing grants, unused grants (with their last read), unknown names and stale secrets. Exit code: 0 clean, 1 findings at --fail-on, 2 usage or connection error",
    )
    .argument('[paths...]', "files and folders to review (default: the current folder); each ADK project by its project.yaml, or the agent a secrets-vault.json names")
    .option('--agent <id>', 'review every file as this agent (default: each file\'s own, as check decides it)')
    .addOption(new Option('--format <format>', 'output format').choices([...REVIEW_FORMATS]).default('text'))
    .addOption(new Option('--fail-on <what>', 'exit with 1 on missing grants and unknown names (missing), on those and unused grants (unused), or never (none)').choices([...REVIEW_FAIL_ON]).default('missing'))
    .addOption(new Option('--stale-days <days>', `a secret no code needs and no agent read for this many days is stale (default: secrets-vault.json's "staleDays", else ${DEFAULT_STALE_DAYS})`).argParser(parseDays))
    .option('--exclude <glob>', 'leave out paths matching this glob (repeatable)', collect, [])
    .option('--no-gitignore', 'also read files that .gitignore ignores')
    .addOption(new Option('--max-file-size <bytes>', 'skip larger files').default(DEFAULT_CHECK_MAX_FILE_SIZE).argParser(parseSize))
    .option('--apply', 'admins: add the missing grants and revoke the unused ones, after printing the plan and asking')
    .option('--yes', 'with --apply: do not ask (for scripts)')
    .option('--request', "file access requests for the missing grants without asking (a developer's key)")
    .action(async (paths: string[], o: ReviewOptions) => {
      const cwd = process.cwd();
      assertPathsExist(cwd, paths);
      const format: ReviewFormat = g().json && o.format === 'text' ? 'json' : o.format;
      const staleDays = o.staleDays ?? findWorkspaceConfig(cwd)?.config.staleDays ?? DEFAULT_STALE_DAYS;
      const client = api();
      let gathered;
      try {
        gathered = await gatherReview({
          vault: resolveUrl(g()),
          api: client,
          engine: loadEngine(),
          walk: { cwd, paths, exclude: o.exclude, gitignore: o.gitignore, maxFileSize: o.maxFileSize },
          agent: (agents) => resolveAgent(o.agent, { agents }),
          staleDays,
          now: new Date(),
        });
      } catch (e) {
        // Every failure to read the vault (network, token, role) is exit code 2, as check's.
        if (e instanceof VaultApiError) throw new CliError(apiFailure(e).message, EXIT.usage);
        throw e;
      }
      const { review, role } = gathered;
      if (review.filesChecked === 0) throw new CliError(nothingChecked(review, paths, o.gitignore), EXIT.usage);
      if (!o.apply && !o.request) {
        process.stdout.write(formatReview(format, review, { toolName: 'secrets-vault', toolVersion: VERSION, cwd, failOn: o.failOn }));
        if (reviewFails(review, o.failOn)) process.exitCode = EXIT.failure;
        return;
      }
      const plan = planOf(review);
      if (role === 'admin' && o.apply) return applyPlan(client, plan, gathered.secrets, format, o.yes === true);
      if (o.apply) {
        out(planText(plan).trimEnd());
        info("secrets-vault: this key is a developer's: only an admin changes access lists.");
      }
      await offerRequests(client, review, o.request === true, format);
    });
}

/**
 * Adds and revokes in one vault call (POST /v1/access/changes), after the plan was shown and
 * confirmed: one transaction, one audit record with one reason. Each change carries the version of
 * its secret that the review read, so a change made since refuses the whole plan (412): the plan
 * was made without it. Idempotent: what is already so is answered unchanged.
 */
async function applyPlan(client: VaultApi, plan: ReviewPlan, secrets: readonly SecretMetadata[], format: ReviewFormat, yes: boolean): Promise<void> {
  const json = format === 'json';
  if (!json) out(planText(plan).trimEnd());
  if (planIsEmpty(plan)) {
    if (json) out(safeJson({ plan, applied: [], auditId: null }, 2));
    return;
  }
  const n = plan.grant.length + plan.revoke.length;
  // One audited change holds at most MAX_ACCESS_CHANGES: a bigger plan is split by the person, not here.
  if (n > MAX_ACCESS_CHANGES) throw new CliError(`The plan has ${n} changes; one audited change holds at most ${MAX_ACCESS_CHANGES}: review fewer projects at a time (PATH…), then apply each.`, EXIT.usage);
  if (!yes) {
    if (!process.stdin.isTTY) throw new CliError(`Refusing to change ${n === 1 ? 'a grant' : `${n} grants`} without confirmation: review the plan, then pass --yes.`, EXIT.usage);
    if (!(await confirm(n === 1 ? 'Apply this change? [y/N] ' : `Apply these ${n} changes? [y/N] `))) throw new CliError('Nothing was changed.', EXIT.failure);
  }
  const versions = new Map(secrets.map((s) => [s.name, s.version]));
  const changes: AccessChange[] = [...plan.grant.map((c) => ({ ...c, granted: true })), ...plan.revoke.map((c) => ({ ...c, granted: false }))].map((c) => {
    const version = versions.get(c.secret);
    return version === undefined ? c : { ...c, version };
  });
  const reason = `secrets-vault access review --apply: ${count(plan.grant.length, 'grant')} the agents' code reads, ${count(plan.revoke.length, 'revoke')} of grants no code of the agent reads`;
  let result: AccessChangesResult;
  try {
    result = await client.applyAccessChanges(changes, reason);
  } catch (e) {
    const moved = e instanceof VaultApiError && e.status === 412 ? changes[Number(/^changes\.(\d+)\./.exec(e.problem.field ?? '')?.[1])] : undefined;
    if (moved) throw new CliError(human`'${moved.secret}' changed in the vault since this review: nothing was changed. Run the review again.`, EXIT.conflict);
    throw e;
  }
  const applied = result.changes.filter((c) => c.outcome === 'changed').map((c) => ({ change: c.granted ? ('grant' as const) : ('revoke' as const), secret: c.secret, agent: c.agent }));
  if (json) {
    out(safeJson({ plan, applied, auditId: result.auditId }, 2));
    return;
  }
  for (const c of applied) out(c.change === 'grant' ? human`Granted '${c.secret}' to ${c.agent}.` : human`Revoked '${c.secret}' from ${c.agent}.`);
  const already = n - applied.length;
  const alreadyText = already > 0 ? ` ${count(already, 'change')} ${already === 1 ? 'was' : 'were'} already so.` : '';
  if (result.auditId === null) out(`Nothing changed: every change was already so.`);
  else out(`${count(applied.length, 'change')} applied as one audited change (audit id ${result.auditId}).${alreadyText} A second review finds nothing to do.`);
}

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

/** Files an access request for each missing grant of an existing secret, asking first unless `--request` said so. */
async function offerRequests(client: VaultApi, review: AccessReview, request: boolean, format: ReviewFormat): Promise<void> {
  const wanted = review.agents.flatMap((a) => (a.inVault ? a.missing.filter((m) => !m.requested).map((m) => ({ agent: a.agent, name: m.name, where: m.locations[0]! })) : []));
  const json = format === 'json';
  if (wanted.length === 0) {
    if (json) out(safeJson({ requested: [] }, 2));
    else out('No access request to file: no missing grant that is not requested already.');
    return;
  }
  if (!request) {
    if (!process.stdin.isTTY) throw new CliError(`${wanted.length} missing grant${wanted.length === 1 ? '' : 's'} can be asked of an admin: run again with --request to file the access requests.`, EXIT.auth);
    if (!(await confirm(`File access requests for the ${wanted.length} missing grant${wanted.length === 1 ? '' : 's'}? [y/N] `))) throw new CliError('No access request was filed.', EXIT.auth);
  }
  const requested: { secret: string; agent: string; id: string | null; outcome: string }[] = [];
  for (const w of wanted) {
    const reason = `Found by secrets-vault access review: the code of ${w.agent} reads it at ${safeText(w.where.path)}:${w.where.line}.`.slice(0, MAX_ACCESS_REQUEST_REASON);
    const r = await client.createAccessRequest({ secret: w.name, agent: w.agent, reason });
    requested.push({ secret: w.name, agent: w.agent, id: r.outcome === 'granted' ? null : r.request.id, outcome: r.outcome });
    if (!json) out(r.outcome === 'granted' ? human`'${w.agent}' can already read '${w.name}'.` : human`Requested: ${r.request.id} ('${w.agent}' on '${w.name}'), pending an admin's decision.`);
  }
  if (json) out(safeJson({ requested }, 2));
}

function parseDays(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new CliError(`'${safeText(v)}' is not a whole number of days.`, EXIT.usage);
  return n;
}
