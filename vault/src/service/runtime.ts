// Run-time reads by agents: one granted value, or every granted single value as an environment.

import type { RuntimeEnv } from '../../../protocol/api';
import { credentialIn } from '../../../protocol/credentials/credentialIn';
import type { Principal } from '../auth';
import { problems } from '../errors';
import type { GrantedReader } from '../store/types';
import { decryptionProblem, ServiceContext } from './serviceContext';

/** The 403 of a run-time read of a secret that is missing or not granted: the same for both, naming no secret. */
export const RUNTIME_DENIED = (agentId: string): string => `Agent '${agentId}' may not read that secret: it does not exist or is not granted to this agent.`;

/** Run-time reads; every read is audited, a denied one too. */
export class RuntimeService {
  constructor(private readonly ctx: ServiceContext) {}

  /**
   * A reader for one batch of run-time reads that had all arrived when this is called (see
   * GrantedStore.grantedReader): the store's cache is proven current once for the whole batch.
   */
  grantedReader(): GrantedReader {
    return this.ctx.store.runtime.grantedReader();
  }

  /** The store state the last freshness check saw (see VaultStore.generation). */
  generation(): number {
    return this.ctx.store.generation();
  }

  /**
   * The run-time read, with the value as JSON text (the fast path embeds it in its response as it
   * is). `reader`: a batch's reader (see GrantedStore.grantedReader); the store itself otherwise.
   * `environment`: where the reader says it runs (readerEnvironment), kept with the last read.
   */
  async runtimeValueJson(
    p: Principal,
    name: string,
    reader: Pick<GrantedReader, 'readGranted'> = this.ctx.store.runtime,
    environment: string | null = null,
  ): Promise<string> {
    const agent = p.type === 'agent' ? p : await this.ctx.agent(p, 'runtime.read', name); // the hot path skips an await
    // A provider's credential is no secret's name (a value passed where the name goes): it is not
    // looked up, so that it reaches no database query (nor a statement log), and is denied as a
    // missing name is. A name that only looks random may be a real one: it is looked up.
    const row = credentialIn(name)?.byFormat ? undefined : await reader.readGranted(agent.accountId, name, agent.agentId);
    if (!row) {
      // Recorded under the name asked for, or its digest when that is a credential (a value passed
      // where a name goes: ServiceContext.record).
      await this.ctx.record(agent, 'runtime.read', name, 'denied');
      // One answer for missing and not granted, and it quotes no name: an agent cannot probe which
      // secrets exist, and a credential passed as the name is not echoed back.
      throw problems.forbidden(RUNTIME_DENIED(agent.agentId));
    }
    // Only an agent that may read the secret learns that it has expired (an ungranted one got the
    // answer above), and nothing more: not when, not by whom.
    if (this.ctx.isExpired(row.expiresAt)) {
      await this.ctx.record(agent, 'runtime.read', name, 'denied', 'secret expired');
      throw problems.secretExpired(name);
    }
    let json: string;
    try {
      json = await this.ctx.keyring.openValueJson(agent.accountId, name, row.valueVersion, row.sealed);
    } catch (e) {
      await this.ctx.record(agent, 'runtime.read', name, 'failed', 'decryption failed');
      throw decryptionProblem(e, name);
    }
    await this.ctx.recordRead(agent, name, environment);
    return json;
  }

  async runtimeEnv(p: Principal, environment: string | null = null): Promise<RuntimeEnv> {
    const agent = await this.ctx.agent(p, 'runtime.env', '*');
    const rows = await this.ctx.store.runtime.listGranted(agent.accountId, agent.agentId);
    const env: Record<string, string> = {};
    for (const row of rows) {
      if (row.kind !== 'single') continue;
      // An expired secret is left out of the environment (the program sees it unset, as get_secret
      // would refuse it) and its refusal audited, rather than failing the whole map: the others
      // still hold, and a run is not stopped by one expired credential it may not even use.
      if (this.ctx.isExpired(row.expiresAt)) {
        await this.ctx.record(agent, 'runtime.env', row.name, 'denied', 'secret expired');
        continue;
      }
      try {
        env[row.name] = (await this.ctx.keyring.openValue(agent.accountId, row.name, row.valueVersion, row.sealed)) as string;
      } catch (e) {
        await this.ctx.record(agent, 'runtime.env', row.name, 'failed', 'decryption failed');
        throw decryptionProblem(e, row.name);
      }
    }
    // Each value in the map was read: each is its secret's last read by the agent.
    await this.ctx.recordEnvRead(agent, Object.keys(env), environment);
    return { env };
  }
}
