// What a Python statement binds, for the Python reference finder's first pass: names bound
// (assignment and for targets, `as`, `:=`, `case` captures, parameters), the last token of each
// store target (a subscript written or deleted there is not read), names shadowed inside a lambda
// or comprehension, and code that runs later than it stands (lambda bodies, generator
// expressions).

import { skipGroup } from '../scan/calls';
import { grow, type PythonRefScan, scratch } from './pythonRefsState';
import {
  IDENT,
  OP,
  OPEN,
  OP_ASSIGN,
  OP_COLON,
  OP_COMMA,
  OP_DOT,
  OP_POW,
  OP_STAR,
  OP_WALRUS,
  CH_LPAREN,
  CH_RPAREN,
  CLOSE,
  CH_LBRACE,
  STRING,
  TPL_HEAD,
  TPL_MID,
  TPL_TAIL,
  isOp,
  isOpen,
  tokenIs,
} from '../scan/tokens';

/** How far (in tokens and groups) to look for the `in` of a for-target or a lambda's colon. */
const SEARCH_LIMIT = 64;

/**
 * Rules that bind names anywhere in a statement: the for statement's targets (`forTok`), `as`,
 * `:=`; comprehension targets and lambda parameters shadow a name only inside their expression.
 * On the way (the one walk over every token of [a, b]), records that they are in `scope`, and
 * feeds the brackets and operators to the recorder of the names literals are given to.
 */
export function generic(scan: PythonRefScan, a: number, b: number, forTok: number, scope: number): void {
  const { text, buf } = scan;
  // The arrays read per token, held here rather than looked up on each.
  const { kind: kinds, start: starts, end: ends, match, aux } = buf;
  const scopeOf = scratch.scopeOf;
  scopeOf[b] = scope;
  // The groups open at `t` (innermost last), kept while walking forward: what `enclosing` finds
  // walking back, without a walk per comprehension or lambda (`lambda: lambda: …` stays linear).
  let open = 0;
  let openStack = scratch.openStack;
  scan.lambdaGroup = -2;
  const contexts = scan.contexts;
  // A statement without a string literal gives none a name: the recorder is fed nothing there.
  const record = contexts.begin(a, b);
  for (let t = a; t < b; t++) {
    scopeOf[t] = scope;
    const kind = kinds[t];
    if (kind === OPEN) {
      if (record) contexts.open(t);
      if (open === openStack.length) openStack = scratch.openStack = grow(openStack, open + 1);
      openStack[open++] = t;
      continue;
    }
    if (kind === CLOSE || kind === TPL_TAIL) {
      if (record) contexts.close(t);
      const m = match[t]!;
      if (m >= a) while (open > 0 && openStack[open - 1]! >= m) open--;
      continue;
    }
    if (kind === IDENT) {
      // A name a call may be given whole (`f(T)`, `f(a, T)`, `f(table=T)`): kept for handedIndex.
      const next = kinds[t + 1];
      if (next === OP ? aux[t + 1] === OP_COMMA : next === CLOSE && aux[t + 1] === CH_RPAREN) {
        const before = kinds[t - 1];
        if (before === OPEN ? aux[t - 1] === CH_LPAREN : before === OP && (aux[t - 1] === OP_COMMA || (aux[t - 1] === OP_ASSIGN && kinds[t - 2] === IDENT))) {
          if (scan.handedCount === scratch.handed.length) scratch.handed = grow(scratch.handed, scan.handedCount + 1);
          scratch.handed[scan.handedCount++] = t;
        }
      }
      const len = ends[t]! - starts[t]!;
      if (len === 3 && tokenIs(text, buf, t, 'for')) {
        // Targets are short: a bounded search keeps broken code (`for for for …`) linear.
        let k = t + 1;
        for (let steps = 0; k < b && steps < SEARCH_LIMIT && !tokenIs(text, buf, k, 'in'); steps++) k = skipGroup(buf, k, b);
        if (k >= b || !tokenIs(text, buf, k, 'in')) continue;
        markTargets(scan, t + 1, k);
        if (t === forTok) bindTargets(scan, t + 1, k);
        else {
          // A comprehension: its targets are its own; a generator expression runs later.
          const g = open > 0 ? openStack[open - 1]! : -1;
          if (g < 0) continue;
          const m = buf.match[g]!;
          const close = m >= 0 && m < b ? m : b;
          shadowTargets(scan, t + 1, k, g, close);
          if (buf.aux[g] === CH_LPAREN) defer(scan, g, close);
        }
      } else if (len === 2 && tokenIs(text, buf, t, 'as')) {
        if (buf.kind[t + 1] === IDENT && t + 1 < b && bare(scan, t + 1, t + 1, b)) bind(scan, t + 1);
        // `with f() as x.y[0]:` / `as (a[0], b):` store into the target.
        let k = t + 1;
        while (k < b && (buf.kind[k] === IDENT || isOp(buf, k, OP_DOT) || buf.kind[k] === OPEN)) k = skipGroup(buf, k, b);
        if (k > t + 1) markTargets(scan, t + 1, k);
      } else if (len === 6 && tokenIs(text, buf, t, 'lambda')) {
        if (record) contexts.lambda();
        const g = open > 0 ? openStack[open - 1]! : -1;
        const m = g >= 0 ? match[g]! : -1;
        lambda(scan, t, b, m >= 0 && m < b ? m : b, g);
      }
    } else if (kind === OP) {
      // (A dot, the most frequent operator, tells the recorder nothing.)
      const op = buf.aux[t];
      if (record && op !== OP_DOT) contexts.op(t);
      if (op === OP_WALRUS && t > a && kinds[t - 1] === IDENT) bind(scan, t - 1);
    } else if (record) {
      if (kind === TPL_HEAD) contexts.open(t);
      else if (kind === TPL_MID) contexts.middle(t);
    }
  }
}

