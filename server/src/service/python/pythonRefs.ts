// Finds secret references in a lexed Python document. Three passes over the tokens:
//  1. structure: statements (with their kind and indentation), scopes (def/class bodies by
//     indentation), name bindings, names shadowed inside a lambda or comprehension, the tokens that
//     end a store target (assignment, del, for and with targets: writes, not reads), and the names
//     that alias get_secret / os / os.environ / os.getenv (imports, simple assignments), and
//     the imports of the platform's `secret_vault` (a get_secret of its own);
//  2. references: get_secret and secret_vault calls and environment reads, with keys read
//     directly off a call;
//  3. variables: keys read through a variable, checked against every secret it may hold there
//     (reaching definitions over the scope's statements, see keyFlow.ts).
// The passes are plain functions over one PythonRefScan (pythonRefsState.ts): the structure in
// pythonRefsStructure.ts (with pythonRefsTargets.ts and pythonRefsImports.ts), the references here,
// the variables in pythonRefsVariables.ts. Between passes 2 and 3, the names chosen at run time
// (nameSets.ts): a variable holding a read whose name resolves holds a secret for pass 3.

import { chainStart, groupEnd, itemEnd, resetGroupCache, SECRET_NAME_KEYWORDS } from '../scan/calls';
import { emptyLiteral, literalOf, sortBySpan } from '../scan/literals';
import type { AnalysisBudget } from '../scan/budget';
import { resolveKeys, resolveNames } from './nameSets';
import { argumentFor, callLiteral, groupSpanEnd, keyAccess } from './pythonRefsArgs';
import { resolveAliases, VAULT_FUNCTION } from './pythonRefsImports';
import { grow, PythonRefScan, scratch } from './pythonRefsState';
import { structure } from './pythonRefsStructure';
import { selfHolderKeys, variables } from './pythonRefsVariables';
import { helperHeld } from './pythonRefsHelpers';
import {
  IDENT,
  OP_ASSIGN,
  OP_COMMA,
  OP_DOT,
  OP_COLON,
  OP_WALRUS,
  CH_LBRACKET,
  CH_LPAREN,
  CLOSE,
  OP,
  OPEN,
  isOp,
  isOpen,
  tokenIs,
} from '../scan/tokens';
import type { ImportLookup, ModuleNames, ReferenceScan, SecretReference, StringLiteral } from '../scan/types';
import { type ImportedReader, markedParams, readerOf, readersIn, templateReadersIn } from '../evaluate/templates';
import { submodule } from './nameSetsImports';

/** The passes of the reference finder over a lexed document (frontEnds.ts makes the scan and keeps it for the leak analysis). */
export function run(scan: PythonRefScan, imports: ImportLookup | undefined, budget: AnalysisBudget): ReferenceScan {
  resetGroupCache();
  // The passes over the tokens (structure, aliases, references; then the variables pass) are
  // linear: each is charged its tokens, and the clock looked at after it.
  structure(scan);
  resolveAliases(scan);
  scan.imports = imports;
  references(scan);
  budget.pass(3 * scan.count);
  budget.checkClock();
  resolveNames(scan, imports, budget);
  budget.checkClock();
  // Calls of the file's helpers that return a secret: tracked as the reads are (before the variables pass).
  if (scan.returnsRead) {
    helperHeld(scan);
    budget.pass(scan.count);
  }
  if (scan.tracked.length > 0) {
    variables(scan);
    budget.pass(scan.count);
  }
  if (scan.selfHeld.length > 0) {
    selfHolderKeys(scan);
    budget.pass(scan.count);
  }
  resolveKeys(scan, imports, budget);
  sortBySpan(scan.refs);
  sortBySpan(scan.writes);
  return { references: scan.refs, writes: scan.writes, functions: scan.functions };
}

// ---- pass 2: references ----

