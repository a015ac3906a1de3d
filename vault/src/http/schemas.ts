// JSON schemas of the API, written once with TypeBox: fastify validates requests and serializes
// responses with them (undeclared fields are dropped), and @fastify/swagger turns them into
// /v1/openapi.json. The assertions at the end keep them equal to the types in protocol/api.ts.

import { Type, type Static, type TSchema } from '@sinclair/typebox';

export type { Static };
import type * as Api from '../../../protocol/api';
import {
  MAX_ACCESS_CHANGES,
  MAX_ACCESS_REQUEST_REASON,
  MAX_BULK_DENY,
  MAX_ROTATION_DAYS,
  MAX_VERSIONS_KEPT,
  MIN_ROTATION_DAYS,
  MIN_VERSIONS_KEPT,
} from '../../../protocol/api';
import {
  AGENT_ID_PATTERN,
  ANY_NAME_PATTERN,
  KEY_PATTERN,
  MAX_AGENT_ID_LENGTH,
  MAX_AGENT_NAME_LENGTH,
  MAX_AGENTS_PER_SECRET,
  MAX_DESCRIPTION_LENGTH,
  MAX_NAME_LENGTH,
  MAX_PAIRS,
  MAX_VALUE_BYTES,
} from '../../../protocol/names';
import { SAFE_TEXT_PATTERN, VISIBLE_TEXT_PATTERN } from '../../../protocol/safeText';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const AgentId = Type.String({
  pattern: AGENT_ID_PATTERN,
  description: `Agent id: 1 to ${MAX_AGENT_ID_LENGTH} letters of either case, digits, hyphens or underscores, starting with a letter or digit (PROJECT-WEVYLLDV, booking-agent). Case is kept; ids differing only in case are one agent (409).`,
});
/**
 * A secret name wherever one is taken (path, body, query): printable text as protocol/names.ts
 * says, 1 to 128 code points (Ajv counts code points and compiles patterns with the `u` flag, which
 * ANY_NAME_PATTERN needs). The account's own rule (environment style) is the service's check.
 */
const NAME_DESCRIPTION = `Secret name: 1 to ${MAX_NAME_LENGTH} characters of printable text (no control, invisible or bidirectional-control characters, no space at either end); UPPER_CASE letters, digits and underscores in environment-style accounts. Names differing only in case, spacing, _ or -, or in letters that look alike (Cyrillic і for i) are one name (409).`;
export const SecretName = Type.String({ minLength: 1, maxLength: MAX_NAME_LENGTH, pattern: ANY_NAME_PATTERN, description: NAME_DESCRIPTION });
/** Line breaks are fine in a description; characters that show as nothing are not (safeText.ts). */
const Description = Type.String({ maxLength: MAX_DESCRIPTION_LENGTH, pattern: VISIBLE_TEXT_PATTERN });
/** Display names that end up in tables and the audit (a key's name is the audit actor): no control characters. */
const Label = (maxLength: number) => Type.String({ minLength: 1, maxLength, pattern: SAFE_TEXT_PATTERN });
const Time = Type.String({ format: 'date-time' });

// A value is checked in full (byte size, key rules) by the service; the schema bounds the shape
// so that a huge object is refused before any work is done.
export const SecretValue = Type.Union(
  [
    Type.String({ maxLength: MAX_VALUE_BYTES }),
    Type.Record(Type.String({ maxLength: 64 }), Type.String({ maxLength: MAX_VALUE_BYTES }), { maxProperties: MAX_PAIRS }),
  ],
  { description: 'A single string, or an object of string pairs (at most 100).' },
);

/** An admin's marks on keys of a key/value secret (metadata: key names, never values). */
const KeySensitivityMarks = Type.Record(Type.String(), Type.Union([Type.Literal('sensitive'), Type.Literal('not-sensitive')]), {
  description:
    "An admin's marks on keys: 'not-sensitive' for configuration beside credentials (a base URL), 'sensitive' to overrule the default a key's name implies. Absent when no key is marked.",
});

/** One agent's last successful run-time read of a secret (see protocol/api.ts SecretLastRead). */
export const SecretLastRead = Type.Object({
  agent: Type.String(),
  at: Time,
  environment: Nullable(Type.String({ description: 'The environment the reader said it runs in.' })),
});

export const AgentReadList = Type.Object({
  agent: Type.String(),
  reads: Type.Array(Type.Object({ secret: Type.String(), at: Time, environment: Nullable(Type.String()) })),
});

