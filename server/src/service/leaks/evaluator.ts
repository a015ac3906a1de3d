// The evaluator: what an expression may carry (Taint), reading its tokens once, left to right,
// while doing what evaluating it does here: a call's arguments are evaluated in order and then
// handed to calls.ts (which reports a sink's), `:=` binds, a comprehension binds its targets
// (targets.ts), lambdas / arrow functions / methods are queued (functions.ts). Operands joined by
// arithmetic operators carry what any of them carries; a comparison, `not` / `!`, a sanitiser
// call, or a call that is neither a sink nor a known propagator carries nothing. In a conditional
// expression the condition is not the value. Nesting deeper than MAX_DEPTH is not followed.

import {
  CH_LBRACE,
  CH_LBRACKET,
  CH_LPAREN,
  CLOSE,
  IDENT,
  LINE,
  NUMBER,
  OP,
  OPEN,
  OP_ARROW,
  OP_ASSIGN,
  OP_AUG,
  OP_CMP,
  OP_COLON,
  OP_COMMA,
  OP_DOT,
  OP_ELLIPSIS,
  OP_OPTDOT,
  OP_SEMI,
  OP_STAR,
  OP_WALRUS,
  STRING,
  S_TEMPLATE,
  TPL_HEAD,
  TPL_MID,
  TPL_TAIL,
  isOp,
  isOpen,
} from '../scan/tokens';
import { literalOf } from '../scan/literals';
import type { Instance } from './callables';
import { call, splitArgs, type Argument, type CallWhere } from './calls';
import { ELEMENT_CALLBACKS, follow, resolve, type Target } from './follow';
import { isReference, referenceAt, source } from './documentIndex';
import { fieldRead } from './fields';
import { arrowAt, functionAfterName, functionValue, lambda } from './functions';
import { closeOf, dottedPath, elementEnd, findFor, findWord, hasTopLevelComma, isIncDec, isLogical, isWord, keyName, keyValue, mayBeKeyword, skip, step, word } from './reader';
import { isComparisonWord, isNegationWord, isSanitiserProperty } from './sinks';
import { ExprState, MAX_DEPTH, type FlowState } from './state';
import { Env, extend, readKey, union, type Taint } from './taint';
import { bindTarget, ITERATE, pairElements } from './targets';

const PY_CONSTANTS = new Set(['None', 'True', 'False', 'NotImplemented', 'Ellipsis']);
const JS_CONSTANTS = new Set(['null', 'undefined', 'true', 'false', 'NaN', 'Infinity']);

/** What the expression [from, to) may carry, doing what evaluating it does. */
export function evalExpr(flow: FlowState, from: number, to: number): Taint {
  flow.commas = 0;
  flow.colons = 0;
  if (from >= to || flow.depth >= MAX_DEPTH) return null;
  flow.depth++;
  const v = expr(flow, from, to);
  flow.depth--;
  return v;
}

/** The value of [from, to), which a function there is named after (`show = lambda: …`). */
export function evalValue(flow: FlowState, from: number, to: number, name: string | null): Taint {
  const saved = flow.hint;
  flow.hint = name !== null ? { tok: from, name } : null;
  const v = evalExpr(flow, from, to);
  flow.hint = saved;
  return v;
}

/** A tuple / list value [from, to) element by element (for `a, b = x, y`). */
export function evalElements(flow: FlowState, from: number, to: number): { taint: Taint; elements: Taint[] | null } {
  const { buf } = flow;
  let a = from;
  let b = to;
  const wrap = buf.kind[from] === OPEN && buf.aux[from] !== CH_LBRACE && closeOf(flow, from, to) === to - 1 ? from : -1;
  if (wrap >= 0) {
    a++;
    b--;
  }
  if (!hasTopLevelComma(flow, a, b) || findFor(flow, a, b) >= 0) return { taint: evalExpr(flow, from, to), elements: null };
  const elements: Taint[] = [];
  let taint: Taint = null;
  while (a < b) {
    const k = elementEnd(flow, a, b);
    if (k > a) {
      const v = evalExpr(flow, a, k);
      elements.push(v);
      taint = union(taint, v);
    }
    a = k + 1;
  }
  if (wrap >= 0 && taint !== null) {
    const message = buf.aux[wrap] === CH_LPAREN ? 'put in a tuple' : flow.python ? 'put in a list' : 'put in an array';
    taint = extend(taint, step(flow, wrap, to - 1, message));
  }
  return { taint, elements };
}

