// A tree-sitter oracle for the reference scanner: it finds references under the same rules by
// walking real syntax trees, so the differential test can check the scanner against a parser.
// Dev only (tests and bench/); server code never imports it.

import { createRequire } from 'node:module';
import { Language, type Node, Parser, Query } from 'web-tree-sitter';
import { EV_BIND, EV_BIND_INLINE, EV_USE, Flow, OTHER, SK_BREAK, SK_CASE, SK_CONTINUE, SK_DEF, SK_ELIF, SK_ELSE, SK_EXCEPT, SK_FINALLY, SK_FOR, SK_IF, SK_MATCH, SK_RETURN, SK_SIMPLE, SK_TRY, SK_WHILE, SK_WITH, EventTable, StatementTable } from '../../../server/src/service/python/keyFlow';
import type { KeyAccess, ScanLanguage, SecretReference, StringLiteral } from '../../../server/src/service/scan/types';

const require = createRequire(import.meta.url);

export interface Oracle {
  /** Parses `text` with tree-sitter and finds its references (same shape as the scanner's). */
  references(text: string, language: ScanLanguage): SecretReference[];
  /** Like `references`, with the environment writes apart, and whether tree-sitter found syntax errors. */
  /**
   * `resolved`: where the computed reads whose names resolve start (the scanner's nameSets verdict,
   * which the oracle does not recompute): a variable holding one holds a secret.
   */
  analyze(
    text: string,
    language: ScanLanguage,
    resolved?: ReadonlySet<number>,
  ): { references: SecretReference[]; writes: SecretReference[]; hasError: boolean; errorAt: number };
  /** The name the task brief uses for `references`. */
  parseAndQuery(text: string, language: ScanLanguage): SecretReference[];
}

interface Grammar {
  parser: Parser;
  query: Query;
}

const PY_QUERY = '[(call) (subscript) (import_from_statement) (import_statement) (assignment)] @node';
const JS_QUERY = '[(call_expression) (member_expression) (subscript_expression)] @node';

let loading: Promise<Oracle> | undefined;

/** Loads the grammars once; later calls share the same oracle. */
export function createOracle(): Promise<Oracle> {
  loading ??= load();
  return loading;
}

export const loadOracle = createOracle;

async function load(): Promise<Oracle> {
  await Parser.init();
  const grammar = async (pkg: string, file: string, query: string): Promise<Grammar> => {
    const language = await Language.load(require.resolve(`${pkg}/${file}`));
    const parser = new Parser();
    parser.setLanguage(language);
    return { parser, query: new Query(language, query) };
  };
  const python = await grammar('tree-sitter-python', 'tree-sitter-python.wasm', PY_QUERY);
  const javascript = await grammar('tree-sitter-javascript', 'tree-sitter-javascript.wasm', JS_QUERY);
  // TSX parses plain TypeScript too, except old-style `<T>x` casts, which our corpus avoids.
  const typescript = await grammar('tree-sitter-typescript', 'tree-sitter-tsx.wasm', JS_QUERY);

  const analyze = (text: string, language: ScanLanguage, resolved: ReadonlySet<number> = new Set()) => {
    const g = language === 'python' ? python : language === 'javascript' ? javascript : typescript;
    const tree = g.parser.parse(text);
    if (!tree) throw new Error('tree-sitter returned no tree');
    try {
      const root = tree.rootNode;
      const nodes = g.query.captures(root).map((c) => c.node);
      const found = language === 'python' ? pythonReferences(text, root, nodes, resolved) : jsReferences(nodes);
      const references = found.filter((r) => !found.writes.has(r));
      const writes = found.filter((r) => found.writes.has(r));
      references.sort((a, b) => a.span.start - b.span.start);
      writes.sort((a, b) => a.span.start - b.span.start);
      const error = root.hasError ? firstError(root) : null;
      return { references, writes, hasError: root.hasError, errorAt: error?.startIndex ?? -1 };
    } finally {
      tree.delete();
    }
  };
  return {
    analyze,
    references: (text, language) => analyze(text, language).references,
    parseAndQuery: (text, language) => analyze(text, language).references,
  };
}

