// The credential formats the `hardcoded-secret` diagnostic knows, in one table, each written from
// its provider's documented token format (prefix, length, alphabet, checksum). A literal is
// reported under the first credential found in it that passes its rule's check (generic rules, a
// URL's password or an Authorization value, only when it holds no specific one); then, if none,
// under the context rules (secretLikeNames.ts: a random-looking value under a secret-like name). The
// checks a format's match must pass are in formatChecks.ts. `kind` is the human name a message
// uses; it never includes any part of the value.

import { AGENT_TOKEN_PREFIX, USER_TOKEN_PREFIX } from '../api';
import { authorizationOk, checksummed, jwtOk, onePasswordAccount, pemBody, plainMatch, urlPasswordOk } from './formatChecks';

/** A format as written in the table below; FORMAT_RULES holds them completed (see `complete`). */
export interface FormatRuleSpec {
  /** Stable id: diagnostics data, corpus labels (`# expect: stripe-secret-key`), tests. */
  id: string;
  /** What the credential is, for the message: "Stripe secret key". */
  kind: string;
  /** Where the format is documented. */
  docs: string;
  /**
   * What every match starts with, at the start of a word (after a character that is not a letter
   * or digit): the first, cheap look at each literal. Prefixes that start with a symbol
   * (`-----BEGIN `, `://`) are looked for anywhere.
   */
  prefixes: readonly string[];
  /**
   * The credential, with the random part as group 1: sticky, tried where a prefix was seen; or,
   * with `search`, global and searched through the whole value from its start.
   */
  pattern: RegExp;
  search?: boolean;
  /**
   * A rule that says less than a provider's format (a URL with a password, an Authorization
   * value): a specific credential in the same literal is reported instead.
   */
  generic?: boolean;
  /**
   * A further check on the match value[start, end), whose prefix is `prefix` characters long
   * (checksum, key material); default `plainMatch`: no documented example, and the random part
   * after the prefix no stand-in. Runs without the pattern's groups, so without allocating.
   */
  check?: (value: string, start: number, end: number, prefix: number) => boolean;
  /** Instead of `check`, for checks that need the groups (of a sticky or searched match). */
  verify?: (m: RegExpExecArray, value: string) => boolean;
  /**
   * A failed check says only that the value is no credential of this kind (a checksum that does
   * not add up: a hand-made token, or a mistyped one), not that it is a stand-in: the value is
   * then judged by the name it is assigned to, as any value without a format is. Default: a
   * failed check makes it a look-alike, which no name makes a finding.
   */
  nameMayTell?: boolean;
}

/**
 * A rule with every field present, in one order: the detector reads these fields for every
 * candidate, and objects of one shape keep those reads monomorphic (fast).
 */
export interface FormatRule {
  id: string;
  kind: string;
  docs: string;
  prefixes: readonly string[];
  pattern: RegExp;
  search: boolean;
  generic: boolean;
  check: (value: string, start: number, end: number, prefix: number) => boolean;
  verify: ((m: RegExpExecArray, value: string) => boolean) | null;
  nameMayTell: boolean;
}

function complete(spec: FormatRuleSpec): FormatRule {
  return {
    id: spec.id,
    kind: spec.kind,
    docs: spec.docs,
    prefixes: spec.prefixes,
    pattern: spec.pattern,
    search: spec.search ?? false,
    generic: spec.generic ?? false,
    check: spec.check ?? plainMatch,
    verify: spec.verify ?? null,
    nameMayTell: spec.nameMayTell ?? false,
  };
}

// Boundaries: a credential is not part of a longer word.
const B = '(?<![A-Za-z0-9_])';
const E = '(?![A-Za-z0-9_])';
const E_URLSAFE = '(?![A-Za-z0-9_-])';

function re(source: string): RegExp {
  return new RegExp(source, 'y');
}