function expr(flow: FlowState, a: number, b: number): Taint {
  const { buf, python } = flow;
  const st = (flow.states[flow.depth] ??= new ExprState());
  st.reset();
  let expect = true;
  let commas = 0;
  let colons = 0;
  let t = a;
  while (t < b) {
    const kind = buf.kind[t];
    if (expect) {
      if (!isReference(flow, t)) {
        if (kind === IDENT && mayBeKeyword(flow, t)) {
          const w = word(flow, t);
          if (isNegationWord(w, python)) {
            st.clean = true;
            t++;
            continue;
          }
          if (w === 'await' || w === 'yield' || (python && w === 'from' && isWord(flow, t - 1, 'yield'))) {
            t++;
            continue;
          }
          if (python && w === 'lambda') {
            t = lambda(flow, t, b);
            expect = false;
            continue;
          }
        }
        if (kind === IDENT && (python ? isOp(buf, t + 1, OP_WALRUS) : isOp(buf, t + 1, OP_ASSIGN))) {
          // `(n := value)`; JavaScript's `(x = value)`: binds, and is the value.
          const w = word(flow, t);
          const end = elementEnd(flow, t + 2, b);
          const v = evalValue(flow, t + 2, end, w);
          flow.env.assign(w, v === null ? null : extend(v, step(flow, t, t, `assigned to ${w}`), true), flow.block);
          st.add(v, t, end - 1);
          t = end;
          expect = false;
          continue;
        } else if (kind === OP) {
          const op = buf.aux[t];
          if (op === OP_COMMA) {
            endElement(flow, st);
            commas++;
          } else if (op === OP_COLON) {
            colons++;
            endAlternative(flow, st);
          } else if (!python && op === 33) st.clean = true; // !x
          // Anything else here is a prefix (`-x`, `*args`, `...rest`, `++i`) or stray.
          t++;
          continue;
        } else if (kind === CLOSE || kind === TPL_MID || kind === TPL_TAIL || kind === LINE) {
          t++;
          continue;
        }
      }
      const v = operand(flow, t, b);
      st.add(v, t, flow.pos - 1);
      t = flow.pos;
      expect = false;
      continue;
    }
    // After an operand: an operator, or the next element.
    if (kind === OP) {
      const op = buf.aux[t]!;
      if (op === OP_COMMA) {
        endElement(flow, st);
        commas++;
        expect = true;
      } else if (op === OP_CMP || ((op === 60 || op === 62) && buf.end[t]! - buf.start[t]! === 1)) {
        st.clean = true;
        expect = true;
      } else if (op === OP_COLON) {
        colons++;
        endAlternative(flow, st);
        expect = true;
      } else if (!python && op === 63) {
        if (isOp(buf, t + 1, 63) && buf.start[t + 1] === buf.end[t]) {
          endOperand(flow, st); // ??
          t++;
        } else st.discard(); // `cond ? a : b`: what came before is the condition
        expect = true;
      } else if (op === OP_ASSIGN || op === OP_AUG || op === OP_WALRUS) {
        st.discard(); // `a.b = value` inside an expression: the value is what follows
        expect = true;
      } else if (!python && (op === 33 || isIncDec(flow, t))) {
        // `x!` (TypeScript), `i++`: still after an operand
      } else if (isLogical(flow, t)) {
        endOperand(flow, st);
        expect = true;
      } else if (op === OP_SEMI) {
        endElement(flow, st);
        expect = true;
      } else if (op === OP_ARROW) {
        t = elementEnd(flow, t + 1, b); // an arrow function we did not recognise: not a value here
        continue;
      } else {
        if (op === 37) st.percent = true;
        else if (op === 43) st.plus = true;
        if (st.runOp < 0) st.runOp = t;
        expect = true;
      }
      t++;
      continue;
    }
    if (kind === IDENT) {
      const w = word(flow, t);
      if (python && (w === 'and' || w === 'or')) {
        endOperand(flow, st);
        expect = true;
        t++;
        continue;
      }
      if (python && w === 'if') {
        // `value if condition else other`
        endAlternative(flow, st);
        const e = findWord(flow, t + 1, b, 'else');
        evalExpr(flow, t + 1, e);
        t = e < b ? e + 1 : b;
        expect = true;
        continue;
      }
      if (python && w === 'not') {
        st.clean = true; // `not in`
        t++;
        continue;
      }
      if (isComparisonWord(w, python)) {
        st.clean = true;
        expect = true;
        t++;
        continue;
      }
      if (!python && (w === 'as' || w === 'satisfies')) {
        t = typeEnd(flow, t + 1, b);
        continue;
      }
      if (python && (w === 'for' || w === 'async')) {
        t = b; // a comprehension the caller did not see: not followed
        continue;
      }
    }
    // Another operand right after one: implicit string concatenation, JSX children, broken code.
    expect = true;
  }
  endElement(flow, st);
  flow.commas = commas;
  flow.colons = colons;
  return st.tuple;
}

