// Which secrets a variable may hold where its keys are read: reaching definitions over the
// statements of one Python scope, with "something else" (OTHER) as a value. Branches (if/elif/else,
// try/except/else/finally, match/case, loops with break/continue/else) join what each path
// assigns; `return`/`raise` end a path. A read whose set holds OTHER checks nothing, so a later
// assignment from anything else never leads to a false finding.

import { lowerBound } from '../scan/tokens';

/** Statement kinds the Python structure pass records. */
export const SK_SIMPLE = 0;
export const SK_IF = 1;
export const SK_ELIF = 2;
export const SK_ELSE = 3;
export const SK_FOR = 4;
export const SK_WHILE = 5;
export const SK_TRY = 6;
export const SK_EXCEPT = 7;
export const SK_FINALLY = 8;
export const SK_WITH = 9;
export const SK_MATCH = 10;
export const SK_CASE = 11;
/** `def` or `class`: binds its name here; its body is another scope. */
export const SK_DEF = 12;
/** `return` or `raise`: nothing after it in the block runs. */
export const SK_RETURN = 13;
export const SK_BREAK = 14;
export const SK_CONTINUE = 15;

/** The value of a binding that is not a tracked `name = get_secret(…)`. */
export const OTHER = -1;

// Event types.
export const EV_USE = 0;
/** A binding applied after the statement's reads (assignment and for targets). */
export const EV_BIND = 1;
/** A binding applied where it stands (`:=`, and every binding of `with` and `case` headers). */
export const EV_BIND_INLINE = 2;

/** The statements of a document in order: compound statements end after their header's colon. */
export class StatementTable {
  start = new Int32Array(256);
  end = new Int32Array(256);
  kind = new Uint8Array(256);
  /** Twice the line's indentation, plus one for a body on its header's line (`if x: y = 1`). */
  indent = new Int32Array(256);
  scope = new Int32Array(256);
  count = 0;

  push(start: number, end: number, kind: number, indent: number, scope: number): number {
    if (this.count === this.start.length) this.grow();
    const i = this.count++;
    this.start[i] = start;
    this.end[i] = end;
    this.kind[i] = kind;
    this.indent[i] = indent;
    this.scope[i] = scope;
    return i;
  }

  private grow(): void {
    const size = this.start.length * 2;
    this.start = grown(this.start, size);
    this.end = grown(this.end, size);
    this.indent = grown(this.indent, size);
    this.scope = grown(this.scope, size);
    this.kind = grown(this.kind, size);
  }
}

/** A copy of `a` in a larger array of its kind (`size` >= its length). */
function grown(a: Int32Array, size: number): Int32Array<ArrayBuffer>;
function grown(a: Uint8Array, size: number): Uint8Array<ArrayBuffer>;
function grown(a: Int32Array | Uint8Array, size: number): Int32Array<ArrayBuffer> | Uint8Array<ArrayBuffer> {
  const b = a instanceof Int32Array ? new Int32Array(size) : new Uint8Array(size);
  b.set(a);
  return b;
}

/**
 * Uses (a key read through a name) and bindings of tracked names, one row each in parallel arrays
 * (kept from one scan to the next, so that a scan allocates no object per event).
 */
export class EventTable {
  tok = new Int32Array(256);
  type = new Uint8Array(256);
  /** Index of the name among the tracked names. */
  name = new Int32Array(256);
  scope = new Int32Array(256);
  /** For a binding: the tracked definition it makes, or OTHER. For a use: the use's index. */
  value = new Int32Array(256);
  count = 0;
  /** Per statement (see `byStatement`): its events are the rows [from, to). */
  from = new Int32Array(256);
  to = new Int32Array(256);

  push(tok: number, type: number, name: number, scope: number, value: number): void {
    if (this.count === this.tok.length) {
      const size = this.count * 2;
      this.tok = grown(this.tok, size);
      this.name = grown(this.name, size);
      this.scope = grown(this.scope, size);
      this.value = grown(this.value, size);
      this.type = grown(this.type, size);
    }
    const i = this.count++;
    this.tok[i] = tok;
    this.type[i] = type;
    this.name[i] = name;
    this.scope[i] = scope;
    this.value[i] = value;
  }

  /** Copies row `i` of `other` to the end of this table. */
  pushRow(other: EventTable, i: number): void {
    this.push(other.tok[i]!, other.type[i]!, other.name[i]!, other.scope[i]!, other.value[i]!);
  }

  /**
   * Finds the rows of statements `first`.. while indented deeper than `parentIndent` (what a run
   * of the flow visits), the rows being in token order (an event outside every statement has none).
   */
  byStatement(st: StatementTable, first: number, parentIndent: number): void {
    const n = st.count;
    if (this.from.length < n) {
      this.from = new Int32Array(n);
      this.to = new Int32Array(n);
    }
    const { tok, count, from, to } = this;
    const { start, end, indent } = st;
    if (first >= n) return;
    let e = lowerBound(tok, count, start[first]!);
    for (let k = first; k < n && indent[k]! > parentIndent; k++) {
      while (e < count && tok[e]! < start[k]!) e++;
      from[k] = e;
      let f = e;
      while (f < count && tok[f]! < end[k]!) f++;
      to[k] = f;
      e = f;
    }
  }
}

