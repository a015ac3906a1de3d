// Types for scripts/diagnostics-doc.mjs, which test/docs/diagnosticsDoc.test.ts imports.
export const DIAGNOSTICS_DOC: string;
export function renderDiagnosticsDoc(rules: Record<string, { severity: string; summary: string; help: string }>): string;