function endOperand(flow: FlowState, st: ExprState): void {
  if (st.run !== null && !st.clean) {
    let r: Taint = st.run;
    if (st.runOp >= 0) {
      const message = st.percent ? 'formatted with %' : st.plus ? 'concatenated with +' : `combined with ${word(flow, st.runOp)}`;
      r = extend(r, step(flow, st.runStart, st.runEnd, message));
    }
    st.bools = union(st.bools, r);
  }
  st.discardRun();
}

function endAlternative(flow: FlowState, st: ExprState): void {
  endOperand(flow, st);
  st.alts = union(st.alts, st.bools);
  st.bools = null;
}

function endElement(flow: FlowState, st: ExprState): void {
  endAlternative(flow, st);
  st.tuple = union(st.tuple, st.alts);
  st.alts = null;
}

/** TypeScript: the end of the type after `as` / `satisfies`. */
function typeEnd(flow: FlowState, k: number, b: number): number {
  const { buf } = flow;
  while (k < b) {
    const kind = buf.kind[k];
    if (kind === IDENT || kind === STRING || kind === NUMBER || kind === OPEN) {
      k = skip(flow, k, b);
      continue;
    }
    if (kind === OP) {
      const op = buf.aux[k];
      if (op === OP_DOT || op === 124 || op === 38 || op === 60 || op === 62 || op === OP_ARROW) {
        k++;
        continue;
      }
    }
    break;
  }
  return k;
}

