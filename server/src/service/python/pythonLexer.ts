// A single-pass Python lexer: comments and string bodies are skipped character by character and
// everything else becomes a token in a TokenBuffer. f-strings with placeholders are split into
// head / middle / tail tokens with the placeholder expressions lexed as ordinary tokens, because
// code inside `{…}` is real code that may read secrets.

import {
  CH_LBRACE,
  CH_LBRACKET,
  CH_LPAREN,
  CLOSE,
  IDENT,
  IntStack,
  LINE,
  NEST_BRACKET,
  NEST_EXPR,
  NEST_FSTRING,
  NEST_SPEC,
  NUMBER,
  OP,
  OPEN,
  OP_ARROW,
  OP_ASSIGN,
  OP_AUG,
  OP_CMP,
  OP_ELLIPSIS,
  OP_POW,
  OP_WALRUS,
  PREFIX_SHIFT,
  S_BYTES,
  S_CLOSED,
  S_ESCAPE,
  S_FORMAT,
  S_RAW,
  S_TRIPLE,
  TPL_HEAD,
  TPL_MID,
  TPL_TAIL,
  TokenBuffer,
  PY_IDENT_PART,
  isDigit,
  isIdentPart,
  isIdentStart,
} from '../scan/tokens';

const nest = new IntStack();

// Outcomes of scanning a string body.
const BODY_CLOSED = 0;
const BODY_UNTERMINATED = 1;
const BODY_PLACEHOLDER = 2;

/** String prefix letters → flags; -1 when the identifier is not a valid prefix. */
function prefixFlags(text: string, start: number, len: number): number {
  if (len < 1 || len > 2) return -1;
  let flags = 0;
  let letters = 0; // bit per letter: r=1 u=2 b=4 f=8 t=16
  for (let k = 0; k < len; k++) {
    const c = text.charCodeAt(start + k) | 32;
    let bit: number;
    if (c === 114) {
      bit = 1;
      flags |= S_RAW;
    } else if (c === 117) bit = 2;
    else if (c === 98) {
      bit = 4;
      flags |= S_BYTES;
    } else if (c === 102 || c === 116) {
      bit = 8;
      flags |= S_FORMAT;
    } else return -1;
    if (letters & bit) return -1;
    letters |= bit;
  }
  // Two letters: one must be r, the other b, f or t.
  if (len === 2 && (!(letters & 1) || letters & 2)) return -1;
  return flags;
}

/** Whether an identifier at `pos` is really a string prefix (`rb'…'`). */
function startsString(text: string, pos: number): boolean {
  let j = pos;
  while (j < pos + 3 && isIdentPart(text.charCodeAt(j))) j++;
  const q = text.charCodeAt(j);
  return (q === 39 || q === 34) && prefixFlags(text, pos, j - pos) >= 0;
}

/** Indentation column of position `pos` (only whitespace precedes it on its line); tabs to 8. */
function columnOf(text: string, pos: number): number {
  let p = pos;
  while (p > 0) {
    const c = text.charCodeAt(p - 1);
    if (c === 10 || c === 13) break;
    p--;
  }
  let col = 0;
  for (; p < pos; p++) col = text.charCodeAt(p) === 9 ? (col + 8) & ~7 : col + 1;
  return col;
}

// Lexer state shared by the helpers below. Module-level functions (not closures made per call)
// keep V8's optimised code valid from one scan to the next.
let src = '';
let srcLen = 0;
let out: TokenBuffer = new TokenBuffer();
/** Results of scanBody. */
let bodyEnd = 0;
let bodyEscape = false;

/**
 * Scans a string body from `from` up to its closing quote, an unterminated end, or (format
 * strings) the first placeholder brace. Sets bodyEnd to the position after the quote / at the
 * break / after the brace.
 */
