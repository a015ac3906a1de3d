// A `let` / `var` assigned after its declaration, for the name-set resolver: its value at a read is
// followed through the statements of its block between the declaration and the statement holding
// the read, where each assignment is a plain `x = …` statement, alone or in `if` / `else` branches
// (the branch's test labels the names it assigns). Any other assignment (in a loop, a `switch`,
// another function, after the read) leaves the variable unknown, named at that assignment. The walk
// is the same for what the variable holds as names (assignedValue) and as tables (assignedTables,
// jsNameSetsTables.ts's: `let cfg; if (…) cfg = LIVE; else cfg = SANDBOX;`): a Values says how.

import { assignments, evalExpr, underTests } from './jsNameSetsExpr';
import { NO_CONDS, type Alternative } from '../evaluate/values';
import { fail, MAX_ALTS, span, type JsNames } from './jsNameSetsTypes';
import type { JsBinding } from './jsNameSetsIndex';
import { isBreak, statementEnd, switchClauses, type TestOnPath } from './jsNameSetsStatements';
import { CH_LBRACE, CH_LPAREN, OP_ASSIGN, OP_SEMI, STRING, isOp, isOpen, tokenIs } from '../scan/tokens';

const MAX_NESTING = 32;

/** What a value of the walk is: how one is read from an expression, put under tests, left unset. */
export interface Values<T> {
  read(from: number, to: number): T[];
  under(values: T[], tests: readonly TestOnPath[]): T[];
  unset(b: JsBinding): T;
}

/** The values the variable `b` may hold at the read at token `read`. */
export function assignedValue(r: JsNames, b: JsBinding, read: number): Alternative[] {
  return assignedAs(r, b, read, {
    read: (from, to) => evalExpr(r, from, to),
    under: (values, tests) => underTests(r, values, tests),
    unset: (binding) => unset(r, binding),
  });
}

/** What the variable `b` may hold at the read at token `read`, as `v` reads values. */
export function assignedAs<T>(r: JsNames, b: JsBinding, read: number, v: Values<T>): T[] {
  const { ix } = r;
  const writes = assignments(r, b);
  const from = b.scopeFrom < 0 ? 0 : b.scopeFrom + 1;
  const to = b.scopeFrom < 0 ? ix.count : b.scopeTo;
  let value: T[] | null = null;
  for (let t = from; t < to; ) {
    const e = statementEnd(ix, t, to);
    if (value === null) {
      if (e > b.tok) {
        // The declaration: nothing may assign the variable before or inside it, nor read it there.
        if (read < e) return fail(r, read, read + 1);
        const early = writes.find((w) => w < e);
        if (early !== undefined) return unknownWrite(r, early);
        value = b.valueFrom >= 0 ? v.read(b.valueFrom, b.valueTo) : [v.unset(b)];
      }
    } else if (read < e) {
      // The statement holding the read: nothing assigns the variable there or after it, but for the
      // branches of an `if` whose test holds the read (`if (!name) name = 'x'`: they run after it).
      const test = tokenIs(ix.text, ix.buf, t, 'if') && isOpen(ix.buf, t + 1, CH_LPAREN) ? ix.closeOf(t + 1) : -1;
      const late = writes.find((w) => w >= t && !(read < test && w > test && w < e));
      return late !== undefined ? unknownWrite(r, late) : value;
    } else {
      value = statement(r, v, b, t, e, value, writes, 0);
      if (value.length > MAX_ALTS) return fail(r, read, read + 1);
    }
    t = e;
  }
  return fail(r, read, read + 1);
}

/** Declared without a value: undefined, which names nothing. */
function unset(r: JsNames, b: JsBinding): Alternative {
  return { name: null, literal: span(r, b.tok, b.tok + 1), when: NO_CONDS, env: null };
}

/**
 * An assignment the resolver does not follow: the value it assigns (a literal assigned where the
 * read may not see it: the whole assignment, `name = 'b'`, so that no name is quoted as unknowable),
 * or the whole assignment.
 */
function unknownWrite(r: JsNames, w: number): never {
  const { ix } = r;
  if (isOp(ix.buf, w + 1, OP_ASSIGN)) {
    const end = Math.max(w + 3, ix.exprEnd(w + 2));
    return fail(r, end === w + 3 && ix.buf.kind[w + 2] === STRING ? w : w + 2, end);
  }
  return fail(r, w, Math.max(w + 1, ix.exprEnd(w)));
}