/** One operand: a primary (name, reference, literal, group, function) and what follows it (`.x`, `(…)`, `[…]`). */
function operand(flow: FlowState, t0: number, b: number): Taint {
  const { buf, python } = flow;
  let t = t0;
  let taint: Taint = null;
  /** The chain's dotted path while it is names only (`self.logger`). */
  let path: string | null = null;
  /** The chain as written, for messages (`logging.getLogger(…)`). */
  let shown: string | null = null;
  let isLogger = false;
  /** What a constructor of the document just made (`C(token).show()`, `new C(token).t`). */
  let instance: Instance | null = null;
  if (isReference(flow, t)) {
    const k = referenceAt(flow, t);
    const last = flow.refLasts[k]!;
    taint = source(flow, k);
    t = last + 1 <= b ? last + 1 : b;
  } else {
    const kind = buf.kind[t];
    if (kind === IDENT) {
      const w = word(flow, t);
      if (!python) {
        const end = functionValue(flow, t, b);
        if (end >= 0) {
          flow.pos = end;
          return null;
        }
      }
      if (!python && w === 'new') {
        let k = t + 1;
        while (buf.kind[k] === IDENT && k < b) {
          k++;
          if (!isOp(buf, k, OP_DOT)) break;
          k++;
        }
        const callee = dottedPath(flow, t + 1, k);
        if (callee !== null && isOpen(buf, k, CH_LPAREN) && k < b) {
          const name = callee.slice(callee.lastIndexOf('.') + 1);
          taint = callAt(flow, t, k, b, { path: callee, name, method: false, receiver: null }, null, callee);
          t = flow.pos;
          instance = made(flow);
          shown = `new ${callee}(…)`;
        } else t = Math.max(k, t + 1);
      } else if (python ? PY_CONSTANTS.has(w) : JS_CONSTANTS.has(w)) t++;
      else {
        path = w;
        shown = w;
        taint = flow.env.lookup(w, flow.block) ?? null;
        t++;
      }
    } else if (kind === TPL_HEAD) {
      taint = template(flow, t, b);
      t = flow.pos;
    } else if (kind === OPEN) {
      if (!python && buf.aux[t] === CH_LPAREN) {
        const end = arrowAt(flow, t, t, b);
        if (end >= 0) {
          flow.pos = end;
          return null;
        }
      }
      taint = group(flow, t, b);
      t = flow.pos;
    } else {
      t++;
      if (python) while (t < b && buf.kind[t] === STRING) t++; // 'a' 'b'
    }
  }
  while (t < b) {
    const kind = buf.kind[t];
    if (kind === OP) {
      const op = buf.aux[t];
      if (op === OP_DOT || (!python && op === OP_OPTDOT)) {
        const n = t + 1;
        if (!python && buf.kind[n] === OPEN) {
          t = n; // a?.(x), a?.[k]
          continue;
        }
        if (n >= b || buf.kind[n] !== IDENT) {
          t = n;
          break;
        }
        const name = word(flow, n);
        let open = n + 1;
        if (!python && isOp(buf, open, OP_OPTDOT) && isOpen(buf, open + 1, CH_LPAREN)) open++;
        const full = path !== null ? `${path}.${name}` : null;
        if (open < b && isOpen(buf, open, CH_LPAREN)) {
          const site = { path: full, name, method: true, receiver: path, receiverIsLogger: isLogger, instance };
          taint = callAt(flow, t0, open, b, site, taint, shown !== null ? `${shown}.${name}` : name);
          isLogger = flow.lastCallMadeLogger;
          shown = shown !== null ? `${shown}.${name}(…)` : null;
          path = null;
          t = flow.pos;
          instance = made(flow);
          continue;
        }
        if (instance !== null) {
          const attr = instance.attrs.get(name) ?? null;
          taint = attr === null ? null : extend(attr, step(flow, t0, n, `read attribute '${name}'`));
          instance = null;
        } else if (isSanitiserProperty(name, python)) taint = null;
        else {
          const bound = full !== null ? flow.env.lookup(full, flow.block) : undefined;
          if (bound !== undefined) taint = bound;
          // JavaScript: a property of an object is its key (`creds.API_KEY`).
          else if (taint !== null) taint = python ? extend(taint, step(flow, t0, n, `read attribute '${name}'`)) : readKey(taint, name, step(flow, t0, n, `read attribute '${name}'`));
        }
        path = full;
        shown = shown !== null ? `${shown}.${name}` : null;
        isLogger = false;
        t = n + 1;
        continue;
      }
      if (!python && op === 33 && !isOp(buf, t + 1, OP_ASSIGN)) {
        t++; // TypeScript's `x!`
        continue;
      }
      break;
    }
    if (kind === OPEN) {
      const ch = buf.aux[t];
      if (ch === CH_LPAREN) {
        const name = path !== null ? path.slice(path.lastIndexOf('.') + 1) : null;
        taint = callAt(flow, t0, t, b, { path, name, method: false, receiver: null }, null, shown ?? 'a call');
        isLogger = flow.lastCallMadeLogger;
        shown = shown !== null ? `${shown}(…)` : null;
        path = null;
        t = flow.pos;
        instance = made(flow);
        continue;
      }
      if (ch === CH_LBRACKET) {
        instance = null;
        taint = subscript(flow, t0, t, b, taint, path);
        shown = shown !== null ? `${shown}[…]` : null;
        path = null;
        isLogger = false;
        t = flow.pos;
        continue;
      }
      break;
    }
    if (!python && (kind === TPL_HEAD || (kind === STRING && (buf.aux[t]! & S_TEMPLATE) !== 0))) {
      // A tagged template: the tag's result is not the text.
      if (kind === TPL_HEAD) template(flow, t, b);
      else flow.pos = t + 1;
      taint = null;
      path = null;
      shown = null;
      t = flow.pos;
      continue;
    }
    break;
  }
  flow.pos = t;
  return taint;
}

