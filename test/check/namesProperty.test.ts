// `secrets-vault check` (the built CLI) over names as real accounts have them, generated:
// `::`, `%`, `,`, quotes, backslashes, emoji, right-to-left text, 128 characters. Every format stays
// well-formed: text lines never start a workflow command, JSON parses and carries each name exactly,
// SARIF validates against the 2.1.0 schema, and each GitHub line is one workflow command whose data
// decodes to the JSON message. Names off the convention are naming-convention (note), never errors.

import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CheckFinding } from '../../protocol/check';
import { singleQuoted } from '../../protocol/nameLiterals';
import { followsConvention, isAnyName, nameLooseFold } from '../../protocol/names';
import { credentialIn } from '../../server/src/service/credentials';
import { ROOT, runCli } from './helpers';
import { sarifValidator } from './sarif';

const SEED = Number(process.env.FC_SEED ?? 3304);
/** Each run starts the CLI four times: a few runs cover the pieces, the fixed names the known traps. */
const RUNS = 6;

const PIECES = ['Prod', 'API', 'key', ' ', '_', '-', "'", '"', '\\', '::', '%', '%0A', ',', '=', '#', '?', '/', '..', '+', '🔑', 'e\u0301', 'שלום', '予約'];
const FIXED = ['::error title=pwned::gotcha', '100% real, key', 'Prod API Credentials', `${'x'.repeat(120)} 🔑 long`];

const nameArb = fc
  .array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 7 })
  .map((parts) => parts.join('').trim())
  .filter((name) => isAnyName(name) && credentialIn(name) === null);

const AGENT = 'PROJECT-DEMO0001';
/** Control characters and the separators and bidirectional controls that could reorder a line. */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** GitHub's workflow-command data escapes, undone. */
const unescapeData = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');

beforeAll(async () => {
  await promisify(execFile)(process.execPath, ['scripts/build.mjs'], { cwd: ROOT });
}, 120_000);

describe('check over generated names', () => {
  it('text, JSON, SARIF and GitHub outputs stay well-formed and carry each name exactly', async () => {
    const validate = sarifValidator();
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(nameArb, { minLength: 1, maxLength: 5, selector: nameLooseFold }), async (generated) => {
        // One name per fold, as the vault holds them (a second would be refused with 409).
        const names = [...FIXED, ...generated].filter((n, i, all) => all.findIndex((m) => nameLooseFold(m) === nameLooseFold(n)) === i);
        const dir = mkdtempSync(path.join(tmpdir(), 'sv-check-names-'));
        try {
          // Half granted, half not; and a read of one unknown name a case/spacing variant away.
          const secrets = names.map((name, i) => ({ name, description: '', kind: 'single', keys: [], agents: i % 2 === 0 ? [AGENT] : [] }));
          writeFileSync(
            path.join(dir, 'snapshot.json'),
            JSON.stringify({ version: 1, generatedAt: '2026-11-22T08:00:00.000Z', vault: 'http://127.0.0.1:8787', namingStyle: 'snake_case', agent: AGENT, secrets, agents: [{ id: AGENT, name: 'Field Service Template' }] }),
          );
          const lines = ['def f(conv):', ...names.map((n) => `    conv.utils.get_secret(${singleQuoted(n)})`), "    conv.utils.get_secret('prod_api_credentials')", ''];
          writeFileSync(path.join(dir, 'main.py'), lines.join('\n'));
          const run = (format: string) => runCli(['check', '--snapshot', 'snapshot.json', '--format', format, 'main.py'], { cwd: dir });

          const json = await run('json');
          expect(json.err).toBe('');
          const findings = (JSON.parse(json.out) as { findings: CheckFinding[] }).findings;
          // Each name read once: naming-convention (info) when off the convention, not-granted when not granted; nothing else.
          const expected: [string, number][] = [];
          names.forEach((n, i) => {
            if (!followsConvention(n, 'snake_case')) expected.push(['naming-convention', i + 2]);
            if (i % 2 === 1) expected.push(['not-granted', i + 2]);
          });
          expected.push(['unknown-secret', names.length + 2]);
          expect(findings.map((f) => [f.code, f.line])).toEqual(expected);
          for (const f of findings) {
            if (f.code === 'naming-convention') {
              expect(f.severity).toBe('info');
              expect(f.message).toContain(`'${names[f.line - 2]}'`);
            }
          }
          expect(findings.at(-1)!.message).toBe("Secret 'prod_api_credentials' does not exist in the vault. Did you mean 'Prod API Credentials'?");

          const text = await run('text');
          expect(text.out).not.toMatch(RAW_CONTROL);
          expect(text.out.split('\n').filter((l) => /^\s*(::|##\[)/.test(l))).toEqual([]);
          // One line per finding, the file header, a blank line and the summary.
          expect(text.out.split('\n').filter((l) => l.startsWith('  main.py:'))).toHaveLength(findings.length);

          const sarif = await run('sarif');
          expect(validate(JSON.parse(sarif.out))).toEqual([]);
          const results = (JSON.parse(sarif.out) as { runs: { results: { ruleId: string; message: { text: string } }[] }[] }).runs[0]!.results;
          expect(results.map((r) => [r.ruleId, r.message.text])).toEqual(findings.map((f) => [f.code, f.message]));

          const github = await run('github');
          expect(github.out).not.toMatch(RAW_CONTROL);
          const commands = github.out.split('\n').filter((l) => l !== '' && !/^\d+ problems?/.test(l));
          expect(commands).toHaveLength(findings.length);
          commands.forEach((line, i) => {
            // One command: `::level props::data`, with no `::` in the properties, the data GitHub's escapes of the message.
            const m = /^::(error|warning|notice) ([^:]*(?::[^:][^:]*)*)::(.*)$/.exec(line);
            expect(m, line).not.toBeNull();
            expect(m![2]).not.toContain('::');
            expect(m![2]).toContain('title=secrets-vault ');
            expect(unescapeData(m![3]!)).toBe(findings[i]!.message);
          });
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
  }, 120_000);
});
