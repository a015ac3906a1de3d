// Whether a table (or an object) bound to a name is changed after it is written, for the
// JavaScript / TypeScript name-set resolver: in place (`NAMES.x = …`, `NAMES[k] = …`, `delete`,
// `push`, `Object.assign`), handed to a function that may change it, or through another name it is
// handed on to (`const cfg = CONFIG[conv.env]; cfg.crm = …`). A changed table is unknown.

import { work } from '../evaluate/evaluation';
import { find, usesInScope } from './jsNameSetsExpr';
import { B_PARAM, type JsBinding } from './jsNameSetsIndex';
import { skipGroup } from '../scan/calls';
import type { JsNames } from './jsNameSetsTypes';
import { CH_LBRACE, CH_LBRACKET, CH_LPAREN, CLOSE, IDENT, OP_ASSIGN, OP_AUG, OP_COLON, OP_COMMA, OP_ELLIPSIS, isOp, isOpen, tokenIs } from '../scan/tokens';

/** Methods that change an array or object in place. */
const MUTATORS = new Set(['push', 'pop', 'shift', 'unshift', 'splice', 'sort', 'reverse', 'fill', 'copyWithin', 'set', 'delete', 'clear']);

/** Member steps (`.x`, `[k]`) past a table's name looked at for a change inside it. */
const MEMBER_STEPS = 16;

/**
 * Whether a table bound to `b` is changed in place, or a container inside it: `NAMES.x = …`,
 * `NAMES[k] = …`, `delete T.x`, `NAMES.push(…)`, `CFG.names.push(…)`, `ROWS[0][1] = …`, `Object.assign(T, …)`;
 * or handed to a function that may change it (`mutate(CONFIG)`, `load(CONFIG.live)`): any but one
 * known to read its arguments only (READERS), unless what is handed is an entry written as a string
 * or a number (`track(NAMES.crm)`, `report(Env.Live)`: jsNameSetsTables.ts's pathToValue).
 */
export function mutated(r: JsNames, b: JsBinding, depth = 0): boolean {
  for (const t of usesInScope(r, b)) if (changesAt(r, b, t, depth)) return true;
  return false;
}

/** Whether the use of `b` at token `t` changes it (mutated's rules, for one use). */
export function changesAt(r: JsNames, b: JsBinding, t: number, depth = 0): boolean {
  const { buf } = r.ix;
  const [e, steps] = memberSteps(r, t);
  const changed =
    changedInPlace(r, t, e, steps) ||
    (passed(r, t, e, depth) && !r.valueAt(b, t, e)) ||
    (isOp(buf, t - 1, OP_ASSIGN) && aliasChanged(r, t - 2, depth));
  return changed && find(r, b.name, t) === b;
}

/** The end of the member steps after token `t` (`.k`, `[k]`, up to a method call or anything else), and how many there are. */
function memberSteps(r: JsNames, t: number): [number, number] {
  const { ix } = r;
  const { buf } = ix;
  let e = t + 1;
  let steps = 0;
  for (; steps < MEMBER_STEPS; steps++) {
    if (ix.isDot(e) && buf.kind[e + 1] === IDENT && !isOpen(buf, e + 2, CH_LPAREN)) e += 2;
    else if (isOpen(buf, e, CH_LBRACKET) && buf.match[e]! > 0) e = buf.match[e]! + 1;
    else break;
  }
  return [e, steps];
}

/**
 * Whether the expression starting at `start` whose member steps end at `e` changes what it holds in
 * place: a step assigned or deleted, a mutating method called on it, `Object.assign(it, …)`.
 */
function changedInPlace(r: JsNames, start: number, e: number, steps: number): boolean {
  const { ix } = r;
  const { buf, text } = ix;
  return (
    (steps > 0 && (isOp(buf, e, OP_ASSIGN) || isOp(buf, e, OP_AUG) || tokenIs(text, buf, start - 1, 'delete'))) ||
    (ix.isDot(e) && MUTATORS.has(ix.word(e + 1)) && isOpen(buf, e + 2, CH_LPAREN)) ||
    (isOpen(buf, start - 1, CH_LPAREN) && tokenIs(text, buf, start - 2, 'assign') && ix.isDot(start - 3) && tokenIs(text, buf, start - 4, 'Object'))
  );
}

