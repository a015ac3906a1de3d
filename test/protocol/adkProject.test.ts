// The ADK project contract every part shares: which manifest describes a project, which folders are
// generated, which text is an unresolved merge and which project a file belongs to.

import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  agentOfConfig,
  decidingSource,
  GENERATED_FOLDERS,
  hasMergeMarkers,
  inGeneratedFolder,
  nearestProjectRoot,
  projectFromManifest,
  PROJECT_FILE,
} from '../../protocol/adkProject';

describe('projectFromManifest', () => {
  it('reads a real manifest', () => {
    const parsed: unknown = parse(
      'account_id: acme-corp\nproject_id: PROJECT-WEVYLLDV\nregion: euw-1\nproject_name: "Booking Assistant"\naccount_name: Acme\n',
    );
    expect(projectFromManifest(parsed)).toEqual({
      project: { id: 'PROJECT-WEVYLLDV', name: 'Booking Assistant', accountId: 'acme-corp', region: 'euw-1' },
    });
    expect(PROJECT_FILE).toBe('project.yaml');
  });

  it('leaves out optional fields that are missing, empty or not text', () => {
    expect(projectFromManifest(parse('project_id: booking-agent\nproject_name: ""\nregion: [a, b]\n'))).toEqual({
      project: { id: 'booking-agent', name: null, accountId: null, region: null },
    });
    expect(projectFromManifest({ project_id: 'P1', project_name: { nested: true }, account_id: null, region: true })).toEqual({
      project: { id: 'P1', name: null, accountId: null, region: null },
    });
  });

  it('keeps numbers in optional fields as written', () => {
    expect(projectFromManifest(parse('project_id: PROJECT-A\naccount_id: 12345\nproject_name: 2024\n'))).toEqual({
      project: { id: 'PROJECT-A', name: '2024', accountId: '12345', region: null },
    });
  });

  it('refuses a project_id that is missing, empty, a number, a list or not an agent id', () => {
    const problems = [
      parse('account_id: acme\nregion: euw-1\n'),
      parse('project_id:\n'),
      parse('project_id: ""\n'),
      parse('project_id: 12345\n'),
      parse('project_id: 0x1F\n'),
      parse('project_id: [PROJECT-A]\n'),
      parse('project_id: {a: 1}\n'),
      parse('project_id: true\n'),
      parse('project_id: "PROJECT WITH SPACES"\n'),
      parse('project_id: "-leading-hyphen"\n'),
      { project_id: 'x'.repeat(65) },
      { project_id: 'evil\nline' },
    ];
    for (const parsed of problems) {
      const out = projectFromManifest(parsed);
      expect(out, JSON.stringify(parsed)).toHaveProperty('problem');
      expect('problem' in out && out.problem.length > 0).toBe(true);
    }
    expect(projectFromManifest(parse('project_id: 12345\n'))).toEqual({ problem: "project.yaml's project_id is not text (it is a number)." });
    expect(projectFromManifest({})).toEqual({ problem: 'project.yaml has no project_id.' });
  });

  it('refuses YAML that parsed to a string, an array, a number, or nothing', () => {
    expect(projectFromManifest(parse('just some text'))).toEqual({ problem: 'project.yaml is not a mapping of fields (it holds a string).' });
    expect(projectFromManifest(parse('- project_id: PROJECT-A\n'))).toEqual({ problem: 'project.yaml is not a mapping of fields (it holds a list).' });
    expect(projectFromManifest(parse('42'))).toEqual({ problem: 'project.yaml is not a mapping of fields (it holds a number).' });
    expect(projectFromManifest(parse(''))).toEqual({ problem: 'project.yaml is empty.' });
    expect(projectFromManifest(undefined)).toEqual({ problem: 'project.yaml is empty.' });
  });

  it('does not read an inherited project_id', () => {
    const proto = { project_id: 'PROJECT-INHERITED' };
    expect(projectFromManifest(Object.create(proto))).toEqual({ problem: 'project.yaml has no project_id.' });
  });
});