/** A set of definitions; never mutated once made, so states can share them. */
type Defs = ReadonlySet<number>;
/**
 * Per local name, what it may hold; null where no path arrives (after return, raise, break).
 * Never changed in place once made.
 */
type State = Defs[] | null;

const EMPTY: Defs = new Set<number>();

/** The set of one definition (OTHER included), made once: sets are never changed, so one serves every binding of it. */
const singles: Defs[] = [];

function only(value: number): Defs {
  return (singles[value + 1] ??= new Set([value]));
}

function union(a: Defs, b: Defs): Defs {
  if (a === b || b.size === 0) return a;
  if (a.size === 0) return b;
  let out: Set<number> | null = null;
  for (const d of b) {
    if (a.has(d)) continue;
    out ??= new Set(a);
    out.add(d);
  }
  return out ?? a;
}

function join(a: State, b: State): State {
  if (a === null) return b;
  if (b === null || a === b) return a;
  const out = new Array<Defs>(a.length);
  for (let i = 0; i < a.length; i++) out[i] = union(a[i]!, b[i]!);
  return out;
}

function copy(a: State): State {
  return a === null ? null : a.slice();
}

/** Whether `b`, a superset of `a` by construction, adds nothing. */
function same(a: State, b: State): boolean {
  if (a === null || b === null) return a === b;
  for (let i = 0; i < a.length; i++) if (a[i]!.size !== b[i]!.size) return false;
  return true;
}

interface Loop {
  brk: State;
  cont: State;
}

/** A guard against pathological inputs; the sets only grow, so real loops settle in a few rounds. */
const MAX_ROUNDS = 32;

export class Flow {
  private state: State = null;
  private readonly loops: Loop[] = [];
  /** Open `try` bodies (and handlers): every state inside may reach their handlers / finally. */
  private readonly collectors: Array<{ s: State }> = [];
  private scope = 0;
  private readonly localOf: Int32Array;
  /** By number of names: the state a run starts from (nothing assigned yet). */
  private readonly starts: Defs[][] = [];
  private width = 0;

  /**
   * @param events in token order (each run finds the rows of the statements it visits)
   * @param reach per use index, the union of what reached it (filled in by `run`)
   */
  constructor(
    private readonly st: StatementTable,
    private readonly events: EventTable,
    private readonly reach: Array<Defs | null>,
    nameCount: number,
  ) {
    this.localOf = new Int32Array(nameCount).fill(-1);
  }

  /**
   * Runs the statements of `scope` from statement `first` while they are indented deeper than
   * `parentIndent`, for the tracked names `names` (indices among all tracked names; the first
   * `count` of them).
   */
  run(scope: number, first: number, parentIndent: number, names: ArrayLike<number>, count = names.length): void {
    this.scope = scope;
    this.width = count;
    for (let i = 0; i < count; i++) this.localOf[names[i]!] = i;
    this.events.byStatement(this.st, first, parentIndent);
    // States are never changed in place: every run for as many names can start from the same one.
    this.state = this.starts[this.width] ??= new Array<Defs>(this.width).fill(EMPTY);
    this.block(first, parentIndent);
    for (let i = 0; i < count; i++) this.localOf[names[i]!] = -1;
  }

  private block(i: number, parentIndent: number): number {
    const { st } = this;
    while (i < st.count && st.indent[i]! > parentIndent) {
      if (st.scope[i] !== this.scope) {
        i++;
        continue;
      }
      i = this.statement(i);
    }
    return i;
  }

  /** The next statement when it continues the compound statement at `indent` with `kind`. */
  private continues(j: number, indent: number, kind: number): boolean {
    const { st } = this;
    return j < st.count && st.indent[j] === indent && st.kind[j] === kind && st.scope[j] === this.scope;
  }

  private statement(i: number): number {
    const { st } = this;
    const indent = st.indent[i]!;
    switch (st.kind[i]) {
      case SK_DEF: {
        this.apply(i, false);
        let j = i + 1;
        while (j < st.count && st.indent[j]! > indent) j++;
        return j;
      }
      case SK_RETURN:
        this.apply(i, false);
        this.state = null;
        return i + 1;
      case SK_BREAK:
      case SK_CONTINUE: {
        this.apply(i, false);
        const loop = this.loops[this.loops.length - 1];
        if (loop) {
          if (st.kind[i] === SK_BREAK) loop.brk = join(loop.brk, this.state);
          else loop.cont = join(loop.cont, this.state);
        }
        this.state = null;
        return i + 1;
      }
      case SK_IF:
        return this.ifChain(i, indent);
      case SK_FOR:
      case SK_WHILE:
        return this.loop(i, indent);
      case SK_TRY:
        return this.tryStatement(i, indent);
      case SK_MATCH:
        return this.match(i, indent);
      case SK_WITH:
        this.apply(i, true);
        return this.block(i + 1, indent);
      case SK_SIMPLE:
        this.apply(i, false);
        return i + 1;
      default:
        // A stray elif/else/except/finally/case (broken code): its header, then its body.
        this.apply(i, false);
        return this.block(i + 1, indent);
    }
  }