/** The instance the call just evaluated made, when it was a constructor of the document (follow.ts). */
function made(flow: FlowState): Instance | null {
  const last = flow.lastInstance;
  return last !== null && last.end === flow.pos ? last.instance : null;
}

/**
 * A call with `(` at `open`, the expression starting at `start`: its arguments evaluated in order,
 * then what the call does with them (calls.ts); `receiver` is what the receiver of a method carries.
 */
function callAt(flow: FlowState, start: number, open: number, b: number, where: CallWhere, receiver: Taint, shown: string): Taint {
  const close = closeOf(flow, open, b);
  const end = close < b ? close + 1 : b;
  const args = splitArgs(flow, open + 1, close);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    arg.taint = evalArg(flow, arg);
  }
  const out = call(flow, start, open, end, args, where, receiver, shown);
  const mapped = mappedBy(flow, where, args, receiver);
  // A callback followed as a call says its own step ("returned from the callback of map()").
  const back = mapped === null ? calledBack(flow, start, end, where, args, receiver) : null;
  flow.pos = end;
  if (mapped !== null) return union(out, extend(mapped, step(flow, start, end - 1, `returned by the callback of ${where.name ?? 'map'}()`)));
  return back === null ? out : union(out, back);
}

/**
 * A callback that mappedBy does not read, followed as a call of it with each element: a function
 * with a block body (`xs.map((n) => { return get_secret(n); })`, `xs.forEach(function (k) { … })`)
 * or a function of the document passed by name (`xs.map(readKey)`, Python's `map(read, xs)`). What
 * it shows is reported there (follow.ts); for `map` and `flatMap`, what it returns is the result.
 */
function calledBack(flow: FlowState, start: number, end: number, where: CallWhere, args: readonly Argument[], receiver: Taint): Taint {
  const { buf, python } = flow;
  const element = python ? !where.method && where.path === 'map' && args.length >= 2 : where.method && where.name !== null && ELEMENT_CALLBACKS.has(where.name) && args.length >= 1;
  if (!element || flow.depth >= MAX_DEPTH) return null;
  const fn = args[0]!;
  if (fn.keyword !== null) return null;
  let target: Target | null = null;
  let shown = `the callback of ${where.name}()`;
  if (fn.to === fn.from + 1 && buf.kind[fn.from] === IDENT) {
    shown = word(flow, fn.from);
    target = resolve(flow, { path: shown, name: shown, method: false, receiver: null });
  } else {
    // The function value the argument itself is (not one inside it): deferred while it was evaluated.
    const d = flow.lastDeferred;
    if (d !== null && d.cls === null && d.paramsFrom >= fn.from && d.paramsFrom - fn.from <= 3 && (d.to === fn.to || d.to + 1 === fn.to)) target = { def: d, shift: 0, attrs: null, makes: null };
  }
  if (target === null) return null;
  const elements = python ? args[1]!.taint : receiver;
  const given: Argument = { from: python ? args[1]!.from : start, to: python ? args[1]!.to : start + 1, keyword: null, taint: elements };
  const v = follow(flow, target, [given], start, end, shown);
  return where.name === 'map' || where.name === 'flatMap' ? v : null;
}

/**
 * What a mapping call's result carries from its callback: `xs.map((n) => get_secret(n))`,
 * `.flatMap(…)`, Python's `map(lambda n: get_secret(n), xs)`, when the callback is an arrow function
 * or a lambda whose body is an expression. Its parameters take the elements of what it maps (the
 * receiver, or `map`'s second argument), as a comprehension's target does; the result is what the
 * body carries. A block body, or a function passed by name, is not read here (null).
 */
