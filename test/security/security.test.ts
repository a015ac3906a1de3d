// The security and reliability suite. Scenarios run in order in one process so that the
// leak search at the end sees everything the earlier ones made, and the closing table comes last.
// SECURITY_ONLY=authz,hostile runs a subset (the leak search always runs). The crash, concurrency
// and leak scenarios run on both stores (PostgreSQL in the suite's own logging cluster,
// helpers/pgcluster.ts); SECURITY_STORES=sqlite (or postgres) runs them on one.

import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll } from 'vitest';
import { summaryTable } from './helpers/ledger';
import { destroySuiteCluster } from './helpers/pgcluster';
import { TEST_STORES, type TestStoreKind } from '../helpers/vault';
import { finishAll, removeDataDirs } from './helpers/vaults';
import { registerAuthz } from './scenarios/authz';
import { registerHostile } from './scenarios/hostile';
import { registerRegressions } from './scenarios/regressions';
import { registerCrash } from './scenarios/crash';
import { registerConcurrency } from './scenarios/concurrency';
import { registerCrypto } from './scenarios/crypto';
import { registerSoak } from './scenarios/soak';
import { registerLeaks } from './scenarios/leaks';
import { registerTrust } from './scenarios/trust';
import { registerLocal } from './scenarios/local';
import { registerEdge } from './scenarios/edge';
import { registerMinters } from './scenarios/minters';
import { registerRequests } from './scenarios/requests';
import { registerEgress } from './scenarios/egress';
import { registerQuoting } from './scenarios/quoting';
import { registerRemnants } from './scenarios/remnants';
import { registerEditorNames } from './scenarios/editorNames';
import { registerNames } from './scenarios/names';
import { registerClientNames } from './scenarios/clientNames';
import { registerLanguageNames } from './scenarios/languageNames';
import { registerMcp } from './scenarios/mcp';
import { registerNameEcho } from './scenarios/nameEcho';
import { registerCreateSecretLinks } from './scenarios/createSecretLinks';
import { registerInvisible } from './scenarios/invisible';
import { registerAnalysisBounds } from './scenarios/analysisBounds';
import { registerInjection } from './scenarios/injection';
import { registerEditorInstall } from './scenarios/editorInstall';

const only = process.env.SECURITY_ONLY?.split(',').map((s) => s.trim());
const want = (name: string) => !only || only.includes(name);
const stores = (process.env.SECURITY_STORES?.split(',').map((s) => s.trim()) ?? TEST_STORES) as TestStoreKind[];
for (const s of stores) if (!TEST_STORES.includes(s)) throw new Error(`SECURITY_STORES: unknown store '${s}' (${TEST_STORES.join(', ')})`);

if (want('authz')) registerAuthz();
if (want('hostile')) registerHostile();
if (want('crash')) for (const s of stores) registerCrash(s);
if (want('concurrency')) for (const s of stores) registerConcurrency(s);
if (want('crypto')) registerCrypto();
if (want('soak')) registerSoak();
if (want('regressions')) registerRegressions();
if (want('trust')) registerTrust();
if (want('local')) registerLocal();
if (want('edge')) registerEdge();
if (want('minters')) for (const s of stores) registerMinters(s);
if (want('requests')) for (const s of stores) registerRequests(s);
if (want('egress')) registerEgress();
if (want('quoting')) registerQuoting();
if (want('remnants')) registerRemnants(stores);
if (want('editor-names')) registerEditorNames();
if (want('names')) for (const s of stores) registerNames(s);
if (want('client-names')) registerClientNames(stores);
if (want('language-names')) registerLanguageNames();
if (want('mcp')) registerMcp();
if (want('name-echo')) for (const s of stores) registerNameEcho(s);
if (want('create-secret-links')) registerCreateSecretLinks();
if (want('invisible')) for (const s of stores) registerInvisible(s);
if (want('analysis-bounds')) registerAnalysisBounds();
if (want('injection')) registerInjection();
if (want('editor-install')) registerEditorInstall();
// Last: it searches everything the scenarios above produced.
registerLeaks(stores);

afterAll(async () => {
  await finishAll();
  removeDataDirs();
  await destroySuiteCluster();
  const table = `Secrets Vault security suite (${new Date().toISOString()})\n${summaryTable()}\n`;
  // Also kept in a file (test-results/ is ignored by git), to read after vitest's own summary.
  mkdirSync('test-results', { recursive: true });
  writeFileSync('test-results/security-summary.txt', table);
  process.stdout.write(`\n${table}\n`);
});
