// Finds secret references in a lexed JavaScript / TypeScript document: `….get_secret('x')`
// member calls and the environment forms `process.env.X` / `process.env['X']`. Assigning
// (`process.env.X = …`) and deleting (`delete process.env.X`) are writes, not reads.

import { chainStart, findArgument, groupEnd, resetGroupCache } from '../scan/calls';
import { type AnalysisBudget, budgetFor } from '../scan/budget';
import { resolveJsNames } from './jsNameSets';
import { emptyLiteral, literalOf, sortBySpan } from '../scan/literals';
import { CH_LBRACKET, CH_LPAREN, IDENT, OP, OP_ASSIGN, OP_DOT, OP_OPTDOT, OPEN, TokenBuffer, isOp, isOpen, lineBreakBetween, tokenIs } from '../scan/tokens';
import type { ReferenceScan, SecretReference, StringLiteral } from '../scan/types';

function isDot(buf: TokenBuffer, t: number): boolean {
  return t >= 0 && buf.kind[t] === OP && (buf.aux[t] === OP_DOT || buf.aux[t] === OP_OPTDOT);
}

export function findJsReferences(text: string, buf: TokenBuffer, budget: AnalysisBudget = budgetFor(text.length)): ReferenceScan {
  const refs: SecretReference[] = [];
  const writes: SecretReference[] = [];
  const count = buf.count;
  resetGroupCache();

  const groupSpanEnd = (open: number, limit: number): number => {
    const close = buf.match[open]!;
    if (close >= 0) return buf.end[close]!;
    return limit > open + 1 ? buf.end[limit - 1]! : buf.end[open]!;
  };

  const bracketLiteral = (open: number, limit: number): StringLiteral =>
    limit > open + 1 ? literalOf(text, buf, open + 1, limit, false) : emptyLiteral(buf.end[open]!);

  for (let t = 0; t < count; t++) {
    if (buf.kind[t] !== IDENT) continue;
    const c = text.charCodeAt(buf.start[t]!);
    if (c === 103 && isDot(buf, t - 1) && tokenIs(text, buf, t, 'get_secret')) {
      // `x.get_secret(…)` or `x.get_secret?.(…)`
      const open = isOpen(buf, t + 1, CH_LPAREN) ? t + 1 : isDot(buf, t + 1) && buf.aux[t + 1] === OP_OPTDOT && isOpen(buf, t + 2, CH_LPAREN) ? t + 2 : -1;
      if (open < 0) continue;
      const limit = groupEnd(text, buf, open);
      const arg = findArgument(text, buf, open, limit, null, false);
      const literal = arg ? literalOf(text, buf, arg.start, arg.end, false) : emptyLiteral(buf.end[open]!);
      refs.push({
        form: 'get_secret',
        name: literal.value,
        literal,
        keys: [],
        span: { start: buf.start[chainStart(text, buf, t - 1, false)]!, end: groupSpanEnd(open, limit) },
      });
      continue;
    }
    if (c !== 112 || isDot(buf, t - 1) || !isDot(buf, t + 1) || !tokenIs(text, buf, t, 'process') || !tokenIs(text, buf, t + 2, 'env')) continue;
    const start = buf.start[t]!;
    const k = t + 3;
    const deleted = tokenIs(text, buf, t - 1, 'delete');
    /** The reference ends at token `last`: assigned to or deleted there, it is a write. */
    const add = (ref: SecretReference, last: number): void => {
      const next = last + 1;
      const written = last >= 0 && (isOp(buf, next, OP_ASSIGN) || (deleted && !isDot(buf, next) && buf.kind[next] !== OPEN));
      (written ? writes : refs).push(ref);
    };
    if (isDot(buf, k)) {
      if (buf.aux[k] === OP_OPTDOT && isOpen(buf, k + 1, CH_LBRACKET)) {
        // process.env?.['X']
        const limit = groupEnd(text, buf, k + 1);
        const literal = bracketLiteral(k + 1, limit);
        add({ form: 'env', name: literal.value, literal, keys: [], span: { start, end: groupSpanEnd(k + 1, limit) } }, buf.match[k + 1]!);
      } else if (k + 1 < count && buf.kind[k + 1] === IDENT && !lineBreakBetween(text, buf, k, k + 1)) {
        const span = { start: buf.start[k + 1]!, end: buf.end[k + 1]! };
        const literal: StringLiteral = { value: text.slice(span.start, span.end), contentSpan: { ...span }, span, closed: true };
        add({ form: 'env', name: literal.value, literal, keys: [], span: { start, end: span.end } }, k + 1);
      } else {
        // `process.env.` with the name still to be typed.
        const literal = emptyLiteral(buf.end[k]!);
        refs.push({ form: 'env', name: '', literal, keys: [], span: { start, end: buf.end[k]! } });
      }
    } else if (isOpen(buf, k, CH_LBRACKET)) {
      const limit = groupEnd(text, buf, k);
      const literal = bracketLiteral(k, limit);
      add({ form: 'env', name: literal.value, literal, keys: [], span: { start, end: groupSpanEnd(k, limit) } }, buf.match[k]!);
    }
  }
  sortBySpan(refs);
  sortBySpan(writes);
  // The pass over the tokens is linear: charged its tokens, and the clock looked at after it.
  budget.pass(count);
  budget.checkClock();
  // A computed name (`process.env[NAMES[env]]`): the names it can take, or the part that is unknown.
  resolveJsNames(text, buf, refs, budget);
  return { references: refs, writes, functions: [] };
}
