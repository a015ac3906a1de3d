// Names chosen at run time (Python): for each secret read whose name is computed, the finite set of
// literal names its argument can evaluate to, each with the tests that choose it and the
// environments (`conv.env`) it is taken in; or the first part that does not resolve. Runs after
// the references pass, only when a document has such a read, over the statements and bindings the
// structure pass recorded. Expressions in nameSetsExpr.ts, reaching definitions in nameSetsFlow.ts,
// environment tests in nameSetsEnv.ts. Bounded: a step budget per read, a depth limit, at most
// MAX_CANDIDATES names per concatenation; never throws.

import { entryName, forgetNames, returnsName, sharedEnvironments, toCandidates } from '../evaluate/candidates';
import { intersect, mergeConds, noEnvironment, universeOf, withConds } from '../evaluate/envSet';
import { charge, endRead, newShared, spanOf, startRead, textOf, unresolved, work, Unresolved } from '../evaluate/evaluation';
import { type EnvSet, type Alternative } from '../evaluate/values';
import { resetGroupCache } from '../scan/calls';
import { defaultName, isTemplate, markedParams, type TemplateParam, templateName, templateReaderName } from '../evaluate/templates';
import { parametersOf } from './nameSetsCalls';
import { lexPython } from './pythonLexer';
import { freshScratch, PythonRefScan, scratch, statements as S } from './pythonRefsState';
import { structure } from './pythonRefsStructure';
import { conditionalTests, environmentUniverse } from './nameSetsEnv';
import { attribute, defsPaths, expr, functionReturns, lookup, madeAttribute, markedFrame, parameterValues, returnsOf } from './nameSetsExpr';
import { envAlias, envConstant, envField, envFlag, envHelper } from './nameSetsEnvAlias';
import { reaching, scopeStatements, statementOf } from './nameSetsFlow';
import { releaseIndexes, scopeOpenedBy } from './nameSetsIndex';
import { SK_DEF } from './keyFlow';
import { comprehensionTable, loopValues } from './nameSetsIter';
import { moduleTable } from './nameSetsTables';
import { templateParams } from './nameSetsTemplates';
import { resolveKey } from './nameSetsKeys';
import { exportClassReader, exportReader, readerOfRead, templateReadAt } from './nameSetsReaders';
import { importedReadCall, importedTable } from './nameSetsImports';
import { madeValues, nextRows } from './nameSetsRows';
import { type AnalysisBudget, AnalysisDeadline, budgetFor } from '../scan/budget';
import { type At, type Def, type Resolver, STEPS_PER_READ } from './nameSetsTypes';
import { IDENT, OP_ASSIGN, OP_COLON, TokenBuffer, isOp, lowerBound, lowerBoundFrom, tokenIs } from '../scan/tokens';
import type { ImportLookup, ModuleNames, NameCandidate, SecretReference } from '../scan/types';

function resolver(scan: PythonRefScan, imports: ImportLookup | undefined, budget: AnalysisBudget, mentionsEnv: boolean): Resolver {
  const r: Resolver = {
    scan,
    src: scan,
    mentionsEnv,
    findUniverse: () => environmentUniverse(r),
    imports,
    universe: null,
    universeIndex: null,
    admitted: [],
    steps: STEPS_PER_READ,
    budget,
    depth: 0,
    scopeStatements: null,
    bindingOrder: null,
    firstBindings: null,
    bindings: null,
    moduleBindings: null,
    kept: null,
    changes: null,
    tables: new Map(),
    condMemo: new Map(),
    walks: new Map(),
    reads: new Map(),
    shared: newShared(),
    idents: null,
    active: new Set(),
    flowMemo: new Map(),
    tableMemos: null,
    freeWalks: null,
    straight: null,
    endMemo: new Map(),
    nameIds: new Map(),
    facts: new Map(),
    envAlias,
    envField,
    envHelper,
    envFlag,
    envConstant,
    ev: { expr, lookup, attribute, returnsOf, parameterValues, madeAttribute, madeValues, comprehensionTable, nextRows, importedTable },
  };
  return r;
}

