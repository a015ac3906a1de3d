// A secret's life, the editor's commands: a developer asks for access (or for a secret)
// instead of granting it; an admin approves or denies requests from the Access Requests view, and
// rolls a secret back to a kept version. Everything here is metadata: no command reads a value.

import * as vscode from 'vscode';
import { MAX_BULK_DENY, type AccessRequest, type CreateAccessRequestBody, type SecretMetadata, type SecretVersionInfo } from '../../protocol/api';
import { VaultApiError } from '../../protocol/client';
import { SecretReadsRequest, type RequestAccessArgs } from '../../protocol/lsp';
import { reasonProblem, utcMinute as when, versionDetail } from './core/lifecycleText';
import { agentLabel, noIcons } from './core/agentLabels';
import { bulkDenyChoices, type RequestNode } from './core/requestsModel';
import { deleteConfirmation, readRows, readsAs, readsCount, type ReadRow } from './core/secretReads';
import { revokeAccessConfirmation, revokeRefusal } from './core/revokeAccess';
import type { VersionNode } from './core/treeModel';
import type { Ctx } from './ctx';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

function isRequestArgs(v: unknown): v is RequestAccessArgs {
  return isObject(v) && typeof v.name === 'string' && typeof v.agent === 'string' && typeof v.newSecret === 'boolean';
}

const isRequestNode = (v: unknown): v is RequestNode => isObject(v) && v.type === 'request' && isObject(v.request);
const isVersionNode = (v: unknown): v is VersionNode => isObject(v) && v.type === 'version' && isObject(v.info);

// ---- a developer asks ----

/**
 * `secretsVault.requestAccess`: from the quick fix (RequestAccessArgs), or from the palette (a pick of
 * the secrets the current agent cannot read). Asks for a reason, then POSTs; says what came of it.
 */
