// The workspace index in an ADK project: generated folders are never read, a file with unresolved
// merge markers is left out until it is resolved (and leaves the index when a conflict appears).

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { FileFilter } from '../../server/src/fileFilter';
import { WorkspaceIndex } from '../../server/src/workspaceIndex';

const REF = "x = conv.utils.get_secret('stripe_key')\n";
const CONFLICT = `<<<<<<< HEAD\n${REF}=======\n${REF}>>>>>>> theirs\n`;

describe('file filter: ADK-generated folders', () => {
  const filter = new FileFilter({});

  it('never includes _gen/ or real_time_configuration/ at any depth, whatever the settings', () => {
    for (const f of ['_gen/__init__.py', 'proj/_gen/x.py', 'a/b/real_time_configuration/live/x.py', 'real_time_configuration/x.ts']) expect(filter.includesFile(f), f).toBe(false);
    expect(filter.includesDirectory('_gen', 'proj/_gen')).toBe(false);
    expect(filter.includesDirectory('real_time_configuration', 'real_time_configuration')).toBe(false);
  });

  it('includes look-alike names', () => {
    for (const f of ['functions/_gen_helpers.py', 'my_gen/x.py', 'real_time_configuration.py', '_generated/x.py']) expect(filter.includesFile(f), f).toBe(true);
  });
});

describe('workspace index: ADK projects', () => {
  let dir: string;
  let folderUri: string;
  const errors: string[] = [];

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sv-adk-index-'));
    folderUri = pathToFileURL(dir).href;
    const files: Record<string, string> = {
      'project.yaml': 'project_id: PROJECT-INDEXTST\n',
      'functions/pay.py': REF,
      'functions/conflicted.py': CONFLICT,
      'functions/crlf.py': CONFLICT.replaceAll('\n', '\r\n'),
      '_gen/__init__.py': REF,
      '_gen/.agent_studio_config': Buffer.from(REF).toString('base64'),
      'real_time_configuration/live/x.py': REF,
    };
    for (const [rel, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
      await writeFile(path.join(dir, rel), text);
    }
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const uris = (index: WorkspaceIndex) => [...index.values()].map((f) => f.uri.slice(folderUri.length + 1)).sort();

  it('reads neither generated folders nor conflicted files; a conflicted file joins once resolved and leaves when a conflict comes back', async () => {
    const index = new WorkspaceIndex({ maxFileSize: 1024 * 1024, onError: (m) => errors.push(m) });
    index.setFolder(folderUri, {});
    const progress: number[] = [];
    await index.indexFolder(folderUri, (done) => progress.push(done));
    expect(uris(index)).toEqual(['functions/pay.py']);
    // The generated files were never candidates: only the three functions were read.
    expect(progress.at(-1)).toBe(3);
    expect(index.includes(`${folderUri}/_gen/__init__.py`)).toBe(false);

    await writeFile(path.join(dir, 'functions/conflicted.py'), REF);
    await index.update(`${folderUri}/functions/conflicted.py`);
    expect(uris(index)).toEqual(['functions/conflicted.py', 'functions/pay.py']);
    await writeFile(path.join(dir, 'functions/pay.py'), CONFLICT);
    await index.update(`${folderUri}/functions/pay.py`);
    expect(uris(index)).toEqual(['functions/conflicted.py']);
    expect(errors).toEqual([]);
  });
});
