// Choose Agent writes the folder's agent into its secrets-vault.json, the file the CLI and `check`
// read: the other fields, their order and the file's formatting stay; a file that is not a JSON
// object is never replaced; and what is written reads back as the agent `check` applies.

import { describe, expect, it } from 'vitest';
import { configWithAgent } from '../../client/src/core/workspaceConfigEdit';
import { readConfigAgent } from '../../client/src/core/projects';

describe('configWithAgent', () => {
  it('no file: a new one holding the agent; nothing to write when no agent is chosen', () => {
    expect(configWithAgent(undefined, 'PROJECT-BK7QF2MA')).toBe('{\n  "agent": "PROJECT-BK7QF2MA"\n}\n');
    expect(configWithAgent(undefined, undefined)).toBeUndefined();
  });

  it('adds the agent after the other fields, in the file\'s own indentation', () => {
    expect(configWithAgent('{\n    "vault": "http://127.0.0.1:8787"\n}\n', 'booking-agent')).toBe(
      '{\n    "vault": "http://127.0.0.1:8787",\n    "agent": "booking-agent"\n}\n',
    );
    expect(configWithAgent('{\n\t"vault": "http://127.0.0.1:8787"\n}', 'booking-agent')).toBe('{\n\t"vault": "http://127.0.0.1:8787",\n\t"agent": "booking-agent"\n}');
  });

  it('replaces the agent in place, keeping the order, the other fields and CRLF line ends', () => {
    const before = '{\r\n  "agent": "old-agent",\r\n  "vault": "https://vault.example.com",\r\n  "notes": "kept"\r\n}\r\n';
    expect(configWithAgent(before, 'PROJECT-BK7QF2MA')).toBe('{\r\n  "agent": "PROJECT-BK7QF2MA",\r\n  "vault": "https://vault.example.com",\r\n  "notes": "kept"\r\n}\r\n');
  });

  it('No agent removes the field and leaves the rest; a file without one is unchanged', () => {
    expect(configWithAgent('{\n  "vault": "http://127.0.0.1:8787",\n  "agent": "booking-agent"\n}\n', undefined)).toBe('{\n  "vault": "http://127.0.0.1:8787"\n}\n');
    const without = '{ "vault": "http://127.0.0.1:8787" }\n';
    expect(configWithAgent(without, undefined)).toBe(without);
  });

  it('a file that is not a JSON object is not replaced', () => {
    for (const bad of ['{ "vault": ', '[1, 2]', '{ // a comment\n "vault": "x" }', '"text"']) {
      expect(() => configWithAgent(bad, 'booking-agent'), bad).toThrow('secrets-vault.json is not a JSON object, so the agent was not written to it');
    }
  });

  it('what is written is the agent the extension and check read from the file', () => {
    for (const text of [undefined, '{\n  "vault": "http://127.0.0.1:8787"\n}\n', '{"agent":"x","vault":"y"}']) {
      expect(readConfigAgent(configWithAgent(text, 'PROJECT-BK7QF2MA')!).agent).toBe('PROJECT-BK7QF2MA');
    }
  });
});

describe('configWithAgent on other shapes of file', () => {
  it('nested objects, arrays and literals around the field are kept as they are', () => {
    const text = '{\n  "vault": "http://127.0.0.1:8787",\n  "extra": { "agent": "nested", "list": [1, "}", {"a": null}] },\n  "n": 3,\n  "agent": "old"\n}\n';
    expect(configWithAgent(text, 'new-agent')).toBe(text.replace('"agent": "old"', '"agent": "new-agent"'));
    expect(configWithAgent(text, undefined)).toBe('{\n  "vault": "http://127.0.0.1:8787",\n  "extra": { "agent": "nested", "list": [1, "}", {"a": null}] },\n  "n": 3\n}\n');
    const noAgent = '{\n  "extra": { "agent": "nested" },\n  "flag": true\n}\n';
    expect(configWithAgent(noAgent, 'x')).toBe('{\n  "extra": { "agent": "nested" },\n  "flag": true,\n  "agent": "x"\n}\n');
  });

  it('an empty object, one line, a first member removed, and a name with quotes', () => {
    expect(configWithAgent('{}\n', 'a')).toBe('{\n  "agent": "a"\n}\n');
    expect(configWithAgent('{"vault": "v"}', 'a')).toBe('{"vault": "v", "agent": "a"}');
    expect(configWithAgent('{"agent": "a", "vault": "v"}', undefined)).toBe('{"vault": "v"}');
    expect(configWithAgent('{ "agent": "a" }', undefined)).toBe('{}');
    expect(JSON.parse(configWithAgent('{"agent": "a\\"b", "v": 1}', 'c')!)).toEqual({ agent: 'c', v: 1 });
  });
});
