// A single-pass JavaScript / TypeScript lexer. Comments, string bodies and regular expressions are
// skipped; template literals with `${…}` are split into head / middle / tail tokens with the
// expressions inside lexed as ordinary tokens, because code there may read secrets too.

import {
  CH_LBRACE,
  CH_LBRACKET,
  CH_LPAREN,
  CH_RBRACE,
  CLOSE,
  IDENT,
  IntStack,
  NEST_BRACKET,
  NEST_EXPR,
  NEST_JSX_CHILDREN,
  NEST_JSX_EXPR,
  NEST_JSX_TAG,
  NUMBER,
  OP,
  OPEN,
  OP_ARROW,
  OP_ASSIGN,
  OP_AUG,
  OP_CMP,
  OP_ELLIPSIS,
  OP_OPTDOT,
  OP_OTHER,
  REGEX,
  S_CLOSED,
  S_ESCAPE,
  S_TEMPLATE,
  TPL_HEAD,
  TPL_MID,
  TPL_TAIL,
  TokenBuffer,
  JS_IDENT_PART,
  isDigit,
  isIdentPart,
  isIdentStart,
} from '../scan/tokens';

const nest = new IntStack();

/** What ends a line comment, and what ends a plain run of a '…' or "…" string's text. */
const LINE_END = /[\n\r\u2028\u2029]/g;
const SINGLE_STOP = /['\\\n\r]/g;
const DOUBLE_STOP = /["\\\n\r]/g;

const TEMPLATE_CLOSED = 0;
const TEMPLATE_UNTERMINATED = 1;
const TEMPLATE_PLACEHOLDER = 2;

/** `++` / `--`: after them a slash divides (`i++ / 2`). */
const OP_INCDEC = 1100;

/** Keywords after which an expression, hence a regular expression, may start. */
/** The keywords after which an expression starts (a `/` there begins a regular expression; a `[` an array literal). */
export const REGEX_KEYWORDS: ReadonlySet<string> = new Set(['return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await']);

function isJsIdentStart(c: number): boolean {
  return isIdentStart(c) || c === 36 || c === 35; // $ and # (private names)
}

function isJsIdentPart(c: number): boolean {
  return isIdentPart(c) || c === 36;
}

// Lexer state shared by the helpers below (module-level functions keep V8's optimised code valid
// from one scan to the next, where closures made per call would not).
let src = '';
let srcLen = 0;
let out: TokenBuffer = new TokenBuffer();
let templateEnd = 0;
let templateEscape = false;

function scanTemplate(from: number): number {
  let j = from;
  templateEscape = false;
  while (j < srcLen) {
    const ch = src.charCodeAt(j);
    if (ch === 92) {
      templateEscape = true;
      j += 2;
      continue;
    }
    if (ch === 96) {
      templateEnd = j + 1;
      return TEMPLATE_CLOSED;
    }
    if (ch === 36 && src.charCodeAt(j + 1) === 123) {
      templateEnd = j + 2;
      return TEMPLATE_PLACEHOLDER;
    }
    j++;
  }
  templateEnd = srcLen;
  return TEMPLATE_UNTERMINATED;
}

/** Whether a `/` here starts a regular expression: decided by the previous significant token. */
function regexAllowed(): boolean {
  const last = out.count - 1;
  if (last < 0) return true;
  const kind = out.kind[last]!;
  if (kind === OP) return out.aux[last] !== OP_INCDEC;
  if (kind === OPEN || kind === TPL_HEAD || kind === TPL_MID) return true;
  if (kind === IDENT) return REGEX_KEYWORDS.has(src.slice(out.start[last]!, out.end[last]!));
  return false;
}

/** Scans a regular expression literal from the `/` at `from`; -1 when it is not one. */
function scanRegex(from: number): number {
  let j = from + 1;
  let inClass = false;
  while (j < srcLen) {
    const ch = src.charCodeAt(j);
    if (ch === 10 || ch === 13) return -1;
    if (ch === 92) {
      j += 2;
      continue;
    }
    if (ch === 91) inClass = true;
    else if (ch === 93) inClass = false;
    else if (ch === 47 && !inClass) {
      j++;
      while (j < srcLen && isJsIdentPart(src.charCodeAt(j))) j++;
      return j;
    }
    j++;
  }
  return -1;
}

function closeBracket(start: number, open: number): void {
  let k = nest.size - 1;
  while (k >= 0 && nest.kinds[k] === NEST_BRACKET && out.aux[nest.items[k]!] !== open) k--;
  const tok = out.push(CLOSE, start, start + 1, open + (open === CH_LPAREN ? 1 : 2));
  if (k >= 0 && nest.kinds[k] === NEST_BRACKET) {
    const opener = nest.items[k]!;
    out.match[opener] = tok;
    out.match[tok] = opener;
    nest.size = k;
  }
}

// ---- JSX ----
// Element text and attribute strings are skipped (an apostrophe in `<p>Don't</p>` is not a
// quote); only `{…}` inside elements is lexed as code. No tokens are made for tags, except an
// empty NUMBER at the end of an outermost element, so that a `/` after it reads as division.

/** Name characters of a JSX tag: identifier characters and `.` `:` `-`. */
function isJsxNamePart(c: number): boolean {
  return JS_IDENT_PART[c] === 1 || c === 46 || c === 58 || c === 45;
}

/** Where `</name` (or `/>` itself) next occurs at or after `from` (-1: nowhere), remembered per name. */
const closerMemo = new Map<string, { from: number; at: number }>();

function closerAfter(name: string, from: number): number {
  const memo = closerMemo.get(name);
  if (memo && (memo.at >= from || (memo.at < 0 && memo.from <= from))) return memo.at >= from ? memo.at : -1;
  const at = src.indexOf(name === '/>' ? name : `</${name}`, from);
  closerMemo.set(name, { from, at });
  return at;
}

/** Whether the opening tag whose name ends at `from` closes itself (`/>`), skipping attribute values. */
function selfClosing(from: number): boolean {
  let depth = 0;
  // Bounded, so that many `<` that open nothing (broken code) stay linear.
  const limit = Math.min(srcLen, from + 1024);
  for (let j = from; j < limit; j++) {
    const ch = src.charCodeAt(j);
    if (ch === 34 || ch === 39) {
      const close = src.indexOf(src[j]!, j + 1);
      if (close < 0) return false;
      j = close;
    } else if (ch === 123) depth++;
    else if (ch === 125) depth--;
    else if (ch === 62 && depth <= 0) return src.charCodeAt(j - 1) === 47;
  }
  return false;
}

/**
 * Whether the `<` at `at`, where an expression may start, opens a JSX element. TypeScript's
 * `<T>(x) => …`, `<T,>` and `<T extends U>` are generics; an element must close (`</name` later
 * in the text, or `/>`), which also rules out old-style casts such as `<Foo>bar`.
 */
function startsJsx(at: number, typescript: boolean): boolean {
  const first = src.charCodeAt(at + 1);
  if (first === 62) return src.indexOf('</>', at) >= 0; // a fragment
  if (!isIdentStart(first) && first !== 36) return false;
  let j = at + 2;
  while (j < srcLen && isJsxNamePart(src.charCodeAt(j))) j++;
  const name = src.slice(at + 1, j);
  if (typescript) {
    let k = j;
    while (src.charCodeAt(k) === 32) k++;
    const next = src.charCodeAt(k);
    if (next === 44 || next === 61 || (next === 62 && src.charCodeAt(k + 1) === 40) || src.startsWith('extends ', k)) return false;
  }
  return closerAfter(name, j) >= 0 || (closerAfter('/>', j) >= 0 && selfClosing(j));
}

/**
 * Scans JSX from `from` in the mode on top of the nest stack (tag or children) until code
 * starts (a `{`, pushed as NEST_JSX_EXPR) or the outermost element ends; returns where the JS
 * lexer resumes.
 */
function jsxResume(from: number): number {
  let j = from;
  while (j < srcLen) {
    const top = nest.size > 0 ? nest.kinds[nest.size - 1] : -1;
    if (top !== NEST_JSX_TAG && top !== NEST_JSX_CHILDREN) return j;
    const ch = src.charCodeAt(j);
    if (ch === 123) {
      const tok = out.push(OPEN, j, j + 1, CH_LBRACE);
      nest.push(tok, NEST_JSX_EXPR, 0);
      return j + 1;
    }
    if (top === NEST_JSX_TAG) {
      if (ch === 34 || ch === 39) {
        const close = src.indexOf(src[j]!, j + 1);
        j = close < 0 ? srcLen : close + 1;
      } else if (ch === 62) {
        nest.kinds[nest.size - 1] = NEST_JSX_CHILDREN;
        j++;
      } else if (ch === 47 && src.charCodeAt(j + 1) === 62) {
        j = endElement(j + 2);
        if (j < 0) return -j;
      } else j++;
      continue;
    }
    // Children: text up to the next tag or `{`.
    if (ch !== 60) {
      j++;
      continue;
    }
    if (src.charCodeAt(j + 1) === 47) {
      const close = src.indexOf('>', j + 2);
      j = endElement(close < 0 ? srcLen : close + 1);
      if (j < 0) return -j;
      continue;
    }
    // A nested element (or fragment): its opening tag.
    j++;
    while (j < srcLen && isJsxNamePart(src.charCodeAt(j))) j++;
    nest.push(-1, NEST_JSX_TAG, 0);
  }
  return j;
}

/**
 * Pops the element that ended just before `at`. Returns `at` to keep scanning JSX, or `-at`
 * when the outermost element is done and the JS lexer takes over there.
 */
function endElement(at: number): number {
  nest.size--;
  const top = nest.size > 0 ? nest.kinds[nest.size - 1] : -1;
  if (top === NEST_JSX_TAG || top === NEST_JSX_CHILDREN) return at;
  out.push(NUMBER, at, at, 0);
  return -at;
}

export function lexJs(text: string, buf: TokenBuffer, typescript: boolean): void {
  const n = text.length;
  src = text;
  srcLen = n;
  out = buf;
  buf.reset((n >> 2) + 64);
  nest.size = 0;
  let i = 0;

  if (text.charCodeAt(0) === 35 && text.charCodeAt(1) === 33) {
    // A hashbang line.
    while (i < n && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
  }

  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11 || c === 0xa0 || c === 0xfeff || c === 0x2028 || c === 0x2029) {
      i++;
      continue;
    }
    if (c === 47) {
      const next = text.charCodeAt(i + 1);
      if (next === 47) {
        // A line comment runs to the next line break (a search, not a loop: files carry many).
        LINE_END.lastIndex = i + 2;
        i = LINE_END.test(text) ? LINE_END.lastIndex - 1 : n;
        continue;
      }
      if (next === 42) {
        const close = text.indexOf('*/', i + 2);
        i = close < 0 ? n : close + 2;
        continue;
      }
      if (regexAllowed()) {
        const end = scanRegex(i);
        if (end > 0) {
          buf.push(REGEX, i, end, 0);
          i = end;
          continue;
        }
      }
      if (next === 61) {
        buf.push(OP, i, i + 2, OP_AUG);
        i += 2;
      } else {
        buf.push(OP, i, i + 1, c);
        i++;
      }
      continue;
    }
    if (isJsIdentStart(c)) {
      let j = i + 1;
      while (j < n && JS_IDENT_PART[text.charCodeAt(j)] === 1) j++;
      buf.push(IDENT, i, j, 0);
      i = j;
      continue;
    }
    if (c === 39 || c === 34) {
      // A search finds the next character that matters: the quote, a backslash or a line end.
      const stop = c === 39 ? SINGLE_STOP : DOUBLE_STOP;
      let j = i + 1;
      let flags = 0;
      for (;;) {
        stop.lastIndex = j;
        if (!stop.test(text)) {
          j = n;
          break;
        }
        j = stop.lastIndex - 1;
        const ch = text.charCodeAt(j);
        if (ch === 92) {
          flags |= S_ESCAPE;
          j += text.charCodeAt(j + 1) === 13 && text.charCodeAt(j + 2) === 10 ? 3 : 2;
          continue;
        }
        if (ch === c) {
          flags |= S_CLOSED;
          j++;
        }
        break;
      }
      if (j > n) j = n;
      buf.pushString(i, j, flags);
      i = j;
      continue;
    }
    if (c === 96) {
      const outcome = scanTemplate(i + 1);
      const flags = S_TEMPLATE | (templateEscape ? S_ESCAPE : 0);
      if (outcome === TEMPLATE_PLACEHOLDER) {
        const head = buf.push(TPL_HEAD, i, templateEnd, flags);
        nest.push(head, NEST_EXPR, 0);
      } else {
        buf.pushString(i, Math.min(templateEnd, n), flags | (outcome === TEMPLATE_CLOSED ? S_CLOSED : 0));
      }
      i = Math.min(templateEnd, n);
      continue;
    }
    if (isDigit(c) || (c === 46 && isDigit(text.charCodeAt(i + 1)))) {
      const hex = c === 48 && (text.charCodeAt(i + 1) | 32) === 120;
      let j = i + 1;
      while (j < n) {
        const ch = text.charCodeAt(j);
        if (isIdentPart(ch) || ch === 46) j++;
        else if ((ch === 43 || ch === 45) && !hex && (text.charCodeAt(j - 1) | 32) === 101) j++;
        else break;
      }
      buf.push(NUMBER, i, j, 0);
      i = j;
      continue;
    }
    switch (c) {
      case 40:
      case 91:
      case 123: {
        const tok = buf.push(OPEN, i, i + 1, c);
        nest.push(tok, NEST_BRACKET, 0);
        i++;
        continue;
      }
      case 41:
        closeBracket(i, CH_LPAREN);
        i++;
        continue;
      case 93:
        closeBracket(i, CH_LBRACKET);
        i++;
        continue;
      case 125: {
        let k = nest.size - 1;
        while (k >= 0 && nest.kinds[k] === NEST_BRACKET && buf.aux[nest.items[k]!] !== CH_LBRACE) k--;
        if (k >= 0 && nest.kinds[k] === NEST_JSX_EXPR) {
          // The end of a `{…}` inside JSX: the element resumes.
          const tok = buf.push(CLOSE, i, i + 1, CH_RBRACE);
          buf.match[nest.items[k]!] = tok;
          buf.match[tok] = nest.items[k]!;
          nest.size = k;
          i = jsxResume(i + 1);
          continue;
        }
        if (k >= 0 && nest.kinds[k] === NEST_EXPR) {
          // The end of a `${…}`: the template's text resumes.
          const head = nest.items[k]!;
          nest.size = k;
          const outcome = scanTemplate(i + 1);
          const end = Math.min(templateEnd, n);
          if (outcome === TEMPLATE_PLACEHOLDER) {
            buf.push(TPL_MID, i, end, 0);
            nest.push(head, NEST_EXPR, 0);
          } else {
            const flags = buf.aux[head]! | (outcome === TEMPLATE_CLOSED ? S_CLOSED : 0);
            const tail = buf.push(TPL_TAIL, i, end, flags);
            buf.match[head] = tail;
            buf.match[tail] = head;
          }
          i = end;
          continue;
        }
        closeBracket(i, CH_LBRACE);
        i++;
        continue;
      }
      case 60: // '<'
        if (regexAllowed() && startsJsx(i, typescript)) {
          let j = i + 1;
          while (j < n && isJsxNamePart(text.charCodeAt(j))) j++;
          nest.push(-1, text.charCodeAt(i + 1) === 62 ? NEST_JSX_CHILDREN : NEST_JSX_TAG, 0);
          i = jsxResume(text.charCodeAt(i + 1) === 62 ? i + 2 : j);
          continue;
        }
        break;
      case 63: // '?'
        if (text.charCodeAt(i + 1) === 46 && !isDigit(text.charCodeAt(i + 2))) {
          buf.push(OP, i, i + 2, OP_OPTDOT);
          i += 2;
          continue;
        }
        break;
      case 61: {
        // '='
        const next = text.charCodeAt(i + 1);
        if (next === 62) {
          buf.push(OP, i, i + 2, OP_ARROW);
          i += 2;
        } else if (next === 61) {
          const len = text.charCodeAt(i + 2) === 61 ? 3 : 2;
          buf.push(OP, i, i + len, OP_CMP);
          i += len;
        } else {
          buf.push(OP, i, i + 1, OP_ASSIGN);
          i++;
        }
        continue;
      }
      case 33: // '!'
        if (text.charCodeAt(i + 1) === 61) {
          const len = text.charCodeAt(i + 2) === 61 ? 3 : 2;
          buf.push(OP, i, i + len, OP_CMP);
          i += len;
          continue;
        }
        break;
      case 46: // '.'
        if (text.charCodeAt(i + 1) === 46 && text.charCodeAt(i + 2) === 46) {
          buf.push(OP, i, i + 3, OP_ELLIPSIS);
          i += 3;
          continue;
        }
        break;
      case 43: // '+'
      case 45: // '-'
        if (text.charCodeAt(i + 1) === c) {
          buf.push(OP, i, i + 2, OP_INCDEC);
          i += 2;
          continue;
        }
        if (text.charCodeAt(i + 1) === 61) {
          buf.push(OP, i, i + 2, OP_AUG);
          i += 2;
          continue;
        }
        break;
      case 38: // '&'
      case 124: // '|'
        if (text.charCodeAt(i + 1) === c) {
          buf.push(OP, i, i + 2, OP_OTHER);
          i += 2;
          continue;
        }
        break;
    }
    buf.push(OP, i, i + 1, c);
    i++;
  }
  buf.seal();
  src = '';
  closerMemo.clear();
}