/** Resolves the computed names of the scan's references (sets `candidates` or `unresolved`). */
export function resolveNames(scan: PythonRefScan, imports: ImportLookup | undefined, budget: AnalysisBudget): void {
  let r: Resolver | null = null;
  // Literal reads are labelled only in a file that names an environment at all (most do not).
  const labels = mentionsEnvironment(scan.text);
  for (const ref of scan.refs) {
    if (ref.form === 'config' || !ref.literal.closed) continue;
    if (ref.name !== null) {
      if (!labels) continue;
      r ??= resolver(scan, imports, budget, labels);
      labelLiteralRead(r, ref);
      continue;
    }
    const span = ref.literal.contentSpan;
    if (span.end <= span.start) continue;
    r ??= resolver(scan, imports, budget, labels);
    resolveRef(r, ref);
    if (ref.unresolved !== undefined && ref.unresolved.platform === undefined && !ref.unresolved.tooLarge) {
      const reader = readerOfRead(r, ref);
      if (reader !== null) ref.unresolved = { ...ref.unresolved, reader };
    }
  }
  if (r !== null) {
    releaseIndexes(r);
    forgetNames();
  }
}

/** Resolves the computed keys of the scan's references (`creds[k]`: sets `candidates`; nameSetsKeys.ts), once every key read through a variable is known. */
export function resolveKeys(scan: PythonRefScan, imports: ImportLookup | undefined, budget: AnalysisBudget): void {
  let r: Resolver | null = null;
  for (const ref of scan.refs) {
    for (const access of ref.keys) {
      if (access.key !== null || access.via !== 'subscript' || access.candidates !== undefined) continue;
      r ??= resolver(scan, imports, budget, mentionsEnvironment(scan.text));
      resolveKey(r, access);
    }
  }
  if (r !== null) {
    releaseIndexes(r);
    forgetNames();
  }
}

/** The token of the last read looked at: the next one's is found from there (the reads come in order, mostly). */
let readToken = 0;

/** A mapped read's elements are whole: no unpacking (see loopValues). */
const NO_UNPACK: readonly number[] = [];

function resolveRef(r: Resolver, ref: SecretReference): void {
  const { buf, count, text } = r.scan;
  // A template reader's call is what makes its name (its literal: the arguments that fill it).
  const span = ref.through?.template ? ref.span : ref.literal.contentSpan;
  const s = (readToken = lowerBoundFrom(buf.start, count, span.start, readToken));
  // The argument is a few tokens from its first: a step along them costs less than a search of all.
  let e = s;
  while (e < count && buf.start[e]! < span.end) e++;
  if (s >= e || buf.start[s] !== span.start) {
    const written = text.slice(span.start, span.end).replace(/\s+/g, ' ').trim();
    ref.unresolved = { text: written.length > 60 ? written.slice(0, 59) + '…' : written, span: { ...span } };
    return;
  }
  // The read's share: what is left of the document's budget, at most STEPS_PER_READ; what it
  // spends is charged to the document when it ends.
  const share = startRead(r, r.budget);
  if (share <= 0) {
    // The document's budget is spent: the read's first step would find it so, without the walk
    // of its function's flow to where it is. (Most of a file's reads, when it has thousands: the
    // argument's span is the literal's own where they are the same.)
    const end = buf.end[e - 1]!;
    ref.unresolved = { text: textOf(r, s, e), span: end === span.end ? span : { start: span.start, end }, tooLarge: true };
    return;
  }
  r.depth = 0;
  r.open = null;
  if (r.active.size > 0) r.active.clear(); // a clear makes a new table
  // A read of one name: what it evaluates to is its definitions' (below).
  let named: { defs: Def[]; before: number; universe: number } | null = null;
  try {
    const stmt = statementOf(s);
    const at = { scope: S.scope[stmt]!, stmt, frame: null };
    // The tests on the way to the statement, then the conditional expressions around the read in it.
    const branches = conditionalTests(r, S.start[stmt]!, S.end[stmt]!, callToken(r, ref, s), at);
    const path = branches.length === 0 ? reaching(r, at.scope, null, stmt).path : mergeConds(reaching(r, at.scope, null, stmt).path, branches);
    let value: Alternative[];
    // A read mapped over names (`map(get_secret, NAMES)`) takes each element of its iterable; not the
    // value of the name, which other reads of it share.
    const defs = !ref.mapped && e === s + 1 && buf.kind[s] === IDENT && !tokenIs(text, buf, s, 'None') ? r.ev.lookup(r, s, at) : null;
    const known = defs === null ? undefined : r.reads.get(defs);
    if (known !== undefined && (known.paths === null || known.universe === universeSize(r))) {
      // Charged what the first read of them took, and given what it found, without the walk (nor a throw).
      if (known.cost > r.steps - work.n) {
        r.steps = -1;
        ref.unresolved = { text: textOf(r, s, e), span: spanOf(r, s, e), tooLarge: true };
        return;
      }
      r.steps -= known.cost;
      if (known.paths === null) {
        ref.unresolved = known.unresolved ?? { text: textOf(r, s, e), span: spanOf(r, s, e) };
        return;
      }
      value = known.paths;
    } else {
      if (defs !== null) named = { defs, before: r.steps - work.n, universe: universeSize(r) };
      value = ref.mapped ? loopValues(r, s, e, NO_UNPACK, at) : ref.through?.template ? templateRead(r, ref, at) : expr(r, s, e, at);
      if (named !== null && universeSize(r) === named.universe) r.reads.set(named.defs, { paths: value, unresolved: null, cost: named.before - (r.steps - work.n), universe: named.universe });
    }
    // The tests on the way are added to each path: new paths, which no later read is given.
    const paths = path.length === 0 ? value : value.map((p) => withConds(p, path));
    const candidates = toCandidates(r, paths, path.length === 0);
    if (candidates.length > 0) {
      ref.candidates = candidates;
      // Set by the evaluation (reset above; TypeScript narrowed it to that).
      const open = r.open as { tok: number } | null;
      if (open) ref.open = { text: textOf(r, open.tok, open.tok + 1), span: spanOf(r, open.tok, open.tok + 1) };
    } else ref.unresolved = { text: textOf(r, s, e), span: spanOf(r, s, e) };
  } catch (err) {
    if (err instanceof AnalysisDeadline) throw err;
    // Over budget: the whole expression is what could not be followed, being too large.
    if (err instanceof Unresolved && err.tooLarge) ref.unresolved = { text: textOf(r, s, e), span: spanOf(r, s, e), tooLarge: true };
    else {
      const part = err instanceof Unresolved && err.part.span.end > err.part.span.start ? err.part : null;
      ref.unresolved = part ?? { text: textOf(r, s, e), span: spanOf(r, s, e) };
      // The same definitions fail the same way at every read of them (a failure does not depend on the file's environments).
      if (named !== null && err instanceof Unresolved) r.reads.set(named.defs, { paths: null, unresolved: part, cost: named.before - (r.steps - work.n), universe: named.universe });
    }
  } finally {
    // Out of its share, even where a part given up on was caught on the way: too large to follow.
    if (endRead(r, r.budget, share) && ref.unresolved?.tooLarge !== true) {
      delete ref.candidates;
      delete ref.open;
      ref.unresolved = { text: textOf(r, s, e), span: spanOf(r, s, e), tooLarge: true };
    }
  }
}

