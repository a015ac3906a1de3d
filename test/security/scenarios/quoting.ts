// Credentials quoted as names: a credential written where a name goes
// (`get_secret('<key>')`, `name=`, a key of a secret, an environment variable, a dict's key) used
// to come back quoted in diagnostics, quick-fix titles, Move to vault's suggested name, hovers,
// every output of `secrets-vault check`, and the LSP trace. Credentials of many kinds are made per
// run (test/helpers/credentialNames.ts) and searched for in each output as sentinels are: whole,
// lower-cased, and any 8-character piece.

import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CodeActionRequest, DidOpenTextDocumentNotification, HoverRequest, type Diagnostic } from 'vscode-languageserver-protocol/node';
import '../../../server/src/nodeHmac';
import { redactTrace } from '../../../client/src/core/traceText';
import { SnapshotNotification } from '../../../protocol/lsp';
import { codeActions } from '../../../server/src/service/features/codeActions';
import { computeDiagnostics } from '../../../server/src/service/features/diagnostics';
import { hover } from '../../../server/src/service/features/hover';
import { VaultModel } from '../../../server/src/service/model/model';
import { CREDENTIAL_SEED, credentialSamples, envReadsWithCredential, leakOf, pythonWithCredential, stripeKey } from '../../helpers/credentialNames';
import { buildServer, LspSession } from '../../server/lspHarness';
import { doc, envSnapshot, model, snapshot } from '../../server/vaultFixture';
import { tally } from '../helpers/ledger';
import { runCli } from '../helpers/vaults';

const S = 'credentials quoted as names';
const ROOT = path.resolve(__dirname, '../../..');
const CODES = ['unknown-secret', 'invalid-name', 'not-granted', 'unknown-key', 'not-a-mapping', 'hardcoded-secret'];

/** A check that throws before it tallies still shows in the closing table, as one failed case. */
function guarded(check: () => Promise<void>): () => Promise<void> {
  return async () => {
    try {
      await check();
    } catch (e) {
      tally(S, 1, 1);
      throw e;
    }
  };
}

/** Everything the language service says about `text`: diagnostics, fixes under every code a client may claim, hovers on every literal. */
function serviceOutputs(text: string, m: VaultModel, languageId = 'python'): { diagnostics: Diagnostic[]; json: string } {
  const d = doc(text, undefined, languageId);
  const diagnostics = computeDiagnostics(d.doc, d.result, m);
  const forged = diagnostics.flatMap((x) => CODES.map((code) => ({ ...x, code })));
  const actions = codeActions(d.doc, d.result, m, [...diagnostics, ...forged]);
  const hovers: unknown[] = [];
  for (let at = 0; at < text.length; at++) if (text[at] === "'") hovers.push(hover(d.doc, d.result, m, at + 1));
  return { diagnostics, json: JSON.stringify({ diagnostics, actions, hovers }) };
}

