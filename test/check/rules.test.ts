// The documentation of each diagnostic code is one text: the SARIF rules carry it and docs/diagnostics.md
// shows it. And the snapshot file's checker, which guards `check --snapshot`.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIAGNOSTIC_RULES, snapshotFileProblem } from '../../protocol/check';
import { DiagnosticCodes } from '../../protocol/lsp';

describe('diagnostic rules', () => {
  it('every code has a rule, and docs/diagnostics.md documents each with the same text', () => {
    expect(Object.keys(DIAGNOSTIC_RULES).sort()).toEqual([...DiagnosticCodes].sort());
    const readme = readFileSync(path.resolve(__dirname, '../../docs/diagnostics.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Diagnostics'));
    for (const code of DiagnosticCodes) {
      const r = DIAGNOSTIC_RULES[code];
      expect(section).toContain(`| \`${code}\` | ${r.severity} | ${r.summary} ${r.help} |`);
    }
  });
});

describe('snapshotFileProblem', () => {
  const good = {
    version: 1,
    generatedAt: '2026-11-22T08:00:00.000Z',
    vault: 'http://127.0.0.1:8787',
    namingStyle: 'snake_case',
    secrets: [{ name: 'a', description: '', kind: 'kv', keys: ['k'], agents: ['x'], updatedAt: '2026-11-22T08:00:00.000Z' }],
    agents: [{ id: 'x', name: 'X' }],
  };

  it('accepts a snapshot, with or without an agent', () => {
    expect(snapshotFileProblem(good)).toBeUndefined();
    expect(snapshotFileProblem({ ...good, agent: 'x' })).toBeUndefined();
  });

  it('names the first thing wrong', () => {
    expect(snapshotFileProblem([])).toBe('it is not a JSON object');
    expect(snapshotFileProblem({ ...good, version: '1' })).toBe('unsupported version "1" (expected 1)');
    expect(snapshotFileProblem({ ...good, namingStyle: 'kebab' })).toBe("'namingStyle' is not one of snake_case, UPPER_CASE");
    expect(snapshotFileProblem({ ...good, agent: 'Not An Id' })).toBe("'agent' is not an agent id");
    expect(snapshotFileProblem({ ...good, secrets: [{ ...good.secrets[0], kind: 'map' }] })).toBe("'secrets[0]' is not a secret's metadata (name, description, kind, keys, agents)");
    expect(snapshotFileProblem({ ...good, secrets: [{ ...good.secrets[0], keys: [1] }] })).toMatch(/^'secrets\[0\]'/);
    expect(snapshotFileProblem({ ...good, agents: [{ id: 'x' }] })).toBe("'agents[0]' is not an agent (id, name)");
    expect(snapshotFileProblem({ ...good, generatedAt: 5 })).toBe("'generatedAt' is not a string");
  });
});
