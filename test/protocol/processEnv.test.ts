// The injection rule (protocol/processEnv.ts): by allowlist. Every name the third review found
// injected (issue 50, point 2) is skipped, and none of them can be opted into.

import { describe, expect, it } from 'vitest';
import { CONTROL_NAMES, REVIEW_NAMES } from '../helpers/processEnvNames';
import { CREDENTIAL_ENDINGS, injectableValues, injectionNotice, injectionVerdict, isCredentialVariable, isProcessControlName, skippedNamesWarnings } from '../../protocol/processEnv';

describe('which names a run injects', () => {
  it('skips every name the review found, and none of them can be opted into', () => {
    for (const name of [...REVIEW_NAMES, ...CONTROL_NAMES]) {
      expect(isProcessControlName(name), name).toBe(true);
      expect(injectionVerdict(name), name).toBe('never');
      expect(injectionVerdict(name, [name]), name).toBe('never');
      // Case does not help (Windows' environment ignores it).
      expect(injectionVerdict(name.toLowerCase(), [name.toLowerCase()]), name).toBe('never');
    }
    const values = Object.fromEntries([...REVIEW_NAMES, ...CONTROL_NAMES].map((n) => [n, `value-of-${n}`]));
    const { inject, skipped } = injectableValues(values, Object.keys(values));
    expect(inject).toEqual({});
    expect(skipped.never).toEqual(Object.keys(values).sort());
  });

  it('injects credential-shaped names by default, and another name only when the run opts into it', () => {
    for (const name of ['STRIPE_API_KEY', 'X_BEARER_TOKEN', 'GITHUB_TOKEN', 'DB_PASSWORD', 'WEBHOOK_SECRET', 'GCP_CREDENTIALS', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'TOKEN', 'API_KEY', 'SIGNING_PASSPHRASE', 'OPENAI_APIKEY']) {
      expect(isCredentialVariable(name), name).toBe(true);
      expect(injectionVerdict(name), name).toBe('inject');
    }
    for (const name of ['DATABASE_URL', 'REGION', 'ENVIRONMENT', 'PROXY_HOST', 'STRIPE_ACCOUNT', 'KEYS', 'TOKENIZER', 'MONKEY']) {
      expect(injectionVerdict(name), name).toBe('opt-in');
      expect(injectionVerdict(name, [name]), name).toBe('inject');
    }
    // An opt-in names a variable exactly.
    expect(injectionVerdict('REGION', ['region'])).toBe('opt-in');
    const { inject, skipped } = injectableValues({ STRIPE_API_KEY: 'a', DATABASE_URL: 'b', REGION: 'c', PS0: 'd' }, ['DATABASE_URL', 'PS0']);
    expect(inject).toEqual({ STRIPE_API_KEY: 'a', DATABASE_URL: 'b' });
    expect(skipped).toEqual({ never: ['PS0'], notOptedIn: ['REGION'] });
  });

  it('a process-control name that ends like a credential is still never injected', () => {
    for (const name of ['NODE_AUTH_TOKEN', 'SECRETS_VAULT_TOKEN', 'GIT_TOKEN', 'CARGO_REGISTRY_TOKEN', 'PYTHON_KEY', 'LD_PRELOAD_KEY']) {
      expect(isCredentialVariable(name), name).toBe(false);
      expect(injectionVerdict(name, [name]), name).toBe('never');
    }
  });

  it('warns with the names and how to opt in, never a value', () => {
    const values = { PS0: 'sentinel-ps0-value', LD_PRELOAD: 'sentinel-preload-value', REGION: 'sentinel-region-value', STRIPE_API_KEY: 'k' };
    const warnings = skippedNamesWarnings(injectableValues(values).skipped);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/^Not injected: LD_PRELOAD, PS0\. .*never set.*even when opted into/);
    expect(warnings[1]).toMatch(/^Not injected: REGION\. .*"inject" in secrets-vault\.json.*--inject NAME/);
    for (const w of warnings) expect(w).not.toMatch(/sentinel/);
    expect(skippedNamesWarnings({ never: [], notOptedIn: [] })).toEqual([]);
  });

  it('the create form and secrets create: refuse a process-control name, warn for one not injected by default, say nothing for a credential', () => {
    for (const name of REVIEW_NAMES) expect(injectionNotice(name)?.refused, name).toBe(true);
    expect(injectionNotice('DATABASE_URL')).toEqual({ refused: false, message: expect.stringContaining('DATABASE_URL would be skipped unless a run opts into it') });
    expect(injectionNotice('STRIPE_API_KEY')).toBeUndefined();
    // The documented list of endings is the one the rule applies.
    for (const ending of CREDENTIAL_ENDINGS) expect(injectionVerdict(`SERVICE_${ending}`), ending).toBe('inject');
  });

  it('the lists are documented: docs/security.md names every credential ending and every name the review found', async () => {
    const { readFileSync } = await import('node:fs');
    const doc = readFileSync(new URL('../../docs/security.md', import.meta.url), 'utf8');
    for (const ending of CREDENTIAL_ENDINGS) expect(doc, ending).toContain(`\`*_${ending}\``);
    for (const name of ['PS0', 'MAILPATH', 'LESSOPEN', 'RUSTC_WRAPPER']) expect(doc, name).toContain(name);
  });
});
