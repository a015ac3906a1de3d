// Create Secret links (issue 50, point 6): any page can open vscode://secrets-vault.secrets-vault/
// create-secret?…; the form is filled in only from a link the editor's own assistant server signed
// with the session key, less than 10 minutes ago, never opened before. Each forgery here is a link
// an attacker can make or obtain: it must open the form empty, with the notice. The signer is the
// MCP server's own code (vault/src/mcp/linkSignature.ts), the verifier the URI handler's.

import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CREATE_SECRET_LINK_LIFETIME_MS, parseCreateSecretLink } from '../../../protocol/assistantClient';
import { linkTarget, verifyCreateSecretLink } from '../../../client/src/core/createSecretLinks';
import { signedCreateSecretLink } from '../../../vault/src/mcp/linkSignature';
import { tally } from '../helpers/ledger';

const S = 'create-secret links: forged, altered, old or replayed fill nothing in';

export function registerCreateSecretLinks(): void {
  describe(S, () => {
    it('every forged link opens the form empty with the notice; the genuine one fills it in once', () => {
      const key = randomBytes(32);
      const now = 1_800_000_000_000;
      const genuine = signedCreateSecretLink(key, { name: 'stripe_key', agent: 'booking-agent', keys: ['id', 'secret'] }, now);
      const q = (link: string) => new URLSearchParams(new URL(link).search.slice(1));
      const withQuery = (edit: (p: URLSearchParams) => void) => {
        const p = q(genuine);
        edit(p);
        return `vscode://secrets-vault.secrets-vault/create-secret?${p.toString()}`;
      };
      const forged: [string, string, number?, Uint8Array?][] = [
        ['a page: name, agent and keys, no proof', 'vscode://secrets-vault.secrets-vault/create-secret?name=stripe_key&agent=evil-agent&key=id'],
        ['a page: the old form with a nonce of its own', 'vscode://secrets-vault.secrets-vault/create-secret?name=stripe_key&agent=evil-agent&once=aaaaaaaaaaaaaaaaaaaaaaaa'],
        ['a page: an agent only', 'vscode://secrets-vault.secrets-vault/create-secret?agent=evil-agent'],
        ['a made-up signature', withQuery((p) => p.set('sig', 'A'.repeat(43)))],
        ['the name changed', withQuery((p) => p.set('name', 'stripe_live'))],
        ['the agent changed', withQuery((p) => p.set('agent', 'evil-agent'))],
        ['the agent removed', withQuery((p) => p.delete('agent'))],
        ['a key added', withQuery((p) => p.append('key', 'extra'))],
        ['the keys reordered', withQuery((p) => (p.delete('key'), p.append('key', 'secret'), p.append('key', 'id')))],
        ['the time moved', withQuery((p) => p.set('at', String(now + CREATE_SECRET_LINK_LIFETIME_MS)))],
        ['the nonce changed', withQuery((p) => p.set('once', 'b'.repeat(24)))],
        ['the signature dropped', withQuery((p) => p.delete('sig'))],
        ['signed by another session', genuine, now, randomBytes(32)],
        ['opened after 10 minutes', genuine, now + CREATE_SECRET_LINK_LIFETIME_MS + 1],
        ['dated in the future', genuine, now - 5 * 60_000],
      ];
      let failed = 0;
      const used = new Set<string>();
      const claim = (once: string) => (used.has(once) ? false : (used.add(once), true));
      for (const [what, link, at, k] of forged) {
        const u = new URL(link);
        const target = linkTarget(verifyCreateSecretLink(parseCreateSecretLink(u.pathname, u.search.slice(1))!, k ?? key, at ?? now, claim));
        const ok = target.prefill === undefined && target.origin?.kind === 'refused' && /its fields were not filled in/.test(target.origin.message);
        if (!ok) failed++;
        expect({ what, target }).toMatchObject({ what, target: { origin: { kind: 'refused' } } });
        expect(target.prefill).toBeUndefined();
      }
      // The genuine link, not used up by the forgeries of it: filled in once, then refused as replayed.
      const u = new URL(genuine);
      const parsed = parseCreateSecretLink(u.pathname, u.search.slice(1))!;
      const first = linkTarget(verifyCreateSecretLink(parsed, key, now, claim));
      const again = linkTarget(verifyCreateSecretLink(parsed, key, now, claim));
      if (first.prefill?.name !== 'stripe_key' || first.origin?.kind !== 'assistant') failed++;
      if (again.prefill !== undefined || again.origin?.kind !== 'refused') failed++;
      expect(first).toMatchObject({ prefill: { name: 'stripe_key', agent: 'booking-agent', keys: ['id', 'secret'] }, origin: { kind: 'assistant', tool: 'propose_secret' } });
      expect(again).toMatchObject({ origin: { kind: 'refused', message: expect.stringContaining('opened before') } });
      tally('create-secret links', forged.length + 2, failed, 'forged, altered, other-session, old, future and replayed links open the form empty');
    });
  });
}
