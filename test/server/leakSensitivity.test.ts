// secret-in-log on real ADK code: one finding per leak and sink (a name that holds one secret or
// another is one leak), keys of a key/value secret told apart and reported only when sensitive (an
// admin's mark, else the default the key's name implies), the Problems panel's short path and the
// hover's whole one. The engine's keys (leaks/) and the language service's rules (features/exposures.ts).

import { describe, expect, it } from 'vitest';
import type { Diagnostic } from 'vscode-languageserver-types';
import type { SecretInfo } from '../../protocol/lsp';
import type { KeySensitivity } from '../../protocol/keySensitivity';
import { computeDiagnostics } from '../../server/src/service/features/diagnostics';
import { MAX_LISTED_STEPS, listedSteps } from '../../server/src/service/features/exposures';
import { hover } from '../../server/src/service/features/hover';
import { VaultModel } from '../../server/src/service/model/model';
import { doc, snapshot, textOf } from './vaultFixture';

const AGENT = 'booking-agent';
const FILE = 'file:///work/booking/functions/get_order.py';

function kv(name: string, keys: string[], marks?: Record<string, KeySensitivity>): SecretInfo {
  return { name, description: '', kind: 'kv', keys, agents: [AGENT], ...(marks ? { keySensitivity: marks } : {}) };
}

const OMS = ['BASE_URL', 'API_KEY'];

function modelOf(secrets: SecretInfo[]): VaultModel {
  return VaultModel.fromSnapshot(snapshot({ secrets }));
}

const DEFAULT = modelOf([
  kv('oms_prod_api', OMS),
  kv('oms_api', OMS),
  kv('oms_mock_api', OMS),
  kv('mailer', ['EMAIL_ADDRESS', 'REGION']),
  { name: 'stripe_key', description: '', kind: 'single', keys: [], agents: [AGENT] },
]);

function leaks(lines: string[], m: VaultModel = DEFAULT): { text: string; found: Diagnostic[] } {
  const text = ['from _gen import *  # <AUTO GENERATED>', 'from utils.secret_vault import secret_vault', 'def f(conv: Conversation):', ...lines.map((l) => `    ${l}`), ''].join('\n');
  const d = doc(text, FILE);
  return { text, found: computeDiagnostics(d.doc, d.result, m).filter((x) => x.code === 'secret-in-log') };
}

/** `line: message head`, the message up to ' reach'. */
function brief(_text: string, found: Diagnostic[]): string[] {
  return found.map((x) => {
    const message = typeof x.message === 'string' ? x.message : x.message.value;
    return `${x.range.start.line + 1}: ${message.slice(0, message.indexOf(' reach'))}`;
  });
}

describe('one finding per leak and sink', () => {
  it('a name that holds one secret or another (the real OMS client) is one finding naming both, with one message', () => {
    const { text, found } = leaks([
      'name = "oms_mock_api" if conv.state.use_mock else "oms_api"',
      'vault = secret_vault(name)',
      'if conv.env == "live":',
      '    vault = secret_vault("oms_prod_api")',
      'api_key = vault.get("API_KEY")',
      'headers = {"X-API-KEY": api_key}',
      'conv.log.error("failed", headers=headers)',
    ]);
    expect(brief(text, found)).toEqual(["10: The value of key 'API_KEY' of secret 'oms_mock_api', 'oms_api' or 'oms_prod_api'"]);
    // The read, the steps, the sink; then the other read.
    expect(found[0]!.relatedInformation!.map((r) => r.message)).toEqual([
      'read a secret whose name is computed',
      "read key 'API_KEY'",
      'put in a dict',
      'assigned to headers',
      'passed to conv.log.error (2 steps before not listed: the hover shows the whole path)',
      "or read secret 'oms_prod_api'",
    ]);
  });

  it('two secrets in two arguments of one call are one finding', () => {
    const { text, found } = leaks(['a = conv.utils.get_secret("stripe_key")', 'b = conv.utils.get_secret("oms_api")', 'print(a, b)']);
    expect(brief(text, found)).toEqual(["6: The value of secret 'stripe_key' or 'oms_api'"]);
  });
});

