// The question asked before an agent's access to a secret is removed while open files read it.

/** At most this many reading files are named; the rest are counted. */
const FILES_NAMED = 3;

/**
 * The modal question before revoking `agent` from `name`, when `readers` (open files that read the
 * secret, as paths relative to the workspace, in the order found) is not empty; undefined when no open
 * file reads it (the revoke goes ahead with an Undo, as before).
 */
export function revokeAccessConfirmation(name: string, agent: string, readers: readonly string[]): { message: string; detail: string } | undefined {
  const files = [...new Set(readers)];
  if (files.length === 0) return undefined;
  const named = files.slice(0, FILES_NAMED).join(', ');
  const more = files.length > FILES_NAMED ? ` and ${files.length - FILES_NAMED} more open ${files.length - FILES_NAMED === 1 ? 'file' : 'files'}` : '';
  const verb = files.length === 1 ? 'reads' : 'read';
  return {
    message: `Revoke '${agent}' from '${name}'? ${named}${more} ${verb} it.`,
    detail: `When this code runs as '${agent}', reading '${name}' fails with MissingAccess.`,
  };
}
