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
import { defineClass, returned } from './follow';
import { defer, findBody, functionAfterName, functionAt } from './functions';
import type { StatementWalker } from './queue';
import { closeOf, findOp, isIncDec, isWord, lineBreakBefore, skip, word } from './reader';
import { BODY_JS_BLOCK, MAX_DEPTH, type FlowState } from './state';
import { Env } from './taint';
import { assignStatement, augmented, bindFields, bindInstance, bindResponse, raised } from './statements';
import { ASSIGN, bindTarget, isPattern, ITERATE, pairElements } from './targets';

/** After these words a line break does not end the statement. */
const CONTINUING_WORDS = new Set(['new', 'typeof', 'instanceof', 'in', 'of', 'await', 'void', 'delete', 'extends', 'as', 'satisfies', 'keyof']);
/** A line starting with these words continues the one before. */
const CONTINUING_NEXT = new Set(['instanceof', 'in', 'of', 'as', 'satisfies']);
const MODIFIERS = new Set(['public', 'private', 'protected', 'static', 'readonly', 'async', 'abstract', 'override', 'declare', 'accessor', 'get', 'set']);

export const JS_WALKER: StatementWalker = {
  module(flow) {
    statements(flow, 0, flow.count, flow.block);
  },
  body(flow, pending) {
    statements(flow, pending.from, pending.to, flow.block);
  },
};

function statements(flow: FlowState, a: number, b: number, block: number): void {
  let t = a;
  while (t < b) {
    const next = statement(flow, t, b, block);
    t = next > t ? next : t + 1;
  }
}

/** The statement at `t` (inside [t, b)); returns where the next one starts. */
function statement(flow: FlowState, t: number, b: number, block: number): number {
  const { buf } = flow;
  flow.block = block;
  const kind = buf.kind[t];
  if (kind === OP) {
    if (buf.aux[t] === OP_SEMI) return t + 1;
    if (buf.aux[t] === 64) return decorator(flow, t, b);
  }
  if (kind === OPEN && buf.aux[t] === CH_LBRACE) return blockStatement(flow, t, b, block);
  if (kind === IDENT && !isReference(flow, t)) {
    switch (word(flow, t)) {
      case 'var':
      case 'const':
        if (isWord(flow, t + 1, 'enum')) return skipTypeDeclaration(flow, t + 1, b);
        return declaration(flow, t + 1, b);
      case 'let':
        if (buf.kind[t + 1] === IDENT || isOpen(buf, t + 1, CH_LBRACKET) || isOpen(buf, t + 1, CH_LBRACE)) return declaration(flow, t + 1, b);
        break;
      case 'function':
        return functionAt(flow, t, b, null);
      case 'async':
        if (isWord(flow, t + 1, 'function')) return functionAt(flow, t + 1, b, null);
        break;
      case 'class':
        return classDeclaration(flow, t, b);
      case 'abstract':
        if (isWord(flow, t + 1, 'class')) return classDeclaration(flow, t + 1, b);
        break;
      case 'if': {
        let n = condition(flow, t + 1, b);
        n = body(flow, n, b, block);
        if (isWord(flow, n, 'else')) n = body(flow, n + 1, b, block);
        return n;
      }
      case 'for':
        return forStatement(flow, t, b, block);
      case 'while':
      case 'with':
      case 'switch':
        return body(flow, condition(flow, t + 1, b), b, block);
      case 'do': {
        let n = body(flow, t + 1, b, block);
        if (isWord(flow, n, 'while')) n = condition(flow, n + 1, b);
        return after(flow, n);
      }
      case 'case': {
        const colon = caseColon(flow, t + 1, b);
        evalExpr(flow, t + 1, colon);
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
          const c = closeOf(flow, t + 1, b);
          for (let k = t + 2; k < c; k++) if (buf.kind[k] === IDENT) flow.env.assign(word(flow, k), null, block);
          return c < b ? c + 1 : b;
        }
        return t + 1;
      case 'return': {
        const e = end(flow, t + 1, b, true);
        const v = evalExpr(flow, t + 1, e);
        returned(flow, t + 1, e, v);
        return after(flow, e);
      }
      case 'throw': {
        const e = end(flow, t + 1, b, false);
        raised(flow, 'throw', t + 1, e);
        return after(flow, e);
      }
      case 'break':
      case 'continue':
        return after(flow, end(flow, t + 1, b, true));
      case 'import':
        if (!isOpen(buf, t + 1, CH_LPAREN) && !isOp(buf, t + 1, OP_DOT)) return after(flow, end(flow, t + 1, b, false));
        break;
      case 'export':
        return exportStatement(flow, t, b, block);
      case 'type':
        if (buf.kind[t + 1] === IDENT && (isOp(buf, t + 2, OP_ASSIGN) || isOp(buf, t + 2, 60))) return after(flow, end(flow, t + 1, b, false));
        break;
      case 'interface':
      case 'enum':
        if (buf.kind[t + 1] === IDENT) return skipTypeDeclaration(flow, t, b);
        break;
      case 'declare':
        if (buf.kind[t + 1] === IDENT) return after(flow, end(flow, t + 1, b, false));
        break;
      case 'namespace':
      case 'module': {
        let k = t + 1;
        while (k < b && (buf.kind[k] === IDENT || buf.kind[k] === STRING || isOp(buf, k, OP_DOT))) k++;
        if (k > t + 1 && isOpen(buf, k, CH_LBRACE)) return blockStatement(flow, k, b, block);
        break;
      }
    }
    // A label: `outer: for (…)`.
    if (isOp(buf, t + 1, OP_COLON)) return t + 2;
  }
  return expressionStatement(flow, t, b);
}

