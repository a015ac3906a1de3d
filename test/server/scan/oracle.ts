// A tree-sitter oracle for the reference scanner: it finds references under the same rules by
// walking real syntax trees, so the differential test can check the scanner against a parser.
// Dev only (tests and bench/); server code never imports it.

import { createRequire } from 'node:module';
import { Language, type Node, Parser, Query } from 'web-tree-sitter';
import type { KeyAccess, ScanLanguage, SecretReference, StringLiteral } from '../../../server/src/service/scan/types';

const require = createRequire(import.meta.url);

export interface Oracle {
  /** Parses `text` with tree-sitter and finds its references (same shape as the scanner's). */
  references(text: string, language: ScanLanguage): SecretReference[];
  /** Like `references`, and reports whether tree-sitter found syntax errors. */
  analyze(text: string, language: ScanLanguage): { references: SecretReference[]; hasError: boolean; errorAt: number };
  /** The name the task brief uses for `references`. */
  parseAndQuery(text: string, language: ScanLanguage): SecretReference[];
}

interface Grammar {
  parser: Parser;
  query: Query;
}

const PY_QUERY = '[(call) (subscript) (import_from_statement) (assignment)] @node';
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

  const analyze = (text: string, language: ScanLanguage) => {
    const g = language === 'python' ? python : language === 'javascript' ? javascript : typescript;
    const tree = g.parser.parse(text);
    if (!tree) throw new Error('tree-sitter returned no tree');
    try {
      const root = tree.rootNode;
      const nodes = g.query.captures(root).map((c) => c.node);
      const references = language === 'python' ? pythonReferences(text, root, nodes) : jsReferences(nodes);
      references.sort((a, b) => a.span.start - b.span.start);
      const error = root.hasError ? firstError(root) : null;
      return { references, hasError: root.hasError, errorAt: error?.startIndex ?? -1 };
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

/** Python: a `string` or `concatenated_string` node as a literal; anything else is dynamic. */
function pyLiteral(text: string, node: Node): StringLiteral {
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

/** The first positional argument, else the keyword argument `keyword`; null when neither. */
function pyArgument(args: Node | null, keyword: string | null): Node | null {
  const list = namedArgs(args);
  const positional = list.find((n) => n.type !== 'keyword_argument');
  if (positional) return positional;
  for (const n of list) {
    if (n.childForFieldName('name')?.text === keyword) return n.childForFieldName('value');
  }
  return null;
}

function pyCallLiteral(text: string, call: Node, keyword: string | null): StringLiteral {
  const args = call.childForFieldName('arguments');
  const arg = pyArgument(args, keyword);
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

/** Whether the identifier `id` binds its name where it stands. */
function isBinding(id: Node): boolean {
  const p = id.parent;
  if (!p) return false;
  switch (p.type) {
    case 'named_expression':
      return same(p.childForFieldName('name'), id);
    case 'as_pattern_target':
    case 'global_statement':
    case 'nonlocal_statement':
    case 'parameters':
    case 'lambda_parameters':
      return true;
    case 'aliased_import':
      return same(p.childForFieldName('alias'), id);
    case 'default_parameter':
    case 'typed_default_parameter':
      return same(p.childForFieldName('name'), id);
    case 'typed_parameter':
      return same(p.namedChildren[0], id);
    case 'list_splat_pattern':
    case 'dictionary_splat_pattern':
      if (p.parent && ['parameters', 'lambda_parameters', 'typed_parameter'].includes(p.parent.type)) return true;
      break;
    case 'function_definition':
    case 'class_definition':
      return same(p.childForFieldName('name'), id);
    case 'dotted_name': {
      // `import a.b` binds `a`; `from m import x` binds `x`; module names bind nothing.
      const stmt = p.parent;
      if (!stmt || !same(p.namedChildren[0], id)) return false;
      if (stmt.type === 'import_statement') return true;
      if (stmt.type === 'import_from_statement') return !same(stmt.childForFieldName('module_name'), p);
      return false;
    }
    case 'delete_statement':
      return true;
  }
  if (p.type === 'expression_list' && p.parent?.type === 'delete_statement') return true;
  // Targets of assignments and for loops, possibly inside tuple / list patterns.
  let child: Node = id;
  let q: Node | null = p;
  while (q && PATTERNS.has(q.type)) {
    child = q;
    q = q.parent;
  }
  if (!q) return false;
  if (q.type === 'assignment') return same(q.childForFieldName('left'), child) && (q.childForFieldName('right') !== null || q.childForFieldName('type') === null);
  if (q.type === 'augmented_assignment' || q.type === 'for_statement' || q.type === 'for_in_clause') return same(q.childForFieldName('left'), child);
  return false;
}

/** A key read applied to `target`: `target[…]` or `target.get(…)`. */
function pyKeyAccess(text: string, target: Node): KeyAccess | null {
  const p = target.parent;
  if (!p) return null;
  if (p.type === 'subscript' && same(p.childForFieldName('value'), target)) {
    const subs = p.childrenForFieldName('subscript').filter((n): n is Node => n !== null);
    const literal = subs.length === 1 ? pyLiteral(text, subs[0]!) : subs.length > 1 ? dynamic(subs[0]!, subs[subs.length - 1]) : emptyAt(target.endIndex + 1);
    return { key: literal.value, literal, via: 'subscript' };
  }
  if (p.type === 'attribute' && same(p.childForFieldName('object'), target) && p.childForFieldName('attribute')?.text === 'get') {
    const call = p.parent;
    if (call?.type === 'call' && same(call.childForFieldName('function'), p)) {
      const literal = pyCallLiteral(text, call, null);
      return { key: literal.value, literal, via: 'get' };
    }
  }
  return null;
}

function isOsAttribute(node: Node | null, attribute: string): boolean {
  return node?.type === 'attribute' && node.childForFieldName('attribute')?.text === attribute && node.childForFieldName('object')?.type === 'identifier' && node.childForFieldName('object')?.text === 'os';
}

function pythonReferences(text: string, root: Node, nodes: Node[]): SecretReference[] {
  const getSecret = new Set<string>();
  const environ = new Set<string>();
  const getenv = new Set<string>();
  const pending: Array<[string, string]> = [];
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
    } else if (n.type === 'assignment' && n.parent?.type === 'expression_statement') {
      const left = n.childForFieldName('left');
      const right = n.childForFieldName('right');
      if (left?.type !== 'identifier' || !right) continue;
      if (right.type === 'attribute' && right.childForFieldName('attribute')?.text === 'get_secret') getSecret.add(left.text);
      else if (right.type === 'identifier') pending.push([left.text, right.text]);
    }
  }
  for (let changed = true; changed; ) {
    changed = false;
    for (const [target, source] of pending) {
      if (!getSecret.has(target) && getSecret.has(source)) {
        getSecret.add(target);
        changed = true;
      }
    }
  }

  const refs: SecretReference[] = [];
  const tracked: Array<{ ref: SecretReference; left: Node; scope: number; after: number }> = [];
  for (const n of nodes) {
    if (n.type === 'call') {
      const fn = n.childForFieldName('function');
      if (!fn) continue;
      const attr = fn.type === 'attribute' ? fn.childForFieldName('attribute')?.text : undefined;
      const obj = fn.type === 'attribute' ? fn.childForFieldName('object') : null;
      let form: 'get_secret' | 'env' | null = null;
      if (attr === 'get_secret' || (fn.type === 'identifier' && getSecret.has(fn.text))) form = 'get_secret';
      else if (isOsAttribute(fn, 'getenv') || (fn.type === 'identifier' && getenv.has(fn.text))) form = 'env';
      else if (attr === 'get' && (isOsAttribute(obj, 'environ') || (obj?.type === 'identifier' && environ.has(obj.text)))) form = 'env';
      if (!form) continue;
      const literal = pyCallLiteral(text, n, form === 'env' ? 'key' : 'name');
      const ref: SecretReference = { form, name: literal.value, literal, keys: [], span: span(n) };
      refs.push(ref);
      if (form !== 'get_secret') continue;
      const key = pyKeyAccess(text, n);
      if (key) ref.keys.push(key);
      const assign = n.parent;
      if (assign?.type === 'assignment' && same(assign.childForFieldName('right'), n) && assign.parent?.type === 'expression_statement') {
        const left = assign.childForFieldName('left');
        if (left?.type === 'identifier') tracked.push({ ref, left, scope: scopeOf(left), after: n.endIndex });
      }
    } else if (n.type === 'subscript') {
      const value = n.childForFieldName('value');
      if (!(isOsAttribute(value, 'environ') || (value?.type === 'identifier' && environ.has(value.text)))) continue;
      const subs = n.childrenForFieldName('subscript').filter((s): s is Node => s !== null);
      const literal = subs.length === 1 ? pyLiteral(text, subs[0]!) : dynamic(subs[0]!, subs[subs.length - 1]);
      refs.push({ form: 'env', name: literal.value, literal, keys: [], span: span(n) });
    }
  }

  if (tracked.length > 0) {
    // Group the identifiers spelling a tracked name by (name, scope), each scope computed once.
    const names = new Set(tracked.map((t) => t.left.text));
    const groups = new Map<string, Node[]>();
    for (const id of descendantsOfType(root, ['identifier'])) {
      if (!names.has(id.text)) continue;
      const key = `${id.text}@${scopeOf(id)}`;
      const group = groups.get(key);
      if (group) group.push(id);
      else groups.set(key, [id]);
    }
    for (const t of tracked) {
      const mine = groups.get(`${t.left.text}@${t.scope}`) ?? [];
      if (mine.some((id) => !same(id, t.left) && isBinding(id))) continue;
      for (const id of mine) {
        if (id.startIndex < t.after) continue;
        const key = pyKeyAccess(text, id);
        if (key) t.ref.keys.push(key);
      }
    }
  }
  return refs;
}

// ---------- JavaScript / TypeScript ----------

function isProcessEnv(node: Node | null): boolean {
  if (node?.type !== 'member_expression') return false;
  const obj = node.childForFieldName('object');
  return obj?.type === 'identifier' && obj.text === 'process' && node.childForFieldName('property')?.text === 'env';
}

function jsReferences(nodes: Node[]): SecretReference[] {
  const refs: SecretReference[] = [];
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
      refs.push({ form: 'env', name: prop.text, literal, keys: [], span: span(n) });
    } else if (n.type === 'subscript_expression') {
      if (!isProcessEnv(n.childForFieldName('object'))) continue;
      const index = n.childForFieldName('index');
      if (!index) continue;
      const literal = jsLiteral(index);
      refs.push({ form: 'env', name: literal.value, literal, keys: [], span: span(n) });
    }
  }
  return refs;
}
