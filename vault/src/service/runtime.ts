// Run-time reads by agents: one granted value, or every granted single value as an environment.

import type { RuntimeEnv } from '../../../protocol/api';
import { credentialIn } from '../../../protocol/credentials/credentialIn';
import type { Principal } from '../auth';
import { problems } from '../errors';
import type { GrantedReader, GrantedValue } from '../store/types';
import { decryptionProblem, ServiceContext, type AgentPrincipal } from './serviceContext';

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
   * Resolves once the read's audit record is written; rejects with its problem once a refusal's is.
   * No async function: with SQLite's reader and the data key in memory, a read makes one promise
   * (its audit group's, shared) and one callback, not an await per step (the hot path).
   */
  runtimeValueJson(
    p: Principal,
    name: string,
    reader: Pick<GrantedReader, 'readGranted'> = this.ctx.store.runtime,
    environment: string | null = null,
  ): Promise<string> {
    if (p.type !== 'agent') return this.ctx.agent(p, 'runtime.read', name).then((agent) => this.runtimeValueJson(agent, name, reader, environment));
    try {
      // A provider's credential is no secret's name (a value passed where the name goes): it is not
      // looked up, so that it reaches no database query (nor a statement log), and is denied as a
      // missing name is. A name that only looks random may be a real one: it is looked up.
      const row = credentialIn(name)?.byFormat ? undefined : reader.readGranted(p.accountId, name, p.agentId);
      return row instanceof Promise ? row.then((r) => this.openGranted(p, name, r, environment)) : this.openGranted(p, name, row, environment);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** The read of the granted row looked up (undefined: missing or not granted), audited. */
  private openGranted(agent: AgentPrincipal, name: string, row: GrantedValue | undefined, environment: string | null): Promise<string> {
    if (!row) {
      // Recorded under the name asked for, or its digest when that is a credential (a value passed
      // where a name goes: ServiceContext.record). One answer for missing and not granted, and it
      // quotes no name: an agent cannot probe which secrets exist, and a credential passed as the
      // name is not echoed back.
      return this.ctx.record(agent, 'runtime.read', name, 'denied').then(() => {
        throw problems.forbidden(RUNTIME_DENIED(agent.agentId));
      });
    }
    // Only an agent that may read the secret learns that it has expired (an ungranted one got the
    // answer above), and nothing more: not when, not by whom.
    if (this.ctx.isExpired(row.expiresAt)) {
      return this.ctx.record(agent, 'runtime.read', name, 'denied', 'secret expired').then(() => {
        throw problems.secretExpired(name);
      });
    }
    let json: string | undefined;
    try {
      json = this.ctx.keyring.openValueJsonNow(agent.accountId, name, row.valueVersion, row.sealed);
    } catch (e) {
      return this.decryptionFailed(agent, name, e);
    }
    if (json === undefined) {
      // Its data key is not in memory yet (made by another process): loaded first.
      return this.ctx.keyring.openValueJson(agent.accountId, name, row.valueVersion, row.sealed).then(
        (loaded) => this.ctx.recordRead(agent, name, environment).then(() => loaded),
        (e: unknown) => this.decryptionFailed(agent, name, e),
      );
    }
    const value = json;
    return this.ctx.recordRead(agent, name, environment).then(() => value);
  }

  private decryptionFailed(agent: AgentPrincipal, name: string, e: unknown): Promise<never> {
    return this.ctx.record(agent, 'runtime.read', name, 'failed', 'decryption failed').then(() => {
      throw decryptionProblem(e, name);
    });
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
