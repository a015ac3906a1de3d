// Module resolution for names imported from another module of an ADK project, on real files in a
// temporary workspace: relative levels, absolute from the project root then the workspace folder,
// `__init__.py`, generated folders and everything outside the project or the workspace never read;
// names cached per file until the file changes, open documents winning over the disk, one level of
// re-export, cycles, and which documents a module's change reaches.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ModuleImports, type ModuleImportsOptions } from '../../server/src/moduleImports';
import { pythonModuleNames } from '../../server/src/service/python/nameSets';
import { jsModuleNames } from '../../server/src/service/javascript/jsNameSets';
import { scanOrThrow } from '../../server/src/service/analyze';
import type { ModuleNames } from '../../server/src/service/scan/types';

const FILES: Record<string, string> = {
  'ws/proj/project.yaml': 'project_id: PROJECT-ABCDEFGH\n',
  'ws/proj/functions/config.py': "SECRET_NAME = 'alpha_api'\n",
  'ws/proj/functions/reader.py': 'from .config import SECRET_NAME\n',
  'ws/proj/functions/settings.py': "from .config import SECRET_NAME\nOWN = 'settings_own'\n",
  'ws/proj/functions/naming.py': 'def stripe_name(conv):\n    return "stripe_live" if conv.env == "live" else "stripe_test"\n\ndef name_for(conv, service):\n    return f"{service}_prod" if conv.env == "live" else f"{service}_uat"\n',
  'ws/proj/functions/facade.py': 'from .naming import stripe_name, name_for as secret_name_for\n',
  'ws/proj/functions/pkg/__init__.py': "PKG = 'pkg_name'\n",
  'ws/proj/functions/pkg/inner.py': '',
  'ws/proj/functions/cyc_a.py': "from .cyc_b import B\nA = 'cycle_a'\n",
  'ws/proj/functions/cyc_b.py': "from .cyc_a import A\nB = 'cycle_b'\n",
  'ws/proj/shared/names.py': "SHARED = 'shared_name'\n",
  'ws/proj/flows/checkout/functions/confirm.py': '',
  'ws/proj/_gen/__init__.py': "GEN = 'generated_name'\n",
  'ws/proj/_gen/stubs.py': "GEN = 'generated_name'\n",
  'ws/proj/functions/_gen.py': "GEN = 'generated_name'\n",
  'ws/common.py': "COMMON = 'common_name'\n",
  'ws/loose/a.py': '',
  'ws/loose/b.py': "LOOSE = 'loose_name'\n",
  // Outside the workspace folder: never read.
  'outside.py': "OUT = 'outside_name'\n",
  'ws_project_outside/project.yaml': 'project_id: PROJECT-OUTSIDEA\n',
  'ws_project_outside/functions/x.py': '',
  'ws_project_outside/functions/y.py': "Y = 'outside_project_name'\n",
};

let tmp: string;
let ws: string;
const url = (rel: string) => pathToFileURL(path.join(tmp, rel)).href;

beforeAll(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'sv-imports-'));
  for (const [rel, text] of Object.entries(FILES)) {
    mkdirSync(path.dirname(path.join(tmp, rel)), { recursive: true });
    writeFileSync(path.join(tmp, rel), text);
  }
  ws = url('ws');
});

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A function's text that imports from these modules and reads a secret. */
const importing = (...modules: string[]) => `${modules.map((m) => `from ${m} import NAME`).join('\n')}\n\ndef f(conv):\n    return conv.utils.get_secret(NAME)\n`;

function imports(options: Partial<ModuleImportsOptions> = {}): ModuleImports {
  return new ModuleImports({ folders: () => [ws], maxFileSize: 1024 * 1024, moduleNames: pythonModuleNames, ...options });
}

/** name → [candidate name, file (relative to the temporary folder), literal as written] */
function described(names: ModuleNames | undefined): Record<string, string[][]> | undefined {
  if (!names) return undefined;
  const out: Record<string, string[][]> = {};
  for (const [name, candidates] of names) {
    out[name] = candidates.map((c) => [c.name, c.uri === undefined ? '?' : c.uri.slice(url('').length + 1), textAt(c.uri, c.literal)]);
  }
  return out;
}

