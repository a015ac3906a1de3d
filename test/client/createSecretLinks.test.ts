// A Create Secret link fills the form in only when the editor's own assistant server signed it with
// the session's key, less than 10 minutes ago, and it was never opened before. These are the
// attacks: a page's link with no signature, a signed link with one field changed, an old one, one
// opened twice, one signed with another key.

import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CREATE_SECRET_LINK_KEY_ENV, CREATE_SECRET_LINK_LIFETIME_MS, createSecretLink, parseCreateSecretLink } from '../../protocol/assistantClient';
import { linkOrigin, verifyCreateSecretLink } from '../../client/src/core/createSecretLinks';
import { signedCreateSecretLink, takeLinkKey } from '../../vault/src/mcp/linkSignature';

const key = randomBytes(32);
const T = 1_800_000_000_000;
const fields = { name: 'crm login', agent: 'PROJECT-WEVYLLDV', keys: ['client_id', 'client secret'] };

/** The parsed query of a link, as the URI handler gets it. */
function parse(link: string) {
  const u = new URL(link);
  return parseCreateSecretLink(u.pathname, u.search.slice(1))!;
}
/** A claim record like UsedLinks: true the first time. */
function claims() {
  const seen = new Set<string>();
  return (once: string) => (seen.has(once) ? false : (seen.add(once), true));
}
/** The link with its query edited. */
function edited(link: string, edit: (q: URLSearchParams) => void): string {
  const u = new URL(link);
  const q = new URLSearchParams(u.search.slice(1));
  edit(q);
  return `vscode://${u.host}${u.pathname}?${q.toString()}`;
}

