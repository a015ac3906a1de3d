// Pass 1 of the Python reference finder: the structure. Statements (with their kind and
// indentation), scopes (def / class bodies by indentation), module-level functions, and for each
// statement the names it binds (pythonRefsTargets.ts) and the aliases it imports or assigns
// (pythonRefsImports.ts).

import { chainStart, groupEnd, skipGroup } from '../scan/calls';
import {
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
} from './keyFlow';
import { importStatement } from './pythonRefsImports';
import { currentScope, ENV_GETTER, ENV_MAPPING, ENV_NONE, type PythonRefScan, scratch, statements } from './pythonRefsState';
import { bind, bindCaptures, bindTargets, generic, markTargets } from './pythonRefsTargets';
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
  CH_LBRACKET,
  CH_LPAREN,
  TPL_HEAD,
  isOp,
  isOpen,
  tokenIs,
} from '../scan/tokens';
import type { FunctionDef } from '../scan/types';

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

export function structure(scan: PythonRefScan): void {
  const { buf, count } = scan;
  let t = 0;
  while (t < count) {
    if (buf.kind[t] === LINE) {
      const indent = buf.aux[t]!;
      scan.lineIndent = indent;
      scan.inlineBody = false;
      while (scan.matchIndents.length > 0 && scan.matchIndents[scan.matchIndents.length - 1]! >= indent) scan.matchIndents.pop();
      while (scan.scopeIds.length > 1 && scan.scopeIndents[scan.scopeIndents.length - 1]! >= indent) {
        const closed = scan.scopeIds.pop()!;
        scan.scopeIndents.pop();
        scan.scopeEnd[closed] = t;
        if (closed === scan.openFunctionScope) {
          scan.functions[scan.functions.length - 1]!.span.end = buf.start[t]!;
          scan.openFunctionScope = -1;
        }
      }
      scratch.scopeOf[t] = currentScope(scan);
      t++;
      continue;
    }
    t = statement(scan, t);
  }
}

/** Sets the scope of tokens [from, to): a loop, as most statements are a few tokens, too few for `fill`'s call to pay. */
function fillScope(scope: number, from: number, to: number): void {
  const scopeOf = scratch.scopeOf;
  for (let t = from; t < to; t++) scopeOf[t] = scope;
}

/** The indentation recorded for the statement starting now (see StatementTable.indent). */
export function statementIndent(scan: PythonRefScan): number {
  return scan.lineIndent * 2 + (scan.inlineBody ? 1 : 0);
}

export function keyword(scan: PythonRefScan, t: number): number {
  const { text, buf } = scan;
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
export function statement(scan: PythonRefScan, s0: number): number {
  const { text, buf } = scan;
  const scope = currentScope(scan);
  let s = s0;
  let kw = keyword(scan, s);
  if (kw === KW_ASYNC) {
    const next = keyword(scan, s + 1);
    if (next === KW_DEF || next === KW_FOR || next === KW_WITH) {
      s++;
      kw = next;
    }
  }
  if (kw === KW_SOFT) {
    // `match x:` is a header when the line ends right after its colon; `case p:` when it stands
    // in a match statement's body (`case[1]: int` elsewhere annotates a subscript).
    const colon = headerColon(scan, s + 1);
    const isMatch = tokenIs(text, buf, s, 'match');
    let header = isOp(buf, colon, OP_COLON) && colon > s + 1;
    if (isMatch) header &&= colon + 1 >= scan.count || buf.kind[colon + 1] === LINE;
    else header &&= scan.matchIndents.length > 0 && !scan.inlineBody && scan.lineIndent > scan.matchIndents[scan.matchIndents.length - 1]!;
    kw = header ? KW_COMPOUND + (isMatch ? SK_MATCH : SK_CASE) : KW_NONE;
    if (header && isMatch) scan.matchIndents.push(scan.lineIndent);
  }
  if (kw === KW_DEF || kw === KW_CLASS) return definition(scan, s0, s, kw === KW_DEF);
  if (kw >= KW_COMPOUND) {
    const colon = headerColon(scan, s + 1);
    const next = isOp(buf, colon, OP_COLON) ? colon + 1 : colon;
    statements.push(s0, next, kw - KW_COMPOUND, statementIndent(scan), scope);
    generic(scan, s0, colon, kw === KW_FOR ? s : -1, scope);
    if (kw === KW_COMPOUND + SK_CASE) bindCaptures(scan, s + 1, colon);
    scan.inlineBody = next < scan.count && buf.kind[next] !== LINE;
    return next;
  }
  const keywordStatement = kw === KW_IMPORT || kw === KW_FROM || kw === KW_DEL || kw === KW_GLOBAL;
  const end = keywordStatement ? simpleEnd(scan, s) : simpleStatement(scan, s);
  const kind = kw === KW_RETURN ? SK_RETURN : kw === KW_BREAK ? SK_BREAK : kw === KW_CONTINUE ? SK_CONTINUE : SK_SIMPLE;
  statements.push(s0, end, kind, statementIndent(scan), scope);
  if (kw === KW_IMPORT || kw === KW_FROM) importStatement(scan, s, end, kw === KW_FROM);
  else if (kw === KW_DEL) {
    bindTargets(scan, s + 1, end);
    markTargets(scan, s + 1, end);
  } else if (kw === KW_GLOBAL) {
    for (let t = s + 1; t < end; t++) if (buf.kind[t] === IDENT) scan.declared.push(t);
  }
  generic(scan, s0, end, -1, scope);
  return isOp(buf, end, OP_SEMI) ? end + 1 : end;
}

/** The end of a simple statement: its `;`, the next logical line, or the end. */
export function simpleEnd(scan: PythonRefScan, s: number): number {
  const { buf, count } = scan;
  let t = s;
  while (t < count) {
    const kind = buf.kind[t];
    if (kind === LINE) return t;
    if (kind === OP && buf.aux[t] === OP_SEMI) return t;
    t = skip(scan, t);
  }
  return count;
}

/** The token after `t`, or after the group `t` opens; an unclosed group runs to the next line. */
export function skip(scan: PythonRefScan, t: number): number {
  const { buf, count } = scan;
  const kind = buf.kind[t];
  if (kind !== OPEN && kind !== TPL_HEAD) return t + 1;
  const m = buf.match[t]!;
  if (m >= 0) return m + 1;
  let k = t + 1;
  while (k < count && buf.kind[k] !== LINE) k++;
  return k;
}

/** The `:` ending a compound statement's header (a lambda's colon is skipped). */
export function headerColon(scan: PythonRefScan, from: number): number {
  const { buf, count } = scan;
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
    } else if (kind === IDENT && tokenIs(scan.text, buf, t, 'lambda')) lambdas++;
    t = skip(scan, t);
  }
  return count;
}

