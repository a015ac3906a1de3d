// The language service: pure functions over a text document and a vault model, no LSP transport and
// no I/O (as in vscode-markdown-languageservice). `server/src/server.ts` adapts it to LSP.

export { VaultModel, type SecretEntry } from './model';
export { analyze, activeReferences, languageOfId, languageOfPath, SCANNED_EXTENSIONS, targetAt } from './references';
export { computeDiagnostics, nameProblem, type DiagnosticData } from './diagnostics';
export { complete, resolveCompletion, nameItems, type CompletionOptions, type CompletionData } from './completion';
export { hover } from './hover';
export { codeActions } from './codeActions';
export { findUsages, addUsageCounts, referencesAt, type AnalyzedDocument } from './usages';
export { NameIndex, boundedDistance, typoBound } from './nearest';