export function references(scan: PythonRefScan): void {
  const { text, buf, count } = scan;
  const aliases = scan.getSecretNames.size > 0;
  const envAliases = scan.environNames.size > 0 || scan.getenvNames.size > 0;
  const osAliases = scan.osNames.size > 0;
  const vaultModules = scan.vaultModules.size > 0 || scan.vaultPaths.length > 0;
  const readers = importedReaders(scan);
  const { kind, aux } = buf;
  for (let t = 0; t < count; t++) {
    if (kind[t] !== IDENT) continue;
    // The lexer ends the stream with empty tokens: `t + 1` may be read without a bounds check.
    const next = kind[t + 1];
    const nextAux = aux[t + 1];
    if (t > 0 && kind[t - 1] === OP && aux[t - 1] === OP_DOT) {
      // An attribute reads a secret only as `….get_secret(…)` or `module.secret_vault(…)`, or
      // as `….get_secret` mapped over names.
      if (next !== OPEN || nextAux !== CH_LPAREN) {
        if (next === OP && nextAux === OP_COMMA && tokenIs(text, buf, t, 'get_secret')) mappedRead(scan, chainStart(text, buf, t - 1, true), t);
        continue;
      }
      const c = text.charCodeAt(buf.start[t]!);
      if (readers !== null && buf.kind[t - 2] === IDENT && !isOp(buf, t - 3, OP_DOT)) {
        const reader = readers.get(`${text.slice(buf.start[t - 2]!, buf.end[t - 2]!)}.${text.slice(buf.start[t]!, buf.end[t]!)}`);
        if (reader !== undefined) {
          readerCall(scan, t - 2, t + 1, reader);
          continue;
        }
      }
      if (c === 103 && tokenIs(text, buf, t, 'get_secret')) secretCall(scan, chainStart(text, buf, t - 1, true), t + 1);
      else if (vaultModules && c === 115 && tokenIs(text, buf, t, VAULT_FUNCTION)) {
        const start = vaultReceiver(scan, t - 1);
        if (start >= 0) secretCall(scan, start, t + 1);
      }
      continue;
    }
    const dotNext = next === OP && nextAux === OP_DOT;
    if (dotNext || (next === OPEN && nextAux === CH_LBRACKET)) {
      scratch.keyReads = grow(scratch.keyReads, scan.keyReadCount + 1);
      scratch.keyReads[scan.keyReadCount++] = t;
    }
    // `def get_secret(self, name):` / `class getenv(Base):` define a name, they call nothing.
    if ((aliases || envAliases) && t > 0 && kind[t - 1] === IDENT && (tokenIs(text, buf, t - 1, 'def') || tokenIs(text, buf, t - 1, 'class'))) continue;
    if (aliases && next === OPEN && nextAux === CH_LPAREN && scan.getSecretNames.candidate(text, buf, t) !== null) {
      secretCall(scan, t, t + 1);
      continue;
    }
    // A function another module defines that reads the secret its argument names: its call is a read.
    if (readers !== null && next === OPEN && nextAux === CH_LPAREN && !dotNext && !(t > 0 && kind[t - 1] === IDENT && (tokenIs(text, buf, t - 1, 'def') || tokenIs(text, buf, t - 1, 'class')))) {
      const reader = readers.get(text.slice(buf.start[t]!, buf.end[t]!));
      if (reader !== undefined) {
        readerCall(scan, t, t + 1, reader);
        continue;
      }
    }
    if (aliases && next === OP && nextAux === OP_COMMA && scan.getSecretNames.candidate(text, buf, t) !== null) {
      mappedRead(scan, t, t);
      continue;
    }
    if (dotNext && (tokenIs(text, buf, t, 'os') || (osAliases && scan.osNames.candidate(text, buf, t) !== null))) {
      if (tokenIs(text, buf, t + 2, 'environ')) environ(scan, t, t + 3);
      else if (tokenIs(text, buf, t + 2, 'getenv') && isOpen(buf, t + 3, CH_LPAREN)) envCall(scan, t, t + 3);
      continue;
    }
    if (envAliases) {
      if (scan.environNames.candidate(text, buf, t) !== null) environ(scan, t, t + 1);
      else if (isOpen(buf, t + 1, CH_LPAREN) && scan.getenvNames.candidate(text, buf, t) !== null) envCall(scan, t, t + 1);
    }
  }
}