/** The variable's values after the statement [t, e), given `current` before it. */
function statement<T>(r: JsNames, v: Values<T>, b: JsBinding, t: number, e: number, current: T[], writes: number[], depth: number): T[] {
  const first = writes.find((w) => w >= t && w < e);
  if (first === undefined) return current;
  const { ix } = r;
  const { buf, text } = ix;
  if (depth > MAX_NESTING) return unknownWrite(r, first);
  const end = isOp(buf, e - 1, OP_SEMI) ? e - 1 : e;
  if (first === t && isOp(buf, t + 1, OP_ASSIGN) && ix.exprEnd(t + 2) === end) return v.read(t + 2, end);
  if (isOpen(buf, t, CH_LBRACE)) return statements(r, v, b, t + 1, Math.min(ix.closeOf(t), e), current, writes, depth + 1);
  if (tokenIs(text, buf, t, 'if') && isOpen(buf, t + 1, CH_LPAREN)) {
    const close = ix.closeOf(t + 1);
    if (writes.some((w) => w > t && w < close)) return unknownWrite(r, first);
    const thenEnd = statementEnd(ix, close + 1, e);
    const yes = statement(r, v, b, close + 1, thenEnd, current, writes, depth + 1);
    const hasElse = thenEnd < e && tokenIs(text, buf, thenEnd, 'else');
    const no = hasElse ? statement(r, v, b, thenEnd + 1, e, current, writes, depth + 1) : current;
    const test = { from: t + 2, to: close };
    return [...v.under(yes, [{ ...test, holds: true }]), ...v.under(no, [{ ...test, holds: false }])];
  }
  if (tokenIs(text, buf, t, 'switch') && isOpen(buf, t + 1, CH_LPAREN) && isOpen(buf, ix.closeOf(t + 1) + 1, CH_LBRACE)) {
    return switchStatement(r, v, b, t, first, current, writes, depth);
  }
  return unknownWrite(r, first);
}

/**
 * `switch (x) { case 'a': v = …; break; … default: … }`: each clause from `current`, under its
 * label and the earlier labels not holding; without `default`, `current` where no label holds. A
 * clause that falls into the next, or breaks early, is not followed.
 */
function switchStatement<T>(r: JsNames, v: Values<T>, b: JsBinding, t: number, first: number, current: T[], writes: number[], depth: number): T[] {
  const { ix } = r;
  const subject: [number, number] = [t + 2, ix.closeOf(t + 1)];
  if (writes.some((w) => w >= subject[0] && w < subject[1])) return unknownWrite(r, first);
  const clauses = switchClauses(ix, subject[1] + 1);
  if (!clauses) return unknownWrite(r, first);
  const out: T[] = [];
  let others: TestOnPath[] = [];
  let hasDefault = false;
  for (let i = 0; i < clauses.length; i++) {
    const c = clauses[i]!;
    const list = c.statements;
    const ends = list.length > 0 && isBreak(ix, list[list.length - 1]![0], list[list.length - 1]![1]);
    if (!ends && i < clauses.length - 1) return unknownWrite(r, writes.find((w) => w >= (list[0]?.[0] ?? 0)) ?? first);
    let value: T[] = current;
    for (let k = 0; k < list.length; k++) {
      const [a, e] = list[k]!;
      if (k < list.length - 1 && isBreak(ix, a, e)) return unknownWrite(r, first);
      value = statement(r, v, b, a, e, value, writes, depth + 1);
    }
    const own: TestOnPath[] =
      c.isDefault || c.labels.length === 0 ? [] : [{ from: c.labels[0]![0], to: c.labels[c.labels.length - 1]![1], holds: true, switch: { subject, labels: c.labels } }];
    out.push(...v.under(value, c.isDefault ? others : [...others, ...own]));
    if (c.isDefault) hasDefault = true;
    else others = [...others, ...own.map((x) => ({ ...x, holds: false }))];
  }
  if (!hasDefault) out.push(...v.under(current, others));
  return out.length > MAX_ALTS ? unknownWrite(r, first) : out;
}

/** The statements of [from, to) in turn. */
function statements<T>(r: JsNames, v: Values<T>, b: JsBinding, from: number, to: number, current: T[], writes: number[], depth: number): T[] {
  let value: T[] = current;
  for (let t = from; t < to; ) {
    const e = statementEnd(r.ix, t, to);
    value = statement(r, v, b, t, e, value, writes, depth);
    t = e;
  }
  return value;
}
