// Hard-coded credentials in string literals (the `hardcoded-secret` diagnostic's engine): the pass
// over a lexed document in detect.ts (each of its concerns a module beside it) and the name a
// credential moved to the vault gets in suggestName.ts, here; the pure detector they use (the format
// table and its checks, the name rules, the shape checks, credentialIn) is in protocol/credentials/,
// which the vault judges by too.

export { findHardcoded, type HardcodedFinding } from './detect';
export { nameLiterals, type NameLiterals } from './literalPositions';
export { ignoredLines, IGNORE_MARKER } from './ignoreMarkers';
export { credentialIn, type CredentialVerdict } from '../../../../protocol/credentials/credentialIn';
export { FORMAT_RULES, type FormatRule } from '../../../../protocol/credentials/formats';
export { CONTEXT_RULE_ID, AWS_SECRET_RULE_ID } from '../../../../protocol/credentials/secretLikeNames';
export { suggestSecretName } from './suggestName';
