// The finite set of names a JavaScript / TypeScript computed read can take (`process.env[NAMES[env]]`,
// `process.env[live ? 'X_PROD' : 'X_UAT']`, `x.get_secret(name(env))`), within one file: each
// reference whose name is not a literal gets `candidates` when every part of its argument
// resolves, or `unresolved` naming the first part that does not. The work is bounded: the index
// of bindings is built once, only for a document with such a read, and each read has a step budget.

import { assignedValue } from './jsNameSetsFlow';
import { mutated } from './jsNameSetsChanges';
import { constantStrings, entryName, forgetNames, returnsName, toCandidates } from '../evaluate/candidates';
import { environmentNames, intersect, noEnvironment } from '../evaluate/envSet';
import { type Alternative, type EnvSet } from '../evaluate/values';
import { charge, endRead, startRead, Unresolved } from '../evaluate/evaluation';
import { B_CONST, B_FUNCTION, JsIndex, type JsBinding, type JsFunction } from './jsNameSetsIndex';
import { callFunction, evalExpr, find, splitArgs, testEnvironments, underTests } from './jsNameSetsExpr';
import { testsAt } from './jsNameSetsStatements';
import { index, iterated, loopValues, member, partOf, partValues } from './jsNameSetsTables';
import { evalTable, pathToValue } from './jsTableLiterals';
import { memberFunction, methodCalls } from './jsNameSetsClass';
import { importedCall, importedReadCall, importedTable, importedValues, namespaceTable, namespaceValues } from './jsImports';
import { lexJs } from './jsLexer';
import { templateMarks } from './jsTemplates';
import { exportJsClassReader, exportJsReader, readerOfJsRead, templateReadOf } from './jsReaders';
import { defaultName, isTemplate, markedParams, type TemplateParam, templateName, templateReaderName } from '../evaluate/templates';
import { collapse, fail, JsNames, failure, MAX_ALTS, MAX_DEPTH, type TableEntry } from './jsNameSetsTypes';
import { type AnalysisBudget, AnalysisDeadline, budgetFor } from '../scan/budget';
import { CH_LBRACE, IDENT, OP_COMMA, OP_SEMI, isOp, isOpen, lowerBound, TokenBuffer, tokenIs } from '../scan/tokens';
import { skipGroup } from '../scan/calls';
import type { ImportLookup, ModuleNames, NameCandidate, SecretReference } from '../scan/types';

/** Thrown for the reads after the index of a document could not be built. */
const NO_INDEX = new Error('no index of bindings');

/** Internal errors caught so far (each leaves its read unknown); the tests expect none. */
export const resolverErrors = { count: 0 };

/**
 * Fills `candidates` or `unresolved` on every computed read of `refs` (a document's JS / TS
 * references; `bindings`, the document's index of bindings when the reference finder made one). Nothing escapes: an internal error leaves the read unknown, naming its argument.
 */
