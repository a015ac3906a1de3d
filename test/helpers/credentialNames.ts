// Credentials written where a name goes: samples of many kinds, made at run
// time from a seed (none is in the repository), the documents that put each one where a secret's
// name, a key or a dict key goes, and the sentinel check that none of it comes back in an output.

import { randomInt } from 'node:crypto';
import { GENERATORS, prng, type Rand } from '../fixtures/hardcoded/generate';

export interface CredentialSample {
  /** The generator (rule and variant) that made it. */
  label: string;
  value: string;
}

/** A seed per run, printed by the tests that use it, so that a failure can be replayed. */
export const CREDENTIAL_SEED = Number(process.env.CREDENTIAL_SEED ?? randomInt(2 ** 31));

function hexName(r: Rand, n: number): string {
  // A letter first: a valid snake_case name, which the vault would answer as an unknown secret.
  let s = 'abcdef'[Math.floor(r() * 6)]!;
  while (s.length < n) s += '0123456789abcdef'[Math.floor(r() * 16)]!;
  return s;
}

/** One credential of each of several kinds: provider formats (checksummed ones too), a JWT, and random text that only its shape gives away. */
export function credentialSamples(seed = CREDENTIAL_SEED): CredentialSample[] {
  const r = prng(seed);
  const gen = (rule: string, variant = ''): CredentialSample => ({ label: variant ? `${rule}/${variant}` : rule, value: GENERATORS[rule]!(r, variant).value });
  return [
    gen('stripe-secret-key'),
    gen('stripe-secret-key', 'test'),
    gen('github-pat'),
    gen('github-oauth-token'),
    gen('aws-access-key-id'),
    gen('jwt'),
    gen('openai-api-key', 'legacy'),
    gen('anthropic-api-key'),
    gen('slack-token'),
    gen('google-api-key'),
    gen('npm-token'),
    gen('huggingface-token'),
    gen('sendgrid-api-key'),
    gen('twilio-api-key'),
    gen('secrets-vault-agent-token'),
    gen('context-secret'),
    { label: 'hex key (a valid snake_case name)', value: hexName(r, 40) },
    { label: 'hex key (64)', value: hexName(r, 64) },
  ];
}

/** A fresh Stripe key for the value side of a dict keyed by a credential. */
export function stripeKey(seed = CREDENTIAL_SEED + 1): string {
  return GENERATORS['stripe-secret-key']!(prng(seed), '').value;
}

/**
 * Where the credential is found in `text`, or null: the whole of it, its lower-cased form, or any
 * 8-character piece of it (compared without case), the way a sentinel is searched for. A piece of
 * digits alone is no evidence: a log's timestamps and counters are runs of digits (a Slack token's
 * `xoxb-1795812…` met a pino line's `"time":1795812…` on the day the clock reached it); such a
 * credential is still found by its other pieces, and one of digits alone only whole.
 */
export function leakOf(text: string, credential: string): string | null {
  const lower = text.toLowerCase();
  const c = credential.toLowerCase();
  const digitsOnly = /^\d+$/;
  if (digitsOnly.test(c)) {
    const at = lower.indexOf(c);
    return at >= 0 ? `the whole credential at offset ${at} of the output: …${text.slice(Math.max(0, at - 40), at)}[…]` : null;
  }
  for (let i = 0; i + 8 <= c.length; i++) {
    const piece = c.slice(i, i + 8);
    if (digitsOnly.test(piece)) continue;
    const at = lower.indexOf(piece);
    if (at >= 0) return `characters ${i}-${i + 7} of the credential at offset ${at} of the output: …${text.slice(Math.max(0, at - 40), at)}[…]`;
  }
  return null;
}

/**
 * A Python function of an agent that puts `c` where a name goes: a secret's name (positional and
 * `name=`), a key of a key/value secret and of a single-value one (`secrets`: of the vault at
 * hand), a dict's key with a credential as its value, and the read's value logged. `value` is the
 * dict's value (another credential).
 */
export function pythonWithCredential(c: string, value: string, secrets: { kv: string; single: string } = { kv: 'google_oauth', single: 'stripe_key' }): string {
  return [
    'import logging',
    '',
    'def handler(conv):',
    `    a = conv.utils.get_secret('${c}')`,
    `    b = conv.utils.get_secret(name='${c}')`,
    `    c = conv.utils.get_secret('${secrets.kv}')['${c}']`,
    `    d = conv.utils.get_secret('${secrets.single}').get('${c}')`,
    '    logging.info("token %s", a)',
    '    return a, b, c, d',
    '',
    `CONFIG = {'${c}': '${value}'}`,
    '',
  ].join('\n');
}

/** The same in an environment-style account, in TypeScript and Python. */
export function envReadsWithCredential(c: string): { python: string; typescript: string } {
  return {
    python: ['import os', '', 'def handler(conv):', `    return os.environ['${c}'], os.environ.get('${c}'), os.getenv('${c}')`, ''].join('\n'),
    typescript: [`export const a = process.env['${c}'];`, `export const b = process.env.${/^[A-Za-z_$][\w$]*$/.test(c) ? c : 'HOME'};`, ''].join('\n'),
  };
}
