// The one escaping rule for human-readable output, and the loopback rule for plain http://.

import { describe, expect, it } from 'vitest';
import { displayWidth, firstUnsafeCodePoint, hasUnsafeText, padDisplay, safeJson, safeText, SAFE_TEXT_PATTERN, VISIBLE_TEXT_PATTERN } from '../../protocol/safeText';
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
    const re = new RegExp(SAFE_TEXT_PATTERN, 'u');
    for (const s of ['', 'ci key', 'Zürich', 'a\\b']) expect(re.test(s)).toBe(true);
    for (const s of ['a\nb', '\u001b[8m', '\u202e', '\u0085', '\u2028']) expect(re.test(s)).toBe(false);
    for (let c = 0; c < 0x2100; c++) {
      const ch = String.fromCharCode(c);
      expect(re.test(ch)).toBe(safeText(ch) === ch);
    }
  });
});

/** Characters that show as nothing, so that two texts look the same. */
const INVISIBLE = [
  '\u00ad', '\u034f', '\u115f', '\u1160', '\u17b4', '\u17b5', '\u180e', '\u200b', '\u200c', '\u200d', '\u2060', '\u2061', '\u2062',
  '\u2063', '\u2064', '\u3164', '\ufeff', '\uffa0', '\u{e0000}', '\u{e0001}', '\u{e0041}', '\u{e007f}',
  // Issue 50: variation selectors, the Mongolian free variation selectors, the braille blank and the
  // rest of Unicode's default-ignorable code points.
  '\u180b', '\u180f', '\u2800', '\ufe00', '\ufe0f', '\ufff9', '\u{1bca0}', '\u{1d173}', '\u{e0100}', '\u{e01ef}', '\u{e0fff}',
];

describe('invisible characters', () => {
  it('safeText shows each as a visible escape; a tag character as \\u{…}', () => {
    expect(safeText('admin\u200b')).toBe('admin\\u200b');
    expect(safeText('ok\u{e0049}\u{e0047}\u{e004e}')).toBe('ok\\u{e0049}\\u{e0047}\\u{e004e}');
    expect(safeText('soft\u00adhyphen \ufeffbom \u3164')).toBe('soft\\xadhyphen \\ufeffbom \\u3164');
    for (const c of INVISIBLE) {
      expect(safeText(`a${c}b`)).not.toContain(c);
      expect(hasUnsafeText(c)).toBe(true);
    }
    // Visible text is untouched: an emoji (astral too), a flag (regional indicators), accents, CJK.
    for (const s of ['😀', '🇫🇷', 'Zürich — 東京']) expect(safeText(s)).toBe(s);
  });

  it('firstUnsafeCodePoint names the first one as U+XXXX, never the text', () => {
    expect(firstUnsafeCodePoint('needed for prod\u200b')).toBe('U+200B');
    expect(firstUnsafeCodePoint('x\u{e0041}\u200b')).toBe('U+E0041');
    expect(firstUnsafeCodePoint('tab\there')).toBe('U+0009');
    expect(firstUnsafeCodePoint('plain text')).toBeUndefined();
  });

  it('SAFE_TEXT_PATTERN refuses them; VISIBLE_TEXT_PATTERN refuses them but allows line breaks', () => {
    const safe = new RegExp(SAFE_TEXT_PATTERN, 'u');
    const visible = new RegExp(VISIBLE_TEXT_PATTERN, 'u');
    for (const c of INVISIBLE) {
      expect(safe.test(`a${c}b`)).toBe(false);
      expect(visible.test(`a${c}b`)).toBe(false);
    }
    expect(visible.test('line one\nline two 😀')).toBe(true);
    expect(safe.test('line one\nline two')).toBe(false);
    expect(safe.test('😀 Zürich')).toBe(true);
  });

  it('safeJson writes them as \\u escapes (a tag as its surrogate pair) and parses back to the same value', () => {
    const value = { reason: `a${INVISIBLE.join('')}b` };
    const text = safeJson(value);
    for (const c of INVISIBLE) expect(text).not.toContain(c);
    expect(text).toContain('\\udb40\\udc41');
    expect(JSON.parse(text)).toEqual(value);
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

/** What real names hold; all of it is visible text, so safeText must leave it exactly as it is. */
const NAME_CHARACTERS = [
  'Prod API Credentials', "it's", 'say "hi"', 'back\\slash', '::error file=x::pwned', '%0A%25', '#?&=+', '../access', 'a/b',
  '<img src=x onerror=alert(1)>', '😀 key 🔑', 'שלום עולם', 'مرحبا', 'cafe\u0301', 'a\u0308\u0323', '日本語', 'Ｐｒｏｄ', '\u00a0nbsp\u00a0',
];

describe('names as real accounts have them', () => {
  it('safeText and safeJson leave the characters of valid names exactly as they are; JSON parses back to the name', () => {
    for (const s of NAME_CHARACTERS) {
      expect(safeText(s)).toBe(s);
      expect(hasUnsafeText(s)).toBe(false);
      expect(JSON.parse(safeJson({ name: s }))).toEqual({ name: s });
    }
  });

  it('safeText escapes a bidi control or a control around those characters (a name held before the rule), so it cannot reorder a line or forge one', () => {
    expect(safeText('שלום\u202e::error::x\n')).toBe('שלום\\u202e::error::x\\n');
    expect(safeText('😀\u2066key\u2069')).toBe('😀\\u2066key\\u2069');
  });

  it('displayWidth counts terminal columns: wide characters and emoji 2, combining marks 0, the rest 1', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('日本語')).toBe(6);
    expect(displayWidth('🔑')).toBe(2);
    expect(displayWidth('cafe\u0301')).toBe(4);
    expect(displayWidth('Ｐ')).toBe(2);
    expect(displayWidth('שלום')).toBe(4);
    expect(displayWidth('')).toBe(0);
    expect(padDisplay('日本', 6)).toBe('日本  ');
    expect(padDisplay('e\u0301', 3)).toBe('e\u0301  ');
    expect(padDisplay('toolong', 3)).toBe('toolong');
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