export async function requestAccess(ctx: Ctx, arg: unknown): Promise<void> {
  const conn = ctx.requireConnected();
  let args = isRequestArgs(arg) ? arg : undefined;
  if (!args) {
    const agent = ctx.currentAgent;
    if (!agent) throw new Error('Choose an agent for this folder first.');
    const items = conn.metadata.secrets
      .filter((s) => !s.agents.includes(agent))
      // The label is escaped for display (`$(` stays text), so the name travels beside it.
      .map((s) => ({ label: noIcons(s.name), description: s.kind === 'kv' ? `key/value: ${s.keys.join(', ')}` : '', detail: s.description ? noIcons(s.description) : undefined, name: s.name }));
    const shown = agentLabel(agent, conn.metadata.agents);
    if (items.length === 0) {
      void vscode.window.showInformationMessage(`${shown} can read every secret of the vault already.`);
      return;
    }
    const picked = await vscode.window.showQuickPick(items, { placeHolder: `Request access for ${noIcons(shown)} to…`, matchOnDescription: true, matchOnDetail: true });
    if (!picked) return;
    args = { name: picked.name, agent, newSecret: false };
  }
  const { name, agent } = args;
  // The agent with its display name: `PROJECT-WEVYLLDV (Field Service Template)`.
  const who = agentLabel(agent, conn.metadata.agents);
  const reason = await vscode.window.showInputBox({
    title: args.newSecret ? `Why does ${who} need a new secret '${name}'?` : `Why does ${who} need '${name}'?`,
    prompt: args.newSecret
      ? `An admin is asked to create '${name}' and let ${who} read it. Say what it is for (optional).`
      : `An admin is asked to let ${who} read '${name}'. Say what it is for (optional).`,
    placeHolder: 'e.g. Refunds for cancelled bookings (ticket OPS-142)',
    ignoreFocusOut: true,
    validateInput: reasonProblem,
  });
  if (reason === undefined) return;
  const body: CreateAccessRequestBody = { secret: name, agent };
  if (reason.trim() !== '') body.reason = reason.trim();
  if (args.newSecret) {
    // What the code reads: the admin's create form starts from it.
    const keys = args.keys?.filter((k) => typeof k === 'string') ?? [];
    body.kind = keys.length > 0 ? 'kv' : 'single';
    if (keys.length > 0) body.keys = keys;
  }
  const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Requesting access to '${name}'…` }, () =>
    conn.api.createAccessRequest(body),
  );
  switch (result.outcome) {
    case 'created':
      // At once, not at the event: the problem says "pending" and the quick fix goes.
      conn.applyLocalRequest(result.request);
      ctx.walkthrough.done('fix');
      ctx.log.info(`Requested access for ${agent} to ${name} (${result.request.id}).`);
      void vscode.window.showInformationMessage(`Access requested: an admin will be asked to let '${agent}' read '${name}'.`);
      return;
    case 'pending':
      conn.applyLocalRequest(result.request);
      void vscode.window.showInformationMessage(
        `'${agent}' has already requested '${name}' (asked by ${result.request.requestedBy} on ${when(result.request.createdAt)}): already requested, pending.`,
      );
      return;
    case 'granted':
      void vscode.window.showInformationMessage(`'${agent}' can already read '${name}'.`);
      // The grant happened meanwhile: fetch it rather than wait for an event that came before us.
      await conn.refresh();
      return;
  }
}

// ---- an admin decides ----

async function pickRequest(ctx: Ctx, arg: unknown, placeHolder: string): Promise<AccessRequest | undefined> {
  const conn = ctx.requireConnected();
  if (isRequestNode(arg)) return arg.request;
  const requests = conn.metadata.requests;
  if (requests.length === 0) {
    void vscode.window.showInformationMessage('No access request is pending.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    requests.map((r) => ({ label: r.secret, description: `for ${r.agent} · ${r.requestedBy}${r.newSecret ? ' · new secret' : ''}`, detail: r.reason || undefined, request: r })),
    { placeHolder, matchOnDescription: true, matchOnDetail: true },
  );
  return picked?.request;
}

/**
 * `secretsVault.approveAccessRequest`: grants the agent (the vault does it in one transaction with
 * the request's state). A request for a secret that does not exist yet opens the Create form,
 * prefilled (name, keys, the agent ticked), and approves once the secret is created.
 */
export async function approveAccessRequest(ctx: Ctx, arg: unknown): Promise<void> {
  const request = await pickRequest(ctx, arg, 'Approve the request for…');
  if (!request) return;
  const conn = ctx.requireConnected();
  if (!conn.metadata.secret(request.secret)) {
    ctx.panels.openCreate({
      name: request.secret,
      agent: request.agent,
      ...(request.keys && request.keys.length > 0 ? { keys: [...request.keys] } : {}),
      // The form ticks the agent, so the create grants it already; the approval records the decision.
      onCreated: async () => {
        await approve(ctx, request);
      },
    });
    return;
  }
  await approve(ctx, request);
}

async function approve(ctx: Ctx, request: AccessRequest): Promise<void> {
  const conn = ctx.requireConnected();
  let decided: AccessRequest;
  try {
    decided = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Approving access to '${request.secret}'…` }, () =>
      conn.api.approveAccessRequest(request.id),
    );
  } catch (e) {
    if (e instanceof VaultApiError && e.status === 409) {
      // Decided by someone else meanwhile, or the secret is gone: the listing says what holds now.
      await conn.refresh();
      throw new Error(`The request for '${request.secret}' could not be approved: ${e.message}`);
    }
    throw e;
  }
  conn.applyLocalRequest(decided);
  const secret = await conn.api.getSecret(request.secret).catch(() => undefined);
  if (secret) conn.applyLocal(secret);
  ctx.log.info(`Approved ${request.id}: ${request.agent} may read ${request.secret}.`);
  void vscode.window.showInformationMessage(`Approved: '${request.agent}' can now read '${request.secret}'.`);
}