function scanBody(from: number, quote: number, triple: boolean, raw: boolean, format: boolean): number {
  // A table lookup per code unit (in `units`, the text's copy the main loop reads) finds the next
  // character that matters, a NUL included (the zeros after the text end the run); the loop below
  // decides what it means.
  const stop = STOP_END | STOP_BACKSLASH | (quote === 34 ? STOP_DOUBLE : STOP_SINGLE) | (triple ? 0 : STOP_NEWLINE) | (format ? STOP_BRACE : 0);
  const code = units;
  let j = from;
  bodyEscape = false;
  while (j < srcLen) {
    while ((STOP_CLASS[code[j]!]! & stop) === 0) j++;
    if (j >= srcLen) break;
    const ch = code[j]!;
    if (ch === 0) {
      j++;
      continue;
    }
    if (ch === 92) {
      bodyEscape = true;
      const next = src.charCodeAt(j + 1);
      if (format && next === 123) {
        j++; // `\{` is a backslash followed by a placeholder
      } else if (format && !raw && next === 78 && src.charCodeAt(j + 2) === 123) {
        const close = src.indexOf('}', j + 3);
        j = close < 0 ? srcLen : close + 1; // \N{NAME}: braces are not a placeholder
      } else if (next === 13 && src.charCodeAt(j + 2) === 10) j += 3;
      else j += 2;
      continue;
    }
    if (ch === quote) {
      if (!triple) {
        bodyEnd = j + 1;
        return BODY_CLOSED;
      }
      if (src.charCodeAt(j + 1) === quote && src.charCodeAt(j + 2) === quote) {
        bodyEnd = j + 3;
        return BODY_CLOSED;
      }
    } else if (ch === 10 || ch === 13) {
      bodyEnd = j;
      return BODY_UNTERMINATED;
    } else if (ch === 123) {
      if (src.charCodeAt(j + 1) === 123) {
        j += 2;
        continue;
      }
      bodyEnd = j + 1;
      return BODY_PLACEHOLDER;
    }
    j++;
  }
  bodyEnd = srcLen;
  return BODY_UNTERMINATED;
}

/** What may end a run of plain string text: bits of STOP_CLASS, a mask of them per kind of string. */
const STOP_END = 1; // the zeros after the text (or a NUL in it)
const STOP_BACKSLASH = 2;
const STOP_NEWLINE = 4;
const STOP_BRACE = 8;
const STOP_SINGLE = 16;
const STOP_DOUBLE = 32;
const STOP_CLASS = (() => {
  const t = new Uint8Array(65536);
  t[0] = STOP_END;
  t[92] = STOP_BACKSLASH;
  t[10] = t[13] = STOP_NEWLINE;
  t[123] = STOP_BRACE;
  t[39] = STOP_SINGLE;
  t[34] = STOP_DOUBLE;
  return t;
})();

function stringInfo(quote: number, triple: boolean, raw: boolean): number {
  return quote | (triple ? 256 : 0) | (raw ? 512 : 0);
}

/** Continues an f-string's literal src: emits a middle (next placeholder) or its tail. */
function fstringPart(tokStart: number, from: number): number {
  const top = nest.size - 1;
  const head = nest.items[top]!;
  const info = nest.info[top]!;
  const outcome = scanBody(from, info & 255, (info & 256) !== 0, (info & 512) !== 0, true);
  if (outcome === BODY_PLACEHOLDER) {
    out.pushInRoom(TPL_MID, tokStart, bodyEnd, 0);
    nest.push(head, NEST_EXPR, info);
    return bodyEnd;
  }
  const flags = out.aux[head]! | (outcome === BODY_CLOSED ? S_CLOSED : 0) | (bodyEscape ? S_ESCAPE : 0);
  const tail = out.pushInRoom(TPL_TAIL, tokStart, bodyEnd, flags);
  out.match[head] = tail;
  out.match[tail] = head;
  nest.size = top;
  return bodyEnd;
}

/** Scans a format spec (after `:` in a placeholder) up to `}` or a nested `{`. */
function specPart(from: number): number {
  const top = nest.size - 1;
  const info = nest.info[top]!;
  const quote = info & 255;
  const triple = (info & 256) !== 0;
  let j = from;
  while (j < srcLen) {
    const ch = src.charCodeAt(j);
    if (ch === 123) {
      nest.push(nest.items[top]!, NEST_EXPR, info);
      return j + 1;
    }
    if (ch === 125) {
      nest.size = top;
      return fstringPart(j, j + 1);
    }
    if (ch === quote || ((ch === 10 || ch === 13) && !triple)) break;
    j++;
  }
  nest.size = top;
  return fstringPart(j, j);
}

/** Whether the innermost nesting is an f-string placeholder's expression. */
function inPlaceholder(): boolean {
  return nest.size > 0 && nest.kinds[nest.size - 1] === NEST_EXPR;
}

