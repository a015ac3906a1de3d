// The question asked before an agent's access to a secret is removed while code of its project reads it.

import { readsCount, readsList, type ReadRow } from './secretReads';

/**
 * The modal question before revoking `agent` from `name`, when `reads` (the workspace's reads of the
 * secret that run as that agent, secretReads.ts) is not empty; undefined when none does (the revoke
 * goes ahead with an Undo, as before).
 */
export function revokeAccessConfirmation(name: string, agent: string, reads: readonly ReadRow[]): { message: string; detail: string } | undefined {
  if (reads.length === 0) return undefined;
  return {
    message: `Revoke '${agent}' from '${name}'? Its code reads it (${readsCount(reads.length)}).`,
    detail: `When this code runs as '${agent}', reading '${name}' fails with MissingAccess:\n${readsList(reads).join('\n')}`,
  };
}

/**
 * The Access review's Revoke, refused: the agent's code still reads the secret (`reads`, not empty),
 * so the grant is not unused; the places are listed. Revoke Access (the sidebar's) still asks instead.
 */
export function revokeRefusal(name: string, agent: string, reads: readonly ReadRow[]): { message: string; detail: string } {
  return {
    message: `Not revoked: '${agent}' still reads '${name}' (${readsCount(reads.length)}).`,
    detail: `A grant the agent's code reads is not unused. Remove these reads first:\n${readsList(reads).join('\n')}`,
  };
}
