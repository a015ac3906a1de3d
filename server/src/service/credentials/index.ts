// Hard-coded credentials in string literals (the `hardcoded-secret` diagnostic's engine): the
// format table in formats.ts with its checks in formatChecks.ts, the name rules in context.ts, the
// shape checks in shape.ts and standIns.ts, the pass over a lexed document in detect.ts, and the
// name a credential moved to the vault gets in suggestName.ts.

export { credentialIn, findHardcoded, ignoredLines, IGNORE_MARKER, type CredentialVerdict, type HardcodedFinding } from './detect';
export { FORMAT_RULES, type FormatRule } from './formats';
export { CONTEXT_RULE_ID, AWS_SECRET_RULE_ID } from './context';
export { suggestSecretName } from './suggestName';
