// The vault's operations behind one object: who may do what, validation against the account's
// rules, sealing and opening values, audit and events. Transport-free: the HTTP routes and the
// local commands call the module of its resource through it (service.secrets.createSecret(…):
// secrets and versions, access, agents and tokens, user keys, access requests, accounts, audit,
// events, run-time reads); the modules share the store, keyring, bus, audit writer and clock
// through one context. The run-time read keeps its entries on this object (the fast path's).

import type { RuntimeEnv, RuntimeSecret } from '../../../protocol/api';
import type { SecretValue } from '../../../protocol/names';
import type { AuditWriter } from '../audit';
import type { Principal } from '../auth';
import type { Keyring } from '../crypto/keyring';
import type { EventBus } from '../events';
import type { GrantedReader, VaultStore } from '../store/types';
import { AccessService } from './access';
import { AccessRequestsService } from './accessRequests';
import { AccountsService } from './accounts';
import { AgentsService } from './agents';
import { AuditService } from './audit';
import { ServiceContext } from './serviceContext';
import { EventsService } from './events';
import { KeysService } from './keys';
import { RuntimeService } from './runtime';
import { SecretsService } from './secrets';

export class VaultService {
  private readonly ctx: ServiceContext;
  readonly accounts: AccountsService;
  readonly agents: AgentsService;
  /** User keys. */
  readonly keys: KeysService;
  readonly secrets: SecretsService;
  readonly access: AccessService;
  readonly accessRequests: AccessRequestsService;
  readonly audit: AuditService;
  readonly events: EventsService;
  readonly runtime: RuntimeService;

  constructor(store: VaultStore, keyring: Keyring, bus: EventBus, auditWriter: AuditWriter, clock: () => Date = () => new Date()) {
    this.ctx = new ServiceContext(store, keyring, bus, auditWriter, clock);
    this.accounts = new AccountsService(this.ctx);
    this.agents = new AgentsService(this.ctx);
    this.keys = new KeysService(this.ctx);
    this.secrets = new SecretsService(this.ctx);
    this.access = new AccessService(this.ctx);
    this.accessRequests = new AccessRequestsService(this.ctx);
    this.audit = new AuditService(this.ctx);
    this.events = new EventsService(this.ctx);
    this.runtime = new RuntimeService(this.ctx);
  }

  /**
   * Called after a token stops being valid (a key revoked, an agent and its tokens deleted), with
   * the revoked key's id when there is one.
   */
  get onRevoked(): Set<(tokenId?: string) => void> {
    return this.ctx.onRevoked;
  }

  // ---- the run-time read (runtimeFastPath.ts, routes/runtime.ts) ----

  grantedReader(): GrantedReader {
    return this.runtime.grantedReader();
  }

  generation(): number {
    return this.runtime.generation();
  }

  /** Sends the run-time reads' audit records made so far to be written (AuditWriter.sendNow). */
  sendAudit(): void {
    this.ctx.auditWriter.sendNow();
  }

  /** The run-time read as an object: the route's form of runtimeValueJson. */
  async runtimeSecret(p: Principal, name: string, reader?: Pick<GrantedReader, 'readGranted'>, environment: string | null = null): Promise<RuntimeSecret> {
    return { name, value: JSON.parse(await this.runtime.runtimeValueJson(p, name, reader, environment)) as SecretValue };
  }
  runtimeValueJson(p: Principal, name: string, reader?: Pick<GrantedReader, 'readGranted'>, environment: string | null = null): Promise<string> {
    return this.runtime.runtimeValueJson(p, name, reader, environment);
  }

  runtimeEnv(p: Principal, environment: string | null = null): Promise<RuntimeEnv> {
    return this.runtime.runtimeEnv(p, environment);
  }
}
