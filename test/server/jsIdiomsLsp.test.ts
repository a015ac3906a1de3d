// The JavaScript / TypeScript idioms of issue 51 over stdio, as VS Code meets them: `process.env`
// destructured and held by another name in an environment-style account (diagnostics on each key,
// hover, completion inside `env['`), and reads labelled by `&&` and by `conv.env` used as a value;
// names from rows of rows, an object's own construction and a class's static field; a table of
// tables destructured by conv.env and a TypeScript enum member tested against it.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CompletionRequest,
  DidOpenTextDocumentNotification,
  DocumentDiagnosticRequest,
  HoverRequest,
  type CompletionList,
  type FullDocumentDiagnosticReport,
  type MarkupContent,
} from 'vscode-languageserver-protocol/node';
import { SnapshotNotification, type VaultSnapshot } from '../../protocol/lsp';
import { buildServer, LspSession } from './lspHarness';
import { ENV_SECRETS as COMPUTED_SECRETS } from './computedNamesHelpers';
import { envSnapshot, snapshot } from './vaultFixture';

// X_BEARER_TOKEN is granted to booking-agent, STRIPE_API_KEY to billing-agent only; MISSING_TOKEN does not exist.
const ENV_STYLE = `import { env as penv } from 'node:process';
const { X_BEARER_TOKEN, STRIPE_API_KEY: stripe } = process.env;
const env = process.env;
export const missing = env.MISSING_TOKEN;
export const typed = penv['X_'];
`;

// x_prod_api does not exist (x_prod_apis does); narvar_staging_api is granted to support-agent only.
const LABELLED = `export function lookup(conv: { env: string; utils: { get_secret(n: string): string } }) {
  conv.env === 'live' && conv.utils.get_secret('x_prod_api');
  return conv.utils.get_secret(\`narvar_\${conv.env === 'sandbox' ? 'staging' : conv.env}_api\`);
}
`;

// stripe_key is granted to billing-agent only, zendesk to support-agent only; opentable_tokn and
// twilio_authh do not exist, but twilio_authh is only given to a Session nothing reads.
const ROWS_AND_OBJECTS = `const ROWS = [['mail', ['sendgrid_api_key', 'stripe_key']], ['tables', ['opentable_tokn']]];
class Session {
  constructor(private conv: any, readonly secretName: string) {}
}
class Plain {
  static NAME = 'zendesk';
}
export function f(conv: any) {
  for (const [label, names] of ROWS) for (const nm of names) conv.utils.get_secret(nm);
  const s = new Session(conv, 'opentable_token');
  const unused = new Session(conv, 'twilio_authh');
  return [conv.utils.get_secret(s.secretName), conv.utils.get_secret(Plain.NAME), unused];
}
`;

// narvar_prod_api is granted to booking-agent, narvar_staging_api to support-agent only; x_prod_api
// does not exist (x_prod_apis does). Each is chosen by an environment: a table of tables' key, an enum member.
const TABLES_AND_ENUMS = `const CONFIG = { live: { narvar: 'narvar_prod_api' }, sandbox: { narvar: 'narvar_staging_api' } };
enum Env { Live = 'live', Sandbox = 'sandbox' }
export function lookup(conv: any) {
  const { narvar } = CONFIG[conv.env];
  if (conv.env === Env.Live) conv.utils.get_secret('x_prod_api');
  return conv.utils.get_secret(narvar);
}
`;

let tmp: string;
let bundle: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'sv-lsp-jsidioms-'));
  bundle = path.join(tmp, 'server.js');
  await buildServer(bundle);
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function open(dir: string, name: string, text: string, snap: VaultSnapshot): Promise<{ session: LspSession; uri: string }> {
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, name), text);
  const folder = pathToFileURL(dir).href;
  const uri = `${folder}/${name}`;
  const session = LspSession.start(bundle, {});
  await session.initialize([{ uri: folder, name: 'ws' }], true);
  await session.conn.sendNotification(SnapshotNotification.type, { ...snap, folders: [{ folderUri: folder, agent: 'booking-agent' }] });
  await session.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'typescript', version: 1, text } });
  return { session, uri };
}

/** A range's text in `source` (on one line). */
type Range = { start: { line: number; character: number }; end: { character: number } };
function textAt(source: string, r: Range): string {
  return source.split('\n')[r.start.line]!.slice(r.start.character, r.end.character);
}