export function definition(scan: PythonRefScan, s0: number, s: number, isDef: boolean): number {
  const { buf } = scan;
  const outer = currentScope(scan);
  const name = s + 1;
  fillScope(outer, s0, name + 1);
  if (buf.kind[name] === IDENT) bind(scan, name);
  const header = statements.push(s0, name + 1, SK_DEF, statementIndent(scan), outer);
  scan.scopeCounter++;
  scan.scopeIds.push(scan.scopeCounter);
  scan.scopeIndents.push(scan.lineIndent);
  scan.scopeHeader[scan.scopeCounter] = header;
  scan.scopeEnd[scan.scopeCounter] = scan.count; // until its scope closes (structure)
  const inner = scan.scopeCounter;
  if (isDef && outer === 0 && buf.kind[name] === IDENT) recordFunction(scan, s0, name, inner);
  if (name + 1 >= scan.count) return scan.count;
  const colon = headerColon(scan, name + 1);
  if (isDef && isOpen(buf, name + 1, CH_LPAREN)) parameters(scan, name + 1, colon);
  generic(scan, name + 1, colon, -1, inner);
  const next = isOp(buf, colon, OP_COLON) ? colon + 1 : Math.max(colon, name + 1);
  scan.inlineBody = next < scan.count && buf.kind[next] !== LINE;
  return next;
}

/** A module-level def: its name, first parameter and extent (the end is set when its scope closes). */
export function recordFunction(scan: PythonRefScan, s0: number, name: number, scope: number): void {
  const { text, buf } = scan;
  // `def f[T](conv: T)` (type parameters, Python 3.12): the parameters follow the brackets.
  const open = isOpen(buf, name + 1, CH_LBRACKET) && buf.match[name + 1]! >= 0 ? buf.match[name + 1]! + 1 : name + 1;
  const first = isOpen(buf, open, CH_LPAREN) && buf.kind[open + 1] === IDENT ? open + 1 : -1;
  const fn: FunctionDef = {
    name: text.slice(buf.start[name]!, buf.end[name]!),
    nameSpan: { start: buf.start[name]!, end: buf.end[name]! },
    span: { start: buf.start[s0]!, end: text.length },
    firstParam: first >= 0 ? firstParamName(scan, first) : null,
  };
  scan.functions.push(fn);
  scan.openFunctionScope = scope;
}