/**
 * `m.secret_vault(…)` where `m` is an imported vault module, or `utils.secret_vault.secret_vault(…)`
 * after `import utils.secret_vault`: the token the call starts at, or -1 when the receiver (ending
 * before the dot at `dot`) is something else.
 */
function vaultReceiver(scan: PythonRefScan, dot: number): number {
  const { text, buf } = scan;
  const last = dot - 1;
  if (buf.kind[last] !== IDENT) return -1;
  let first = last;
  while (isOp(buf, first - 1, OP_DOT) && buf.kind[first - 2] === IDENT) first -= 2;
  // A receiver that is itself an attribute or a call result (`self.m`, `f().m`) is not the module.
  if (first > 0 && (isOp(buf, first - 1, OP_DOT) || buf.kind[first - 1] === CLOSE)) return -1;
  if (first === last) return scan.vaultModules.candidate(text, buf, last) !== null ? first : -1;
  let path = '';
  for (let k = first; k <= last; k++) path += text.slice(buf.start[k]!, buf.end[k]!);
  return scan.vaultPaths.includes(path) ? first : -1;
}

/**
 * The readers (nameSetsReaders.ts) among the names the document imports from modules of its
 * project, by the name they are called by here; null when there are none (or no lookup).
 */
function importedReaders(scan: PythonRefScan): Map<string, ImportedReader> | null {
  const imports = scan.imports;
  if (imports === undefined || (scan.fromImports.size === 0 && scan.starModules.length === 0)) return null;
  let out: Map<string, ImportedReader> | null = null;
  const add = (local: string, names: ModuleNames, name: string): void => {
    const reader = readerOf(names, name);
    const template = reader === null ? templateReadersIn(names).get(name) : undefined;
    if (reader !== null) (out ??= new Map()).set(local, { ...reader, function: name });
    else if (template !== undefined) (out ??= new Map()).set(local, { ...template, function: name, template: true });
  };
  const all = (names: ModuleNames): Set<string> => new Set([...readersIn(names).keys(), ...templateReadersIn(names).keys()]);
  // `from functions.helpers import *`: the module's readers whose names a star import binds (not `_private`); a later import wins.
  for (const module of scan.starModules) {
    const names = imports(module);
    if (names !== undefined) for (const f of all(names)) if (!f.startsWith('_')) add(f, names, f);
  }
  for (const [local, [module, name]] of scan.fromImports) {
    const names = imports(module);
    if (names !== undefined) add(local, names, name);
    // A module imported from its package (`from functions import helpers`): its readers as `helpers.credentials`.
    const inner = imports(submodule(module, name));
    if (inner !== undefined) for (const f of all(inner)) add(`${local}.${f}`, inner, f);
  }
  return out;
}

/**
 * A call at `startTok` (its `(` at `open`) of a reader another module defines: a read of the secret
 * its argument for the reader's parameter names (by keyword, else by place); none when the call
 * passes none (the parameter's default is the module's). A call whose value is not the secret's
 * reads no key and is no source of the value.
 */