function textAt(uri: string | undefined, span: { start: number; end: number }): string {
  const rel = uri?.slice(url('').length + 1);
  const text = rel === undefined ? undefined : FILES[decodeURIComponent(rel)];
  return text === undefined ? '?' : text.slice(span.start, span.end);
}

describe('module resolution in an ADK project', () => {
  const m = imports();
  const from = (rel: string, module: string) => m.resolve(url(rel), module)?.slice(url('').length + 1);

  it('relative: one dot is the importing file’s folder, each further dot one folder up', () => {
    expect(from('ws/proj/functions/reader.py', '.config')).toBe('ws/proj/functions/config.py');
    expect(from('ws/proj/functions/reader.py', '..shared.names')).toBe('ws/proj/shared/names.py');
    expect(from('ws/proj/flows/checkout/functions/confirm.py', '....shared.names')).toBe('ws/proj/shared/names.py');
    expect(from('ws/proj/flows/checkout/functions/confirm.py', '....functions.config')).toBe('ws/proj/functions/config.py');
  });

  it('never above the project root, nor above the workspace folder without a project', () => {
    expect(from('ws/proj/functions/reader.py', '...common')).toBeUndefined();
    expect(from('ws/proj/flows/checkout/functions/confirm.py', '.....common')).toBeUndefined();
    expect(from('ws/loose/a.py', '.b')).toBe('ws/loose/b.py');
    expect(from('ws/loose/a.py', '..common')).toBe('ws/common.py');
    expect(from('ws/loose/a.py', '...outside')).toBeUndefined();
  });

  it('absolute: under the project root, then under the workspace folder', () => {
    expect(from('ws/proj/flows/checkout/functions/confirm.py', 'functions.config')).toBe('ws/proj/functions/config.py');
    expect(from('ws/proj/functions/reader.py', 'shared.names')).toBe('ws/proj/shared/names.py');
    expect(from('ws/proj/functions/reader.py', 'common')).toBe('ws/common.py');
    expect(from('ws/loose/a.py', 'loose.b')).toBe('ws/loose/b.py');
    // Not from the importing file's folder: Python 3 has no implicit relative import.
    expect(from('ws/proj/functions/reader.py', 'config')).toBeUndefined();
  });

  it('a package is its __init__.py', () => {
    expect(from('ws/proj/functions/reader.py', 'functions.pkg')).toBe('ws/proj/functions/pkg/__init__.py');
    expect(from('ws/proj/functions/reader.py', '.pkg')).toBe('ws/proj/functions/pkg/__init__.py');
    expect(from('ws/proj/functions/pkg/inner.py', '.')).toBe('ws/proj/functions/pkg/__init__.py');
  });

  it('never a generated folder, nothing missing, nothing malformed, nothing outside the workspace', () => {
    expect(from('ws/proj/functions/reader.py', '_gen')).toBeUndefined();
    expect(from('ws/proj/functions/reader.py', '_gen.stubs')).toBeUndefined();
    expect(from('ws/proj/functions/reader.py', '.._gen.stubs')).toBeUndefined();
    // A module file named like the folder is not in a generated folder.
    expect(from('ws/proj/functions/reader.py', '._gen')).toBe('ws/proj/functions/_gen.py');
    expect(from('ws/proj/functions/reader.py', '.nowhere')).toBeUndefined();
    expect(from('ws/proj/functions/reader.py', 'functions.config.')).toBeUndefined();
    expect(from('ws/proj/functions/reader.py', 'functions/config')).toBeUndefined();
    expect(from('ws/proj/functions/reader.py', '')).toBeUndefined();
    expect(from('ws/proj/functions/reader.py', 'outside')).toBeUndefined();
  });

  it('a file outside every workspace folder resolves within its own project only', () => {
    expect(from('ws_project_outside/functions/x.py', '.y')).toBe('ws_project_outside/functions/y.py');
    expect(from('ws_project_outside/functions/x.py', 'functions.y')).toBe('ws_project_outside/functions/y.py');
    expect(from('ws_project_outside/functions/x.py', '..ws.common')).toBeUndefined();
    expect(from('outside.py', '.ws.common')).toBeUndefined();
  });

  it('a workspace folder inside a project keeps to itself, unless the project around it may be used (check)', () => {
    const functions = url('ws/proj/functions');
    const editor = imports({ folders: () => [functions] });
    const check = imports({ folders: () => [functions], projectsAboveFolders: true });
    const reader = url('ws/proj/functions/reader.py');
    expect(editor.resolve(reader, '.config')).toBe(url('ws/proj/functions/config.py'));
    expect(editor.resolve(reader, '..shared.names')).toBeUndefined();
    expect(editor.resolve(reader, 'shared.names')).toBeUndefined();
    expect(check.resolve(reader, '..shared.names')).toBe(url('ws/proj/shared/names.py'));
    expect(check.resolve(reader, 'shared.names')).toBe(url('ws/proj/shared/names.py'));
    expect(check.resolve(reader, 'common')).toBeUndefined();
  });
});