function closeBracket(start: number, open: number): void {
  // Find the matching opener, not crossing an f-string placeholder boundary.
  let k = nest.size - 1;
  while (k >= 0 && nest.kinds[k] === NEST_BRACKET && nest.info[k] !== open) k--;
  const tok = out.pushInRoom(CLOSE, start, start + 1, open + (open === CH_LPAREN ? 1 : 2));
  if (k >= 0 && nest.kinds[k] === NEST_BRACKET) {
    const opener = nest.items[k]!;
    out.match[opener] = tok;
    out.match[tok] = opener;
    nest.size = k;
  }
}

// Character classes of the main loop's dispatch: trivia first (below C_TOKEN), then what starts a token.
const C_SPACE = 0;
const C_NEWLINE = 1;
const C_HASH = 2;
const C_BACKSLASH = 3;
const C_TOKEN = 4;
const C_IDENT = 4;
const C_QUOTE = 5;
const C_DIGIT = 6;
const C_OP = 7;

/** The class of each character (beyond ASCII: 0xFEFF is a space, the rest start identifiers). */
const CHAR_CLASS = (() => {
  const t = new Uint8Array(65536).fill(C_OP);
  for (let c = 0; c < 65536; c++) {
    if (c === 32 || c === 9 || c === 12 || c === 0xfeff) t[c] = C_SPACE;
    else if (c === 10 || c === 13) t[c] = C_NEWLINE;
    else if (c === 35) t[c] = C_HASH;
    else if (c === 92) t[c] = C_BACKSLASH;
    else if (isIdentStart(c)) t[c] = C_IDENT;
    else if (c === 39 || c === 34) t[c] = C_QUOTE;
    else if (isDigit(c)) t[c] = C_DIGIT;
  }
  return t;
})();

/** How many zeros follow the text in `units`: what a look-ahead past its end reads. */
const LOOKAHEAD = 4;
let units = new Uint16Array(64);
/**
 * Whether Node's native UTF-16LE copy can fill `units`: typed arrays are little-endian here (so the
 * copy reads back as code units) and `Buffer` exists (the service is bundled for Node only, but stays
 * usable without it).
 */
const NATIVE_COPY = typeof Buffer === 'function' && new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * The text's UTF-16 code units, copied (one native copy) into a typed array that the main loop and
 * scanBody read: an element load costs much less than charCodeAt, which checks the string's kind each time.
 */
function codeUnits(text: string): Uint16Array {
  const n = text.length;
  // Grow to fit; give memory back after an unusually large file.
  if (units.length < n + LOOKAHEAD || (units.length > 1 << 20 && units.length > (n + LOOKAHEAD) * 4)) units = new Uint16Array(n + LOOKAHEAD);
  if (NATIVE_COPY) Buffer.from(units.buffer, units.byteOffset, n * 2).write(text, 'utf16le');
  else for (let k = 0; k < n; k++) units[k] = text.charCodeAt(k);
  units.fill(0, n, n + LOOKAHEAD);
  return units;
}

/** The fewest tokens the main loop makes room for at a time. */
const ROOM = 4096;