const TABLE: readonly FormatRuleSpec[] = [
  {
    id: 'pem-private-key',
    kind: 'PEM private key',
    docs: 'RFC 7468 (textual encodings of PKCS #8, RSA, EC, OpenSSH, PGP private keys)',
    prefixes: ['-----BEGIN '],
    pattern: re('-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----'),
    check: pemBody,
  },
  {
    id: 'secrets-vault-user-key',
    kind: 'Secrets Vault user API key',
    docs: 'protocol/api.ts (USER_TOKEN_PREFIX): prefix + 43 base64url characters',
    prefixes: [USER_TOKEN_PREFIX],
    pattern: re(`${B}${USER_TOKEN_PREFIX}([A-Za-z0-9_-]{43})${E_URLSAFE}`),
  },
  {
    id: 'secrets-vault-agent-token',
    kind: 'Secrets Vault agent token',
    docs: 'protocol/api.ts (AGENT_TOKEN_PREFIX): prefix + 43 base64url characters',
    prefixes: [AGENT_TOKEN_PREFIX],
    pattern: re(`${B}${AGENT_TOKEN_PREFIX}([A-Za-z0-9_-]{43})${E_URLSAFE}`),
  },
  {
    id: 'stripe-secret-key',
    kind: 'Stripe secret key',
    docs: 'https://docs.stripe.com/keys (sk_live_ / sk_test_, then 24 to 247 alphanumerics)',
    prefixes: ['sk_live_', 'sk_test_'],
    pattern: re(`${B}sk_(?:live|test)_([0-9A-Za-z]{24,247})${E}`),
  },
  {
    id: 'stripe-restricted-key',
    kind: 'Stripe restricted key',
    docs: 'https://docs.stripe.com/keys#limit-access (rk_live_ / rk_test_)',
    prefixes: ['rk_live_', 'rk_test_'],
    pattern: re(`${B}rk_(?:live|test)_([0-9A-Za-z]{24,247})${E}`),
  },
  {
    id: 'stripe-webhook-secret',
    // Stripe's format, and Standard Webhooks' (Svix, OpenAI and others: whsec_ + the base64 of the
    // key): the prefix says a webhook signing secret, not whose, so the kind names no provider.
    kind: 'webhook signing secret',
    docs: 'https://docs.stripe.com/webhooks#verify-events and https://www.standardwebhooks.com/ (whsec_ + 32 or more base62, or base64, characters)',
    prefixes: ['whsec_'],
    pattern: re(`${B}whsec_([0-9A-Za-z+/]{32,88}={0,2})(?![A-Za-z0-9+/=_])`),
  },
  {
    id: 'aws-access-key-id',
    kind: 'AWS access key ID',
    docs: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids (AKIA long-term, ASIA temporary; then 16 of A-Z2-7)',
    prefixes: ['AKIA', 'ASIA', 'ABIA', 'ACCA'],
    pattern: re(`(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA)([A-Z2-7]{16})(?![A-Za-z0-9])`),
  },
  {
    id: 'github-pat',
    kind: 'GitHub personal access token',
    docs: 'https://github.blog/2021-04-05-behind-githubs-new-authentication-token-formats/ (ghp_ + 30 base62 + CRC-32 in 6 base62)',
    prefixes: ['ghp_'],
    pattern: re(`${B}ghp_([A-Za-z0-9]{36})${E}`),
    check: checksummed,
    nameMayTell: true,
  },
  {
    id: 'github-oauth-token',
    kind: 'GitHub OAuth access token',
    docs: 'https://github.blog/2021-04-05-behind-githubs-new-authentication-token-formats/ (gho_)',
    prefixes: ['gho_'],
    pattern: re(`${B}gho_([A-Za-z0-9]{36})${E}`),
    check: checksummed,
    nameMayTell: true,
  },
  {
    id: 'github-app-token',
    kind: 'GitHub App token',
    docs: 'https://github.blog/2021-04-05-behind-githubs-new-authentication-token-formats/ (ghu_ user-to-server, ghs_ server-to-server)',
    prefixes: ['ghu_', 'ghs_'],
    pattern: re(`${B}gh[us]_([A-Za-z0-9]{36})${E}`),
    check: checksummed,
    nameMayTell: true,
  },
  {
    id: 'github-refresh-token',
    kind: 'GitHub refresh token',
    docs: 'https://github.blog/2021-04-05-behind-githubs-new-authentication-token-formats/ (ghr_)',
    prefixes: ['ghr_'],
    pattern: re(`${B}ghr_([A-Za-z0-9]{36})${E}`),
    check: checksummed,
    nameMayTell: true,
  },
  {
    id: 'github-fine-grained-pat',
    kind: 'GitHub fine-grained personal access token',
    docs: 'https://github.blog/security/application-security/introducing-fine-grained-personal-access-tokens-for-github/ (github_pat_ + 22 + _ + 59)',
    prefixes: ['github_pat_'],
    pattern: re(`${B}github_pat_([A-Za-z0-9]{22}_[A-Za-z0-9]{59})${E}`),
  },
  {
    id: 'gitlab-pat',
    kind: 'GitLab personal access token',
    docs: 'https://docs.gitlab.com/security/tokens/#token-prefixes (glpat- + 20 or more; routable tokens add .01.<suffix>)',
    prefixes: ['glpat-'],
    pattern: re(`${B}glpat-([A-Za-z0-9_-]{20,})(?:\\.[0-9a-z]{2}\\.[0-9a-z]{7,12})?${E_URLSAFE}`),
  },
  {
    id: 'gitlab-token',
    kind: 'GitLab token',
    docs: 'https://docs.gitlab.com/security/tokens/#token-prefixes (deploy, runner, pipeline trigger, CI job, feed, OAuth, SCIM, incoming mail, agent)',
    prefixes: ['gldt-', 'glrt-', 'glptt-', 'glcbt-', 'glft-', 'gloas-', 'glsoat-', 'glimt-', 'glagent-'],
    pattern: re(`${B}gl(?:dt|rt|ptt|cbt|ft|oas|soat|imt|agent)-([A-Za-z0-9_-]{20,})${E_URLSAFE}`),
  },
  {
    id: 'slack-webhook',
    kind: 'Slack webhook URL',
    docs: 'https://docs.slack.dev/messaging/sending-messages-using-incoming-webhooks (hooks.slack.com/services/T…/B…/secret)',
    prefixes: ['https://hooks.slack.com/'],
    pattern: re('https://hooks\\.slack\\.com/(?:services|workflows|triggers)/(T[A-Z0-9]{6,12}/[AB][A-Z0-9]{6,12}/[A-Za-z0-9]{20,40})(?![A-Za-z0-9])'),
  },
  {
    id: 'slack-token',
    kind: 'Slack token',
    docs: 'https://docs.slack.dev/authentication/tokens (xoxb- bot, xoxp- user, xoxa-/xoxr- refresh, xoxe- config, xapp- app-level); https://docs.slack.dev/authentication/using-token-rotation (expiring access tokens: xoxe.xoxb-, xoxe.xoxp-)',
    prefixes: ['xoxa-', 'xoxb-', 'xoxe-', 'xoxe.', 'xoxo-', 'xoxp-', 'xoxr-', 'xoxs-', 'xapp-'],
    pattern: re(`${B}(?:xox[abeoprs]-(?:[0-9]{1,16}-){1,3}([A-Za-z0-9]{16,64})|xapp-[0-9]-[A-Z0-9]{8,16}-[0-9]{8,16}-([A-Za-z0-9]{32,64})|xoxe\\.xox[bp]-[0-9]-([A-Za-z0-9]{40,400}))${E_URLSAFE}`),
  },
  {
    id: 'anthropic-api-key',
    kind: 'Anthropic API key',
    docs: 'https://docs.anthropic.com/en/api/overview (sk-ant-api03- / sk-ant-admin01-, base64url)',
    prefixes: ['sk-ant-'],
    pattern: re(`${B}sk-ant-(?:api|admin)[0-9]{2}-([A-Za-z0-9_-]{32,})${E_URLSAFE}`),
  },
  {
    id: 'openai-api-key',
    kind: 'OpenAI API key',
    docs: 'https://platform.openai.com/docs/api-reference/authentication (sk-, sk-proj-, sk-svcacct-, sk-admin-; T3BlbkFJ is base64 of "OpenAI")',
    prefixes: ['sk-'],
    pattern: re(`${B}sk-(?:(?:(?:proj|svcacct|admin)-)?([A-Za-z0-9_-]{16,}?T3BlbkFJ[A-Za-z0-9_-]{16,})|(?:proj|svcacct|admin)-([A-Za-z0-9_-]{40,}))${E_URLSAFE}`),
  },
  {
    id: 'google-api-key',
    kind: 'Google API key',
    docs: 'https://cloud.google.com/docs/authentication/api-keys (AIza + 35 of A-Za-z0-9_-)',
    prefixes: ['AIza'],
    pattern: re(`${B}AIza([0-9A-Za-z_-]{35})${E_URLSAFE}`),
  },
  {
    id: 'google-oauth-client-secret',
    kind: 'Google OAuth client secret',
    docs: 'Google Cloud OAuth clients: secrets issued since 2021 are GOCSPX- + 28 of A-Za-z0-9_-',
    prefixes: ['GOCSPX-'],
    pattern: re(`${B}GOCSPX-([A-Za-z0-9_-]{28})${E_URLSAFE}`),
  },
  {
    id: 'twilio-account-sid',
    kind: 'Twilio account SID',
    docs: 'https://www.twilio.com/docs/glossary/what-is-a-sid (AC + 32 lowercase hex)',
    prefixes: ['AC'],
    pattern: re('(?<![A-Za-z0-9])AC([0-9a-f]{32})(?![A-Za-z0-9])'),
  },
  {
    id: 'twilio-api-key',
    kind: 'Twilio API key',
    docs: 'https://www.twilio.com/docs/iam/api-keys (SK + 32 lowercase hex)',
    prefixes: ['SK'],
    pattern: re('(?<![A-Za-z0-9])SK([0-9a-f]{32})(?![A-Za-z0-9])'),
  },
  {
    id: 'sendgrid-api-key',
    kind: 'SendGrid API key',
    docs: 'https://www.twilio.com/docs/sendgrid/ui/account-and-settings/api-keys (SG. + 22 + . + 43)',
    prefixes: ['SG.'],
    pattern: re(`${B}SG\\.([A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43})${E_URLSAFE}`),
  },
  {
    id: 'npm-token',
    kind: 'npm access token',
    docs: 'https://github.blog/2021-09-23-announcing-npms-new-access-token-format/ (npm_ + 30 base62 + CRC-32 in 6 base62)',
    prefixes: ['npm_'],
    pattern: re(`${B}npm_([A-Za-z0-9]{36})${E}`),
    check: checksummed,
    nameMayTell: true,
  },
  {
    id: 'huggingface-token',
    kind: 'Hugging Face access token',
    docs: 'https://huggingface.co/docs/hub/security-tokens (hf_ + 34 letters)',
    prefixes: ['hf_'],
    pattern: re(`${B}hf_([A-Za-z]{34})${E}`),
  },
  // Model providers an agent calls. Their documentation gives the prefix; the lengths are those of
  // issued keys, as the open scanners (gitleaks, Kingfisher, Nosey Parker) also take them.
  {
    id: 'groq-api-key',
    kind: 'Groq API key',
    docs: 'https://console.groq.com/docs/quickstart (gsk_ + 52 alphanumerics)',
    prefixes: ['gsk_'],
    pattern: re(`${B}gsk_([A-Za-z0-9]{52})${E}`),
  },
  {
    id: 'replicate-api-token',
    kind: 'Replicate API token',
    docs: 'https://replicate.com/docs/topics/security/api-tokens (r8_ + 37 alphanumerics)',
    prefixes: ['r8_'],
    pattern: re(`${B}r8_([A-Za-z0-9]{37})${E}`),
  },
  {
    id: 'perplexity-api-key',
    kind: 'Perplexity API key',
    docs: 'https://docs.perplexity.ai/guides/getting-started (pplx- + 48 alphanumerics)',
    prefixes: ['pplx-'],
    pattern: re(`${B}pplx-([A-Za-z0-9]{48})${E_URLSAFE}`),
  },
  {
    id: 'xai-api-key',
    kind: 'xAI API key',
    docs: 'https://docs.x.ai/docs/overview (xai- + 70 to 85 alphanumerics, 80 in keys issued today)',
    prefixes: ['xai-'],
    pattern: re(`${B}xai-([A-Za-z0-9]{70,85})${E_URLSAFE}`),
  },
  // The rest of secretlint's recommended preset: services an agent's functions call.
  {
    id: 'shopify-token',
    kind: 'Shopify access token or shared secret',
    docs: 'https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens (shpat_, shpca_, shppa_ access tokens and shpss_ shared secrets + 32 hex; up to 64 alphanumerics taken)',
    prefixes: ['shpat_', 'shpca_', 'shppa_', 'shpss_'],
    pattern: re(`${B}shp(?:at|ca|pa|ss)_([A-Za-z0-9]{32,64})${E}`),
  },
  {
    id: 'linear-api-key',
    kind: 'Linear API key',
    docs: 'https://linear.app/developers/graphql#personal-api-keys (lin_api_ + 40 alphanumerics; 32 to 128 taken)',
    prefixes: ['lin_api_'],
    pattern: re(`${B}lin_api_([A-Za-z0-9]{32,128})${E}`),
  },
  {
    id: '1password-service-account-token',
    kind: '1Password service account token',
    docs: 'https://developer.1password.com/docs/service-accounts/ (ops_ + base64 of a JSON object with the account\'s secret key and SRP verifier)',
    prefixes: ['ops_eyJ'],
    pattern: re(`${B}ops_(eyJ[A-Za-z0-9+/_-]{60,8192}={0,2})(?![A-Za-z0-9+/=_-])`),
    check: onePasswordAccount,
  },
  {
    id: 'django-secret-key',
    kind: 'Django secret key',
    docs: 'django.core.management.utils.get_random_secret_key: django-insecure- + 50 of a-z0-9!@#$%^&*(-_=+)',
    prefixes: ['django-insecure-'],
    pattern: re('(?<![A-Za-z0-9_-])django-insecure-([a-z0-9!@#$%^&*(\\-_=+)]{50})(?![a-z0-9!@#$%^&*(\\-_=+)])'),
  },
  {
    id: 'jwt',
    kind: 'JSON Web Token',
    docs: 'RFC 7519: base64url(header).base64url(payload).signature, the header a JSON object with "alg"',
    prefixes: ['eyJ'],
    pattern: re(`${B}(eyJ[A-Za-z0-9_-]{8,})\\.(eyJ[A-Za-z0-9_-]{8,})\\.([A-Za-z0-9_-]*)${E_URLSAFE}`),
    verify: jwtOk,
  },
  {
    id: 'url-password',
    kind: 'URL with a password',
    docs: 'RFC 3986 section 3.2.1 (userinfo: user:password@host, deprecated)',
    prefixes: ['://'],
    search: true,
    generic: true,
    pattern: new RegExp('(?<![A-Za-z0-9+.-])([A-Za-z][A-Za-z0-9+.-]{1,20})://([^\\s:/?#@\'"`]*):([^\\s/?#@\'"`]+)@(?=[A-Za-z0-9\\[])', 'g'),
    verify: urlPasswordOk,
  },
  {
    id: 'authorization-header',
    kind: 'Authorization header credential',
    docs: 'RFC 9110 section 11.6.2 / RFC 6750 (Bearer) / RFC 7617 (Basic)',
    prefixes: ['Bearer ', 'bearer ', 'Basic ', 'basic '],
    generic: true,
    pattern: re('([Bb]earer|[Bb]asic) +([A-Za-z0-9._~+/-]{16,}=*)\\s*$'),
    verify: authorizationOk,
  },
];

