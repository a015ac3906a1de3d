// The name a hard-coded credential gets when Move to vault makes a secret of it: from the name it is
// assigned to or passed as, else from its kind, in the account's naming style and free in the vault.
// A context that is itself a credential is judged by the detector and never becomes a name.

import { namePattern, type NamingStyle } from '../../../../protocol/names';
import { credentialIn } from '../../../../protocol/credentials/credentialIn';
import type { HardcodedFinding } from './detect';

/** Names that say only "a credential": the provider from the kind goes in front (`api_key` → `stripe_api_key`). */
const GENERIC_NAMES = new Set(['key', 'api_key', 'apikey', 'token', 'secret', 'password', 'passwd', 'pwd', 'auth', 'authorization', 'credential', 'credentials', 'value', 'access_token', 'secret_key', 'private_key', 'bearer']);
/** The first word of these kinds is not a provider. */
const NO_PROVIDER = new Set(['pem', 'json', 'url', 'authorization', 'password', 'private', 'secret', 'token', 'api', 'credential', 'secrets']);
const MAX_NAME = 64;

/** `stripeApiKey`, `STRIPE-KEY`, `Stripe secret key` → `stripe_api_key`, `stripe_key`, `stripe_secret_key`. */
function snake(text: string): string {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
}

/**
 * A name for the secret a hard-coded literal becomes: from the name it is assigned to or passed as,
 * with the provider in front when that name says only "key" or "token", else from its kind; in the
 * account's style, and free in the vault (`_2`, `_3`… when taken).
 */
export function suggestSecretName(finding: Pick<HardcodedFinding, 'context' | 'kind'>, style: NamingStyle | null, exists: (name: string) => boolean): string {
  // A kind is words ("SendGrid API key"): lower-cased as written, not split at its capitals.
  const kind = snake(finding.kind.toLowerCase());
  const provider = kind.split('_')[0] ?? '';
  // A context that is itself a credential (a dict keyed by a token) names nothing: judged as
  // written, before snake() lower-cases it out of every provider's format.
  const context = finding.context && credentialIn(finding.context) === null ? (finding.context.split('.').pop() ?? finding.context) : '';
  let base = context !== '' && credentialIn(context) === null ? snake(context) : '';
  if (base === '' || /^\d/.test(base)) base = kind;
  else if (GENERIC_NAMES.has(base) && provider && !NO_PROVIDER.has(provider) && !base.startsWith(provider)) base = `${provider}_${base}`;
  if (!/^[a-z]/.test(base)) base = `secret_${base}`;
  base = base.slice(0, MAX_NAME).replace(/_+$/, '');
  const styled = (n: string) => (style === 'UPPER_CASE' ? n.toUpperCase() : n);
  const valid = namePattern(style ?? 'snake_case');
  let name = styled(base);
  for (let i = 2; (exists(name) || !valid.test(name)) && i < 1000; i++) {
    const suffix = `_${i}`;
    name = styled(`${base.slice(0, MAX_NAME - suffix.length)}${suffix}`);
  }
  return name;
}