function firstError(node: Node): Node | null {
  if (node.isError || node.isMissing) return node;
  for (const child of node.children) {
    if (child?.hasError || child?.isMissing) {
      const found = firstError(child);
      if (found) return found;
    }
  }
  return null;
}

// ---------- literals ----------

const span = (n: Node) => ({ start: n.startIndex, end: n.endIndex });

function dynamic(first: Node, last: Node = first): StringLiteral {
  return { value: null, contentSpan: { start: first.startIndex, end: last.endIndex }, span: { start: first.startIndex, end: last.endIndex }, closed: true };
}

function emptyAt(pos: number): StringLiteral {
  return { value: '', contentSpan: { start: pos, end: pos }, span: { start: pos, end: pos }, closed: false };
}

/** The decoded text of one escape sequence node (the forms our corpora use). */
function decodeEscape(esc: string): string {
  const c = esc[1]!;
  const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '\n': '', '0': '\0', b: '\b', f: '\f', v: '\v' };
  if (esc.length === 2 && c in simple) return simple[c]!;
  if (c === 'x' || c === 'u' || c === 'U') {
    const hex = esc.slice(2).replace(/[{}]/g, '');
    return String.fromCodePoint(parseInt(hex, 16));
  }
  if (/^[0-7]+$/.test(esc.slice(1))) return String.fromCharCode(parseInt(esc.slice(1), 8));
  return esc.slice(1);
}

/** Walks a string node's content: escape nodes are decoded, everything else is kept as written. */
function stringValue(text: string, from: number, to: number, escapes: Node[]): string {
  let out = '';
  let pos = from;
  for (const e of escapes) {
    out += text.slice(pos, e.startIndex);
    out += e.type === 'escape_interpolation' ? e.text[0] : decodeEscape(e.text);
    pos = e.endIndex;
  }
  return out + text.slice(pos, to);
}

function descendantsOfType(node: Node, types: string[]): Node[] {
  return node.descendantsOfType(types).filter((n): n is Node => n !== null);
}

/** Python: a `string` or `concatenated_string` node (in any parentheses) as a literal; anything else is dynamic. */
function pyLiteral(text: string, node: Node): StringLiteral {
  let inner = node;
  while (inner.type === 'parenthesized_expression' && inner.namedChildren.length === 1) inner = inner.namedChildren[0]!;
  if (inner !== node && (inner.type === 'string' || inner.type === 'concatenated_string')) {
    const literal = pyLiteral(text, inner);
    if (literal.value !== null) return literal;
  }
  const parts = node.type === 'concatenated_string' ? node.namedChildren.filter((n): n is Node => n !== null && n.type === 'string') : node.type === 'string' ? [node] : [];
  if (parts.length === 0) return dynamic(node);
  let value = '';
  for (const part of parts) {
    if (part.namedChildren.some((c) => c?.type === 'interpolation')) return dynamic(node);
    const start = part.namedChildren[0]!;
    const end = part.namedChildren[part.namedChildren.length - 1]!;
    const raw = /r/i.test(start.text);
    const escapes = descendantsOfType(part, ['escape_sequence', 'escape_interpolation']).filter((e) => !raw || e.type === 'escape_interpolation');
    value += stringValue(text, start.endIndex, end.startIndex, escapes);
  }
  const first = parts[0]!.namedChildren[0]!;
  const last = parts[parts.length - 1]!.namedChildren[parts[parts.length - 1]!.namedChildren.length - 1]!;
  return { value, contentSpan: { start: first.endIndex, end: last.startIndex }, span: span(node), closed: true };
}

/** JS / TS: a string or a template without substitutions is a literal. */
function jsLiteral(node: Node): StringLiteral {
  if (node.type !== 'string' && node.type !== 'template_string') return dynamic(node);
  if (node.namedChildren.some((c) => c?.type === 'template_substitution')) return dynamic(node);
  const text = node.tree.rootNode.text;
  const escapes = descendantsOfType(node, ['escape_sequence']);
  const from = node.startIndex + 1;
  const to = node.endIndex - 1;
  return { value: stringValue(text, from, to, escapes), contentSpan: { start: from, end: to }, span: span(node), closed: true };
}