describe('which keys count', () => {
  it("a key whose name says address or identifier is not reported, a credential's key is; the whole value is", () => {
    const { text, found } = leaks([
      'creds = conv.utils.get_secret("oms_prod_api")',
      'base = creds["BASE_URL"]',
      'plog.info(f"calling {base}")',
      'headers = {"Authorization": f"Bearer {creds[\'API_KEY\']}"}',
      'print(headers)',
      'logger.info(creds)',
      'conv.log.info("url", url=creds.get("BASE_URL"))',
    ]);
    expect(brief(text, found)).toEqual(["8: The value of key 'API_KEY' of secret 'oms_prod_api'", "9: The value of secret 'oms_prod_api'"]);
  });

  it('both keys into one sink: reported for the sensitive one, and named so', () => {
    const { text, found } = leaks(['c = conv.utils.get_secret("oms_prod_api")', 'print(c["BASE_URL"], c["API_KEY"])']);
    expect(brief(text, found)).toEqual(["5: The value of key 'API_KEY' of secret 'oms_prod_api'"]);
    expect(textOf(doc(text, FILE).doc, found[0]!.range)).toBe('c["API_KEY"]');
  });

  it("an admin's mark overrules the default either way", () => {
    const marked = modelOf([kv('oms_prod_api', OMS, { BASE_URL: 'sensitive', API_KEY: 'not-sensitive' })]);
    const { text, found } = leaks(['c = conv.utils.get_secret("oms_prod_api")', 'print(c["BASE_URL"])', 'print(c["API_KEY"])'], marked);
    expect(brief(text, found)).toEqual(["5: The value of key 'BASE_URL' of secret 'oms_prod_api'"]);
  });

  it('a whole key/value value, or a key it does not have or that is computed, counts when any key is sensitive', () => {
    const lines = ['c = conv.utils.get_secret("mailer")', 'print(c)', 'print(c["OTHER"])', 'print(c[k])', 'print(c["REGION"])'];
    expect(leaks(lines).found).toEqual([]);
    const marked = modelOf([kv('mailer', ['EMAIL_ADDRESS', 'REGION'], { REGION: 'sensitive' })]);
    const { text, found } = leaks(lines, marked);
    expect(brief(text, found)).toEqual([
      "5: The value of secret 'mailer'",
      "6: The value of key 'OTHER' of secret 'mailer'",
      "7: The value of secret 'mailer'",
      "8: The value of key 'REGION' of secret 'mailer'",
    ]);
  });

  it('a single value always counts; a secret the vault does not have, or no metadata at all, as before', () => {
    expect(leaks(['k = conv.utils.get_secret("stripe_key")', 'print(k)']).found).toHaveLength(1);
    expect(leaks(['c = conv.utils.get_secret("not_in_vault")', 'print(c["BASE_URL"])']).found).toHaveLength(1);
    expect(leaks(['c = conv.utils.get_secret("oms_prod_api")', 'print(c["BASE_URL"])'], VaultModel.empty).found).toHaveLength(1);
  });

  it('a key read from a copy that is no longer the value itself keeps the whole value', () => {
    // The f-string is text: a subscript of it is no key of the secret.
    const { found } = leaks(['c = conv.utils.get_secret("oms_prod_api")', 's = f"{c}"', 'print(s["BASE_URL"])']);
    expect(found).toHaveLength(1);
  });

  it('JavaScript: a property and a destructured key are keys', () => {
    const text = [
      'function f(vault) {',
      '  const c = vault.get_secret("oms_prod_api");',
      '  console.log(c.BASE_URL);',
      '  const { API_KEY, BASE_URL } = c;',
      '  console.log(BASE_URL);',
      '  console.log(API_KEY);',
      '}',
      '',
    ].join('\n');
    const d = doc(text, 'file:///work/booking/f.js', 'javascript');
    const found = computeDiagnostics(d.doc, d.result, DEFAULT).filter((x) => x.code === 'secret-in-log');
    expect(brief(text, found)).toEqual(["6: The value of key 'API_KEY' of secret 'oms_prod_api'"]);
  });
});

