// Copy as a secret request for a credential in a dict keyed by another credential (a credential
// written where a name goes): the note a developer pastes to an admin, built from what the language
// service really sends, names the secret by its kind and carries no part of either credential.

import '../../server/src/nodeHmac';
import { describe, expect, it } from 'vitest';
import { Commands, type MoveToVaultArgs } from '../../protocol/lsp';
import { secretRequestNote } from '../../client/src/core/secretRequest';
import { renderSnippet } from '../../client/src/core/snippets';
import { codeActions } from '../../server/src/service/features/codeActions';
import { computeDiagnostics } from '../../server/src/service/features/diagnostics';
import { CREDENTIAL_SEED, credentialSamples, leakOf, pythonWithCredential, stripeKey } from '../helpers/credentialNames';
import { doc, model } from '../server/vaultFixture';

describe('the secret request note (Move to vault for everyone but admins)', () => {
  it('names the secret by its kind when the credential sits under a key that is a credential too, and quotes neither', () => {
    const value = stripeKey();
    const m = model({ role: 'developer' });
    for (const s of credentialSamples()) {
      const d = doc(pythonWithCredential(s.value, value));
      const actions = codeActions(d.doc, d.result, m, computeDiagnostics(d.doc, d.result, m));
      const requests = actions.filter((a) => a.command?.command === Commands.copySecretRequest).map((a) => a.command!.arguments![0] as MoveToVaultArgs);
      expect(requests.map((r) => r.suggestedName), `${s.label} (CREDENTIAL_SEED=${CREDENTIAL_SEED})`).toContain('stripe_secret_key');
      for (const args of requests) {
        const code = renderSnippet({ name: args.suggestedName, kind: 'single', namingStyle: 'snake_case', languageId: 'python', templates: {} });
        const note = secretRequestNote(args, 'functions/main.py:11', code);
        expect(note.clipboard).toContain(`please create '${args.suggestedName}' (${args.kind}) in the vault and grant the agent 'booking-agent' access to it.`);
        for (const credential of [s.value, value]) {
          expect(leakOf(`${note.clipboard}\n${note.notice}`, credential), `${s.label} (CREDENTIAL_SEED=${CREDENTIAL_SEED})`).toBeNull();
        }
      }
    }
  });
});
