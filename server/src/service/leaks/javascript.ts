// JavaScript / TypeScript statements for the flow analysis. There are no line tokens: a statement
// ends at `;`, at the block's end, or at a line break where the next token cannot continue it
// (JavaScript's automatic semicolon insertion, read the way the language does: a line starting
// with `.`, an operator, `(`, `[` or a template continues the one before). Function bodies are
// queued; class bodies are walked for their methods and fields; TypeScript's type-only
// statements are skipped.

import {
  CH_LBRACE,
  CH_LBRACKET,
  CH_LPAREN,
  CLOSE,
  IDENT,
  OP,
  OPEN,
  OP_ARROW,
  OP_ASSIGN,
  OP_AUG,
  OP_COLON,
  OP_COMMA,
  OP_DOT,
  OP_ELLIPSIS,
  OP_SEMI,
  OP_STAR,
  STRING,
  S_TEMPLATE,
  TPL_HEAD,
  NUMBER,
  isOp,
  isOpen,
} from '../scan/tokens';
import { isReference } from './documentIndex';
import { evalElements, evalExpr, evalValue } from './evaluator';
import { defer, findBody, functionAfterName, functionAt, returned } from './functions';
import type { StatementWalker } from './queue';
import { closeOf, findOp, isIncDec, isWord, lineBreakBefore, skip, word } from './reader';
import { BODY_JS_BLOCK, MAX_DEPTH, type FlowState } from './state';
import { Env } from './taint';
import { assignStatement, augmented, bindFields, bindResponse, raised } from './statements';
import { ASSIGN, bindTarget, isPattern, ITERATE, pairElements } from './targets';

/** After these words a line break does not end the statement. */
const CONTINUING_WORDS = new Set(['new', 'typeof', 'instanceof', 'in', 'of', 'await', 'void', 'delete', 'extends', 'as', 'satisfies', 'keyof']);
/** A line starting with these words continues the one before. */
const CONTINUING_NEXT = new Set(['instanceof', 'in', 'of', 'as', 'satisfies']);
const MODIFIERS = new Set(['public', 'private', 'protected', 'static', 'readonly', 'async', 'abstract', 'override', 'declare', 'accessor', 'get', 'set']);

export const JS_WALKER: StatementWalker = {
  module(s) {
    statements(s, 0, s.count, s.block);
  },
  body(s, f) {
    statements(s, f.from, f.to, s.block);
  },
};

function statements(s: FlowState, a: number, b: number, block: number): void {
  let t = a;
  while (t < b) {
    const next = statement(s, t, b, block);
    t = next > t ? next : t + 1;
  }
}

