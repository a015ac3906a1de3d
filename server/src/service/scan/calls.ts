// Token-level helpers shared by the Python and JavaScript reference finders: where a call's
// receiver chain starts, where a bracket group ends, and which tokens form an argument.

import {
  CLOSE,
  IDENT,
  LINE,
  NUMBER,
  OP,
  OPEN,
  OP_ASSIGN,
  OP_COMMA,
  OP_DOT,
  OP_OPTDOT,
  OP_POW,
  REGEX,
  STRING,
  TPL_HEAD,
  TPL_TAIL,
  TokenBuffer,
  lineBreakBetween,
} from './tokens';

const PY_KEYWORDS = new Set([
  'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif', 'else', 'except',
  'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass',
  'raise', 'return', 'try', 'while', 'with', 'yield',
]);

const JS_KEYWORDS = new Set([
  'return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield',
  'await', 'export', 'default', 'extends', 'if', 'while', 'for', 'switch', 'catch', 'with', 'const', 'let', 'var',
]);

function isDot(buf: TokenBuffer, t: number, python: boolean): boolean {
  return buf.kind[t] === OP && (buf.aux[t] === OP_DOT || (!python && buf.aux[t] === OP_OPTDOT));
}

/** True when token `t` can end a primary expression that a call or subscript applies to. */
export function endsPrimary(text: string, buf: TokenBuffer, t: number, python: boolean): boolean {
  if (t < 0) return false;
  const kind = buf.kind[t]!;
  if (kind === CLOSE || kind === TPL_TAIL) return buf.match[t]! >= 0;
  if (kind === STRING) return true;
  if (kind === IDENT) {
    const word = text.slice(buf.start[t]!, buf.end[t]!);
    return !(python ? PY_KEYWORDS : JS_KEYWORDS).has(word);
  }
  return false;
}

/**
 * The first token of the primary expression whose member access starts at the dot `dot`, as a
 * parser would see it: `conv.utils.get_secret` → `conv`, `a.b(c)[0].get_secret` → `a`.
 */
export function chainStart(text: string, buf: TokenBuffer, dot: number, python: boolean): number {
  let j = dot - 1;
  let start = dot;
  while (j >= 0) {
    const kind = buf.kind[j]!;
    if (kind === IDENT || kind === NUMBER || kind === STRING || kind === REGEX) {
      start = j;
      if (python && kind === STRING) while (start > 0 && buf.kind[start - 1] === STRING) start--;
      if (start > 0 && isDot(buf, start - 1, python)) {
        j = start - 2;
        continue;
      }
      break;
    }
    if ((kind === CLOSE || kind === TPL_TAIL) && buf.match[j]! >= 0) {
      const open = buf.match[j]!;
      start = open;
      // `f(x)` / `a[0]` / tagged template: keep walking into the callee; `(x)` alone is an atom.
      if (endsPrimary(text, buf, open - 1, python)) {
        j = open - 1;
        continue;
      }
      if (!python && open > 0 && buf.kind[open - 1] === OP && buf.aux[open - 1] === OP_OPTDOT) {
        j = open - 2; // a?.(x)
        continue;
      }
      break;
    }
    if (!python && kind === OP && buf.aux[j] === 33 && endsPrimary(text, buf, j - 1, python)) {
      j--; // TypeScript's non-null assertion `a!.b`
      continue;
    }
    break;
  }
  // `new Client(k).get_secret(…)`: the receiver is the whole new-expression.
  if (!python && start > 0 && buf.kind[start] === IDENT && isCallee(buf, start) && tokenIsNew(text, buf, start - 1)) start--;
  return start;
}

/** Whether identifier `t` is directly followed by an argument list. */
function isCallee(buf: TokenBuffer, t: number): boolean {
  return buf.kind[t + 1] === OPEN && buf.aux[t + 1] === 40;
}

function tokenIsNew(text: string, buf: TokenBuffer, t: number): boolean {
  return buf.kind[t] === IDENT && buf.end[t]! - buf.start[t]! === 3 && text.startsWith('new', buf.start[t]!);
}

/** The last unclosed group's extent, reused by the next one on the same line (see groupEnd). */
let cachedBuf: TokenBuffer | null = null;
let cachedText = '';
let cachedFrom = -1;
let cachedEnd = -1;

/** Forgets groupEnd's cache: called at the start of every analysis. */
export function resetGroupCache(): void {
  cachedBuf = null;
  cachedText = '';
}

/**
 * The index just past the last token inside the group opened at `open`: its closing token when
 * matched; otherwise (half-typed code) the rest of the opener's line.
 */
export function groupEnd(text: string, buf: TokenBuffer, open: number): number {
  const m = buf.match[open]!;
  if (m >= 0) return m;
  // Many unclosed groups on one line share its end: remember it, or this would be quadratic.
  if (cachedBuf === buf && cachedText === text && open >= cachedFrom && open < cachedEnd) return cachedEnd;
  let t = open + 1;
  while (t < buf.count && buf.kind[t] !== LINE && !lineBreakBetween(text, buf, t - 1, t)) t++;
  cachedBuf = buf;
  cachedText = text;
  cachedFrom = open;
  cachedEnd = t;
  return t;
}