describe('JS idioms over stdio', () => {
  it('process.env destructured and aliased: each name checked where it is written, hovered and completed', async () => {
    const { session, uri } = await open(path.join(tmp, 'env'), 'reads.ts', ENV_STYLE, envSnapshot());
    try {
      const report = (await session.conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } })) as FullDocumentDiagnosticReport;
      const at = (r: Range) => textAt(ENV_STYLE, r);
      expect(report.items.map((d) => [d.code, at(d.range)])).toEqual([
        ['not-granted', 'STRIPE_API_KEY'],
        ['unknown-secret', 'MISSING_TOKEN'],
        ['unknown-secret', 'X_'],
      ]);
      const hover = await session.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 1, character: 10 } });
      expect((hover?.contents as MarkupContent).value).toContain('X\\_BEARER\\_TOKEN');
      const list = (await session.conn.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: 4, character: 28 } })) as CompletionList;
      expect(list.items.map((i) => i.label)).toContain('X_BEARER_TOKEN');
      expect(await session.stop()).toBe(0);
    } finally {
      await session.stop().catch(() => undefined);
    }
  });

  it('a read after && and names made of conv.env: each reported in its environment', async () => {
    const snap = snapshot({ secrets: COMPUTED_SECRETS, agents: [{ id: 'booking-agent', name: 'Booking agent' }], defaultAgent: null, environment: 'all' });
    const { session, uri } = await open(path.join(tmp, 'labels'), 'lookup.ts', LABELLED, snap);
    try {
      const report = (await session.conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } })) as FullDocumentDiagnosticReport;
      const messages = report.items.map((d) => (typeof d.message === 'string' ? d.message : d.message.value));
      expect(messages).toContain("In live: secret 'x_prod_api' does not exist in the vault. Did you mean 'x_prod_apis'?");
      expect(messages).toContain("In sandbox: reads 'narvar_staging_api', which is not granted to agent 'booking-agent' (granted to: support-agent).");
      // narvar_live_api and narvar_pre-release_api do not exist: reported in their environments.
      expect(messages.some((m) => m.startsWith('In live:') && m.includes("'narvar_live_api'"))).toBe(true);
      expect(messages.some((m) => m.startsWith('In pre-release:') && m.includes("'narvar_pre-release_api'"))).toBe(true);
      expect(await session.stop()).toBe(0);
    } finally {
      await session.stop().catch(() => undefined);
    }
  });

  it('a table of tables destructured by conv.env and an enum member test: each name reported in its environment only', async () => {
    const snap = snapshot({ secrets: COMPUTED_SECRETS, agents: [{ id: 'booking-agent', name: 'Booking agent' }], defaultAgent: null, environment: 'all' });
    const { session, uri } = await open(path.join(tmp, 'tables'), 'tables.ts', TABLES_AND_ENUMS, snap);
    try {
      const report = (await session.conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } })) as FullDocumentDiagnosticReport;
      const at = (r: Range) => textAt(TABLES_AND_ENUMS, r);
      expect(report.items.map((d) => [at(d.range), typeof d.message === 'string' ? d.message : d.message.value])).toEqual([
        ['x_prod_api', "In live: secret 'x_prod_api' does not exist in the vault. Did you mean 'x_prod_apis'?"],
        ['narvar', "In sandbox: reads 'narvar_staging_api', which is not granted to agent 'booking-agent' (granted to: support-agent)."],
      ]);
      expect(await session.stop()).toBe(0);
    } finally {
      await session.stop().catch(() => undefined);
    }
  });

  it('rows of rows, an object of its own construction and a static field: each name checked where it is written', async () => {
    const { session, uri } = await open(path.join(tmp, 'rows'), 'rows.ts', ROWS_AND_OBJECTS, snapshot());
    try {
      const report = (await session.conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } })) as FullDocumentDiagnosticReport;
      const at = (r: Range) => textAt(ROWS_AND_OBJECTS, r);
      // A computed read's problems point at its argument and name the literal.
      const named = (d: (typeof report.items)[number]) => /'([a-z_]+)'/.exec(typeof d.message === 'string' ? d.message : d.message.value)?.[1];
      expect(report.items.map((d) => [d.code, at(d.range), named(d)])).toEqual([
        ['not-granted', 'nm', 'stripe_key'],
        ['unknown-secret', 'nm', 'opentable_tokn'],
        ['not-granted', 'Plain.NAME', 'zendesk'],
      ]);
      expect(await session.stop()).toBe(0);
    } finally {
      await session.stop().catch(() => undefined);
    }
  });
});