function readerCall(scan: PythonRefScan, startTok: number, open: number, reader: ImportedReader): void {
  const { text, buf } = scan;
  const limit = groupEnd(text, buf, open);
  if (reader.template) {
    // Its name joins the call's arguments: filled where names are resolved (nameSets.ts), from the
    // call (the read's span). Its literal: the arguments that fill it (the call when none is given).
    const close = buf.match[open]!;
    if (close < 0) return;
    let from = -1;
    let to = -1;
    for (const k of markedParams(reader.candidates)) {
      const range = argumentFor(scan, open, limit, reader.params, k);
      if (range === null || range[1] <= range[0]) continue;
      if (from < 0 || range[0] < from) from = range[0];
      to = Math.max(to, range[1]);
    }
    // Computed, even where one string literal fills it (`creds(conv, "stripe")` reads `stripe_api_key`).
    const literal = { ...(from < 0 ? literalOf(text, buf, startTok, close + 1, true) : literalOf(text, buf, from, to, true)), value: null };
    secretCall(scan, startTok, open, literal, { function: reader.function, returnsValue: reader.returnsValue, template: true });
    return;
  }
  const range = argumentFor(scan, open, limit, reader.params, reader.k);
  if (range === null) return;
  const literal = range[1] > range[0] ? literalOf(text, buf, range[0], range[1], true) : emptyLiteral(buf.end[range[0] - 1]!);
  secretCall(scan, startTok, open, literal, { function: reader.function, returnsValue: reader.returnsValue });
}


/**
 * A read: `….get_secret(…)` (or an alias's) at `startTok`, its `(` at `open`, naming the secret by
 * `literal` (its argument's, unless a reader's call gives another); `through` a reader's function.
 */
export function secretCall(scan: PythonRefScan, startTok: number, open: number, given?: StringLiteral, through?: SecretReference['through']): void {
  const { text, buf } = scan;
  const limit = groupEnd(text, buf, open);
  const literal = given ?? callLiteral(scan, open, limit, SECRET_NAME_KEYWORDS);
  const ref: SecretReference = {
    form: 'get_secret',
    name: literal.value,
    literal,
    keys: [],
    span: { start: buf.start[startTok]!, end: groupSpanEnd(scan, open, limit) },
  };
  if (through !== undefined) ref.through = through;
  scan.refs.push(ref);
  // The value of a call that is not the secret's: no key of it, nothing held.
  if (through !== undefined && !through.returnsValue) return;
  if (tokenIs(text, buf, startTok - 1, 'return')) scan.returnsRead = true;
  const close = buf.match[open]!;
  if (close < 0) return;
  const key = keyAccess(scan, close + 1);
  if (key) ref.keys.push(key);
  // `name = <this call>` as a whole statement, or `(name := <this call>)`: keys may be read through `name` later.
  let target = scratch.assignTargetAt[startTok]!;
  if (!(target >= 0 && isOp(buf, startTok - 1, OP_ASSIGN) && scratch.stmtEndAt[startTok] === close + 1)) target = walrusTarget(scan, startTok, close);
  if (target < 0) selfHeld(scan, ref, startTok, close);
  if (target >= 0) {
    scratch.trackedTargets = grow(scratch.trackedTargets, scan.tracked.length + 1);
    scratch.trackedTargets[scan.tracked.length] = target;
    scan.tracked.push(ref);
    // A few names take many assignments: make the name's string only the first time.
    if (scan.trackedNames.candidate(text, buf, target) === null) scan.trackedNames.add(text.slice(buf.start[target]!, buf.end[target]!));
  }
}

/** `self.X = <the call at [startTok, close]>` as a whole statement: the reference is held by X (scan.selfHeld). */
function selfHeld(scan: PythonRefScan, ref: SecretReference, startTok: number, close: number): void {
  const list = scan.selfTargets;
  let lo = 0;
  let hi = list.length / 3;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid * 3]! < startTok) lo = mid + 1;
    else hi = mid;
  }
  if (lo * 3 < list.length && list[lo * 3] === startTok && list[lo * 3 + 1] === close + 1) scan.selfHeld.push([ref, list[lo * 3 + 2]!]);
}