function namedArgs(args: Node | null): Node[] {
  if (!args) return [];
  return args.namedChildren.filter((n): n is Node => n !== null && n.type !== 'comment');
}

/** The first positional argument, else the first keyword argument among `keywords`; null when neither. */
function pyArgument(args: Node | null, keywords: readonly string[]): Node | null {
  const list = namedArgs(args);
  const positional = list.find((n) => n.type !== 'keyword_argument' && n.type !== 'dictionary_splat');
  if (positional) return positional;
  for (const n of list) {
    if (n.type === 'keyword_argument' && keywords.includes(n.childForFieldName('name')!.text)) return n.childForFieldName('value');
  }
  // `**kwargs` may hold the name: a dynamic one.
  return list.find((n) => n.type === 'dictionary_splat') ?? null;
}

function pyCallLiteral(text: string, call: Node, keywords: readonly string[]): StringLiteral {
  const args = call.childForFieldName('arguments');
  const arg = pyArgument(args, keywords);
  return arg ? pyLiteral(text, arg) : emptyAt((args?.startIndex ?? call.endIndex) + 1);
}

// ---------- Python ----------

function same(a: Node | null | undefined, b: Node | null | undefined): boolean {
  return !!a && !!b && a.id === b.id;
}

/** The id of the def/class whose body holds `node` (0 for the module); a def's name is outside it. */
function scopeOf(node: Node): number {
  let child = node;
  for (let p = node.parent; p; child = p, p = p.parent) {
    if ((p.type === 'function_definition' || p.type === 'class_definition') && !same(p.childForFieldName('name'), child)) return p.id;
  }
  return 0;
}

const PATTERNS = new Set(['pattern_list', 'tuple_pattern', 'list_pattern', 'list_splat_pattern', 'tuple', 'list', 'expression_list', 'list_splat']);

/**
 * Whether the identifier `id` (re)binds its name in its scope where it stands. Lambda parameters
 * and comprehension variables do not: they shadow the name inside their expression only (see
 * `shadowedAt`); global / nonlocal only declare it.
 */
function isBinding(id: Node): boolean {
  const p = id.parent;
  if (!p) return false;
  switch (p.type) {
    case 'named_expression':
      return same(p.childForFieldName('name'), id);
    case 'as_pattern_target':
    case 'parameters':
      return true;
    case 'as_pattern':
      // `case p as name:`
      return !!p.parent && p.parent.type === 'case_pattern' && same(p.namedChildren[p.namedChildren.length - 1], id) && p.namedChildren.length > 1;
    case 'splat_pattern':
      return hasAncestor(p, 'case_pattern') && id.text !== '_';
    case 'aliased_import':
      return same(p.childForFieldName('alias'), id);
    case 'default_parameter':
    case 'typed_default_parameter':
      return !!p.parent && p.parent.type === 'parameters' && same(p.childForFieldName('name'), id);
    case 'typed_parameter':
      return same(p.namedChildren[0], id) && p.parent?.type === 'parameters';
    case 'list_splat_pattern':
    case 'dictionary_splat_pattern':
      if (p.parent && ['parameters', 'typed_parameter'].includes(p.parent.type)) return true;
      break;
    case 'function_definition':
    case 'class_definition':
      return same(p.childForFieldName('name'), id);
    case 'dotted_name': {
      // `import a.b` binds `a`; `from m import x` binds `x`; module names bind nothing; a
      // one-name pattern in a case captures.
      const stmt = p.parent;
      if (!stmt || !same(p.namedChildren[0], id)) return false;
      if (stmt.type === 'import_statement') return true;
      if (stmt.type === 'import_from_statement') return !same(stmt.childForFieldName('module_name'), p);
      if (stmt.type === 'case_pattern' || (stmt.type === 'keyword_pattern' && !same(stmt.namedChildren[0], p))) return p.namedChildren.length === 1;
      return false;
    }
    case 'delete_statement':
      return true;
  }
  if (p.type === 'expression_list' && p.parent?.type === 'delete_statement') return true;
  // Targets of assignments and for statements, possibly inside tuple / list patterns.
  let child: Node = id;
  let q: Node | null = p;
  while (q && PATTERNS.has(q.type)) {
    child = q;
    q = q.parent;
  }
  if (!q) return false;
  if (q.type === 'assignment') return same(q.childForFieldName('left'), child) && (q.childForFieldName('right') !== null || q.childForFieldName('type') === null);
  if (q.type === 'augmented_assignment' || q.type === 'for_statement') return same(q.childForFieldName('left'), child);
  return false;
}

