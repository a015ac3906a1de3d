// `secrets-vault check` on an ADK project whose functions read secret names imported from other
// modules of the project: relatively (`from .config import SECRET_NAME`, `from ..shared.endpoints
// import …`), absolutely from the project root (`from functions.config import …` in a flow's
// function), through a package's `__init__.py` that re-exports a name, and from a module that does
// not exist. The built CLI on a copy of the fixture, exact text and JSON outputs.

import { execFile } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckFinding } from '../../protocol/check';
import { copyProject, expected, ROOT, runCli } from './helpers';

let dir: string;
let project: string;

beforeAll(async () => {
  await promisify(execFile)(process.execPath, ['scripts/build.mjs'], { cwd: ROOT });
  ({ dir, project } = copyProject('imports'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const check = (args: string[], cwd = project) => runCli(['check', '--snapshot', path.join(dir, 'imports-snapshot.json'), ...args], { cwd });

describe('check: secret names imported from other modules of the project', () => {
  it('text: each read checked against the name its module holds', async () => {
    const r = await check([]);
    expect(r.err).toBe('');
    expect(r.out.replaceAll(dir, '<DIR>')).toBe(expected('imports.txt'));
    expect(r.code).toBe(1);
  });

  it('json: the related locations in the module that holds the name', async () => {
    const r = await check(['--format', 'json']);
    expect(r.err).toBe('');
    expect(r.out.replaceAll(dir, '<DIR>')).toBe(expected('imports.json'));
  });

  it('run inside functions/: the project around the working folder still resolves', async () => {
    const r = await check(['--format', 'json'], path.join(project, 'functions'));
    const findings = (JSON.parse(r.out) as { findings: CheckFinding[] }).findings;
    expect(findings.map((f) => `${f.path}:${f.line} ${f.code} -> ${f.related?.map((x) => `${x.path}:${x.line}`).join(' ')}`)).toEqual([
      'print_label.py:8 unknown-secret -> config.py:3',
      'print_label.py:9 unknown-secret -> ../shared/endpoints.py:2',
      'print_label.py:10 not-a-mapping -> names/__init__.py:3',
      'track_order.py:6 not-granted -> config.py:2',
    ]);
  });

  it('each run reads the modules afresh: a granted name in config.py, and the problem goes', async () => {
    const config = path.join(project, 'functions/config.py');
    writeFileSync(config, 'SECRET_NAME = "narvar_prod_api"\nTRACKING = "narvar_tracking"\n');
    const r = await check(['--format', 'json']);
    const findings = (JSON.parse(r.out) as { findings: CheckFinding[] }).findings;
    expect(findings.map((f) => `${f.path}:${f.line} ${f.code}`)).toEqual([
      'flows/returns/functions/start_return.py:8 dynamic-name',
      'functions/print_label.py:9 unknown-secret',
      'functions/print_label.py:10 not-a-mapping',
    ]);
  });

  it('TypeScript: a name imported from a module of the project by its relative path is checked where that module writes it', async () => {
    writeFileSync(path.join(project, 'functions/names.ts'), "// The web hook's secret.\nexport const HOOK_SECRET = 'narvar_webhook';\n");
    writeFileSync(path.join(project, 'functions/hook.ts'), "import { HOOK_SECRET } from './names';\n\nexport function hook(conv: any): string {\n  return conv.utils.get_secret(HOOK_SECRET);\n}\n");
    const r = await check(['--format', 'json']);
    const findings = (JSON.parse(r.out) as { findings: CheckFinding[] }).findings.filter((f) => f.path.endsWith('.ts'));
    expect(findings.map((f) => `${f.path}:${f.line} ${f.code} -> ${f.related?.map((x) => `${x.path}:${x.line}`).join(' ')}`)).toEqual(['functions/hook.ts:4 unknown-secret -> functions/names.ts:2']);
    expect(findings[0]!.message).toContain("'narvar_webhook'");
  });

  it('a module imported whole: Python `from . import …` and `import … as …` read as `module.NAME`, TypeScript `import * as names`', async () => {
    writeFileSync(path.join(project, 'functions/carriers.py'), '# Carrier accounts.\nUPS = "ups_api_key"\n');
    writeFileSync(
      path.join(project, 'functions/whole.py'),
      'from . import carriers\nimport functions.carriers as c\n\n\ndef whole(conv):\n    a = conv.utils.get_secret(carriers.UPS)\n    b = conv.utils.get_secret(c.UPS)\n    return a, b\n',
    );
    writeFileSync(path.join(project, 'functions/webnames.ts'), "export const WEB_KEY = 'narvar_web';\n");
    writeFileSync(path.join(project, 'functions/web.ts'), "import * as names from './webnames';\n\nexport function web(conv: any): string {\n  return conv.utils.get_secret(names.WEB_KEY);\n}\n");
    const r = await check(['--format', 'json']);
    const findings = (JSON.parse(r.out) as { findings: CheckFinding[] }).findings.filter((f) => /whole\.py|web\.ts/.test(f.path));
    expect(findings.map((f) => `${f.path}:${f.line} ${f.code} -> ${f.related?.map((x) => `${x.path}:${x.line}`).join(' ')}`)).toEqual([
      'functions/web.ts:4 unknown-secret -> functions/webnames.ts:1',
      'functions/whole.py:6 unknown-secret -> functions/carriers.py:2',
      'functions/whole.py:7 unknown-secret -> functions/carriers.py:2',
    ]);
    expect(findings.map((f) => f.message)).toEqual([expect.stringContaining("'narvar_web'"), expect.stringContaining("'ups_api_key'"), expect.stringContaining("'ups_api_key'")]);
  });
});