/** The statement at `t` (inside [t, b)); returns where the next one starts. */
function statement(s: FlowState, t: number, b: number, block: number): number {
  const { buf } = s;
  s.block = block;
  const kind = buf.kind[t];
  if (kind === OP) {
    if (buf.aux[t] === OP_SEMI) return t + 1;
    if (buf.aux[t] === 64) return decorator(s, t, b);
  }
  if (kind === OPEN && buf.aux[t] === CH_LBRACE) return blockStatement(s, t, b, block);
  if (kind === IDENT && !isReference(s, t)) {
    switch (word(s, t)) {
      case 'var':
      case 'const':
        if (isWord(s, t + 1, 'enum')) return skipTypeDeclaration(s, t + 1, b);
        return declaration(s, t + 1, b);
      case 'let':
        if (buf.kind[t + 1] === IDENT || isOpen(buf, t + 1, CH_LBRACKET) || isOpen(buf, t + 1, CH_LBRACE)) return declaration(s, t + 1, b);
        break;
      case 'function':
        return functionAt(s, t, b, null);
      case 'async':
        if (isWord(s, t + 1, 'function')) return functionAt(s, t + 1, b, null);
        break;
      case 'class':
        return classDeclaration(s, t, b);
      case 'abstract':
        if (isWord(s, t + 1, 'class')) return classDeclaration(s, t + 1, b);
        break;
      case 'if': {
        let n = condition(s, t + 1, b);
        n = body(s, n, b, block);
        if (isWord(s, n, 'else')) n = body(s, n + 1, b, block);
        return n;
      }
      case 'for':
        return forStatement(s, t, b, block);
      case 'while':
      case 'with':
      case 'switch':
        return body(s, condition(s, t + 1, b), b, block);
      case 'do': {
        let n = body(s, t + 1, b, block);
        if (isWord(s, n, 'while')) n = condition(s, n + 1, b);
        return after(s, n);
      }
      case 'case': {
        const colon = caseColon(s, t + 1, b);
        evalExpr(s, t + 1, colon);
        return colon + 1;
      }
      case 'default':
        if (isOp(buf, t + 1, OP_COLON)) return t + 2;
        break;
      case 'try':
      case 'finally':
      case 'else':
        return t + 1;
      case 'catch':
        if (isOpen(buf, t + 1, CH_LPAREN)) {
          const c = closeOf(s, t + 1, b);
          for (let k = t + 2; k < c; k++) if (buf.kind[k] === IDENT) s.env.assign(word(s, k), null, block);
          return c < b ? c + 1 : b;
        }
        return t + 1;
      case 'return': {
        const e = end(s, t + 1, b, true);
        const v = evalExpr(s, t + 1, e);
        returned(s, t + 1, e, v);
        return after(s, e);
      }
      case 'throw': {
        const e = end(s, t + 1, b, false);
        raised(s, 'throw', t + 1, e);
        return after(s, e);
      }
      case 'break':
      case 'continue':
        return after(s, end(s, t + 1, b, true));
      case 'import':
        if (!isOpen(buf, t + 1, CH_LPAREN) && !isOp(buf, t + 1, OP_DOT)) return after(s, end(s, t + 1, b, false));
        break;
      case 'export':
        return exportStatement(s, t, b, block);
      case 'type':
        if (buf.kind[t + 1] === IDENT && (isOp(buf, t + 2, OP_ASSIGN) || isOp(buf, t + 2, 60))) return after(s, end(s, t + 1, b, false));
        break;
      case 'interface':
      case 'enum':
        if (buf.kind[t + 1] === IDENT) return skipTypeDeclaration(s, t, b);
        break;
      case 'declare':
        if (buf.kind[t + 1] === IDENT) return after(s, end(s, t + 1, b, false));
        break;
      case 'namespace':
      case 'module': {
        let k = t + 1;
        while (k < b && (buf.kind[k] === IDENT || buf.kind[k] === STRING || isOp(buf, k, OP_DOT))) k++;
        if (k > t + 1 && isOpen(buf, k, CH_LBRACE)) return blockStatement(s, k, b, block);
        break;
      }
    }
    // A label: `outer: for (…)`.
    if (isOp(buf, t + 1, OP_COLON)) return t + 2;
  }
  return expressionStatement(s, t, b);
}

function after(s: FlowState, e: number): number {
  return isOp(s.buf, e, OP_SEMI) ? e + 1 : e;
}

/** A statement that is another's body (`if (…) body`), in a block of its own. */
function body(s: FlowState, t: number, b: number, block: number): number {
  if (t >= b) return b;
  const child = s.blocks.open(block);
  if (s.depth >= MAX_DEPTH) return after(s, end(s, t, b, false));
  s.depth++;
  const n = statement(s, t, b, child);
  s.depth--;
  return n > t ? n : t + 1;
}

function blockStatement(s: FlowState, t: number, b: number, block: number): number {
  const c = closeOf(s, t, b);
  if (s.depth < MAX_DEPTH) {
    s.depth++;
    statements(s, t + 1, c, s.blocks.open(block));
    s.depth--;
  }
  return c < b ? c + 1 : b;
}

/** `(condition)` at `k`, evaluated; returns what follows. */
function condition(s: FlowState, k: number, b: number): number {
  if (!isOpen(s.buf, k, CH_LPAREN)) return k;
  const c = closeOf(s, k, b);
  evalExpr(s, k + 1, c);
  return c < b ? c + 1 : b;
}

/** The `:` ending `case value:` (a conditional's colons skipped). */
function caseColon(s: FlowState, k: number, b: number): number {
  let questions = 0;
  for (; k < b; k = skip(s, k, b)) {
    if (isOp(s.buf, k, 63)) questions++;
    else if (isOp(s.buf, k, OP_COLON)) {
      if (questions === 0) return k;
      questions--;
    }
  }
  return b;
}

/**
 * Where the statement starting at `t` ends: `;`, the block's `}`, or a line break the next token
 * cannot continue after. `restricted`: `return` / `break` / `continue`, which a line break ends.
 */
function end(s: FlowState, t: number, b: number, restricted: boolean): number {
  const { buf } = s;
  if (t >= b) return b;
  if (restricted && lineBreakBefore(s, t)) return t;
  let prev = -1;
  let k = t;
  while (k < b) {
    const kind = buf.kind[k];
    if (kind === CLOSE || (kind === OP && buf.aux[k] === OP_SEMI)) return k;
    if (prev >= 0 && lineBreakBefore(s, k) && !continues(s, prev, k)) return k;
    const n = skip(s, k, b);
    prev = n - 1;
    k = n;
  }
  return b;
}

