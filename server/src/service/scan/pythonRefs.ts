// Finds secret references in a lexed Python document. Three passes over the tokens:
//  1. structure: statements, scopes (def/class bodies by indentation), name bindings, and the
//     names that alias get_secret / os.environ / os.getenv (imports, simple assignments);
//  2. references: get_secret calls and environment reads, with keys read directly off a call;
//  3. variables: keys read through a variable assigned once from a call in the same scope.

import { chainStart, findArgument, groupEnd, resetGroupCache, skipGroup } from './calls';
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
  STRING,
  TPL_HEAD,
  TPL_TAIL,
  TokenBuffer,
  isOp,
  isOpen,
  tokenIs,
} from './tokens';
import type { KeyAccess, SecretReference, StringLiteral } from './types';

/** How far (in tokens and groups) to look for the `in` of a for-target or a lambda's colon. */
const SEARCH_LIMIT = 64;

// What a statement's first token says about it.
const KW_NONE = 0;
const KW_ASYNC = 1;
const KW_DEF = 2;
const KW_CLASS = 3;
const KW_COMPOUND = 4; // if elif else while for with try except finally
const KW_IMPORT = 5;
const KW_FROM = 6;
const KW_NAMES = 7; // del global nonlocal: the names that follow are (re)bound

interface Tracked {
  ref: SecretReference;
  name: string;
  target: number;
  scope: number;
  after: number;
  /** Keys read through the variable; kept only if it turns out to be assigned once. */
  keys: KeyAccess[];
  reassigned: boolean;
}

/** Scratch arrays kept between scans so a scan allocates little. */
let scopeOf = new Int32Array(0);
let assignTargetAt = new Int32Array(0);
let stmtEndAt = new Int32Array(0);
let bindings = new Int32Array(1024);

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

function last<T>(xs: T[]): T {
  return xs[xs.length - 1]!;
}

export function findPythonReferences(text: string, buf: TokenBuffer): SecretReference[] {
  return new PythonAnalysis(text, buf).run();
}