export function resolveJsNames(text: string, buf: TokenBuffer, refs: SecretReference[], budget: AnalysisBudget, bindings: JsIndex | null = null, imports?: ImportLookup): void {
  let names: JsNames | null = null;
  let exported: ReturnType<typeof exportedReaders> | null = null;
  let broken = false;
  // Literal reads are labelled only in a file that tests `conv.env` at all (most do not).
  const labels = CONV_ENV.test(text);
  for (const ref of refs) {
    if (ref.form === 'config' || !ref.literal.closed) continue;
    if (ref.name !== null && !labels) continue;
    const { start, end } = ref.literal.contentSpan;
    // A literal read: its literal's token (its content starts after the quote).
    // A template reader's call is what makes its name (its literal: the arguments that fill it).
    const template = ref.through?.template === true;
    const from = lowerBound(buf.start, buf.count, template ? ref.span.start : ref.name !== null ? ref.literal.span.start : start);
    const to = ref.name !== null ? from + 1 : lowerBound(buf.start, buf.count, template ? ref.span.end : end);
    if (from >= to || from >= buf.count) continue;
    try {
      if (broken) throw NO_INDEX;
      if (!names) {
        broken = true;
        names = namesOf(bindings ?? new JsIndex(text, buf), imports);
        names.mentionsEnv = labels || ENV_ANY.test(text);
        broken = false;
      }
      // The read's first token (the call, `process.env`): the conditionals around it choose; its own argument's are its names'.
      const call = Math.min(from, lowerBound(buf.start, buf.count, ref.span.start));
      if (ref.name !== null) label(names, ref, call, budget);
      else {
        resolve(names, ref, from, to, call, budget);
        // The one read of an exported reader, named by its parameter: its callers are checked where they call it.
        const part = ref.unresolved;
        if (part !== undefined && !part.tooLarge && part.platform === undefined) {
          const reader = readerOfJsRead(names, from, part.text, (exported ??= exportedReaders(names)));
          if (reader !== null) ref.unresolved = { ...part, reader };
        }
      }
    } catch (err) {
      if (err instanceof AnalysisDeadline) throw err;
      if (err !== NO_INDEX) resolverErrors.count++;
      if (ref.name !== null) continue;
      delete ref.candidates;
      ref.unresolved = { text: collapse(text.slice(start, end), 60), span: { start, end } };
    }
  }
  if (names) forgetNames();
}

/** The names read by a call [from, to) of another module's template reader (SecretReference's `through.template`): its template filled with the call's arguments. */
function templateRead(names: JsNames, from: number, to: number): Alternative[] {
  const { buf } = names.ix;
  const open = to - 1 > from ? buf.match[to - 1]! : -1;
  const args = open > from ? splitArgs(names, open) : null;
  return (args === null ? null : names.importReadCall?.(from, open, args, to)) ?? fail(names, from, to);
}

/** The resolver of a document's names over its index, every hook set (`imports`: its project's modules). */
function namesOf(ix: JsIndex, imports: ImportLookup | undefined): JsNames {
  const n = new JsNames(ix);
  n.assignedValue = (b, read) => assignedValue(n, b, read);
  n.tableRead = (from, objectEnd, keyFrom, keyTo, to) => index(n, from, objectEnd, keyFrom, keyTo, to);
  n.memberRead = (from, dot, to) => member(n, from, dot, to);
  n.partRead = (b, t) => partValues(n, b, t);
  n.partIn = (part, from, to, t) => partOf(n, part, from, to, t);
  n.valueAt = (b, t, e) => pathToValue(n, b, t, e);
  n.methodOf = (objTok, nameTok) => memberFunction(n, objTok, nameTok);
  n.methodCalls = (fn) => methodCalls(n, fn);
  n.loopRead = (b, t) => loopValues(n, b, t);
  n.iterRead = (from, to, path) => iterated(n, from, to, path);
  n.constantRead = (from, to, elements) => namedConstant(n, from, to, elements);
  n.entriesRead = (from, to) => tableEntries(n, from, to);
  n.valuesRead = (from, to) => valuesAt(n, from, to);
  if (imports !== undefined) {
    n.importRead = (b, t) => importedValues(n, imports, b, t);
    n.importTable = (b, t) => importedTable(n, imports, b, t);
    n.namespaceTable = (from, to) => namespaceTable(n, imports, from, to);
    n.importCall = (from, calleeEnd, args, to) => importedCall(n, imports, from, calleeEnd, args, to);
    n.importReadCall = (from, calleeEnd, args, to) => importedReadCall(n, imports, from, calleeEnd, args, to);
    n.namespaceRead = (from, to) => namespaceValues(n, imports, from, to);
  }
  return n;
}

/** The tokens of a module whose names are read for an importer (never the document's own buffer). */
const moduleBuffer = new TokenBuffer();

/**
 * A JavaScript / TypeScript module's exported constants that resolve to names (`export const
 * CRM_KEY = 'crm_api'`, one chosen by `conv.env` or made of others), by name: what a document that
 * imports them sees (jsImports.ts). Its own imports are not followed. Half-typed code: what resolves.
 */
