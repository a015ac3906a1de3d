// What the document defines that calls reach (see follow.ts): a function with its extent and the
// scope that defines it, a class with its methods, an instance with the attributes its
// constructor set, and a function's summary (what it does with the values given to it).

import type { UnfollowedReason } from './types';
import type { Env, Origin, Taint } from './taint';

/** The function being analysed (the module: no name). */
export interface FunctionContext {
  name: string | null;
  /** Whether what it returns is shown (see DISPLAY_FUNCTIONS). */
  display: boolean;
  /** A method: its class, and the name its receiver goes by (`self`, `this`). */
  cls: ClassDef | null;
  self: string | null;
}

/** A function found in the document, analysed after the scope that defines it (see queue.ts). */
export interface PendingFunction {
  /** The function's name, or the name it is assigned to; null when anonymous. */
  name: string | null;
  /** Its parameter list's tokens. */
  paramsFrom: number;
  paramsTo: number;
  /** Its body's tokens. */
  from: number;
  to: number;
  body: number;
  /** Python: the indentation of the header line. */
  indent: number;
  /** The scope it was defined in. */
  parent: Env;
  /** The class whose body defines it (a method), or null. */
  cls: ClassDef | null;
  /** Whether it may show a secret itself (see documentIndex.ts's mayShow); one that may not is analysed only when it calls the document's functions. */
  shows: boolean;
  /** What follow.ts's showsThrough found: SHOWING_UNKNOWN, _ASKED (being found), _YES or _NO. */
  showing: number;
}

/** PendingFunction.showing's values. */
export const SHOWING_UNKNOWN = 0;
export const SHOWING_ASKED = 1;
export const SHOWING_YES = 2;
export const SHOWING_NO = 3;

/** What a function does with the values given to it, computed once per set of tainted inputs (see follow.ts). */
export interface Summary {
  /**
   * Sinks its inputs reach in it (in the functions it calls too), by input (see inputOf; -1: a
   * placeholder of a function around it): each `origin` starts at that input's placeholder. A call
   * reports those of the inputs it passes something to.
   */
  hits: Map<number, Hit[]> | null;
  /** `site:input:key` of each hit: one hit per sink, input and key, however many paths reach it. */
  reached: Set<string> | null;
  /** What it may return (inputs as placeholders, its own reads as they are). */
  returns: Taint;
  /** A constructor: the attributes of the instance it sets (`self.t = t`), by name. */
  attrs: Map<string, Taint> | null;
  /** False while it is being computed: a call back into it (recursion) follows nothing. */
  done: boolean;
  /**
   * Why it may miss sinks (follow.ts's summarise): a call in it, or it itself, was not followed
   * because the document's analysis budget was spent (`budget`) or calls nested deeper than
   * MAX_CALL_DEPTH (`depth`); null: complete.
   */
  cut: UnfollowedReason | null;
  /** How many calls deep it was computed (its placeholders say so, see follow.ts). */
  readonly depth: number;
}

/** A sink an input of the function reaches, as findings.ts's leak was asked to report it. */
export interface Hit {
  readonly sink: string;
  readonly from: number;
  readonly to: number;
  readonly message: string;
  readonly site: number;
  readonly origin: Origin;
}

/** Inputs of one summary (parameters, then the receiver's attributes) beyond this many are not followed. */
export const MAX_INPUTS = 1024;

/** The input of `summary` whose placeholder is reference `ref` (negative: see follow.ts's placeholder), or -1: that of a summary around it (a closure's). */
export function inputOf(summary: Summary, ref: number): number {
  const input = -1 - ref - summary.depth * MAX_INPUTS;
  return input >= 0 && input < MAX_INPUTS ? input : -1;
}

export const PARAM = 0;
/** `*args`, `...rest`: the positional arguments left. */
export const REST = 1;
/** `**kwargs`: the keyword arguments no parameter takes. */
export const KEYWORDS = 2;

export interface Param {
  /** Null for a destructuring pattern (`{a, b}`): an argument there is not followed. */
  readonly name: string | null;
  readonly kind: number;
  /** The default value's tokens; defaultFrom === defaultTo when there is none. */
  readonly defaultFrom: number;
  readonly defaultTo: number;
}

/** A named function as calls reach it: the function found, with what following calls to it has learnt (one object per function). */
export interface FunctionDef extends PendingFunction {
  /** Its parameters, read when a call first needs them. */
  params: Param[] | null;
  /** The parameters whose default carries something (each its index, then that), evaluated once, at the first call followed (see follow.ts). */
  defaults: Array<number | Taint> | null;
  /** The first set of tainted inputs a call followed (see follow.ts: a number, or inputKey's list) and its summary: most functions are followed with one. */
  firstKey: number | string | null;
  first: Summary | null;
  /** Per further set of tainted inputs. */
  summaries: Map<number | string, Summary> | null;
}

export interface ClassDef {
  readonly name: string;
  readonly methods: Map<string, FunctionDef>;
}

export type Callable = FunctionDef | ClassDef;

/** An object a constructor of the document made: its class and the attributes it set. */
export interface Instance {
  readonly cls: ClassDef;
  readonly attrs: ReadonlyMap<string, Taint>;
}

export function isClass(c: Callable): c is ClassDef {
  return 'methods' in c;
}

/** One argument of a call: its tokens, its Python keyword, and what it carries once evaluated. */
export interface Argument {
  from: number;
  to: number;
  keyword: string | null;
  taint: Taint;
}