function hasAncestor(node: Node, type: string): boolean {
  for (let p = node.parent; p; p = p.parent) if (p.type === type) return true;
  return false;
}

/** Whether `node` (a subscript) is stored into or deleted: an assignment, del, for or with target. */
function isStore(node: Node): boolean {
  let child = node;
  let q = node.parent;
  while (q && (PATTERNS.has(q.type) || q.type === 'parenthesized_expression')) {
    child = q;
    q = q.parent;
  }
  if (!q) return false;
  if (q.type === 'assignment' || q.type === 'for_statement' || q.type === 'for_in_clause') return same(q.childForFieldName('left'), child);
  return q.type === 'delete_statement' || q.type === 'as_pattern_target';
}

const COMPREHENSIONS = new Set(['list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression']);
const SCOPES = new Set(['function_definition', 'class_definition']);

/** The bare names a comprehension's or a lambda's own variables bind. */
function ownNames(node: Node): string[] {
  const out: string[] = [];
  const bare = (n: Node | null) => {
    if (!n) return;
    if (n.type === 'identifier') out.push(n.text);
    else if (PATTERNS.has(n.type) || n.type === 'parenthesized_expression') for (const c of n.namedChildren) bare(c);
  };
  if (node.type === 'lambda') {
    for (const param of node.childForFieldName('parameters')?.namedChildren ?? []) {
      if (!param) continue;
      if (param.type === 'identifier') out.push(param.text);
      else if (param.type === 'default_parameter') out.push(param.childForFieldName('name')!.text);
      else if (param.type === 'list_splat_pattern' || param.type === 'dictionary_splat_pattern') bare(param.namedChildren[0] ?? null);
    }
  } else {
    for (const clause of node.namedChildren) if (clause?.type === 'for_in_clause') bare(clause.childForFieldName('left'));
  }
  return out;
}

/** Whether `id` is a lambda parameter or comprehension variable where it stands. */
function shadowedAt(id: Node): boolean {
  for (let p = id.parent; p && !SCOPES.has(p.type); p = p.parent) {
    if ((p.type === 'lambda' || COMPREHENSIONS.has(p.type)) && ownNames(p).includes(id.text)) return true;
  }
  return false;
}

/** Whether `id` runs later than it stands: in a lambda's body or a generator expression. */
function deferredAt(id: Node): boolean {
  let child = id;
  for (let p = id.parent; p && !SCOPES.has(p.type); child = p, p = p.parent) {
    if (p.type === 'generator_expression') return true;
    if (p.type === 'lambda' && same(p.childForFieldName('body'), child)) return true;
  }
  return false;
}

/** A key read applied to `target`: `target[…]` or `target.get(…)`; a written key is none. */
function pyKeyAccess(text: string, target: Node): KeyAccess | null {
  const p = target.parent;
  if (!p) return null;
  if (p.type === 'subscript' && same(p.childForFieldName('value'), target)) {
    if (isStore(p)) return null;
    const subs = p.childrenForFieldName('subscript').filter((n): n is Node => n !== null);
    const literal = subs.length === 1 ? pyLiteral(text, subs[0]!) : subs.length > 1 ? dynamic(subs[0]!, subs[subs.length - 1]) : emptyAt(target.endIndex + 1);
    return { key: literal.value, literal, via: 'subscript' };
  }
  if (p.type === 'attribute' && same(p.childForFieldName('object'), target) && p.childForFieldName('attribute')?.text === 'get') {
    const call = p.parent;
    if (call?.type === 'call' && same(call.childForFieldName('function'), p)) {
      const literal = pyCallLiteral(text, call, []);
      return { key: literal.value, literal, via: 'get' };
    }
  }
  return null;
}

type Found = SecretReference[] & { writes: Set<SecretReference> };

function found(): Found {
  return Object.assign([] as SecretReference[], { writes: new Set<SecretReference>() });
}