function after(flow: FlowState, e: number): number {
  return isOp(flow.buf, e, OP_SEMI) ? e + 1 : e;
}

/** A statement that is another's body (`if (…) body`), in a block of its own. */
function body(flow: FlowState, t: number, b: number, block: number): number {
  if (t >= b) return b;
  const child = flow.blocks.open(block);
  if (flow.depth >= MAX_DEPTH) return after(flow, end(flow, t, b, false));
  flow.depth++;
  const n = statement(flow, t, b, child);
  flow.depth--;
  return n > t ? n : t + 1;
}

function blockStatement(flow: FlowState, t: number, b: number, block: number): number {
  const c = closeOf(flow, t, b);
  if (flow.depth < MAX_DEPTH) {
    flow.depth++;
    statements(flow, t + 1, c, flow.blocks.open(block));
    flow.depth--;
  }
  return c < b ? c + 1 : b;
}

/** `(condition)` at `k`, evaluated; returns what follows. */
function condition(flow: FlowState, k: number, b: number): number {
  if (!isOpen(flow.buf, k, CH_LPAREN)) return k;
  const c = closeOf(flow, k, b);
  evalExpr(flow, k + 1, c);
  return c < b ? c + 1 : b;
}

/** The `:` ending `case value:` (a conditional's colons skipped). */
function caseColon(flow: FlowState, k: number, b: number): number {
  let questions = 0;
  for (; k < b; k = skip(flow, k, b)) {
    if (isOp(flow.buf, k, 63)) questions++;
    else if (isOp(flow.buf, k, OP_COLON)) {
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
function end(flow: FlowState, t: number, b: number, restricted: boolean): number {
  const { buf } = flow;
  if (t >= b) return b;
  if (restricted && lineBreakBefore(flow, t)) return t;
  let prev = -1;
  let k = t;
  while (k < b) {
    const kind = buf.kind[k];
    if (kind === CLOSE || (kind === OP && buf.aux[k] === OP_SEMI)) return k;
    if (prev >= 0 && lineBreakBefore(flow, k) && !continues(flow, prev, k)) return k;
    const n = skip(flow, k, b);
    prev = n - 1;
    k = n;
  }
  return b;
}

function continues(flow: FlowState, prev: number, k: number): boolean {
  const { buf } = flow;
  const pk = buf.kind[prev];
  if (pk === OP) return buf.aux[prev] !== 33 && !isIncDec(flow, prev);
  if (pk === IDENT && CONTINUING_WORDS.has(word(flow, prev))) return true;
  const kind = buf.kind[k];
  if (kind === OP) {
    const op = buf.aux[k];
    return !(op === 33 || op === 126 || op === 64 || op === OP_ELLIPSIS || isIncDec(flow, k));
  }
  if (kind === OPEN) return buf.aux[k] !== CH_LBRACE;
  if (kind === TPL_HEAD || (kind === STRING && (buf.aux[k]! & S_TEMPLATE) !== 0)) return true;
  if (kind === IDENT) return CONTINUING_NEXT.has(word(flow, k));
  return false;
}

function expressionStatement(flow: FlowState, t: number, b: number): number {
  const { buf } = flow;
  const e = end(flow, t, b, false);
  if (e <= t) return t;
  // The `=` signs: the first, and a list only when there are more (`a = b = c`).
  let eq = -1;
  let eqs: number[] | null = null;
  let aug = -1;
  for (let k = t; k < e; k = skip(flow, k, e)) {
    if (buf.kind[k] !== OP) continue;
    const op = buf.aux[k];
    if (op === OP_ARROW || op === 63) break;
    if (op === OP_ASSIGN) {
      if (eq < 0) eq = k;
      else (eqs ??= [eq]).push(k);
    } else if (op === OP_AUG && eq < 0) {
      aug = k;
      break;
    }
  }
  if (eq >= 0) assignStatement(flow, t, -1, eqs ?? eq, e);
  else if (aug >= 0) augmented(flow, t, aug, e);
  else evalExpr(flow, t, e);
  return after(flow, e);
}

/** `a = 1, {b, c} = obj, d` after `const` / `let` / `var`. */
function declaration(flow: FlowState, t: number, b: number): number {
  const e = end(flow, t, b, false);
  let first = t;
  while (first < e) {
    const d = declaratorEnd(flow, first, e);
    declarator(flow, first, d);
    first = d + 1;
  }
  return after(flow, e);
}

/** The comma ending the declarator at `first`; commas in a type's angle brackets do not. */
function declaratorEnd(flow: FlowState, first: number, e: number): number {
  const { buf } = flow;
  let angle = 0;
  let value = false;
  for (let k = first; k < e; k = skip(flow, k, e)) {
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

function declarator(flow: FlowState, first: number, d: number): void {
  const { buf } = flow;
  if (first >= d) return;
  const eq = findOp(flow, first, d, OP_ASSIGN);
  // The target without its type (`x: Map<string, string>`, `x!: T`).
  let pe = Math.min(eq, d);
  if (buf.kind[first] === IDENT) pe = first + 1;
  else if (buf.kind[first] === OPEN) pe = Math.min(closeOf(flow, first, pe) + 1, pe);
  if (eq >= d) {
    bindTarget(flow, first, pe, null, null, ASSIGN);
    return;
  }
  if (isPattern(flow, first, pe)) {
    const { taint, elements } = evalElements(flow, eq + 1, d);
    bindTarget(flow, first, pe, taint, elements, ASSIGN);
  } else {
    flow.lastRequest = null;
    flow.lastInstance = null;
    const v = evalValue(flow, eq + 1, d, buf.kind[first] === IDENT ? word(flow, first) : null);
    const instance = flow.lastInstance;
    bindTarget(flow, first, pe, v, null, ASSIGN);
    bindResponse(flow, first, pe, d, flow.lastRequest);
    bindInstance(flow, first, pe, d, instance);
    bindFields(flow, first, pe, eq + 1, d, v);
  }
}

function forStatement(flow: FlowState, t: number, b: number, block: number): number {
  const { buf } = flow;
  let k = t + 1;
  if (isWord(flow, k, 'await')) k++;
  if (!isOpen(buf, k, CH_LPAREN)) return k;
  const c = closeOf(flow, k, b);
  let first = k + 1;
  const declared = isWord(flow, first, 'const') || isWord(flow, first, 'let') || isWord(flow, first, 'var');
  if (declared) first++;
  const firstSemi = findOp(flow, k + 1, c, OP_SEMI);
  let of = first;
  while (of < c && !isWord(flow, of, 'of') && !isWord(flow, of, 'in')) of = skip(flow, of, c);
  if (firstSemi >= c && of < c) {
    // for (x of iterable): x takes what the iterable carries (keys of `in` carry nothing)
    const v = evalExpr(flow, of + 1, c);
    flow.block = flow.blocks.open(block);
    let pe = of;
    if (buf.kind[first] === IDENT) pe = first + 1;
    bindTarget(flow, first, pe, isWord(flow, of, 'of') ? v : null, isWord(flow, of, 'of') ? pairElements(flow, of + 1, c, v) : null, ITERATE);
  } else {
    // for (init; condition; update)
    if (declared) declaration(flow, first, firstSemi);
    else expressionStatement(flow, k + 1, firstSemi);
    const second = findOp(flow, firstSemi + 1, c, OP_SEMI);
    evalExpr(flow, firstSemi + 1, second);
    if (second + 1 < c) expressionStatement(flow, second + 1, c);
  }
  return body(flow, c < b ? c + 1 : b, b, block);
}

function exportStatement(flow: FlowState, t: number, b: number, block: number): number {
  const { buf } = flow;
  let k = t + 1;
  const isDefault = isWord(flow, k, 'default');
  if (isDefault) k++;
  if (k >= b) return b;
  if (isDefault && isOpen(buf, k, CH_LBRACE)) return expressionStatement(flow, k, b);
  if (isOpen(buf, k, CH_LBRACE) || isOp(buf, k, OP_STAR) || isOp(buf, k, OP_ASSIGN) || (isWord(flow, k, 'type') && isOpen(buf, k + 1, CH_LBRACE))) {
    return after(flow, end(flow, k, b, false)); // export { a, b } from '…'
  }
  return statement(flow, k, b, block);
}

/** `interface X {…}`, `enum X {…}`: nothing runs there that we follow. */
function skipTypeDeclaration(flow: FlowState, t: number, b: number): number {
  const body = findBody(flow, t + 1, b);
  if (body < 0) return after(flow, end(flow, t + 1, b, false));
  const c = closeOf(flow, body, b);
  return c < b ? c + 1 : b;
}

function decorator(flow: FlowState, t: number, b: number): number {
  const { buf } = flow;
  let k = t + 1;
  while (k < b && (buf.kind[k] === IDENT || isOp(buf, k, OP_DOT))) k++;
  if (isOpen(buf, k, CH_LPAREN)) {
    const c = closeOf(flow, k, b);
    evalExpr(flow, t + 1, Math.min(c + 1, b));
    return c < b ? c + 1 : b;
  }
  return k;
}

function classDeclaration(flow: FlowState, t: number, b: number): number {
  const body = findBody(flow, t + 1, b);
  if (body < 0) return after(flow, end(flow, t + 1, b, false));
  const c = closeOf(flow, body, b);
  const saved = flow.env;
  const outer = flow.currentClass;
  // Its methods are recorded as the class's, for calls through `this` and through its instances.
  flow.currentClass = flow.buf.kind[t + 1] === IDENT && !isWord(flow, t + 1, 'extends') ? defineClass(flow, word(flow, t + 1)) : null;
  flow.env = new Env(saved, flow.blocks, flow.block, true);
  classBody(flow, body + 1, c);
  flow.env = saved;
  flow.currentClass = outer;
  return c < b ? c + 1 : b;
}

function classBody(flow: FlowState, a: number, c: number): void {
  const { buf } = flow;
  let t = a;
  while (t < c) {
    if (isOp(buf, t, OP_SEMI)) t++;
    else if (isOp(buf, t, 64)) t = Math.max(decorator(flow, t, c), t + 1);
    else t = Math.max(classMember(flow, t, c), t + 1);
  }
}

/** A class member at `t`: a method (queued), a field (its value evaluated), a static block. */
function classMember(flow: FlowState, t: number, c: number): number {
  const { buf } = flow;
  let k = t;
  while (
    k + 1 < c &&
    buf.kind[k] === IDENT &&
    MODIFIERS.has(word(flow, k)) &&
    (buf.kind[k + 1] === IDENT || buf.kind[k + 1] === STRING || buf.kind[k + 1] === NUMBER || isOpen(buf, k + 1, CH_LBRACKET) || isOp(buf, k + 1, OP_STAR))
  ) {
    k++;
  }
  if (isWord(flow, k, 'static') && isOpen(buf, k + 1, CH_LBRACE)) {
    const close = closeOf(flow, k + 1, c);
    defer(flow, { name: null, paramsFrom: k + 1, paramsTo: k + 1, from: k + 2, to: close, body: BODY_JS_BLOCK, indent: 0 });
    return close + 1;
  }
  if (isOp(buf, k, OP_STAR)) k++;
  let name: string | null = null;
  if (buf.kind[k] === IDENT) name = word(flow, k);
  else if (isOpen(buf, k, CH_LBRACKET)) k = closeOf(flow, k, c);
  else if (buf.kind[k] !== STRING && buf.kind[k] !== NUMBER) return t + 1;
  k++;
  if (isOp(buf, k, 63) || isOp(buf, k, 33)) k++; // `x?:`, `x!:`
  if (isOp(buf, k, 60)) {
    // a method's type parameters
    for (let steps = 0; k < c && steps < 64 && !isOpen(buf, k, CH_LPAREN) && !isOpen(buf, k, CH_LBRACE); steps++) k = skip(flow, k, c);
  }
  if (isOpen(buf, k, CH_LPAREN)) return functionAfterName(flow, name, k, c);
  // A field: `token = process.env.X;`, `handler = () => …`
  const e = end(flow, k, c, false);
  const eq = findOp(flow, k, e, OP_ASSIGN);
  if (eq < e) evalValue(flow, eq + 1, e, name);
  return after(flow, e);
}
