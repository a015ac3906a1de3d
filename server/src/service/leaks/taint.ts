// What an expression may carry (taint: one chain of steps per secret reference) and what the names
// of a scope hold (Env), with the rule that decides when a plain assignment clears a name.

import type { FlowStep } from './types';

/**
 * One step of a value's history: the step itself and the one before it (null at the source), or
 * (`splice`) the steps of a path through a call, read when a finding lists them (see Splice).
 */
export interface Origin {
  /** Index of the source among the document's references. */
  readonly ref: number;
  /** The step (of a splice: its last). */
  readonly step: FlowStep;
  /** The step before (null at the source, and for a splice, whose steps before are its own). */
  readonly prev: Origin | null;
  /**
   * The key of a key/value secret whose value this is (`creds['API_KEY']`, `creds.get('API_KEY')`,
   * JavaScript's `creds.API_KEY`), as written; null: the whole value, or a key not known. Whether a
   * key counts as a leak is the language service's to say (it has the secret's marks).
   */
  readonly key: string | null;
  /**
   * Whether the value is still the secret's own (read, then only assigned): a key read from it is
   * that key. Never true after a step where it was false: true here says so of every step before.
   */
  readonly exact: boolean;
  /** How many steps the path has from the source to here, the source's included. */
  readonly length: number;
  /** A path through a call (see Splice), or null: a step of its own. */
  readonly splice: Splice | null;
}

/** The secrets an expression may carry, one chain per source and key (the first found); null when clean. */
export type Taint = readonly Origin[] | null;

/** More sources than this in one value add nothing a reader needs; it also bounds the work. */
const MAX_SOURCES = 8;

function has(list: readonly Origin[], ref: number, key: string | null): boolean {
  for (const o of list) if (o.ref === ref && o.key === key) return true;
  return false;
}

export function union(a: Taint, b: Taint): Taint {
  if (a === null) return b;
  if (b === null || a === b) return a;
  let out: Origin[] | null = null;
  for (const o of b) {
    if (has(out ?? a, o.ref, o.key)) continue;
    out ??= a.slice();
    if (out.length >= MAX_SOURCES) break;
    out.push(o);
  }
  return out ?? a;
}

/** The same sources, one step further; `same`: the step only names the value anew (an assignment), it still is what it was. */
export function extend(taint: Taint, step: FlowStep, same = false): Taint {
  if (taint === null) return null;
  // No closure made per call, and an array of one for most taints (push would leave room for more).
  const o = taint[0]!;
  if (taint.length === 1) return [{ ref: o.ref, step, prev: o, key: o.key, exact: same && o.exact, length: o.length + 1, splice: null }];
  return taint.map((o) => ({ ref: o.ref, step, prev: o, key: o.key, exact: same && o.exact, length: o.length + 1, splice: null }));
}

/**
 * Key `key` read from what `taint` carries (null: a key not known, or an element): a secret's own value
 * gives that key's value; anything else (a key of a value already read from a key, of a container
 * that holds the secret) keeps what it was.
 */
export function readKey(taint: Taint, key: string | null, step: FlowStep): Taint {
  if (taint === null) return null;
  return taint.map((o) => ({ ref: o.ref, step, prev: o, key: o.exact && o.key === null ? key : o.key, exact: false, length: o.length + 1, splice: null }));
}

/** A path through a call keeps this many of the callee's first steps and of its last ones (see Splice). */
const FIRST_KEPT = 4;
const LAST_KEPT = 8;
/** Where the step that says how many are left out stands among the callee's steps kept. */
const GAP = FIRST_KEPT + 1;
/** The most steps of the callee a path through a call keeps: the first ones, the gap, the last LAST_KEPT + 1. */
const KEPT = FIRST_KEPT + 1 + LAST_KEPT + 1;

/**
 * A path through a call: the caller's path to what it passed (`input`), then the steps of the
 * callee's path (`path`) after its placeholder. A long callee path keeps its first FIRST_KEPT
 * steps, one step that says how many are left out, and its last LAST_KEPT + 1: rebuilt at every
 * call, a chain of calls would otherwise cost the square of its length. The steps are read only
 * when a finding lists them (stepsOf): a call followed makes one Origin, however long the path.
 * `last`, when not null, is one more step after them (the call's own: `returned from f`), the
 * value there no longer exact, as extend would make it.
 */