/** A lambda at `t` in a statement ending at `b`, inside the group opened at `group` (-1: none) and closed at `close`. */
export function lambda(scan: PythonRefScan, t: number, b: number, close: number, group: number): void {
  const { text, buf } = scan;
  let colon = t + 1;
  for (let steps = 0; colon < b && steps < SEARCH_LIMIT && !isOp(buf, colon, OP_COLON); steps++) colon = skipGroup(buf, colon, b);
  if (colon >= b || !isOp(buf, colon, OP_COLON)) return;
  // The body runs to the first comma, closing bracket or comprehension `for` at its level. A
  // lambda in the body of the previous one, at the same level, ends where that one does: the
  // search from its colon would walk the same tokens (`lambda: lambda: …` stays linear).
  let end: number;
  if (group === scan.lambdaGroup && colon > scan.lambdaColon && colon < scan.lambdaEnd) end = scan.lambdaEnd;
  else {
    end = colon + 1;
    const limit = Math.min(b, close);
    while (end < limit && !isOp(buf, end, OP_COMMA) && buf.kind[end] !== CLOSE && !tokenIs(text, buf, end, 'for')) end = skipGroup(buf, end, limit);
  }
  scan.lambdaGroup = group;
  scan.lambdaColon = colon;
  scan.lambdaEnd = end;
  for (let k = t + 1; k < colon; k = skipGroup(buf, k, colon)) {
    if (buf.kind[k] !== IDENT) continue;
    if (k === t + 1 || isOp(buf, k - 1, OP_COMMA) || isOp(buf, k - 1, OP_STAR) || isOp(buf, k - 1, OP_POW)) shadow(scan, k, t, end - 1);
  }
  defer(scan, colon + 1, end - 1);
}

/** The bare names of a comprehension's target list [a, b) shadow them in [from, to]. */
export function shadowTargets(scan: PythonRefScan, a: number, b: number, from: number, to: number): void {
  const { buf } = scan;
  for (let t = a; t < b; ) {
    if (buf.kind[t] === IDENT && bare(scan, t, a, b)) shadow(scan, t, from, to);
    if (buf.kind[t] === OPEN && t > a && (buf.kind[t - 1] === IDENT || buf.kind[t - 1] === CLOSE)) t = skipGroup(buf, t, b);
    else t++;
  }
}

export function shadow(scan: PythonRefScan, name: number, from: number, to: number): void {
  scratch.shadows = grow(scratch.shadows, scan.shadowCount * 3 + 3);
  scratch.shadows[scan.shadowCount * 3] = name;
  scratch.shadows[scan.shadowCount * 3 + 1] = from;
  scratch.shadows[scan.shadowCount * 3 + 2] = to;
  scan.shadowCount++;
}

