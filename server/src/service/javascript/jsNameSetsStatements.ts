// Statements of a JavaScript / TypeScript block for the name-set resolver: where a statement ends
// (blocks, `if`/`else`, loops, `try`, declarations, expression statements ended by `;` or a line
// break), and a function's return expressions with the `if` tests on the way to each.

import { partsAround, skipGroup } from '../scan/calls';
import { IDENT, OP, OPEN, OP_ASSIGN, OP_COLON, OP_COMMA, OP_OTHER, OP_SEMI, CH_LBRACE, CH_LPAREN, OP_ARROW, type TokenBuffer, isOp, isOpen, tokenIs } from '../scan/tokens';
import type { JsFunction, JsIndex } from './jsNameSetsIndex';

/**
 * A test on the way: the tokens of an `if`'s condition and whether it holds there; for a `switch`
 * clause, its labels' tokens and `switch`, the subject and each label.
 */
export interface TestOnPath {
  from: number;
  to: number;
  holds: boolean;
  switch?: SwitchTest;
}

export interface SwitchTest {
  subject: [number, number];
  labels: Array<[number, number]>;
}

/** A clause of a `switch`: its labels (`case` expressions), whether `default` is among them, its statements. */
export interface SwitchClause {
  labels: Array<[number, number]>;
  isDefault: boolean;
  statements: Array<[number, number]>;
}

/**
 * The clauses of the `switch` body `{` at `open`; labels with no statement between them share the
 * clause that follows. Null when a label has no `:`.
 */
export function switchClauses(ix: JsIndex, open: number): SwitchClause[] | null {
  const { buf, text } = ix;
  const close = Math.min(ix.closeOf(open), ix.count);
  const out: SwitchClause[] = [];
  let current: SwitchClause | null = null;
  for (let t = open + 1; t < close; ) {
    const isCase = tokenIs(text, buf, t, 'case');
    if (isCase || (tokenIs(text, buf, t, 'default') && isOp(buf, t + 1, OP_COLON))) {
      let colon = t + 1;
      while (colon < close && !isOp(buf, colon, OP_COLON)) colon = skipGroup(buf, colon, close);
      if (colon >= close) return null;
      if (!current || current.statements.length > 0) {
        current = { labels: [], isDefault: false, statements: [] };
        out.push(current);
      }
      if (isCase) current.labels.push([t + 1, colon]);
      else current.isDefault = true;
      t = colon + 1;
      continue;
    }
    const e = statementEnd(ix, t, close);
    if (current) current.statements.push([t, e]);
    t = e;
  }
  return out;
}

/** Whether the statement [t, e) is `break` (with or without its semicolon). */
export function isBreak(ix: JsIndex, t: number, e: number): boolean {
  return tokenIs(ix.text, ix.buf, t, 'break') && (e === t + 1 || (e === t + 2 && isOp(ix.buf, t + 1, OP_SEMI)));
}

export interface ReturnPath {
  from: number;
  to: number;
  tests: TestOnPath[];
}

const MAX_NESTING = 64;