/** `secretsVault.denyAccessRequest`: asks for a reason (the requester sees it), then denies. */
export async function denyAccessRequest(ctx: Ctx, arg: unknown): Promise<void> {
  const request = await pickRequest(ctx, arg, 'Deny the request for…');
  if (!request) return;
  const conn = ctx.requireConnected();
  const reason = await vscode.window.showInputBox({
    title: `Deny '${request.agent}' access to '${request.secret}'?`,
    prompt: `${request.requestedBy} sees this reason (optional). Press Enter to deny, Escape to keep the request.`,
    ignoreFocusOut: true,
    validateInput: reasonProblem,
  });
  if (reason === undefined) return;
  const decided = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Denying the request for '${request.secret}'…` }, () =>
    conn.api.denyAccessRequest(request.id, reason.trim() || undefined),
  );
  conn.applyLocalRequest(decided);
  ctx.log.info(`Denied ${request.id} (${request.agent} → ${request.secret}).`);
  void vscode.window.showInformationMessage(`Denied: '${request.agent}' will not read '${request.secret}'.`);
}

/**
 * `secretsVault.denyAccessRequests` ("Deny Several…", admins): all pending requests, one
 * requester's (a flood), or several picked; a reason; a modal confirmation naming how many. The
 * vault denies in bulk (one call per 1,000), a record and an event per request.
 */
export async function denyAccessRequests(ctx: Ctx): Promise<void> {
  const conn = ctx.requireConnected();
  const requests = conn.metadata.requests;
  if (requests.length === 0) {
    void vscode.window.showInformationMessage('No access request is pending.');
    return;
  }
  // Each choice carries the ids it lists, so the vault denies exactly what the confirmation counted:
  // a request filed while the admin reads the dialog is not denied with the others unseen.
  type Choice = vscode.QuickPickItem & { ids?: string[] };
  const groups = bulkDenyChoices(requests);
  const choice = await vscode.window.showQuickPick<Choice>(
    [
      { label: `All ${groups.all} pending request${groups.all === 1 ? '' : 's'}`, ids: requests.map((r) => r.id) },
      ...groups.byRequester.map((g) => ({
        label: `Every request of ${g.name}`,
        description: `${g.count} pending · ${g.id}`,
        ids: requests.filter((r) => r.requestedById === g.id).map((r) => r.id),
      })),
      { label: 'Choose requests…' },
    ],
    { placeHolder: 'Deny which access requests?' },
  );
  if (!choice) return;
  let ids: string[];
  if (choice.ids) {
    ids = choice.ids;
  } else {
    const picked = await vscode.window.showQuickPick(
      requests.map((r) => ({ label: r.secret, description: `for ${r.agent} · ${r.requestedBy}`, detail: r.reason || undefined, request: r })),
      { placeHolder: 'Deny the requests ticked', canPickMany: true, matchOnDescription: true, matchOnDetail: true },
    );
    if (!picked || picked.length === 0) return;
    ids = picked.map((p) => p.request.id);
  }
  const count = ids.length;
  const reason = await vscode.window.showInputBox({
    title: `Deny ${count} access request${count === 1 ? '' : 's'}`,
    prompt: 'The requesters see this reason (optional).',
    ignoreFocusOut: true,
    validateInput: reasonProblem,
  });
  if (reason === undefined) return;
  const label = `Deny ${count}`;
  const sure = await vscode.window.showWarningMessage(
    `Deny ${count} pending access request${count === 1 ? '' : 's'}?`,
    { modal: true, detail: 'Each requester sees the denial and the reason; they can ask again later.' },
    label,
  );
  if (sure !== label) return;
  const denied = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Denying access requests…' }, async () => {
    let n = 0;
    // The vault denies up to MAX_BULK_DENY ids per call; requests decided meanwhile are skipped.
    for (let i = 0; i < ids.length; i += MAX_BULK_DENY) {
      const r = await conn.api.denyAccessRequests({ ids: ids.slice(i, i + MAX_BULK_DENY), ...(reason.trim() ? { reason: reason.trim() } : {}) });
      n += r.denied.length;
    }
    return n;
  });
  await conn.refresh();
  ctx.log.info(`Denied ${denied} access request(s) in bulk.`);
  void vscode.window.showInformationMessage(`Denied ${denied} access request${denied === 1 ? '' : 's'}.`);
}

// ---- rollback ----

/**
 * `secretsVault.rollbackSecret` ("Roll Back to Version…", admins): from a secret (a pick of its
 * earlier versions) or from a version's item; a modal confirmation names the version, when and by
 * whom it was set; If-Match is the secret's version as this editor knows it.
 */
export async function rollbackSecret(ctx: Ctx, arg: unknown, target: () => Promise<SecretMetadata | undefined>): Promise<void> {
  const conn = ctx.requireConnected();
  let secret: SecretMetadata | undefined;
  let chosen: SecretVersionInfo | undefined;
  if (isVersionNode(arg)) {
    secret = conn.metadata.secret(arg.secret);
    if (!secret) throw new Error(`The secret '${arg.secret}' no longer exists.`);
    chosen = arg.info;
  } else {
    secret = await target();
    if (!secret) return;
  }
  const name = secret.name;
  // The vault's current metadata, not the sidebar's: the confirmation and If-Match are about what
  // the vault has now (a value set a moment ago elsewhere may not have reached this editor yet).
  secret = await conn.api.getSecret(name);
  conn.applyLocal(secret);
  if (!chosen) {
    const versions = await conn.api.listSecretVersions(name);
    const earlier = versions.filter((v) => !v.current);
    if (earlier.length === 0) {
      void vscode.window.showInformationMessage(`'${name}' has no earlier version kept to roll back to.`);
      return;
    }
    const current = versions.find((v) => v.current);
    const picked = await vscode.window.showQuickPick(
      earlier.map((v) => ({ label: `Version ${v.version}`, description: versionDetail(v), version: v })),
      { title: `Roll back '${name}'`, placeHolder: current ? `Now: version ${current.version}, ${versionDetail(current)}` : 'The version whose value becomes current' },
    );
    if (!picked) return;
    chosen = picked.version;
  }
  if (chosen.current) {
    void vscode.window.showInformationMessage(`Version ${chosen.version} is already the current value of '${name}'.`);
    return;
  }
  const agents = secret.agents.length ? `Agents that read it (${secret.agents.join(', ')}) get that value from their next read.` : 'No agent has access to it.';
  const choice = await vscode.window.showWarningMessage(
    `Roll back '${name}' to version ${chosen.version}?`,
    {
      modal: true,
      detail: `Version ${chosen.version} was set on ${when(chosen.createdAt)} by ${chosen.createdBy}. Its value becomes a new current version; the current value is kept as an earlier version, so this can be undone the same way.\n\n${agents}`,
    },
    'Roll Back',
  );
  if (choice !== 'Roll Back') return;
  const ifMatch = secret.version;
  const version = chosen.version;
  const updated = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Rolling back '${name}'…` }, () =>
    conn.api.rollbackSecret(name, version, ifMatch),
  );
  conn.applyLocal(updated);
  ctx.log.info(`Rolled back ${name} to version ${chosen.version} (now value version ${updated.valueVersion ?? '?'}).`);
  void vscode.window.showInformationMessage(
    `Rolled back '${name}' to version ${chosen.version}${updated.valueVersion !== undefined ? `: its value is now version ${updated.valueVersion}` : ''}.`,
  );
}