describe('the function the platform calls in an ADK resource file', () => {
  const reads = 'def confirm(conv, flow, name):\n    return conv.utils.get_secret(name)\n';
  it('is said for functions/<name>.py and a flow’s functions/<name>.py, even when nothing is imported', () => {
    const m = imports();
    expect(m.lookupFor(url('ws/proj/flows/checkout/functions/confirm.py'), reads)?.platformFunction).toBe('confirm');
    expect(m.lookupFor(url('ws/proj/functions/reader.py'), importing('.config'))?.platformFunction).toBe('reader');
    expect(m.lookupFor(url('ws/proj/functions/reader.py'), importing('.config'))?.('.config')?.get('SECRET_NAME')?.map((c) => c.name)).toEqual(['alpha_api']);
  });

  it('is not said for a helper deeper down, a file outside a project, or a text that reads no secret', () => {
    const m = imports();
    expect(m.lookupFor(url('ws/proj/functions/pkg/inner.py'), importing('..config'))?.platformFunction).toBeUndefined();
    expect(m.lookupFor(url('ws/loose/a.py'), reads)).toBeUndefined();
    expect(m.lookupFor(url('ws/proj/functions/config.py'), "SECRET_NAME = 'alpha_api'\n")).toBeUndefined();
  });
});

describe('where a file is (kept per folder)', () => {
  const reads = 'def hook(conv, name):\n    return conv.utils.get_secret(name)\n';
  it('changes with a project.yaml created (once told) and with the workspace folders', () => {
    const dir = mkdtempSync(path.join(tmp, 'where-'));
    const rel = path.relative(tmp, dir);
    mkdirSync(path.join(dir, 'functions'));
    let folders = [url(rel)];
    const m = new ModuleImports({ folders: () => folders, maxFileSize: 1 << 20, moduleNames: pythonModuleNames });
    const hook = url(`${rel}/functions/hook.py`);
    const sibling = url(`${rel}/functions/sibling.py`);
    // No project: no resource file, so nothing to look up.
    expect(m.lookupFor(hook, reads)).toBeUndefined();
    writeFileSync(path.join(dir, 'project.yaml'), 'project_id: PROJECT-WHEREABC\n');
    expect(m.lookupFor(sibling, reads)).toBeUndefined();
    m.changed([url(`${rel}/project.yaml`)]);
    expect(m.lookupFor(hook, reads)?.platformFunction).toBe('hook');
    expect(m.lookupFor(sibling, reads)?.platformFunction).toBe('sibling');
    // The folder alone as the workspace: the project around it is not the editor's to use.
    folders = [url(`${rel}/functions`)];
    expect(m.lookupFor(hook, reads)).toBeUndefined();
    folders = [url(rel)];
    expect(m.lookupFor(hook, reads)?.platformFunction).toBe('hook');
  });
});