/** Whether the text has an `X.env` (or a `getattr(X, "env")`) that an environment test could read (`os.environ` is not one). */
function mentionsEnvironment(text: string): boolean {
  return ENV_MENTION.test(text);
}

const ENV_MENTION = /\.[ \t]*env\b|(["'])env\1/;

/**
 * A read written with a literal name: the environments of the branch it is in (`if env ==
 * "sandbox": return get_secret("x_sb")`, an early return on `conv.env`, a `match` case), by the
 * tests on the way to its statement, as a computed read's names are labelled. Left unlabelled
 * when the way does not depend on `conv.env`, or cannot be followed within the read's share.
 */
function labelLiteralRead(r: Resolver, ref: SecretReference): void {
  const { buf, count } = r.scan;
  const s = (readToken = lowerBoundFrom(buf.start, count, ref.literal.span.start, readToken));
  if (s >= count || buf.start[s] !== ref.literal.span.start) return;
  const share = startRead(r, r.budget);
  if (share <= 0) return;
  r.depth = 0;
  if (r.active.size > 0) r.active.clear();
  try {
    const stmt = statementOf(s);
    const at = { scope: S.scope[stmt]!, stmt, frame: null };
    let env: EnvSet | null = null;
    for (const c of reaching(r, at.scope, null, stmt).path) env = intersect(env, c.env);
    for (const c of conditionalTests(r, S.start[stmt]!, S.end[stmt]!, callToken(r, ref, s), at)) env = intersect(env, c.env);
    // A way no environment takes (two tests that exclude each other) is left as it is written.
    if (env !== null && !noEnvironment(env)) {
      charge(r, universeOf(r).length);
      ref.environments = sharedEnvironments(r, env)!;
    }
  } catch (err) {
    if (!(err instanceof Unresolved)) throw err;
  } finally {
    if (endRead(r, r.budget, share)) delete ref.environments;
  }
}

/**
 * The names read by a call of another module's template reader (SecretReference's
 * `through.template`; the read's span is the call's, its literal the arguments that fill the name):
 * its template filled with the call's arguments.
 */
function templateRead(r: Resolver, ref: SecretReference, at: At): Alternative[] {
  const { buf, count } = r.scan;
  const s = lowerBound(buf.start, count, ref.span.start);
  const close = lowerBound(buf.start, count, ref.span.end) - 1;
  const open = close > s ? buf.match[close]! : -1;
  return (open > s ? importedReadCall(r, s, open, close, at) : null) ?? unresolved(r, s, close + 1);
}

/** The first token of the read (the call, `os.environ`), whose own argument's conditionals are its names' business; `arg` when not found. */
function callToken(r: Resolver, ref: SecretReference, arg: number): number {
  const { buf, count } = r.scan;
  const at = ref.span.start;
  // A few tokens before the argument: a walk back costs less than a search of all (the first token starting at or after `at`).
  let t = arg;
  for (let k = 0; t > 0 && buf.start[t - 1]! >= at; t--) {
    if (++k > CALL_TOKENS) {
      t = lowerBound(buf.start, count, at);
      break;
    }
  }
  return t < count && buf.start[t] === at && t <= arg ? t : arg;
}

/** The most tokens callToken walks back before it searches. */
const CALL_TOKENS = 32;

/** The number of environments the file has so far (-1: not asked yet): a value found with a test's complement holds while it is the same. */
function universeSize(r: Resolver): number {
  return r.universe === null ? -1 : r.universe.length;
}

const moduleBuffer = new TokenBuffer();

/**
 * A module-level `def f(…)` statement `i` whose every return is known whatever it is given (no
 * parameter read, `conv.env` each environment: `def stripe_name(conv): return "stripe_live" if …`):
 * its names as `f()`, for the modules that call it (nameSetsImports.ts's importedCall). One whose
 * returns join parameters into the name (`return f"{service}_prod" if …`): its names with those
 * parameters marked, as `f(conv, service)` (evaluate/templates.ts), for each call to fill in.
 */
function exportFunction(r: Resolver, i: number, out: Map<string, NameCandidate[]>, done: Set<string>): void {
  const { text, buf } = r.scan;
  let t = S.start[i]!;
  if (tokenIs(text, buf, t, 'async')) t++;
  if (tokenIs(text, buf, t, 'class') && buf.kind[t + 1] === IDENT) {
    // A class whose instances read the secret its caller names (nameSetsReaders.ts).
    const cname = text.slice(buf.start[t + 1]!, buf.end[t + 1]!);
    const cscope = scopeOpenedBy(r, i);
    if (cscope >= 0 && !done.has(cname)) {
      done.add(cname);
      exportClassReader(r, cname, cscope, out);
    }
    return;
  }
  if (!tokenIs(text, buf, t, 'def') || buf.kind[t + 1] !== IDENT) return;
  const fname = text.slice(buf.start[t + 1]!, buf.end[t + 1]!);
  const name = returnsName(fname);
  const fscope = scopeOpenedBy(r, i);
  // The first `def` of a name is the one given (as for its other names).
  if (fscope < 0 || done.has(fname)) return;
  done.add(fname);
  exportReader(r, fname, fscope, out);
  exportTemplateRead(r, fname, fscope, out);
  const plain = exported(r, () => functionReturns(r, fscope));
  if (plain !== null) {
    out.set(name, plain);
    return;
  }
  const template = templateParams(r, fscope);
  const marked = template === null ? null : exported(r, () => functionReturns(r, fscope, template.bind));
  if (marked === null || !isTemplate(marked)) return;
  out.set(templateName(fname, template!.params), marked);
  exportDefaults(r, fname, fscope, template!.params, marked, out);
}

/**
 * Gives the module function `fname` of `fscope` whose one read's name joins its parameters
 * (nameSetsReaders.ts's templateReadAt) as a template reader: the read's names, those parameters
 * marked (evaluate/templates.ts's templateReaderName), for each call where it is imported to fill.
 */
function exportTemplateRead(r: Resolver, fname: string, fscope: number, out: Map<string, NameCandidate[]>): void {
  const read = templateReadAt(r, fscope);
  if (read === null) return;
  const frame = markedFrame(r, fscope, read.bind);
  const marked = exported(r, () => r.ev.expr(r, read.arg, read.argEnd, { scope: fscope, stmt: read.stmt, frame }));
  if (marked === null || !isTemplate(marked)) return;
  out.set(templateReaderName(fname, read.params, read.returnsValue), marked);
  exportDefaults(r, fname, fscope, read.params, marked, out);
}

/** Each marked parameter's default, evaluated where the `def` is (as Python does, once): the names a call leaving it out gives (templates.ts's defaultName). */
function exportDefaults(r: Resolver, fname: string, fscope: number, params: readonly TemplateParam[], marked: readonly NameCandidate[], out: Map<string, NameCandidate[]>): void {
  const header = r.scan.scopeHeader[fscope]!;
  const defined = parametersOf(r, fscope);
  for (const k of markedParams(marked)) {
    const d = defined[k]?.default;
    if (d === undefined || d === null) continue;
    const value = exported(r, () => r.ev.expr(r, d[0], d[1], { scope: S.scope[header]!, stmt: header, frame: null }));
    if (value !== null) out.set(defaultName(fname, params, k), value);
  }
}

/** The candidates of what `evaluate` gives, as a module gives them (a read's share of the budget); null when it does not resolve, or names nothing. */
function exported(r: Resolver, evaluate: () => Alternative[]): NameCandidate[] | null {
  const share = startRead(r, r.budget);
  r.depth = 0;
  r.active.clear();
  let candidates: NameCandidate[] = [];
  let spent = false;
  try {
    candidates = toCandidates(r, evaluate());
  } catch (err) {
    if (!(err instanceof Unresolved)) throw err;
  } finally {
    spent = endRead(r, r.budget, share);
  }
  return !spent && candidates.length > 0 && candidates.every((c) => c.name !== '') ? candidates : null;
}

/**
 * The module-level names of a Python module that are assigned and whose value resolves to secret
 * names (constants, conditionals on `conv.env` are not possible there, but tests on other names
 * are), for the modules that import them. `imports` resolves this module's own imports.
 */
export function pythonModuleNames(text: string, imports?: ImportLookup): ModuleNames {
  const out = new Map<string, NameCandidate[]>();
  const functions = new Set<string>();
  // Called from a lookup while another document's scan is resolving (its imports): that scan's
  // statements and scratch arrays are set aside, and this one gets fresh ones.
  const saved = setAside();
  const buffer = depth++ === 0 ? moduleBuffer : new TokenBuffer();
  let r: Resolver | null = null;
  try {
    lexPython(text, buffer);
    resetGroupCache();
    const scan = new PythonRefScan(text, buffer);
    structure(scan);
    r = resolver(scan, imports, budgetFor(text.length), mentionsEnvironment(text));
    const { buf } = scan;
    for (const i of scopeStatements(r, 0)) {
      const a = S.start[i]!;
      if (S.kind[i] === SK_DEF) {
        exportFunction(r, i, out, functions);
        continue;
      }
      if (buf.kind[a] !== IDENT || !(isOp(buf, a + 1, OP_ASSIGN) || isOp(buf, a + 1, OP_COLON))) continue;
      const name = text.slice(buf.start[a]!, buf.end[a]!);
      if (out.has(name)) continue;
      const share = startRead(r, r.budget);
      r.depth = 0;
      r.active.clear();
      let entries: Array<[string, NameCandidate[]]> = [];
      try {
        const defs = reaching(r, 0, name, -1).defs;
        if (!defs || defs.length === 0) continue;
        const table = moduleTable(r, defs, name);
        if (table !== null) {
          // A dict: each entry by entryName (nameSetsImports.ts's importedTable reads them back).
          const resolving = r;
          entries = table.map(([key, values]) => [entryName(name, key), toCandidates(resolving, values)]);
          continue;
        }
        const candidates = toCandidates(r, defsPaths(r, defs, name, null));
        if (candidates.length > 0) out.set(name, candidates);
      } catch (err) {
        if (!(err instanceof Unresolved)) throw err;
      } finally {
        if (endRead(r, r.budget, share)) out.delete(name);
        else for (const [key, candidates] of entries) out.set(key, candidates);
      }
    }
  } catch {
    // Half-typed code: the names resolved so far.
  } finally {
    if (r !== null) releaseIndexes(r);
    if (--depth === 0) forgetNames();
    putBack(saved);
  }
  return out;
}

let depth = 0;

interface SetAside {
  scratch: typeof scratch;
  statements: Pick<typeof S, 'start' | 'end' | 'kind' | 'indent' | 'scope' | 'count'>;
}

/** Gives the shared scan state fresh arrays, returning the ones in use. */
function setAside(): SetAside {
  const saved: SetAside = {
    scratch: { ...scratch },
    statements: { start: S.start, end: S.end, kind: S.kind, indent: S.indent, scope: S.scope, count: S.count },
  };
  Object.assign(scratch, freshScratch());
  Object.assign(S, { start: new Int32Array(256), end: new Int32Array(256), kind: new Uint8Array(256), indent: new Int32Array(256), scope: new Int32Array(256), count: 0 });
  return saved;
}

function putBack(saved: SetAside): void {
  Object.assign(scratch, saved.scratch);
  Object.assign(S, saved.statements);
}
