// A JavaScript / TypeScript module's exported function that reads the secret its caller names
// (`export function credentials(conv, secretName) { return conv.utils.get_secret(secretName); }`),
// as the module gives it to the modules that import it (evaluate/templates.ts's readerName): there,
// each call of it is a read of the secret its argument names (jsRefs.ts). As in Python
// (python/nameSetsReaders.ts): only where the function has one read, whose only argument is the
// parameter itself, never assigned in the function; said to return the value it reads only where
// every return is that read (awaited or not), `null`, `undefined` or bare.

import { readerName } from '../evaluate/templates';
import { chainStart } from '../scan/calls';
import { CH_LPAREN, IDENT, OP_AUG, OP_ASSIGN, OP_ELLIPSIS, OP_OPTDOT, isOp, isOpen, tokenIs } from '../scan/tokens';
import type { NameCandidate } from '../scan/types';
import { find } from './jsNameSetsExpr';
import type { JsFunction } from './jsNameSetsIndex';
import { returnPaths } from './jsNameSetsStatements';
import type { JsNames } from './jsNameSetsTypes';

/** Gives the exported function `fn` (as `name`) as a reader (see the file's head), when it is one. */
export function exportJsReader(r: JsNames, fn: JsFunction, name: string, out: Map<string, NameCandidate[]>): void {
  const { buf, text } = r.ix;
  if ((fn.patterns?.length ?? 0) > 0) return;
  for (const p of fn.params) if (p.paramPart !== undefined || p.ofPath !== undefined || isOp(buf, p.tok - 1, OP_ELLIPSIS)) return;
  let read = -1;
  for (let t = fn.bodyFrom; t < fn.bodyTo; t++) {
    if (buf.kind[t] !== IDENT || !r.ix.isDot(t - 1) || !tokenIs(text, buf, t, 'get_secret')) continue;
    if (read >= 0) return;
    read = t;
  }
  if (read < 0) return;
  const open = isOpen(buf, read + 1, CH_LPAREN) ? read + 1 : isOp(buf, read + 1, OP_OPTDOT) && isOpen(buf, read + 2, CH_LPAREN) ? read + 2 : -1;
  const close = open < 0 ? -1 : buf.match[open]!;
  const arg = open + 1;
  if (close !== arg + 1 || buf.kind[arg] !== IDENT) return;
  const param = find(r, r.ix.word(arg), arg);
  const k = param === null ? -1 : fn.params.indexOf(param);
  if (k < 0) return;
  for (let t = fn.bodyFrom; t < fn.bodyTo; t++) {
    if (t === arg || buf.kind[t] !== IDENT || r.ix.isDot(t - 1) || r.ix.word(t) !== param!.name || find(r, param!.name, t) !== param) continue;
    if (isOp(buf, t + 1, OP_ASSIGN) || isOp(buf, t + 1, OP_AUG)) return;
  }
  const first = chainStart(text, buf, read - 1, false);
  // `const value = [await] conv.utils.get_secret(name);`: `return value` returns the read too.
  const assigned = tokenIs(text, buf, first - 1, 'await') ? first - 2 : first - 1;
  const held = isOp(buf, assigned, OP_ASSIGN) && buf.kind[assigned - 1] === IDENT && tokenIs(text, buf, assigned - 2, 'const') ? find(r, r.ix.word(assigned - 1), assigned - 1) : null;
  let value = false;
  let other = false;
  for (const path of returnPaths(r.ix, fn)) {
    if (path.from < 0 || path.to <= path.from) continue;
    const a = tokenIs(text, buf, path.from, 'await') ? path.from + 1 : path.from;
    if (held !== null && path.to === a + 1 && buf.kind[a] === IDENT && find(r, r.ix.word(a), a) === held) value = true;
    else if (a === first && path.to === close + 1) value = true;
    else if (!(path.to === path.from + 1 && (tokenIs(text, buf, path.from, 'null') || tokenIs(text, buf, path.from, 'undefined')))) other = true;
  }
  out.set(readerName(name, fn.params.map((p) => ({ name: p.name, keywordOnly: false })), k, value && !other), []);
}