describe('GENERATED_FOLDERS', () => {
  it('holds the folders pull rewrites', () => {
    expect([...GENERATED_FOLDERS].sort()).toEqual(['_gen', 'real_time_configuration']);
  });

  it('inGeneratedFolder matches whole segments only, with either separator', () => {
    expect(inGeneratedFolder('proj/_gen/__init__.py')).toBe(true);
    expect(inGeneratedFolder('proj/_gen/.agent_studio_config')).toBe(true);
    expect(inGeneratedFolder('C:\\repo\\proj\\real_time_configuration\\live\\data.json')).toBe(true);
    expect(inGeneratedFolder('proj/functions/_gen_helpers.py')).toBe(false);
    expect(inGeneratedFolder('proj/my_gen/x.py')).toBe(false);
    expect(inGeneratedFolder('proj/real_time_configuration.py')).toBe(false);
  });
});

describe('hasMergeMarkers', () => {
  const conflict = ['x = 1', '<<<<<<< HEAD', "key = get_secret('a')", '=======', "key = get_secret('b')", '>>>>>>> origin/main', 'y = 2', ''];

  it('finds a conflict git left, with LF or CRLF line ends', () => {
    expect(hasMergeMarkers(conflict.join('\n'))).toBe(true);
    expect(hasMergeMarkers(conflict.join('\r\n'))).toBe(true);
  });

  it('finds markers without labels and at the very start and end of the text', () => {
    expect(hasMergeMarkers('<<<<<<<\na\n=======\nb\n>>>>>>>')).toBe(true);
    expect(hasMergeMarkers('<<<<<<< ours\n=======\n>>>>>>> theirs')).toBe(true);
  });

  it('finds a diff3 conflict (with the ||||||| base section)', () => {
    expect(hasMergeMarkers('<<<<<<< ours\na\n||||||| base\nc\n=======\nb\n>>>>>>> theirs\n')).toBe(true);
  });

  it('counts markers git put at a line start inside a string literal', () => {
    const text = ['s = """', '<<<<<<< HEAD', 'one', '=======', 'two', '>>>>>>> feature', '"""'].join('\n');
    expect(hasMergeMarkers(text)).toBe(true);
  });

  it('looks at line starts only', () => {
    expect(hasMergeMarkers('x = "<<<<<<< HEAD"\n y = "======="\n z = ">>>>>>> b"\n')).toBe(false);
    expect(hasMergeMarkers('  <<<<<<< HEAD\n=======\n>>>>>>> b\n')).toBe(false);
  });

  it('is not fooled by a lone =======, a setext underline, longer runs, or markers out of order', () => {
    expect(hasMergeMarkers('Title\n=======\n\ntext\n')).toBe(false);
    expect(hasMergeMarkers('Title\n==========\n<<<<<<<< not one\n=======\n>>>>>>>> not one\n')).toBe(false);
    expect(hasMergeMarkers('>>>>>>> b\n=======\n<<<<<<< a\n')).toBe(false);
    expect(hasMergeMarkers('<<<<<<< a\n>>>>>>> b\n=======\n')).toBe(false);
    expect(hasMergeMarkers('<<<<<<< a\n=======\n')).toBe(false);
    expect(hasMergeMarkers('<<<<<<<x\n=======\n>>>>>>> b\n')).toBe(false);
    expect(hasMergeMarkers('')).toBe(false);
  });

  it('stays linear on adversarial text', () => {
    const big = '<<<<<<\n'.repeat(200_000) + '======\n'.repeat(200_000) + '<'.repeat(1_000_000);
    expect(hasMergeMarkers(big)).toBe(false);
    expect(hasMergeMarkers(`${big}\n<<<<<<< a\n=======\n>>>>>>> b`)).toBe(true);
  });
});