/** Where the statement starting at `t` ends (exclusive), not beyond `limit`. */
export function statementEnd(ix: JsIndex, t: number, limit: number, depth = 0): number {
  if (t >= limit) return limit;
  const { buf, text } = ix;
  const after = (k: number): number => Math.min(limit, Math.max(k, t + 1));
  if (buf.kind[t] === OPEN && buf.aux[t] === CH_LBRACE) return after(ix.closeOf(t) + 1);
  if (buf.kind[t] === OP && buf.aux[t] === OP_SEMI) return t + 1;
  if (buf.kind[t] === IDENT && !ix.isDot(t - 1) && depth < MAX_NESTING) {
    switch (ix.word(t)) {
      case 'if': {
        if (!isOpen(buf, t + 1, CH_LPAREN)) break;
        let e = statementEnd(ix, ix.closeOf(t + 1) + 1, limit, depth + 1);
        if (tokenIs(text, buf, e, 'else')) e = statementEnd(ix, e + 1, limit, depth + 1);
        return after(e);
      }
      case 'for':
      case 'while':
      case 'with':
      case 'switch':
        if (!isOpen(buf, t + 1, CH_LPAREN)) break;
        return after(statementEnd(ix, ix.closeOf(t + 1) + 1, limit, depth + 1));
      case 'do': {
        let e = statementEnd(ix, t + 1, limit, depth + 1);
        if (tokenIs(text, buf, e, 'while') && isOpen(buf, e + 1, CH_LPAREN)) e = ix.closeOf(e + 1) + 1;
        return after(isOp(buf, e, OP_SEMI) ? e + 1 : e);
      }
      case 'try': {
        let e = statementEnd(ix, t + 1, limit, depth + 1);
        if (tokenIs(text, buf, e, 'catch')) e = statementEnd(ix, isOpen(buf, e + 1, CH_LPAREN) ? ix.closeOf(e + 1) + 1 : e + 1, limit, depth + 1);
        if (tokenIs(text, buf, e, 'finally')) e = statementEnd(ix, e + 1, limit, depth + 1);
        return after(e);
      }
      case 'async':
      case 'function': {
        const f = ix.functions.get(tokenIs(text, buf, t, 'async') ? t + 1 : t);
        if (f && f.block) return after(f.bodyTo + 1);
        break;
      }
      case 'class': {
        let k = t + 1;
        while (k < limit && !isOpen(buf, k, CH_LBRACE)) k++;
        return after(k < limit ? ix.closeOf(k) + 1 : limit);
      }
    }
    if (isOp(buf, t + 1, OP_COLON)) return statementEnd(ix, t + 2, limit, depth + 1); // a label
  }
  let e = t;
  for (let guard = 0; guard < 10000 && e < limit; guard++) {
    e = ix.exprEnd(e);
    if (e < limit && isOp(buf, e, OP_COMMA)) {
      e++;
      continue;
    }
    break;
  }
  if (isOp(buf, e, OP_SEMI)) e++;
  return after(Math.min(e, limit));
}

/**
 * The return expressions of `fn` (its own, not those of the functions inside it), each with the
 * `if` tests on the way to it; an `if` whose body always returns adds its test, not holding, to
 * the statements after it. A bare `return` is -1 in `from`.
 */
export function returnPaths(ix: JsIndex, fn: JsFunction): ReturnPath[] {
  const out: ReturnPath[] = [];
  if (!fn.block) out.push({ from: fn.bodyFrom, to: fn.bodyTo, tests: [] });
  else block(ix, fn.bodyFrom + 1, fn.bodyTo, [], out, 0);
  return out;
}

/** Every statement of a function's body (returnPaths' walk) with the tests on the way to it, in document order. */
export interface StatementTests {
  from: number[];
  to: number[];
  tests: TestOnPath[][];
}

/**
 * The `if` tests and `switch` labels on the way to the statement that holds token `tok` in its
 * function (or at the top level): those of the branches around it, and those an earlier branch
 * that always returns or throws leaves (`if (conv.env !== 'live') return …;`), outermost first;
 * then the conditional expressions around `tok` in that statement. A function inside a branch is
 * walked on its own: its body runs when it is called. Each body is walked once (`walks`, by its `{`).
 */
export function testsAt(ix: JsIndex, tok: number, walks: Map<number, StatementTests>): TestOnPath[] {
  let body = ix.braceOf(tok);
  while (body >= 0 && !ix.bodies.has(body)) body = ix.braceOf(body);
  let rec = walks.get(body);
  if (rec === undefined) {
    rec = { from: [], to: [], tests: [] };
    if (body >= 0) block(ix, body + 1, Math.min(ix.closeOf(body), ix.count), [], [], 0, rec);
    else block(ix, 0, ix.count, [], [], 0, rec);
    walks.set(body, rec);
  }
  // The innermost statement around `tok`: statements nest or are apart, and come in order of their start.
  let k = upperBound(rec.from, tok) - 1;
  while (k >= 0 && rec.to[k]! <= tok) k--;
  if (k < 0) return [];
  const inner = conditionals(ix, rec.from[k]!, rec.to[k]!, tok);
  return inner.length === 0 ? rec.tests[k]! : [...rec.tests[k]!, ...inner];
}

