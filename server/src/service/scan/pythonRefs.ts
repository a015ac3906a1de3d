// Finds secret references in a lexed Python document. Three passes over the tokens:
//  1. structure: statements (with their kind and indentation), scopes (def/class bodies by
//     indentation), name bindings, names shadowed inside a lambda or comprehension, the tokens that
//     end a store target (assignment, del, for and with targets: writes, not reads), and the names
//     that alias get_secret / os / os.environ / os.getenv (imports, simple assignments);
//  2. references: get_secret calls and environment reads, with keys read directly off a call;
//  3. variables: keys read through a variable, checked against every secret it may hold there
//     (reaching definitions over the scope's statements, see flow.ts).

import { chainStart, findArgument, groupEnd, resetGroupCache, skipGroup } from './calls';
import {
  EV_BIND,
  EV_BIND_INLINE,
  EV_USE,
  Flow,
  OTHER,
  SK_BREAK,
  SK_CASE,
  SK_CONTINUE,
  SK_DEF,
  SK_ELIF,
  SK_ELSE,
  SK_EXCEPT,
  SK_FINALLY,
  SK_FOR,
  SK_IF,
  SK_MATCH,
  SK_RETURN,
  SK_SIMPLE,
  SK_TRY,
  SK_WHILE,
  SK_WITH,
  StatementTable,
  type FlowEvent,
} from './keyFlow';
import { emptyLiteral, literalOf, sortBySpan } from './literals';
import {
  IDENT,
  LINE,
  OP,
  OPEN,
  OP_ASSIGN,
  OP_AUG,
  OP_COLON,
  OP_COMMA,
  OP_DOT,
  OP_POW,
  OP_SEMI,
  OP_STAR,
  OP_WALRUS,
  CH_LBRACKET,
  CH_LPAREN,
  CLOSE,
  CH_LBRACE,
  STRING,
  TPL_HEAD,
  TPL_TAIL,
  TokenBuffer,
  isOp,
  isOpen,
  lowerBound,
  tokenIs,
} from './tokens';
import type { FunctionDef, KeyAccess, ReferenceScan, SecretReference, StringLiteral } from './types';

/** How far (in tokens and groups) to look for the `in` of a for-target or a lambda's colon. */
const SEARCH_LIMIT = 64;

// What a statement's first token says about it.
const KW_NONE = 0;
const KW_ASYNC = 1;
const KW_DEF = 2;
const KW_CLASS = 3;
const KW_IMPORT = 5;
const KW_FROM = 6;
const KW_DEL = 7;
const KW_GLOBAL = 8; // global nonlocal
const KW_RETURN = 9; // return raise
const KW_BREAK = 10;
const KW_CONTINUE = 11;
const KW_SOFT = 12; // match case: keywords only when the line is a header
// Compound statement headers: 100 + their statement kind.
const KW_COMPOUND = 100;
const KW_IF = KW_COMPOUND + SK_IF;
const KW_ELIF = KW_COMPOUND + SK_ELIF;
const KW_ELSE = KW_COMPOUND + SK_ELSE;
const KW_FOR = KW_COMPOUND + SK_FOR;
const KW_WHILE = KW_COMPOUND + SK_WHILE;
const KW_TRY = KW_COMPOUND + SK_TRY;
const KW_EXCEPT = KW_COMPOUND + SK_EXCEPT;
const KW_FINALLY = KW_COMPOUND + SK_FINALLY;
const KW_WITH = KW_COMPOUND + SK_WITH;

interface Tracked {
  ref: SecretReference;
  name: string;
  /** The assignment's target token. */
  target: number;
  scope: number;
}

/** Scratch arrays kept between scans so a scan allocates little. */
let scopeOf = new Int32Array(0);
let assignTargetAt = new Int32Array(0);
let stmtEndAt = new Int32Array(0);
/** 1 on the last token of a store target: a subscript ending there is written, not read. */
let storeEnd = new Uint8Array(0);
let bindings = new Int32Array(1024);
/** Name token, first and last token of where a lambda parameter / comprehension target shadows it. */
let shadows = new Int32Array(768);
/** First and last token of code that runs later than it stands: lambda bodies, generator expressions. */
let deferred = new Int32Array(512);
const statements = new StatementTable();
/** The ends of the tuple / list patterns markTargets is inside. */
let markStack = new Int32Array(16);
/** `generic`'s open groups. */
let openStack = new Int32Array(64);
/** The last lambda whose body end was found (see `lambda`): its group, colon and end; -2: none in this statement. */
let lambdaGroup = -2;
let lambdaColon = 0;
let lambdaEnd = 0;

/** Token ranges [from, to] (inclusive), merged and sorted: whether a token lies in any, by binary search. */
class SpanSet {
  private readonly from: Int32Array;
  private readonly to: Int32Array;

  /** `pairs`: from, to, from, to, … in any order, overlapping or not. */
  constructor(pairs: readonly number[]) {
    const order = Array.from({ length: pairs.length >> 1 }, (_, k) => k).sort((x, y) => pairs[x * 2]! - pairs[y * 2]!);
    const from: number[] = [];
    const to: number[] = [];
    for (const k of order) {
      const a = pairs[k * 2]!;
      const b = pairs[k * 2 + 1]!;
      if (b < a) continue;
      const last = to.length - 1;
      if (last >= 0 && a <= to[last]!) to[last] = Math.max(to[last]!, b);
      else {
        from.push(a);
        to.push(b);
      }
    }
    this.from = Int32Array.from(from);
    this.to = Int32Array.from(to);
  }

  has(t: number): boolean {
    const last = lowerBound(this.from, this.from.length, t + 1) - 1;
    return last >= 0 && this.to[last]! >= t;
  }
}

/**
 * A small set of names that identifier tokens are checked against without allocating: a filter
 * on length and first character, then a hash of the token's characters, then a comparison.
 */