// ---- the reads of a secret: before a delete or a revoke, and Find Usages ----

/**
 * The workspace's reads of `name`, by the language server's whole index (not only open files),
 * whatever environment is chosen; none when the server is not running (the question is then
 * asked without them, and says nothing false).
 */
export async function secretReads(ctx: Ctx, name: string): Promise<ReadRow[]> {
  const client = ctx.languageClient;
  if (!client?.isRunning()) return [];
  try {
    const reads = await client.sendRequest(SecretReadsRequest.type, { name });
    const several = (vscode.workspace.workspaceFolders?.length ?? 0) > 1;
    return readRows(reads, (uri) => vscode.workspace.asRelativePath(client.protocol2CodeConverter.asUri(uri), several));
  } catch (e) {
    ctx.log.warn(`Could not list the reads of ${name}: ${e instanceof Error ? e.message : String(e)}`);
    return [];
  }
}

/**
 * Show Reads: a pick of the reads (file:line, project, environments); the one picked opens at its
 * line. With `references`, a first item opens them in the References view instead: true when
 * that one is picked.
 */
export async function showReads(ctx: Ctx, name: string, rows: readonly ReadRow[], title: string, references = false): Promise<boolean> {
  const client = ctx.languageClient;
  if (!client || rows.length === 0) {
    void vscode.window.showInformationMessage(`No code in this workspace reads '${name}'.`);
    return false;
  }
  type Item = vscode.QuickPickItem & { row?: ReadRow };
  const items: Item[] = rows.map((row) => ({ label: noIcons(row.place), description: noIcons(`${row.project} — ${row.environments}`), row }));
  if (references) items.unshift({ label: '$(references) Open in the References View', alwaysShow: true });
  const picked = await vscode.window.showQuickPick(items, { title: `${title}: ${readsCount(rows.length)}`, placeHolder: 'Open a read', matchOnDescription: true });
  if (!picked) return false;
  if (!picked.row) return true;
  const { read } = picked.row;
  const range = client.protocol2CodeConverter.asRange(read.range);
  await vscode.window.showTextDocument(client.protocol2CodeConverter.asUri(read.uri), { selection: range, preview: false });
  return false;
}