function continues(s: FlowState, prev: number, k: number): boolean {
  const { buf } = s;
  const pk = buf.kind[prev];
  if (pk === OP) return buf.aux[prev] !== 33 && !isIncDec(s, prev);
  if (pk === IDENT && CONTINUING_WORDS.has(word(s, prev))) return true;
  const kind = buf.kind[k];
  if (kind === OP) {
    const op = buf.aux[k];
    return !(op === 33 || op === 126 || op === 64 || op === OP_ELLIPSIS || isIncDec(s, k));
  }
  if (kind === OPEN) return buf.aux[k] !== CH_LBRACE;
  if (kind === TPL_HEAD || (kind === STRING && (buf.aux[k]! & S_TEMPLATE) !== 0)) return true;
  if (kind === IDENT) return CONTINUING_NEXT.has(word(s, k));
  return false;
}

function expressionStatement(s: FlowState, t: number, b: number): number {
  const { buf } = s;
  const e = end(s, t, b, false);
  if (e <= t) return t;
  const eqs: number[] = [];
  let aug = -1;
  for (let k = t; k < e; k = skip(s, k, e)) {
    if (buf.kind[k] !== OP) continue;
    const op = buf.aux[k];
    if (op === OP_ARROW || op === 63) break;
    if (op === OP_ASSIGN) eqs.push(k);
    else if (op === OP_AUG && eqs.length === 0) {
      aug = k;
      break;
    }
  }
  if (eqs.length > 0) assignStatement(s, t, -1, eqs, e);
  else if (aug >= 0) augmented(s, t, aug, e);
  else evalExpr(s, t, e);
  return after(s, e);
}

/** `a = 1, {b, c} = obj, d` after `const` / `let` / `var`. */
function declaration(s: FlowState, t: number, b: number): number {
  const e = end(s, t, b, false);
  let first = t;
  while (first < e) {
    const d = declaratorEnd(s, first, e);
    declarator(s, first, d);
    first = d + 1;
  }
  return after(s, e);
}

/** The comma ending the declarator at `s`; commas in a type's angle brackets do not. */
function declaratorEnd(s: FlowState, first: number, e: number): number {
  const { buf } = s;
  let angle = 0;
  let value = false;
  for (let k = first; k < e; k = skip(s, k, e)) {
    if (buf.kind[k] !== OP) continue;
    const op = buf.aux[k];
    if (op === OP_COMMA && (value || angle === 0)) return k;
    if (value) continue;
    if (op === 60) angle++;
    else if (op === 62 && angle > 0) angle--;
    else if (op === OP_ASSIGN) value = true;
  }
  return e;
}

function declarator(s: FlowState, first: number, d: number): void {
  const { buf } = s;
  if (first >= d) return;
  const eq = findOp(s, first, d, OP_ASSIGN);
  // The target without its type (`x: Map<string, string>`, `x!: T`).
  let pe = Math.min(eq, d);
  if (buf.kind[first] === IDENT) pe = first + 1;
  else if (buf.kind[first] === OPEN) pe = Math.min(closeOf(s, first, pe) + 1, pe);
  if (eq >= d) {
    bindTarget(s, first, pe, null, null, ASSIGN);
    return;
  }
  if (isPattern(s, first, pe)) {
    const { taint, elements } = evalElements(s, eq + 1, d);
    bindTarget(s, first, pe, taint, elements, ASSIGN);
  } else {
    s.lastRequest = null;
    const v = evalValue(s, eq + 1, d, buf.kind[first] === IDENT ? word(s, first) : null);
    bindTarget(s, first, pe, v, null, ASSIGN);
    bindResponse(s, first, pe, d, s.lastRequest);
    bindFields(s, first, pe, eq + 1, d, v);
  }
}

function forStatement(s: FlowState, t: number, b: number, block: number): number {
  const { buf } = s;
  let k = t + 1;
  if (isWord(s, k, 'await')) k++;
  if (!isOpen(buf, k, CH_LPAREN)) return k;
  const c = closeOf(s, k, b);
  let first = k + 1;
  const declared = isWord(s, first, 'const') || isWord(s, first, 'let') || isWord(s, first, 'var');
  if (declared) first++;
  const firstSemi = findOp(s, k + 1, c, OP_SEMI);
  let of = first;
  while (of < c && !isWord(s, of, 'of') && !isWord(s, of, 'in')) of = skip(s, of, c);
  if (firstSemi >= c && of < c) {
    // for (x of iterable): x takes what the iterable carries (keys of `in` carry nothing)
    const v = evalExpr(s, of + 1, c);
    s.block = s.blocks.open(block);
    let pe = of;
    if (buf.kind[first] === IDENT) pe = first + 1;
    bindTarget(s, first, pe, isWord(s, of, 'of') ? v : null, isWord(s, of, 'of') ? pairElements(s, of + 1, c, v) : null, ITERATE);
  } else {
    // for (init; condition; update)
    if (declared) declaration(s, first, firstSemi);
    else expressionStatement(s, k + 1, firstSemi);
    const second = findOp(s, firstSemi + 1, c, OP_SEMI);
    evalExpr(s, firstSemi + 1, second);
    if (second + 1 < c) expressionStatement(s, second + 1, c);
  }
  return body(s, c < b ? c + 1 : b, b, block);
}