describe('nearestProjectRoot', () => {
  it('picks the innermost of nested projects', () => {
    const roots = ['/repo', '/repo/agents/booking/PROJECT-AAAAAAAA', '/repo/agents'];
    expect(nearestProjectRoot('/repo/agents/booking/PROJECT-AAAAAAAA/functions/pay.py', roots)).toBe('/repo/agents/booking/PROJECT-AAAAAAAA');
    expect(nearestProjectRoot('/repo/agents/other/functions/x.py', roots)).toBe('/repo/agents');
    expect(nearestProjectRoot('/repo/top.py', roots)).toBe('/repo');
  });

  it('does not take a look-alike prefix for a parent', () => {
    expect(nearestProjectRoot('/a/proj2/functions/x.py', ['/a/proj'])).toBeNull();
    expect(nearestProjectRoot('/a/proj2/functions/x.py', ['/a/proj', '/a/proj2'])).toBe('/a/proj2');
    expect(nearestProjectRoot('/a/proj/functions/x.py', ['/a/proj2', '/a/proj'])).toBe('/a/proj');
  });

  it('accepts roots with a trailing slash and the root itself', () => {
    expect(nearestProjectRoot('/a/proj/x.py', ['/a/proj/'])).toBe('/a/proj/');
    expect(nearestProjectRoot('/a/proj', ['/a/proj'])).toBe('/a/proj');
    expect(nearestProjectRoot('/x.py', ['/'])).toBe('/');
  });

  it('works on URIs', () => {
    const roots = ['file:///w/repo', 'file:///w/repo/agents/PROJECT-B'];
    expect(nearestProjectRoot('file:///w/repo/agents/PROJECT-B/functions/a.py', roots)).toBe('file:///w/repo/agents/PROJECT-B');
    expect(nearestProjectRoot('file:///w/repo/agents/PROJECT-BB/functions/a.py', roots)).toBe('file:///w/repo');
    expect(nearestProjectRoot('file:///w/other/a.py', roots)).toBeNull();
  });

  it('returns null with no roots', () => {
    expect(nearestProjectRoot('/a/b.py', [])).toBeNull();
  });
});

describe('agentOfConfig', () => {
  it('gives the agent a secrets-vault.json names, as written', () => {
    expect(agentOfConfig({ config: { vault: 'http://127.0.0.1:8787', agent: 'PROJECT-WEVYLLDV' } })).toEqual({ agent: 'PROJECT-WEVYLLDV' });
    // A problem with another field does not spoil a usable agent.
    expect(agentOfConfig({ config: { agent: 'booking-agent' }, problem: 'secrets-vault.json: "vault" must be a string; ignored those.' })).toEqual({ agent: 'booking-agent' });
  });

  it('gives none for a file without one (an empty one included), passing a read problem through', () => {
    expect(agentOfConfig({ config: { vault: 'http://127.0.0.1:8787' } })).toEqual({ agent: null });
    expect(agentOfConfig({ config: { agent: '' } })).toEqual({ agent: null });
    expect(agentOfConfig({ problem: 'secrets-vault.json is not valid JSON; ignored.' })).toEqual({ agent: null, problem: 'secrets-vault.json is not valid JSON; ignored.' });
  });

  it('gives none, with why, for an agent that is not an agent id (never trimmed into one)', () => {
    for (const agent of [' booking-agent ', 'has spaces', '   ']) {
      expect(agentOfConfig({ config: { agent } })).toEqual({ agent: null, problem: expect.stringMatching(/^secrets-vault\.json's "agent" is not an agent id, so it gives no agent\. /) });
    }
  });
});

describe('decidingSource', () => {
  const config = (agent: string | null) => ({ kind: 'config', agent });
  const project = (agent: string | null) => ({ kind: 'project', agent });

  it('takes the nearest secrets-vault.json when it names an agent, else the nearest project.yaml, else nothing', () => {
    expect(decidingSource(config('chosen'), project('PROJECT-A'))).toEqual(config('chosen'));
    expect(decidingSource(config(null), project('PROJECT-A'))).toEqual(project('PROJECT-A'));
    expect(decidingSource(config(''), project('PROJECT-A'))).toEqual(project('PROJECT-A'));
    expect(decidingSource(null, project('PROJECT-A'))).toEqual(project('PROJECT-A'));
    expect(decidingSource(config('chosen'), null)).toEqual(config('chosen'));
    expect(decidingSource(config(null), null)).toBeNull();
    expect(decidingSource(null, null)).toBeNull();
  });

  it('keeps a project.yaml that cannot be used (its files get no agent)', () => {
    expect(decidingSource(null, project(null))).toEqual(project(null));
  });
});