export const SecretMetadata = Type.Object(
  {
    name: Type.String(),
    description: Type.String(),
    kind: Type.Union([Type.Literal('single'), Type.Literal('kv')]),
    keys: Type.Array(Type.String()),
    agents: Type.Array(Type.String()),
    version: Type.Integer({ minimum: 1 }),
    createdAt: Time,
    updatedAt: Time,
    updatedBy: Type.String(),
    // Optional in the protocol (older vaults); this vault always sends them.
    valueVersion: Type.Optional(Type.Integer({ minimum: 1, description: 'The current value\'s version: +1 with each new value (a rollback too).' })),
    valueUpdatedAt: Type.Optional(Type.String({ description: 'When the current value was set.' })),
    valueUpdatedBy: Type.Optional(Type.String({ description: 'Who set the current value (a key\'s name).' })),
    expiresAt: Type.Optional(Nullable(Type.String({ description: 'Past this time run-time reads are refused (403 secret_expired).' }))),
    rotationDays: Type.Optional(Nullable(Type.Integer({ description: 'A reminder: a value older than this many days is due for rotation.' }))),
    keySensitivity: Type.Optional(KeySensitivityMarks),
    lastReads: Type.Optional(Type.Array(SecretLastRead, { description: 'The last run-time read by each agent that has read it, sorted by agent.' })),
  },
  { $id: 'SecretMetadata', description: 'Everything about a secret except its value.' },
);

const Kind = Type.Union([Type.Literal('single'), Type.Literal('kv')]);
/** In requests: an ISO 8601 date-time with a time zone; null clears it (on update) or means none. */
const ExpiresAt = Nullable(Type.String({ format: 'date-time', description: 'ISO 8601 date and time with a time zone; null: never expires.' }));
const RotationDays = Nullable(
  Type.Integer({ minimum: MIN_ROTATION_DAYS, maximum: MAX_ROTATION_DAYS, description: `Days (${MIN_ROTATION_DAYS} to ${MAX_ROTATION_DAYS}); null: no reminder.` }),
);

export const SecretVersionInfo = Type.Object({
  version: Type.Integer({ minimum: 1 }),
  createdAt: Type.String(),
  createdBy: Type.String(),
  kind: Kind,
  keys: Type.Array(Type.String()),
  current: Type.Boolean(),
  restoredFrom: Type.Optional(Type.Integer({ minimum: 1, description: 'Made by a rollback: the version whose value it restored.' })),
});
export const SecretVersionList = Type.Object({ versions: Type.Array(SecretVersionInfo) });
export const RollbackRequest = Type.Object(
  { version: Type.Integer({ minimum: 1, description: 'The kept value version to restore.' }) },
  { additionalProperties: false },
);