export class Splice {
  /** The callee's steps after its placeholder. */
  readonly inner: number;
  /** How many of them the path keeps (the gap included). */
  readonly kept: number;

  constructor(
    readonly input: Origin,
    readonly path: Origin,
    readonly last: FlowStep | null,
  ) {
    this.inner = path.length - 1;
    this.kept = this.inner > KEPT ? KEPT : this.inner;
  }

  get elided(): boolean {
    return this.inner > KEPT;
  }

  /**
   * What the callee's path holds at the steps kept already read (its step, key and exactness, three
   * entries per step), made once the splice is read more times than it keeps steps (a finding
   * that lists it reads each step once; splices inside others are read again by each finding
   * through them): a path through a chain of calls is a splice inside
   * a splice…, and reading its last steps through every level at every read would cost the chain's
   * depth per step read (a chain of helpers that each log their argument: its square per finding).
   */
  private kept3: Array<FlowStep | string | boolean | null> | null = null;
  private reads = 0;

  /** Step `q` (1 to kept, and kept + 1 for `last`) of those the path keeps, in the entry cursor. */
  read(q: number): void {
    const a = this.input;
    if (q > this.kept) {
      entry.step = this.last!;
      entry.key = a.exact && a.key === null ? this.path.key : a.key;
      entry.exact = false;
      return;
    }
    let c = this.kept3;
    if (c === null && ++this.reads > this.kept) c = this.kept3 = new Array<FlowStep | string | boolean | null>(this.kept * 3);
    const at = (q - 1) * 3;
    if (c !== null && c[at] !== undefined) {
      entry.step = c[at] as FlowStep;
      entry.key = c[at + 1] as string | null;
      entry.exact = c[at + 2] as boolean;
    } else {
      this.pathAt(q);
      if (c !== null) {
        c[at] = entry.step;
        c[at + 1] = entry.key;
        c[at + 2] = entry.exact;
      }
    }
    entry.key = a.exact && a.key === null ? entry.key : a.key;
    entry.exact = this.elided && q >= GAP ? false : a.exact && entry.exact;
  }

  /** The callee's path at step `q` of those kept, in the entry cursor: its own step, key and exactness there. */
  private pathAt(q: number): void {
    if (this.elided && q === GAP) {
      // Its key is the step's before it; where it stands, the first step it leaves out.
      entryAt(this.path, GAP);
      const key = entry.key;
      entryAt(this.path, GAP + 1);
      entry.step = { span: entry.step.span, message: `… ${this.inner - KEPT + 1} steps not listed, from here on` };
      entry.key = key;
      entry.exact = false;
      return;
    }
    entryAt(this.path, !this.elided || q < GAP ? q + 1 : this.inner - KEPT + q + 1);
  }
}

/** What entryAt and Splice.read found: a step of a path, and the key and exactness of the value there. */
const entry: { step: FlowStep; key: string | null; exact: boolean } = { step: { span: { start: 0, end: 0 }, message: '' }, key: null, exact: false };

/**
 * Steps of paths walked to read the steps findings list (entryAt's hops): an operation counter,
 * read by queue.ts's analyse into FlowState.work (the tests assert how it grows with the input).
 */
export const PATH_WORK = { hops: 0 };

/** Step `pos` (1: the source) of the path ending at `o`, in the entry cursor. */
function entryAt(o: Origin, pos: number): void {
  for (;;) {
    while (o.splice === null && o.length > pos) {
      o = o.prev!;
      PATH_WORK.hops++;
    }
    PATH_WORK.hops++;
    const s = o.splice;
    if (s === null) {
      entry.step = o.step;
      entry.key = o.key;
      entry.exact = o.exact;
      return;
    }
    if (pos <= s.input.length) {
      o = s.input;
      continue;
    }
    s.read(pos - s.input.length);
    return;
  }
}

/**
 * `path` (a callee's, from its placeholder) after `input` (what a call passed there): the origin
 * a call's result or sink has, its steps those of both (see Splice), then `last` when not null.
 * The input itself (and `last`) when the callee's path is its placeholder alone.
 */
export function splice(input: Origin, path: Origin, last: FlowStep | null): Origin {
  if (path.length <= 1) return last === null ? input : { ref: input.ref, step: last, prev: input, key: input.key, exact: false, length: input.length + 1, splice: null };
  const s = new Splice(input, path, last);
  const key = input.exact && input.key === null ? path.key : input.key;
  if (last !== null) return { ref: input.ref, step: last, prev: null, key, exact: false, length: input.length + s.kept + 1, splice: s };
  const exact = !s.elided && input.exact && path.exact;
  return { ref: input.ref, step: path.step, prev: null, key, exact, length: input.length + s.kept, splice: s };
}