export function registerQuoting(): void {
  describe(`${S} (CREDENTIAL_SEED=${CREDENTIAL_SEED})`, () => {
    const samples = credentialSamples();
    const value = stripeKey();
    let work: string;
    beforeAll(() => {
      work = mkdtempSync(path.join(tmpdir(), 'sv-sec-quoting-'));
    });
    afterAll(() => {
      rmSync(work, { recursive: true, force: true });
    });

    it('the language service: no diagnostic, fix, title, suggested name or hover carries one, in either naming style or role', guarded(async () => {
      const models: [string, VaultModel, 'snake' | 'env'][] = [
        ['snake_case admin', model(), 'snake'],
        ['snake_case developer', model({ role: 'developer' }), 'snake'],
        ['no metadata yet', VaultModel.empty, 'snake'],
        ['UPPER_CASE admin', VaultModel.fromSnapshot(envSnapshot()), 'env'],
      ];
      let cases = 0;
      const failures: string[] = [];
      for (const s of samples) {
        for (const [label, m, style] of models) {
          const texts: [string, string][] = style === 'snake' ? [[pythonWithCredential(s.value, value), 'python']] : Object.entries(envReadsWithCredential(s.value)).map(([lang, t]) => [t, lang]);
          for (const [text, languageId] of texts) {
            cases++;
            const out = serviceOutputs(text, m, languageId);
            const leak = leakOf(out.json, s.value);
            const quotedAsName = out.diagnostics.some((x) => x.code === 'unknown-secret' || x.code === 'invalid-name');
            const reported = out.diagnostics.some((x) => x.code === 'hardcoded-secret');
            if (leak !== null || quotedAsName || !reported) failures.push(`${s.label}, ${label}, ${languageId}: ${leak ?? (quotedAsName ? 'an unknown or invalid name' : 'not reported')}`);
          }
        }
      }
      tally(S, cases, failures.length, 'credentials written as names: LSP diagnostics, code actions, hovers, check in 4 formats, the trace');
      expect(failures).toEqual([]);
    }));

    it('the language server over stdio: publishDiagnostics, code actions and hovers', guarded(async () => {
      const bundle = path.join(work, 'server.js');
      await buildServer(bundle);
      const dir = path.join(work, 'ws');
      mkdirSync(dir);
      const folder = pathToFileURL(dir).href;
      const session = LspSession.start(bundle, {});
      const failures: string[] = [];
      try {
        await session.initialize([{ uri: folder, name: 'ws' }], false);
        await session.conn.sendNotification(SnapshotNotification.type, snapshot({ folders: [{ folderUri: folder, agent: 'booking-agent' }] }));
        for (const [i, s] of samples.entries()) {
          const uri = `${folder}/f${i}.py`;
          const text = pythonWithCredential(s.value, value);
          await session.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'python', version: 1, text } });
          const published = await session.waitFor('diagnostics', (e) => e.params.uri === uri && e.params.diagnostics.some((x) => x.code === 'hardcoded-secret' && x.range.start.line === 3));
          const diagnostics = published.params.diagnostics;
          const forged = diagnostics.flatMap((x) => CODES.map((code) => ({ ...x, code })));
          const actions = await session.conn.sendRequest(CodeActionRequest.type, {
            textDocument: { uri },
            range: { start: { line: 0, character: 0 }, end: { line: 12, character: 0 } },
            context: { diagnostics: [...diagnostics, ...forged] },
          });
          const hovers = await session.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 3, character: 34 } });
          const leak = leakOf(JSON.stringify([published.params, actions, hovers]), s.value);
          if (leak !== null) failures.push(`${s.label}: ${leak}`);
        }
        for (const s of samples) if (leakOf(JSON.stringify(session.events), s.value) !== null) failures.push(`${s.label}: in another message`);
        await session.stop();
      } finally {
        session.kill();
      }
      tally(S, samples.length + 1, failures.length);
      expect(failures).toEqual([]);
    }));

    it('secrets-vault check: text, JSON, SARIF and GitHub outputs', guarded(async () => {
      await promisify(execFile)(process.execPath, ['scripts/build.mjs'], { cwd: ROOT });
      const project = path.join(work, 'project');
      mkdirSync(project);
      writeFileSync(path.join(work, 'snapshot.json'), JSON.stringify({ version: 1, generatedAt: new Date().toISOString(), vault: 'http://127.0.0.1:8787', ...snapshotFile() }));
      for (const [i, s] of samples.entries()) writeFileSync(path.join(project, `f${i}.py`), pythonWithCredential(s.value, value));
      let cases = 0;
      const failures: string[] = [];
      for (const format of ['text', 'json', 'sarif', 'github']) {
        const r = await runCli(['check', '--snapshot', path.join(work, 'snapshot.json'), '--agent', 'booking-agent', '--format', format, project]);
        if (r.code !== 1 || r.stderr !== '') failures.push(`${format}: exit ${r.code}, ${r.stderr.slice(0, 300)}`);
        for (const s of samples) {
          cases++;
          const leak = leakOf(r.stdout + r.stderr, s.value);
          if (leak !== null) failures.push(`${s.label} in ${format}: ${leak}`);
        }
      }
      tally(S, cases, failures.length);
      expect(failures).toEqual([]);
    }));

    it('the LSP trace: messages and titles that quote one, as an older server sent them, are not written', guarded(async () => {
      let cases = 0;
      const failures: string[] = [];
      for (const s of samples) {
        const diagnostic = { range: {}, code: 'invalid-name', source: 'secrets-vault', message: `Invalid secret name '${s.value}': …`, relatedInformation: [{ message: `read secret '${s.value}'` }] };
        const action = { title: `Create secret '${s.value.toLowerCase()}'…`, command: { title: `Move to vault as '${s.value.toLowerCase()}'…`, arguments: [{ suggestedName: s.value.toLowerCase() }] } };
        const lines = [
          `Received notification 'textDocument/publishDiagnostics'.\nParams: ${JSON.stringify({ uri: 'file:///w/f.py', diagnostics: [diagnostic] }, null, 4)}`,
          `Received response 'textDocument/diagnostic - (3)' in 1ms.\nResult: ${JSON.stringify({ kind: 'full', items: [diagnostic] })}`,
          `Sending request 'textDocument/codeAction - (4)'.\nParams: ${JSON.stringify({ context: { diagnostics: [diagnostic] } }, null, 4)}`,
          `Received response 'textDocument/codeAction - (4)' in 1ms.\nResult: ${JSON.stringify([action], null, 4)}`,
        ];
        for (const line of lines) {
          cases++;
          const leak = leakOf(redactTrace(line), s.value);
          if (leak !== null) failures.push(`${s.label}: ${leak}`);
        }
      }
      tally(S, cases, failures.length);
      expect(failures).toEqual([]);
    }));
  });
}

/** The fixture vault as a `secrets-vault snapshot` file's body. */
function snapshotFile() {
  const s = snapshot();
  return { namingStyle: s.namingStyle, agent: 'booking-agent', secrets: s.secrets, agents: s.agents };
}