describe('the names a document imports', () => {
  it('are the module’s names, each candidate pointing into the module’s file', () => {
    const m = imports();
    expect(m.document(url('ws/proj/functions/config.py'))).toBeUndefined();
    const lookup = m.lookupFor(url('ws/proj/functions/reader.py'), importing('.config', 'functions.pkg', '.nowhere', '_gen'))!;
    expect(described(lookup('.config'))).toEqual({ SECRET_NAME: [['alpha_api', 'ws/proj/functions/config.py', "'alpha_api'"]] });
    // The text the names were read from, for their literals' ranges.
    expect(m.document(url('ws/proj/functions/config.py'))?.getText()).toBe(FILES['ws/proj/functions/config.py']);
    expect(described(lookup('functions.pkg'))).toEqual({ PKG: [['pkg_name', 'ws/proj/functions/pkg/__init__.py', "'pkg_name'"]] });
    expect(lookup('.nowhere')).toBeUndefined();
    expect(lookup('_gen')).toBeUndefined();
  });

  it('are looked up only for a text that reads a secret, or imports from a module of its own (it may call a reader there)', () => {
    const m = imports();
    const reader = url('ws/proj/functions/reader.py');
    expect(m.lookupFor(reader, 'from _gen import *  # <AUTO GENERATED>\nimport json\nprint(json.dumps({}))\n')).toBeUndefined();
    expect(m.lookupFor(reader, 'from .config import SECRET_NAME\nprint(SECRET_NAME)\n')).toBeDefined();
    // A helper module (a resource file gets a lookup that says its platform function: above).
    expect(m.lookupFor(url('ws/proj/functions/pkg/inner.py'), 'def f(conv):\n    return conv.utils.get_secret(NAME)\n')).toBeUndefined();
    // Imports at any depth, a parenthesized list, and `from . import`.
    const text = 'def f(conv):\n    from functions.pkg import (\n        PKG,\n    )\n    from . import config\n    return conv.utils.get_secret(PKG)\n';
    const lookup = m.lookupFor(reader, text)!;
    expect(described(lookup('functions.pkg'))).toEqual({ PKG: [['pkg_name', 'ws/proj/functions/pkg/__init__.py', "'pkg_name'"]] });
    expect(lookup('.')).toBeUndefined();
    expect(m.importersOf(url('ws/proj/functions/pkg/__init__.py'))).toEqual(new Set([reader]));
    expect(m.importersOf(url('ws/proj/functions/__init__.py'))).toEqual(new Set([reader]));
  });

  it('a module imported whole and read as `module.NAME`: from a package, by a dotted path with an alias, or from a level up', () => {
    const m = imports();
    const reader = url('ws/proj/functions/reader.py');
    const text = [
      'from . import config',
      'import functions.pkg as pkg',
      'from ..shared import names as shared_names',
      'from . import settings',
      'from . import cyc_a',
      'import requests',
      '',
      'def f(conv):',
      '    requests.get(settings, cyc_a.run())',
      '    a = conv.utils.get_secret(config.SECRET_NAME)',
      '    b = conv.utils.get_secret(pkg.PKG)',
      '    c = conv.utils.get_secret(shared_names.SHARED)',
      '    d = conv.utils.get_secret(config.MISSING)',
      '',
    ].join('\n');
    const lookup = m.lookupFor(reader, text)!;
    expect(described(lookup('.config'))).toEqual({ SECRET_NAME: [['alpha_api', 'ws/proj/functions/config.py', "'alpha_api'"]] });
    expect(described(lookup('functions.pkg'))).toEqual({ PKG: [['pkg_name', 'ws/proj/functions/pkg/__init__.py', "'pkg_name'"]] });
    expect(described(lookup('..shared.names'))).toEqual({ SHARED: [['shared_name', 'ws/proj/shared/names.py', "'shared_name'"]] });
    // Imported whole but never read through a dot: not looked up; called through one (`cyc_a.run()`, a function may return names): looked up.
    expect(lookup('.settings')).toBeUndefined();
    expect([...lookup('.cyc_a')!.keys()]).toEqual(['A', 'B']);
    const reads = scanOrThrow(text, 'python', lookup).references.map((ref) => ref.candidates?.map((c) => c.name) ?? ref.unresolved?.text);
    expect(reads).toEqual([['alpha_api'], ['pkg_name'], ['shared_name'], 'config.MISSING']);
    // Without the lookup (a module of no project): dynamic-name, as before.
    expect(scanOrThrow(text, 'python').references.map((ref) => ref.unresolved?.text)).toEqual(['config.SECRET_NAME', 'pkg.PKG', 'shared_names.SHARED', 'config.MISSING']);
  });

  it('a star import: a name bound nowhere in the file is looked for in the modules imported with *', () => {
    const text = 'from .config import *\nfrom .settings import OWN\n\ndef f(conv):\n    a = conv.utils.get_secret(SECRET_NAME)\n    b = conv.utils.get_secret(MISSING)\n    return a, b\n';
    const lookup = imports().lookupFor(url('ws/proj/functions/reader.py'), text)!;
    const reads = scanOrThrow(text, 'python', lookup).references.map((ref) => ref.candidates?.map((c) => c.name) ?? ref.unresolved?.text);
    expect(reads).toEqual([['alpha_api'], 'MISSING']);
  });

  it('one level of re-export: a name the module imports points into the module that writes it', () => {
    const lookup = imports().lookupFor(url('ws/proj/functions/reader.py'), importing('.settings'))!;
    expect(described(lookup('.settings'))).toEqual({
      SECRET_NAME: [['alpha_api', 'ws/proj/functions/config.py', "'alpha_api'"]],
      OWN: [['settings_own', 'ws/proj/functions/settings.py', "'settings_own'"]],
    });
  });

  it('one level of re-export carries a helper’s returns and template, under the name it is imported as', () => {
    const text = 'from .facade import stripe_name, secret_name_for\n\ndef f(conv):\n    a = conv.utils.get_secret(stripe_name(conv))\n    b = conv.utils.get_secret(secret_name_for(conv, "crm"))\n    return a, b\n';
    const lookup = imports().lookupFor(url('ws/proj/functions/reader.py'), text)!;
    expect([...lookup('.facade')!.keys()]).toEqual(['stripe_name()', 'secret_name_for(conv, service)']);
    const reads = scanOrThrow(text, 'python', lookup).references.map((ref) => ref.candidates?.map((c) => `${c.name}@${c.environments?.join('|')}`) ?? ref.unresolved?.text);
    expect(reads).toEqual([
      ['stripe_live@live', 'stripe_test@sandbox|pre-release'],
      ['crm_prod@live', 'crm_uat@sandbox|pre-release'],
    ]);
  });

  it('an import cycle ends', () => {
    const lookup = imports().lookupFor(url('ws/proj/functions/reader.py'), importing('.cyc_a'))!;
    expect(described(lookup('.cyc_a'))).toEqual({
      B: [['cycle_b', 'ws/proj/functions/cyc_b.py', "'cycle_b'"]],
      A: [['cycle_a', 'ws/proj/functions/cyc_a.py', "'cycle_a'"]],
    });
  });

  it('a file over the size limit is not read', () => {
    const lookup = imports({ maxFileSize: 20 }).lookupFor(url('ws/proj/functions/reader.py'), importing('.config', 'functions.pkg'))!;
    expect(lookup('.config')).toBeUndefined();
    expect(described(lookup('functions.pkg'))).toEqual({ PKG: [['pkg_name', 'ws/proj/functions/pkg/__init__.py', "'pkg_name'"]] });
  });

  it('an open document’s text wins over the disk, by version', () => {
    const configUri = url('ws/proj/functions/config.py');
    let open: { text: string; version: number } | undefined = { text: "SECRET_NAME = 'beta_api'\n", version: 1 };
    const m = imports({ openDocument: (uri) => (uri === configUri ? open : undefined) });
    const names = () => m.lookupFor(url('ws/proj/functions/reader.py'), importing('.config'))!('.config')?.get('SECRET_NAME')?.map((c) => c.name);
    expect(names()).toEqual(['beta_api']);
    open = { text: "SECRET_NAME = 'gamma_api'\n", version: 2 };
    expect(names()).toEqual(['gamma_api']);
    open = undefined;
    expect(names()).toEqual(['alpha_api']);
  });

  it('are cached until the module’s file changes; the change reaches its importers, through a re-export too', () => {
    const dir = mkdtempSync(path.join(tmp, 'live-'));
    const rel = path.relative(tmp, dir);
    mkdirSync(path.join(dir, 'functions'));
    writeFileSync(path.join(dir, 'project.yaml'), 'project_id: PROJECT-LIVEABCD\n');
    writeFileSync(path.join(dir, 'functions/config.py'), "NAME = 'first_name'\n");
    writeFileSync(path.join(dir, 'functions/again.py'), 'from .config import NAME\n');
    const m = new ModuleImports({ folders: () => [url(rel)], maxFileSize: 1 << 20, moduleNames: pythonModuleNames });
    const reader = url(`${rel}/functions/reader.py`);
    const other = url(`${rel}/functions/other.py`);
    const config = url(`${rel}/functions/config.py`);
    const names = (importer: string, module: string) => m.lookupFor(importer, importing(module))!(module)?.get('NAME')?.map((c) => c.name);
    expect(names(reader, '.config')).toEqual(['first_name']);
    expect(names(other, '.again')).toEqual(['first_name']);
    expect(m.changed([url(`${rel}/functions/unrelated.py`)])).toEqual(new Set());
    writeFileSync(path.join(dir, 'functions/config.py'), "NAME = 'second_name'\n");
    // Not told yet: the cached names stand.
    expect(names(reader, '.config')).toEqual(['first_name']);
    expect(m.changed([config])).toEqual(new Set([reader, other]));
    expect(names(reader, '.config')).toEqual(['second_name']);
    expect(names(other, '.again')).toEqual(['second_name']);
    // A module created where an importer looked for it: the importer is reached too.
    expect(names(reader, '.later')).toBeUndefined();
    writeFileSync(path.join(dir, 'functions/later.py'), "NAME = 'later_name'\n");
    expect(m.changed([url(`${rel}/functions/later.py`)])).toEqual(new Set([reader]));
    expect(names(reader, '.later')).toEqual(['later_name']);
    // A deleted folder reaches whatever looked inside it.
    expect(m.changed([url(`${rel}/functions`)])).toEqual(new Set([reader, other]));
  });
});