/** `o` one step further, no longer exact (extend's origin, one of them). */
export function after(o: Origin, step: FlowStep): Origin {
  return { ref: o.ref, step, prev: o, key: o.key, exact: false, length: o.length + 1, splice: null };
}

/** The first step of the path ending at `o`: its source, or a placeholder. */
export function rootOf(o: Origin): Origin {
  for (;;) {
    if (o.splice !== null) o = o.splice.input;
    else if (o.prev !== null) o = o.prev;
    else return o;
  }
}

/**
 * Of the steps from the source to `o`, the first `head` and the last `tail` (`head + tail` at
 * most o.length), in order: read in one walk back from `o`, a splice's kept steps read where they
 * are needed and passed over whole elsewhere. What a finding lists of a long path, without making
 * the path (see findings.ts).
 */
export function stepsAtEnds(o: Origin, head: number, tail: number): FlowStep[] {
  const out = new Array<FlowStep>(head + tail);
  /** The first position of the tail; position `pos` of it goes to out[head + pos - from]. */
  const from = o.length - tail + 1;
  for (let p: Origin | null = o; p !== null; ) {
    const s: Splice | null = p.splice;
    if (s === null) {
      if (p.length >= from) out[head + p.length - from] = p.step;
      else if (p.length <= head) out[p.length - 1] = p.step;
      p = p.prev;
      continue;
    }
    // The splice's own positions: base + 1 to p.length.
    const base = s.input.length;
    for (let pos = Math.max(base + 1, from); pos <= p.length; pos++) {
      s.read(pos - base);
      out[head + pos - from] = entry.step;
    }
    for (let pos = base + 1; pos <= Math.min(p.length, head); pos++) {
      s.read(pos - base);
      out[pos - 1] = entry.step;
    }
    p = s.input;
  }
  return out;
}

/** The steps from the source to `o`, in order. */
export function stepsOf(o: Origin): FlowStep[] {
  // A path of steps of its own (most): filled from its end, in one array of its length.
  let p: Origin | null = o;
  while (p !== null && p.splice === null) p = p.prev;
  if (p === null) {
    const out = new Array<FlowStep>(o.length);
    let i = o.length;
    for (let q: Origin | null = o; q !== null; q = q.prev) out[--i] = q.step;
    return out;
  }
  // Back from `o`: its own steps, and the splices, whose steps follow their input's.
  const back: Array<FlowStep | Splice> = [];
  for (let p: Origin | null = o; p !== null; ) {
    if (p.splice !== null) {
      back.push(p.splice);
      p = p.splice.input;
    } else {
      back.push(p.step);
      p = p.prev;
    }
  }
  const out: FlowStep[] = [];
  for (let i = back.length - 1; i >= 0; i--) {
    const x = back[i]!;
    if (x instanceof Splice) {
      for (let q = 1; q <= x.kept; q++) {
        x.read(q);
        out.push(entry.step);
      }
      if (x.last !== null) out.push(x.last);
    } else out.push(x);
  }
  return out;
}

/**
 * Blocks of statements (a function body, an if / else / loop / try body), as a tree. Statements
 * are read in order, so an assignment in block A runs on every path to a later read in A or in a
 * block inside A: there it replaces what the name held. A read elsewhere (after A, a branch, has
 * ended) may still see what the name held before.
 */
export class Blocks {
  private readonly parent: number[] = [];

  open(parent: number): number {
    this.parent.push(parent);
    return this.parent.length - 1;
  }

  /** Whether `a` is `b` or a block around it. */
  encloses(a: number, b: number): boolean {
    for (let k = b; k >= 0; k = this.parent[k]!) if (k === a) return true;
    return false;
  }
}

/** One assignment to a name: what it put there (null: nothing tainted), where, and whether it only added. */
interface Part {
  readonly taint: readonly Origin[] | null;
  readonly block: number;
  /** `x += v`, `x.append(v)`, `x[k] = v`: adds to what the name holds, replaces nothing. */
  readonly adds: boolean;
}

/** The assignments of a name that holds nothing: shared, never changed (add replaces it). */
const NO_PARTS: Part[] = [];