/** The number of entries of sorted `list` at most `x`. */
function upperBound(list: readonly number[], x: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The conditional expressions of the statement [a, b) that token `tok` is a branch of, outermost
 * first: `c` holding where `tok` is in `x` of `c ? x : y`, not holding where it is in `y`
 * (`return conv.env === 'live' ? get_secret('x_prod') : get_secret('x_uat')`).
 */
function conditionals(ix: JsIndex, a: number, b: number, tok: number): TestOnPath[] {
  const { buf } = ix;
  const out: TestOnPath[] = [];
  // Parts end at `,` `=` `=>` `;` and at a `:` outside a conditional (an object's key, a label, a type).
  const separatorFor = () => {
    let pending = 0;
    return (k: number) => {
      if (isQuestion(buf, k)) pending++;
      const colon = isOp(buf, k, OP_COLON);
      const sep = isOp(buf, k, OP_COMMA) || isOp(buf, k, OP_ASSIGN) || isOp(buf, k, OP_ARROW) || isOp(buf, k, OP_SEMI) || (colon && pending === 0);
      if (colon && pending > 0) pending--;
      if (sep) pending = 0;
      return sep;
    };
  };
  partsAround(buf, a, b, tok, separatorFor, (start, holder, end) => {
    // A leading keyword is not part of the test (`return c ? x : y`).
    while (start < holder && buf.kind[start] === IDENT && LEADING.has(ix.word(start))) start++;
    for (let cur = start; cur < end; ) {
      const q = firstQuestion(ix, cur, end);
      if (q < 0) {
        operands(ix, cur, end, tok, out);
        return;
      }
      if (q === cur) return;
      const colon = matchingColon(ix, q + 1, end);
      if (colon < 0) return;
      // In the test itself: only the `&&` / `||` in it.
      if (tok < q) {
        operands(ix, cur, q, tok, out);
        return;
      }
      if (tok < colon) {
        out.push({ from: cur, to: q, holds: true });
        cur = q + 1;
        end = colon;
        continue;
      }
      out.push({ from: cur, to: q, holds: false });
      cur = colon + 1;
    }
  });
  return out;
}

/**
 * The `||` / `??` and `&&` operands of [from, to) (no conditional at its top level) before the one
 * holding `tok`: it is evaluated only when each operand of `||` before it does not hold and each
 * of `&&` does (`conv.env === 'live' && get_secret('x')`); `??` tests nothing of the environment.
 */
function operands(ix: JsIndex, from: number, to: number, tok: number, out: TestOnPath[]): void {
  // `||` and `??` bind less than `&&`: the `&&` operands are those of the `||` operand holding `tok`.
  const [a, b] = operandAround(ix, from, to, tok, false, out);
  operandAround(ix, a, b, tok, true, out);
}

/** The `&&` (`and`) or `||` / `??` operand of [from, to) holding `tok`, the tests before it added to `out`. */
function operandAround(ix: JsIndex, from: number, to: number, tok: number, and: boolean, out: TestOnPath[]): [number, number] {
  const { buf, text } = ix;
  const c = and ? 38 : 124;
  let start = from;
  for (let k = from; k < to; k = skipGroup(buf, k, to)) {
    const nullish = !and && isNullishAt(buf, k);
    const logical = nullish || (buf.kind[k] === OP && buf.aux[k] === OP_OTHER && buf.end[k]! - buf.start[k]! === 2 && text.charCodeAt(buf.start[k]!) === c && text.charCodeAt(buf.start[k]! + 1) === c);
    if (!logical) continue;
    if (tok < k) return [start, k];
    if (!nullish && k > start) out.push({ from: start, to: k, holds: and });
    start = nullish ? k + 2 : k + 1;
    if (nullish) k++;
  }
  return [start, to];
}

/** `??`: two adjacent `?`. */
function isNullishAt(buf: TokenBuffer, k: number): boolean {
  return buf.kind[k] === OP && buf.aux[k] === 63 && buf.kind[k + 1] === OP && buf.aux[k + 1] === 63 && buf.end[k] === buf.start[k + 1];
}

const LEADING = new Set(['return', 'throw', 'case', 'yield', 'export', 'default']);

/** A `?` of a conditional (`?.` is another token; `??` is two `?` together). */
function isQuestion(buf: TokenBuffer, k: number): boolean {
  if (buf.kind[k] !== OP || buf.aux[k] !== 63) return false;
  const pair = (j: number) => buf.kind[j] === OP && buf.aux[j] === 63;
  if (pair(k + 1) && buf.end[k] === buf.start[k + 1]) return false;
  if (k > 0 && pair(k - 1) && buf.end[k - 1] === buf.start[k]) return false;
  return true;
}

/** The first `?` of a conditional at the top level of [s, e), or -1. */
function firstQuestion(ix: JsIndex, s: number, e: number): number {
  for (let k = s; k < e; k = skipGroup(ix.buf, k, e)) if (isQuestion(ix.buf, k)) return k;
  return -1;
}

/** The `:` of the conditional whose `?` is just before `s` (nested ones skipped), or -1. */
function matchingColon(ix: JsIndex, s: number, e: number): number {
  let open = 0;
  for (let k = s; k < e; k = skipGroup(ix.buf, k, e)) {
    if (isQuestion(ix.buf, k)) open++;
    else if (isOp(ix.buf, k, OP_COLON) && open-- === 0) return k;
  }
  return -1;
}

/** The statements of [from, to); returns whether control never reaches the end (every way returns or throws). Each statement, with the tests before it, is recorded in `rec` when given. */
function block(ix: JsIndex, from: number, to: number, tests: TestOnPath[], out: ReturnPath[], depth: number, rec?: StatementTests): boolean {
  const { buf, text } = ix;
  let t = from;
  let exits = false;
  while (t < to) {
    const e = statementEnd(ix, t, to);
    if (rec !== undefined) {
      rec.from.push(t);
      rec.to.push(e);
      rec.tests.push(tests);
    }
    if (depth < MAX_NESTING && buf.kind[t] === IDENT && tokenIs(text, buf, t, 'if') && isOpen(buf, t + 1, CH_LPAREN)) {
      const close = ix.closeOf(t + 1);
      const test = { from: t + 2, to: close };
      const thenEnd = statementEnd(ix, close + 1, to);
      const thenExits = statement(ix, close + 1, thenEnd, [...tests, { ...test, holds: true }], out, depth + 1, rec);
      const hasElse = tokenIs(text, buf, thenEnd, 'else') && thenEnd < e;
      const elseExits = hasElse && statement(ix, thenEnd + 1, e, [...tests, { ...test, holds: false }], out, depth + 1, rec);
      if (thenExits && elseExits) exits = true;
      else if (thenExits) tests = [...tests, { ...test, holds: false }];
      else if (elseExits) tests = [...tests, { ...test, holds: true }];
    } else if (depth < MAX_NESTING && tokenIs(text, buf, t, 'switch') && isOpen(buf, t + 1, CH_LPAREN) && isOpen(buf, ix.closeOf(t + 1) + 1, CH_LBRACE)) {
      const subject: [number, number] = [t + 2, ix.closeOf(t + 1)];
      const clauses = switchClauses(ix, subject[1] + 1);
      if (!clauses) scan(ix, t, e, tests, out);
      else {
        let others: TestOnPath[] = [];
        let every = clauses.some((c) => c.isDefault);
        for (const c of clauses) {
          const own: TestOnPath[] = c.isDefault || c.labels.length === 0 ? [] : [{ from: c.labels[0]![0], to: c.labels[c.labels.length - 1]![1], holds: true, switch: { subject, labels: c.labels } }];
          const first = c.statements[0]?.[0] ?? 0;
          const last = c.statements[c.statements.length - 1]?.[1] ?? 0;
          if (!block(ix, first, last, [...tests, ...(c.isDefault ? others : [...others, ...own])], out, depth + 1, rec)) every = false;
          if (!c.isDefault) others = [...others, ...own.map((x) => ({ ...x, holds: false }))];
        }
        if (every) exits = true;
      }
    } else if (depth < MAX_NESTING && buf.kind[t] === IDENT && (tokenIs(text, buf, t, 'for') || tokenIs(text, buf, t, 'while')) && !ix.isDot(t - 1) && isOpen(buf, t + 1, CH_LPAREN)) {
      // A loop's body runs on the tests before the loop, as often as it runs (perhaps never: what
      // follows the loop is reached whatever its body does).
      const close = ix.closeOf(t + 1);
      scan(ix, t, close + 1, tests, out);
      statement(ix, close + 1, e, tests, out, depth + 1, rec);
    } else if (depth < MAX_NESTING && buf.kind[t] === IDENT && tokenIs(text, buf, t, 'do') && !ix.isDot(t - 1)) {
      const bodyEnd = statementEnd(ix, t + 1, e, depth + 1);
      statement(ix, t + 1, bodyEnd, tests, out, depth + 1, rec);
      scan(ix, bodyEnd, e, tests, out);
    } else if (depth < MAX_NESTING && isOpen(buf, t, CH_LBRACE)) {
      if (block(ix, t + 1, Math.min(ix.closeOf(t), to), tests, out, depth + 1, rec)) exits = true;
    } else if (buf.kind[t] === IDENT && tokenIs(text, buf, t, 'return')) {
      const end = isOp(buf, e - 1, OP_SEMI) ? e - 1 : e;
      out.push({ from: end > t + 1 ? t + 1 : -1, to: end, tests });
      exits = true;
    } else if (buf.kind[t] === IDENT && tokenIs(text, buf, t, 'throw')) {
      exits = true;
    } else scan(ix, t, e, tests, out);
    if (exits) break;
    t = e;
  }
  return exits;
}

/** One statement as a body (`if (…) body`): a block or a single statement. */
function statement(ix: JsIndex, from: number, to: number, tests: TestOnPath[], out: ReturnPath[], depth: number, rec?: StatementTests): boolean {
  return block(ix, from, to, tests, out, depth, rec);
}

/** The returns inside any other statement (a loop, `switch`, `try`), skipping the functions in it. */
function scan(ix: JsIndex, from: number, to: number, tests: TestOnPath[], out: ReturnPath[]): void {
  const { buf, text } = ix;
  for (let k = from; k < to; ) {
    if (buf.kind[k] === OPEN && buf.aux[k] === CH_LBRACE && ix.bodies.has(k)) {
      k = ix.closeOf(k) + 1;
      continue;
    }
    if (buf.kind[k] === OP && buf.aux[k] === OP_ARROW) {
      const inner = ix.functions.get(k);
      if (inner && !inner.block) {
        k = Math.max(k + 1, inner.bodyTo);
        continue;
      }
    }
    if (buf.kind[k] === IDENT && tokenIs(text, buf, k, 'return') && !ix.isDot(k - 1)) {
      const e = statementEnd(ix, k, to);
      const end = isOp(buf, e - 1, OP_SEMI) ? e - 1 : e;
      out.push({ from: end > k + 1 ? k + 1 : -1, to: end, tests });
      k = e;
      continue;
    }
    k++;
  }
}