/** Delete a secret (admins), after a modal question that names the agents that lose it and the code that reads it. */
export async function deleteSecret(ctx: Ctx, secret: SecretMetadata): Promise<void> {
  const conn = ctx.requireConnected();
  const rows = await secretReads(ctx, secret.name);
  const confirm = deleteConfirmation(
    secret.name,
    secret.agents.map((a) => agentLabel(a, conn.metadata.agents)),
    rows,
  );
  const choice = await vscode.window.showWarningMessage(confirm.message, { modal: true, detail: confirm.detail }, 'Delete', ...(rows.length ? ['Show Reads'] : []));
  if (choice === 'Show Reads') {
    await showReads(ctx, secret.name, rows, `Reads of '${secret.name}' (not deleted)`);
    return;
  }
  if (choice !== 'Delete') return;
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Deleting '${secret.name}'…` }, () =>
    conn.api.deleteSecret(secret.name, secret.version),
  );
  conn.removeLocal(secret.name);
  ctx.log.info(`Deleted ${secret.name}${rows.length ? ` (${readsCount(rows.length)} in the workspace)` : ''}.`);
}

/**
 * Before revoking `agent` from `name`: the reads that run as that agent (its project's), if any, in
 * a modal with Show Reads. True to go ahead.
 */
export async function confirmRevoke(ctx: Ctx, name: string, agent: string): Promise<boolean> {
  const rows = readsAs(await secretReads(ctx, name), agent);
  const confirm = revokeAccessConfirmation(name, agent, rows);
  if (!confirm) return true;
  const choice = await vscode.window.showWarningMessage(confirm.message, { modal: true, detail: confirm.detail }, 'Revoke', 'Show Reads');
  if (choice === 'Show Reads') await showReads(ctx, name, rows, `Reads of '${name}' as '${agent}' (not revoked)`);
  return choice === 'Revoke';
}


/**
 * The Access review's Revoke: refused, with the reads listed (and Show Reads), when code of the
 * agent's project still reads the secret. True when refused.
 */
export async function refuseRevokeIfRead(ctx: Ctx, name: string, agent: string): Promise<boolean> {
  const rows = readsAs(await secretReads(ctx, name), agent);
  if (rows.length === 0) return false;
  const refusal = revokeRefusal(name, agent, rows);
  ctx.log.info(`Refused to revoke ${agent} from ${name}: ${readsCount(rows.length)} in the workspace.`);
  const choice = await vscode.window.showWarningMessage(refusal.message, { modal: true, detail: refusal.detail }, 'Show Reads');
  if (choice === 'Show Reads') await showReads(ctx, name, rows, `Reads of '${name}' as '${agent}' (not revoked)`);
  return true;
}