export function lexPython(text: string, buf: TokenBuffer): void {
  const n = text.length;
  src = text;
  srcLen = n;
  out = buf;
  buf.reset((n >> 2) + 64);
  nest.size = 0;
  let i = 0;
  let atLineStart = true;
  let newlineInBracket = false;
  let logicalIndent = 0;
  // The indentation column measured while skipping a new line's leading blanks, and where they end.
  let indentCol = 0;
  let indentEnd = 0;
  const hasCR = text.indexOf('\r') >= 0;
  const code = codeUnits(text);
  // A turn of the loop pushes two tokens at most (a LINE and one more) and moves on by a character
  // at least: up to `roomEnd` the buffer has room for all it pushes, and no push checks.
  let roomEnd = 0;

  for (;;) {
    if (i >= roomEnd) {
      if (i >= n) break;
      roomEnd = Math.min(n, i + (buf.makeRoom(ROOM) >> 1));
    }
    const c = code[i]!;
    const cls = CHAR_CLASS[c]!;
    if (cls < C_TOKEN) {
      if (cls === C_SPACE) {
        i++;
      } else if (cls === C_NEWLINE) {
        i += c === 13 && code[i + 1]! === 10 ? 2 : 1;
        if (nest.size === 0) {
          atLineStart = true;
          // Measure the next line's indentation on the way over it.
          let col = 0;
          for (; i < n; i++) {
            const ch = code[i]!;
            if (ch === 32) col++;
            else if (ch === 9) col = (col + 8) & ~7;
            else break;
          }
          indentCol = col;
          indentEnd = i;
        } else newlineInBracket = true;
      } else if (cls === C_HASH) {
        // '#': a comment runs to the end of the line.
        const lf = text.indexOf('\n', i);
        const end = lf < 0 ? n : lf;
        i++;
        if (hasCR) while (i < end && code[i]! !== 13) i++;
        else i = end;
      } else {
        // A backslash-newline joins lines; a stray backslash is skipped.
        const next = code[i + 1]!;
        if (next === 10) i += 2;
        else if (next === 13) i += code[i + 2]! === 10 ? 3 : 2;
        else i++;
      }
      continue;
    }

    // A significant character: first settle the logical line.
    if (atLineStart) {
      atLineStart = false;
      newlineInBracket = false;
      logicalIndent = i === indentEnd ? indentCol : columnOf(text, i);
      buf.pushInRoom(LINE, i, i, logicalIndent);
    } else if (newlineInBracket) {
      newlineInBracket = false;
      // Half-typed code leaves brackets open; a line indented no deeper than the statement that
      // opened them and starting with a name (not a string: that may be the argument) is taken
      // as the next statement, unless the line before ended with an operator or comma, which
      // says it continues (`f(a,⏎b)`).
      if (cls === C_IDENT && buf.kind[buf.count - 1] !== OP && !startsString(text, i)) {
        const col = columnOf(text, i);
        if (col <= logicalIndent) {
          nest.size = 0;
          logicalIndent = col;
          buf.pushInRoom(LINE, i, i, col);
        }
      }
    }

    if (cls === C_IDENT) {
      let j = i + 1;
      // No bound check: the zeros after the text end the name.
      while (PY_IDENT_PART[code[j]!] === 1) j++;
      if (j - i <= 2) {
        const q = code[j]!;
        if (q === 39 || q === 34) {
          const flags = prefixFlags(text, i, j - i);
          if (flags >= 0) {
            i = lexString(i, j - i, flags);
            continue;
          }
        }
      }
      buf.pushInRoom(IDENT, i, j, 0);
      // A name is mostly followed by one space: step over it here rather than in a turn of the loop.
      i = code[j] === 32 ? j + 1 : j;
      continue;
    }
    if (cls === C_QUOTE) {
      i = lexString(i, 0, 0);
      continue;
    }
    if (cls === C_DIGIT || (c === 46 && isDigit(code[i + 1]!))) {
      const hex = c === 48 && (code[i + 1]! | 32) === 120;
      let j = i + 1;
      while (j < n) {
        const ch = code[j]!;
        if (isIdentPart(ch) || ch === 46) j++;
        else if ((ch === 43 || ch === 45) && !hex && (code[j - 1]! | 32) === 101) j++;
        else break;
      }
      buf.pushInRoom(NUMBER, i, j, 0);
      i = j;
      continue;
    }

    switch (c) {
      case 40:
      case 91:
      case 123: {
        const tok = buf.pushInRoom(OPEN, i, i + 1, c);
        // The bracket's character rides along, so matching a closer reads the stack alone.
        nest.push(tok, NEST_BRACKET, c);
        i++;
        continue;
      }
      case 41:
        closeBracket(i, CH_LPAREN);
        // Like a name, a closer or an operator is often followed by one space: step over it here.
        i = code[i + 1] === 32 ? i + 2 : i + 1;
        continue;
      case 93:
        closeBracket(i, CH_LBRACKET);
        i = code[i + 1] === 32 ? i + 2 : i + 1;
        continue;
      case 125: {
        // `}` ends a placeholder when no bracket inside it is open.
        let k = nest.size - 1;
        while (k >= 0 && nest.kinds[k] === NEST_BRACKET && nest.info[k] !== CH_LBRACE) k--;
        if (k >= 0 && nest.kinds[k] === NEST_EXPR) {
          nest.size = k;
          const below = nest.kinds[k - 1];
          i = below === NEST_SPEC ? specPart(i + 1) : fstringPart(i, i + 1);
          continue;
        }
        closeBracket(i, CH_LBRACE);
        i = code[i + 1] === 32 ? i + 2 : i + 1;
        continue;
      }
      case 58: // ':'
        if (code[i + 1]! === 61) {
          buf.pushInRoom(OP, i, i + 2, OP_WALRUS);
          i += 2;
          continue;
        }
        if (inPlaceholder()) {
          // A format spec follows; it belongs to the f-string, not to the code.
          const k = nest.size - 1;
          nest.kinds[k] = NEST_SPEC;
          i = specPart(i + 1);
          continue;
        }
        buf.pushInRoom(OP, i, i + 1, c);
        i = code[i + 1] === 32 ? i + 2 : i + 1;
        continue;
      case 33: // '!'
        if (code[i + 1]! === 61) {
          buf.pushInRoom(OP, i, i + 2, OP_CMP);
          i += 2;
          continue;
        }
        if (inPlaceholder()) {
          // A conversion (`!r`): skip it, the `:` or `}` after it is handled as usual.
          i++;
          while (i < n && isIdentPart(code[i]!)) i++;
          continue;
        }
        buf.pushInRoom(OP, i, i + 1, c);
        i++;
        continue;
      case 61: // '='
        if (code[i + 1]! === 61) {
          buf.pushInRoom(OP, i, i + 2, OP_CMP);
          i += 2;
        } else {
          buf.pushInRoom(OP, i, i + 1, OP_ASSIGN);
          i = code[i + 1] === 32 ? i + 2 : i + 1;
        }
        continue;
      case 46: // '.'
        if (code[i + 1]! === 46 && code[i + 2]! === 46) {
          buf.pushInRoom(OP, i, i + 3, OP_ELLIPSIS);
          i += 3;
        } else {
          buf.pushInRoom(OP, i, i + 1, c);
          i++;
        }
        continue;
      case 60: // '<'
      case 62: {
        // '>'
        const next = code[i + 1]!;
        if (next === 61) {
          buf.pushInRoom(OP, i, i + 2, OP_CMP);
          i += 2;
        } else if (next === c) {
          const aug = code[i + 2]! === 61;
          buf.pushInRoom(OP, i, i + (aug ? 3 : 2), aug ? OP_AUG : c);
          i += aug ? 3 : 2;
        } else {
          buf.pushInRoom(OP, i, i + 1, c);
          i++;
        }
        continue;
      }
      case 45: // '-'
        if (code[i + 1]! === 62) {
          buf.pushInRoom(OP, i, i + 2, OP_ARROW);
          i += 2;
          continue;
        }
        break;
      case 42: // '*'
      case 47: // '/'
        if (code[i + 1]! === c) {
          const aug = code[i + 2]! === 61;
          buf.pushInRoom(OP, i, i + (aug ? 3 : 2), aug ? OP_AUG : c === 42 ? OP_POW : c);
          i += aug ? 3 : 2;
          continue;
        }
        break;
    }
    // Any other operator character, with its augmented-assignment form.
    if (code[i + 1]! === 61 && (c === 43 || c === 45 || c === 42 || c === 47 || c === 37 || c === 38 || c === 124 || c === 94 || c === 64)) {
      buf.pushInRoom(OP, i, i + 2, OP_AUG);
      i += 2;
      continue;
    }
    buf.pushInRoom(OP, i, i + 1, c);
    i = code[i + 1] === 32 ? i + 2 : i + 1;
  }

  buf.seal();
  src = '';
}

