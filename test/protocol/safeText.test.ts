// The one escaping rule for human-readable output, and the loopback rule for plain http://.

import { describe, expect, it } from 'vitest';
import { hasUnsafeText, safeJson, safeText, SAFE_TEXT_PATTERN } from '../../protocol/safeText';
import { insecureHttpProblem, isLoopbackHost } from '../../protocol/urlPolicy';

describe('safeText', () => {
  it('shows control characters as visible escapes', () => {
    expect(safeText('a\nb\rc\td')).toBe('a\\nb\\rc\\td');
    expect(safeText('\u0000\u0007\u001b[8m')).toBe('\\x00\\x07\\x1b[8m');
    expect(safeText('del\u007f c1\u0085\u009b')).toBe('del\\x7f c1\\x85\\x9b');
    expect(safeText('line\u2028para\u2029')).toBe('line\\u2028para\\u2029');
    expect(safeText('bidi \u202eevil\u202c \u2066x\u2069 \u200f\u061c')).toBe('bidi \\u202eevil\\u202c \\u2066x\\u2069 \\u200f\\u061c');
  });

  it('leaves ordinary text as it is, backslashes and non-Latin letters included', () => {
    for (const s of ['', 'stripe_api_key', 'C:\\path\\n', 'Zürich — 東京 😀', '%0A ::error:: ##[x]', ' spaced ']) expect(safeText(s)).toBe(s);
  });

  it('leaves nothing a terminal or a CI runner would act on (every code unit below U+00A0 and the separators)', () => {
    let all = '';
    for (let c = 0; c < 0xa0; c++) all += String.fromCharCode(c);
    all += '\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c';
    const out = safeText(all);
    expect(out).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/);
    expect(hasUnsafeText(out)).toBe(false);
    expect(hasUnsafeText(all)).toBe(true);
  });

  it('SAFE_TEXT_PATTERN accepts exactly what safeText leaves unchanged', () => {
    const re = new RegExp(SAFE_TEXT_PATTERN);
    for (const s of ['', 'ci key', 'Zürich', 'a\\b']) expect(re.test(s)).toBe(true);
    for (const s of ['a\nb', '\u001b[8m', '\u202e', '\u0085', '\u2028']) expect(re.test(s)).toBe(false);
    for (let c = 0; c < 0x2100; c++) {
      const ch = String.fromCharCode(c);
      expect(re.test(ch)).toBe(safeText(ch) === ch);
    }
  });
});

describe('safeJson', () => {
  it('writes what JSON.stringify leaves raw (DEL, C1, separators, bidi) as \\u escapes; any parser reads the same value', () => {
    let all = '';
    for (let c = 0; c < 0x2100; c++) all += String.fromCharCode(c);
    const value = { [all]: [all, { k: `x\u202ey\u0085\u2028` }], n: 1 };
    for (const space of [undefined, 2]) {
      const text = safeJson(value, space);
      // Newlines only as the layout's own (space = 2), never inside a string.
      expect(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/.test(text)).toBe(false);
      expect(JSON.parse(text)).toEqual(value);
    }
    expect(safeJson({ a: 'plain' }, 2)).toBe(JSON.stringify({ a: 'plain' }, null, 2));
  });
});

describe('plain http:// only to loopback', () => {
  it('knows loopback: 127.0.0.0/8, ::1 and localhost', () => {
    for (const h of ['127.0.0.1', '127.255.0.9', 'localhost', 'LOCALHOST', '[::1]', '::1']) expect(isLoopbackHost(h)).toBe(true);
    for (const h of ['128.0.0.1', '10.0.0.1', '0.0.0.0', '127.0.0.1.example.com', 'localhost.example', 'vault.example', '[::2]', '[::ffff:7f00:1]', '127.0.0.256']) {
      expect(isLoopbackHost(h)).toBe(false);
    }
  });

  it('refuses http:// to another host with a reason and the way to allow it; https and loopback pass', () => {
    const why = insecureHttpProblem('http://vault.example:8787', false, 'pass --allow-insecure-http');
    expect(why).toBe(
      'Refusing plain http:// to vault.example:8787: it is not this machine, so the token and secret values would cross the network unencrypted. Use https://, or pass --allow-insecure-http if the network is trusted.',
    );
    expect(insecureHttpProblem('http://vault.example', true, 'x')).toBeUndefined();
    expect(insecureHttpProblem('https://vault.example', false, 'x')).toBeUndefined();
    // The URL parser normalises other spellings of 127.0.0.1 (decimal, hex) before the check.
    for (const u of ['http://127.0.0.1:8787', 'http://localhost', 'http://[::1]:1', 'http://2130706433/', 'http://0x7f.1/']) expect(insecureHttpProblem(u, false, 'x')).toBeUndefined();
    expect(insecureHttpProblem('http://0.0.0.0:8787', false, 'x')).toBeDefined();
  });
});
