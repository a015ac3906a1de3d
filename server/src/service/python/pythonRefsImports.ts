// The names that alias get_secret, os, os.environ and os.getenv, for the Python reference
// finder: imports (`from os import environ as env`, `import os as _os`), and simple assignments
// (`gs = conv.utils.get_secret`, `fetch = gs`), resolved once all imports are known. The platform's
// other read API counts as get_secret: `secret_vault` imported from `utils.secret_vault` (or the
// older builtin module), and that module imported under any name.

import { currentScope, ENV_GETTER, ENV_MAPPING, ENV_NONE, type PythonRefScan, scratch } from './pythonRefsState';
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
    else if (!fromOs && module !== '' && currentScope(scan) === 0) scan.starModules.push(module);
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
    else if (!fromOs && !fromVault && vaultChild === undefined && module !== '') scan.fromImports.set(alias(), [module, text.slice(buf.start[name]!, buf.end[name]!)]);
  }
}

export function resolveAliases(scan: PythonRefScan): void {
  environAliases(scan);
  let changed = scan.pendingAliases.length > 0;
  while (changed) {
    changed = false;
    for (const [target, source] of scan.pendingAliases) {
      for (const names of [scan.getSecretNames, scan.environNames, scan.getenvNames]) {
        if (!names.has(target) && names.has(source)) {
          names.add(target);
          changed = true;
        }
      }
    }
  }
}

/**
 * `env = os.environ` (then `env["X"]`, `env.get("X")`) and `getenv = os.environ.get`: the target
 * aliases the environment, unless the file also binds that name to anything else (`env = {…}` in
 * another function would make its `env.get("x")` no read of a variable).
 */
function environAliases(scan: PythonRefScan): void {
  const pairs = scan.environTargets;
  if (pairs.length === 0) return;
  const { text, buf } = scan;
  const aliasTokens = new Set<number>();
  for (let k = 0; k < pairs.length; k += 2) aliasTokens.add(pairs[k]!);
  const names = new Map<string, number>();
  for (let k = 0; k < pairs.length; k += 2) {
    const name = text.slice(buf.start[pairs[k]!]!, buf.end[pairs[k]!]!);
    const seen = names.get(name);
    names.set(name, seen === undefined || seen === pairs[k + 1] ? pairs[k + 1]! : ENV_NONE);
  }
  const rebound = (t: number): void => {
    if (aliasTokens.has(t)) return;
    const name = text.slice(buf.start[t]!, buf.end[t]!);
    if (names.has(name)) names.set(name, ENV_NONE);
  };
  for (let k = 0; k < scan.bindingCount; k++) rebound(scratch.bindings[k]!);
  // Lambda parameters and comprehension targets.
  for (let k = 0; k < scan.shadowCount; k++) rebound(scratch.shadows[3 * k]!);
  for (const [name, aliased] of names) {
    if (aliased === ENV_MAPPING) scan.environNames.add(name);
    else if (aliased === ENV_GETTER) scan.getenvNames.add(name);
  }
}
