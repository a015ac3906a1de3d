// Finds secret references in a lexed JavaScript / TypeScript document: `….get_secret('x')`
// member calls and the environment forms `process.env.X` / `process.env['X']`, also through a
// name that holds `process.env` (`const env = process.env`, `const { env } = process`,
// `import { env } from 'node:process'`) and as the keys of a destructuring pattern
// (`const { X, Y: y = 'd' } = process.env`). Assigning (`process.env.X = …`) and deleting
// (`delete process.env.X`) are writes, not reads.

import { chainStart, findArgument, groupEnd, itemEnd, resetGroupCache } from '../scan/calls';
import { type AnalysisBudget, budgetFor } from '../scan/budget';
import { resolveJsNames } from './jsNameSets';
import { B_CONST, B_FUNCTION, JsIndex, type JsFunction } from './jsNameSetsIndex';
import { emptyLiteral, literalOf, sortBySpan } from '../scan/literals';
import { ContextRecorder, LiteralContexts, recordToken } from '../scan/literalContexts';
import {
  CH_LBRACE,
  CH_LBRACKET,
  CH_LPAREN,
  CLOSE,
  IDENT,
  NUMBER,
  OP,
  OP_ARROW,
  OP_ASSIGN,
  OP_AUG,
  OP_COLON,
  OP_COMMA,
  OP_DOT,
  OP_ELLIPSIS,
  OP_STAR,
  OP_OPTDOT,
  OPEN,
  STRING,
  TokenBuffer,
  isOp,
  isOpen,
  lineBreakBetween,
  tokenIs,
} from '../scan/tokens';
import type { ImportLookup, KeyAccess, ModuleNames, ReferenceScan, SecretReference, StringLiteral } from '../scan/types';
import { classBodyAround } from './jsClassBody';
import { type ImportedReader, markedParams, readerOf, readersIn, templateReadersIn } from '../evaluate/templates';

function isDot(buf: TokenBuffer, t: number): boolean {
  return t >= 0 && buf.kind[t] === OP && (buf.aux[t] === OP_DOT || buf.aux[t] === OP_OPTDOT);
}

/** Names declared to hold an object: their spellings, and the tokens that declare them. */
interface BoundNames {
  names: Set<string>;
  toks: Set<number>;
}

/** Properties every value has (a string's `length`, an object's prototype): read on a secret, not keys. */
const NOT_KEYS = new Set(['length', 'constructor', 'prototype', '__proto__']);

/** The modules whose `env` export is `process.env`. */
const PROCESS_MODULES = new Set(['process', 'node:process']);