/** `(name := <the call at [startTok, close]>)`, the call the walrus's whole value: `name`'s token, or -1. */
function walrusTarget(scan: PythonRefScan, startTok: number, close: number): number {
  const { buf } = scan;
  const t = startTok - 2;
  if (t < 0 || !isOp(buf, startTok - 1, OP_WALRUS) || buf.kind[t] !== IDENT || isOp(buf, t - 1, OP_DOT)) return -1;
  const after = close + 1;
  return buf.kind[after] === CLOSE || isOp(buf, after, OP_COMMA) || isOp(buf, after, OP_COLON) ? t : -1;
}

/**
 * The read function, from token `startTok` to `last`, passed as the first of two or more
 * arguments: of a `map` (`map(X.get_secret, NAMES)`, `executor.map(get_secret, NAMES)`), it reads
 * each element of the second argument; of a `partial` (`functools.partial(X.get_secret, "name")`,
 * or `secret_name="name"`), it reads the name given there, whenever the partial is called. Anything
 * else passing the function along reads nothing here.
 */
function mappedRead(scan: PythonRefScan, startTok: number, last: number): void {
  const { text, buf } = scan;
  const open = startTok - 1;
  if (!isOpen(buf, open, CH_LPAREN) || buf.kind[open - 1] !== IDENT) return;
  const partial = tokenIs(text, buf, open - 1, 'partial');
  if (!partial && !tokenIs(text, buf, open - 1, 'map')) return;
  const limit = groupEnd(text, buf, open);
  // The reference is the whole call: `map(…)`'s result holds the values (the leak analysis's
  // source), `partial(…)`'s reads one when called.
  const callStart = isOp(buf, open - 2, OP_DOT) ? chainStart(text, buf, open - 2, true) : open - 1;
  const span = { start: buf.start[callStart]!, end: groupSpanEnd(scan, open, limit) };
  if (partial) {
    // The arguments after the function's, as a call of it would have them (`last + 1` is the comma).
    const literal = callLiteral(scan, last + 1, limit, SECRET_NAME_KEYWORDS);
    scan.refs.push({ form: 'get_secret', name: literal.value, literal, keys: [], span });
    return;
  }
  const from = last + 2;
  const to = itemEnd(buf, from, limit);
  if (to <= from) return;
  scan.refs.push({
    form: 'get_secret',
    name: null,
    literal: literalOf(text, buf, from, to, true),
    keys: [],
    span,
    mapped: true,
  });
}

/** `os.environ` (or an imported `environ`) ending at `after`: `[…]` or `.get(…)` follow. */
export function environ(scan: PythonRefScan, startTok: number, after: number): void {
  const { text, buf } = scan;
  if (isOpen(buf, after, CH_LBRACKET)) {
    const limit = groupEnd(text, buf, after);
    const literal = limit > after + 1 ? literalOf(text, buf, after + 1, limit, true) : emptyLiteral(buf.end[after]!);
    const ref: SecretReference = {
      form: 'env',
      name: literal.value,
      literal,
      keys: [],
      span: { start: buf.start[startTok]!, end: groupSpanEnd(scan, after, limit) },
    };
    const close = buf.match[after]!;
    (close >= 0 && scratch.storeEnd[close] ? scan.writes : scan.refs).push(ref);
  } else if (isOp(buf, after, OP_DOT) && tokenIs(text, buf, after + 1, 'get') && isOpen(buf, after + 2, CH_LPAREN)) {
    envCall(scan, startTok, after + 2);
  }
}

/** `os.getenv(key=…)` / `os.environ.get(key=…)`: the variable's name by keyword. */
const GETENV_KEYWORDS: readonly string[] = ['key'];

export function envCall(scan: PythonRefScan, startTok: number, open: number): void {
  const { text, buf } = scan;
  const limit = groupEnd(text, buf, open);
  const literal = callLiteral(scan, open, limit, GETENV_KEYWORDS);
  scan.refs.push({
    form: 'env',
    name: literal.value,
    literal,
    keys: [],
    span: { start: buf.start[startTok]!, end: groupSpanEnd(scan, open, limit) },
  });
}