const AccessRequestStatus = Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('denied')]);
const Reason = Type.String({ maxLength: MAX_ACCESS_REQUEST_REASON, pattern: SAFE_TEXT_PATTERN });
export const AccessRequest = Type.Object(
  {
    id: Type.String(),
    secret: Type.String(),
    agent: Type.String(),
    reason: Type.String(),
    newSecret: Type.Boolean(),
    kind: Type.Optional(Kind),
    keys: Type.Optional(Type.Array(Type.String())),
    status: AccessRequestStatus,
    requestedBy: Type.String(),
    requestedById: Type.String(),
    createdAt: Time,
    decidedAt: Nullable(Time),
    decidedBy: Nullable(Type.String()),
    decisionReason: Nullable(Type.String()),
  },
  { description: 'A request that an agent may read a secret (or that it be created); metadata only.' },
);
export const AccessRequestList = Type.Object({ requests: Type.Array(AccessRequest) });
export const CreateAccessRequestBody = Type.Object(
  {
    // As for secret names in create bodies: the account's style is the service's check.
    secret: SecretName,
    agent: AgentId,
    reason: Type.Optional(Reason),
    kind: Type.Optional(Kind),
    keys: Type.Optional(Type.Array(Type.String({ maxLength: 64, pattern: KEY_PATTERN }), { maxItems: MAX_PAIRS })),
  },
  { additionalProperties: false },
);
export const CreateAccessRequestResult = Type.Union([
  Type.Object({ outcome: Type.Union([Type.Literal('created'), Type.Literal('pending')]), request: AccessRequest }),
  Type.Object({ outcome: Type.Literal('granted') }),
]);
export const DenyAccessRequestBody = Type.Object({ reason: Type.Optional(Reason) }, { additionalProperties: false });
const RequestId = Type.String({ maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' });
// Exactly one of ids, requestedById and all: the service says so (a oneOf would give a vaguer 400).
export const BulkDenyAccessRequestsBody = Type.Object(
  {
    ids: Type.Optional(Type.Array(RequestId, { minItems: 1, maxItems: MAX_BULK_DENY, description: 'These requests (those not pending are left alone).' })),
    requestedById: Type.Optional(Type.String({ maxLength: 64, pattern: '^[A-Za-z0-9_-]+$', description: 'Every pending request of this user key (`key_…`).' })),
    all: Type.Optional(Type.Literal(true, { description: 'Every pending request of the account.' })),
    reason: Type.Optional(Reason),
  },
  { additionalProperties: false },
);
export const BulkDenyAccessRequestsResult = Type.Object({
  denied: Type.Array(Type.String(), { description: 'The ids denied by this call.' }),
  more: Type.Boolean({ description: `More pending requests match (at most ${MAX_BULK_DENY} are denied per call): call again.` }),
});
export const AccessRequestsQuery = Type.Object({ status: Type.Optional(AccessRequestStatus) }, { additionalProperties: false });
export const AccessRequestParams = Type.Object({ id: Type.String({ maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }) });

export const Agent = Type.Object(
  { id: Type.String(), name: Type.String(), description: Type.String(), createdAt: Time },
  { $id: 'Agent' },
);

export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.String(),
    detail: Type.Optional(Type.String()),
    field: Type.Optional(Type.String()),
    currentVersion: Type.Optional(Type.Integer()),
  },
  { $id: 'Problem', description: 'RFC 9457 problem details, with a stable `code`.' },
);

export const Health = Type.Object({ status: Type.Literal('ok'), version: Type.String() });

export const WhoAmI = Type.Object({
  account: Type.Object({
    id: Type.String(),
    name: Type.String(),
    namingStyle: Type.Union([Type.Literal('snake_case'), Type.Literal('UPPER_CASE')]),
  }),
  principal: Type.Union([
    Type.Object({
      type: Type.Literal('user'),
      id: Type.String(),
      name: Type.String(),
      role: Type.Union([Type.Literal('admin'), Type.Literal('developer')]),
    }),
    Type.Object({ type: Type.Literal('agent'), id: Type.String(), name: Type.String() }),
  ]),
});

export const CreateAgentRequest = Type.Object(
  {
    // The service explains a malformed id; control characters stop here, since a refused call is
    // audited with the id it named.
    id: Type.String({ maxLength: MAX_AGENT_ID_LENGTH, pattern: SAFE_TEXT_PATTERN }),
    name: Type.Optional(Label(MAX_AGENT_NAME_LENGTH)),
    description: Type.Optional(Description),
  },
  { additionalProperties: false },
);

export const UpdateAgentRequest = Type.Object(
  {
    name: Type.Optional(Label(MAX_AGENT_NAME_LENGTH)),
    description: Type.Optional(Description),
  },
  { additionalProperties: false, description: 'The display name and description; absent fields stay as they are. The id never changes.' },
);

export const CreateTokenRequest = Type.Object(
  { name: Type.Optional(Label(100)) },
  { additionalProperties: false },
);

export const IssuedToken = Type.Object({ id: Type.String(), token: Type.String(), name: Type.String(), createdAt: Time });
export const IssuedUserKey = Type.Composite([IssuedToken, Type.Object({ role: Type.Union([Type.Literal('admin'), Type.Literal('developer')]) })]);

const LocalRuns = Type.Union([Type.Literal('admins'), Type.Literal('developers')], {
  description: 'Who may mint run tokens (local runs as an agent): admins only (the default), or developers too.',
});
const VersionsKept = Type.Integer({
  minimum: MIN_VERSIONS_KEPT,
  maximum: MAX_VERSIONS_KEPT,
  description: `Values kept per secret, the current one included (${MIN_VERSIONS_KEPT} to ${MAX_VERSIONS_KEPT}, default 10); lowering it deletes the older ones at once.`,
});
export const AccountSettings = Type.Object({
  id: Type.String(),
  name: Type.String(),
  namingStyle: Type.Union([Type.Literal('snake_case'), Type.Literal('UPPER_CASE')]),
  localRuns: LocalRuns,
  versionsKept: VersionsKept,
});
export const UpdateAccountRequest = Type.Object({ localRuns: Type.Optional(LocalRuns), versionsKept: Type.Optional(VersionsKept) }, { additionalProperties: false });