/** How many enclosing scopes `mayHoldSecrets` looks through. */
const MAX_SCOPE_WALK = 64;

/**
 * The names of one scope (a function, a class body, a comprehension, the module), in front of
 * the scopes around it. A name bound here hides the outer one, clean or not.
 */
export class Env {
  /** Per name, its assignments in order (those no later read can see are dropped). */
  private readonly vars = new Map<string, Part[]>();
  /** Whether anything tainted was ever bound here (never reset: a cheap "may hold a secret"). */
  private tainted = false;

  /**
   * @param root the scope's outermost block: where an inner function reads it (at its end)
   * @param inline the scope runs where it stands in its parent (a comprehension, a class body),
   *   so reads through it to the parent happen in the reader's block
   */
  constructor(
    readonly parent: Env | null,
    private readonly blocks: Blocks,
    private readonly root: number,
    private readonly inline: boolean,
  ) {}

  /** What `name` may hold when read in `block`; undefined when no scope binds it. */
  lookup(name: string, block: number): Taint | undefined {
    let read = block;
    for (let env: Env = this; ; ) {
      const parts = env.vars.get(name);
      if (parts !== undefined) return env.read(parts, read);
      if (env.parent === null) return undefined;
      read = env.inline ? read : env.parent.root;
      env = env.parent;
    }
  }

  /** From the last assignment back to the first that runs on every path to a read in `block`. */
  private read(parts: readonly Part[], block: number): Taint {
    let out: Taint = null;
    for (let i = parts.length - 1; i >= 0; i--) {
      const p = parts[i]!;
      if (p.taint !== null) out = union(out, p.taint);
      if (!p.adds && this.blocks.encloses(p.block, block)) break;
    }
    return out;
  }

  /** `name = value` in `block`. */
  assign(name: string, taint: Taint, block: number): void {
    const old = this.vars.get(name);
    if (taint !== null) this.tainted = true;
    if (old === undefined || old.length === 0) {
      // Nothing held before: a clean value leaves it so (most assignments), no array made.
      if (old === undefined || taint !== null) this.vars.set(name, taint === null ? NO_PARTS : [{ taint, block, adds: false }]);
      return;
    }
    // What was assigned in this block or inside it can no longer be read anywhere.
    const kept: Part[] = [];
    for (let i = 0; i < old.length; i++) if (!this.blocks.encloses(block, old[i]!.block)) kept.push(old[i]!);
    if (taint !== null || kept.length > 0) kept.push({ taint, block, adds: false });
    this.vars.set(name, kept);
  }

  /** `name += value`, `name.append(value)`, `name[k] = value`: adds to what it holds. */
  add(name: string, taint: Taint, block: number): void {
    if (taint === null) return;
    const old = this.vars.get(name);
    if (old === NO_PARTS) this.vars.set(name, [{ taint, block, adds: true }]);
    else if (old) old.push({ taint, block, adds: true });
    else {
      // Adding to an outer name (or an unknown one): what it held still counts.
      const outer = this.lookup(name, block) ?? null;
      const parts: Part[] = outer ? [{ taint: outer, block, adds: true }] : [];
      parts.push({ taint, block, adds: true });
      this.vars.set(name, parts);
    }
    this.tainted = true;
  }

  /** A parameter or other local that holds nothing we follow. */
  local(name: string): void {
    this.vars.set(name, NO_PARTS);
  }

  /** The attributes of `receiver` bound in this scope (`self.t = t`) and what they hold at its end. */
  attributes(receiver: string): Map<string, Taint> {
    const out = new Map<string, Taint>();
    const prefix = `${receiver}.`;
    for (const [name, parts] of this.vars) {
      if (!name.startsWith(prefix) || name.indexOf('.', prefix.length) >= 0) continue;
      const v = this.read(parts, this.root);
      if (v !== null) out.set(name.slice(prefix.length), v);
    }
    return out;
  }

  /** Whether this scope or one around it ever held anything tainted. */
  mayHoldSecrets(): boolean {
    // Deeper than this (`lambda: lambda: …`), answer "may": the caller then analyses a function it
    // could have skipped, instead of walking thousands of scopes for each of thousands of them.
    let depth = 0;
    for (let env: Env | null = this; env !== null; env = env.parent) {
      if (env.tainted || ++depth > MAX_SCOPE_WALK) return true;
    }
    return false;
  }
}