export function jsModuleNames(text: string, typescript: boolean): ModuleNames {
  const out = new Map<string, NameCandidate[]>();
  const functions = new Set<string>();
  lexJs(text, moduleBuffer, typescript);
  const budget = budgetFor(text.length);
  let names: JsNames | null = null;
  try {
    const ix = new JsIndex(text, moduleBuffer);
    names = namesOf(ix, undefined);
    // A class whose instances read the secret its constructor is given (`export class Handler { … }`).
    for (const [t, body] of exportedClasses(ix)) exportJsClassReader(names, body, ix.word(t), out);
    for (const t of exportedConstants(ix)) {
      const b = find(names, ix.word(t), t);
      // A function (`export function stripeName(conv)`, `export const stripeName = (conv) => …`): as `stripeName()`.
      if (b !== null && b.fn !== null && (b.kind === B_FUNCTION || b.kind === B_CONST) && b.fn.binding === b) {
        exportFunction(names, b.fn, b.name, budget, out, functions);
        continue;
      }
      if (b === null || b.kind !== B_CONST || b.valueFrom < 0 || b.fn !== null || out.has(b.name)) continue;
      const share = start(names, budget);
      let entries: Array<[string, NameCandidate[]]> = [];
      try {
        // An object of names: each entry by entryName (jsImports.ts's importedTable reads them back).
        if (share > 0 && isOpen(moduleBuffer, b.valueFrom, CH_LBRACE)) entries = exportedEntries(names, b);
        else {
          const candidates = share > 0 ? toCandidates(names, evalExpr(names, b.valueFrom, b.valueTo), true) : [];
          if (candidates.length > 0 && candidates.length <= MAX_ALTS && names.open === null) out.set(b.name, candidates);
        }
      } catch (err) {
        if (!(err instanceof Unresolved)) throw err;
      } finally {
        if (endRead(names, budget, share)) out.delete(b.name);
        else for (const [key, candidates] of entries) out.set(key, candidates);
      }
    }
  } catch (err) {
    if (err instanceof AnalysisDeadline) return out;
    resolverErrors.count++;
  } finally {
    if (names) forgetNames();
  }
  return out;
}

/**
 * The entries of the exported object `b` (`export const SECRETS = { live: 'stripe_live', … }`, never
 * changed), each as `SECRETS["live"]` with its names; none when an entry's value is not known.
 */
function exportedEntries(names: JsNames, b: JsBinding): Array<[string, NameCandidate[]]> {
  if (mutated(names, b)) return [];
  const out = new Map<string, NameCandidate[]>();
  for (const entry of evalTable(names, b.valueFrom, b.valueTo)) {
    const key = entryName(b.name, entry.key);
    if (entry.element || out.has(key)) return [];
    const candidates = toCandidates(names, evalExpr(names, entry.from, entry.to), true);
    if (candidates.length === 0 || candidates.length > MAX_ALTS || names.open !== null || candidates.some((c) => c.name === '')) return [];
    out.set(key, candidates);
  }
  return [...out];
}

/**
 * The module's function `fn` (exported as `name`) whose every return is known whatever it is given
 * (a parameter's read does not resolve; `conv.env` is each environment): its names as `name()`, for
 * the modules that call it (jsImports.ts's importedCall). One whose returns join parameters into
 * the name: its names with those parameters marked, as `name(conv, service)` (jsTemplates.ts).
 */