function pythonReferences(text: string, root: Node, nodes: Node[], resolved: ReadonlySet<number>): Found {
  const getSecret = new Set<string>();
  const environ = new Set<string>();
  const getenv = new Set<string>();
  const osNames = new Set<string>(['os']);
  const pending: Array<[string, string]> = [];
  const environTargets: Array<[Node, Node]> = [];
  for (const n of nodes) {
    if (n.type === 'import_from_statement') {
      const fromOs = n.childForFieldName('module_name')?.text === 'os';
      for (const name of n.childrenForFieldName('name')) {
        if (!name) continue;
        const imported = name.type === 'aliased_import' ? name.childForFieldName('name')!.text : name.text;
        const bound = name.type === 'aliased_import' ? name.childForFieldName('alias')!.text : name.text;
        if (imported === 'get_secret') getSecret.add(bound);
        else if (fromOs && imported === 'environ') environ.add(bound);
        else if (fromOs && imported === 'getenv') getenv.add(bound);
      }
    } else if (n.type === 'import_statement') {
      for (const name of n.childrenForFieldName('name')) {
        if (name?.type === 'aliased_import' && name.childForFieldName('name')?.text === 'os') osNames.add(name.childForFieldName('alias')!.text);
      }
    } else if (n.type === 'assignment' && n.parent?.type === 'expression_statement') {
      const left = n.childForFieldName('left');
      const right = n.childForFieldName('right');
      if (left?.type !== 'identifier' || !right) continue;
      if (right.type === 'attribute' && right.childForFieldName('attribute')?.text === 'get_secret') getSecret.add(left.text);
      else if (right.type === 'identifier') pending.push([left.text, right.text]);
      else if (right.type === 'attribute') environTargets.push([left, right]);
    }
  }
  const isOs = (node: Node | null, attribute: string): boolean =>
    node?.type === 'attribute' && node.childForFieldName('attribute')?.text === attribute && node.childForFieldName('object')?.type === 'identifier' && osNames.has(node.childForFieldName('object')!.text);
  environAliases(nodes, environTargets, isOs, environ, getenv);
  for (let changed = true; changed; ) {
    changed = false;
    for (const [target, source] of pending) {
      for (const names of [getSecret, environ, getenv]) {
        if (!names.has(target) && names.has(source)) {
          names.add(target);
          changed = true;
        }
      }
    }
  }

  const refs = found();
  const tracked: Array<{ ref: SecretReference; left: Node; scope: number }> = [];
  for (const n of nodes) {
    if (n.type === 'call') {
      const fn = n.childForFieldName('function');
      if (!fn) continue;
      const attr = fn.type === 'attribute' ? fn.childForFieldName('attribute')?.text : undefined;
      const obj = fn.type === 'attribute' ? fn.childForFieldName('object') : null;
      let form: 'get_secret' | 'env' | null = null;
      if (attr === 'get_secret' || (fn.type === 'identifier' && getSecret.has(fn.text))) form = 'get_secret';
      else if (isOs(fn, 'getenv') || (fn.type === 'identifier' && getenv.has(fn.text))) form = 'env';
      else if (attr === 'get' && (isOs(obj, 'environ') || (obj?.type === 'identifier' && environ.has(obj.text)))) form = 'env';
      if (!form) continue;
      const literal = pyCallLiteral(text, n, form === 'env' ? ['key'] : ['secret_name', 'name']);
      const ref: SecretReference = { form, name: literal.value, literal, keys: [], span: span(n) };
      refs.push(ref);
      if (form !== 'get_secret') continue;
      const key = pyKeyAccess(text, n);
      if (key) ref.keys.push(key);
      const assign = n.parent;
      if (assign?.type === 'assignment' && same(assign.childForFieldName('right'), n) && assign.parent?.type === 'expression_statement') {
        const left = assign.childForFieldName('left');
        if (left?.type === 'identifier') tracked.push({ ref, left, scope: scopeOf(left) });
      }
    } else if (n.type === 'subscript') {
      const value = n.childForFieldName('value');
      if (!(isOs(value, 'environ') || (value?.type === 'identifier' && environ.has(value.text)))) continue;
      const subs = n.childrenForFieldName('subscript').filter((s): s is Node => s !== null);
      const literal = subs.length === 1 ? pyLiteral(text, subs[0]!) : dynamic(subs[0]!, subs[subs.length - 1]);
      const ref: SecretReference = { form: 'env', name: literal.value, literal, keys: [], span: span(n) };
      refs.push(ref);
      if (isStore(n)) refs.writes.add(ref);
    }
  }
  if (tracked.length > 0) variables(text, root, tracked, resolved);
  return refs;
}

