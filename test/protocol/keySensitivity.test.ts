import { describe, expect, it } from 'vitest';
import { anyKeySensitive, defaultKeySensitivity, keySensitivity, keyWords, sameKeyMarks, sensitiveKeys } from '../../protocol/keySensitivity';

describe('key sensitivity', () => {
  it('splits a key into words however it is written', () => {
    expect(keyWords('BASE_URL')).toEqual(['base', 'url']);
    expect(keyWords('baseUrl')).toEqual(['base', 'url']);
    expect(keyWords('base-url')).toEqual(['base', 'url']);
    expect(keyWords('Base URL')).toEqual(['base', 'url']);
    expect(keyWords('OAuthClientID')).toEqual(['o', 'auth', 'client', 'id']);
  });

  it('takes addresses and identifiers as configuration', () => {
    for (const k of ['BASE_URL', 'base_url', 'EMAIL_ADDRESS', 'host', 'API_HOST', 'region', 'account_id', 'client_id', 'ACCOUNT_SID', 'endpoint', 'username', 'PORT', 'tenant_id', 'From Number']) {
      expect(defaultKeySensitivity(k), k).toBe('not-sensitive');
    }
  });

  it('keeps credentials, unknown names and URLs that carry passwords sensitive', () => {
    for (const k of ['API_KEY', 'client_secret', 'password', 'auth_token', 'private_key_id', 'DATABASE_URL', 'redis_url', 'dsn', 'connection_string', 'webhook_url', 'value', 'x', '', 'session_id', 'BEARER']) {
      expect(defaultKeySensitivity(k), k).toBe('sensitive');
    }
  });

  it("an admin's mark wins over the default, in both directions", () => {
    const marks = { BASE_URL: 'sensitive', api_key: 'not-sensitive' } as const;
    expect(keySensitivity('BASE_URL', marks)).toBe('sensitive');
    expect(keySensitivity('api_key', marks)).toBe('not-sensitive');
    expect(keySensitivity('host', marks)).toBe('not-sensitive');
    // An inherited property is no mark.
    expect(keySensitivity('constructor', {})).toBe('sensitive');
  });

  it('says which keys are sensitive, and whether a whole value is', () => {
    expect(sensitiveKeys(['BASE_URL', 'API_KEY', 'EMAIL_ADDRESS'])).toEqual(['API_KEY']);
    expect(anyKeySensitive(['BASE_URL', 'EMAIL_ADDRESS'])).toBe(false);
    expect(anyKeySensitive(['BASE_URL', 'API_KEY'])).toBe(true);
    expect(anyKeySensitive(['BASE_URL'], { BASE_URL: 'sensitive' })).toBe(true);
    // A single value (no keys) is a credential.
    expect(anyKeySensitive([])).toBe(true);
  });

  it('compares marks: absent and empty are the same, order does not matter, an inherited property is no mark', () => {
    expect(sameKeyMarks(undefined, {})).toBe(true);
    expect(sameKeyMarks({ A: 'sensitive', B: 'not-sensitive' }, { B: 'not-sensitive', A: 'sensitive' })).toBe(true);
    expect(sameKeyMarks({ A: 'sensitive' }, { A: 'not-sensitive' })).toBe(false);
    expect(sameKeyMarks({ A: 'sensitive' }, {})).toBe(false);
    expect(sameKeyMarks({ constructor: 'sensitive' } as Record<string, 'sensitive'>, { toString: 'sensitive' } as Record<string, 'sensitive'>)).toBe(false);
  });
});
