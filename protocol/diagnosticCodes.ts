// The diagnostic codes, apart from lsp.ts (which loads the LSP protocol library): the CLI's check
// formats need the codes, not the protocol.

/** Stable diagnostic codes, shared by the editor and `secrets-vault check`. */
export const DiagnosticCodes = [
  'unknown-secret',
  'not-granted',
  'invalid-name',
  'unknown-key',
  'not-a-mapping',
  'dynamic-name',
  'hardcoded-secret',
  'secret-in-log',
  'secret-expired',
  'rotation-due',
  // Last, so that SARIF rule indexes of the codes before it stay as they were.
  'naming-convention',
  // An ADK project's configuration field naming a secret of the other kind (single value, key/value).
  'wrong-kind',
  // A secret read with no name at all (`get_secret()`): the call fails at run time.
  'missing-name',
  // A call that may carry a secret which the leak analysis did not follow (its budget, its depth).
  'leak-check-incomplete',
] as const;
export type DiagnosticCode = (typeof DiagnosticCodes)[number];

/** The `source` of every diagnostic we publish. */
export const DIAGNOSTIC_SOURCE = 'secrets-vault';