  private ifChain(i: number, indent: number): number {
    this.apply(i, false);
    let cond = this.state;
    this.state = copy(cond);
    let j = this.block(i + 1, indent);
    let out = this.state;
    while (this.continues(j, indent, SK_ELIF)) {
      this.state = copy(cond);
      this.apply(j, false);
      cond = this.state;
      this.state = copy(cond);
      j = this.block(j + 1, indent);
      out = join(out, this.state);
    }
    if (this.continues(j, indent, SK_ELSE)) {
      this.state = copy(cond);
      j = this.block(j + 1, indent);
      out = join(out, this.state);
    } else {
      out = join(out, cond);
    }
    this.state = out;
    return j;
  }

  private loop(i: number, indent: number): number {
    const isFor = this.st.kind[i] === SK_FOR;
    const loop: Loop = { brk: null, cont: null };
    this.loops.push(loop);
    let head = this.state;
    let exit: State = null;
    let j = i + 1;
    for (let round = 0; ; round++) {
      this.state = copy(head);
      if (isFor) exit = copy(head);
      this.apply(i, false);
      if (!isFor) exit = copy(this.state);
      loop.cont = null;
      j = this.block(i + 1, indent);
      const next = join(join(head, this.state), loop.cont);
      if (same(head, next) || round >= MAX_ROUNDS) break;
      head = next;
    }
    this.loops.pop();
    if (this.continues(j, indent, SK_ELSE)) {
      this.state = exit;
      j = this.block(j + 1, indent);
      exit = this.state;
    }
    this.state = join(exit, loop.brk);
    return j;
  }

  private tryStatement(i: number, indent: number): number {
    this.apply(i, false);
    const body = { s: copy(this.state) };
    this.collectors.push(body);
    let j = this.block(i + 1, indent);
    this.collectors.pop();
    const bodyEnd = this.state;
    // What handlers and the else block reach on an exception of their own, for finally.
    const handlers = { s: null as State };
    let out: State = null;
    while (this.continues(j, indent, SK_EXCEPT)) {
      this.state = copy(body.s);
      this.collectors.push(handlers);
      this.apply(j, false);
      j = this.block(j + 1, indent);
      this.collectors.pop();
      out = join(out, this.state);
    }
    if (this.continues(j, indent, SK_ELSE)) {
      this.state = copy(bodyEnd);
      this.collectors.push(handlers);
      j = this.block(j + 1, indent);
      this.collectors.pop();
      out = join(out, this.state);
    } else {
      out = join(out, bodyEnd);
    }
    if (this.continues(j, indent, SK_FINALLY)) {
      // Once for an exception on its way out (its reads count; the state after does not), then
      // for the normal way on.
      const raising = join(body.s, handlers.s);
      if (raising !== null) {
        this.state = copy(raising);
        this.block(j + 1, indent);
      }
      this.state = out;
      j = this.block(j + 1, indent);
      return j;
    }
    this.state = out;
    return j;
  }

  private match(i: number, indent: number): number {
    const { st } = this;
    this.apply(i, false);
    let failed = this.state;
    let out: State = null;
    let j = i + 1;
    while (j < st.count && st.indent[j]! > indent && st.kind[j] === SK_CASE && st.scope[j] === this.scope) {
      const caseIndent = st.indent[j]!;
      this.state = copy(failed);
      this.apply(j, true);
      // A pattern that fails part way may have bound some of its names already.
      failed = join(failed, this.state);
      j = this.block(j + 1, caseIndent);
      out = join(out, this.state);
    }
    this.state = join(out, failed);
    return this.block(j, indent);
  }

  /**
   * The statement's uses and bindings: uses see the state before the statement's deferred
   * bindings (targets are bound after the value is computed) but after any inline one before them.
   */
  private apply(k: number, inlineAll: boolean): void {
    const ev = this.events;
    const from = ev.from[k]!;
    const to = ev.to[k]!;
    if (from < to && this.state !== null) {
      let deferred = false;
      for (let e = from; e < to; e++) {
        if (ev.scope[e] !== this.scope) continue;
        const local = this.localOf[ev.name[e]!]!;
        if (local < 0) continue;
        const type = ev.type[e];
        if (type === EV_USE) {
          const use = ev.value[e]!;
          const prev = this.reach[use];
          const now = this.state[local]!;
          this.reach[use] = prev ? union(prev, now) : now;
        } else if (inlineAll || type === EV_BIND_INLINE) this.bind(local, ev.value[e]!);
        else deferred = true;
      }
      if (deferred) {
        for (let e = from; e < to; e++) {
          if (ev.scope[e] !== this.scope || ev.type[e] !== EV_BIND) continue;
          const local = this.localOf[ev.name[e]!]!;
          if (local >= 0) this.bind(local, ev.value[e]!);
        }
      }
    }
    for (const c of this.collectors) c.s = join(c.s, this.state);
  }

  /** States are never changed in place (joins and collectors share them): a binding makes a new one. */
  private bind(local: number, value: number): void {
    const state = this.state!.slice();
    state[local] = only(value);
    this.state = state;
  }
}