function exportFunction(names: JsNames, fn: JsFunction, name: string, budget: AnalysisBudget, out: Map<string, NameCandidate[]>, done: Set<string>): void {
  const key = returnsName(name);
  if (done.has(name)) return;
  done.add(name);
  exportJsReader(names, fn, name, out);
  // Every argument an empty range: reading any parameter fails (unless it is marked).
  const none = fn.params.map(() => [0, 0] as [number, number]);
  // One whose read's name joins its parameters: the read's names, those parameters marked (jsReaders.ts's templateReadOf).
  const read = templateReadOf(names, fn);
  if (read !== null) {
    const readNames = exported(names, budget, () => {
      const saved = names.frame;
      names.frame = { fn, args: none, caller: null, marks: read.marks };
      try {
        return evalExpr(names, read.arg, read.argEnd);
      } finally {
        names.frame = saved;
      }
    });
    if (readNames !== null && isTemplate(readNames)) {
      out.set(templateReaderName(name, read.params, read.returnsValue), readNames);
      exportDefaults(names, fn, name, read.params, readNames, budget, out);
    }
  }
  const plain = exported(names, budget, () => callFunction(names, fn, none, fn.at, fn.at + 1));
  if (plain !== null) {
    out.set(key, plain);
    return;
  }
  const template = templateMarks(names, fn);
  const marked = template === null ? null : exported(names, budget, () => callFunction(names, fn, none, fn.at, fn.at + 1, template.marks));
  if (marked === null || !isTemplate(marked)) return;
  out.set(templateName(name, template!.params), marked);
  exportDefaults(names, fn, name, template!.params, marked, budget, out);
}

/** A marked parameter's default (`service = 'crm'`): the names a call leaving it out gives (templates.ts's defaultName). */
function exportDefaults(names: JsNames, fn: JsFunction, name: string, params: readonly TemplateParam[], marked: readonly NameCandidate[], budget: AnalysisBudget, out: Map<string, NameCandidate[]>): void {
  for (const k of markedParams(marked)) {
    const p = fn.params[k];
    if (p === undefined || p.valueFrom < 0) continue;
    const value = exported(names, budget, () => evalExpr(names, p.valueFrom, p.valueTo));
    if (value !== null) out.set(defaultName(name, params, k), value);
  }
}

/** The candidates of what `evaluate` gives, as a module gives them (a read's share of the budget); null when it does not resolve, is open, or names nothing. */
function exported(names: JsNames, budget: AnalysisBudget, evaluate: () => Alternative[]): NameCandidate[] | null {
  const share = start(names, budget);
  let candidates: NameCandidate[] = [];
  let spent = false;
  try {
    if (share > 0) candidates = toCandidates(names, evaluate(), true);
  } catch (err) {
    if (!(err instanceof Unresolved)) throw err;
  } finally {
    spent = endRead(names, budget, share);
  }
  return !spent && candidates.length > 0 && candidates.length <= MAX_ALTS && names.open === null && candidates.every((c) => c.name !== '') ? candidates : null;
}

/** The module's exported functions and classes, where readerOfJsRead looks for the one around a read. */
function exportedReaders(names: JsNames): Array<{ name: string; fn: JsFunction | null; body: number }> {
  const { ix } = names;
  const out: Array<{ name: string; fn: JsFunction | null; body: number }> = [];
  for (const [t, body] of exportedClasses(ix)) out.push({ name: ix.word(t), fn: null, body });
  for (const t of exportedConstants(ix)) {
    const b = find(names, ix.word(t), t);
    if (b !== null && b.fn !== null && (b.kind === B_FUNCTION || b.kind === B_CONST) && b.fn.binding === b) out.push({ name: b.name, fn: b.fn, body: -1 });
  }
  return out;
}

/** The name tokens of the module's `export class C {` (or `extends Base {`) declarations at its top level, with their bodies' `{`. */
function exportedClasses(ix: JsIndex): Array<[number, number]> {
  const { buf, text } = ix;
  const out: Array<[number, number]> = [];
  for (let t = 0; t + 3 < ix.count; t++) {
    if (!tokenIs(text, buf, t, 'export') || ix.parent[t] !== -1 || ix.isDot(t - 1) || !tokenIs(text, buf, t + 1, 'class') || buf.kind[t + 2] !== IDENT) continue;
    const body = isOpen(buf, t + 3, CH_LBRACE) ? t + 3 : tokenIs(text, buf, t + 3, 'extends') && buf.kind[t + 4] === IDENT && isOpen(buf, t + 5, CH_LBRACE) ? t + 5 : -1;
    if (body >= 0) out.push([t + 2, body]);
  }
  return out;
}