/**
 * Every credential format. A literal's credentials are found in text order; the table's order
 * decides only between generic rules, and its prefixes by length (`sk-ant-` before `sk-`).
 */
export const FORMAT_RULES: readonly FormatRule[] = TABLE.map(complete);

export interface Prefix {
  text: string;
  /** Index in FORMAT_RULES. */
  rule: number;
  /** Looked for at any position, not only at the start of a word. */
  anywhere: boolean;
}

/**
 * Prefixes by their first two characters (both ASCII), at `(first << 7) | second`, longest first
 * (`sk-ant-` before `sk-`); null where none starts so. One read says whether anything can start at
 * a position, and names the one or two prefixes to compare there.
 */
export const PREFIXES_BY_PAIR: readonly (readonly Prefix[] | null)[] = (() => {
  const table: (Prefix[] | null)[] = new Array<Prefix[] | null>(128 * 128).fill(null);
  FORMAT_RULES.forEach((rule, index) => {
    for (const text of rule.prefixes) {
      const anywhere = !/[A-Za-z0-9]/.test(text[0]!);
      (table[(text.charCodeAt(0) << 7) | text.charCodeAt(1)] ??= []).push({ text, rule: index, anywhere });
    }
  });
  for (const list of table) list?.sort((a, b) => b.text.length - a.text.length);
  return table;
})();

/** 1 for the characters some prefix starts with. */
export const PREFIX_FIRST: Uint8Array = (() => {
  const t = new Uint8Array(128);
  for (const rule of FORMAT_RULES) for (const text of rule.prefixes) t[text.charCodeAt(0)] = 1;
  return t;
})();
