// Calls into the document's own functions: a value passed to a function, method, lambda, arrow
// function or constructor defined in the document is followed into it. Each function is summarised
// once (once per set of its receiver's tainted attributes): it is walked with a placeholder in
// each input (every parameter, each attribute), and the summary keeps the sinks the placeholders
// reach (hits, by input), what it returns and, for a constructor, the attributes it sets. A call
// then puts its arguments' chains in place of the placeholders it passes something to (the others
// carry nothing): each hit of those inputs is reported at the
// callee's sink with the path through the call ("passed to helper as x"), and the result carries
// what the function returns. A call back into a summary being computed (recursion) follows
// nothing; calls deeper than MAX_CALL_DEPTH are not followed; each summary charges the
// document's analysis budget its tokens, and once the budget is spent no call is followed. A call
// not followed that may carry a secret is not silent: its summary is `cut`, so is every summary
// that calls it, and the document's first such call is kept (FlowState.unfollowed) for the
// `leak-check-incomplete` notice.

import { CH_LPAREN, CLOSE, IDENT, OPEN, OP_ASSIGN, OP_COMMA, OP_DOT, OP_ELLIPSIS, OP_POW, OP_STAR, isOp, isOpen, lowerBound } from '../scan/tokens';
import {
  KEYWORDS,
  MAX_INPUTS,
  PARAM,
  inputOf,
  REST,
  SHOWING_ASKED,
  SHOWING_NO,
  SHOWING_YES,
  isClass,
  type Argument,
  type Callable,
  type ClassDef,
  type FunctionDef,
  type Instance,
  type Param,
  type PendingFunction,
  type Summary,
} from './callables';
import { hasReference } from './documentIndex';
import { leak } from './findings';
import { elementEnd, findOp, step, word } from './reader';
import { isDisplayFunction } from './sinks';
import { BODY_EXPR, type FlowState } from './state';
import { Env, after, extend, rootOf, splice, union, type Taint } from './taint';
import type { FlowStep, UnfollowedReason } from './types';

/** Calls followed deeper than this (a call in a function reached by a call…) are not. */
export const MAX_CALL_DEPTH = 16;

/** Records a function found in the scope being read under its name (a method of the class being read). */
export function define(flow: FlowState, def: FunctionDef): void {
  if (def.name === null) return;
  nameDefines(flow, def.name, def);
  if (def.cls !== null) def.cls.methods.set(def.name, def);
  else named(flow.callables, flow.env).set(def.name, def);
}

/** Records class `name` in the scope being read; its methods join it while its body is read. */
export function defineClass(flow: FlowState, name: string): ClassDef {
  const cls: ClassDef = { name, methods: new Map() };
  nameDefines(flow, name, cls);
  named(flow.callables, flow.env).set(name, cls);
  return cls;
}

function nameDefines(flow: FlowState, name: string, c: Callable): void {
  const all = flow.definedNames.get(name);
  if (all === undefined) flow.definedNames.set(name, [c]);
  else all.push(c);
}

function named<T>(maps: Map<Env, Map<string, T>>, env: Env): Map<string, T> {
  let m = maps.get(env);
  if (m === undefined) maps.set(env, (m = new Map()));
  return m;
}