// The service checks the bounds (60 to 43200) and says them in its problem.
export const MintRunTokenRequest = Type.Object(
  { ttlSeconds: Type.Optional(Type.Integer({ description: 'Lifetime in seconds: 60 to 43200, default 900.' })) },
  { additionalProperties: false },
);
export const RunToken = Type.Object({
  id: Type.String(),
  token: Type.String(),
  agent: Type.String(),
  expiresAt: Time,
  mintedBy: Type.Object({ id: Type.String(), name: Type.String() }),
});

export const AgentTokenInfo = Type.Object({
  id: Type.String(),
  kind: Type.Union([Type.Literal('agent'), Type.Literal('run')], { description: '`agent`: an agent token (no expiry); `run`: a run token for a local run.' }),
  name: Type.String(),
  minter: Nullable(Type.Object({ id: Type.String(), name: Type.String() }, { description: 'Run tokens: the user key that minted it.' })),
  createdAt: Time,
  expiresAt: Nullable(Time),
});
export const AgentTokenList = Type.Object({ tokens: Type.Array(AgentTokenInfo) });

/** Marks in a request: keys of the secret's key/value value (checked by the service against it). */
const KeySensitivityRequest = Type.Record(Type.String({ pattern: KEY_PATTERN }), Type.Union([Type.Literal('sensitive'), Type.Literal('not-sensitive')]), {
  maxProperties: MAX_PAIRS,
  // A name no key could have is refused here: it may be a value pasted in the wrong place, and is never echoed.
  additionalProperties: false,
  description: "Marks on keys of the key/value value: 'not-sensitive' (configuration such as a base URL) or 'sensitive'. A single value has none.",
});

export const CreateSecretRequest = Type.Object(
  {
    // A name no account could hold is refused here (so never audited); the account's style is the service's check.
    name: SecretName,
    description: Type.Optional(Description),
    value: SecretValue,
    agents: Type.Optional(Type.Array(AgentId, { maxItems: MAX_AGENTS_PER_SECRET })),
    expiresAt: Type.Optional(ExpiresAt),
    rotationDays: Type.Optional(RotationDays),
    keySensitivity: Type.Optional(KeySensitivityRequest),
  },
  { additionalProperties: false },
);

export const UpdateSecretRequest = Type.Object(
  {
    description: Type.Optional(Description),
    value: Type.Optional(SecretValue),
    expiresAt: Type.Optional(ExpiresAt),
    rotationDays: Type.Optional(RotationDays),
    keySensitivity: Type.Optional(KeySensitivityRequest),
  },
  {
    additionalProperties: false,
    description: 'Absent fields stay as they are; null clears expiresAt or rotationDays; keySensitivity replaces every mark ({} clears them).',
  },
);

export const ReplaceAccessRequest = Type.Object(
  { agents: Type.Array(AgentId, { maxItems: MAX_AGENTS_PER_SECRET }) },
  { additionalProperties: false },
);

// A batch of grants and revokes (POST /v1/access/changes): names as a single grant's path takes
// them; a bad one is a 400 whose field names the change (`changes.3.secret`).
const AccessChange = Type.Object(
  {
    secret: SecretName,
    agent: AgentId,
    granted: Type.Boolean({ description: 'true grants the agent access, false revokes it.' }),
    version: Type.Optional(Type.Integer({ minimum: 1, description: "The secret's version as you read it: the whole batch is refused (412) if it moved since." })),
  },
  { additionalProperties: false },
);
export const AccessChangesRequest = Type.Object(
  { changes: Type.Array(AccessChange, { minItems: 1, maxItems: MAX_ACCESS_CHANGES, description: `1 to ${MAX_ACCESS_CHANGES} changes; each secret and agent pair at most once.` }) },
  { additionalProperties: false },
);
export const AccessChangesResult = Type.Object({
  changes: Type.Array(
    Type.Object({
      secret: Type.String(),
      agent: Type.String(),
      granted: Type.Boolean(),
      outcome: Type.Union([Type.Literal('changed'), Type.Literal('unchanged')], { description: '`unchanged`: it was already so (idempotent).' }),
    }),
    { description: 'Each change, in the order asked.' },
  ),
  secrets: Type.Array(Type.Ref('SecretMetadata'), { description: 'Each secret whose access list changed, as it now is.' }),
  auditId: Nullable(Type.String({ description: 'The one audit record of the batch (`access.batch`); null when nothing changed.' })),
});

