// Literal tables for the JavaScript / TypeScript name-set resolver: the entries of an object or
// array literal (a name bound to one, `new Map([…])`, `Object.freeze({…})`, `as const`), each
// with its key and tokens (`Object.fromEntries([[k, v], …])` too); and whether member steps after a
// name reach a literal value.

import { itemEnd, skipGroup } from '../scan/calls';
import { charge, tick, Unresolved } from '../evaluate/evaluation';
import type { Alternative } from '../evaluate/values';
import { stripGroup } from './jsNameSetsEnv';
import { assigned, evalExpr, find } from './jsNameSetsExpr';
import { mutated } from './jsNameSetsChanges';
import { B_CONST, B_LET, B_OTHER, type JsBinding } from './jsNameSetsIndex';
import { attempt, fail, failure, MAX_DEPTH, span, type JsNames, type TableEntry } from './jsNameSetsTypes';
import { literalOf } from '../scan/literals';
import { CH_LBRACE, CH_LBRACKET, CH_LPAREN, CLOSE, IDENT, NUMBER, OPEN, OP_ASSIGN, OP_COLON, OP_COMMA, OP_ELLIPSIS, STRING, isOp, isOpen, tokenIs } from '../scan/tokens';


/** The entries of the table (object or array literal of values) that [from, to) denotes. */
export function evalTable(r: JsNames, from: number, to: number): TableEntry[] {
  const { ix } = r;
  const { buf, text } = ix;
  [from, to] = stripGroup(ix, from, to);
  for (let k = from + 1; k < to; k = skipGroup(buf, k, to)) {
    if ((tokenIs(text, buf, k, 'as') || tokenIs(text, buf, k, 'satisfies')) && !ix.isDot(k - 1)) {
      to = k;
      break;
    }
  }
  if (to > from) tick(r, from, to);
  if (to <= from || r.depth >= MAX_DEPTH) return fail(r, from, Math.max(to, from + 1));
  if (to === from + 1 && buf.kind[from] === IDENT) {
    const b = find(r, ix.word(from), from);
    // An object another module of the project exports (jsImports.ts's importedTable).
    const imported = b !== null && b.kind === B_OTHER && r.importTable !== null && !mutated(r, b) ? r.importTable(b, from) : null;
    if (imported !== null) return imported;
    if (!b || (b.kind !== B_CONST && b.kind !== B_LET) || b.valueFrom < 0) return fail(r, from, to);
    const known = r.tables.get(b);
    if (known instanceof Unresolved && known.tooLarge) throw known; // too large for any read
    if (known) return known instanceof Unresolved ? fail(r, from, to) : known;
    if (r.active.has(b)) return fail(r, from, to);
    let t: TableEntry[] | Unresolved;
    if ((b.kind === B_LET && assigned(r, b)) || mutated(r, b)) t = failure(r, from, to);
    else {
      r.active.add(b);
      r.depth++;
      try {
        t = attempt(() => evalTable(r, b.valueFrom, b.valueTo));
      } finally {
        r.depth--;
        r.active.delete(b);
      }
    }
    r.tables.set(b, t);
    if (t instanceof Unresolved) throw t;
    return t;
  }
  if (to - from >= 2 && buf.kind[from] === OPEN && buf.match[from] === to - 1) {
    // A literal's tokens are charged to the read that reads it (once: a bound one is kept); one
    // larger than the read's share is too large to follow, before it is read.
    charge(r, to - from, from, to);
    if (buf.aux[from] === CH_LBRACE) return objectEntries(r, from, to - 1);
    if (buf.aux[from] === CH_LBRACKET) return arrayEntries(r, from, to - 1);
  }
  // `new Map([['live', 'x_prod'], …])`, `new Map<string, string>(…)`
  if (tokenIs(text, buf, from, 'new') && tokenIs(text, buf, from + 1, 'Map') && buf.kind[to - 1] === CLOSE && buf.aux[to - 1] === 41) {
    const open = buf.match[to - 1]!;
    if (open > from + 1 && isOpen(buf, open + 1, CH_LBRACKET) && buf.match[open + 1] === to - 2) return mapEntries(r, open + 1, to - 2);
  }
  // `Object.freeze({…})`; `Object.fromEntries([['live', 'x_prod'], …])`, its pairs as a Map's
  if (tokenIs(text, buf, from, 'Object') && ix.isDot(from + 1) && isOpen(buf, from + 3, CH_LPAREN) && buf.match[from + 3] === to - 1) {
    if (tokenIs(text, buf, from + 2, 'freeze')) return evalTable(r, from + 4, to - 1);
    if (tokenIs(text, buf, from + 2, 'fromEntries') && isOpen(buf, from + 4, CH_LBRACKET) && buf.match[from + 4] === to - 2) return mapEntries(r, from + 4, to - 2);
  }
  return fail(r, from, to);
}

/**
 * Whether the member steps [t + 1, e) after the name `b` at `t` (`NAMES.crm`, `Env.Live`,
 * `CONFIG.live['crm']`) reach, in the literal `b` is bound to, an entry written as a string or a
 * number: a value, which a function it is handed to cannot change. Read from the tokens alone.
 */
