// The vault's operations behind one object: who may do what, validation against the account's
// rules, sealing and opening values, audit and events. Transport-free: the HTTP routes and the
// local commands call this facade, which hands each call to the module of its resource (secrets and
// versions, access, agents and tokens, keys, access requests, accounts, audit, events, run-time
// reads); the modules share the store, keyring, bus, audit writer and clock through one context.

import type {
  AccessChange,
  AccessChangesResult,
  AccessRequest,
  AccessRequestStatus,
  AccountSettings,
  Agent,
  AgentReadList,
  AgentTokenInfo,
  AuditAction,
  AuditOutcome,
  AuditPage,
  BulkDenyAccessRequestsBody,
  BulkDenyAccessRequestsResult,
  CreateAccessRequestBody,
  CreateAccessRequestResult,
  CreateAgentRequest,
  CreateSecretRequest,
  IssuedToken,
  Role,
  RunToken,
  RuntimeEnv,
  RuntimeSecret,
  SecretMetadata,
  SecretVersionInfo,
  UpdateAccountRequest,
  UpdateAgentRequest,
  UpdateSecretRequest,
  UserKey,
  VaultEventEnvelope,
  WhoAmI,
} from '../../../protocol/api';
import type { SecretValue } from '../../../protocol/names';
import type { AuditWriter } from '../audit';
import type { Principal, ReadRateLimiter } from '../auth';
import type { Keyring } from '../crypto/keyring';
import type { EventBus } from '../events';
import type { Account, GrantedReader, PruneReport, RevokeResult, VaultStore } from '../store/types';
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
  private readonly accounts: AccountsService;
  private readonly agents: AgentsService;
  private readonly keys: KeysService;
  private readonly secrets: SecretsService;
  private readonly access: AccessService;
  private readonly accessRequests: AccessRequestsService;
  private readonly auditLog: AuditService;
  private readonly events: EventsService;
  private readonly runtime: RuntimeService;

  constructor(store: VaultStore, keyring: Keyring, bus: EventBus, auditWriter: AuditWriter, clock: () => Date = () => new Date()) {
    this.ctx = new ServiceContext(store, keyring, bus, auditWriter, clock);
    this.accounts = new AccountsService(this.ctx);
    this.agents = new AgentsService(this.ctx);
    this.keys = new KeysService(this.ctx);
    this.secrets = new SecretsService(this.ctx);
    this.access = new AccessService(this.ctx);
    this.accessRequests = new AccessRequestsService(this.ctx);
    this.auditLog = new AuditService(this.ctx);
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

  /** Access requests filed per user key (a token bucket): one key's flood is refused with 429. */
  get accessRequestLimiter(): ReadRateLimiter {
    return this.accessRequests.accessRequestLimiter;
  }

  whoami(p: Principal): Promise<WhoAmI> {
    return this.accounts.whoami(p);
  }

  listAgents(p: Principal): Promise<Agent[]> {
    return this.agents.listAgents(p);
  }

  agentReads(p: Principal, agentId: string): Promise<AgentReadList> {
    return this.agents.agentReads(p, agentId);
  }

  createAgent(p: Principal, body: CreateAgentRequest): Promise<Agent> {
    return this.agents.createAgent(p, body);
  }

  updateAgent(p: Principal, id: string, body: UpdateAgentRequest): Promise<Agent> {
    return this.agents.updateAgent(p, id, body);
  }

  deleteAgent(p: Principal, id: string): Promise<void> {
    return this.agents.deleteAgent(p, id);
  }

  createAgentToken(p: Principal, id: string, name?: string): Promise<IssuedToken> {
    return this.agents.createAgentToken(p, id, name);
  }

  mintRunToken(p: Principal, agentId: string, ttlSeconds: number | undefined): Promise<RunToken> {
    return this.agents.mintRunToken(p, agentId, ttlSeconds);
  }

  revokeRunToken(p: Principal, agentId: string, tokenId: string): Promise<void> {
    return this.agents.revokeRunToken(p, agentId, tokenId);
  }

  listAgentTokens(p: Principal, agentId: string): Promise<AgentTokenInfo[]> {
    return this.agents.listAgentTokens(p, agentId);
  }

  revokeAgentToken(p: Principal, agentId: string, tokenId: string): Promise<void> {
    return this.agents.revokeAgentToken(p, agentId, tokenId);
  }

  accountSettings(p: Principal): Promise<AccountSettings> {
    return this.accounts.accountSettings(p);
  }

  updateAccountSettings(p: Principal, body: UpdateAccountRequest): Promise<AccountSettings> {
    return this.accounts.updateAccountSettings(p, body);
  }

  listUserKeys(p: Principal): Promise<UserKey[]> {
    return this.keys.listUserKeys(p);
  }

  createUserKey(p: Principal, name: string, role: Role): Promise<IssuedToken & { role: Role }> {
    return this.keys.createUserKey(p, name, role);
  }

  issueLocalKey(accountId: string, name: string, role: Role, command: string): Promise<IssuedToken & { role: Role }> {
    return this.keys.issueLocalKey(accountId, name, role, command);
  }

  createAccountLocally(account: Account, command: string): Promise<void> {
    return this.accounts.createAccountLocally(account, command);
  }

  revokeLocalKey(accountId: string, id: string, command: string): Promise<RevokeResult> {
    return this.keys.revokeLocalKey(accountId, id, command);
  }

  recordLocal(command: string, action: AuditAction, target: string, outcome: AuditOutcome, detail: string): Promise<void> {
    return this.auditLog.recordLocal(command, action, target, outcome, detail);
  }

  pruneAudit(days: number): Promise<PruneReport> {
    return this.auditLog.pruneAudit(days);
  }

  revokeUserKey(p: Principal, id: string): Promise<void> {
    return this.keys.revokeUserKey(p, id);
  }

  listSecrets(p: Principal, agent?: string): Promise<SecretMetadata[]> {
    return this.secrets.listSecrets(p, agent);
  }

  getSecret(p: Principal, name: string): Promise<SecretMetadata> {
    return this.secrets.getSecret(p, name);
  }

  createSecret(p: Principal, body: CreateSecretRequest): Promise<SecretMetadata> {
    return this.secrets.createSecret(p, body);
  }

  updateSecret(p: Principal, name: string, body: UpdateSecretRequest, ifMatch?: number): Promise<SecretMetadata> {
    return this.secrets.updateSecret(p, name, body, ifMatch);
  }

  listSecretVersions(p: Principal, name: string): Promise<SecretVersionInfo[]> {
    return this.secrets.listSecretVersions(p, name);
  }

  rollbackSecret(p: Principal, name: string, version: number, ifMatch: number | undefined): Promise<SecretMetadata> {
    return this.secrets.rollbackSecret(p, name, version, ifMatch);
  }

  createAccessRequest(p: Principal, body: CreateAccessRequestBody): Promise<CreateAccessRequestResult> {
    return this.accessRequests.createAccessRequest(p, body);
  }

  listAccessRequests(p: Principal, status: AccessRequestStatus | undefined): Promise<AccessRequest[]> {
    return this.accessRequests.listAccessRequests(p, status);
  }

  approveAccessRequest(p: Principal, id: string): Promise<AccessRequest> {
    return this.accessRequests.approveAccessRequest(p, id);
  }

  denyAccessRequest(p: Principal, id: string, reason: string | undefined): Promise<AccessRequest> {
    return this.accessRequests.denyAccessRequest(p, id, reason);
  }

  denyAccessRequests(p: Principal, body: BulkDenyAccessRequestsBody): Promise<BulkDenyAccessRequestsResult> {
    return this.accessRequests.denyAccessRequests(p, body);
  }

  pruneAccessRequests(days: number): Promise<number> {
    return this.accessRequests.pruneAccessRequests(days);
  }

  deleteSecret(p: Principal, name: string, ifMatch?: number): Promise<void> {
    return this.secrets.deleteSecret(p, name, ifMatch);
  }

  replaceAccess(p: Principal, name: string, agents: string[], ifMatch: number | undefined, reason?: string): Promise<SecretMetadata> {
    return this.access.replaceAccess(p, name, agents, ifMatch, reason);
  }

  setGrant(p: Principal, name: string, agent: string, granted: boolean, reason?: string): Promise<SecretMetadata> {
    return this.access.setGrant(p, name, agent, granted, reason);
  }

  applyAccessChanges(p: Principal, changes: AccessChange[], reason?: string): Promise<AccessChangesResult> {
    return this.access.applyAccessChanges(p, changes, reason);
  }

  recordAssistantCall(p: Principal, body: { tool: string; target: string; outcome: 'success' | 'failed' }): Promise<void> {
    return this.auditLog.recordAssistantCall(p, body);
  }

  audit(p: Principal, before: string | undefined, limit: number): Promise<AuditPage> {
    return this.auditLog.audit(p, before, limit);
  }

  lastEventId(accountId: string): Promise<number> {
    return this.events.lastEventId(accountId);
  }

  oldestEventId(accountId: string): Promise<number> {
    return this.events.oldestEventId(accountId);
  }

  eventsAfter(accountId: string, afterId: number, limit: number): Promise<VaultEventEnvelope[]> {
    return this.events.eventsAfter(accountId, afterId, limit);
  }

  grantedReader(): GrantedReader {
    return this.runtime.grantedReader();
  }

  watchStore(listener: () => void): () => void {
    return this.events.watchStore(listener);
  }

  generation(): number {
    return this.runtime.generation();
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