export const CreateUserKeyRequest = Type.Object(
  {
    name: Label(100),
    role: Type.Union([Type.Literal('admin'), Type.Literal('developer')]),
  },
  { additionalProperties: false },
);

export const UserKey = Type.Object({
  id: Type.String(),
  name: Type.String(),
  role: Type.Union([Type.Literal('admin'), Type.Literal('developer')]),
  createdAt: Time,
  revokedAt: Nullable(Time),
});

export const RuntimeSecret = Type.Object({ name: Type.String(), value: SecretValue });
export const RuntimeEnv = Type.Object({ env: Type.Record(Type.String(), Type.String()) });

/** Opaque: the store's file and row, encrypted (see auditIds.ts), so ids say nothing of other accounts. */
const AuditId = Type.String({ pattern: '^[A-Za-z0-9_-]{22}$', description: 'Opaque record id; pass as ?before= to page.' });
export const AuditRecord = Type.Object({
  id: AuditId,
  time: Time,
  actor: Type.String(),
  actorId: Type.String({ description: 'The id of the key or token used (`key_…`, `tok_…`); for system records, the operating-system user.' }),
  actorType: Type.Union([Type.Literal('user'), Type.Literal('agent'), Type.Literal('system')]),
  action: Type.String(),
  target: Type.String(),
  outcome: Type.Union([Type.Literal('success'), Type.Literal('denied'), Type.Literal('failed')]),
  detail: Type.String(),
});
export const AuditPage = Type.Object({ records: Type.Array(AuditRecord), next: Nullable(AuditId) });