function lookup<T>(maps: Map<Env, Map<string, T>>, env: Env, name: string): T | undefined {
  if (maps.size === 0) return undefined;
  for (let e: Env | null = env, depth = 0; e !== null && depth < 64; e = e.parent, depth++) {
    const found = maps.get(e)?.get(name);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** `path` (a name, `self.handler`) now holds an instance of a class of the document. */
export function bindObject(flow: FlowState, path: string, instance: Instance): void {
  named(flow.objects, flow.env).set(path, instance);
}

/** The parameters in tokens [from, to), in order. */
function paramsIn(flow: FlowState, from: number, to: number): Param[] {
  const { buf } = flow;
  // Kept for the whole analysis: counted first, an array of their number (push would keep room for more).
  let n = 0;
  for (let a = from; a < to; a = elementEnd(flow, a, to) + 1) n++;
  const out: Param[] = new Array<Param>(n);
  n = 0;
  for (let a = from; a < to; ) {
    const k = elementEnd(flow, a, to);
    let t = a;
    let kind = PARAM;
    if (isOp(buf, t, OP_POW)) {
      kind = KEYWORDS;
      t++;
    } else if (isOp(buf, t, OP_STAR) || isOp(buf, t, OP_ELLIPSIS)) {
      kind = REST;
      t++;
    }
    const eq = findOp(flow, t, k, OP_ASSIGN);
    const name = buf.kind[t] === IDENT && t < k ? word(flow, t) : null;
    // Python's bare `*` and `/` markers take nothing; a destructuring pattern takes an argument.
    if (t < k && (name !== null || buf.kind[t] === OPEN)) out[n++] = { name, kind, defaultFrom: eq < k ? eq + 1 : k, defaultTo: k };
    a = k + 1;
  }
  out.length = n;
  return out;
}

function paramsOf(flow: FlowState, def: FunctionDef): Param[] {
  return (def.params ??= paramsIn(flow, def.paramsFrom, def.paramsTo));
}

/** The name a method's receiver goes by: Python's first parameter (`self`), JavaScript's `this`. */
function selfOf(flow: FlowState, pending: PendingFunction): string | null {
  if (pending.cls === null) return null;
  if (!flow.python) return 'this';
  const t = pending.paramsFrom;
  return t < pending.paramsTo && flow.buf.kind[t] === IDENT ? word(flow, t) : null;
}

/** Parameters are locals that hold nothing we follow (a call followed taints some, see summarise). */
function bindParameters(flow: FlowState, from: number, to: number): void {
  const { buf } = flow;
  for (let k = from; k < to; k++) {
    if (buf.kind[k] !== IDENT || isOp(buf, k - 1, OP_DOT)) continue;
    // Python: a name after `(`, `,`, `*`, `**` (not a default value or an annotation).
    if (flow.python && !(k === from || isOp(buf, k - 1, OP_COMMA) || isOp(buf, k - 1, OP_STAR) || isOp(buf, k - 1, OP_POW))) continue;
    flow.env.local(word(flow, k));
  }
}

/** Starts the walk of a function: its scope, its context, its parameters. */
export function enter(flow: FlowState, pending: PendingFunction): void {
  flow.block = flow.blocks.open(-1);
  flow.env = new Env(pending.parent, flow.blocks, flow.block, false);
  flow.fn = { name: pending.name, display: isDisplayFunction(pending.name), cls: pending.cls, self: selfOf(flow, pending) };
  bindParameters(flow, pending.paramsFrom, pending.paramsTo);
}

/** The constructor of the class `pending` is a method of, when it reads a secret itself and `pending` is another method; else undefined. */
function readingConstructor(flow: FlowState, pending: PendingFunction): FunctionDef | undefined {
  const init = pending.cls?.methods.get(flow.python ? '__init__' : 'constructor');
  return init === undefined || init.from === pending.from || !hasReference(flow, init.from, init.to) ? undefined : init;
}

/** Whether a method walked on its own may see a secret its class's constructor stores (constructorAttributes). */
export function constructorReads(flow: FlowState, pending: PendingFunction): boolean {
  return readingConstructor(flow, pending) !== undefined;
}

/**
 * A method walked on its own (what calls it is not known): the attributes its class's constructor
 * stores a secret in by itself (`self.api_key = conv.utils.get_secret('crm_api')` in `__init__`),
 * which every instance holds whoever calls the method, bound on its receiver (`self.api_key`,
 * `this.apiKey`). What the constructor stores from its parameters is its callers' and not known here.
 */
export function constructorAttributes(flow: FlowState, pending: PendingFunction): void {
  const { cls, self } = flow.fn;
  const init = readingConstructor(flow, pending);
  if (cls === null || self === null || init === undefined) return;
  follow(flow, { def: init, shift: flow.python ? 1 : 0, attrs: null, makes: cls }, [], init.from, init.from + 1, `${cls.name}()`);
  const made = flow.lastInstance?.instance.attrs;
  flow.lastInstance = null;
  if (made === undefined) return;
  for (const [attr, v] of made) if (v !== null) flow.env.assign(`${self}.${attr}`, v, flow.block);
}

/** Walks the body of the function entered. */
export function walkBody(flow: FlowState, pending: PendingFunction): void {
  flow.work += pending.to - Math.min(pending.paramsFrom, pending.from);
  if (pending.body === BODY_EXPR) returned(flow, pending.from, pending.to, flow.evaluate(flow, pending.from, pending.to));
  else flow.walker!.body(flow, pending);
}

/** What the current function returns at tokens [from, to): kept for its summary; a sink when its name says it is shown. */
export function returned(flow: FlowState, from: number, to: number, taint: Taint): void {
  if (taint === null) return;
  if (flow.summary !== null) flow.summary.returns = union(flow.summary.returns, taint);
  if (!flow.fn.display) return;
  const name = flow.fn.name!;
  leak(flow, `return from ${name}`, from, to, taint, `returned from ${name}`, from);
}

/**
 * Whether tokens [from, to) call a name the document defines (`helper(…)`, `self.helper(…)`,
 * `C(…)`): a function that does, and reads a secret, is analysed even with no sink of its own.
 * The calls are found in one pass over the document, on first use.
 */
export function callsDefined(flow: FlowState, from: number, to: number): boolean {
  if (flow.definedNames.size === 0) return false;
  const calls = definedCalls(flow);
  const first = lowerBound(calls, calls.length, from);
  return first < calls.length && calls[first]! < to;
}

/** The array methods that call their callback with each element (its first parameter): evaluator.ts's calledBack. */
export const ELEMENT_CALLBACKS: ReadonlySet<string> = new Set(['map', 'flatMap', 'forEach', 'filter', 'find', 'findLast', 'findIndex', 'some', 'every']);

/** Whether the name at token `k` is passed as the callback of a call that calls it with each element (`xs.forEach(show)`, Python's `map(read, xs)`). */
function passedAsCallback(flow: FlowState, k: number): boolean {
  const { buf } = flow;
  if (k < 2 || !isOpen(buf, k - 1, CH_LPAREN) || buf.kind[k - 2] !== IDENT || !(isOp(buf, k + 1, OP_COMMA) || buf.kind[k + 1] === CLOSE)) return false;
  const dot = isOp(buf, k - 3, OP_DOT);
  return flow.python ? !dot && word(flow, k - 2) === 'map' : dot && ELEMENT_CALLBACKS.has(word(flow, k - 2));
}

/** The tokens that call a name the document defines (or pass it as a callback: passedAsCallback), in order (found on first use). */
function definedCalls(flow: FlowState): number[] {
  let calls = flow.definedCalls;
  if (calls === null) {
    const { buf } = flow;
    calls = [];
    const callees: Callable[][] = [];
    for (let k = 0; k + 1 < flow.count; k++) {
      if (buf.kind[k] !== IDENT || !(isOpen(buf, k + 1, CH_LPAREN) || passedAsCallback(flow, k))) continue;
      const named = flow.definedNames.get(word(flow, k));
      if (named === undefined) continue;
      calls.push(k);
      callees.push(named);
    }
    flow.definedCalls = calls;
    flow.definedCallees = callees;
    flow.budget?.charge(flow.count);
  }
  return calls;
}

/** How many calls deep showsThrough asks before it assumes a function may show (a long chain met from its top). */
const MAX_SHOWING_DEPTH = 64;

/**
 * Whether `def` may show a secret when it runs: a sink of its own (FunctionDef.shows), or a call to
 * one of the document's functions that may, by name (every function or method of that name, a
 * class through its methods). A function that reads nothing and shows nothing, and calls none that
 * may show, leaks nothing in its own walk (queue.ts), whatever the functions it calls return. A
 * call back into one being asked about, and a chain deeper than MAX_SHOWING_DEPTH, count as
 * showing; each answer is kept.
 */
export function showsThrough(flow: FlowState, def: PendingFunction, depth = 0): boolean {
  if (def.shows || def.showing === SHOWING_YES || def.showing === SHOWING_ASKED) return true; // asked: a call back into it counts as showing
  if (def.showing === SHOWING_NO) return false;
  if (depth >= MAX_SHOWING_DEPTH) return true;
  def.showing = SHOWING_ASKED;
  let out = false;
  const calls = definedCalls(flow);
  const callees = flow.definedCallees!;
  const to = def.to;
  for (let i = lowerBound(calls, calls.length, Math.min(def.paramsFrom, def.from)); !out && i < calls.length && calls[i]! < to; i++) {
    for (const c of callees[i]!) {
      if (isClass(c) ? classShows(flow, c, depth + 1) : c !== def && showsThrough(flow, c, depth + 1)) {
        out = true;
        break;
      }
    }
  }
  def.showing = out ? SHOWING_YES : SHOWING_NO;
  return out;
}

function classShows(flow: FlowState, cls: ClassDef, depth: number): boolean {
  for (const m of cls.methods.values()) if (showsThrough(flow, m, depth)) return true;
  return false;
}

/** A call's target in the document: the function, what the receiver takes, the class a constructor makes. */
export interface Target {
  readonly def: FunctionDef;
  /** Positional parameters the receiver takes (Python's `self`). */
  readonly shift: number;
  /** The receiver's attributes (a method of an instance, of `self`), or null. */
  readonly attrs: ReadonlyMap<string, Taint> | null;
  /** A constructor: the class whose instance the call makes. */
  readonly makes: ClassDef | null;
}

/** Where a call is made, as the evaluator saw it (calls.ts's CallWhere). */
export interface CallPlace {
  path: string | null;
  name: string | null;
  method: boolean;
  receiver: string | null;
  /** A method called on what a constructor of the document just returned (`C(token).show()`). */
  instance?: Instance | null;
}

/** The function of the document a call reaches, or null. */
export function resolve(flow: FlowState, where: CallPlace): Target | null {
  if (flow.definedNames.size === 0 || where.name === null || !flow.definedNames.has(where.name)) return null;
  const shift = flow.python ? 1 : 0;
  if (where.instance) return method(where.instance.cls, where.name, shift, where.instance.attrs);
  if (!where.method) {
    if (where.path === null || where.path !== where.name) return null;
    const c: Callable | undefined = lookup(flow.callables, flow.env, where.name);
    if (c === undefined) return null;
    if (!isClass(c)) return { def: c, shift: 0, attrs: null, makes: null };
    const init = c.methods.get(flow.python ? '__init__' : 'constructor');
    return init === undefined ? null : { def: init, shift, attrs: null, makes: c };
  }
  if (where.receiver === null) return null;
  if (flow.fn.cls !== null && where.receiver === flow.fn.self) return method(flow.fn.cls, where.name, shift, flow.env.attributes(where.receiver));
  const instance = lookup(flow.objects, flow.env, where.receiver);
  return instance === undefined ? null : method(instance.cls, where.name, shift, instance.attrs);
}

function method(cls: ClassDef, name: string, shift: number, attrs: ReadonlyMap<string, Taint>): Target | null {
  const def = cls.methods.get(name);
  return def === undefined ? null : { def, shift, attrs, makes: null };
}

/**
 * Follows the call at tokens [start, end) into `target` with its arguments evaluated: reports the
 * sinks they reach there, and returns what the call's result carries. A constructor's instance
 * is left in FlowState.lastInstance.
 */
export function follow(flow: FlowState, target: Target, args: readonly Argument[], start: number, end: number, shown: string): Taint {
  const { def } = target;
  const params = paramsOf(flow, def);
  const given = bindArguments(flow, def, params, target.shift, args, shown);
  // The inputs, by placeholder: the parameters (the first MAX_INPUTS, those after the receiver's),
  // then the receiver's tainted attributes. What the call passes to each, null where nothing.
  const named = params.length < MAX_INPUTS ? params.length : MAX_INPUTS;
  let passed = false;
  for (let i = target.shift; i < named; i++) {
    if (given[i] !== null && params[i]!.name !== null) passed = true;
    else given[i] = null;
  }
  if (given.length > named) given.length = named;
  const inputs = given;
  const self = target.attrs !== null || target.makes !== null ? selfOf(flow, def) : null;
  let attrs: string[] | null = null;
  if (target.attrs !== null && self !== null) {
    for (const [attr, v] of target.attrs) {
      if (v === null || inputs.length >= MAX_INPUTS) continue;
      while (inputs.length < named) inputs.push(null);
      inputs.push(extend(v, step(flow, start, end - 1, `passed to ${shown} as ${self}.${attr}`), true));
      (attrs ??= []).push(attr);
      passed = true;
    }
  }
  // Nothing passed in: only a function that reads a secret itself, or calls one of the document's
  // functions (which may return one: `return _creds(conv)`), may return one or store it.
  if (!passed && !hasReference(flow, def.from, def.to) && !callsDefined(flow, def.from, def.to)) return null;
  // One summary per function, whatever the call passes (every parameter holds its placeholder, and
  // a call instantiates those it passes something to): a function is walked once however many
  // sets of its parameters its calls taint. Apart: a call with the receiver's attributes, a
  // constructor's (its instance's attributes are kept), one that passes the receiver itself.
  const k = attrs === null ? target.shift + (target.makes !== null ? 2 : 0) : `${target.shift}${target.makes !== null ? 'new' : ''}.${attrs.join('.')}`;
  let summary = def.firstKey === k ? def.first! : def.summaries?.get(k);
  if (summary === undefined) {
    summary = { hits: null, reached: null, returns: null, attrs: null, done: false, cut: null, depth: flow.following + 1 };
    if (def.first === null) {
      def.firstKey = k;
      def.first = summary;
    } else (def.summaries ??= new Map()).set(k, summary);
    summarise(flow, def, inputNames(params, named, target.shift, self, attrs), target.makes !== null ? self : null, summary);
  }
  if (!summary.done) return null; // a call back into it: recursion follows nothing
  // Its function was not followed all the way, and it passes something tainted or reads a secret
  // itself (one that only calls the document's functions is followed above in case they return
  // one; its cut says nothing that is known to carry a secret).
  if (summary.cut !== null && (passed || hasReference(flow, def.from, def.to))) unfollowed(flow, summary.cut, start, end, shown);
  // The sinks of the inputs passed something (and of placeholders around the function): a call
  // pays for those, however many parameters the function logs.
  let reported = 0;
  const hits = summary.hits;
  if (hits !== null) {
    for (let i = -1; i < inputs.length; i++) {
      const list = i < 0 || inputs[i] !== null ? hits.get(i) : undefined;
      if (list === undefined) continue;
      reported += list.length;
      for (const hit of list) leak(flow, hit.sink, hit.from, hit.to, instantiate([hit.origin], summary, inputs, null), hit.message, hit.site);
    }
  }
  flow.work += reported + 1;
  flow.budget?.charge(reported + 1);
  if (target.makes !== null && summary.attrs !== null) {
    const made = new Map<string, Taint>();
    for (const [attr, v] of summary.attrs) made.set(attr, instantiate(v, summary, inputs, step(flow, start, end - 1, `stored in attribute ${attr} by ${shown}`)));
    flow.lastInstance = { end, instance: { cls: target.makes, attrs: made } };
  }
  return summary.returns === null ? null : instantiate(summary.returns, summary, inputs, step(flow, start, end - 1, `returned from ${shown}`));
}

/**
 * The names the inputs go by in the function, by placeholder: its first `named` parameters (null
 * for the receiver's, `shift` of them, and for a pattern), then `self.attr` for each attribute.
 */
function inputNames(params: readonly Param[], named: number, shift: number, self: string | null, attrs: readonly string[] | null): Array<string | null> {
  const names = new Array<string | null>(named + (attrs === null ? 0 : attrs.length));
  for (let i = 0; i < named; i++) names[i] = i < shift ? null : params[i]!.name;
  if (attrs !== null) for (let j = 0; j < attrs.length; j++) names[named + j] = `${self}.${attrs[j]}`;
  return names;
}

/** What each parameter is given: positional arguments in order (after the receiver's), keywords by name, the rest to `*args` / `**kwargs`, defaults where nothing is passed. */
function bindArguments(flow: FlowState, def: FunctionDef, params: readonly Param[], shift: number, args: readonly Argument[], shown: string): Taint[] {
  const n = params.length;
  const given: Taint[] = new Array<Taint>(n).fill(null);
  // Which parameters an argument was passed to: bits while there are few (most functions), else a list.
  let passedBits = 0;
  const passedList: boolean[] | null = n > 31 ? new Array<boolean>(n).fill(false) : null;
  let rest = -1;
  let keywords = -1;
  for (let i = 0; i < n; i++) {
    if (params[i]!.kind === REST) rest = i;
    else if (params[i]!.kind === KEYWORDS) keywords = i;
  }
  let p = shift;
  for (let a = 0; a < args.length; a++) {
    const arg = args[a]!;
    let i: number;
    if (arg.keyword !== null) {
      i = -1;
      for (let j = 0; j < n; j++) {
        const q = params[j]!;
        if (q.kind === PARAM && q.name === arg.keyword) {
          i = j;
          break;
        }
      }
      if (i < 0) i = keywords;
    } else i = p < n && params[p]!.kind === PARAM ? p++ : rest;
    if (i < 0) continue;
    if (passedList !== null) passedList[i] = true;
    else passedBits |= 1 << i;
    if (arg.taint !== null) given[i] = union(given[i]!, extend(arg.taint, step(flow, arg.from, arg.to - 1, `passed to ${shown} as ${params[i]!.name ?? 'a pattern'}`), true));
  }
  const defaults = (def.defaults ??= taintedDefaults(flow, def, params));
  for (let d = 0; d < defaults.length; d += 2) {
    const i = defaults[d] as number;
    if (i < shift || (passedList !== null ? passedList[i] : (passedBits & (1 << i)) !== 0)) continue;
    const q = params[i]!;
    given[i] = extend(defaults[d + 1] as Taint, step(flow, q.defaultFrom, q.defaultTo - 1, `the default of ${q.name ?? 'a parameter'} in ${shown}`), true);
  }
  return given;
}

/**
 * The parameters of `def` whose default carries something, each its index then what it carries:
 * evaluated once, where the function is defined (as Python evaluates them), at its first call
 * followed; a call then pays only for those, however many parameters the function has.
 */
function taintedDefaults(flow: FlowState, def: FunctionDef, params: readonly Param[]): Array<number | Taint> {
  const out: Array<number | Taint> = [];
  for (let i = 0; i < params.length; i++) {
    const q = params[i]!;
    if (q.defaultFrom >= q.defaultTo || !plainDefault(flow, q)) continue;
    const saved = flow.env;
    const block = flow.block;
    flow.env = def.parent;
    const v = flow.evaluate(flow, q.defaultFrom, q.defaultTo);
    flow.env = saved;
    flow.block = block;
    if (v !== null) out.push(i, v);
  }
  return out;
}

/** A default worth evaluating (once, taintedDefaults): a secret's read or a name (`key=TOKEN`), nothing that runs code of its own. */
function plainDefault(flow: FlowState, q: Param): boolean {
  if (hasReference(flow, q.defaultFrom, q.defaultTo)) return true;
  const { buf } = flow;
  for (let t = q.defaultFrom; t < q.defaultTo; t++) if (buf.kind[t] !== IDENT && !isOp(buf, t, OP_DOT)) return false;
  return true;
}

/** Walks `def` with a placeholder in each input (`names`: a parameter, or `self.attr`) and fills `summary`. */
function summarise(flow: FlowState, def: FunctionDef, names: ReadonlyArray<string | null>, self: string | null, summary: Summary): void {
  const size = def.to - Math.min(def.paramsFrom, def.from);
  if (flow.following >= MAX_CALL_DEPTH || flow.walker === null || (flow.budget !== null && !flow.budget.charge(size))) {
    summary.done = true;
    if (flow.walker !== null) summary.cut = flow.following >= MAX_CALL_DEPTH ? 'depth' : 'budget';
    return;
  }
  const { env, block, fn, pos, commas, colons, hint, lastRequest, lastCallMadeLogger, lastInstance, caught, currentClass } = flow;
  const outer = flow.summary;
  // The callee's requests name no URL to the caller's `try` (its placeholders mean nothing there).
  const tries = flow.tries.length > 0 ? flow.tries.splice(0) : null;
  flow.summary = summary;
  flow.following++;
  flow.currentClass = null;
  flow.hint = null;
  enter(flow, def);
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    if (name !== null) flow.env.assign(name, placeholder(summary.depth, i), flow.block);
  }
  walkBody(flow, def);
  if (self !== null) summary.attrs = flow.env.attributes(self);
  flow.following--;
  flow.tries.length = 0;
  if (tries !== null) flow.tries.push(...tries);
  // Field by field: Object.assign would give FlowState another shape, and slow every access to it.
  flow.env = env;
  flow.block = block;
  flow.fn = fn;
  flow.pos = pos;
  flow.commas = commas;
  flow.colons = colons;
  flow.hint = hint;
  flow.lastRequest = lastRequest;
  flow.lastCallMadeLogger = lastCallMadeLogger;
  flow.lastInstance = lastInstance;
  flow.caught = caught;
  flow.currentClass = currentClass;
  flow.summary = outer;
  summary.done = true;
}

/**
 * A call at tokens [start, end) that may carry a secret into a function not followed all the way
 * (`reason`): inside a summary being computed, that summary is cut too (the calls into it say so);
 * in the document's own code, the call is counted and the first one in the document kept.
 */
function unfollowed(flow: FlowState, reason: UnfollowedReason, start: number, end: number, shown: string): void {
  if (flow.summary !== null) {
    flow.summary.cut ??= reason;
    return;
  }
  const span = { start: flow.buf.start[start]!, end: flow.buf.end[end - 1]! };
  const held = flow.unfollowed;
  if (held === null) flow.unfollowed = { span, callee: shown, calls: 1, reason };
  else {
    held.calls++;
    if (span.start < held.span.start) {
      held.span = span;
      held.callee = shown;
      held.reason = reason;
    }
  }
}

const NOWHERE: FlowStep = { span: { start: 0, end: 0 }, message: '' };

/**
 * The placeholder of input `i` of a summary computed `depth` calls deep: a negative reference.
 * A function defined in one being summarised sees that one's placeholders too (a closure): the
 * depth tells them from its own.
 */
function placeholder(depth: number, i: number): Taint {
  const at = depth * MAX_INPUTS + i;
  // Made once each: a taint is never changed once made, so every summary at that depth shares it.
  return (PLACEHOLDERS[at] ??= [{ ref: -1 - at, step: NOWHERE, prev: null, key: null, exact: true, length: 1, splice: null }]);
}

/** The placeholders made so far, by depth and input (see placeholder). */
const PLACEHOLDERS: Taint[] = [];

/**
 * `taint` from a summary, each input's placeholder replaced by what the call passed there (its
 * chain, then the callee's steps: see taint.ts's splice), `last` added to each (the step at the
 * call), or null.
 */
function instantiate(taint: Taint, summary: Summary, inputs: readonly Taint[], last: FlowStep | null): Taint {
  if (taint === null) return null;
  let out: Taint = null;
  for (const o of taint) {
    const root = rootOf(o);
    const input = root.ref >= 0 ? -1 : inputOf(summary, root.ref);
    if (input < 0) {
      out = union(out, [last === null ? o : after(o, last)]); // its own read, or a placeholder of a function around it
      continue;
    }
    // `last` is made part of each splice: extend afterwards would make one more origin per call.
    for (const a of inputs[input] ?? []) out = union(out, [splice(a, o, last)]);
  }
  return out;
}