function mappedBy(flow: FlowState, where: CallWhere, args: readonly Argument[], receiver: Taint): Taint {
  const { buf, python } = flow;
  const mapping = python ? !where.method && where.path === 'map' && args.length >= 2 : where.method && (where.name === 'map' || where.name === 'flatMap') && args.length >= 1;
  if (!mapping || flow.depth >= MAX_DEPTH) return null;
  const fn = args[0]!;
  let paramsFrom = fn.from;
  let paramsTo: number;
  let body: number;
  if (python) {
    if (fn.keyword !== null || !isWord(flow, fn.from, 'lambda')) return null;
    paramsFrom = fn.from + 1;
    paramsTo = paramsFrom;
    while (paramsTo < fn.to && !isOp(buf, paramsTo, OP_COLON)) paramsTo = skip(flow, paramsTo, fn.to);
    body = paramsTo + 1;
  } else {
    if (isWord(flow, paramsFrom, 'async')) paramsFrom++;
    paramsTo = buf.kind[paramsFrom] === IDENT ? paramsFrom + 1 : isOpen(buf, paramsFrom, CH_LPAREN) ? closeOf(flow, paramsFrom, fn.to) + 1 : fn.to;
    if (!isOp(buf, paramsTo, OP_ARROW) || isOpen(buf, paramsTo + 1, CH_LBRACE)) return null;
    body = paramsTo + 1;
  }
  if (body >= fn.to) return null;
  const elements = python ? (args[1]!.taint ?? null) : receiver;
  const saved = flow.env;
  flow.env = new Env(saved, flow.blocks, flow.block, true);
  bindTarget(flow, paramsFrom, paramsTo, elements, null, ITERATE);
  const v = evalExpr(flow, body, fn.to);
  flow.env = saved;
  return v;
}

/** An argument's value; Python's unbracketed generator (`f(x for x in y)`) included. */
export function evalArg(flow: FlowState, arg: Argument): Taint {
  const f = findFor(flow, arg.from, arg.to);
  return f >= 0 ? comprehension(flow, arg.from, f, arg.to) : evalExpr(flow, arg.from, arg.to);
}

/** `x[…]` with `[` at `open`, the expression starting at `start`. */
function subscript(flow: FlowState, start: number, open: number, b: number, receiver: Taint, path: string | null): Taint {
  const close = closeOf(flow, open, b);
  const end = close < b ? close + 1 : b;
  const key = keyName(flow, open + 1, close);
  evalExpr(flow, open + 1, close);
  const slice = flow.python && flow.colons > 0;
  flow.pos = end;
  if (receiver === null) return null;
  const field = fieldRead(flow, path, key);
  if (field === null) return null;
  const message = step(flow, start, end - 1, key !== null ? `read key ${key}` : slice ? 'sliced' : 'read an element');
  // A key the code stored itself holds what was stored there; otherwise it is a key of the value.
  return field !== undefined ? extend(field, message) : readKey(receiver, slice ? null : keyValue(flow, open + 1, close), message);
}

/** An f-string / template literal with placeholders, head at `h`. */
function template(flow: FlowState, h: number, b: number): Taint {
  const { buf } = flow;
  const tail = closeOf(flow, h, b);
  let taint: Taint = null;
  let from = h + 1;
  for (let k = from; k < tail; ) {
    if (buf.kind[k] === TPL_MID) {
      taint = union(taint, placeholder(flow, from, k));
      from = k + 1;
      k++;
      continue;
    }
    k = skip(flow, k, tail);
  }
  taint = union(taint, placeholder(flow, from, tail));
  if (taint === null) {
    flow.pos = tail < b ? tail + 1 : b;
    return null;
  }
  const last = tail < b ? tail : b - 1;
  flow.pos = tail < b ? tail + 1 : b;
  return extend(taint, step(flow, h, last, flow.python ? 'formatted into an f-string' : 'formatted into a template literal'));
}

function placeholder(flow: FlowState, from: number, to: number): Taint {
  // Python's self-documenting `{x=}` shows the expression and its value.
  if (flow.python && to > from && isOp(flow.buf, to - 1, OP_ASSIGN)) to--;
  return evalExpr(flow, from, to);
}

