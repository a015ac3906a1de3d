// access_review: `secrets-vault access review` for a coding assistant, read-only. The same review
// (cli/accessReview.ts: check's analysis of the workspace against the vault's access lists and last
// reads), as names, agents, times and places: never a value, and no change (--apply is a person's).

import { DEFAULT_STALE_DAYS, gatherReview, planOf } from '../cli/accessReview';
import { readsNote } from '../cli/reviewFormats';
import { EXCLUDE, MAX_FILE_SIZE, workspacePath } from './check';
import { agentFor } from './metadata';
import type { McpContext } from './toolContext';

/** Entries listed in full per list; the rest are counted. */
const MAX_LISTED = 100;

export async function accessReview(ctx: McpContext, input: { path?: string | undefined; agent?: string | undefined; staleDays?: number | undefined }) {
  const { root, rel } = input.path !== undefined ? workspacePath(ctx.cwd, input.path) : { root: ctx.cwd, rel: '' };
  // No agent given: each project's own (project.yaml, secrets-vault.json), as check_workspace.
  const agent = input.agent === undefined ? null : ((await agentFor(ctx, input.agent)) ?? null);
  const { review } = await gatherReview({
    vault: '',
    api: ctx.api,
    engine: ctx.engine(),
    walk: { cwd: root, paths: [rel || '.'], exclude: EXCLUDE, gitignore: true, maxFileSize: MAX_FILE_SIZE },
    agent: () => agent,
    staleDays: input.staleDays ?? DEFAULT_STALE_DAYS,
    now: new Date(),
  });
  const cut = <T>(list: readonly T[]) => list.slice(0, MAX_LISTED);
  const place = (l: { path: string; line: number; column: number }) => ({ path: l.path, line: l.line, column: l.column });
  const plan = planOf(review);
  return {
    reads: review.reads,
    staleDays: review.staleDays,
    filesChecked: review.filesChecked,
    agents: review.agents.map((a) => ({
      agent: a.agent,
      name: a.name,
      inVault: a.inVault,
      missing: cut(a.missing).map((m) => ({ name: m.name, environments: m.environments, locations: cut(m.locations).map(place), accessRequested: m.requested })),
      unused: cut(a.unused).map((u) => ({ name: u.name, lastRead: u.lastRead, lastReadEnvironment: u.lastReadEnvironment, unlessReadByDynamicReads: u.unlessDynamic })),
      readOnlyInSomeEnvironments: cut(a.someEnvironments).map((p) => ({ name: p.name, environments: p.environments, lastRead: p.lastRead })),
      unknown: cut(a.unknown).map((u) => ({ name: u.name, environments: u.environments, locations: cut(u.locations).map(place) })),
      dynamicReads: cut(a.dynamic).map((d) => ({ ...place(d), message: d.message })),
    })),
    stale: cut(review.stale).map((s) => ({ name: s.name, agents: s.agents, lastRead: s.lastRead, lastReadBy: s.lastReadBy, unlessReadByDynamicReads: s.unlessDynamic })),
    plan: { grant: plan.grant.length, revoke: plan.revoke.length },
    note: [
      readsNote(review),
      'Read-only: an admin applies the plan with `secrets-vault access review --apply`; a developer files access requests with `--request` (or request_access).',
    ]
      .filter((s) => s !== undefined)
      .join(' '),
  };
}