// Path parameters must be well-formed before anything looks them up or writes them to the audit: a
// name with control characters (a forged-looking audit row, an ANSI escape) is a 400. A secret name
// may be in either style here; the account's own style is the service's check, so a valid name
// keeps the same answers (the same 403 for missing and not granted at run time). Names arrive
// percent-encoded and find-my-way decodes a parameter exactly once, `%2F` included, after routing:
// a `/`, `?`, `#`, `%` or `+` in a name never changes the route (`+` is a plus, not a space).
const SecretNameParam = SecretName;
/** Key ids are `key_` and 16 hex digits; any id of letters, digits, `_` and `-` is let through to a lookup. */
const TokenIdParam = Type.String({ maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' });
export const SecretParams = Type.Object({ name: SecretNameParam });
export const AgentParams = Type.Object({ id: AgentId });
export const RunTokenParams = Type.Object({ id: AgentId, tokenId: TokenIdParam });
export const GrantParams = Type.Object({ name: SecretNameParam, agent: AgentId });
export const KeyParams = Type.Object({ id: TokenIdParam });
export const SecretsQuery = Type.Object({ agent: Type.Optional(AgentId) }, { additionalProperties: false });
// Query strings arrive as text; the service parses these (bodies are never type-coerced).
export const AssistantCall = Type.Object(
  {
    tool: Type.String({ pattern: '^[a-z][a-z_]{0,63}$', description: 'The tool called (list_secrets, check_code, …).' }),
    // The one text rule of every field (safeText.ts): controls, bidi controls and invisible characters.
    target: Type.String({ maxLength: 300, pattern: SAFE_TEXT_PATTERN, description: 'What it was about (a secret name, a path); never a value.' }),
    outcome: Type.Union([Type.Literal('success'), Type.Literal('failed')]),
  },
  { additionalProperties: false },
);
export const AuditQuery = Type.Object(
  {
    before: Type.Optional(AuditId),
    limit: Type.Optional(Type.String({ pattern: '^([1-9][0-9]?|[1-4][0-9][0-9]|500)$', description: '1 to 500, default 100' })),
  },
  { additionalProperties: false },
);
export const IfMatchHeaders = Type.Object({
  'if-match': Type.Optional(Type.String({ description: 'The version you read, as an ETag: "3".' })),
});
export const ReasonHeaders = Type.Object({
  'x-secrets-vault-reason': Type.Optional(Type.String({ description: 'Why (percent-encoded UTF-8, at most 500 characters once decoded): kept in the audit record.' })),
});
/** Any text is accepted (an unknown environment is kept as null, never refused): see protocol/environments.ts readerEnvironment. */
export const ReaderEnvironmentHeaders = Type.Object({
  'x-secrets-vault-environment': Type.Optional(
    Type.String({ description: "The environment the reader runs in: sandbox, pre-release or live, kept with the secret's last read (anything else: null)." }),
  ),
});

export const Empty = Type.Null({ description: 'No content' });
export const AgentList = Type.Object({ agents: Type.Array(Type.Ref('Agent')) });
export const SecretList = Type.Object({ secrets: Type.Array(Type.Ref('SecretMetadata')) });
export const UserKeyList = Type.Object({ keys: Type.Array(UserKey) });
export const EventsQuery = Type.Object({ lastEventId: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$' })) });

export const AnyName = Type.String({ pattern: ANY_NAME_PATTERN });
export const Key = Type.String({ pattern: KEY_PATTERN });

// ---- compile-time equality with protocol/api.ts: a drift on either side fails `tsc` ----
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Assert<T extends true> = T;
export type SchemaMatchesProtocol = [
  Assert<Equal<Static<typeof SecretMetadata>, Api.SecretMetadata>>,
  Assert<Equal<Static<typeof Agent>, Api.Agent>>,
  Assert<Equal<Static<typeof WhoAmI>['principal'], Api.WhoAmI['principal']>>,
  Assert<Equal<Static<typeof CreateAgentRequest>, Api.CreateAgentRequest>>,
  Assert<Equal<Static<typeof UpdateAgentRequest>, Api.UpdateAgentRequest>>,
  Assert<Equal<Static<typeof CreateSecretRequest>, Api.CreateSecretRequest>>,
  Assert<Equal<Static<typeof UpdateSecretRequest>, Api.UpdateSecretRequest>>,
  Assert<Equal<Static<typeof ReplaceAccessRequest>, Api.ReplaceAccessRequest>>,
  Assert<Equal<Static<typeof AccessChangesRequest>, Api.AccessChangesRequest>>,
  Assert<Equal<Static<typeof AccessChangesResult>['changes'], Api.AccessChangesResult['changes']>>,
  Assert<Equal<Static<typeof CreateUserKeyRequest>, Api.CreateUserKeyRequest>>,
  Assert<Equal<Static<typeof IssuedToken>, Api.IssuedToken>>,
  Assert<Equal<Static<typeof UserKey>, Api.UserKey>>,
  Assert<Equal<Static<typeof RuntimeSecret>, Api.RuntimeSecret>>,
  Assert<Equal<Static<typeof RuntimeEnv>, Api.RuntimeEnv>>,
  Assert<Equal<Static<typeof AccountSettings>, Api.AccountSettings>>,
  Assert<Equal<Static<typeof UpdateAccountRequest>, Api.UpdateAccountRequest>>,
  Assert<Equal<Static<typeof MintRunTokenRequest>, Api.MintRunTokenRequest>>,
  Assert<Equal<Static<typeof RunToken>, Api.RunToken>>,
  Assert<Equal<Static<typeof AgentTokenInfo>, Api.AgentTokenInfo>>,
  Assert<Equal<Static<typeof AgentTokenList>, Api.AgentTokenList>>,
  Assert<Equal<Static<typeof SecretLastRead>, Api.SecretLastRead>>,
  Assert<Equal<Static<typeof AgentReadList>, Api.AgentReadList>>,
  Assert<Equal<Static<typeof SecretVersionInfo>, Api.SecretVersionInfo>>,
  Assert<Equal<Static<typeof SecretVersionList>, Api.SecretVersionList>>,
  Assert<Equal<Static<typeof RollbackRequest>, Api.RollbackRequest>>,
  Assert<Equal<Static<typeof AccessRequest>, Api.AccessRequest>>,
  Assert<Equal<Static<typeof CreateAccessRequestBody>, Api.CreateAccessRequestBody>>,
  Assert<Equal<Static<typeof DenyAccessRequestBody>, Api.DenyAccessRequestBody>>,
  Assert<Equal<Static<typeof BulkDenyAccessRequestsBody>, Api.BulkDenyAccessRequestsBody>>,
  Assert<Equal<Static<typeof BulkDenyAccessRequestsResult>, Api.BulkDenyAccessRequestsResult>>,
  Assert<Equal<Static<typeof AccessRequestList>, Api.AccessRequestList>>,
  Assert<Equal<Static<typeof CreateAccessRequestResult>, Api.CreateAccessRequestResult>>,
  Assert<Equal<Static<typeof AccessRequestsQuery>['status'], Api.AccessRequestStatus | undefined>>,
];