/** The name tokens of the module's `export const A = …, B = …` and `export [async] function F` declarations at its top level. */
function exportedConstants(ix: JsIndex): number[] {
  const { buf, text } = ix;
  const out: number[] = [];
  for (let t = 0; t + 2 < ix.count; t++) {
    if (!tokenIs(text, buf, t, 'export') || ix.parent[t] !== -1 || ix.isDot(t - 1)) continue;
    const fn = tokenIs(text, buf, t + 1, 'async') ? t + 2 : t + 1;
    if (tokenIs(text, buf, fn, 'function') && buf.kind[fn + 1] === IDENT) out.push(fn + 1);
    if (!tokenIs(text, buf, t + 1, 'const')) continue;
    let k = t + 2;
    while (k < ix.count && buf.kind[k] === IDENT) {
      out.push(k);
      // The declarator's value ends at a comma at the statement's level (or its end).
      let e = k + 1;
      while (e < ix.count && !isOp(buf, e, OP_COMMA) && !isOp(buf, e, OP_SEMI) && !(buf.kind[e] === IDENT && tokenIs(text, buf, e, 'export'))) e = skipGroup(buf, e, ix.count);
      if (!isOp(buf, e, OP_COMMA)) break;
      k = e + 1;
    }
  }
  return out;
}

/**
 * A `const` of the module or a member of one (`LIVE`, `ENVS.prod`) that stands for literals whatever
 * the tests: its strings, or with `elements` its elements' (constantStrings); null otherwise. A
 * function's own names are no constants: each call may give them another value.
 */
function namedConstant(r: JsNames, from: number, to: number, elements: boolean): string[] | null {
  const { ix } = r;
  const { buf } = ix;
  if (buf.kind[from] !== IDENT || (to - from) % 2 === 0) return null;
  for (let t = from + 1; t < to; t += 2) if (!ix.isDot(t) || buf.kind[t + 1] !== IDENT) return null;
  const b = find(r, ix.word(from), from);
  if (b === null || b.kind !== B_CONST || b.scopeFrom > 0 || b.ofFrom >= 0 || b.fn !== null) return null;
  const { depth, frame } = r;
  try {
    return constantStrings(elements ? r.iterRead(from, to, NO_PATH) : evalExpr(r, from, to));
  } catch (err) {
    if (!(err instanceof Unresolved)) throw err;
    r.depth = depth;
    r.frame = frame;
    return null;
  }
}

const NO_PATH: readonly number[] = [];

/** The entries of the table [from, to) is (`IS_PROD`, `{ live: true }`), read as a read reads one; null when it is not one. */
function tableEntries(r: JsNames, from: number, to: number): readonly TableEntry[] | null {
  const { depth, frame } = r;
  try {
    return evalTable(r, from, to);
  } catch (err) {
    if (!(err instanceof Unresolved)) throw err;
    r.depth = depth;
    r.frame = frame;
    return null;
  }
}

/**
 * The values of [from, to) where it is written, for a test on them (jsNameSetsEnv.ts's valueTest);
 * null when they do not resolve, or the same expression's values are already being asked for (a
 * test inside a loop that assigns the name it tests).
 */
function valuesAt(r: JsNames, from: number, to: number): Alternative[] | null {
  const { depth, frame } = r;
  if (valuesAsked.has(from) || depth >= MAX_DEPTH) return null;
  valuesAsked.add(from);
  const open = r.open;
  r.open = null;
  try {
    const values = evalExpr(r, from, to);
    // A parameter callers outside the file may pass anything to: its values are not all known.
    return r.open === null ? values : null;
  } catch (err) {
    if (!(err instanceof Unresolved)) throw err;
    r.depth = depth;
    r.frame = frame;
    return null;
  } finally {
    valuesAsked.delete(from);
    r.open = open;
  }
}