/** `(…)`, `[…]`, `{…}` as an operand. */
function group(flow: FlowState, t: number, b: number): Taint {
  const { buf, python } = flow;
  const ch = buf.aux[t];
  const close = closeOf(flow, t, b);
  const end = close < b ? close + 1 : b;
  let v: Taint;
  let message: string | null;
  const f = python ? findFor(flow, t + 1, close) : -1;
  if (f >= 0) {
    v = comprehension(flow, t + 1, f, close);
    message = ch === CH_LPAREN ? 'put in a generator' : ch === CH_LBRACKET ? 'put in a list' : flow.colons > 0 ? 'put in a dict' : 'put in a set';
  } else if (!python && ch === CH_LBRACE) {
    v = objectLiteral(flow, t + 1, close);
    message = 'put in an object';
  } else {
    v = evalExpr(flow, t + 1, close);
    if (ch === CH_LPAREN) message = flow.commas > 0 ? 'put in a tuple' : null;
    else if (ch === CH_LBRACKET) message = python ? 'put in a list' : 'put in an array';
    else message = flow.colons > 0 || close === t + 1 ? 'put in a dict' : 'put in a set';
  }
  if (message !== null && v !== null) v = extend(v, step(flow, t, end - 1, message));
  flow.pos = end;
  return v;
}

/** Python: `element for targets in iterable if condition …` in [from, to), `for` at `forToken`. */
export function comprehension(flow: FlowState, from: number, forToken: number, to: number): Taint {
  const saved = flow.env;
  flow.env = new Env(saved, flow.blocks, flow.block, true);
  let k = forToken;
  while (k < to) {
    if (isWord(flow, k, 'for')) {
      const inTok = findWord(flow, k + 1, to, 'in');
      let e = inTok + 1;
      while (e < to && !isWord(flow, e, 'for') && !isWord(flow, e, 'if') && !isWord(flow, e, 'async')) e = skip(flow, e, to);
      const v = inTok < to ? evalExpr(flow, inTok + 1, e) : null;
      bindTarget(flow, k + 1, inTok, v, inTok < to ? pairElements(flow, inTok + 1, e, v) : null, ITERATE);
      k = e;
    } else if (isWord(flow, k, 'if')) {
      let e = k + 1;
      while (e < to && !isWord(flow, e, 'for') && !isWord(flow, e, 'if') && !isWord(flow, e, 'async')) e = skip(flow, e, to);
      evalExpr(flow, k + 1, e);
      k = e;
    } else k++;
  }
  const v = evalExpr(flow, from, forToken);
  const colons = flow.colons;
  flow.env = saved;
  flow.colons = colons;
  return v;
}

/** JavaScript: an object literal's members in [from, to). */
function objectLiteral(flow: FlowState, from: number, to: number): Taint {
  const { buf } = flow;
  let out: Taint = null;
  let a = from;
  while (a < to) {
    const k = elementEnd(flow, a, to);
    if (k > a) {
      if (isOp(buf, a, OP_ELLIPSIS)) out = union(out, evalExpr(flow, a + 1, k));
      else out = union(out, objectMember(flow, a, k));
    }
    a = k + 1;
  }
  return out;
}

function objectMember(flow: FlowState, a: number, k: number): Taint {
  const { buf } = flow;
  let n = a;
  // `async name(…) {…}`, `get name() {…}`, `*gen() {…}`
  while (n + 1 < k && buf.kind[n] === IDENT && (isWord(flow, n, 'async') || isWord(flow, n, 'get') || isWord(flow, n, 'set')) && (buf.kind[n + 1] === IDENT || buf.kind[n + 1] === STRING || isOpen(buf, n + 1, CH_LBRACKET) || isOp(buf, n + 1, OP_STAR))) n++;
  if (isOp(buf, n, OP_STAR)) n++;
  let name: string | null = null;
  let after = n + 1;
  if (buf.kind[n] === IDENT) name = word(flow, n);
  else if (buf.kind[n] === STRING) name = literalOf(flow.text, buf, n, n + 1, false).value;
  else if (isOpen(buf, n, CH_LBRACKET)) {
    const c = closeOf(flow, n, k);
    evalExpr(flow, n + 1, c);
    after = c + 1;
  }
  if (after < k && isOpen(buf, after, CH_LPAREN)) {
    functionAfterName(flow, name, after, k);
    return null;
  }
  if (isOp(buf, after, OP_COLON)) return evalValue(flow, after + 1, k, name);
  if (after >= k && name !== null && buf.kind[n] === IDENT) return flow.env.lookup(name, flow.block) ?? null; // shorthand `{token}`
  return null;
}
