// Which parameters of a module's exported function only go into the names it returns, joined
// (`export const nameFor = (conv, service) => (conv.env === 'live' ? `${service}_prod` :
// `${service}_uat`)`, `return prefix + '_api_key'`): those the module gives its importers as marks
// of a template (evaluate/templates.ts), to be filled with each call's arguments there
// (jsImports.ts's importedCall). A parameter qualifies only where every read of it is in one of the
// function's returns (an arrow's body), as a part of a join there (evaluate/joins.ts: `+`, a
// template literal's placeholder, `String(…)`, a branch's value of `?:`), and nowhere else. A
// function with a destructured or rest parameter gives no template.

import { markValue, MAX_TEMPLATE_READS, type TemplateParam } from '../evaluate/templates';
import { joinedRead, type JoinSyntax } from '../evaluate/joins';
import type { Alternative } from '../evaluate/values';
import { IDENT, OP_ELLIPSIS, isOp } from '../scan/tokens';
import { find } from './jsNameSetsExpr';
import type { JsBinding, JsFunction } from './jsNameSetsIndex';
import { returnPaths } from './jsNameSetsStatements';
import { span, type JsNames } from './jsNameSetsTypes';

/** JavaScript's and TypeScript's spelling of a join (evaluate/joins.ts). */
export const JS_JOINS: JoinSyntax = {
  ternary: true,
  stops: new Set(['typeof', 'instanceof', 'in', 'new', 'await', 'void', 'delete', 'yield', 'as', 'satisfies', 'function', 'class', 'keyof']),
  keywords: new Set(['return', 'typeof', 'void', 'await', 'yield', 'case', 'else', 'in', 'of', 'new', 'delete', 'instanceof']),
  stringify: 'String',
};

/**
 * The function `fn` as a template's function: its parameters (for templateName) and the mark of
 * each one it only joins into its names, by its place; null when it has none such.
 */
export function templateMarks(r: JsNames, fn: JsFunction): { params: TemplateParam[]; marks: Map<number, Alternative[]> } | null {
  const { buf, text } = r.ix;
  if ((fn.patterns?.length ?? 0) > 0) return null;
  for (const p of fn.params) if (p.paramPart !== undefined || p.ofPath !== undefined || isOp(buf, p.tok - 1, OP_ELLIPSIS)) return null;
  const returns = returnPaths(r.ix, fn).filter((path) => path.from >= 0);
  if (returns.length === 0) return null;
  const marks = joinedMarks(r, fn, (t) => {
    const path = returns.find((x) => t >= x.from && t < x.to);
    return path !== undefined && joinedRead(text, buf, t, path.from, path.to, JS_JOINS);
  });
  return marks === null ? null : { params: fn.params.map((p) => ({ name: p.name, keywordOnly: false })), marks };
}

/**
 * The mark of each parameter of `fn` every read of which in its body `joined` accepts (a part of a
 * join where the caller's name is made), by its place; null when none is, or it reads its
 * parameters more than MAX_TEMPLATE_READS times. An assignment to one is a read `joined` refuses.
 */
export function joinedMarks(r: JsNames, fn: JsFunction, joined: (t: number) => boolean): Map<number, Alternative[]> | null {
  const { buf } = r.ix;
  const byName = new Map(fn.params.map((p) => [p.name, p]));
  const used = new Set<JsBinding>();
  const refused = new Set<JsBinding>();
  let reads = 0;
  for (let t = fn.bodyFrom; t < fn.bodyTo; t++) {
    if (buf.kind[t] !== IDENT) continue;
    const p = byName.get(r.ix.word(t));
    if (p === undefined || refused.has(p) || r.ix.isDot(t - 1) || find(r, p.name, t) !== p) continue;
    if (++reads > MAX_TEMPLATE_READS) return null;
    if (joined(t)) used.add(p);
    else refused.add(p);
  }
  const marks = new Map<number, Alternative[]>();
  fn.params.forEach((p, k) => {
    if (used.has(p) && !refused.has(p)) marks.set(k, [markValue(k, span(r, p.tok, p.tok + 1))]);
  });
  return marks.size === 0 ? null : marks;
}