/**
 * `env = os.environ`, `getenv = os.getenv` / `os.environ.get`: the name aliases the environment when
 * no other binding of it in the file (lambda parameters and comprehension variables included) is
 * anything else.
 */
function environAliases(nodes: Node[], targets: Array<[Node, Node]>, isOs: (node: Node | null, attribute: string) => boolean, environ: Set<string>, getenv: Set<string>): void {
  const kinds = new Map<string, 'environ' | 'getenv' | null>();
  const aliasIds = new Set<number>();
  for (const [left, right] of targets) {
    const obj = right.childForFieldName('object');
    const kind = isOs(right, 'environ') ? 'environ' : isOs(right, 'getenv') || (right.childForFieldName('attribute')?.text === 'get' && isOs(obj, 'environ')) ? 'getenv' : null;
    if (!kind) continue;
    aliasIds.add(left.id);
    const seen = kinds.get(left.text);
    kinds.set(left.text, seen === undefined || seen === kind ? kind : null);
  }
  if (kinds.size === 0) return;
  for (const n of nodes) {
    if (n.type !== 'identifier' || !kinds.has(n.text) || aliasIds.has(n.id)) continue;
    if (isBinding(n) || shadowedAt(n)) kinds.set(n.text, null);
  }
  for (const [name, kind] of kinds) (kind === 'environ' ? environ : kind === 'getenv' ? getenv : null)?.add(name);
}

/**
 * Keys read through variables, by reaching definitions over the statements of each scope. The
 * statement table and events come from the syntax tree; the join rules are the scanner's own
 * (python/keyFlow.ts), so this checks the scanner's reading of the code, not those rules.
 */
