// A module's helper whose returned name is built from its parameters (`def name_for(conv, service):
// return f"{service}_prod" if conv.env == "live" else f"{service}_uat"`), as the module gives it to
// the modules that import it: a template, each parameter's place in each name marked, that the
// importing document fills with the values of the call's arguments (Python's nameSetsImports.ts,
// JavaScript's jsImports.ts), by the one rule of joined names (combine.ts's join). A front end
// marks only a parameter that its function joins into the name and does nothing else with (no test,
// no key, no method): the marks stand for any string. Imports no front end.

import { join, under } from './combine';
import { type Evaluation, spanOf, unresolved } from './evaluation';
import { importedAlternatives } from './candidates';
import { NO_CONDS, type Alternative } from './values';
import type { ModuleNames, NameCandidate, Span } from '../scan/types';

/**
 * The mark of parameter `k` in a template's names: private-use characters around letters of both
 * cases, so that a name the function changes by case (`.upper()`, `.lower()`, `.title()`) or cuts
 * (`[:3]`) no longer holds it whole (see isTemplate).
 */
export function mark(k: number): string {
  return `\uE000p${k}P\uE001`;
}

const MARKS = /\uE000p(\d+)P\uE001/g;

/** A parameter's value where its function is evaluated for a template: its mark, written at the parameter. */
export function markValue(k: number, at: Span): Alternative {
  return { name: mark(k), literal: at, when: NO_CONDS, env: null };
}

/**
 * Whether candidates evaluated with marked parameters make a template: some name holds a mark, and
 * every mark in every name is whole (none changed or cut by what the function did to it).
 */
export function isTemplate(candidates: readonly NameCandidate[]): boolean {
  let marked = false;
  for (const c of candidates) {
    const rest = c.name.replace(MARKS, () => ((marked = true), ''));
    if (rest.includes('\uE000') || rest.includes('\uE001')) return false;
  }
  return marked;
}

/**
 * The most reads of its parameters a function's template is made with: each is checked along the
 * expression around it (joins.ts), so a function of many more gives none (and its module's names
 * stay linear in its size).
 */
export const MAX_TEMPLATE_READS = 64;

/** A template's parameters: each name, and whether it is passed only by keyword. */
export interface TemplateParam {
  name: string;
  keywordOnly: boolean;
}

/** The key of module function `name`'s template among the module's names: `name_for(conv, service)`, `f(a, *, b)`. */
export function templateName(name: string, params: readonly TemplateParam[]): string {
  const list: string[] = [];
  let star = false;
  for (const p of params) {
    if (p.keywordOnly && !star) {
      star = true;
      list.push('*');
    }
    list.push(p.name);
  }
  return `${name}(${list.join(', ')})`;
}

/**
 * The key of the default of a template's marked parameter `k` (`name_for(conv, service) default 1`):
 * the names the default gives (evaluated where the function is defined), for a call that leaves the
 * parameter to it.
 */
export function defaultName(name: string, params: readonly TemplateParam[], k: number): string {
  return `${templateName(name, params)} default ${k}`;
}

/** Each module's templates by function name, read once per module's names (a document calls many). */
const templatesOf = new WeakMap<ModuleNames, Map<string, { params: TemplateParam[]; candidates: readonly NameCandidate[] }>>();

/** Module function `name`'s template in a module's names (templateName's): its parameters and names; null when it has none. */
export function templateOf(names: ModuleNames, name: string): { params: TemplateParam[]; candidates: readonly NameCandidate[] } | null {
  let index = templatesOf.get(names);
  if (index === undefined) {
    index = new Map();
    for (const [key, candidates] of names) {
      const open = key.indexOf('(');
      if (open <= 0 || !key.endsWith(')') || key.length === open + 2) continue;
      const inner = key.slice(open + 1, -1);
      if (!/^[\w*, ]+$/u.test(inner)) continue;
      index.set(key.slice(0, open), { params: paramsOf(inner), candidates });
    }
    templatesOf.set(names, index);
  }
  return index.get(name) ?? null;
}

/** The parameters a key lists (templateName's `conv, service, *, region`), read back. */
function paramsOf(list: string): TemplateParam[] {
  const params: TemplateParam[] = [];
  let keywordOnly = false;
  for (const part of list.split(',').map((x) => x.trim())) {
    if (part === '*') keywordOnly = true;
    else if (part !== '') params.push({ name: part, keywordOnly });
  }
  return params;
}

/** The parameters whose marks a template's names hold (by their index). */
export function markedParams(candidates: readonly NameCandidate[]): Set<number> {
  const out = new Set<number>();
  for (const c of candidates) for (const m of c.name.matchAll(MARKS)) out.add(Number(m[1]));
  return out;
}

/**
 * A template's names where a call gives each marked parameter `value(k)`'s alternatives (this
 * document's): each name's written pieces (in the module's environments) joined with the
 * arguments' values by combine.ts's join, so that a name takes the environments and tests of both.
 * The pieces are written in the module, inside its function: here they stand at the call [s, e),
 * so that a name points at the argument that tells it from the others, else at the argument or
 * the call that makes it (never at the module's text, which a correction must not rewrite whole).
 * A name that holds no mark is the module's, as written there.
 */
