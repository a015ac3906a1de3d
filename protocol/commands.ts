// The commands quick fixes and lenses invoke, apart from lsp.ts (which loads the LSP protocol
// library): the check engine runs the quick fixes without the protocol (diagnosticCodes.ts likewise).

/** Commands that quick fixes invoke; the client registers and carries them out. */
export const Commands = {
  /** Arguments: [CreateSecretArgs] */
  createSecret: 'secretsVault.createSecret',
  /** Arguments: [GrantAccessArgs] */
  grantAccess: 'secretsVault.grantAccess',
  /** Arguments: [RunFunctionArgs] (a CodeLens above a function whose first parameter is conv) */
  runFunction: 'secretsVault.runFunction',
  /** Arguments: [RunFunctionArgs] */
  debugFunction: 'secretsVault.debugFunction',
  /** Arguments: [MoveToVaultArgs] (the `hardcoded-secret` quick fix, for admins) */
  moveToVault: 'secretsVault.moveToVault',
  /** Arguments: [MoveToVaultArgs] (the `hardcoded-secret` quick fix for everyone else: no value is copied) */
  copySecretRequest: 'secretsVault.copySecretRequest',
  /** Arguments: [RequestAccessArgs] (non-admins: instead of the grant and create quick fixes) */
  requestAccess: 'secretsVault.requestAccess',
  /** Arguments: [EditSecretArgs] (the `not-a-mapping` quick fix for admins; the sidebar's Edit Secret too) */
  editSecret: 'secretsVault.editSecret',
} as const;
