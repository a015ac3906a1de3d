// Create Agent for an ADK project, through the extension's connection against a real vault: the
// admin's call makes the agent with project.yaml's id and name, the project is no longer missing for
// the admin at once and for a developer's live connection by its event, the language server is told
// the new agent, a second attempt (someone else was quicker) is no failure, and a developer cannot.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VaultApiError } from '../../protocol/client';
import { createProjectAgent, isMissingAgent, readManifest } from '../../client/src/core/projects';
import { MetadataSync } from '../../client/src/core/sync';
import { VaultConnection } from '../../client/src/vault/connection';
import { startTestVault, type TestVault } from '../helpers/vault';
import { snapshotInputOf } from './snapshotInput';
import { waitFor } from './wait';

const MANIFEST = 'project_id: PROJECT-NEWAGNT1\naccount_id: acme-42\nregion: euw-1\nproject_name: "Field Service (EU) – Bob\'s"\n';

describe('Create Agent for a project the vault does not know', () => {
  let tv: TestVault;
  let developerKey: string;
  const conns: VaultConnection[] = [];

  beforeAll(async () => {
    tv = await startTestVault();
    await tv.api().createAgent({ id: 'booking-agent', name: 'Booking agent' });
    developerKey = (await tv.api().createUserKey({ name: 'Dana (developer)', role: 'developer' })).token;
  });

  afterAll(async () => {
    for (const c of conns) await c.dispose();
    await tv?.stop();
  });

  async function connect(token: string): Promise<VaultConnection> {
    const conn = new VaultConnection({ url: tv.url, token, backoff: { initialMs: 20, maxMs: 100 } });
    conns.push(conn);
    await conn.start();
    await waitFor(() => conn.state.state === 'connected' && conn.state.live, 'live');
    return conn;
  }

  it('makes the agent from project.yaml, and every connection then knows it', async () => {
    const read = readManifest(MANIFEST);
    if (!('project' in read)) throw new Error(read.problem);
    const { project } = read;
    const admin = await connect(tv.adminKey);
    const dev = await connect(developerKey);
    expect(isMissingAgent(project.id, admin.metadata.agents)).toBe(true);
    expect(isMissingAgent(project.id, dev.metadata.agents)).toBe(true);
    const sync = new MetadataSync();
    expect(sync.next(snapshotInputOf(admin))?.kind).toBe('snapshot');

    // A developer may not create agents: the vault refuses, nothing changes.
    await expect(createProjectAgent(dev.api, project)).rejects.toSatisfy((e) => e instanceof VaultApiError && e.status === 403);

    // What the command does: create, then apply the answer at once.
    const result = await createProjectAgent(admin.api, project);
    if (!('created' in result)) throw new Error(`expected a new agent, got: ${result.existed}`);
    expect(result.created).toMatchObject({ id: 'PROJECT-NEWAGNT1', name: "Field Service (EU) – Bob's" });
    admin.applyLocalAgent(result.created);
    expect(isMissingAgent(project.id, admin.metadata.agents)).toBe(false);
    // The language server hears of the agent (with its name) in the next delta.
    const out = sync.next(snapshotInputOf(admin));
    expect(out?.kind === 'delta' && out.delta.changes).toEqual([{ kind: 'agent', agent: { id: 'PROJECT-NEWAGNT1', name: "Field Service (EU) – Bob's" } }]);
    // The developer's window learns it from the event stream, without asking.
    await waitFor(() => !isMissingAgent(project.id, dev.metadata.agents), 'the developer’s connection to see the agent');

    // Someone was quicker (the same id, or the same id in another case): no failure, the caller refreshes.
    expect(await createProjectAgent(admin.api, project)).toEqual({ existed: expect.stringContaining('already exists') });
    expect(await createProjectAgent(admin.api, { ...project, id: 'project-newagnt1' })).toEqual({ existed: expect.stringContaining('already exists') });
    expect((await tv.api().listAgents()).map((a) => a.id).sort()).toEqual(['PROJECT-NEWAGNT1', 'booking-agent']);
  });
});