/** Skips over token `t` and, when it opens a group, the whole group. */
/** The most tokens of a statement partsAround looks through (a longer one: none are). */
export const MAX_PART_TOKENS = 1024;

/**
 * The parts of the statement [a, b) around token `tok`, outermost first: at each bracket level from
 * the statement's own down to the group that holds `tok`, the tokens between the separators on either
 * side of it (`separatorFor()` gives each level's test, asked of its tokens in order), given to
 * `part(start, holder, end)` with the token or group that holds `tok`. For the conditional
 * expressions around a read (python/nameSetsEnv.ts, javascript/jsNameSetsStatements.ts).
 */
export function partsAround(buf: TokenBuffer, a: number, b: number, tok: number, separatorFor: () => (k: number) => boolean, part: (start: number, holder: number, end: number) => void): void {
  if (b - a > MAX_PART_TOKENS) return;
  let from = a;
  let to = b;
  for (let level = 0; level < MAX_PART_TOKENS; level++) {
    const separator = separatorFor();
    let start = from;
    let end = to;
    let holder = -1;
    for (let k = from; k < to; ) {
      const next = skipGroup(buf, k, to);
      const sep = separator(k);
      if (holder < 0) {
        if (k <= tok && tok < next) holder = k;
        else if (sep) start = k + 1;
      } else if (sep) {
        end = k;
        break;
      }
      k = next;
    }
    if (holder < 0) return;
    part(start, holder, end);
    if (holder === tok || buf.kind[holder] !== OPEN) return;
    from = holder + 1;
    const close = buf.match[holder]!;
    to = close >= 0 && close < to ? close : to;
  }
}

export function skipGroup(buf: TokenBuffer, t: number, limit: number): number {
  const kind = buf.kind[t];
  if (kind === OPEN || kind === TPL_HEAD) {
    const m = buf.match[t]!;
    return m >= 0 && m < limit ? m + 1 : limit;
  }
  return t + 1;
}

/** The end of the list item that starts at token `t`: the next comma at its level before `limit`, or `limit`. */
export function itemEnd(buf: TokenBuffer, t: number, limit: number): number {
  while (t < limit && !(buf.kind[t] === OP && buf.aux[t] === OP_COMMA)) t = skipGroup(buf, t, limit);
  return t;
}

export interface ArgumentRange {
  start: number;
  end: number;
}

/** Whether identifier `t` is one of `keywords`. */
function isKeywordOf(text: string, buf: TokenBuffer, t: number, keywords: readonly string[]): boolean {
  const length = buf.end[t]! - buf.start[t]!;
  for (const keyword of keywords) if (length === keyword.length && text.startsWith(keyword, buf.start[t]!)) return true;
  return false;
}

/** Where the argument `argumentStart` found ends (set by it: one call, no object made). */
export let argumentEnd = 0;

/**
 * The Python keywords that pass a secret's name: the platform's own (`def get_secret(self,
 * secret_name: str)` in the ADK's `_gen/conv_utils.py`), and `name` for other APIs with that parameter.
 */
export const SECRET_NAME_KEYWORDS: readonly string[] = ['secret_name', 'name'];

/**
 * The tokens of the argument that names the secret in the call whose `(` is `open` and whose
 * arguments end at `limit`: the first positional argument, else the first keyword argument among
 * `keywords` (an empty range when its value is not typed yet). Python's `**kwargs` names nothing
 * itself: it stands for the name (a dynamic one) only when the call has neither. Null when it has none.
 */
export function findArgument(
  text: string,
  buf: TokenBuffer,
  open: number,
  limit: number,
  keywords: readonly string[] | null,
  python: boolean,
): ArgumentRange | null {
  const start = argumentStart(text, buf, open, limit, keywords, python);
  return start < 0 ? null : { start, end: argumentEnd };
}

/** `findArgument`'s range: its start, or -1 when there is none; its end in `argumentEnd`. */
export function argumentStart(text: string, buf: TokenBuffer, open: number, limit: number, keywords: readonly string[] | null, python: boolean): number {
  let argStart = open + 1;
  let t = argStart;
  let keywordStart = -1;
  let keywordEnd = 0;
  let splatStart = -1;
  let splatEnd = 0;
  while (argStart < limit) {
    t = itemEnd(buf, t, limit);
    if (python && t > argStart && buf.kind[argStart] === OP && buf.aux[argStart] === OP_POW) {
      if (splatStart < 0) {
        splatStart = argStart;
        splatEnd = t;
      }
    } else if (t > argStart) {
      const isKeyword =
        python &&
        buf.kind[argStart] === IDENT && argStart + 1 < t && buf.kind[argStart + 1] === OP && buf.aux[argStart + 1] === OP_ASSIGN;
      if (!isKeyword) {
        argumentEnd = t;
        return argStart;
      }
      // `name=` with nothing after it yet is an empty range: the literal goes after the `=`.
      if (keywordStart < 0 && keywords !== null && isKeywordOf(text, buf, argStart, keywords)) {
        keywordStart = argStart + 2;
        keywordEnd = Math.max(t, argStart + 2);
      }
    }
    argStart = t + 1;
    t = argStart;
  }
  if (keywordStart >= 0) {
    argumentEnd = keywordEnd;
    return keywordStart;
  }
  argumentEnd = splatEnd;
  return splatStart;
}
