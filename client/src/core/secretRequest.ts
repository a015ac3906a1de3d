// The note Copy as a secret request puts on the clipboard for an admin, without vscode so
// that tests can read exactly what a developer would paste. It names the suggested secret, the kind
// of credential, the agent, where it was and the code that will read it; never the value. The
// suggested name is the language server's, which never makes one of a credential written where a
// name goes: a dict keyed by a token gets a name from the kind.

import type { MoveToVaultArgs } from '../../../protocol/lsp';

export interface SecretRequestNote {
  /** What goes on the clipboard. */
  clipboard: string;
  /** What the notification after says. */
  notice: string;
}

/** `location` is `functions/pay.py:12`; `code` the read that will replace the literal. */
export function secretRequestNote(args: Pick<MoveToVaultArgs, 'suggestedName' | 'kind' | 'agent'>, location: string, code: string): SecretRequestNote {
  const who = args.agent ? ` and grant the agent '${args.agent}' access to it` : '';
  const clipboard = [
    `Secret request: please create '${args.suggestedName}' (${args.kind}) in the vault${who}.`,
    `It replaces a value hard-coded in ${location}; the code will read it with ${code}.`,
    `The value is not in this message: I will send it to you another way, or ask for a new one from the provider.`,
  ].join('\n');
  const notice = `Copied a request for '${args.suggestedName}' for an admin. It holds no value: send the value separately, or better, issue a new one.`;
  return { clipboard, notice };
}