class NameSet {
  private readonly byHash = new Map<number, string[]>();
  private readonly lengths = new Uint8Array(256);
  private readonly firsts = new Uint8Array(128);
  private wideFirst = false;
  private count = 0;

  add(name: string): void {
    if (this.has(name)) return;
    const h = hash(name, 0, name.length);
    const list = this.byHash.get(h);
    if (list) list.push(name);
    else this.byHash.set(h, [name]);
    this.count++;
    this.lengths[Math.min(name.length, 255)] = 1;
    const c = name.charCodeAt(0);
    if (c < 128) this.firsts[c] = 1;
    else this.wideFirst = true;
  }

  get size(): number {
    return this.count;
  }

  has(name: string): boolean {
    return this.byHash.get(hash(name, 0, name.length))?.includes(name) ?? false;
  }

  /** The name the token spells when it is in the set; null otherwise. */
  candidate(text: string, buf: TokenBuffer, t: number): string | null {
    const s = buf.start[t]!;
    const len = buf.end[t]! - s;
    if (!this.lengths[Math.min(len, 255)]) return null;
    const c = text.charCodeAt(s);
    if (c < 128 ? !this.firsts[c] : !this.wideFirst) return null;
    const list = this.byHash.get(hash(text, s, s + len));
    if (!list) return null;
    for (const name of list) if (name.length === len && text.startsWith(name, s)) return name;
    return null;
  }
}

function hash(text: string, from: number, to: number): number {
  let h = 0;
  for (let k = from; k < to; k++) h = (Math.imul(h, 31) + text.charCodeAt(k)) | 0;
  return h;
}

export function findPythonReferences(text: string, buf: TokenBuffer): ReferenceScan {
  return new PythonAnalysis(text, buf).run();
}