/**
 * Whether a table a field holds is changed in place through any object (`this.NAMES.live = x`,
 * `this.NAMES[k] = x`, `delete obj.NAMES.k`, `this.NAMES.push(…)`, `Object.assign(this.NAMES, …)`,
 * an alias of it changed): every `.name` of the file, by changesAt's rules but for a call it is
 * handed to (a read passes it to `get_secret`).
 */
export function propertyChanged(r: JsNames, name: string): boolean {
  let memo = propertyChanges.get(r);
  if (!memo) propertyChanges.set(r, (memo = new Map()));
  let known = memo.get(name);
  if (known === undefined) memo.set(name, (known = changedProperty(r, name)));
  return known;
}

/** propertyChanged's answers, by document and name. */
const propertyChanges = new WeakMap<JsNames, Map<string, boolean>>();

function changedProperty(r: JsNames, name: string): boolean {
  const { ix } = r;
  const { buf, text } = ix;
  // One pass over the tokens (a property is in no name's occurrences), charged to the read that asks.
  work.n += ix.count >> 4;
  for (let t = 2; t < ix.count; t++) {
    if (buf.kind[t] !== IDENT || !ix.isDot(t - 1) || !tokenIs(text, buf, t, name)) continue;
    // The object's token (`this`, `Crm`) starts the expression.
    const owner = t - 2;
    const [e, steps] = memberSteps(r, t);
    if (changedInPlace(r, owner, e, steps) || (steps === 0 && isOp(buf, owner - 1, OP_ASSIGN) && aliasChanged(r, owner - 2, 0))) return true;
  }
  return false;
}

/**
 * Whether the target of `= T…` whose last token is `k` changes what it is given: a name (`const cfg
 * = CONFIG[conv.env]`, `x = CONFIG`) or the names of a pattern (`const { live } = CONFIG`) changed in
 * place, or a place of another object (`holder.config = CONFIG`), which anything may change.
 */
function aliasChanged(r: JsNames, k: number, depth: number): boolean {
  const { ix } = r;
  const { buf } = ix;
  if (depth >= MAX_ALIASES) return true;
  if (buf.kind[k] === IDENT) {
    if (ix.isDot(k - 1)) return true;
    const alias = find(r, ix.word(k), k);
    return alias !== null && mutated(r, alias, depth + 1);
  }
  if (buf.kind[k] !== CLOSE) return false;
  const open = buf.match[k]!;
  if (open < 0) return true;
  if (!isOpen(buf, open, CH_LBRACE) && !isOpen(buf, open, CH_LBRACKET)) return false;
  // The element of an object or array (`rows[0] = T`), or a pattern's names (`{ live, sandbox: sb }`, `[a, b]`).
  const declared = /^(const|let|var)$/.test(ix.word(open - 1));
  if (isOpen(buf, open, CH_LBRACKET) && !declared && (buf.kind[open - 1] === IDENT || buf.kind[open - 1] === CLOSE)) return true;
  for (let j = open + 1; j < k; j++) {
    if (buf.kind[j] !== IDENT || isOp(buf, j + 1, OP_COLON)) continue;
    const alias = find(r, ix.word(j), j);
    if (alias !== null && alias.tok === j && mutated(r, alias, depth + 1)) return true;
  }
  return false;
}

/** How many names a table may be handed through (`const a = T; const b = a;`) before it is taken to be changed. */
const MAX_ALIASES = 4;

/** Functions known to read their arguments only (a secret read, a log, a conversion, `Object.keys`…): handing them a table changes nothing. */
const READERS = new Set(['get_secret', 'secret_vault', 'getSecret', 'log', 'info', 'warn', 'error', 'debug', 'String', 'Number', 'Boolean', 'stringify', 'keys', 'values', 'entries', 'freeze', 'isFrozen', 'isArray', 'includes', 'has', 'get', 'hasOwn', 'hasOwnProperty']);