/** The name at `t`, as a string: the previous function's first parameter's when the same (`conv` in every one), else a new one. */
function firstParamName(scan: PythonRefScan, t: number): string {
  const { text, buf, functions } = scan;
  const last = functions.length > 0 ? functions[functions.length - 1]!.firstParam : null;
  const s = buf.start[t]!;
  if (last !== null && last.length === buf.end[t]! - s && text.startsWith(last, s)) return last;
  return text.slice(s, buf.end[t]!);
}

export function parameters(scan: PythonRefScan, open: number, limit: number): void {
  const { buf } = scan;
  const close = Math.min(groupEnd(scan.text, buf, open), limit);
  for (let t = open + 1; t < close; ) {
    if (buf.kind[t] === IDENT) {
      const prev = t - 1;
      if (prev === open || isOp(buf, prev, OP_COMMA) || isOp(buf, prev, OP_STAR) || isOp(buf, prev, OP_POW)) bind(scan, t);
    }
    t = skipGroup(buf, t, close);
  }
}

/**
 * An expression statement or assignment starting at `s`: what it binds, stores and aliases. Finds
 * its end on the way, as `simpleEnd` does (the same walk), and returns it.
 */
export function simpleStatement(scan: PythonRefScan, s: number): number {
  const { text, buf, count } = scan;
  let assigns = 0;
  let firstAssign = -1;
  let aug = -1;
  let annotation = -1;
  let lambdas = 0;
  let segment = s;
  let end = s;
  for (; end < count; end = skip(scan, end)) {
    const t = end;
    const kind = buf.kind[t];
    if (kind === LINE) break;
    if (kind === OP) {
      const op = buf.aux[t];
      if (op === OP_SEMI) break;
      if (op === OP_ASSIGN) {
        if (assigns === 0) firstAssign = t;
        assigns++;
        // Every segment before an `=` is a target list (the annotated case binds below).
        if (annotation < 0) {
          bindTargets(scan, segment, t);
          markTargets(scan, segment, t);
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
  if (annotation >= 0) markTargets(scan, s, annotation);
  if (annotation >= 0 && assigns > 0) bindTargets(scan, s, annotation);
  else if (assigns === 0 && aug >= 0) bindTargets(scan, s, aug);
  if (assigns !== 1) return end;
  const targetEnd = annotation >= 0 ? annotation : firstAssign;
  // `self.X = …`: its value's first token, its end and X, for keys read through the attribute (pythonRefsVariables.ts).
  if (targetEnd === s + 3 && annotation < 0 && tokenIs(text, buf, s, 'self') && isOp(buf, s + 1, OP_DOT) && buf.kind[s + 2] === IDENT && firstAssign + 1 < end) scan.selfTargets.push(firstAssign + 1, end, s + 2);
  if (targetEnd !== s + 1 || buf.kind[s] !== IDENT) return end;
  const valueStart = firstAssign + 1;
  if (valueStart >= end) return end;
  scratch.assignTargetAt[valueStart] = s;
  scratch.stmtEndAt[valueStart] = end;
  if (
    end - valueStart >= 3 &&
    tokenIs(text, buf, end - 1, 'get_secret') &&
    isOp(buf, end - 2, OP_DOT) &&
    chainStart(text, buf, end - 2, true) === valueStart
  ) {
    scan.getSecretNames.add(text.slice(buf.start[s]!, buf.end[s]!));
  } else if (end === valueStart + 1 && buf.kind[valueStart] === IDENT) {
    scan.pendingAliases.push([text.slice(buf.start[s]!, buf.end[s]!), text.slice(buf.start[valueStart]!, buf.end[valueStart]!)]);
  } else {
    const aliased = environValue(scan, valueStart, end);
    if (aliased !== ENV_NONE) scan.environTargets.push(s, aliased);
  }
  return end;
}

/** What `os.environ` / `os.getenv` / `os.environ.get` written at [s, end) is, as an alias (ENV_*). */
function environValue(scan: PythonRefScan, s: number, end: number): number {
  const { text, buf } = scan;
  if (end - s !== 3 && end - s !== 5) return ENV_NONE;
  if (buf.kind[s] !== IDENT || !isOp(buf, s + 1, OP_DOT)) return ENV_NONE;
  if (!tokenIs(text, buf, s, 'os') && scan.osNames.candidate(text, buf, s) === null) return ENV_NONE;
  if (end - s === 3) return tokenIs(text, buf, s + 2, 'environ') ? ENV_MAPPING : tokenIs(text, buf, s + 2, 'getenv') ? ENV_GETTER : ENV_NONE;
  return tokenIs(text, buf, s + 2, 'environ') && isOp(buf, s + 3, OP_DOT) && tokenIs(text, buf, s + 4, 'get') ? ENV_GETTER : ENV_NONE;
}
