// The names that alias get_secret, os, os.environ and os.getenv, for the Python reference
// finder: imports (`from os import environ as env`, `import os as _os`), and simple assignments
// (`gs = conv.utils.get_secret`, `fetch = gs`), resolved once all imports are known.

import { currentScope, type PythonRefScan } from './pythonRefsState';
import { bind } from './pythonRefsTargets';
import { IDENT, OP_COMMA, OP_DOT, OP_STAR, isOp, tokenIs } from './tokens';

export function importStatement(scan: PythonRefScan, s: number, end: number, from: boolean): void {
  const { text, buf } = scan;
  if (!from) {
    // import a.b.c [as d], e: binds `a` (or the alias, bound by the `as` rule).
    let expectName = true;
    for (let t = s + 1; t < end; t++) {
      if (expectName && buf.kind[t] === IDENT) {
        let k = t;
        while (isOp(buf, k + 1, OP_DOT) && buf.kind[k + 2] === IDENT) k += 2;
        if (!tokenIs(text, buf, k + 1, 'as')) bind(scan, t);
        else if (k === t && tokenIs(text, buf, t, 'os') && buf.kind[k + 2] === IDENT) scan.osNames.add(text.slice(buf.start[k + 2]!, buf.end[k + 2]!));
        t = k;
        expectName = false;
      } else if (isOp(buf, t, OP_COMMA)) expectName = true;
    }
    return;
  }
  let imp = s + 1;
  while (imp < end && !tokenIs(text, buf, imp, 'import')) imp++;
  const fromOs = imp === s + 2 && tokenIs(text, buf, s + 1, 'os');
  if (isOp(buf, imp + 1, OP_STAR)) scan.starScopes.add(currentScope(scan));
  let t = imp + 1;
  while (t < end) {
    if (buf.kind[t] !== IDENT) {
      t++;
      continue;
    }
    const name = t;
    let target = name;
    if (tokenIs(text, buf, t + 1, 'as') && buf.kind[t + 2] === IDENT) {
      target = t + 2;
      t += 3;
    } else {
      bind(scan, name);
      t++;
    }
    const alias = (): string => text.slice(buf.start[target]!, buf.end[target]!);
    if (tokenIs(text, buf, name, 'get_secret')) scan.getSecretNames.add(alias());
    else if (fromOs && tokenIs(text, buf, name, 'environ')) scan.environNames.add(alias());
    else if (fromOs && tokenIs(text, buf, name, 'getenv')) scan.getenvNames.add(alias());
  }
}

export function resolveAliases(scan: PythonRefScan): void {
  let changed = scan.pendingAliases.length > 0;
  while (changed) {
    changed = false;
    for (const [target, source] of scan.pendingAliases) {
      if (!scan.getSecretNames.has(target) && scan.getSecretNames.has(source)) {
        scan.getSecretNames.add(target);
        changed = true;
      }
    }
  }
}