export function filled(r: Evaluation, candidates: readonly NameCandidate[], value: (k: number) => readonly Alternative[], s: number, e: number): Alternative[] {
  const out: Alternative[] = [];
  const call = spanOf(r, s, e);
  for (const c of candidates) {
    const written = importedAlternatives(r, [c])[0]!;
    const env = written.env;
    // A name that holds no mark is taken as the module wrote it (as a function's plain returns are).
    if (!c.name.includes('\uE000')) {
      out.push(written);
      continue;
    }
    const parts: Array<readonly Alternative[]> = [];
    let from = 0;
    for (const m of c.name.matchAll(MARKS)) {
      if (m.index > from) parts.push([{ name: c.name.slice(from, m.index), literal: call, when: NO_CONDS, env: null }]);
      parts.push(value(Number(m[1])));
      from = m.index + m[0].length;
    }
    if (from < c.name.length) parts.push([{ name: c.name.slice(from), literal: call, when: NO_CONDS, env: null }]);
    if (parts.length === 0) unresolved(r, s, e);
    out.push(...under(join(r, parts, s, e), null, env));
  }
  return out;
}

// ---- a module's function that reads the secret its caller names ----

/** What a reader's key says after its parameters: the function returns the value it reads, or only reads it. */
const RETURNS_ITS_READ = ' returns its read of';
const READS = ' reads';

/**
 * The key of module function `name` that reads the secret named by its parameter `k` (`def
 * credentials(conv, secret_name): return conv.utils.get_secret(secret_name)`): `credentials(conv,
 * secret_name) returns its read of 1`, or `… reads 1` when what it returns is something else.
 */
export function readerName(name: string, params: readonly TemplateParam[], k: number, returnsValue: boolean): string {
  return `${templateName(name, params)}${returnsValue ? RETURNS_ITS_READ : READS} ${k}`;
}

/**
 * What `find` says a module's function or class at `key` reads (a reader or none), made once per
 * document in `memo` (each front end's), for both front ends: a reader handing the name back to one
 * being made (a recursion) finds none, and a chain of readers handing it on is followed MAX_CHAIN
 * deep, so that the stack stays small (a reader below that is taken to be none there, and is found
 * when asked nearer).
 */
export function readerMemo<K, T>(memo: Map<K, T | null | typeof MAKING>, key: K, find: () => T | null): T | null {
  const known = memo.get(key);
  if (known !== undefined) return known === MAKING ? null : known;
  if (chainDepth >= MAX_CHAIN) return null;
  memo.set(key, MAKING);
  chainDepth++;
  let found: T | null = null;
  try {
    found = find();
  } finally {
    chainDepth--;
  }
  memo.set(key, found);
  return found;
}

/** A reader being made (readerMemo). */
export const MAKING = 0;

/** How many readers deep readerMemo follows a name handed on (`Handler` to `Session` to …). */
const MAX_CHAIN = 16;

let chainDepth = 0;

/** A module function that reads the secret a parameter names: its parameters, which one, and whether it returns the value. */
export interface Reader {
  params: TemplateParam[];
  k: number;
  returnsValue: boolean;
}

const readersOf = new WeakMap<ModuleNames, Map<string, Reader>>();

/** Module function `name` as a reader in a module's names (readerName's); null when it is none. */
export function readerOf(names: ModuleNames, name: string): Reader | null {
  return readersIn(names).get(name) ?? null;
}

/** Every reader in a module's names, by function name (read once per module's names). */
export function readersIn(names: ModuleNames): ReadonlyMap<string, Reader> {
  let index = readersOf.get(names);
  if (index === undefined) {
    index = new Map();
    for (const key of names.keys()) {
      const m = /^([\w]+)\(([\w*, ]*)\)( returns its read of| reads) (\d+)$/u.exec(key);
      if (m === null) continue;
      const params = paramsOf(m[2]!);
      const k = Number(m[4]);
      if (k < params.length) index.set(m[1]!, { params, k, returnsValue: m[3] === RETURNS_ITS_READ });
    }
    readersOf.set(names, index);
  }
  return index;
}

// ---- a module's function that reads the secret whose name it joins from its parameters ----

/**
 * The key of module function `name` whose one read's name joins its parameters (`def creds(conv,
 * service): return conv.utils.get_secret(f"{service}_api_key")`): `creds(conv, service) returns its
 * read of names` (or `… reads names`), the read's names with those parameters marked as its value.
 */
export function templateReaderName(name: string, params: readonly TemplateParam[], returnsValue: boolean): string {
  return `${templateName(name, params)}${returnsValue ? RETURNS_ITS_READ : READS} names`;
}

/** A module function whose read's name joins its parameters: its parameters, the read's names (marked), and whether it returns the value. */
export interface TemplateReader {
  params: TemplateParam[];
  candidates: readonly NameCandidate[];
  returnsValue: boolean;
}

/** Another module's reader as a document imports it: the function's name there, and a reader of a parameter or one whose read's name joins its parameters (`template`). */
export type ImportedReader = (Reader & { function: string; template?: undefined }) | (TemplateReader & { function: string; template: true });

const templateReadersOf = new WeakMap<ModuleNames, Map<string, TemplateReader>>();

/** Every template reader in a module's names (templateReaderName's), by function name (read once per module's names). */
export function templateReadersIn(names: ModuleNames): ReadonlyMap<string, TemplateReader> {
  let index = templateReadersOf.get(names);
  if (index === undefined) {
    index = new Map();
    for (const [key, candidates] of names) {
      const m = /^([\w]+)\(([\w*, ]*)\)( returns its read of| reads) names$/u.exec(key);
      if (m !== null && candidates.length > 0) index.set(m[1]!, { params: paramsOf(m[2]!), candidates, returnsValue: m[3] === RETURNS_ITS_READ });
    }
    templateReadersOf.set(names, index);
  }
  return index;
}
