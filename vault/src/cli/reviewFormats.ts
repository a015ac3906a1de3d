// The outputs of `secrets-vault access review`: text for people, JSON for scripts and SARIF 2.1.0
// for code scanning (the same envelope as check's, checkFormats.ts). Pure functions of the review,
// which is sorted already: the same repository and vault give the same bytes.

import { DIAGNOSTIC_RULES, type DiagnosticRule } from '../../../protocol/check';
import { safeJson, safeText } from '../../../protocol/safeText';
import { planOf, reviewFails, type AccessReview, type AgentReview, type NeededName, type ReviewFailOn, type ReviewPlan, type UnusedGrant } from './accessReview';
import { inertLines } from './io';
import { displayPath, sarifEnvelope, sarifLevel, sarifLocation, sarifRule, type FormatContext } from './checkFormats';

export const REVIEW_FORMATS = ['text', 'json', 'sarif'] as const;
export type ReviewFormat = (typeof REVIEW_FORMATS)[number];

export type ReviewContext = Pick<FormatContext, 'toolName' | 'toolVersion' | 'cwd'> & { failOn: ReviewFailOn };

export function formatReview(format: ReviewFormat, review: AccessReview, ctx: ReviewContext): string {
  switch (format) {
    case 'text':
      return formatText(review);
    case 'json':
      return `${safeJson(jsonReview(review, ctx), 2)}\n`;
    case 'sarif':
      return `${safeJson(sarifReview(review, ctx), 2)}\n`;
  }
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const q = (name: string) => `'${safeText(name)}'`;

/** `in live`, `in sandbox, pre-release`; empty for every environment. */
function envText(environments: readonly string[] | null): string {
  return environments === null ? '' : `in ${environments.map((e) => safeText(e)).join(', ')}`;
}

function lastReadText(r: { lastRead: string | null; lastReadEnvironment: string | null }, reads: AccessReview['reads']): string {
  if (reads !== 'kept') return 'last read unknown';
  if (r.lastRead === null) return 'never read';
  return `last read ${r.lastRead}${r.lastReadEnvironment !== null ? ` in ${safeText(r.lastReadEnvironment)}` : ''}`;
}

/** Why last reads are missing from the review, said once; undefined when the vault keeps them. */
export function readsNote(review: AccessReview): string | undefined {
  if (review.reads === 'not-kept') return 'This vault keeps no last reads (a version from before them): unused grants show no last read, and a secret is stale when no code here needs it, every agent granted it was reviewed, and it is older than the stale limit.';
  if (review.reads === 'hidden') return "This key may not list agents' last reads: unused grants show no last read, and a secret is stale when no code here needs it, every agent granted it was reviewed, and it is older than the stale limit.";
  return undefined;
}

export interface ReviewCounts {
  agents: number;
  missing: number;
  unused: number;
  unknown: number;
  dynamic: number;
  stale: number;
}

export function countsOf(review: AccessReview): ReviewCounts {
  const sum = (f: (a: AgentReview) => number) => review.agents.reduce((n, a) => n + f(a), 0);
  return {
    agents: review.agents.length,
    missing: sum((a) => a.missing.length),
    unused: sum((a) => a.unused.length),
    unknown: sum((a) => a.unknown.length),
    dynamic: sum((a) => a.dynamic.length),
    stale: review.stale.length,
  };
}

// ---- text ----

function agentHeading(a: AgentReview): string {
  const notes = [...(a.name !== null && a.name !== a.agent ? [a.name] : []), ...(a.inVault ? [] : ['not in the vault'])];
  const label = notes.length > 0 ? `${a.agent} (${notes.join(', ')})` : a.agent;
  const from = a.sources.length > 0 ? `, from ${a.sources.map((s) => displayPath(s)).join(', ')}` : '';
  return `${safeText(label)}${from}`;
}

function neededLines(n: NeededName, extra = ''): string[] {
  const head = [q(n.name), envText(n.environments), extra].filter((s) => s !== '').join('  ');
  return [`    ${head}`, ...n.locations.map((l) => `      ${displayPath(l.path)}:${l.line}:${l.column}${l.environments !== null && n.environments === null ? `  ${envText(l.environments)}` : ''}`)];
}

function unusedLine(u: UnusedGrant, reads: AccessReview['reads']): string {
  return `    ${q(u.name)}  ${lastReadText(u, reads)}${u.unlessDynamic ? '  (unless read by the unresolved reads)' : ''}`;
}

function formatText(review: AccessReview): string {
  const lines: string[] = [];
  for (const a of review.agents) {
    if (lines.length > 0) lines.push('');
    lines.push(agentHeading(a));
    if (a.missing.length > 0) {
      lines.push('  Missing grants (the code reads them; the vault refuses the agent):');
      for (const m of a.missing) lines.push(...neededLines(m, m.requested ? 'access requested, pending' : ''));
    }
    if (a.unknown.length > 0) {
      lines.push('  Unknown names (the code reads them; the vault has no such secret):');
      for (const u of a.unknown) lines.push(...neededLines(u));
    }
    if (a.unused.length > 0) {
      lines.push('  Unused grants (granted; no code of this agent reads them):');
      for (const u of a.unused) lines.push(unusedLine(u, review.reads));
    }
    if (a.someEnvironments.length > 0) {
      lines.push('  Granted, read only in some environments:');
      for (const p of a.someEnvironments) lines.push(...neededLines(p, lastReadText(p, review.reads)));
    }
    if (a.dynamic.length > 0) {
      lines.push('  Reads whose name the review cannot tell (unused grants are unused unless these read them):');
      for (const d of a.dynamic) lines.push(`    ${displayPath(d.path)}:${d.line}:${d.column}  ${safeText(d.message)}`);
    }
    if (a.missing.length + a.unknown.length + a.unused.length + a.someEnvironments.length + a.dynamic.length === 0) lines.push('  Needs and grants agree.');
  }
  if (review.stale.length > 0) {
    if (lines.length > 0) lines.push('');
    lines.push(`Stale secrets (no code here needs them, and no agent read them in ${plural(review.staleDays, 'day')}):`);
    for (const s of review.stale) {
      const to = s.agents.length > 0 ? `granted to ${s.agents.map((x) => safeText(x)).join(', ')}` : 'granted to no agent';
      const read = review.reads !== 'kept' ? '' : s.lastRead === null ? ', never read' : `, last read ${s.lastRead} by ${safeText(s.lastReadBy ?? '')}`;
      lines.push(`  ${q(s.name)}  ${to}${read}${s.unlessDynamic ? '  (unless read by the unresolved reads)' : ''}`);
    }
  }
  if (review.withoutAgent.length > 0) {
    if (lines.length > 0) lines.push('');
    lines.push('No agent (their reads count as needed, by no agent in particular):');
    for (const f of review.withoutAgent) lines.push(`  ${displayPath(f)}`);
  }
  if (review.configProblems.length > 0) {
    if (lines.length > 0) lines.push('');
    lines.push('Not used:');
    for (const p of review.configProblems) lines.push(`  ${displayPath(p.path)}: ${safeText(p.detail)}`);
  }
  const note = readsNote(review);
  if (note !== undefined) {
    if (lines.length > 0) lines.push('');
    lines.push(note);
  }
  if (lines.length > 0) lines.push('');
  lines.push(summaryLine(review));
  // No line a name or an id starts may be read as a CI workflow command.
  return inertLines(`${lines.join('\n')}\n`);
}

export function summaryLine(review: AccessReview): string {
  const c = countsOf(review);
  const files = `${plural(review.filesChecked, 'file')} read, ${review.skipped.length} skipped`;
  if (c.agents === 0) return `No agent to review: ${files}. Each project needs a project.yaml, or a secrets-vault.json naming its agent.`;
  const parts = [plural(c.missing, 'missing grant'), plural(c.unused, 'unused grant'), plural(c.unknown, 'unknown name'), plural(c.stale, 'stale secret')];
  return `${plural(c.agents, 'agent')} reviewed: ${parts.join(', ')} (${files}).`;
}

/** The plan of --apply, for people. */
export function planText(plan: ReviewPlan): string {
  const lines: string[] = [];
  if (plan.grant.length > 0) {
    lines.push('Grants to add:');
    for (const c of plan.grant) lines.push(`  grant  ${q(c.secret)} to ${safeText(c.agent)}`);
  }
  if (plan.revoke.length > 0) {
    lines.push('Grants to revoke:');
    for (const c of plan.revoke) lines.push(`  revoke ${q(c.secret)} from ${safeText(c.agent)}`);
  }
  if (plan.cannotGrant.length > 0) {
    lines.push('Not in the plan (the vault has no such agent: create it first with secrets-vault agents create):');
    for (const c of plan.cannotGrant) lines.push(`  ${q(c.secret)} for ${safeText(c.agent)}`);
  }
  if (plan.grant.length === 0 && plan.revoke.length === 0) lines.push('Nothing to do: every grant the code needs is there, and no grant is unused.');
  return `${lines.join('\n')}\n`;
}

// ---- JSON ----

function jsonReview(review: AccessReview, ctx: ReviewContext) {
  return {
    tool: { name: ctx.toolName, version: ctx.toolVersion },
    vault: review.vault,
    staleDays: review.staleDays,
    reads: review.reads,
    failOn: ctx.failOn,
    failed: reviewFails(review, ctx.failOn),
    summary: { ...countsOf(review), filesChecked: review.filesChecked, filesSkipped: review.skipped.length },
    agents: review.agents,
    stale: review.stale,
    plan: planOf(review),
    withoutAgent: review.withoutAgent,
    configProblems: review.configProblems,
    skipped: review.skipped,
  };
}

// ---- SARIF ----

/** The review's own rule: a grant no code of the agent reads (not an editor diagnostic). */
export const UNUSED_GRANT_RULE: DiagnosticRule = {
  name: 'UnusedGrant',
  severity: 'warning',
  summary: "An agent is granted a secret that none of its code reads.",
  help: "The secret is on the agent's access list, but no code of the agent's project reads it (get_secret, secret_vault, the environment in environment-style accounts, or the project's configuration). Least privilege: revoke the grant (secrets-vault access revoke NAME AGENT, or access review --apply). The message gives the last run-time read, when the vault keeps them: a recent read means a deployed version still reads it. When the agent's code has reads whose name is unknown (dynamic-name), the grant is reported as a note: it is unused unless one of them reads it.",
};

const RULES = [
  ['not-granted', DIAGNOSTIC_RULES['not-granted']],
  ['unknown-secret', DIAGNOSTIC_RULES['unknown-secret']],
  ['unused-grant', UNUSED_GRANT_RULE],
  ['dynamic-name', DIAGNOSTIC_RULES['dynamic-name']],
] as const;

function sarifReview(review: AccessReview, ctx: ReviewContext) {
  const index = new Map<string, number>(RULES.map(([id], i) => [id, i]));
  const results: unknown[] = [];
  const at = (path: string, line: number, column: number) => [{ physicalLocation: { ...sarifLocation(path), region: { startLine: line, startColumn: column } } }];
  const result = (ruleId: (typeof RULES)[number][0], level: 'error' | 'warning' | 'note', text: string, locations: unknown[], properties: Record<string, unknown>) =>
    results.push({ ruleId, ruleIndex: index.get(ruleId)!, level, message: { text }, locations, properties });
  const where = (envs: readonly string[] | null) => (envs === null ? '' : ` (in ${envs.join(', ')})`);
  for (const a of review.agents) {
    for (const m of a.missing) {
      for (const l of m.locations) {
        result('not-granted', 'error', `Agent '${a.agent}' reads '${m.name}' here${where(l.environments)}, but it is not on the secret's access list: the read is refused at run time.${m.requested ? ' Access requested, pending.' : ''}`, at(l.path, l.line, l.column), { agent: a.agent, secret: m.name });
      }
    }
    for (const u of a.unknown) {
      for (const l of u.locations) {
        result('unknown-secret', 'error', `Agent '${a.agent}' reads '${u.name}' here${where(l.environments)}, and the vault has no such secret.`, at(l.path, l.line, l.column), { agent: a.agent, secret: u.name });
      }
    }
    // A grant lives in the vault: the agent's project file stands for it.
    const home = a.sources.length > 0 ? at(a.sources[0]!, 1, 1) : [];
    for (const u of a.unused) {
      const last = review.reads !== 'kept' ? '' : u.lastRead === null ? ' It was never read.' : ` Last read ${u.lastRead}${u.lastReadEnvironment !== null ? ` in ${u.lastReadEnvironment}` : ''}.`;
      const guess = u.unlessDynamic ? ', unless one of its reads whose name is unknown reads it' : '';
      result('unused-grant', u.unlessDynamic ? 'note' : sarifLevel(UNUSED_GRANT_RULE.severity), `Agent '${a.agent}' is granted '${u.name}', which none of its code reads${guess}.${last}`, home, { agent: a.agent, secret: u.name, lastRead: u.lastRead });
    }
    for (const d of a.dynamic) result('dynamic-name', 'note', d.message, at(d.path, d.line, d.column), { agent: a.agent });
  }
  const note = readsNote(review);
  return sarifEnvelope(ctx, {
    rules: RULES.map(([id, r]) => sarifRule(id, r)),
    results,
    invocation: {
      executionSuccessful: true,
      toolExecutionNotifications: [
        ...review.skipped.map((s) => ({ level: s.reason === 'unreadable' ? 'warning' : 'note', message: { text: `Not read (${s.reason}): ${s.detail}.` }, locations: [{ physicalLocation: sarifLocation(s.path) }] })),
        ...(note !== undefined ? [{ level: 'note', message: { text: note } }] : []),
      ],
      ...(review.configProblems.length > 0
        ? { toolConfigurationNotifications: review.configProblems.map((p) => ({ level: 'warning', message: { text: `Not used: ${p.detail}` }, locations: [{ physicalLocation: sarifLocation(p.path) }] })) }
        : {}),
    },
    // What has no place in the code: the stale secrets, and which agents were reviewed.
    properties: { reads: review.reads, staleDays: review.staleDays, agents: review.agents.map((a) => a.agent), stale: review.stale, withoutAgent: review.withoutAgent },
  });
}