function variables(text: string, root: Node, tracked: Array<{ ref: SecretReference; left: Node; scope: number }>, resolved: ReadonlySet<number>): void {
  // A literal name, or a computed one that resolves; any other computed name is an unknown value.
  const known = (ref: SecretReference) => ref.name !== null || resolved.has(ref.span.start);
  const names = new Map<string, number>();
  for (const t of tracked) if (!names.has(t.left.text)) names.set(t.left.text, names.size);
  const trackedAt = new Set(tracked.map((t) => `${t.scope}:${t.left.text}`));
  const ids = descendantsOfType(root, ['identifier']).filter((id) => names.has(id.text));
  // global / nonlocal and bound in the same scope: unknown everywhere; `import *`: in its scope.
  const declared = new Set<string>();
  for (const id of ids) if (id.parent?.type === 'global_statement' || id.parent?.type === 'nonlocal_statement') declared.add(`${scopeOf(id)}:${id.text}`);
  const poisoned = new Set<string>();
  for (const id of ids) if (isBinding(id) && declared.has(`${scopeOf(id)}:${id.text}`)) poisoned.add(id.text);
  const starScopes = new Set(descendantsOfType(root, ['wildcard_import']).map((n) => scopeOf(n)));
  const counts = (name: string, scope: number) => !poisoned.has(name) && !starScopes.has(scope) && trackedAt.has(`${scope}:${name}`);

  const events: Array<{ tok: number; type: number; name: number; scope: number; value: number }> = [];
  const otherBound = new Set<string>();
  const uses: Array<{ key: KeyAccess; name: string; scope: number; deferred: boolean }> = [];
  for (const id of ids) {
    const scope = scopeOf(id);
    if (!counts(id.text, scope)) continue;
    if (isBinding(id)) {
      const found = tracked.findIndex((t) => same(t.left, id));
      // A secret whose name is computed and resolves counts (its keys are checked against each name).
      const def = found >= 0 && known(tracked[found]!.ref) ? found : -1;
      if (def < 0) otherBound.add(`${scope}:${id.text}`);
      events.push({ tok: id.startIndex, type: id.parent?.type === 'named_expression' ? EV_BIND_INLINE : EV_BIND, name: names.get(id.text)!, scope, value: def < 0 ? OTHER : def });
      continue;
    }
    if (shadowedAt(id)) continue;
    const key = pyKeyAccess(text, id);
    if (!key) continue;
    const late = deferredAt(id);
    uses.push({ key, name: id.text, scope, deferred: late });
    if (!late) events.push({ tok: id.startIndex, type: EV_USE, name: names.get(id.text)!, scope, value: uses.length - 1 });
  }
  if (uses.length === 0) return;
  events.sort((x, y) => x.tok - y.tok);

  const st = new StatementTable();
  const headerOf = new Map<number, number>();
  const simpleKind: Record<string, number> = { return_statement: SK_RETURN, raise_statement: SK_RETURN, break_statement: SK_BREAK, continue_statement: SK_CONTINUE };
  const body = (node: Node | null, depth: number) => {
    for (const s of node?.namedChildren ?? []) if (s && s.type !== 'comment') statement(s, depth);
  };
  const header = (node: Node, end: Node | null, kind: number, depth: number) => st.push(node.startIndex, end ? end.startIndex : node.endIndex, kind, 2 * depth, scopeOf(node));
  const statement = (s: Node, depth: number): void => {
    switch (s.type) {
      case 'decorated_definition':
        for (const d of s.namedChildren) if (d?.type === 'decorator') st.push(d.startIndex, d.endIndex, SK_SIMPLE, 2 * depth, scopeOf(d));
        statement(s.childForFieldName('definition')!, depth);
        return;
      case 'function_definition':
      case 'class_definition': {
        const i = st.push(s.startIndex, s.childForFieldName('name')!.endIndex, SK_DEF, 2 * depth, scopeOf(s));
        headerOf.set(s.id, i);
        body(s.childForFieldName('body'), depth + 1);
        return;
      }
      case 'if_statement': {
        header(s, s.childForFieldName('consequence'), SK_IF, depth);
        body(s.childForFieldName('consequence'), depth + 1);
        for (const alt of s.childrenForFieldName('alternative')) {
          if (!alt) continue;
          const block = alt.type === 'elif_clause' ? alt.childForFieldName('consequence') : alt.childForFieldName('body');
          header(alt, block, alt.type === 'elif_clause' ? SK_ELIF : SK_ELSE, depth);
          body(block, depth + 1);
        }
        return;
      }
      case 'for_statement':
      case 'while_statement': {
        header(s, s.childForFieldName('body'), s.type === 'for_statement' ? SK_FOR : SK_WHILE, depth);
        body(s.childForFieldName('body'), depth + 1);
        const alt = s.childForFieldName('alternative');
        if (alt) {
          header(alt, alt.childForFieldName('body'), SK_ELSE, depth);
          body(alt.childForFieldName('body'), depth + 1);
        }
        return;
      }
      case 'try_statement': {
        header(s, s.childForFieldName('body'), SK_TRY, depth);
        body(s.childForFieldName('body'), depth + 1);
        for (const c of s.namedChildren) {
          if (!c || !['except_clause', 'except_group_clause', 'else_clause', 'finally_clause'].includes(c.type)) continue;
          const block = c.type === 'else_clause' ? c.childForFieldName('body') : c.namedChildren.find((x) => x?.type === 'block') ?? null;
          header(c, block, c.type === 'else_clause' ? SK_ELSE : c.type === 'finally_clause' ? SK_FINALLY : SK_EXCEPT, depth);
          body(block, depth + 1);
        }
        return;
      }
      case 'with_statement':
        header(s, s.childForFieldName('body'), SK_WITH, depth);
        body(s.childForFieldName('body'), depth + 1);
        return;
      case 'match_statement': {
        const block = s.childForFieldName('body');
        header(s, block, SK_MATCH, depth);
        for (const c of block?.namedChildren ?? []) {
          if (c?.type !== 'case_clause') continue;
          header(c, c.childForFieldName('consequence'), SK_CASE, depth + 1);
          body(c.childForFieldName('consequence'), depth + 2);
        }
        return;
      }
      default:
        st.push(s.startIndex, s.endIndex, simpleKind[s.type] ?? SK_SIMPLE, 2 * depth, scopeOf(s));
    }
  };
  body(root, 0);

  const table = new EventTable();
  for (const e of events) table.push(e.tok, e.type, e.name, e.scope, e.value);
  table.from = new Int32Array(st.count);
  table.to = new Int32Array(st.count);
  for (let k = 0; k < st.count; k++) {
    table.from[k] = events.findIndex((e) => e.tok >= st.start[k]!);
    if (table.from[k]! < 0) table.from[k] = events.length;
    let f = table.from[k]!;
    while (f < events.length && events[f]!.tok < st.end[k]!) f++;
    table.to[k] = f;
  }
  const reach: Array<ReadonlySet<number> | null> = new Array(uses.length).fill(null);
  const flow = new Flow(st, table, reach, names.size);
  const byScope = new Map<number, Set<number>>();
  for (const u of uses) if (!u.deferred) byScope.set(u.scope, (byScope.get(u.scope) ?? new Set()).add(names.get(u.name)!));
  for (const [scope, nameIds] of byScope) {
    if (scope === 0) flow.run(0, 0, -1, [...nameIds]);
    else {
      const h = headerOf.get(scope)!;
      flow.run(scope, h + 1, st.indent[h]!, [...nameIds]);
    }
  }
  uses.forEach((u, i) => {
    let defs: number[];
    if (u.deferred) {
      if (otherBound.has(`${u.scope}:${u.name}`)) return;
      defs = tracked.flatMap((t, d) => (t.scope === u.scope && t.left.text === u.name ? [d] : []));
      if (defs.some((d) => !known(tracked[d]!.ref))) return;
    } else {
      const set = reach[i];
      if (!set || set.has(OTHER)) return;
      defs = [...set];
    }
    for (const d of defs) tracked[d]!.ref.keys.push(u.key);
  });
}