/** Also records in `contexts` the names the document's string literals are given to (scan/literalContexts.ts; the file is the outermost group). */
export function findJsReferences(text: string, buf: TokenBuffer, budget: AnalysisBudget = budgetFor(text.length), contexts = new LiteralContexts(), imports?: ImportLookup): ReferenceScan {
  const refs: SecretReference[] = [];
  const writes: SecretReference[] = [];
  const count = buf.count;
  resetGroupCache();
  /** Names bound to `process.env` (by their declaring token), and the index that says which binding a use sees; made only when there is one. */
  const aliases: BoundNames = { names: new Set(), toks: new Set() };
  const processes: BoundNames = { names: new Set(), toks: new Set() };
  /** Names declared to hold the read function itself (`const gs = conv.utils.get_secret`, `const { get_secret } = conv.utils`). */
  const readers: BoundNames = { names: new Set(), toks: new Set() };
  let index: JsIndex | null = null;
  const indexOf = (): JsIndex => (index ??= new JsIndex(text, buf));

  const groupSpanEnd = (open: number, limit: number): number => {
    const close = buf.match[open]!;
    if (close >= 0) return buf.end[close]!;
    return limit > open + 1 ? buf.end[limit - 1]! : buf.end[open]!;
  };

  const bracketLiteral = (open: number, limit: number): StringLiteral =>
    limit > open + 1 ? literalOf(text, buf, open + 1, limit, false) : emptyLiteral(buf.end[open]!);

  const identLiteral = (t: number): StringLiteral => {
    const span = { start: buf.start[t]!, end: buf.end[t]! };
    return { value: text.slice(span.start, span.end), contentSpan: { ...span }, span, closed: true };
  };

  /** `name` declared at token `tok` holds `process.env` (`aliases`) or `process` (`processes`). */
  const addName = (names: BoundNames, tok: number): void => {
    names.names.add(text.slice(buf.start[tok]!, buf.end[tok]!));
    names.toks.add(tok);
  };
  const addAlias = (tok: number): void => addName(aliases, tok);

  /** Whether the identifier at `t` (not a property) is one of `names` there. */
  const isBound = (names: BoundNames, t: number): boolean => {
    const name = text.slice(buf.start[t]!, buf.end[t]!);
    if (!names.names.has(name) || isDot(buf, t - 1) || names.toks.has(t)) return false;
    const b = indexOf().lookup(name, t);
    return b !== null && names.toks.has(b.tok);
  };

  /**
   * The token before the `=` that the value starting at `start` is assigned with, past a TypeScript
   * annotation (`const env: NodeJS.ProcessEnv = process.env`, `const { A }: Env = …`); -1 when there is no `=`.
   */
  const targetBefore = (start: number): number => {
    if (!isOp(buf, start - 1, OP_ASSIGN)) return -1;
    // A short annotation: names, dots, `<…>`, `|` and brackets back to its `:`.
    let angle = 0;
    for (let j = start - 2, n = 0; j > 0 && n < 32; n++) {
      if (isOp(buf, j, OP_COLON)) return j - 1;
      const kind = buf.kind[j];
      if (isOp(buf, j, 62)) angle++;
      else if (isOp(buf, j, 60)) angle--;
      if (kind === CLOSE && buf.aux[j] !== 125 && buf.match[j]! >= 0) j = buf.match[j]! - 1;
      else if (kind === IDENT || (kind === OP && buf.aux[j] !== OP_ASSIGN && buf.aux[j] !== 59 && (buf.aux[j] !== OP_COMMA || angle > 0))) j--;
      else break;
    }
    return start - 2;
  };

  /** The pattern `{ … }` that the value starting at `start` is destructured into (`{ … } = value`, `const { … }: T = value`), as its `{`; -1 when none. */
  const patternBefore = (start: number): number => {
    const close = targetBefore(start);
    if (close < 0 || buf.kind[close] !== CLOSE || buf.aux[close] !== 125) return -1;
    const open = buf.match[close]!;
    return open >= 0 && isOpen(buf, open, CH_LBRACE) ? open : -1;
  };

  /** The value [start, end) is the whole right side: nothing but the end of the expression after it. */
  const endsValue = (end: number): boolean =>
    end >= count || !(isDot(buf, end) || isOpen(buf, end, CH_LBRACKET) || isOpen(buf, end, CH_LPAREN) || (buf.kind[end] === OP && !isOp(buf, end, OP_COMMA) && buf.aux[end] !== 59)) || lineBreakBetween(text, buf, end - 1, end);

  /**
   * Each property of the pattern `{ … }` at `open`: `key`, `key = default`, `key: local`, `'key': local`
   * (a nested pattern, a computed key and `...rest` are skipped).
   */
  const eachProperty = (open: number, visit: (key: number, local: number) => void): void => {
    const close = buf.match[open]!;
    let a = open + 1;
    while (a < close) {
      const e = itemEnd(buf, a, close);
      const kind = buf.kind[a];
      if (e > a && !isOp(buf, a, OP_ELLIPSIS) && (kind === IDENT || kind === STRING || kind === NUMBER)) {
        const local = isOp(buf, a + 1, OP_COLON) ? (buf.kind[a + 2] === IDENT ? a + 2 : -1) : kind === IDENT ? a : -1;
        visit(a, local);
      }
      a = e + 1;
    }
  };

  /** `process.env` (or a name holding it) spans [start, k): the read it is part of. */
  const envObject = (start: number, k: number): void => {
    const deleted = tokenIs(text, buf, start - 1, 'delete');
    /** The reference ends at token `last`: assigned to or deleted there, it is a write. */
    const add = (ref: SecretReference, last: number): void => {
      const next = last + 1;
      const written = last >= 0 && (isOp(buf, next, OP_ASSIGN) || (deleted && !isDot(buf, next) && buf.kind[next] !== OPEN));
      (written ? writes : refs).push(ref);
    };
    const from = buf.start[start]!;
    if (isDot(buf, k)) {
      if (buf.aux[k] === OP_OPTDOT && isOpen(buf, k + 1, CH_LBRACKET)) {
        // process.env?.['X']
        const limit = groupEnd(text, buf, k + 1);
        const literal = bracketLiteral(k + 1, limit);
        add({ form: 'env', name: literal.value, literal, keys: [], span: { start: from, end: groupSpanEnd(k + 1, limit) } }, buf.match[k + 1]!);
      } else if (k + 1 < count && buf.kind[k + 1] === IDENT && !lineBreakBetween(text, buf, k, k + 1)) {
        const literal = identLiteral(k + 1);
        add({ form: 'env', name: literal.value, literal, keys: [], span: { start: from, end: literal.span.end } }, k + 1);
      } else {
        // `process.env.` with the name still to be typed.
        const literal = emptyLiteral(buf.end[k]!);
        refs.push({ form: 'env', name: '', literal, keys: [], span: { start: from, end: buf.end[k]! } });
      }
    } else if (isOpen(buf, k, CH_LBRACKET)) {
      const limit = groupEnd(text, buf, k);
      const literal = bracketLiteral(k, limit);
      add({ form: 'env', name: literal.value, literal, keys: [], span: { start: from, end: groupSpanEnd(k, limit) } }, buf.match[k]!);
    } else if (endsValue(k)) {
      // `const { X, Y: y } = process.env`: each key a read, its span on the key.
      const open = patternBefore(start);
      if (open >= 0) {
        eachProperty(open, (key) => {
          const literal = buf.kind[key] === STRING ? literalOf(text, buf, key, key + 1, false) : identLiteral(key);
          refs.push({ form: 'env', name: literal.value, literal, keys: [], span: { ...literal.span } });
        });
      } else {
        // `const env = process.env`: `env` holds it.
        const name = targetBefore(start);
        if (name > 0 && buf.kind[name] === IDENT && declares(name - 1)) addAlias(name);
      }
    }
  };

  /** Whether token `t` is `const` (a `let` or `var` may be given another object later: not followed). */
  const declares = (t: number): boolean => tokenIs(text, buf, t, 'const');

  /** A call of the read function at `t` whose argument list opens at `open`: a get_secret reference spanning from token `first`. */
  const getSecretCall = (first: number, open: number): void => {
    const limit = groupEnd(text, buf, open);
    const arg = findArgument(text, buf, open, limit, null, false);
    const literal = arg ? literalOf(text, buf, arg.start, arg.end, false) : emptyLiteral(buf.end[open]!);
    const ref: SecretReference = { form: 'get_secret', name: literal.value, literal, keys: [], span: { start: buf.start[first]!, end: groupSpanEnd(open, limit) } };
    refs.push(ref);
    const close = buf.match[open]!;
    if (close < 0) return;
    keysRead(ref, first, close);
    // `return get_secret(…)`, `=> get_secret(…)`: a helper may return it (helperKeys).
    const before = tokenIs(text, buf, first - 1, 'await') ? first - 2 : first - 1;
    if ((tokenIs(text, buf, before, 'return') || isOp(buf, before, OP_ARROW)) && endsValue(close + 1)) (returned ??= []).push([ref, before]);
  };

  /**
   * Functions of the project's modules that read the secret their caller names (jsReaders.ts), by
   * the local name an import gives them, and namespace imports' modules' (`import * as helpers`).
   */
  const imported: { readers: Map<string, ImportedReader> | null; namespaces: Map<string, ReadonlyMap<string, ImportedReader>> | null } = { readers: null, namespaces: null };
  /** A module's reader `name` as imported (a reader of a parameter, or a template reader), or undefined. */
  const importedReader = (names: ModuleNames, name: string): ImportedReader | undefined => {
    const reader = readerOf(names, name);
    if (reader !== null) return { ...reader, function: name };
    const template = templateReadersIn(names).get(name);
    return template === undefined ? undefined : { ...template, function: name, template: true };
  };

  /** At the module string `t` of `import … from './m'`: the readers the import binds. */
  const readerImports = (t: number): void => {
    if (imports === undefined || !tokenIs(text, buf, t - 1, 'from')) return;
    const module = literalOf(text, buf, t, t + 1, false).value;
    const names = module === null || !module.startsWith('.') ? undefined : imports(module);
    if (names === undefined) return;
    if (buf.kind[t - 2] === IDENT && tokenIs(text, buf, t - 3, 'as') && isOp(buf, t - 4, OP_STAR)) {
      const all = new Map<string, ImportedReader>();
      for (const f of [...readersIn(names).keys(), ...templateReadersIn(names).keys()]) all.set(f, importedReader(names, f)!);
      if (all.size > 0) (imported.namespaces ??= new Map()).set(text.slice(buf.start[t - 2]!, buf.end[t - 2]!), all);
      return;
    }
    if (buf.kind[t - 2] !== CLOSE || buf.aux[t - 2] !== 125) return;
    const close = t - 2;
    for (let k = buf.match[close]! + 1; k < close; k++) {
      if (buf.kind[k] !== IDENT || tokenIs(text, buf, k, 'type') || tokenIs(text, buf, k - 1, 'as')) continue;
      const local = tokenIs(text, buf, k + 1, 'as') && buf.kind[k + 2] === IDENT ? k + 2 : k;
      const name = text.slice(buf.start[k]!, buf.end[k]!);
      const reader = importedReader(names, name);
      if (reader !== undefined) (imported.readers ??= new Map()).set(text.slice(buf.start[local]!, buf.end[local]!), reader);
      k = local;
    }
  };

  /** A call at `first` (its `(` at `open`) of an imported reader: a read of the secret its argument for the reader's parameter names; none when the call passes none. */
  const readerCall = (first: number, open: number, reader: ImportedReader): void => {
    const limit = groupEnd(text, buf, open);
    let index = 0;
    const args: Array<[number, number]> = [];
    for (let a = open + 1; a < limit; ) {
      const e = itemEnd(buf, a, limit);
      if (e > a) {
        if (isOp(buf, a, OP_ELLIPSIS)) return;
        args[index++] = [a, e];
      }
      a = e + 1;
    }
    let literal: StringLiteral;
    if (reader.template) {
      // Its name joins the call's arguments: filled where names are resolved (jsNameSets.ts), from
      // the call (the read's span). Its literal: the arguments that fill it (the call when none is given).
      let from = -1;
      let to = -1;
      for (const k of markedParams(reader.candidates)) {
        const range = args[k];
        if (range === undefined) continue;
        if (from < 0 || range[0] < from) from = range[0];
        to = Math.max(to, range[1]);
      }
      const close = buf.match[open]!;
      if (close < 0) return;
      literal = { ...(from < 0 ? literalOf(text, buf, first, close + 1, false) : literalOf(text, buf, from, to, false)), value: null };
    } else {
      const range = args[reader.k];
      if (range === undefined) return;
      literal = literalOf(text, buf, range[0], range[1], false);
    }
    const ref: SecretReference = { form: 'get_secret', name: literal.value, literal, keys: [], span: { start: buf.start[first]!, end: groupSpanEnd(open, limit) } };
    ref.through = reader.template ? { function: reader.function, returnsValue: reader.returnsValue, template: true } : { function: reader.function, returnsValue: reader.returnsValue };
    refs.push(ref);
    const close = buf.match[open]!;
    // The value of a call that is not the secret's: no key of it, nothing held.
    if (close >= 0 && reader.returnsValue) keysRead(ref, first, close);
  };

  /** Each read that is the whole value of a `return` or of an arrow's body, and that `return` or `=>` token. */
  let returned: Array<[SecretReference, number]> | null = null;

  /**
   * The keys read from the value of the call [first, close]: right after it (`get_secret('db')['user']`,
   * `.user`, `?.user`), or through the `const` it is the whole value of (`const db = await
   * get_secret('db')`, then `db['user']`, `db.user`), or as the keys of the pattern it is
   * destructured into (`const { user, password: pw } = get_secret('db')`).
   */
  const keysRead = (ref: SecretReference, first: number, close: number): void => {
    const direct = keyAt(close + 1);
    if (direct !== null) {
      ref.keys.push(direct);
      return;
    }
    if (!isOp(buf, first - 1, OP_ASSIGN) && !tokenIs(text, buf, first - 1, 'await')) return;
    if (!endsValue(close + 1)) return;
    const start = tokenIs(text, buf, first - 1, 'await') ? first - 1 : first;
    const target = targetBefore(start);
    if (target <= 0) return;
    const open = buf.kind[target] === CLOSE && buf.aux[target] === 125 ? buf.match[target]! : -1;
    if (open >= 0) {
      if (isOpen(buf, open, CH_LBRACE) && declares(open - 1)) patternKeys(ref, open);
      return;
    }
    const name = target;
    // `this.X = get_secret(…)`: keys read through `this.X` in the class's methods (thisHolderKeys).
    if (buf.kind[name] === IDENT && isDot(buf, name - 1) && tokenIs(text, buf, name - 2, 'this') && !isDot(buf, name - 3)) (thisHeld ??= []).push([ref, name]);
    if (buf.kind[name] !== IDENT || !declares(name - 1)) return;
    // Its uses come after it in the pass (holderUse).
    hold(name, ref, ref.span.start);
  };

  /** `const x = <a read>` at x's declaring token `name`: keys read through x at uses past offset `from`. */
  const hold = (name: number, ref: SecretReference, from: number): void => {
    (holders ??= new Map()).set(name, { ref, from });
    (holderNames ??= new Set()).add(text.slice(buf.start[name]!, buf.end[name]!));
    holderLengths |= 1 << Math.min(31, buf.end[name]! - buf.start[name]!);
  };

  /** `this.X = get_secret(…)`: the reference and X's token. */
  let thisHeld: Array<[SecretReference, number]> | null = null;

  /** `const x = get_secret(…)`: the reference by the declaring token of `x` (and where its uses start), and the names declared. */
  let holders: Map<number, { ref: SecretReference; from: number }> | null = null;
  let holderNames: Set<string> | null = null;
  /** A bit per length of the names in holderNames (31: that long or longer). */
  let holderLengths = 0;

  /**
   * A use at `t` of a name declared to hold a secret's value, followed by `[`, `.` or `?.` (the main
   * pass asks, after the declaration): a key read through the declaration the use sees. The index
   * of bindings, which says which one that is, is made only for such a use.
   */
  const holderUse = (t: number, only: ReadonlySet<number> | null = null): void => {
    if ((holderLengths & (1 << Math.min(31, buf.end[t]! - buf.start[t]!))) === 0 || holders!.has(t)) return;
    const word = text.slice(buf.start[t]!, buf.end[t]!);
    if (!holderNames!.has(word)) return;
    const access = keyAt(t + 1);
    // `const { user, password: pw } = db`: the keys of the pattern it is destructured into.
    const pattern = access === null && endsValue(t + 1) ? patternBefore(t) : -1;
    if (access === null && (pattern < 0 || !declares(pattern - 1))) return;
    const tok = indexOf().lookup(word, t)?.tok ?? -1;
    const held = only === null || only.has(tok) ? holders!.get(tok) : undefined;
    if (held === undefined || buf.start[t]! <= held.from) return;
    if (access !== null) held.ref.keys.push(access);
    else patternKeys(held.ref, pattern);
  };

  /** The keys of the pattern `{ … }` at `open` a secret's value is destructured into, as the reference's. */
  const patternKeys = (ref: SecretReference, open: number): void =>
    eachProperty(open, (key) => {
      const literal = buf.kind[key] === STRING ? literalOf(text, buf, key, key + 1, false) : identLiteral(key);
      ref.keys.push({ key: literal.value, literal, via: buf.kind[key] === STRING ? 'subscript' : 'property' });
    });

  /** A key read at token `k` after a value: `['k']`, `?.['k']`, `.k`, `?.k` (not a method call, a write or a string's `length`). */
  const keyAt = (k: number): KeyAccess | null => {
    if (k >= count) return null;
    if (isDot(buf, k) && buf.aux[k] === OP_OPTDOT && isOpen(buf, k + 1, CH_LBRACKET)) k++;
    if (isOpen(buf, k, CH_LBRACKET)) {
      const close = buf.match[k]!;
      if (close >= 0 && (isOp(buf, close + 1, OP_ASSIGN) || isOp(buf, close + 1, OP_AUG))) return null;
      const literal = bracketLiteral(k, groupEnd(text, buf, k));
      return { key: literal.value, literal, via: 'subscript' };
    }
    if (!isDot(buf, k) || buf.kind[k + 1] !== IDENT || lineBreakBetween(text, buf, k, k + 1)) return null;
    const after = k + 2;
    if (isOpen(buf, after, CH_LPAREN) || (isDot(buf, after) && buf.aux[after] === OP_OPTDOT && isOpen(buf, after + 1, CH_LPAREN))) return null;
    if (isOp(buf, after, OP_ASSIGN) || isOp(buf, after, OP_AUG)) return null;
    const literal = identLiteral(k + 1);
    if (NOT_KEYS.has(literal.value!)) return null;
    return { key: literal.value, literal, via: 'property' };
  };

  /** The `(` of a call at the callee's last token `t` (`f(…)`, `f?.(…)`), or -1. */
  const callOpen = (t: number): number => (isOpen(buf, t + 1, CH_LPAREN) ? t + 1 : isDot(buf, t + 1) && buf.aux[t + 1] === OP_OPTDOT && isOpen(buf, t + 2, CH_LPAREN) ? t + 2 : -1);

  const recorder = new ContextRecorder(text, buf, false, contexts);
  for (let t = 0; t < count; t++) {
    const kind = buf.kind[t];
    if (kind !== IDENT && kind !== STRING) recordToken(recorder, t, kind);
    if (kind === STRING) {
      // `import { env } from 'node:process'`, `import { env as e } from 'process'`
      // `import proc from 'node:process'`, `import * as proc from 'process'`
      if (processImport(t)) {
        if (buf.kind[t - 2] === CLOSE) eachImported(t - 2, addAlias);
        else addName(processes, t - 2);
      } else if (imports !== undefined) readerImports(t);
      continue;
    }
    if (kind !== IDENT) continue;
    const c = text.charCodeAt(buf.start[t]!);
    if (c === 103 && isDot(buf, t - 1) && tokenIs(text, buf, t, 'get_secret')) {
      // `x.get_secret(…)` or `x.get_secret?.(…)`
      const open = callOpen(t);
      const first = chainStart(text, buf, t - 1, false);
      // `.bind(conv.utils)`: the bound function reads as the method does.
      const bound = isDot(buf, t + 1) && tokenIs(text, buf, t + 2, 'bind') && isOpen(buf, t + 3, CH_LPAREN) && buf.match[t + 3]! > t + 3 ? buf.match[t + 3]! + 1 : -1;
      if (open >= 0) getSecretCall(first, open);
      else if (endsValue(t + 1) || (bound > 0 && endsValue(bound))) {
        // `const gs = conv.utils.get_secret`: `gs(…)` reads as it does.
        const name = targetBefore(first);
        if (name > 0 && buf.kind[name] === IDENT && declares(name - 1)) addName(readers, name);
      }
      continue;
    }
    if (isDot(buf, t - 1)) continue;
    // A call of a reader another module exports (`credentials(conv, 'crm')`, `helpers.credentials(…)`).
    if (imported.readers !== null || imported.namespaces !== null) {
      const word = text.slice(buf.start[t]!, buf.end[t]!);
      const direct = imported.readers?.get(word);
      const member = direct === undefined && isDot(buf, t + 1) && buf.kind[t + 2] === IDENT ? imported.namespaces?.get(word)?.get(text.slice(buf.start[t + 2]!, buf.end[t + 2]!)) : undefined;
      const open = direct !== undefined ? callOpen(t) : member !== undefined ? callOpen(t + 2) : -1;
      // `function credentials(…) {`, a method `credentials(…) {`: a definition of that name, no call.
      const defines = open >= 0 && (tokenIs(text, buf, t - 1, 'function') || isOpen(buf, buf.match[open]! + 1, CH_LBRACE));
      if (open >= 0 && !defines) {
        readerCall(t, open, direct ?? member!);
        continue;
      }
    }
    if (holders !== null && (isDot(buf, t + 1) || isOpen(buf, t + 1, CH_LBRACKET) || isOp(buf, t - 1, OP_ASSIGN))) holderUse(t);
    if (readers.toks.size > 0 && isBound(readers, t)) {
      const open = callOpen(t);
      if (open >= 0) getSecretCall(t, open);
      continue;
    }
    // `const { get_secret } = conv.utils`, `const { get_secret: gs } = ctx.utils`: the local reads.
    if (isDot(buf, t + 1) && isOp(buf, t - 1, OP_ASSIGN) && isReadersPattern(t)) {
      continue;
    }
    if ((c === 112 && tokenIs(text, buf, t, 'process')) || (processes.toks.size > 0 && isBound(processes, t))) {
      if (isDot(buf, t + 1) && tokenIs(text, buf, t + 2, 'env')) envObject(t, t + 3);
      else if (endsValue(t + 1)) {
        // `const { env } = process`, `const { env: e } = process`
        const open = patternBefore(t);
        if (open >= 0) eachProperty(open, (key, local) => {
          if (local >= 0 && tokenIs(text, buf, key, 'env')) addAlias(local);
        });
      }
      continue;
    }
    if (aliases.toks.size > 0 && isBound(aliases, t)) envObject(t, t + 1);
  }

  /**
   * Whether the value starting at `t` (a member chain: `conv.utils`) is destructured by a `const`
   * pattern with a `get_secret` property: its local is recorded as the read function.
   */
  function isReadersPattern(t: number): boolean {
    let end = t;
    while (isDot(buf, end + 1) && buf.kind[end + 2] === IDENT) end += 2;
    if (!endsValue(end + 1)) return false;
    const open = patternBefore(t);
    if (open < 0 || !declares(open - 1)) return false;
    let found = false;
    eachProperty(open, (key, local) => {
      if (local >= 0 && tokenIs(text, buf, key, 'get_secret')) {
        addName(readers, local);
        found = true;
      }
    });
    return found;
  }

  /** Whether the string at `t` is the module of `import { … } from 'process'` or `import proc from 'process'` (`* as proc`). */
  function processImport(t: number): boolean {
    if (!tokenIs(text, buf, t - 1, 'from')) return false;
    if (buf.kind[t - 2] === CLOSE ? buf.aux[t - 2] !== 125 : buf.kind[t - 2] !== IDENT || !(tokenIs(text, buf, t - 3, 'import') || tokenIs(text, buf, t - 3, 'as'))) return false;
    const value = literalOf(text, buf, t, t + 1, false).value;
    return value !== null && PROCESS_MODULES.has(value);
  }

  /** The local names `env` is imported as in the `{ … }` that closes at `close`. */
  function eachImported(close: number, visit: (tok: number) => void): void {
    const open = buf.match[close]!;
    for (let k = open + 1; k < close; k++) {
      if (!tokenIs(text, buf, k, 'env') || isDot(buf, k - 1) || !(isOp(buf, k - 1, OP_COMMA) || k === open + 1 || tokenIs(text, buf, k - 1, 'type'))) continue;
      if (tokenIs(text, buf, k + 1, 'as') && buf.kind[k + 2] === IDENT) visit(k + 2);
      else if (isOp(buf, k + 1, OP_COMMA) || k + 1 === close) visit(k);
    }
  }

  if (thisHeld !== null) thisHolderKeys(thisHeld);

  /**
   * Keys read through a field: `this.X = get_secret(…)` (in a constructor or a method), then
   * `this.X.key`, `this.X['key']` or `const { key } = this.X` in the same class. Only where `.X` is
   * written once in the file, on any object (another write may put anything there).
   */
  function thisHolderKeys(held: ReadonlyArray<[SecretReference, number]>): void {
    const ix = indexOf();
    const byName = new Map<string, { ref: SecretReference; body: number } | null>();
    for (const [ref, x] of held) {
      const word = ix.word(x);
      const body = classBodyAround(ix, x, true);
      byName.set(word, byName.has(word) || body < 0 || ix.propertyWrites(word).length !== 1 ? null : { ref, body });
    }
    for (let t = 0; t + 2 < count; t++) {
      if (!tokenIs(text, buf, t, 'this') || !isDot(buf, t + 1) || buf.kind[t + 2] !== IDENT) continue;
      const h = byName.get(ix.word(t + 2));
      if (!h || classBodyAround(ix, t, true) !== h.body) continue;
      const access = keyAt(t + 3);
      const pattern = access === null && endsValue(t + 3) ? patternBefore(t) : -1;
      if (access !== null) h.ref.keys.push(access);
      else if (pattern >= 0 && declares(pattern - 1)) patternKeys(h.ref, pattern);
    }
  }

  /**
   * Keys read through a helper of the file whose every return is a read (`function creds(conv) {
   * return conv.utils.get_secret('db'); }`, `const creds = (conv) => conv.utils.get_secret('db')`, a
   * method returning one): on its call (`creds(conv).user`), or through the `const` a call is the
   * whole value of (`const c = await creds(conv)`, then `c.user`, `const { user } = c`), as a
   * read's own; a method called as `this.creds()`. Only where the name each read takes is the same
   * for every caller: a literal, or resolved in a helper with at most one parameter (the conversation).
   */
  function helperKeys(list: ReadonlyArray<[SecretReference, number]>): void {
    const ix = indexOf();
    // The innermost function around each read's `return` (its `=>` for an expression body): the body brace around it.
    const byBody = new Map<number, JsFunction>();
    for (const f of ix.functions.values()) if (f.block) byBody.set(f.bodyFrom, f);
    const around = (t: number): JsFunction | null => {
      let brace = ix.braceOf(t);
      while (brace >= 0 && !byBody.has(brace)) brace = ix.braceOf(brace);
      return brace >= 0 ? byBody.get(brace)! : null;
    };
    const reads = new Map<JsFunction, SecretReference[]>();
    const late = new Set<number>();
    const shared: Array<[SecretReference, number, SecretReference[]]> = [];
    for (const [ref, kw] of list) {
      const f = isOp(buf, kw, OP_ARROW) ? ix.functions.get(kw) : around(kw);
      if (f === undefined || f === null || (!f.block && (buf.end[f.bodyTo - 1]! !== ref.span.end || kw !== f.at))) continue;
      (reads.get(f) ?? reads.set(f, []).get(f)!).push(ref);
    }
    for (const [f, rs] of reads) {
      // Every `return` of its own (not a nested function's) is one of the reads.
      if (f.block) {
        let own = 0;
        for (let t = f.bodyFrom + 1; t < f.bodyTo; t++) if (tokenIs(text, buf, t, 'return') && around(t) === f) own++;
        if (own !== rs.length) continue;
      }
      if (!rs.every((r) => r.name !== null || (r.candidates !== undefined && r.open === undefined && f.params.length <= 1))) continue;
      const method = f.binding === null && isOpen(buf, f.at, CH_LPAREN) && buf.kind[f.at - 1] === IDENT ? ix.word(f.at - 1) : null;
      // A function declaration or a `const`'s (a `let` may be given another); a method by its name.
      if (f.binding === null ? method === null : f.binding.fn !== f || (f.binding.kind !== B_CONST && f.binding.kind !== B_FUNCTION)) continue;
      const calls = method !== null ? methodCalls(method) : ix.occurrences(f.binding!.name).filter((t) => ix.lookup(f.binding!.name, t) === f.binding);
      const [first, ...others] = rs;
      const before = first!.keys.length;
      for (const t of calls) {
        const open = callOpen(t);
        const close = open >= 0 ? buf.match[open]! : -1;
        if (close < 0 || t === f.binding?.tok) continue;
        const start = method !== null ? t - 2 : t;
        const direct = keyAt(close + 1);
        if (direct !== null) {
          first!.keys.push(direct);
          continue;
        }
        const from = tokenIs(text, buf, start - 1, 'await') ? start - 1 : start;
        const target = endsValue(close + 1) ? targetBefore(from) : -1;
        if (target <= 0) continue;
        if (buf.kind[target] === CLOSE && buf.aux[target] === 125) {
          const open2 = buf.match[target]!;
          if (open2 >= 0 && isOpen(buf, open2, CH_LBRACE) && declares(open2 - 1)) patternKeys(first!, open2);
        } else if (buf.kind[target] === IDENT && declares(target - 1)) {
          hold(target, first!, buf.start[target]!);
          late.add(target);
        }
      }
      if (others.length > 0) shared.push([first!, before, others]);
    }
    // The uses of the consts a call is the whole value of: one pass for every helper.
    if (late.size > 0) for (let t = 0; t < count; t++) if (buf.kind[t] === IDENT && !isDot(buf, t - 1) && (isDot(buf, t + 1) || isOpen(buf, t + 1, CH_LBRACKET) || isOp(buf, t - 1, OP_ASSIGN))) holderUse(t, late);
    // A helper's other returns hold what its first does.
    for (const [first, before, others] of shared) for (const ref of others) for (let k = before; k < first.keys.length; k++) ref.keys.push(first.keys[k]!);
  }

  /** The tokens of NAME in each `this.NAME(…)` of the file (every such call found in one pass, at the first ask). */
  function methodCalls(name: string): number[] {
    if (thisCalls === null) {
      thisCalls = new Map();
      for (let t = 2; t < count; t++) {
        if (buf.kind[t] !== IDENT || !isDot(buf, t - 1) || !tokenIs(text, buf, t - 2, 'this') || callOpen(t) < 0) continue;
        const word = text.slice(buf.start[t]!, buf.end[t]!);
        (thisCalls.get(word) ?? thisCalls.set(word, []).get(word)!).push(t);
      }
    }
    return thisCalls.get(name) ?? [];
  }
  let thisCalls: Map<string, number[]> | null = null;

  sortBySpan(refs);
  sortBySpan(writes);
  // The pass over the tokens is linear: charged its tokens (and the index of bindings when a name
  // holds `process.env` or a use of a secret's holder needs it), and the clock looked at after it.
  budget.pass(index ? 2 * count : count);
  budget.checkClock();
  // A computed name (`process.env[NAMES[env]]`): the names it can take, or the part that is unknown.
  resolveJsNames(text, buf, refs, budget, index, imports);
  // Keys read through a helper that returns a read (after the names resolve: a computed name counts once known).
  if (returned !== null) {
    helperKeys(returned);
    budget.pass(count);
  }
  return { references: refs, writes, functions: [] };
}