describe('the names a JavaScript / TypeScript document imports', () => {
  const script = (rel: string, text: string) => {
    mkdirSync(path.dirname(path.join(tmp, rel)), { recursive: true });
    writeFileSync(path.join(tmp, rel), text);
    FILES[rel] = text;
  };
  const reading = (module: string) => `import { NAME } from '${module}';\n\nexport function f(conv) {\n  return conv.utils.get_secret(NAME);\n}\n`;

  it('are the exported constants of the module a relative path names, with or without its extension, or its index', () => {
    script('ws/web/names.ts', "export const NAME = 'web_name';\nconst HIDDEN = 'hidden_name';\n");
    script('ws/web/lib/index.js', "export const NAME = 'lib_name', OTHER = 'other_name';\n");
    script('ws/web/hooks/hook.ts', '');
    script('ws/web/_gen/names.ts', "export const NAME = 'generated_name';\n");
    const m = imports({ jsModuleNames });
    const hook = url('ws/web/hooks/hook.ts');
    for (const module of ['../names', '../names.js', '../names.ts']) {
      expect(described(m.lookupFor(hook, reading(module))!(module))).toEqual({ NAME: [['web_name', 'ws/web/names.ts', "'web_name'"]] });
    }
    expect(described(m.lookupFor(hook, reading('../lib'))!('../lib'))).toEqual({
      NAME: [['lib_name', 'ws/web/lib/index.js', "'lib_name'"]],
      OTHER: [['other_name', 'ws/web/lib/index.js', "'other_name'"]],
    });
    // Nothing generated, nothing above the workspace folder, no package, nothing missing.
    expect(m.lookupFor(hook, reading('../_gen/names'))).toBeUndefined();
    expect(m.lookupFor(hook, reading('../../../outside'))).toBeUndefined();
    expect(m.lookupFor(hook, reading('lodash'))).toBeUndefined();
    expect(m.lookupFor(hook, reading('./nowhere'))).toBeUndefined();
    // A type-only import carries no value: not looked up.
    expect(m.lookupFor(hook, reading('../names').replace('import {', 'import type {'))).toBeUndefined();
    // A text that reads no secret and imports nothing by a relative path looks nothing up; one that imports may call a reader there.
    expect(m.lookupFor(hook, "import { NAME } from 'some-package';\nconsole.log(NAME);\n")).toBeUndefined();
    expect(m.lookupFor(hook, "import { NAME } from '../names';\nconsole.log(NAME);\n")).toBeDefined();
    // Without the resolver of JavaScript modules, none are followed.
    expect(imports().lookupFor(hook, reading('../names'))).toBeUndefined();
  });

  it('a barrel’s re-exports, one level: export * from, export { … as … } from; not a type-only one; a change reaches the importers through it', () => {
    script('ws/web3/secrets/crm.ts', "export const CRM_KEY = 'crm_web';\nexport const SHARED = 'crm_shared';\n");
    script('ws/web3/secrets/pay.ts', "export const PAY = 'pay_web';\nexport const HIDDEN = 'pay_hidden';\n");
    script('ws/web3/secrets/types.ts', "export const TYPED = 'typed_only';\n");
    script(
      'ws/web3/secrets/index.ts',
      "export * from './crm';\nexport { PAY as PAY_KEY } from './pay';\nexport type { TYPED } from './types';\nexport const SHARED = 'barrel_own';\n",
    );
    const m = imports({ jsModuleNames });
    const hook = url('ws/web3/hook.ts');
    const lookup = () => described(m.lookupFor(hook, reading('./secrets'))!('./secrets'));
    expect(lookup()).toEqual({
      // The barrel's own constant wins over the one its star re-export brings.
      SHARED: [['barrel_own', 'ws/web3/secrets/index.ts', "'barrel_own'"]],
      CRM_KEY: [['crm_web', 'ws/web3/secrets/crm.ts', "'crm_web'"]],
      PAY_KEY: [['pay_web', 'ws/web3/secrets/pay.ts', "'pay_web'"]],
    });
    script('ws/web3/secrets/crm.ts', "export const CRM_KEY = 'crm_web_v2';\n");
    expect(m.changed([url('ws/web3/secrets/crm.ts')])).toEqual(new Set([hook]));
    expect(lookup()?.CRM_KEY).toEqual([['crm_web_v2', 'ws/web3/secrets/crm.ts', "'crm_web_v2'"]]);
  });

  it('change with the module’s file, and the change reaches its importers', () => {
    script('ws/web2/names.ts', "export const NAME = 'first_web';\n");
    const m = imports({ jsModuleNames });
    const hook = url('ws/web2/hook.ts');
    const names = () => m.lookupFor(hook, reading('./names'))?.('./names')?.get('NAME')?.map((c) => c.name);
    expect(names()).toEqual(['first_web']);
    script('ws/web2/names.ts', "export const NAME = 'second_web';\n");
    expect(names()).toEqual(['first_web']);
    expect(m.changed([url('ws/web2/names.ts')])).toEqual(new Set([hook]));
    expect(names()).toEqual(['second_web']);
  });
});