export function defer(scan: PythonRefScan, from: number, to: number): void {
  scratch.deferred = grow(scratch.deferred, scan.deferredCount * 2 + 2);
  scratch.deferred[scan.deferredCount * 2] = from;
  scratch.deferred[scan.deferredCount * 2 + 1] = to;
  scan.deferredCount++;
}

/** `case` patterns [a, b): capture names (and `as` names, bound by `generic`) up to a guard. */
export function bindCaptures(scan: PythonRefScan, a: number, b: number): void {
  const { text, buf } = scan;
  let t = a;
  for (; t < b; t++) {
    if (buf.kind[t] !== IDENT) continue;
    if (tokenIs(text, buf, t, 'if') && !isOp(buf, t - 1, OP_DOT)) break;
    if (isOp(buf, t - 1, OP_DOT) || isOp(buf, t + 1, OP_DOT) || isOp(buf, t + 1, OP_ASSIGN) || isOpen(buf, t + 1, CH_LPAREN)) continue;
    if (tokenIs(text, buf, t, 'as') || tokenIs(text, buf, t, '_') || tokenIs(text, buf, t, 'None') || tokenIs(text, buf, t, 'True') || tokenIs(text, buf, t, 'False')) continue;
    if (tokenIs(text, buf, t - 1, 'as')) continue;
    bind(scan, t);
  }
}

/** A name standing alone in a target: not `x.a`, `a.x`, `x[…]` or `x(…)`. */
export function bare(scan: PythonRefScan, t: number, a: number, b: number): boolean {
  const { buf } = scan;
  if (t > a && isOp(buf, t - 1, OP_DOT)) return false;
  if (t + 1 < b && (isOp(buf, t + 1, OP_DOT) || buf.kind[t + 1] === OPEN)) return false;
  return true;
}

/** Binds the bare names of a target list [a, b), looking into tuple / list patterns. */
export function bindTargets(scan: PythonRefScan, a: number, b: number): void {
  const { buf } = scan;
  let t = a;
  while (t < b) {
    const kind = buf.kind[t];
    if (kind === OPEN) {
      const prev = buf.kind[t - 1];
      const subscript = t > a && (prev === IDENT || prev === CLOSE || prev === STRING || prev === TPL_TAIL);
      if (subscript) {
        t = skipGroup(buf, t, b);
        continue;
      }
    } else if (kind === IDENT && bare(scan, t, a, b)) {
      bind(scan, t);
    } else if (kind !== OP && kind !== CLOSE) {
      t = skipGroup(buf, t, b);
      continue;
    }
    t++;
  }
}

/**
 * Marks the last token of each target in the target list [a, b), looking into tuple / list
 * patterns: a subscript ending there is stored into (or deleted), not read.
 */
export function markTargets(scan: PythonRefScan, a: number, b: number): void {
  const { buf } = scan;
  let top = 0;
  let end = b;
  let last = -1;
  let t = a;
  for (;;) {
    if (t >= end) {
      if (last >= 0) scratch.storeEnd[last] = 1;
      last = -1;
      if (top === 0) break;
      t = end + 1;
      end = scratch.markStack[--top]!;
      continue;
    }
    const kind = buf.kind[t];
    if (kind === OP && buf.aux[t] === OP_COMMA) {
      if (last >= 0) scratch.storeEnd[last] = 1;
      last = -1;
      t++;
      continue;
    }
    if (last < 0 && kind === OP && buf.aux[t] === OP_STAR) {
      t++;
      continue;
    }
    if (last < 0 && kind === OPEN && buf.aux[t] !== CH_LBRACE) {
      const m = buf.match[t]!;
      if (m > t && m < end && (m + 1 === end || isOp(buf, m + 1, OP_COMMA))) {
        // A tuple / list pattern: each element is a target of its own.
        scratch.markStack = grow(scratch.markStack, top + 1);
        scratch.markStack[top++] = end;
        end = m;
        t++;
        continue;
      }
    }
    const next = skipGroup(buf, t, end);
    last = next - 1;
    t = next;
  }
}

export function bind(scan: PythonRefScan, t: number): void {
  if (scan.bindingCount === scratch.bindings.length) {
    const grown = new Int32Array(scratch.bindings.length * 2);
    grown.set(scratch.bindings);
    scratch.bindings = grown;
  }
  scratch.bindings[scan.bindingCount++] = t;
}
