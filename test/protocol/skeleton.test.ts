// Look-alike names (issue 50, 5): the confusable skeleton the vault's twin check compares, and the
// one text rule for names (every invisible code point safeText escapes is refused in a name too).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkSecretName, isAnyName, isNameTwin, nameFold, nameSkeleton, nameTwinOf } from '../../protocol/names';
import { hasUnsafeText } from '../../protocol/safeText';
import { INVISIBLE_CODE_POINTS } from '../helpers/invisible';

describe('confusable skeleton', () => {
  it('makes names that differ in look-alike letters of another script, case, `_`/`-`/space or width one', () => {
    for (const twin of ['strіpe_key', 'ѕtripe_key', 'stripe_kеy', 'SТRIРE_KEY', 'STRΙPE_ΚEY', 'strіpe-key', 'Stripe Key', 'ｓｔｒｉｐｅ＿ｋｅｙ', 'stripe_key\ufe0f']) {
      expect(nameSkeleton(twin), JSON.stringify(twin)).toBe(nameSkeleton('stripe_key'));
    }
    expect(nameSkeleton('АРI_КЕҮ')).toBe(nameSkeleton('api_key'));
  });

  it('keeps apart what a person tells apart: an accent, a separator added or dropped, another letter', () => {
    for (const other of ['strípe_key', 'stripekey', 'stripe__key', 'stripe_keys', 'X_API_KEY']) expect(nameSkeleton(other)).not.toBe(nameSkeleton('stripe_key'));
    expect(nameSkeleton('XAPI_KEY')).not.toBe(nameSkeleton('X_API_KEY'));
  });

  it('the twin check (isNameTwin, nameTwinOf) counts it: the held one it would pass for is named; a new name has none', () => {
    expect(isNameTwin('strіpe_key', 'stripe_key')).toBe(true);
    expect(nameTwinOf('strіpe_key', ['api_key', 'stripe_key'])).toBe('stripe_key');
    expect(nameTwinOf('stripe_keys', ['api_key', 'stripe_key'])).toBeUndefined();
  });

  it('is coarser than nameFold: two names of one fold have one skeleton', () => {
    // Without spacing: nameFold drops it and the skeleton keeps it as a separator ('d ' and 'd' are
    // twins by nameFold, not by skeleton; isNameTwin takes either).
    const name = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,20}$/);
    fc.assert(fc.property(name, name, (a, b) => nameFold(a) !== nameFold(b) || nameSkeleton(a) === nameSkeleton(b)), { numRuns: 500 });
    expect(isNameTwin('d ', 'd')).toBe(true);
  });
});

describe('one text rule for names', () => {
  it('every invisible code point safeText escapes is refused in a name, naming it by code point', () => {
    for (const c of INVISIBLE_CODE_POINTS) {
      const code = `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
      expect(hasUnsafeText(c), code).toBe(true);
      expect(isAnyName(`stripe_key${c}`), code).toBe(false);
      expect(checkSecretName(`stripe_key${c}`, 'snake_case'), code).toContain(code);
    }
  });
});
