// Which parameters of a module's function only go into the names it returns, joined (`return
// f"{service}_prod" if conv.env == "live" else f"{service}_uat"`, `return prefix + "_api_key"`):
// those the module gives its importers as marks of a template (evaluate/templates.ts), to be filled
// with each call's arguments there. A parameter qualifies only where every read of it is in one of
// the function's own `return` statements, as a part of a join there (evaluate/joins.ts: `+`, an
// f-string's placeholder, `str(…)`, a branch's value of a conditional expression), and nowhere
// else: not tested, not a key, not a method's object, not passed to a call, not rebound. Anything
// else leaves it as it was (its read does not resolve, and the function gives no template).

import { spanOf } from '../evaluate/evaluation';
import { markValue, MAX_TEMPLATE_READS, type TemplateParam } from '../evaluate/templates';
import type { Alternative } from '../evaluate/values';
import { joinedRead, type JoinSyntax } from '../evaluate/joins';
import { CH_LPAREN, IDENT, OP_ASSIGN, OP_COMMA, OP_DOT, OP_POW, OP_STAR, isOp, isOpen, tokenIs } from '../scan/tokens';
import { SK_RETURN } from './keyFlow';
import { parametersOf } from './nameSetsCalls';
import { statementEnd } from './nameSetsFlow';
import { nameAt, parameterGroup, scopeTo, statementOf } from './nameSetsIndex';
import type { Resolver } from './nameSetsTypes';
import { statements as S } from './pythonRefsState';

/**
 * The module function of `fscope` as a template's function: its parameters (for templateName) and
 * the binding of each one it only joins into its names to its mark (the others' reads do not
 * resolve); null when it has none such, or takes `*args` / `**kwargs`.
 */
export function templateParams(r: Resolver, fscope: number): { params: TemplateParam[]; bind: (name: string) => (() => Alternative[]) | undefined } | null {
  const group = parameterGroup(r, fscope);
  if (group === null) return null;
  const { buf } = r.scan;
  for (let t = group[0] + 1; t < group[1]; t++) if ((isOp(buf, t, OP_STAR) || isOp(buf, t, OP_POW)) && buf.kind[t + 1] === IDENT) return null;
  const params = parametersOf(r, fscope);
  const joined = joinedParams(r, fscope, group[1], new Set(params.map((p) => p.name)));
  if (joined.size === 0) return null;
  const marks = new Map<string, () => Alternative[]>();
  params.forEach((p, k) => {
    if (joined.has(p.name)) {
      const value = [markValue(k, spanOf(r, p.tok, p.tok + 1))];
      marks.set(p.name, () => value);
    }
  });
  return {
    params: params.map((p) => ({ name: p.name, keywordOnly: p.position < 0 })),
    bind: (name) => marks.get(name),
  };
}

/** The names of `names` (parameters of the function of `fscope`, whose parameter list closes at `close`) that its body only joins into what it returns. */
function joinedParams(r: Resolver, fscope: number, close: number, names: Set<string>): Set<string> {
  const { buf } = r.scan;
  const used = new Set<string>();
  const refused = new Set<string>();
  const end = scopeTo(r, fscope);
  let reads = 0;
  for (let t = close + 1; t < end; t++) {
    if (buf.kind[t] !== IDENT) continue;
    const name = nameAt(r, t);
    if (!names.has(name) || refused.has(name)) continue;
    // An attribute of something else (`x.service`), or a keyword argument's name (`f(service=…)`): not this name.
    if (isOp(buf, t - 1, OP_DOT)) continue;
    if (isOp(buf, t + 1, OP_ASSIGN) && (isOp(buf, t - 1, OP_COMMA) || isOpen(buf, t - 1, CH_LPAREN))) continue;
    if (++reads > MAX_TEMPLATE_READS) return new Set();
    if (joinedReturn(r, t, fscope)) used.add(name);
    else refused.add(name);
  }
  for (const name of refused) used.delete(name);
  return used;
}

/** Python's spelling of a join (evaluate/joins.ts). */
export const PYTHON_JOINS: JoinSyntax = {
  ternary: false,
  stops: new Set(['and', 'or', 'not', 'in', 'is', 'lambda', 'for', 'async', 'await', 'yield', 'from']),
  keywords: new Set(['return', 'else', 'if', 'and', 'or', 'not', 'in', 'is', 'await', 'yield', 'lambda']),
  stringify: 'str',
};

/** Whether the read of a parameter at token `t` is a part of a join in a `return` of the function of `fscope` (see the file's head). */
function joinedReturn(r: Resolver, t: number, fscope: number): boolean {
  const { text, buf } = r.scan;
  const stmt = statementOf(t);
  if (S.scope[stmt] !== fscope || S.kind[stmt] !== SK_RETURN || !tokenIs(text, buf, S.start[stmt]!, 'return')) return false;
  return joinedRead(text, buf, t, S.start[stmt]! + 1, statementEnd(r, stmt), PYTHON_JOINS);
}
