// The snapshot's validator lives in protocol/sync.ts (the client checks its offline cache with it
// too); re-exported here for the modules and tests that import it from the server.
export { isVaultSnapshot, snapshotProblem } from '../../protocol/sync';
