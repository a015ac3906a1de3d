// Hard-coded credentials in string literals (the `hardcoded-secret` diagnostic's engine): the
// formats and name rules in rules.ts, the pass over a lexed document in detect.ts, and the name a
// credential moved to the vault gets in suggestName.ts.

export { credentialIn, findHardcoded, ignoredLines, IGNORE_MARKER, type CredentialVerdict, type HardcodedFinding } from './detect';
export { FORMAT_RULES, CONTEXT_RULE_ID, AWS_SECRET_RULE_ID, type FormatRule } from './rules';
export { suggestSecretName } from './suggestName';
