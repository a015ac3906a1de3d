// A secret's life in the language service: secret-expired and rotation-due on the
// references an agent can read, their timing (the session's one timer), the wording while an access
// request is pending, the request quick fixes a developer gets instead of grant and create, hovers,
// and the sync messages that carry all of it.

import { describe, expect, it } from 'vitest';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CodeActionKind, type MarkupContent } from 'vscode-languageserver-types';
import { DIAGNOSTIC_RULES } from '../../protocol/check';
import { Commands, DiagnosticCodes, type SecretInfo, type VaultSnapshot } from '../../protocol/lsp';
import { deltaProblem, sameSecret, sameSnapshotContent, snapshotProblem } from '../../protocol/sync';
import { codeActions } from '../../server/src/service/features/codeActions';
import { computeDiagnostics } from '../../server/src/service/features/diagnostics';
import { hover } from '../../server/src/service/features/hover';
import { createLanguageService } from '../../server/src/service/index';
import { VaultModel } from '../../server/src/service/model/model';
import { Session } from '../../server/src/session';
import type { IndexedFile } from '../../server/src/workspaceIndex';
import { BOOKING, SNAKE_SECRETS, SUPPORT, doc, snapshot } from './vaultFixture';

const DAY = 86_400_000;
/** "Now" in these tests: 2026-11-23 12:00 UTC. */
const NOW = Date.parse('2026-11-23T12:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

/** The fixture's secrets with lifecycle fields on some (all readable by booking-agent but stripe_key). */
function lifeSecrets(): SecretInfo[] {
  const over: Record<string, Partial<SecretInfo>> = {
    // Expired yesterday.
    opentable_token: { expiresAt: iso(NOW - DAY), valueUpdatedAt: iso(NOW - 40 * DAY), valueUpdatedBy: 'Demo admin' },
    // Set 100 days ago with a 90-day reminder: due since 10 days.
    sendgrid_api_key: { rotationDays: 90, valueUpdatedAt: iso(NOW - 100 * DAY), valueUpdatedBy: 'Ops key' },
    // Expires in 3 days: a mark and a hover, no diagnostic.
    google_oauth: { expiresAt: iso(NOW + 3 * DAY), rotationDays: 365, valueUpdatedAt: iso(NOW - 5 * DAY) },
    // Expired, but booking-agent is not granted: not-granted is the problem to fix first.
    stripe_key: { expiresAt: iso(NOW - DAY) },
  };
  return SNAKE_SECRETS.map((s) => ({ ...s, ...over[s.name] }));
}

const lifeModel = (overrides: Partial<VaultSnapshot> = {}) => VaultModel.fromSnapshot(snapshot({ secrets: lifeSecrets(), ...overrides }));

const READS = [
  "token = conv.utils.get_secret('opentable_token')",
  "mail = conv.utils.get_secret('sendgrid_api_key')",
  "oauth = conv.utils.get_secret('google_oauth')['client_id']",
  "card = conv.utils.get_secret('stripe_key')",
  '',
].join('\n');

function diagnose(text: string, m: VaultModel, now = NOW, uri?: string) {
  const d = doc(text, uri);
  return computeDiagnostics(d.doc, d.result, m, now).map((x) => ({ code: x.code, severity: x.severity, message: x.message, line: x.range.start.line }));
}

describe('secret-expired and rotation-due', () => {
  it('reports an expired secret as an error and a rotation due as information, on references the agent can read', () => {
    expect(diagnose(READS, lifeModel())).toEqual([
      {
        code: 'secret-expired',
        severity: 1,
        line: 0,
        message: "Secret 'opentable_token' expired on 2026-11-22: run-time reads are refused. Set a new value and move or clear its expiry.",
      },
      {
        code: 'rotation-due',
        severity: 3,
        line: 1,
        message: "Secret 'sendgrid_api_key' is due for rotation since 2026-11-13 (reminder every 90 days; its value was set on 2026-08-15).",
      },
      // stripe_key expired too, but the agent cannot read it at all: that is what it is told.
      { code: 'not-granted', severity: 1, line: 3, message: "Secret 'stripe_key' is not granted to agent 'booking-agent' (granted to: billing-agent)." },
    ]);
  });

  it('says nothing before the moment, and follows the clock', () => {
    // A day before the expiry of google_oauth and two: no diagnostic (expiring soon is a mark, not a problem).
    expect(diagnose(READS, lifeModel(), NOW).filter((d) => d.line === 2)).toEqual([]);
    const later = diagnose(READS, lifeModel(), NOW + 3 * DAY);
    expect(later.find((d) => d.line === 2)).toMatchObject({ code: 'secret-expired', message: expect.stringContaining("'google_oauth' expired on 2026-11-26") });
    // Before the reminder came due, sendgrid_api_key was fine.
    expect(diagnose(READS, lifeModel(), NOW - 11 * DAY).some((d) => d.code === 'rotation-due')).toBe(false);
  });

  it('reports expiry with or without an agent, and only one of the two codes per reference', () => {
    const both = lifeModel({
      secrets: lifeSecrets().map((s) => (s.name === 'opentable_token' ? { ...s, rotationDays: 1 } : s)),
    });
    const codes = diagnose("conv.utils.get_secret('opentable_token')", both).map((d) => d.code);
    expect(codes).toEqual(['secret-expired']);
    // A document outside every folder has no agent: the expiry is a fact about the secret all the same.
    expect(diagnose("conv.utils.get_secret('opentable_token')", both, NOW, 'file:///elsewhere/x.py').map((d) => d.code)).toEqual(['secret-expired']);
  });

  it('ignores the fields where they say nothing (null, absent) and uses updatedAt for vaults without valueUpdatedAt', () => {
    const plain = lifeModel({ secrets: SNAKE_SECRETS.map((s) => ({ ...s, expiresAt: null, rotationDays: null })) });
    expect(diagnose(READS, plain).map((d) => d.code)).toEqual(['not-granted']);
    const old = lifeModel({ secrets: SNAKE_SECRETS.map((s) => (s.name === 'sendgrid_api_key' ? { ...s, rotationDays: 30, updatedAt: iso(NOW - 31 * DAY) } : s)) });
    expect(diagnose(READS, old).map((d) => d.code)).toEqual(['rotation-due', 'not-granted']);
  });

  it('marks both codes stale when the metadata is (offline or unreachable), like every verdict that rests on it', () => {
    const service = createLanguageService({ now: () => NOW });
    service.load(snapshot({ secrets: lifeSecrets(), connection: 'unreachable', stale: { since: '2026-11-22T10:00:00.000Z' } }));
    const d = doc(READS);
    const found = service.diagnostics(d.doc, d.result);
    expect(found.filter((x) => x.code === 'secret-expired' || x.code === 'rotation-due').map((x) => String(x.message).endsWith('(vault unreachable; as of 2026-11-22 10:00 UTC)'))).toEqual([true, true]);
  });

  it('documents both codes for SARIF and --help, with the editor’s severities', () => {
    expect(DiagnosticCodes).toEqual(expect.arrayContaining(['secret-expired', 'rotation-due']));
    expect(DIAGNOSTIC_RULES['secret-expired']).toMatchObject({ name: 'SecretExpired', severity: 'error' });
    expect(DIAGNOSTIC_RULES['rotation-due']).toMatchObject({ name: 'RotationDue', severity: 'info' });
    for (const code of ['secret-expired', 'rotation-due'] as const) expect(DIAGNOSTIC_RULES[code].help.length).toBeGreaterThan(100);
  });
});

describe('hovers say a secret’s life', () => {
  const at = (text: string, m = lifeModel(), now = NOW, uri?: string) => {
    const d = doc(text, uri);
    return (hover(d.doc, d.result, m, d.cursor, now)?.contents as MarkupContent | undefined)?.value ?? '';
  };

  it('the state in lifecycleSummary’s words, the expiry and reminder set, and when and by whom the value last changed', () => {
    expect(at("conv.utils.get_secret('opentable|_token')")).toContain('✗ opentable\\_token: expired on 2026-11-22 (run-time reads are refused).');
    expect(at("conv.utils.get_secret('opentable|_token')")).toContain('Value last changed 2026-10-14 by Demo admin.');
    const sendgrid = at("conv.utils.get_secret('send|grid_api_key')");
    expect(sendgrid).toContain('⚠ sendgrid\\_api\\_key: rotation due since 2026-11-13.');
    expect(sendgrid).toContain('Rotation reminder every 90 days.');
    expect(sendgrid).toContain('Value last changed 2026-08-15 by Ops key.');
    expect(at("conv.utils.get_secret('google|_oauth')")).toContain('⚠ google\\_oauth: expires in 3 days (2026-11-26).');
    // A secret with none of it: the hover is as before.
    expect(at("conv.utils.get_secret('zen|desk')")).not.toMatch(/expire|rotation|Value last changed/);
  });

  it('a far expiry is stated plainly', () => {
    const m = lifeModel({ secrets: SNAKE_SECRETS.map((s) => (s.name === 'zendesk' ? { ...s, expiresAt: '2027-06-30T00:00:00.000Z' } : s)) });
    expect(at("conv.utils.get_secret('zen|desk')", m, NOW, `${SUPPORT}/a.py`)).toContain('Expires on 2027-06-30.');
  });
});

describe('access requests: the developer’s side', () => {
  const developer = (pendingAccess: VaultSnapshot['pendingAccess'] = []) => lifeModel({ role: 'developer', pendingAccess });

  function fixes(text: string, m: VaultModel) {
    const d = doc(text);
    const diagnostics = computeDiagnostics(d.doc, d.result, m, NOW);
    return codeActions(d.doc, d.result, m, diagnostics).map((a) => ({
      title: a.title,
      preferred: a.isPreferred ?? false,
      kind: a.kind,
      ...(a.command ? { command: a.command.command, args: a.command.arguments } : {}),
    }));
  }

  it('not granted: "Request access" instead of grant, preferred', () => {
    expect(fixes("conv.utils.get_secret('stripe_key')", developer())).toEqual([
      {
        title: "Request access for 'booking-agent' to 'stripe_key'…",
        preferred: true,
        kind: CodeActionKind.QuickFix,
        command: Commands.requestAccess,
        args: [{ name: 'stripe_key', agent: 'booking-agent', newSecret: false }],
      },
    ]);
    // Admins still grant; nobody offline (no role) is offered either.
    expect(fixes("conv.utils.get_secret('stripe_key')", lifeModel()).map((f) => f.title)).toEqual(["Grant 'booking-agent' access to 'stripe_key'"]);
    expect(fixes("conv.utils.get_secret('stripe_key')", lifeModel({ role: null }))).toEqual([]);
  });

  it('unknown secret: did-you-mean, then "Request secret" with the keys the code reads', () => {
    const text = "creds = conv.utils.get_secret('googel_oauth')\ncreds['client_id']\ncreds['tenant']\n";
    expect(fixes(text, developer())).toEqual([
      { title: "Change to 'google_oauth'", preferred: true, kind: CodeActionKind.QuickFix },
      {
        title: "Request secret 'googel_oauth' for 'booking-agent'…",
        preferred: false,
        kind: CodeActionKind.QuickFix,
        command: Commands.requestAccess,
        args: [{ name: 'googel_oauth', agent: 'booking-agent', newSecret: true, keys: ['client_id', 'tenant'] }],
      },
    ]);
    // No agent for the document: nothing to request for.
    const d = doc("conv.utils.get_secret('brand_new')", 'file:///elsewhere/x.py');
    const m = developer();
    expect(codeActions(d.doc, d.result, m, computeDiagnostics(d.doc, d.result, m, NOW))).toEqual([]);
  });

  it('while a request is pending: the message says so and no second request is offered', () => {
    const m = developer([
      { secret: 'stripe_key', agent: 'booking-agent' },
      { secret: 'brand_new', agent: 'booking-agent' },
      // Another agent's request is not this document's.
      { secret: 'zendesk', agent: 'billing-agent' },
    ]);
    const text = "a = conv.utils.get_secret('stripe_key')\nb = conv.utils.get_secret('brand_new')\nc = conv.utils.get_secret('zendesk')\n";
    expect(diagnose(text, m).map((d) => d.message)).toEqual([
      "Secret 'stripe_key' is not granted to agent 'booking-agent' (granted to: billing-agent): access requested, pending.",
      "Secret 'brand_new' does not exist in the vault yet: access requested, pending.",
      "Secret 'zendesk' is not granted to agent 'booking-agent' (granted to: support-agent).",
    ]);
    expect(fixes(text, m).map((f) => f.title)).toEqual(["Request access for 'booking-agent' to 'zendesk'…"]);
    const d = doc("conv.utils.get_secret('stripe|_key')");
    expect((hover(d.doc, d.result, m, d.cursor, NOW)?.contents as MarkupContent).value).toContain("Access for `booking-agent` requested: pending an admin's decision.");
  });

  it('a change of the pending list re-checks only the documents that read those secrets', () => {
    const service = createLanguageService({ now: () => NOW });
    service.load(snapshot({ role: 'developer', secrets: lifeSecrets() }));
    const stripe = doc("conv.utils.get_secret('stripe_key')");
    const other = doc("conv.utils.get_secret('zendesk')", `${BOOKING}/b.py`);
    const impact = service.apply([{ kind: 'context', pendingAccess: [{ secret: 'stripe_key', agent: 'booking-agent' }] }]);
    expect([...impact.names]).toEqual(['stripe_key']);
    expect(impact.all).toBe(false);
    expect(service.affects(impact, stripe.doc.uri, stripe.result)).toBe(true);
    expect(service.affects(impact, other.doc.uri, other.result)).toBe(false);
    expect(service.diagnostics(stripe.doc, stripe.result)[0]!.message).toMatch(/access requested, pending\.$/);
    // The same list again changes nothing; the request decided (gone from the list) re-checks it.
    expect(service.apply([{ kind: 'context', pendingAccess: [{ secret: 'stripe_key', agent: 'booking-agent' }] }]).changed).toBe(false);
    expect([...service.apply([{ kind: 'context', pendingAccess: [] }]).names]).toEqual(['stripe_key']);
    expect(service.diagnostics(stripe.doc, stripe.result)[0]!.message).not.toMatch(/pending/);
    // A later snapshot carries the list too, and is applied as its difference.
    const again = service.load(snapshot({ role: 'developer', secrets: lifeSecrets(), pendingAccess: [{ secret: 'stripe_key', agent: 'booking-agent' }] }));
    expect([...again.names]).toEqual(['stripe_key']);
  });
});

describe('the session’s clock', () => {
  function setup(now: { t: number }) {
    const open = new Map<string, TextDocument>();
    const files = new Map<string, IndexedFile>();
    const session = new Session({ get: (uri) => open.get(uri), all: () => [...open.values()] }, { get: (uri) => files.get(uri), values: () => files.values() }, { now: () => now.t });
    return { session, open };
  }

  it('says when the next state change comes, and at that moment re-checks only the documents that read the secret', () => {
    const clock = { t: NOW };
    const { session, open } = setup(clock);
    expect(session.nextLifecycleChange()).toBeNull();
    const reads = `${BOOKING}/reads.py`;
    const unrelated = `${BOOKING}/other.py`;
    open.set(reads, TextDocument.create(reads, 'python', 1, "conv.utils.get_secret('google_oauth')\n"));
    open.set(unrelated, TextDocument.create(unrelated, 'python', 1, "conv.utils.get_secret('zendesk')\n"));
    session.receiveSnapshot(snapshot({ secrets: lifeSecrets() }));
    // google_oauth expires first (in 3 days); the others are past every moment or have none.
    const expiry = NOW + 3 * DAY;
    expect(session.nextLifecycleChange()).toBe(expiry);
    const before = session.documentReport(reads, undefined);
    const otherBefore = session.documentReport(unrelated, undefined);
    expect(before.kind === 'full' && before.items.map((d) => d.code)).toEqual([]);

    // Early (a timer may fire a little early, or a long wait is taken in steps): nothing changes.
    clock.t = expiry - 1;
    expect(session.lifecycleTick()).toMatchObject({ affected: 0, refresh: false });
    expect(session.documentReport(reads, before.resultId).kind).toBe('unchanged');

    clock.t = expiry;
    const tick = session.lifecycleTick();
    expect(tick).toMatchObject({ affected: 1, refresh: true });
    expect(tick.openAffected.map((d) => d.uri)).toEqual([reads]);
    const after = session.documentReport(reads, before.resultId);
    expect(after.kind === 'full' && after.items.map((d) => d.code)).toEqual(['secret-expired']);
    expect(session.documentReport(unrelated, otherBefore.resultId).kind).toBe('unchanged');
    // Next: google_oauth's rotation reminder (365 days after its value was set).
    expect(session.nextLifecycleChange()).toBe(NOW - 5 * DAY + 365 * DAY);
  });

  it('an expiry moved by a delta moves the next change', () => {
    const clock = { t: NOW };
    const { session } = setup(clock);
    session.receiveSnapshot(snapshot({ revision: 1 }));
    expect(session.nextLifecycleChange()).toBeNull();
    const zendesk = SNAKE_SECRETS.find((s) => s.name === 'zendesk')!;
    session.receiveDelta({ baseRevision: 1, revision: 2, changes: [{ kind: 'secret', secret: { ...zendesk, expiresAt: iso(NOW + 30 * DAY) } }] });
    // Expiring soon starts 7 days before.
    expect(session.nextLifecycleChange()).toBe(NOW + 23 * DAY);
  });
});

describe('the sync messages carry the new fields', () => {
  const base = SNAKE_SECRETS[0]!;

  it('validates lifecycle fields and the pending list in snapshots and deltas', () => {
    expect(snapshotProblem(snapshot({ secrets: lifeSecrets(), pendingAccess: [{ secret: 'x', agent: 'y' }] }))).toBeUndefined();
    expect(snapshotProblem(snapshot({ secrets: [{ ...base, expiresAt: 'soon' }] }))).toBe('bad secret entry');
    expect(snapshotProblem(snapshot({ secrets: [{ ...base, rotationDays: 0 }] }))).toBe('bad secret entry');
    expect(snapshotProblem(snapshot({ secrets: [{ ...base, rotationDays: 1.5 }] }))).toBe('bad secret entry');
    expect(snapshotProblem(snapshot({ secrets: [{ ...base, valueUpdatedBy: 7 as never }] }))).toBe('bad secret entry');
    expect(snapshotProblem(snapshot({ pendingAccess: [{ secret: 'x' }] as never }))).toBe('bad pendingAccess');
    expect(deltaProblem({ baseRevision: 1, revision: 2, changes: [{ kind: 'context', pendingAccess: 'x' }] })).toBe('change 0: bad pendingAccess');
    expect(deltaProblem({ baseRevision: 1, revision: 2, changes: [{ kind: 'secret', secret: { ...base, expiresAt: 12 } }] })).toBe('change 0: bad secret');
    expect(deltaProblem({ baseRevision: 1, revision: 2, changes: [{ kind: 'context', pendingAccess: [{ secret: 'a', agent: 'b' }] }] })).toBeUndefined();
  });

  it('compares every lifecycle field, so that a change of one is never dropped as "the same"', () => {
    expect(sameSecret(base, { ...base })).toBe(true);
    expect(sameSecret(base, { ...base, expiresAt: null, rotationDays: null })).toBe(true);
    for (const change of [{ expiresAt: '2027-01-01T00:00:00.000Z' }, { rotationDays: 30 }, { valueUpdatedAt: '2026-01-01T00:00:00.000Z' }, { valueUpdatedBy: 'x' }]) {
      expect(sameSecret(base, { ...base, ...change }), JSON.stringify(change)).toBe(false);
    }
    const a = snapshot({ pendingAccess: [{ secret: 'a', agent: 'b' }, { secret: 'c', agent: 'd' }] });
    expect(sameSnapshotContent(a, snapshot({ pendingAccess: [{ secret: 'c', agent: 'd' }, { secret: 'a', agent: 'b' }] }))).toBe(true);
    expect(sameSnapshotContent(a, snapshot({ pendingAccess: [{ secret: 'a', agent: 'b' }] }))).toBe(false);
  });

  it('the model keeps the lifecycle fields it is sent, and a delta that changes only an expiry reaches it', () => {
    const service = createLanguageService({ now: () => NOW });
    service.load(snapshot());
    const impact = service.apply([{ kind: 'secret', secret: { ...base, expiresAt: iso(NOW - DAY), valueUpdatedBy: 'Demo admin', value: 'sk_live_x' } as SecretInfo }]);
    expect([...impact.names]).toEqual([base.name]);
    const info = service.model.secret(base.name)!.info;
    expect(info).toMatchObject({ expiresAt: iso(NOW - DAY), valueUpdatedBy: 'Demo admin' });
    // Whatever else a client attaches stays out of the model.
    expect(JSON.stringify(info)).not.toContain('sk_live_x');
  });
});