describe('Create Secret links', () => {
  it('a link the session key signed fills the form in with exactly its fields, once, and says who proposed it', () => {
    const link = signedCreateSecretLink(key, fields, T);
    expect(link).toMatch(/^vscode:\/\/secrets-vault\.secrets-vault\/create-secret\?name=crm\+login&agent=PROJECT-WEVYLLDV&key=client_id&key=client\+secret&once=[A-Za-z0-9_-]{24}&at=1800000000000&sig=[A-Za-z0-9_-]{43}$/);
    const claim = claims();
    const verdict = verifyCreateSecretLink(parse(link), key, T + 60_000, claim);
    expect(verdict).toEqual({ kind: 'signed', fields, at: T });
    expect(linkOrigin(verdict)).toEqual({ kind: 'assistant', tool: 'propose_secret', at: new Date(T).toISOString() });
    // Each proposal draws its own nonce.
    expect(signedCreateSecretLink(key, fields, T)).not.toBe(link);
    // Opened again (from a chat log, a history, a page): refused.
    expect(verifyCreateSecretLink(parse(link), key, T + 61_000, claim)).toEqual({ kind: 'refused', reason: 'replayed' });
  });

  it('a link a page made (no signature, or half of one) fills nothing in and says it was not made by the assistant', () => {
    const noSig = 'vscode://secrets-vault.secrets-vault/create-secret?name=stripe_key&agent=booking-agent&once=aaaaaaaaaaaaaaaaaaaaaaaa';
    const v = verifyCreateSecretLink(parse(noSig), key, T, claims());
    expect(v).toEqual({ kind: 'refused', reason: 'unsigned' });
    expect(linkOrigin(v)).toEqual({ kind: 'refused', message: 'This link was not made by your Secrets Vault assistant: its fields were not filled in.' });
    const signed = signedCreateSecretLink(key, fields, T);
    for (const drop of ['sig', 'at', 'once']) expect(verifyCreateSecretLink(parse(edited(signed, (q) => q.delete(drop))), key, T, claims())).toEqual({ kind: 'refused', reason: 'unsigned' });
    expect(verifyCreateSecretLink(parse(edited(signed, (q) => q.set('sig', 'x'))), key, T, claims())).toEqual({ kind: 'refused', reason: 'unsigned' });
    // A link that fills nothing in is the palette's empty form, with no notice.
    expect(verifyCreateSecretLink(parseCreateSecretLink('/create-secret', '')!, key, T, claims())).toEqual({ kind: 'empty' });
    expect(linkOrigin({ kind: 'empty' })).toBeUndefined();
    expect(parseCreateSecretLink('/other', 'name=x')).toBeUndefined();
  });

  it('changing any signed field, adding one, or signing with another key is refused as altered', () => {
    const signed = signedCreateSecretLink(key, fields, T);
    const alterations: ((q: URLSearchParams) => void)[] = [
      (q) => q.set('name', 'crm_login'),
      (q) => q.set('agent', 'booking-agent'),
      (q) => q.delete('agent'),
      (q) => q.append('key', 'extra'),
      (q) => q.set('key', 'client_id'),
      (q) => q.set('once', 'bbbbbbbbbbbbbbbbbbbbbbbb'),
      (q) => q.set('at', String(T + 1)),
      (q) => q.set('sig', q.get('sig')!.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))),
      (q) => q.set('name', 'x'.repeat(300)),
    ];
    for (const alter of alterations) {
      const v = verifyCreateSecretLink(parse(edited(signed, alter)), key, T, claims());
      expect(v).toEqual({ kind: 'refused', reason: 'altered' });
      expect(linkOrigin(v)).toMatchObject({ kind: 'refused', message: expect.stringContaining('not made by your Secrets Vault assistant, or was changed after') });
    }
    // Another session's key (another window, or before a restart), and a value smuggled in are no help.
    expect(verifyCreateSecretLink(parse(signed), randomBytes(32), T, claims())).toEqual({ kind: 'refused', reason: 'altered' });
    expect(verifyCreateSecretLink(parse(`${signed}&value=hunter2`), key, T, claims())).toMatchObject({ kind: 'signed', fields });
    // A forged link does not use up a real link's nonce: the real one still opens after.
    const claim = claims();
    verifyCreateSecretLink(parse(edited(signed, (q) => q.set('name', 'evil'))), key, T, claim);
    expect(verifyCreateSecretLink(parse(signed), key, T, claim).kind).toBe('signed');
  });

  it(`a link older than ${CREATE_SECRET_LINK_LIFETIME_MS / 60000} minutes, or from the future, is refused as expired`, () => {
    const signed = parse(signedCreateSecretLink(key, fields, T));
    expect(verifyCreateSecretLink(signed, key, T + CREATE_SECRET_LINK_LIFETIME_MS, claims()).kind).toBe('signed');
    const old = verifyCreateSecretLink(signed, key, T + CREATE_SECRET_LINK_LIFETIME_MS + 1, claims());
    expect(old).toEqual({ kind: 'refused', reason: 'expired' });
    expect(linkOrigin(old)).toMatchObject({ message: expect.stringContaining('more than 10 minutes old') });
    expect(verifyCreateSecretLink(signed, key, T - 5 * 60_000, claims())).toEqual({ kind: 'refused', reason: 'expired' });
  });

  it("the server takes its key from the environment once and removes it; a malformed or missing key signs nothing", () => {
    const env: NodeJS.ProcessEnv = { [CREATE_SECRET_LINK_KEY_ENV]: key.toString('base64url'), OTHER: '1' };
    expect(takeLinkKey(env)?.equals(key)).toBe(true);
    expect(env).toEqual({ OTHER: '1' });
    expect(takeLinkKey(env)).toBeUndefined();
    expect(takeLinkKey({ [CREATE_SECRET_LINK_KEY_ENV]: 'short' })).toBeUndefined();
    expect(() => createSecretLink({ ...fields, once: 'short', at: T, sig: 'x'.repeat(43) })).toThrow(/nonce/);
    expect(() => createSecretLink({ ...fields, once: 'a'.repeat(24), at: T, sig: '' })).toThrow(/signature/);
  });
});
