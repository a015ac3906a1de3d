// `secrets-vault check` reports a secret's life as the editor does: secret-expired as an
// error and rotation-due as information on the references the agent can read, and "access requested,
// pending" from the live vault's pending requests. The engine only: the CLI passes the metadata
// (test/check/liveMetadata.test.ts).

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CheckMetadata } from '../../protocol/check';
import { check } from '../../server/src/check/index';

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
const dir = mkdtempSync(path.join(tmpdir(), 'sv-engine-life-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the check engine and a secret’s life', () => {
  it('reports expired and rotation-due secrets and pending requests, with the editor’s severities and words', async () => {
    mkdirSync(path.join(dir, 'functions'), { recursive: true });
    writeFileSync(
      path.join(dir, 'functions/pay.py'),
      [
        'def pay(conv):',
        "    old = conv.utils.get_secret('old_key')",
        "    due = conv.utils.get_secret('due_key')",
        "    asked = conv.utils.get_secret('asked_key')",
        "    new = conv.utils.get_secret('future_key')",
        '',
      ].join('\n'),
    );
    const base = { description: '', kind: 'single' as const, keys: [] };
    const metadata: CheckMetadata = {
      namingStyle: 'snake_case',
      secrets: [
        { ...base, name: 'old_key', agents: ['booking-agent'], expiresAt: '2020-01-01T00:00:00.000Z' },
        { ...base, name: 'due_key', agents: ['booking-agent'], rotationDays: 30, valueUpdatedAt: iso(Date.now() - 31 * DAY) },
        { ...base, name: 'asked_key', agents: [], expiresAt: null, rotationDays: null },
      ],
      agents: [{ id: 'booking-agent', name: 'Booking agent' }],
      pendingAccess: [
        { secret: 'asked_key', agent: 'booking-agent' },
        { secret: 'future_key', agent: 'booking-agent' },
      ],
    };
    const report = await check({ cwd: dir, paths: [], exclude: [], gitignore: false, maxFileSize: 1 << 20, metadata, agent: 'booking-agent' });
    expect(report.findings.map((f) => [f.line, f.code, f.severity, f.message])).toEqual([
      [2, 'secret-expired', 'error', "Secret 'old_key' expired on 2020-01-01: run-time reads are refused. Set a new value and move or clear its expiry."],
      [3, 'rotation-due', 'info', expect.stringMatching(/^Secret 'due_key' is due for rotation since \d{4}-\d\d-\d\d \(reminder every 30 days; its value was set on \d{4}-\d\d-\d\d\)\.$/)],
      [4, 'not-granted', 'error', "Secret 'asked_key' is not granted to agent 'booking-agent' (no agent has access): access requested, pending."],
      [5, 'unknown-secret', 'error', "Secret 'future_key' does not exist in the vault yet: access requested, pending."],
    ]);
    // Without pending requests (a snapshot file has none), the usual words.
    const offline = await check({ cwd: dir, paths: [], exclude: [], gitignore: false, maxFileSize: 1 << 20, metadata: { ...metadata, pendingAccess: undefined }, agent: 'booking-agent' });
    expect(offline.findings.find((f) => f.code === 'unknown-secret')?.message).toBe("Secret 'future_key' does not exist in the vault.");
  });
});
