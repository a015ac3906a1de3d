// Secret names in agent_settings/experimental_config.json: every field the platform reads a secret
// by, with the literal's exact range, in pretty and minified JSON, CRLF, escapes, comments; the same
// keys elsewhere, values that are no strings and broken JSON.

import { describe, expect, it } from 'vitest';
import { findConfigReferences, type ConfigKind } from '../../../server/src/service/config/configRefs';
import { isConfigPath } from '../../../server/src/service/scan/references';
import type { SecretReference, StringLiteral } from '../../../server/src/service/scan/types';
import { lit, marked } from './marks';

/** The references of `source`, whose ⟦…⟧ mark each expected literal (quotes included), in order. */
function expectRefs(source: string, expected: Array<[name: string, field: string, kind: ConfigKind]>) {
  const { text, spans } = marked(source);
  expect(spans.length).toBe(expected.length);
  expect(findConfigReferences(text)).toEqual(expected.map(([name, field, kind], i) => configRef(lit(text, spans[i]!, name), field, kind)));
}

function configRef(literal: StringLiteral, field: string, kind: ConfigKind): SecretReference {
  return { form: 'config', name: literal.value, literal, keys: [], span: { ...literal.span }, config: { field, kind } };
}

const PRETTY = `{
  "asr": { "disable_itn": true },
  "llm": {
    "mcp_servers": [
      {
        "url": "https://mcp.example.com",
        "auth": { "header": "Authorization", "secret_name": ⟦"mcp_token"⟧ }
      },
      {
        "url": "https://other.example.com",
        "auth": { "oauth": { "client_id": "abc", "client_secret_name": ⟦"mcp_oauth_secret"⟧, "token_url": "https://t" } }
      }
    ]
  },
  "agentic_dial": { "connector_token_secret_name": ⟦"dial_tokens"⟧, "agents": [{ "name": "a" }] },
  "webhooks": {
    "on_draft_published": [{ "url": "https://h", "auth": { "secret_name": ⟦"draft_hook"⟧ } }],
    "on_deployment": { "live": [{ "url": "https://h", "auth": { "query_param": "k", "secret_name": ⟦"live_hook"⟧ } }] },
    "on_realtime_config_updated": { "sandbox": [{ "url": "https://h", "auth": { "secret_name": ⟦"rtc_hook"⟧ } }] }
  }
}
`;

const FIELDS: Array<[string, string, ConfigKind]> = [
  ['mcp_token', 'llm.mcp_servers[].auth.secret_name', 'single'],
  ['mcp_oauth_secret', 'llm.mcp_servers[].auth.oauth.client_secret_name', 'single'],
  ['dial_tokens', 'agentic_dial.connector_token_secret_name', 'kv'],
  ['draft_hook', 'webhooks.on_draft_published[].auth.secret_name', 'single'],
  ['live_hook', 'webhooks.on_deployment.live[].auth.secret_name', 'single'],
  ['rtc_hook', 'webhooks.on_realtime_config_updated.sandbox[].auth.secret_name', 'single'],
];