class PythonAnalysis {
  private readonly count: number;
  private readonly getSecretNames = new NameSet();
  private readonly environNames = new NameSet();
  private readonly getenvNames = new NameSet();
  /** `target = source` pairs, resolved once all imports are known. */
  private readonly pendingAliases: Array<[string, string]> = [];
  private bindingCount = 0;
  private scopeIndents: number[] = [-1];
  private scopeIds: number[] = [0];
  private scopeCounter = 0;
  private lineIndent = 0;
  private readonly refs: SecretReference[] = [];
  private readonly tracked: Tracked[] = [];
  private readonly trackedNames = new NameSet();
  /** name → scope → the variables assigned from a call there (usually one). */
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
    }
    assignTargetAt.fill(-1, 0, size);
  }

  run(): SecretReference[] {
    resetGroupCache();
    this.structure();
    this.resolveAliases();
    this.references();
    if (this.tracked.length > 0) this.variables();
    sortBySpan(this.refs);
    return this.refs;
  }

  // ---- pass 1: structure ----

  private structure(): void {
    const { buf, count } = this;
    let t = 0;
    while (t < count) {
      if (buf.kind[t] === LINE) {
        const indent = buf.aux[t]!;
        this.lineIndent = indent;
        while (this.scopeIds.length > 1 && this.scopeIndents[this.scopeIndents.length - 1]! >= indent) {
          this.scopeIds.pop();
          this.scopeIndents.pop();
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

  private keyword(t: number): number {
    const { text, buf } = this;
    if (buf.kind[t] !== IDENT) return KW_NONE;
    const len = buf.end[t]! - buf.start[t]!;
    if (len < 2 || len > 8) return KW_NONE;
    // Dispatch on the first letter so that most statements cost one comparison, no allocation.
    switch (text.charCodeAt(buf.start[t]!)) {
      case 97: // a
        return tokenIs(text, buf, t, 'async') ? KW_ASYNC : KW_NONE;
      case 99: // c
        return tokenIs(text, buf, t, 'class') ? KW_CLASS : KW_NONE;
      case 100: // d
        return tokenIs(text, buf, t, 'def') ? KW_DEF : tokenIs(text, buf, t, 'del') ? KW_NAMES : KW_NONE;
      case 101: // e
        return tokenIs(text, buf, t, 'elif') || tokenIs(text, buf, t, 'else') || tokenIs(text, buf, t, 'except') ? KW_COMPOUND : KW_NONE;
      case 102: // f
        return tokenIs(text, buf, t, 'for') || tokenIs(text, buf, t, 'finally') ? KW_COMPOUND : tokenIs(text, buf, t, 'from') ? KW_FROM : KW_NONE;
      case 103: // g
        return tokenIs(text, buf, t, 'global') ? KW_NAMES : KW_NONE;
      case 105: // i
        return tokenIs(text, buf, t, 'if') ? KW_COMPOUND : tokenIs(text, buf, t, 'import') ? KW_IMPORT : KW_NONE;
      case 110: // n
        return tokenIs(text, buf, t, 'nonlocal') ? KW_NAMES : KW_NONE;
      case 116: // t
        return tokenIs(text, buf, t, 'try') ? KW_COMPOUND : KW_NONE;
      case 119: // w
        return tokenIs(text, buf, t, 'while') || tokenIs(text, buf, t, 'with') ? KW_COMPOUND : KW_NONE;
    }
    return KW_NONE;
  }

  /** Processes the statement starting at `s0`; returns the index where the next one starts. */
  private statement(s0: number): number {
    const { buf } = this;
    const scope = this.scope();
    let s = s0;
    let kw = this.keyword(s);
    if (kw === KW_ASYNC) {
      const next = this.keyword(s + 1);
      if (next === KW_DEF || next === KW_COMPOUND) {
        s++;
        kw = next;
      }
    }
    if (kw === KW_DEF || kw === KW_CLASS) return this.definition(s0, s, kw === KW_DEF);
    if (kw === KW_COMPOUND) {
      const colon = this.headerColon(s + 1);
      scopeOf.fill(scope, s0, colon + 1);
      this.generic(s0, colon);
      return isOp(buf, colon, OP_COLON) ? colon + 1 : colon;
    }
    const end = this.simpleEnd(s);
    scopeOf.fill(scope, s0, end + 1);
    if (kw === KW_IMPORT || kw === KW_FROM) this.importStatement(s, end, kw === KW_FROM);
    else if (kw === KW_NAMES) this.bindTargets(s + 1, end);
    else this.simpleStatement(s, end);
    this.generic(s, end);
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
    this.scopeCounter++;
    this.scopeIds.push(this.scopeCounter);
    this.scopeIndents.push(this.lineIndent);
    const inner = this.scopeCounter;
    if (name + 1 >= this.count) return this.count;
    const colon = this.headerColon(name + 1);
    scopeOf.fill(inner, name + 1, colon + 1);
    if (isDef && isOpen(buf, name + 1, CH_LPAREN)) this.parameters(name + 1, colon);
    this.generic(name + 1, colon);
    return isOp(buf, colon, OP_COLON) ? colon + 1 : Math.max(colon, name + 1);
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
          t = k;
          expectName = false;
        } else if (isOp(buf, t, OP_COMMA)) expectName = true;
      }
      return;
    }
    let imp = s + 1;
    while (imp < end && !tokenIs(text, buf, imp, 'import')) imp++;
    const fromOs = imp === s + 2 && tokenIs(text, buf, s + 1, 'os');
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
          if (annotation < 0) this.bindTargets(segment, t);
          segment = t + 1;
        } else if (op === OP_AUG) {
          if (assigns === 0 && aug < 0) aug = t;
        } else if (op === OP_COLON) {
          if (lambdas > 0) lambdas--;
          else if (annotation < 0 && assigns === 0) annotation = t;
        }
      } else if (kind === IDENT && tokenIs(text, buf, t, 'lambda')) lambdas++;
    }
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

  /** Rules that bind names anywhere in a statement: for-targets, `as`, `:=`, lambda parameters. */
  private generic(a: number, b: number): void {
    const { text, buf } = this;
    for (let t = a; t < b; t++) {
      const kind = buf.kind[t];
      if (kind === IDENT) {
        const len = buf.end[t]! - buf.start[t]!;
        if (len === 3 && tokenIs(text, buf, t, 'for')) {
          // Targets are short: a bounded search keeps broken code (`for for for …`) linear.
          let k = t + 1;
          for (let steps = 0; k < b && steps < SEARCH_LIMIT && !tokenIs(text, buf, k, 'in'); steps++) k = skipGroup(buf, k, b);
          if (k < b && tokenIs(text, buf, k, 'in')) this.bindTargets(t + 1, k);
        } else if (len === 2 && tokenIs(text, buf, t, 'as')) {
          if (buf.kind[t + 1] === IDENT && t + 1 < b && this.bare(t + 1, t + 1, b)) this.bind(t + 1);
        } else if (len === 6 && tokenIs(text, buf, t, 'lambda')) {
          for (let k = t + 1, steps = 0; k < b && steps < SEARCH_LIMIT && !isOp(buf, k, OP_COLON); k = skipGroup(buf, k, b), steps++) {
            if (buf.kind[k] !== IDENT) continue;
            if (k === t + 1 || isOp(buf, k - 1, OP_COMMA) || isOp(buf, k - 1, OP_STAR) || isOp(buf, k - 1, OP_POW)) this.bind(k);
          }
        }
      } else if (kind === OP && buf.aux[t] === OP_WALRUS && t > a && buf.kind[t - 1] === IDENT) {
        this.bind(t - 1);
      }
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
    for (let t = 0; t < count; t++) {
      if (buf.kind[t] !== IDENT) continue;
      const c = text.charCodeAt(buf.start[t]!);
      const afterDot = isOp(buf, t - 1, OP_DOT);
      if (c === 103 && afterDot && isOpen(buf, t + 1, CH_LPAREN) && tokenIs(text, buf, t, 'get_secret')) {
        this.secretCall(chainStart(text, buf, t - 1, true), t + 1);
        continue;
      }
      if (afterDot) continue;
      if (this.tracked.length > 0) {
        const name = this.trackedNames.candidate(text, buf, t);
        if (name !== null) this.use(t, name);
      }
      if (aliases && isOpen(buf, t + 1, CH_LPAREN) && this.getSecretNames.candidate(text, buf, t) !== null) {
        this.secretCall(t, t + 1);
        continue;
      }
      if (c === 111 && isOp(buf, t + 1, OP_DOT) && tokenIs(text, buf, t, 'os')) {
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
      this.tracked.push({
        ref,
        name,
        target,
        scope,
        after: close,
        keys: [],
        reassigned: false,
      });
      this.trackedNames.add(name);
      let scopes = this.trackedByName.get(name);
      if (!scopes) this.trackedByName.set(name, (scopes = new Map()));
      const list = scopes.get(scope);
      if (list) list.push(last(this.tracked));
      else scopes.set(scope, [last(this.tracked)]);
    }
  }

  /** A key read at token `t`: `[…]` or `.get(…)`; null when there is none. */
  private keyAccess(t: number): KeyAccess | null {
    const { text, buf } = this;
    if (isOpen(buf, t, CH_LBRACKET)) {
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
      this.refs.push({
        form: 'env',
        name: literal.value,
        literal,
        keys: [],
        span: { start: buf.start[startTok]!, end: this.groupSpanEnd(after, limit) },
      });
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

  /** `name` at token `t`, a variable assigned from a call: a key read through it, if any. */
  private use(t: number, name: string): void {
    const list = this.trackedByName.get(name)!.get(scopeOf[t]!);
    if (!list) return;
    for (const tr of list) {
      if (t <= tr.after) continue;
      const key = this.keyAccess(t + 1);
      if (key) tr.keys.push(key);
    }
  }

  /** Keeps the keys read through variables that no other binding in their scope reassigns. */
  private variables(): void {
    const { text, buf } = this;
    for (let k = 0; k < this.bindingCount; k++) {
      const b = bindings[k]!;
      const name = this.trackedNames.candidate(text, buf, b);
      if (name === null) continue;
      const list = this.trackedByName.get(name)!.get(scopeOf[b]!);
      if (list) for (const tr of list) if (b !== tr.target) tr.reassigned = true;
    }
    for (const tr of this.tracked) if (!tr.reassigned && tr.keys.length > 0) tr.ref.keys.push(...tr.keys);
  }
}