export function pathToValue(r: JsNames, b: JsBinding, t: number, e: number): boolean {
  const { ix } = r;
  const { buf, text } = ix;
  if (b.valueFrom < 0 || b.ofFrom >= 0 || b.part !== undefined || e <= t + 1) return false;
  let [from, to] = stripGroup(ix, b.valueFrom, b.valueTo);
  for (let k = from + 1; k < to; k = skipGroup(buf, k, to)) if ((tokenIs(text, buf, k, 'as') || tokenIs(text, buf, k, 'satisfies')) && !ix.isDot(k - 1)) to = k;
  for (let k = t + 1; k < e; ) {
    let key: string | null = null;
    if (ix.isDot(k)) {
      key = ix.word(k + 1);
      k += 2;
    } else if (isOpen(buf, k, CH_LBRACKET) && buf.match[k] === k + 2) {
      key = numberKey(r, k + 1) ?? (buf.kind[k + 1] === STRING ? literalOf(text, buf, k + 1, k + 2, false).value : null);
      k += 3;
    }
    if (key === null || buf.kind[from] !== OPEN || buf.match[from] !== to - 1) return false;
    const open = from;
    const entries = attempt(() => (buf.aux[open] === CH_LBRACE ? objectEntries(r, open, to - 1) : arrayEntries(r, open, to - 1)));
    const entry = entries instanceof Unresolved ? undefined : entries.find((x) => x.key === key);
    if (!entry) return false;
    [from, to] = stripGroup(ix, entry.from, entry.to);
  }
  return to === from + 1 && (buf.kind[from] === STRING || buf.kind[from] === NUMBER);
}

function objectEntries(r: JsNames, open: number, close: number): TableEntry[] {
  const { ix } = r;
  const { buf, text } = ix;
  const out: TableEntry[] = [];
  let a = open + 1;
  while (a < close) {
    const e = itemEnd(buf, a, close);
    if (e > a) {
      const kind = buf.kind[a];
      let key: string | null = null;
      if (kind === IDENT || kind === NUMBER) key = ix.word(a);
      else if (kind === STRING) key = literalOf(text, buf, a, a + 1, false).value;
      else if (isOpen(buf, a, CH_LBRACKET) && isOp(buf, buf.match[a]! + 1, OP_COLON) && e > buf.match[a]! + 2) {
        // A computed key (`[Env.Live]: …`, `[LIVE]: …`): the one string it is, or unknown.
        const close = buf.match[a]!;
        const known = close > a + 1 ? constantKey(r, a + 1, close) : null;
        if (known === null) return fail(r, a, close + 1);
        out.push({ key: known, written: `'${known}'`, span: span(r, a, close + 1), from: close + 2, to: e, element: false });
        a = e + 1;
        continue;
      }
      const keySpan = span(r, a, a + 1);
      // `key: value`, or an enum's `Key = value`
      if (key !== null && (isOp(buf, a + 1, OP_COLON) || isOp(buf, a + 1, OP_ASSIGN)) && e > a + 2) out.push({ key, written: kind === STRING ? ix.word(a) : `'${key}'`, span: keySpan, from: a + 2, to: e, element: false });
      else if (kind === IDENT && e === a + 1) out.push({ key: key!, written: `'${key}'`, span: keySpan, from: a, to: e, element: false });
      else return fail(r, a, e);
    }
    a = e + 1;
  }
  return out;
}

/** The one string [from, to) is (a const bound to a literal, a string enum's member), with no test choosing it; null otherwise. */
function constantKey(r: JsNames, from: number, to: number): string | null {
  const values = attempt(() => evalExpr(r, from, to));
  if (values instanceof Unresolved || values.length !== 1) return null;
  const only = values[0]!;
  return only.when.length === 0 && only.env === null ? only.name : null;
}

/** The `[key, value]` pairs of a Map's array [open, close]: each key a string literal. */
function mapEntries(r: JsNames, open: number, close: number): TableEntry[] {
  const { ix } = r;
  const { buf, text } = ix;
  const out: TableEntry[] = [];
  let a = open + 1;
  while (a < close) {
    const e = itemEnd(buf, a, close);
    if (e > a) {
      const pairEnd = buf.match[a]!;
      const key = isOpen(buf, a, CH_LBRACKET) && pairEnd === e - 1 && buf.kind[a + 1] === STRING && isOp(buf, a + 2, OP_COMMA) ? literalOf(text, buf, a + 1, a + 2, false).value : null;
      if (key === null || pairEnd <= a + 3) return fail(r, a, e);
      out.push({ key, written: ix.word(a + 1), span: span(r, a + 1, a + 2), from: a + 3, to: pairEnd, element: false });
    }
    a = e + 1;
  }
  return out;
}

function arrayEntries(r: JsNames, open: number, close: number): TableEntry[] {
  const { buf } = r.ix;
  const out: TableEntry[] = [];
  let a = open + 1;
  let i = 0;
  while (a <= close) {
    const e = itemEnd(buf, a, close);
    if (e > a && isOp(buf, a, OP_ELLIPSIS)) {
      // `[...BASE, 'pay_api']`: the elements of the one array spread there, each at its new place.
      for (const inner of evalTable(r, a + 1, e)) {
        if (!inner.element || inner.every) return fail(r, a, e);
        out.push({ ...inner, key: String(i), written: String(i) });
        i++;
      }
      i--;
    } else if (e > a) out.push({ key: String(i), written: String(i), span: span(r, a, e), from: a, to: e, element: true });
    if (e >= close) break;
    i++;
    a = e + 1;
  }
  return out;
}

/** An array's index written as a number (`0`, `12`) at token `t`, or null. */
export function numberKey(r: JsNames, t: number): string | null {
  const w = r.ix.buf.kind[t] === NUMBER ? r.ix.word(t) : '';
  return /^\d+$/.test(w) ? String(Number(w)) : null;
}

/** An entry's values: what it is written as, or what another module resolves it to (TableEntry.values). */
export function entryValues(r: JsNames, entry: TableEntry): Alternative[] {
  return entry.values ?? evalExpr(r, entry.from, entry.to);
}