describe('configuration references', () => {
  it('finds every field that names a secret, with the literal range, in pretty JSON', () => {
    expectRefs(PRETTY, FIELDS);
  });

  it('finds the same in minified JSON and with CRLF line ends', () => {
    const minified = PRETTY.replace(/\n\s*/g, '').replace(/": /g, '":').replace(/, /g, ',');
    expect(minified).not.toContain('\n');
    expectRefs(minified, FIELDS);
    expectRefs(PRETTY.replace(/\n/g, '\r\n'), FIELDS);
  });

  it('finds the fields again under a test group, to any depth', () => {
    expectRefs(
      `{"ab":{"is_enabled":true,"test_groups":[{"group_name":"b","percent":50,"test_config":{
        "agentic_dial":{"connector_token_secret_name":⟦"dial_b"⟧},
        "ab":{"test_groups":[{"test_config":{"webhooks":{"on_deployment":{"pre-release":[{"auth":{"secret_name":⟦"deep"⟧}}]}}}}]}
      }}]}}`,
      [
        ['dial_b', 'ab.test_groups[].test_config.agentic_dial.connector_token_secret_name', 'kv'],
        ['deep', 'ab.test_groups[].test_config.ab.test_groups[].test_config.webhooks.on_deployment.pre-release[].auth.secret_name', 'single'],
      ],
    );
  });

  it('decodes escapes for the name while the range covers the literal as written', () => {
    expectRefs(String.raw`{"agentic_dial":{"connector_token_secret_name":⟦"\u0041PI \"q\" \\ \/x"⟧}}`, [
      ['API "q" \\ /x', 'agentic_dial.connector_token_secret_name', 'kv'],
    ]);
    // An escaped key is the same key.
    expectRefs(String.raw`{"agentic_dial":{"connector_token_secret_\u006eame":⟦"k"⟧}}`, [['k', 'agentic_dial.connector_token_secret_name', 'kv']]);
  });

  it('reads through comments and trailing commas (VS Code shows the file as JSON with comments)', () => {
    expectRefs(
      `// settings\n{ /* dial */ "agentic_dial": { // tokens\n "connector_token_secret_name": /* here */ ⟦"d"⟧, }, }`,
      [['d', 'agentic_dial.connector_token_secret_name', 'kv']],
    );
  });

  it('ignores the same keys in the wrong place', () => {
    const wrong = [
      `{"secret_name": "a", "connector_token_secret_name": "b", "client_secret_name": "c"}`,
      `{"llm": {"secret_name": "a", "auth": {"secret_name": "b"}, "mcp_servers": {"auth": {"secret_name": "c"}}}}`,
      `{"llm": {"mcp_servers": [{"secret_name": "a", "oauth": {"client_secret_name": "b"}}]}}`,
      `{"webhooks": {"on_draft_published": {"auth": {"secret_name": "a"}}, "on_deployment": [{"auth": {"secret_name": "b"}}]}}`,
      `{"webhooks": {"on_deployment": {"live": {"auth": {"secret_name": "a"}}}}}`,
      `{"agentic_dial": {"agents": [{"connector_token_secret_name": "a"}]}, "ab": {"test_config": {"agentic_dial": {"connector_token_secret_name": "b"}}}}`,
      `{"ab": {"test_groups": [{"agentic_dial": {"connector_token_secret_name": "a"}}]}}`,
      `{"other": {"agentic_dial": {"connector_token_secret_name": "a"}}}`,
      `[{"agentic_dial": {"connector_token_secret_name": "a"}}]`,
      // A key that is a value, and a value that is a key.
      `{"agentic_dial": ["connector_token_secret_name", "a"], "x": {"agentic_dial": "connector_token_secret_name"}}`,
    ];
    for (const text of wrong) expect(findConfigReferences(text), text).toEqual([]);
  });

  it('ignores values that are not strings', () => {
    const text = `{"agentic_dial": {"connector_token_secret_name": 42}, "webhooks": {"on_draft_published": [{"auth": {"secret_name": null}}, {"auth": {"secret_name": ["a"]}}, {"auth": {"secret_name": {"x": "b"}}}, {"auth": {"secret_name": true}}]}}`;
    expect(findConfigReferences(text)).toEqual([]);
  });

  it('still finds the references that scan in broken JSON', () => {
    // A missing comma, a missing brace, a stray closer, garbage between fields, no end.
    expectRefs(
      `{"llm": {"mcp_servers": [{"auth": {"secret_name": ⟦"a"⟧ "header": "h"}}]]},
        "agentic_dial": {"bridge_ended_function": x1 , "connector_token_secret_name": ⟦"b"⟧}
        "webhooks": {"on_draft_published": [{"auth": {"secret_name": ⟦"c"⟧`,
      [
        ['a', 'llm.mcp_servers[].auth.secret_name', 'single'],
        ['b', 'agentic_dial.connector_token_secret_name', 'kv'],
        ['c', 'webhooks.on_draft_published[].auth.secret_name', 'single'],
      ],
    );
  });

  it('gives a string still being typed as unclosed, running to the end of its line', () => {
    const { text, spans } = marked(`{"agentic_dial": {"connector_token_secret_name": ⟦"dial_⟧\n}}`);
    expect(findConfigReferences(text)).toEqual([configRef(lit(text, spans[0]!, 'dial_', false), 'agentic_dial.connector_token_secret_name', 'kv')]);
    const empty = findConfigReferences(`{"agentic_dial": {"connector_token_secret_name": "`);
    expect(empty).toMatchObject([{ name: '', literal: { value: '', contentSpan: { start: 50, end: 50 }, span: { start: 49, end: 50 }, closed: false } }]);
  });

  it('skips a string with an invalid escape: it names nothing for sure', () => {
    expect(findConfigReferences(String.raw`{"agentic_dial": {"connector_token_secret_name": "a\qb"}}`)).toEqual([]);
    expect(findConfigReferences(String.raw`{"agentic_dial": {"connector_token_secret_name": "a\u00zz"}}`)).toEqual([]);
  });

  it('stays linear and never throws on adversarial text', () => {
    const deep = `${'{"ab":{"test_groups":[{"test_config":'.repeat(20_000)}{"agentic_dial":{"connector_token_secret_name":"x"}}`;
    expect(findConfigReferences(deep)).toHaveLength(1);
    expect(findConfigReferences('['.repeat(200_000))).toEqual([]);
    expect(findConfigReferences('{'.repeat(200_000))).toEqual([]);
    expect(findConfigReferences('"'.repeat(100_001))).toEqual([]);
    expect(findConfigReferences('}]'.repeat(100_000) + ':,'.repeat(100_000))).toEqual([]);
    // Closers of the other kind: each looks a few levels up, not to the root.
    expect(findConfigReferences('{'.repeat(100_000) + ']'.repeat(100_000))).toEqual([]);
    expect(findConfigReferences('['.repeat(100_000) + '}'.repeat(100_000))).toEqual([]);
    for (const text of ['', ' ', '{', '{"', '{"agentic_dial', '{"agentic_dial":', '{"agentic_dial":{"connector_token_secret_name":', '/*', '\u0000']) {
      expect(() => findConfigReferences(text)).not.toThrow();
    }
  });
});

describe('the configuration file', () => {
  it('is agent_settings/experimental_config.json under a folder, by path or URI, either separator', () => {
    for (const yes of [
      '/w/proj/agent_settings/experimental_config.json',
      'file:///w/proj/agent_settings/experimental_config.json',
      'C:\\w\\proj\\agent_settings\\experimental_config.json',
      'agent_settings/experimental_config.json',
    ]) {
      expect(isConfigPath(yes), yes).toBe(true);
    }
    for (const no of [
      '/w/proj/experimental_config.json',
      '/w/proj/my_agent_settings/experimental_config.json',
      '/w/proj/agent_settings/experimental_config.jsonc',
      '/w/proj/agent_settings/other.json',
      '/w/proj/agent_settings/xexperimental_config.json',
      '/w/proj/agent_settings/experimental_config.json/x.py',
    ]) {
      expect(isConfigPath(no), no).toBe(false);
    }
  });
});
