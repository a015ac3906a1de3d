// docs/diagnostics.md is generated from DIAGNOSTIC_RULES: rendered here in memory, it must equal the
// file, so a rule changed without regenerating the page fails the suite.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DIAGNOSTIC_RULES } from '../../protocol/check';
import { DiagnosticCodes } from '../../protocol/lsp';
import { DIAGNOSTICS_DOC, renderDiagnosticsDoc } from '../../scripts/diagnostics-doc.mjs';

describe('docs/diagnostics.md', () => {
  it('is what scripts/diagnostics-doc.mjs generates from DIAGNOSTIC_RULES (run it after changing a rule)', () => {
    expect(readFileSync(DIAGNOSTICS_DOC, 'utf8')).toBe(renderDiagnosticsDoc(DIAGNOSTIC_RULES));
  });

  it('lists every diagnostic code once', () => {
    const page = renderDiagnosticsDoc(DIAGNOSTIC_RULES);
    for (const code of DiagnosticCodes) expect(page.split(`| \`${code}\` |`).length - 1, code).toBe(1);
  });

  it('goes stale when a rule changes', () => {
    const changed = { ...DIAGNOSTIC_RULES, 'unknown-secret': { ...DIAGNOSTIC_RULES['unknown-secret'], summary: 'Changed.' } };
    expect(renderDiagnosticsDoc(changed)).not.toBe(readFileSync(DIAGNOSTICS_DOC, 'utf8'));
  });
});