/** valuesAt's expressions being evaluated (by first token). */
const valuesAsked = new Set<number>();

/** `conv.env` (or `conv?.env`, `conv['env']`, or an `env` of a pattern: `const { env } = conv`) written somewhere in the text. */
/** Any `X.env`, `X['env']` or `{ env }`: where a row's part may be compared with an environment. */
const ENV_ANY = /\.\s*env\b|\[\s*['"`]env['"`]\s*\]|[{,]\s*env\b/;
const CONV_ENV = /\bconv\s*\??\.\s*env\b|\bconv\s*(?:\?\.\s*)?\[\s*['"`]env['"`]\s*\]|[{,]\s*env\b/;

/** Starts a read: its share of the document's budget (evaluate/evaluation.ts's startRead), and nothing of the last read's. */
function start(names: JsNames, budget: AnalysisBudget): number {
  names.depth = 0;
  names.frame = null;
  names.active.clear();
  names.open = null;
  return startRead(names, budget);
}

/**
 * A read written with a literal name: the environments of the branch its statement is in (`if
 * (conv.env === 'live')`, a `switch` case, after an early return), by the tests the computed
 * reads' names are labelled with. Left unlabelled when they do not depend on `conv.env`.
 */
function label(names: JsNames, ref: SecretReference, at: number, budget: AnalysisBudget): void {
  const share = start(names, budget);
  try {
    if (share <= 0) return;
    const tests = testsAt(names.ix, at, names.walks);
    charge(names, tests.length);
    if (tests.length === 0) return;
    let env: EnvSet | null = null;
    for (const t of tests) env = intersect(env, testEnvironments(names, t));
    // A way no environment takes (tests that exclude each other) is left as it is written.
    if (env !== null && !noEnvironment(env)) ref.environments = environmentNames(names, env);
  } catch (err) {
    // The file names more environments than a set holds, or the read's share is spent: left unlabelled.
    if (!(err instanceof Unresolved)) throw err;
  } finally {
    if (endRead(names, budget, share)) delete ref.environments;
  }
}

function resolve(names: JsNames, ref: SecretReference, from: number, to: number, call: number, budget: AnalysisBudget): void {
  // The read's share: what it spends is charged to the document when it ends.
  const share = start(names, budget);
  let failed: Unresolved | null = null;
  let candidates: NameCandidate[] = [];
  let over = share <= 0;
  try {
    if (!over) {
      let values = ref.through?.template ? templateRead(names, from, to) : evalExpr(names, from, to);
      // The tests on the way to the read's statement (an `if` on `conv.env` around it) choose its names too.
      const tests = testsAt(names.ix, call, names.walks);
      charge(names, tests.length);
      if (tests.length > 0) values = underTests(names, values, tests);
      candidates = toCandidates(names, values, tests.length === 0);
    }
  } catch (err) {
    if (!(err instanceof Unresolved)) throw err;
    // Out of the read's share (here or where the evaluator charges): too large to follow.
    if (err.tooLarge) over = true;
    else failed = err;
  } finally {
    // Out of its share, even where a part given up on was caught on the way: too large to follow.
    if (endRead(names, budget, share)) over = true;
  }
  if (over) {
    ref.unresolved = { ...failure(names, from, to).part, tooLarge: true };
    return;
  }
  if (failed !== null) {
    ref.unresolved = failed.part;
    return;
  }
  if (candidates.length === 0 || candidates.length > MAX_ALTS) ref.unresolved = failure(names, from, to).part;
  else {
    ref.candidates = candidates;
    // Set by the evaluation (reset by startRead; TypeScript narrowed it to null).
    const open = names.open as JsBinding | null;
    if (open) ref.open = failure(names, open.tok, open.tok + 1).part;
  }
}