function exportStatement(s: FlowState, t: number, b: number, block: number): number {
  const { buf } = s;
  let k = t + 1;
  const isDefault = isWord(s, k, 'default');
  if (isDefault) k++;
  if (k >= b) return b;
  if (isDefault && isOpen(buf, k, CH_LBRACE)) return expressionStatement(s, k, b);
  if (isOpen(buf, k, CH_LBRACE) || isOp(buf, k, OP_STAR) || isOp(buf, k, OP_ASSIGN) || (isWord(s, k, 'type') && isOpen(buf, k + 1, CH_LBRACE))) {
    return after(s, end(s, k, b, false)); // export { a, b } from '…'
  }
  return statement(s, k, b, block);
}

/** `interface X {…}`, `enum X {…}`: nothing runs there that we follow. */
function skipTypeDeclaration(s: FlowState, t: number, b: number): number {
  const body = findBody(s, t + 1, b);
  if (body < 0) return after(s, end(s, t + 1, b, false));
  const c = closeOf(s, body, b);
  return c < b ? c + 1 : b;
}

function decorator(s: FlowState, t: number, b: number): number {
  const { buf } = s;
  let k = t + 1;
  while (k < b && (buf.kind[k] === IDENT || isOp(buf, k, OP_DOT))) k++;
  if (isOpen(buf, k, CH_LPAREN)) {
    const c = closeOf(s, k, b);
    evalExpr(s, t + 1, Math.min(c + 1, b));
    return c < b ? c + 1 : b;
  }
  return k;
}

function classDeclaration(s: FlowState, t: number, b: number): number {
  const body = findBody(s, t + 1, b);
  if (body < 0) return after(s, end(s, t + 1, b, false));
  const c = closeOf(s, body, b);
  const saved = s.env;
  s.env = new Env(saved, s.blocks, s.block, true);
  classBody(s, body + 1, c);
  s.env = saved;
  return c < b ? c + 1 : b;
}

function classBody(s: FlowState, a: number, c: number): void {
  const { buf } = s;
  let t = a;
  while (t < c) {
    if (isOp(buf, t, OP_SEMI)) t++;
    else if (isOp(buf, t, 64)) t = Math.max(decorator(s, t, c), t + 1);
    else t = Math.max(classMember(s, t, c), t + 1);
  }
}

/** A class member at `t`: a method (queued), a field (its value evaluated), a static block. */
function classMember(s: FlowState, t: number, c: number): number {
  const { buf } = s;
  let k = t;
  while (
    k + 1 < c &&
    buf.kind[k] === IDENT &&
    MODIFIERS.has(word(s, k)) &&
    (buf.kind[k + 1] === IDENT || buf.kind[k + 1] === STRING || buf.kind[k + 1] === NUMBER || isOpen(buf, k + 1, CH_LBRACKET) || isOp(buf, k + 1, OP_STAR))
  ) {
    k++;
  }
  if (isWord(s, k, 'static') && isOpen(buf, k + 1, CH_LBRACE)) {
    const close = closeOf(s, k + 1, c);
    defer(s, { name: null, paramsFrom: k + 1, paramsTo: k + 1, from: k + 2, to: close, body: BODY_JS_BLOCK, indent: 0 });
    return close + 1;
  }
  if (isOp(buf, k, OP_STAR)) k++;
  let name: string | null = null;
  if (buf.kind[k] === IDENT) name = word(s, k);
  else if (isOpen(buf, k, CH_LBRACKET)) k = closeOf(s, k, c);
  else if (buf.kind[k] !== STRING && buf.kind[k] !== NUMBER) return t + 1;
  k++;
  if (isOp(buf, k, 63) || isOp(buf, k, 33)) k++; // `x?:`, `x!:`
  if (isOp(buf, k, 60)) {
    // a method's type parameters
    for (let steps = 0; k < c && steps < 64 && !isOpen(buf, k, CH_LPAREN) && !isOpen(buf, k, CH_LBRACE); steps++) k = skip(s, k, c);
  }
  if (isOpen(buf, k, CH_LPAREN)) return functionAfterName(s, name, k, c);
  // A field: `token = process.env.X;`, `handler = () => …`
  const e = end(s, k, c, false);
  const eq = findOp(s, k, e, OP_ASSIGN);
  if (eq < e) evalValue(s, eq + 1, e, name);
  return after(s, e);
}