/** Lexes a string literal starting at `start` (prefix of `plen` letters); returns its end. */
function lexString(start: number, plen: number, prefix: number): number {
  const qpos = start + plen;
  const quote = src.charCodeAt(qpos);
  const triple = src.charCodeAt(qpos + 1) === quote && src.charCodeAt(qpos + 2) === quote;
  const raw = (prefix & S_RAW) !== 0;
  const format = (prefix & S_FORMAT) !== 0;
  const outcome = scanBody(qpos + (triple ? 3 : 1), quote, triple, raw, format);
  let flags = prefix | (triple ? S_TRIPLE : 0) | (plen << PREFIX_SHIFT);
  if (outcome === BODY_PLACEHOLDER) {
    const head = out.pushInRoom(TPL_HEAD, start, bodyEnd, flags | (bodyEscape ? S_ESCAPE : 0));
    nest.push(head, NEST_FSTRING, stringInfo(quote, triple, raw));
    nest.push(head, NEST_EXPR, stringInfo(quote, triple, raw));
    return bodyEnd;
  }
  if (outcome === BODY_CLOSED) flags |= S_CLOSED;
  if (bodyEscape) flags |= S_ESCAPE;
  out.pushStringInRoom(start, bodyEnd, flags);
  return bodyEnd;
}
