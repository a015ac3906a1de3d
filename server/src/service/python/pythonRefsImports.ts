// The names that alias get_secret, os, os.environ and os.getenv, for the Python reference
// finder: imports (`from os import environ as env`, `import os as _os`), and simple assignments
// (`gs = conv.utils.get_secret`, `fetch = gs`), resolved once all imports are known. The platform's
// other read API counts as get_secret: `secret_vault` imported from `utils.secret_vault` (or the
// older builtin module), and that module imported under any name.

import { currentScope, type PythonRefScan } from './pythonRefsState';
import { bind } from './pythonRefsTargets';
import { IDENT, OP_COMMA, OP_DOT, OP_STAR, isOp, tokenIs, type TokenBuffer } from '../scan/tokens';

/** The modules whose `secret_vault(name)` reads a secret as `conv.utils.get_secret(name)` does. */
export const VAULT_MODULES: ReadonlySet<string> = new Set(['utils.secret_vault', 'agent_v3.deployment_service.agents.functions.builtin']);
/** The function those modules export. */
export const VAULT_FUNCTION = 'secret_vault';
/** Each of those modules as its package and its own name, for `from utils import secret_vault`. */
const VAULT_CHILDREN: ReadonlyMap<string, string> = new Map(
  [...VAULT_MODULES].map((m) => [m.slice(0, m.lastIndexOf('.')), m.slice(m.lastIndexOf('.') + 1)]),
);

/** The dotted name written by tokens [a, b] (identifiers and dots), as `utils.secret_vault`. */
function dotted(text: string, buf: TokenBuffer, a: number, b: number): string {
  let out = '';
  for (let t = a; t <= b; t++) out += text.slice(buf.start[t]!, buf.end[t]!);
  return out;
}

export function importStatement(scan: PythonRefScan, s: number, end: number, from: boolean): void {
  const { text, buf } = scan;
  if (!from) {
    // import a.b.c [as d], e: binds `a` (or the alias, bound by the `as` rule).
    let expectName = true;
    for (let t = s + 1; t < end; t++) {
      if (expectName && buf.kind[t] === IDENT) {
        let k = t;
        while (isOp(buf, k + 1, OP_DOT) && buf.kind[k + 2] === IDENT) k += 2;
        const aliased = tokenIs(text, buf, k + 1, 'as') && buf.kind[k + 2] === IDENT;
        if (!tokenIs(text, buf, k + 1, 'as')) bind(scan, t);
        else if (k === t && tokenIs(text, buf, t, 'os') && buf.kind[k + 2] === IDENT) scan.osNames.add(text.slice(buf.start[k + 2]!, buf.end[k + 2]!));
        if (k > t && VAULT_MODULES.has(dotted(text, buf, t, k))) {
          if (aliased) scan.vaultModules.add(text.slice(buf.start[k + 2]!, buf.end[k + 2]!));
          else if (!tokenIs(text, buf, k + 1, 'as')) scan.vaultPaths.push(dotted(text, buf, t, k));
        }
        t = k;
        expectName = false;
      } else if (isOp(buf, t, OP_COMMA)) expectName = true;
    }
    return;
  }
  let imp = s + 1;
  while (imp < end && !tokenIs(text, buf, imp, 'import')) imp++;
  const fromOs = imp === s + 2 && tokenIs(text, buf, s + 1, 'os');
  // `from utils.secret_vault import …` (the function), `from utils import secret_vault` (the module).
  const module = imp > s + 1 ? dotted(text, buf, s + 1, imp - 1) : '';
  const fromVault = VAULT_MODULES.has(module);
  const vaultChild = VAULT_CHILDREN.get(module);
  if (isOp(buf, imp + 1, OP_STAR)) {
    scan.starScopes.add(currentScope(scan));
    if (fromVault) scan.getSecretNames.add(VAULT_FUNCTION);
  }
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
    else if (fromVault && tokenIs(text, buf, name, VAULT_FUNCTION)) scan.getSecretNames.add(alias());
    else if (vaultChild !== undefined && tokenIs(text, buf, name, vaultChild)) scan.vaultModules.add(alias());
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