/** Words before `(` that open no call. */
const NO_CALL = new Set(['if', 'while', 'for', 'switch', 'catch', 'with', 'return', 'typeof', 'await', 'void', 'in', 'of', 'case', 'delete', 'throw', 'yield', 'function']);

/**
 * Whether [t, e) (a name and its member steps) is a whole argument of a call that may change it: any
 * but a READERS' one (Object.assign's sources aside) or a function or method of the file that
 * changes not the parameter it is given as (handedTo).
 */
function passed(r: JsNames, t: number, e: number, depth: number): boolean {
  const { ix } = r;
  const { buf } = ix;
  const open = ix.parent[t]!;
  if (open < 1 || !isOpen(buf, open, CH_LPAREN) || !(isOp(buf, t - 1, OP_COMMA) || t - 1 === open)) return false;
  if (!(isOp(buf, e, OP_COMMA) || e === buf.match[open])) return false;
  const callee = open - 1;
  if (buf.kind[callee] === IDENT) {
    const word = ix.word(callee);
    if (NO_CALL.has(word) && !ix.isDot(callee - 1)) return false;
    if (READERS.has(word)) return false;
    if (word === 'assign' && t - 1 !== open) return false;
    // A function's own parameter list (`function f(T)`, `f(T) {`): no call.
    if (tokenIs(ix.text, buf, callee - 1, 'function') || isOpen(buf, buf.match[open]! + 1, CH_LBRACE)) return false;
    return handedTo(r, callee, open, t, depth);
  }
  return buf.kind[callee] === CLOSE;
}

/**
 * Whether the function called at `callee` (the call's `(` at `open`) may change its argument at `t`:
 * yes unless it is a function or method of the file whose parameter there is changed nowhere in it (mutated's
 * rules: in place, handed on), the parameter not a pattern nor a rest; a recursion adds nothing.
 */
function handedTo(r: JsNames, callee: number, open: number, t: number, depth: number): boolean {
  // `f(T)`, or a method: `this.m(T)` (the class's own, no subclass declaring it again), `Keys.m(T)`.
  const fn = r.ix.isDot(callee - 1) ? (r.ix.buf.kind[callee - 2] === IDENT && !r.ix.isDot(callee - 3) ? r.methodOf(callee - 2, callee) : null) : find(r, r.ix.word(callee), callee)?.fn;
  if (!fn || depth >= MAX_ALIASES) return true;
  const { buf } = r.ix;
  let position = 0;
  for (let k = open + 1; k < t; k = skipGroup(buf, k, t)) {
    if (isOp(buf, k, OP_ELLIPSIS)) return true; // after a spread: which parameter takes it is not known
    if (isOp(buf, k, OP_COMMA)) position++;
  }
  const param = fn.params.find((p) => p.index === position);
  // An options parameter (`{ secretName = 'x' } = {}`) takes values out of the object: it changes
  // the object only through a name it takes that is changed in turn (a rest or a nested pattern: unknown).
  const pattern = param === undefined ? fn.patterns?.find((p) => p.index === position) : undefined;
  if (pattern !== undefined) return !pattern.plain || pattern.parts.some((b) => changedIn(r, b, depth));
  if (param === undefined || param.kind !== B_PARAM || isOp(buf, param.tok - 1, OP_ELLIPSIS)) return true;
  return changedIn(r, param, depth);
}

/** Whether the parameter (or an options parameter's name) `b` is changed in its function (mutated's rules); one being asked about already adds nothing. */
function changedIn(r: JsNames, b: JsBinding, depth: number): boolean {
  if (handing.has(b)) return false;
  handing.add(b);
  try {
    return mutated(r, b, depth + 1);
  } finally {
    handing.delete(b);
  }
}

/** The parameters handedTo is asking about (a function that hands its parameter back to itself changes nothing more). */
const handing = new Set<JsBinding>();