describe('the path: short in the Problems panel, whole in the hover', () => {
  it(`lists the read, at most ${MAX_LISTED_STEPS} steps (the key, then how the value changed) and the sink`, () => {
    const step = (message: string) => ({ span: { start: 0, end: 1 }, message });
    const steps = ['read secret x', 'assigned to c', "read key 'API_KEY'", 'assigned to k', 'formatted into an f-string', 'assigned to m', 'passed to print'].map(step);
    expect(listedSteps(steps).map((s) => s.message)).toEqual([
      'read secret x',
      "read key 'API_KEY'",
      'formatted into an f-string',
      'assigned to m',
      'passed to print (2 steps before not listed: the hover shows the whole path)',
    ]);
    const short = steps.slice(0, 4);
    expect(listedSteps(short)).toEqual(short);
  });

  it('the hover on the finding lists every step with a link to its line; on a key read it says whether the key is sensitive', () => {
    const { text } = leaks([
      'creds = conv.utils.get_secret("oms_prod_api")',
      'key = creds["API_KEY"]',
      'token = key',
      'header = f"Bearer {token}"',
      'headers = {"Authorization": header}',
      'print(headers)',
    ]);
    const d = doc(text, FILE);
    const at = text.indexOf('print(headers)') + 7;
    const h = hover(d.doc, d.result, DEFAULT, at);
    const value = (h?.contents as { value: string }).value;
    expect(value.split('\n')).toEqual([
      "**The value of key 'API\\_KEY' of secret 'oms\\_prod\\_api'** reaches `print`: the whole path.",
      '',
      `1. [get\\_order\\.py:4](${FILE}#L4) read secret 'oms\\_prod\\_api'`,
      `2. [get\\_order\\.py:4](${FILE}#L4) assigned to creds`,
      `3. [get\\_order\\.py:5](${FILE}#L5) read key 'API\\_KEY'`,
      `4. [get\\_order\\.py:5](${FILE}#L5) assigned to key`,
      `5. [get\\_order\\.py:6](${FILE}#L6) assigned to token`,
      `6. [get\\_order\\.py:7](${FILE}#L7) formatted into an f\\-string`,
      `7. [get\\_order\\.py:7](${FILE}#L7) assigned to header`,
      `8. [get\\_order\\.py:8](${FILE}#L8) put in a dict`,
      `9. [get\\_order\\.py:8](${FILE}#L8) assigned to headers`,
      `10. [get\\_order\\.py:9](${FILE}#L9) passed to print`,
    ]);
    const diag = leaks(['creds = conv.utils.get_secret("oms_prod_api")', 'key = creds["API_KEY"]', 'token = key', 'header = f"Bearer {token}"', 'headers = {"Authorization": header}', 'print(headers)']).found;
    expect(diag[0]!.relatedInformation).toHaveLength(MAX_LISTED_STEPS + 2);
    // A key's hover, and the secret's: which keys are not sensitive.
    const key = hover(d.doc, d.result, DEFAULT, text.indexOf('API_KEY') + 2);
    expect((key?.contents as { value: string }).value).toMatch(/^Key `API_KEY` of \*\*oms\\_prod\\_api\*\*: sensitive \(by its name\)/);
    const secret = (hover(d.doc, d.result, DEFAULT, text.indexOf('oms_prod_api') + 2)?.contents as { value: string }).value;
    expect(secret).toContain('Not sensitive (configuration; a log of it is not reported): `BASE_URL` (by its name)');
    const marked = modelOf([kv('oms_prod_api', OMS, { BASE_URL: 'sensitive', API_KEY: 'not-sensitive' })]);
    expect((hover(d.doc, d.result, marked, text.indexOf('oms_prod_api') + 2)?.contents as { value: string }).value).toContain(
      'Not sensitive (configuration; a log of it is not reported): `API_KEY` (marked)',
    );
  });
});