// ---------- JavaScript / TypeScript ----------

function isProcessEnv(node: Node | null): boolean {
  if (node?.type !== 'member_expression') return false;
  const obj = node.childForFieldName('object');
  return obj?.type === 'identifier' && obj.text === 'process' && node.childForFieldName('property')?.text === 'env';
}

/** Assigned to (`process.env.X = …`) or deleted (`delete process.env.X`): a write. */
function jsWritten(n: Node): boolean {
  const p = n.parent;
  if (p?.type === 'assignment_expression') return same(p.childForFieldName('left'), n);
  return p?.type === 'unary_expression' && p.childForFieldName('operator')?.text === 'delete';
}

function jsReferences(nodes: Node[]): Found {
  const refs = found();
  const add = (ref: SecretReference, n: Node) => {
    refs.push(ref);
    if (jsWritten(n)) refs.writes.add(ref);
  };
  for (const n of nodes) {
    if (n.type === 'call_expression') {
      const fn = n.childForFieldName('function');
      if (fn?.type !== 'member_expression' || fn.childForFieldName('property')?.text !== 'get_secret') continue;
      const args = n.childForFieldName('arguments');
      const first = namedArgs(args)[0];
      const literal = first ? jsLiteral(first) : emptyAt((args?.startIndex ?? n.endIndex) + 1);
      refs.push({ form: 'get_secret', name: literal.value, literal, keys: [], span: span(n) });
    } else if (n.type === 'member_expression') {
      if (!isProcessEnv(n.childForFieldName('object'))) continue;
      const prop = n.childForFieldName('property');
      if (!prop) continue;
      const literal: StringLiteral = { value: prop.text, contentSpan: span(prop), span: span(prop), closed: true };
      add({ form: 'env', name: prop.text, literal, keys: [], span: span(n) }, n);
    } else if (n.type === 'subscript_expression') {
      if (!isProcessEnv(n.childForFieldName('object'))) continue;
      const index = n.childForFieldName('index');
      if (!index) continue;
      const literal = jsLiteral(index);
      add({ form: 'env', name: literal.value, literal, keys: [], span: span(n) }, n);
    }
  }
  return refs;
}