function grow(a: Int32Array<ArrayBuffer>, need: number): Int32Array<ArrayBuffer> {
  if (need <= a.length) return a;
  const b = new Int32Array(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}

class PythonAnalysis {
  private readonly count: number;
  private readonly getSecretNames = new NameSet();
  private readonly environNames = new NameSet();
  private readonly getenvNames = new NameSet();
  /** Names bound to the os module other than `os` itself (`import os as _os`). */
  private readonly osNames = new NameSet();
  /** `target = source` pairs, resolved once all imports are known. */
  private readonly pendingAliases: Array<[string, string]> = [];
  private bindingCount = 0;
  private shadowCount = 0;
  private deferredCount = 0;
  /** By name, where it is shadowed; and where code runs later: built when first asked (see `shadowed`). */
  private shadowSpans: Map<string, SpanSet> | null = null;
  private deferredSpans: SpanSet | null = null;
  /** Tokens of the names in global / nonlocal statements. */
  private readonly declared: number[] = [];
  /** Scopes with `from m import *`, which may rebind any name. */
  private readonly starScopes = new Set<number>();
  private scopeIndents: number[] = [-1];
  private scopeIds: number[] = [0];
  private scopeCounter = 0;
  /** The statement of each def/class header, by the id of the scope it opens. */
  private readonly scopeHeader: number[] = [-1];
  private lineIndent = 0;
  /** The indentation of the match statements whose bodies we are in. */
  private readonly matchIndents: number[] = [];
  /** True after a compound header on the same logical line: the statements that follow are its body. */
  private inlineBody = false;
  private readonly refs: SecretReference[] = [];
  private readonly writes: SecretReference[] = [];
  /** Module-level defs, and by the id of the scope each opens, so that its end is set when the scope closes. */
  private readonly functions: FunctionDef[] = [];
  private readonly functionOfScope = new Map<number, FunctionDef>();
  private readonly tracked: Tracked[] = [];
  private readonly trackedNames = new NameSet();
  /** name → scope → the variables assigned from a call there. */
  private readonly trackedByName = new Map<string, Map<number, Tracked[]>>();

  constructor(
    private readonly text: string,
    private readonly buf: TokenBuffer,
  ) {
    this.count = buf.count;
    const size = this.count + 1;
    if (scopeOf.length < size || (scopeOf.length > 1 << 20 && scopeOf.length > size * 4)) {
      const cap = scopeOf.length < size ? Math.max(size, scopeOf.length * 2) : size;
      scopeOf = new Int32Array(cap);
      assignTargetAt = new Int32Array(cap);
      stmtEndAt = new Int32Array(cap);
      storeEnd = new Uint8Array(cap);
    }
    assignTargetAt.fill(-1, 0, size);
    storeEnd.fill(0, 0, size);
    statements.count = 0;
  }

  run(): ReferenceScan {
    resetGroupCache();
    this.structure();
    this.resolveAliases();
    this.references();
    if (this.tracked.length > 0) this.variables();
    sortBySpan(this.refs);
    sortBySpan(this.writes);
    return { references: this.refs, writes: this.writes, functions: this.functions };
  }

  // ---- pass 1: structure ----

  private structure(): void {
    const { buf, count } = this;
    let t = 0;
    while (t < count) {
      if (buf.kind[t] === LINE) {
        const indent = buf.aux[t]!;
        this.lineIndent = indent;
        this.inlineBody = false;
        while (this.matchIndents.length > 0 && this.matchIndents[this.matchIndents.length - 1]! >= indent) this.matchIndents.pop();
        while (this.scopeIds.length > 1 && this.scopeIndents[this.scopeIndents.length - 1]! >= indent) {
          const closed = this.scopeIds.pop()!;
          this.scopeIndents.pop();
          const fn = this.functionOfScope.get(closed);
          if (fn) fn.span.end = buf.start[t]!;
        }
        scopeOf[t] = this.scope();
        t++;
        continue;
      }
      t = this.statement(t);
    }
  }

  private scope(): number {
    return this.scopeIds[this.scopeIds.length - 1]!;
  }

  /** The indentation recorded for the statement starting now (see StatementTable.indent). */
  private indent(): number {
    return this.lineIndent * 2 + (this.inlineBody ? 1 : 0);
  }

  private keyword(t: number): number {
    const { text, buf } = this;
    if (buf.kind[t] !== IDENT) return KW_NONE;
    const len = buf.end[t]! - buf.start[t]!;
    if (len < 2 || len > 8) return KW_NONE;
    // Dispatch on the first letter so that most statements cost one comparison, no allocation.
    switch (text.charCodeAt(buf.start[t]!)) {
      case 97: // a
        return tokenIs(text, buf, t, 'async') ? KW_ASYNC : KW_NONE;
      case 98: // b
        return tokenIs(text, buf, t, 'break') ? KW_BREAK : KW_NONE;
      case 99: // c
        return tokenIs(text, buf, t, 'class') ? KW_CLASS : tokenIs(text, buf, t, 'continue') ? KW_CONTINUE : tokenIs(text, buf, t, 'case') ? KW_SOFT : KW_NONE;
      case 100: // d
        return tokenIs(text, buf, t, 'def') ? KW_DEF : tokenIs(text, buf, t, 'del') ? KW_DEL : KW_NONE;
      case 101: // e
        return tokenIs(text, buf, t, 'elif') ? KW_ELIF : tokenIs(text, buf, t, 'else') ? KW_ELSE : tokenIs(text, buf, t, 'except') ? KW_EXCEPT : KW_NONE;
      case 102: // f
        return tokenIs(text, buf, t, 'for') ? KW_FOR : tokenIs(text, buf, t, 'finally') ? KW_FINALLY : tokenIs(text, buf, t, 'from') ? KW_FROM : KW_NONE;
      case 103: // g
        return tokenIs(text, buf, t, 'global') ? KW_GLOBAL : KW_NONE;
      case 105: // i
        return tokenIs(text, buf, t, 'if') ? KW_IF : tokenIs(text, buf, t, 'import') ? KW_IMPORT : KW_NONE;
      case 109: // m
        return tokenIs(text, buf, t, 'match') ? KW_SOFT : KW_NONE;
      case 110: // n
        return tokenIs(text, buf, t, 'nonlocal') ? KW_GLOBAL : KW_NONE;
      case 114: // r
        return tokenIs(text, buf, t, 'return') || tokenIs(text, buf, t, 'raise') ? KW_RETURN : KW_NONE;
      case 116: // t
        return tokenIs(text, buf, t, 'try') ? KW_TRY : KW_NONE;
      case 119: // w
        return tokenIs(text, buf, t, 'while') ? KW_WHILE : tokenIs(text, buf, t, 'with') ? KW_WITH : KW_NONE;
    }
    return KW_NONE;
  }

  /** Processes the statement starting at `s0`; returns the index where the next one starts. */
  private statement(s0: number): number {
    const { text, buf } = this;
    const scope = this.scope();
    let s = s0;
    let kw = this.keyword(s);
    if (kw === KW_ASYNC) {
      const next = this.keyword(s + 1);
      if (next === KW_DEF || next === KW_FOR || next === KW_WITH) {
        s++;
        kw = next;
      }
    }
    if (kw === KW_SOFT) {
      // `match x:` is a header when the line ends right after its colon; `case p:` when it stands
      // in a match statement's body (`case[1]: int` elsewhere annotates a subscript).
      const colon = this.headerColon(s + 1);
      const isMatch = tokenIs(text, buf, s, 'match');
      let header = isOp(buf, colon, OP_COLON) && colon > s + 1;
      if (isMatch) header &&= colon + 1 >= this.count || buf.kind[colon + 1] === LINE;
      else header &&= this.matchIndents.length > 0 && !this.inlineBody && this.lineIndent > this.matchIndents[this.matchIndents.length - 1]!;
      kw = header ? KW_COMPOUND + (isMatch ? SK_MATCH : SK_CASE) : KW_NONE;
      if (header && isMatch) this.matchIndents.push(this.lineIndent);
    }
    if (kw === KW_DEF || kw === KW_CLASS) return this.definition(s0, s, kw === KW_DEF);
    if (kw >= KW_COMPOUND) {
      const colon = this.headerColon(s + 1);
      const next = isOp(buf, colon, OP_COLON) ? colon + 1 : colon;
      scopeOf.fill(scope, s0, colon + 1);
      statements.push(s0, next, kw - KW_COMPOUND, this.indent(), scope);
      this.generic(s0, colon, kw === KW_FOR ? s : -1);
      if (kw === KW_COMPOUND + SK_CASE) this.bindCaptures(s + 1, colon);
      this.inlineBody = next < this.count && buf.kind[next] !== LINE;
      return next;
    }
    const end = this.simpleEnd(s);
    scopeOf.fill(scope, s0, end + 1);
    const kind = kw === KW_RETURN ? SK_RETURN : kw === KW_BREAK ? SK_BREAK : kw === KW_CONTINUE ? SK_CONTINUE : SK_SIMPLE;
    statements.push(s0, end, kind, this.indent(), scope);
    if (kw === KW_IMPORT || kw === KW_FROM) this.importStatement(s, end, kw === KW_FROM);
    else if (kw === KW_DEL) {
      this.bindTargets(s + 1, end);
      this.markTargets(s + 1, end);
    } else if (kw === KW_GLOBAL) {
      for (let t = s + 1; t < end; t++) if (buf.kind[t] === IDENT) this.declared.push(t);
    } else this.simpleStatement(s, end);
    this.generic(s, end, -1);
    return isOp(buf, end, OP_SEMI) ? end + 1 : end;
  }

  /** The end of a simple statement: its `;`, the next logical line, or the end. */
  private simpleEnd(s: number): number {
    const { buf, count } = this;
    let t = s;
    while (t < count) {
      const kind = buf.kind[t];
      if (kind === LINE) return t;
      if (kind === OP && buf.aux[t] === OP_SEMI) return t;
      t = this.skip(t);
    }
    return count;
  }

  /** The token after `t`, or after the group `t` opens; an unclosed group runs to the next line. */
  private skip(t: number): number {
    const { buf, count } = this;
    const kind = buf.kind[t];
    if (kind !== OPEN && kind !== TPL_HEAD) return t + 1;
    const m = buf.match[t]!;
    if (m >= 0) return m + 1;
    let k = t + 1;
    while (k < count && buf.kind[k] !== LINE) k++;
    return k;
  }

  /** The `:` ending a compound statement's header (a lambda's colon is skipped). */
  private headerColon(from: number): number {
    const { buf, count } = this;
    let lambdas = 0;
    let t = from;
    while (t < count) {
      const kind = buf.kind[t];
      if (kind === LINE) return t;
      if (kind === OP) {
        if (buf.aux[t] === OP_COLON) {
          if (lambdas === 0) return t;
          lambdas--;
        } else if (buf.aux[t] === OP_SEMI) return t;
      } else if (kind === IDENT && tokenIs(this.text, buf, t, 'lambda')) lambdas++;
      t = this.skip(t);
    }
    return count;
  }

  private definition(s0: number, s: number, isDef: boolean): number {
    const { buf } = this;
    const outer = this.scope();
    const name = s + 1;
    scopeOf.fill(outer, s0, name + 1);
    if (buf.kind[name] === IDENT) this.bind(name);
    const header = statements.push(s0, name + 1, SK_DEF, this.indent(), outer);
    this.scopeCounter++;
    this.scopeIds.push(this.scopeCounter);
    this.scopeIndents.push(this.lineIndent);
    this.scopeHeader[this.scopeCounter] = header;
    const inner = this.scopeCounter;
    if (isDef && outer === 0 && buf.kind[name] === IDENT) this.recordFunction(s0, name, inner);
    if (name + 1 >= this.count) return this.count;
    const colon = this.headerColon(name + 1);
    scopeOf.fill(inner, name + 1, colon + 1);
    if (isDef && isOpen(buf, name + 1, CH_LPAREN)) this.parameters(name + 1, colon);
    this.generic(name + 1, colon, -1);
    const next = isOp(buf, colon, OP_COLON) ? colon + 1 : Math.max(colon, name + 1);
    this.inlineBody = next < this.count && buf.kind[next] !== LINE;
    return next;
  }

  /** A module-level def: its name, first parameter and extent (the end is set when its scope closes). */
  private recordFunction(s0: number, name: number, scope: number): void {
    const { text, buf } = this;
    // `def f[T](conv: T)` (type parameters, Python 3.12): the parameters follow the brackets.
    const open = isOpen(buf, name + 1, CH_LBRACKET) && buf.match[name + 1]! >= 0 ? buf.match[name + 1]! + 1 : name + 1;
    const first = isOpen(buf, open, CH_LPAREN) && buf.kind[open + 1] === IDENT ? open + 1 : -1;
    const fn: FunctionDef = {
      name: text.slice(buf.start[name]!, buf.end[name]!),
      nameSpan: { start: buf.start[name]!, end: buf.end[name]! },
      span: { start: buf.start[s0]!, end: text.length },
      firstParam: first >= 0 ? text.slice(buf.start[first]!, buf.end[first]!) : null,
    };
    this.functions.push(fn);
    this.functionOfScope.set(scope, fn);
  }

  private parameters(open: number, limit: number): void {
    const { buf } = this;
    const close = Math.min(groupEnd(this.text, buf, open), limit);
    for (let t = open + 1; t < close; ) {
      if (buf.kind[t] === IDENT) {
        const prev = t - 1;
        if (prev === open || isOp(buf, prev, OP_COMMA) || isOp(buf, prev, OP_STAR) || isOp(buf, prev, OP_POW)) this.bind(t);
      }
      t = skipGroup(buf, t, close);
    }
  }

  private importStatement(s: number, end: number, from: boolean): void {
    const { text, buf } = this;
    if (!from) {
      // import a.b.c [as d], e: binds `a` (or the alias, bound by the `as` rule).
      let expectName = true;
      for (let t = s + 1; t < end; t++) {
        if (expectName && buf.kind[t] === IDENT) {
          let k = t;
          while (isOp(buf, k + 1, OP_DOT) && buf.kind[k + 2] === IDENT) k += 2;
          if (!tokenIs(text, buf, k + 1, 'as')) this.bind(t);
          else if (k === t && tokenIs(text, buf, t, 'os') && buf.kind[k + 2] === IDENT) this.osNames.add(text.slice(buf.start[k + 2]!, buf.end[k + 2]!));
          t = k;
          expectName = false;
        } else if (isOp(buf, t, OP_COMMA)) expectName = true;
      }
      return;
    }
    let imp = s + 1;
    while (imp < end && !tokenIs(text, buf, imp, 'import')) imp++;
    const fromOs = imp === s + 2 && tokenIs(text, buf, s + 1, 'os');
    if (isOp(buf, imp + 1, OP_STAR)) this.starScopes.add(this.scope());
    let t = imp + 1;
    while (t < end) {
      if (buf.kind[t] !== IDENT) {
        t++;
        continue;
      }
      const name = t;
      let target = name;
      if (tokenIs(text, buf, t + 1, 'as') && buf.kind[t + 2] === IDENT) {
        target = t + 2;
        t += 3;
      } else {
        this.bind(name);
        t++;
      }
      const alias = (): string => text.slice(buf.start[target]!, buf.end[target]!);
      if (tokenIs(text, buf, name, 'get_secret')) this.getSecretNames.add(alias());
      else if (fromOs && tokenIs(text, buf, name, 'environ')) this.environNames.add(alias());
      else if (fromOs && tokenIs(text, buf, name, 'getenv')) this.getenvNames.add(alias());
    }
  }

  private simpleStatement(s: number, end: number): void {
    const { text, buf } = this;
    let assigns = 0;
    let firstAssign = -1;
    let aug = -1;
    let annotation = -1;
    let lambdas = 0;
    let segment = s;
    for (let t = s; t < end; t = skipGroup(buf, t, end)) {
      const kind = buf.kind[t];
      if (kind === OP) {
        const op = buf.aux[t];
        if (op === OP_ASSIGN) {
          if (assigns === 0) firstAssign = t;
          assigns++;
          // Every segment before an `=` is a target list (the annotated case binds below).
          if (annotation < 0) {
            this.bindTargets(segment, t);
            this.markTargets(segment, t);
          }
          segment = t + 1;
        } else if (op === OP_AUG) {
          if (assigns === 0 && aug < 0) aug = t;
        } else if (op === OP_COLON) {
          if (lambdas > 0) lambdas--;
          else if (annotation < 0 && assigns === 0) annotation = t;
        }
      } else if (kind === IDENT && tokenIs(text, buf, t, 'lambda')) lambdas++;
    }
    // An annotated target is stored (or, without a value, only declared): never read.
    if (annotation >= 0) this.markTargets(s, annotation);
    if (annotation >= 0 && assigns > 0) this.bindTargets(s, annotation);
    else if (assigns === 0 && aug >= 0) this.bindTargets(s, aug);
    if (assigns !== 1) return;
    const targetEnd = annotation >= 0 ? annotation : firstAssign;
    if (targetEnd !== s + 1 || buf.kind[s] !== IDENT) return;
    const valueStart = firstAssign + 1;
    if (valueStart >= end) return;
    assignTargetAt[valueStart] = s;
    stmtEndAt[valueStart] = end;
    const target = (): string => text.slice(buf.start[s]!, buf.end[s]!);
    if (
      end - valueStart >= 3 &&
      tokenIs(text, buf, end - 1, 'get_secret') &&
      isOp(buf, end - 2, OP_DOT) &&
      chainStart(text, buf, end - 2, true) === valueStart
    ) {
      this.getSecretNames.add(target());
    } else if (end === valueStart + 1 && buf.kind[valueStart] === IDENT) {
      this.pendingAliases.push([target(), text.slice(buf.start[valueStart]!, buf.end[valueStart]!)]);
    }
  }

  /**
   * Rules that bind names anywhere in a statement: the for statement's targets (`forTok`), `as`,
   * `:=`; comprehension targets and lambda parameters shadow a name only inside their expression.
   */
  private generic(a: number, b: number, forTok: number): void {
    const { text, buf } = this;
    // The groups open at `t` (innermost last), kept while walking forward: what `enclosing` finds
    // walking back, without a walk per comprehension or lambda (`lambda: lambda: …` stays linear).
    let open = 0;
    lambdaGroup = -2;
    for (let t = a; t < b; t++) {
      const kind = buf.kind[t];
      if (kind === OPEN) {
        openStack = grow(openStack, open + 1);
        openStack[open++] = t;
        continue;
      }
      if (kind === CLOSE || kind === TPL_TAIL) {
        const m = buf.match[t]!;
        if (m >= a) while (open > 0 && openStack[open - 1]! >= m) open--;
        continue;
      }
      if (kind === IDENT) {
        const len = buf.end[t]! - buf.start[t]!;
        if (len === 3 && tokenIs(text, buf, t, 'for')) {
          // Targets are short: a bounded search keeps broken code (`for for for …`) linear.
          let k = t + 1;
          for (let steps = 0; k < b && steps < SEARCH_LIMIT && !tokenIs(text, buf, k, 'in'); steps++) k = skipGroup(buf, k, b);
          if (k >= b || !tokenIs(text, buf, k, 'in')) continue;
          this.markTargets(t + 1, k);
          if (t === forTok) this.bindTargets(t + 1, k);
          else {
            // A comprehension: its targets are its own; a generator expression runs later.
            const g = open > 0 ? openStack[open - 1]! : -1;
            if (g < 0) continue;
            const m = buf.match[g]!;
            const close = m >= 0 && m < b ? m : b;
            this.shadowTargets(t + 1, k, g, close);
            if (buf.aux[g] === CH_LPAREN) this.defer(g, close);
          }
        } else if (len === 2 && tokenIs(text, buf, t, 'as')) {
          if (buf.kind[t + 1] === IDENT && t + 1 < b && this.bare(t + 1, t + 1, b)) this.bind(t + 1);
          // `with f() as x.y[0]:` / `as (a[0], b):` store into the target.
          let k = t + 1;
          while (k < b && (buf.kind[k] === IDENT || isOp(buf, k, OP_DOT) || buf.kind[k] === OPEN)) k = skipGroup(buf, k, b);
          if (k > t + 1) this.markTargets(t + 1, k);
        } else if (len === 6 && tokenIs(text, buf, t, 'lambda')) {
          const g = open > 0 ? openStack[open - 1]! : -1;
          const m = g >= 0 ? buf.match[g]! : -1;
          this.lambda(t, b, m >= 0 && m < b ? m : b, g);
        }
      } else if (kind === OP && buf.aux[t] === OP_WALRUS && t > a && buf.kind[t - 1] === IDENT) {
        this.bind(t - 1);
      }
    }
  }

  /** A lambda at `t` in a statement ending at `b`, inside the group opened at `group` (-1: none) and closed at `close`. */
  private lambda(t: number, b: number, close: number, group: number): void {
    const { text, buf } = this;
    let colon = t + 1;
    for (let steps = 0; colon < b && steps < SEARCH_LIMIT && !isOp(buf, colon, OP_COLON); steps++) colon = skipGroup(buf, colon, b);
    if (colon >= b || !isOp(buf, colon, OP_COLON)) return;
    // The body runs to the first comma, closing bracket or comprehension `for` at its level. A
    // lambda in the body of the previous one, at the same level, ends where that one does: the
    // search from its colon would walk the same tokens (`lambda: lambda: …` stays linear).
    let end: number;
    if (group === lambdaGroup && colon > lambdaColon && colon < lambdaEnd) end = lambdaEnd;
    else {
      end = colon + 1;
      const limit = Math.min(b, close);
      while (end < limit && !isOp(buf, end, OP_COMMA) && buf.kind[end] !== CLOSE && !tokenIs(text, buf, end, 'for')) end = skipGroup(buf, end, limit);
    }
    lambdaGroup = group;
    lambdaColon = colon;
    lambdaEnd = end;
    for (let k = t + 1; k < colon; k = skipGroup(buf, k, colon)) {
      if (buf.kind[k] !== IDENT) continue;
      if (k === t + 1 || isOp(buf, k - 1, OP_COMMA) || isOp(buf, k - 1, OP_STAR) || isOp(buf, k - 1, OP_POW)) this.shadow(k, t, end - 1);
    }
    this.defer(colon + 1, end - 1);
  }

  /** The bare names of a comprehension's target list [a, b) shadow them in [from, to]. */
  private shadowTargets(a: number, b: number, from: number, to: number): void {
    const { buf } = this;
    for (let t = a; t < b; ) {
      if (buf.kind[t] === IDENT && this.bare(t, a, b)) this.shadow(t, from, to);
      if (buf.kind[t] === OPEN && t > a && (buf.kind[t - 1] === IDENT || buf.kind[t - 1] === CLOSE)) t = skipGroup(buf, t, b);
      else t++;
    }
  }

  private shadow(name: number, from: number, to: number): void {
    shadows = grow(shadows, this.shadowCount * 3 + 3);
    shadows[this.shadowCount * 3] = name;
    shadows[this.shadowCount * 3 + 1] = from;
    shadows[this.shadowCount * 3 + 2] = to;
    this.shadowCount++;
  }

  private defer(from: number, to: number): void {
    deferred = grow(deferred, this.deferredCount * 2 + 2);
    deferred[this.deferredCount * 2] = from;
    deferred[this.deferredCount * 2 + 1] = to;
    this.deferredCount++;
  }

  /** `case` patterns [a, b): capture names (and `as` names, bound by `generic`) up to a guard. */
  private bindCaptures(a: number, b: number): void {
    const { text, buf } = this;
    let t = a;
    for (; t < b; t++) {
      if (buf.kind[t] !== IDENT) continue;
      if (tokenIs(text, buf, t, 'if') && !isOp(buf, t - 1, OP_DOT)) break;
      if (isOp(buf, t - 1, OP_DOT) || isOp(buf, t + 1, OP_DOT) || isOp(buf, t + 1, OP_ASSIGN) || isOpen(buf, t + 1, CH_LPAREN)) continue;
      if (tokenIs(text, buf, t, 'as') || tokenIs(text, buf, t, '_') || tokenIs(text, buf, t, 'None') || tokenIs(text, buf, t, 'True') || tokenIs(text, buf, t, 'False')) continue;
      if (tokenIs(text, buf, t - 1, 'as')) continue;
      this.bind(t);
    }
  }

  /** A name standing alone in a target: not `x.a`, `a.x`, `x[…]` or `x(…)`. */
  private bare(t: number, a: number, b: number): boolean {
    const { buf } = this;
    if (t > a && isOp(buf, t - 1, OP_DOT)) return false;
    if (t + 1 < b && (isOp(buf, t + 1, OP_DOT) || buf.kind[t + 1] === OPEN)) return false;
    return true;
  }

  /** Binds the bare names of a target list [a, b), looking into tuple / list patterns. */
  private bindTargets(a: number, b: number): void {
    const { buf } = this;
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
      } else if (kind === IDENT && this.bare(t, a, b)) {
        this.bind(t);
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
  private markTargets(a: number, b: number): void {
    const { buf } = this;
    let top = 0;
    let end = b;
    let last = -1;
    let t = a;
    for (;;) {
      if (t >= end) {
        if (last >= 0) storeEnd[last] = 1;
        last = -1;
        if (top === 0) break;
        t = end + 1;
        end = markStack[--top]!;
        continue;
      }
      const kind = buf.kind[t];
      if (kind === OP && buf.aux[t] === OP_COMMA) {
        if (last >= 0) storeEnd[last] = 1;
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
          markStack = grow(markStack, top + 1);
          markStack[top++] = end;
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

  private bind(t: number): void {
    if (this.bindingCount === bindings.length) {
      const grown = new Int32Array(bindings.length * 2);
      grown.set(bindings);
      bindings = grown;
    }
    bindings[this.bindingCount++] = t;
  }

  private resolveAliases(): void {
    let changed = this.pendingAliases.length > 0;
    while (changed) {
      changed = false;
      for (const [target, source] of this.pendingAliases) {
        if (!this.getSecretNames.has(target) && this.getSecretNames.has(source)) {
          this.getSecretNames.add(target);
          changed = true;
        }
      }
    }
  }

  // ---- pass 2: references ----

  private references(): void {
    const { text, buf, count } = this;
    const aliases = this.getSecretNames.size > 0;
    const envAliases = this.environNames.size > 0 || this.getenvNames.size > 0;
    const osAliases = this.osNames.size > 0;
    for (let t = 0; t < count; t++) {
      if (buf.kind[t] !== IDENT) continue;
      const c = text.charCodeAt(buf.start[t]!);
      const afterDot = isOp(buf, t - 1, OP_DOT);
      if (c === 103 && afterDot && isOpen(buf, t + 1, CH_LPAREN) && tokenIs(text, buf, t, 'get_secret')) {
        this.secretCall(chainStart(text, buf, t - 1, true), t + 1);
        continue;
      }
      if (afterDot) continue;
      // `def get_secret(self, name):` / `class getenv(Base):` define a name, they call nothing.
      if ((aliases || envAliases) && t > 0 && buf.kind[t - 1] === IDENT && (tokenIs(text, buf, t - 1, 'def') || tokenIs(text, buf, t - 1, 'class'))) continue;
      if (aliases && isOpen(buf, t + 1, CH_LPAREN) && this.getSecretNames.candidate(text, buf, t) !== null) {
        this.secretCall(t, t + 1);
        continue;
      }
      if (isOp(buf, t + 1, OP_DOT) && ((c === 111 && tokenIs(text, buf, t, 'os')) || (osAliases && this.osNames.candidate(text, buf, t) !== null))) {
        if (tokenIs(text, buf, t + 2, 'environ')) this.environ(t, t + 3);
        else if (tokenIs(text, buf, t + 2, 'getenv') && isOpen(buf, t + 3, CH_LPAREN)) this.envCall(t, t + 3);
        continue;
      }
      if (envAliases) {
        if (this.environNames.candidate(text, buf, t) !== null) this.environ(t, t + 1);
        else if (isOpen(buf, t + 1, CH_LPAREN) && this.getenvNames.candidate(text, buf, t) !== null) this.envCall(t, t + 1);
      }
    }
  }

  private callLiteral(open: number, limit: number, keyword: string): StringLiteral {
    const arg = findArgument(this.text, this.buf, open, limit, keyword, true);
    if (!arg) return emptyLiteral(this.buf.end[open]!);
    return arg.end > arg.start ? literalOf(this.text, this.buf, arg.start, arg.end, true) : emptyLiteral(this.buf.end[arg.start - 1]!);
  }

  /** The end offset of a group opened at `open` whose contents end at `limit`. */
  private groupSpanEnd(open: number, limit: number): number {
    const { buf } = this;
    const close = buf.match[open]!;
    if (close >= 0) return buf.end[close]!;
    return limit > open + 1 ? buf.end[limit - 1]! : buf.end[open]!;
  }

  private secretCall(startTok: number, open: number): void {
    const { text, buf } = this;
    const limit = groupEnd(text, buf, open);
    const literal = this.callLiteral(open, limit, 'name');
    const ref: SecretReference = {
      form: 'get_secret',
      name: literal.value,
      literal,
      keys: [],
      span: { start: buf.start[startTok]!, end: this.groupSpanEnd(open, limit) },
    };
    this.refs.push(ref);
    const close = buf.match[open]!;
    if (close < 0) return;
    const key = this.keyAccess(close + 1);
    if (key) ref.keys.push(key);
    // `name = <this call>` as a whole statement: keys may be read through `name` later.
    const target = assignTargetAt[startTok]!;
    if (target >= 0 && isOp(buf, startTok - 1, OP_ASSIGN) && stmtEndAt[startTok] === close + 1) {
      const name = text.slice(buf.start[target]!, buf.end[target]!);
      const scope = scopeOf[target]!;
      const tracked: Tracked = { ref, name, target, scope };
      this.tracked.push(tracked);
      this.trackedNames.add(name);
      let scopes = this.trackedByName.get(name);
      if (!scopes) this.trackedByName.set(name, (scopes = new Map()));
      const list = scopes.get(scope);
      if (list) list.push(tracked);
      else scopes.set(scope, [tracked]);
    }
  }

  /** A key read at token `t`: `[…]` or `.get(…)`; null when there is none, or when it is written. */
  private keyAccess(t: number): KeyAccess | null {
    const { text, buf } = this;
    if (isOpen(buf, t, CH_LBRACKET)) {
      const m = buf.match[t]!;
      if (m >= 0 && storeEnd[m]) return null;
      const limit = groupEnd(text, buf, t);
      const literal = limit > t + 1 ? literalOf(text, buf, t + 1, limit, true) : emptyLiteral(buf.end[t]!);
      return { key: literal.value, literal, via: 'subscript' };
    }
    if (isOp(buf, t, OP_DOT) && tokenIs(text, buf, t + 1, 'get') && isOpen(buf, t + 2, CH_LPAREN)) {
      const open = t + 2;
      const arg = findArgument(text, buf, open, groupEnd(text, buf, open), null, true);
      const literal = arg ? literalOf(text, buf, arg.start, arg.end, true) : emptyLiteral(buf.end[open]!);
      return { key: literal.value, literal, via: 'get' };
    }
    return null;
  }

  /** `os.environ` (or an imported `environ`) ending at `after`: `[…]` or `.get(…)` follow. */
  private environ(startTok: number, after: number): void {
    const { text, buf } = this;
    if (isOpen(buf, after, CH_LBRACKET)) {
      const limit = groupEnd(text, buf, after);
      const literal = limit > after + 1 ? literalOf(text, buf, after + 1, limit, true) : emptyLiteral(buf.end[after]!);
      const ref: SecretReference = {
        form: 'env',
        name: literal.value,
        literal,
        keys: [],
        span: { start: buf.start[startTok]!, end: this.groupSpanEnd(after, limit) },
      };
      const close = buf.match[after]!;
      (close >= 0 && storeEnd[close] ? this.writes : this.refs).push(ref);
    } else if (isOp(buf, after, OP_DOT) && tokenIs(text, buf, after + 1, 'get') && isOpen(buf, after + 2, CH_LPAREN)) {
      this.envCall(startTok, after + 2);
    }
  }

  private envCall(startTok: number, open: number): void {
    const { text, buf } = this;
    const limit = groupEnd(text, buf, open);
    const literal = this.callLiteral(open, limit, 'key');
    this.refs.push({
      form: 'env',
      name: literal.value,
      literal,
      keys: [],
      span: { start: buf.start[startTok]!, end: this.groupSpanEnd(open, limit) },
    });
  }

  // ---- pass 3: variables ----

  /** Keys read through variables, attached to every secret the variable may hold at the read. */
  private variables(): void {
    const { text, buf, count } = this;
    const names = new Map<string, number>();
    for (const tr of this.tracked) if (!names.has(tr.name)) names.set(tr.name, names.size);
    // A name declared global / nonlocal and bound in that scope may be set by a call we cannot
    // follow: it holds something unknown everywhere.
    const poisoned = new Set<string>();
    if (this.declared.length > 0) {
      const declared = new Set<string>();
      for (const t of this.declared) {
        const name = this.trackedNames.candidate(text, buf, t);
        if (name !== null) declared.add(`${scopeOf[t]!}:${name}`);
      }
      for (let k = 0; k < this.bindingCount && declared.size > 0; k++) {
        const b = bindings[k]!;
        const name = this.trackedNames.candidate(text, buf, b);
        if (name !== null && declared.has(`${scopeOf[b]!}:${name}`)) poisoned.add(name);
      }
    }
    const isTracked = (name: string, scope: number): boolean => !poisoned.has(name) && !this.starScopes.has(scope) && this.trackedByName.get(name)!.has(scope);
    const targetDef = new Map<number, number>();
    const indexOf = new Map<Tracked, number>();
    this.tracked.forEach((tr, i) => {
      targetDef.set(tr.target, i);
      indexOf.set(tr, i);
    });

    const events: FlowEvent[] = [];
    // Bindings: where a name gets something else (or, at a tracked target, its secret).
    const otherBound = new Set<string>();
    for (let k = 0; k < this.bindingCount; k++) {
      const b = bindings[k]!;
      const name = this.trackedNames.candidate(text, buf, b);
      if (name === null || !isTracked(name, scopeOf[b]!)) continue;
      // A secret whose name is computed is as unknown as any other value.
      const found = targetDef.get(b);
      const def = found !== undefined && this.tracked[found]!.ref.name !== null ? found : OTHER;
      if (def === OTHER) otherBound.add(`${scopeOf[b]!}:${name}`);
      events.push({ tok: b, type: isOp(buf, b + 1, OP_WALRUS) ? EV_BIND_INLINE : EV_BIND, name: names.get(name)!, scope: scopeOf[b]!, value: def });
    }
    // Uses: key reads through a tracked name, not shadowed, not written.
    const uses: Array<{ key: KeyAccess; name: string; scope: number; deferred: boolean }> = [];
    for (let t = 0; t < count; t++) {
      if (buf.kind[t] !== IDENT) continue;
      const name = this.trackedNames.candidate(text, buf, t);
      if (name === null || isOp(buf, t - 1, OP_DOT)) continue;
      const scope = scopeOf[t]!;
      if (!isTracked(name, scope) || this.shadowed(t, name)) continue;
      const key = this.keyAccess(t + 1);
      if (!key) continue;
      const late = this.inDeferred(t);
      uses.push({ key, name, scope, deferred: late });
      if (!late) events.push({ tok: t, type: EV_USE, name: names.get(name)!, scope, value: uses.length - 1 });
    }
    if (uses.length === 0) return;
    events.sort((x, y) => x.tok - y.tok);

    // Each statement's events.
    const n = statements.count;
    const evFrom = new Int32Array(n);
    const evTo = new Int32Array(n);
    let e = 0;
    for (let k = 0; k < n; k++) {
      while (e < events.length && events[e]!.tok < statements.start[k]!) e++;
      evFrom[k] = e;
      let f = e;
      while (f < events.length && events[f]!.tok < statements.end[k]!) f++;
      evTo[k] = f;
      e = f;
    }
    const reach: Array<ReadonlySet<number> | null> = new Array(uses.length).fill(null);
    const flow = new Flow(statements, events, evFrom, evTo, reach, names.size);
    const scopes = new Map<number, number[]>();
    for (const u of uses) {
      if (u.deferred) continue;
      const ids = scopes.get(u.scope) ?? [];
      const id = names.get(u.name)!;
      if (!ids.includes(id)) ids.push(id);
      scopes.set(u.scope, ids);
    }
    for (const [scope, ids] of scopes) {
      if (scope === 0) flow.run(0, 0, -1, ids);
      else {
        const header = this.scopeHeader[scope]!;
        flow.run(scope, header + 1, statements.indent[header]!, ids);
      }
    }
    uses.forEach((u, i) => {
      let defs: Iterable<number>;
      if (u.deferred) {
        // Runs later: whatever the name holds anywhere in its scope.
        const all = this.trackedByName.get(u.name)!.get(u.scope)!;
        if (otherBound.has(`${u.scope}:${u.name}`) || all.some((tr) => tr.ref.name === null)) return;
        defs = all.map((tr) => indexOf.get(tr)!);
      } else {
        const set = reach[i];
        if (!set || set.has(OTHER)) return;
        defs = set;
      }
      for (const d of defs) this.tracked[d]!.ref.keys.push(u.key);
    });
  }

  /** Whether the name at `t` is a lambda parameter or comprehension target there. */
  private shadowed(t: number, name: string): boolean {
    if (this.shadowSpans === null) {
      // Built once, when the first use is checked (every shadow is known by then): one lookup per
      // use instead of a pass over every lambda and comprehension of the file.
      const { text, buf } = this;
      const byName = new Map<string, number[]>();
      for (let k = 0; k < this.shadowCount; k++) {
        const shadowedName = this.trackedNames.candidate(text, buf, shadows[k * 3]!);
        if (shadowedName === null) continue;
        let list = byName.get(shadowedName);
        if (!list) byName.set(shadowedName, (list = []));
        list.push(shadows[k * 3 + 1]!, shadows[k * 3 + 2]!);
      }
      this.shadowSpans = new Map([...byName].map(([n, pairs]) => [n, new SpanSet(pairs)]));
    }
    return this.shadowSpans.get(name)?.has(t) ?? false;
  }

  private inDeferred(t: number): boolean {
    this.deferredSpans ??= new SpanSet(Array.from(deferred.subarray(0, this.deferredCount * 2)));
    return this.deferredSpans.has(t);
  }
}
