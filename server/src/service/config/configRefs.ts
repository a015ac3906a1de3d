// Secret names in an Agent Development Kit project's configuration, `agent_settings/experimental_config.json`
// (schema: polyai/adk's experimental_config_schema.yaml). The platform reads the secret a field names,
// so each such string is a reference, with the exact range of its literal:
//   llm.mcp_servers[].auth.secret_name, llm.mcp_servers[].auth.oauth.client_secret_name (a single value),
//   agentic_dial.connector_token_secret_name (a key/value secret: agent names to connector tokens),
//   webhooks.on_draft_published[].auth.secret_name, webhooks.on_deployment.<env>[].auth.secret_name,
//   webhooks.on_realtime_config_updated.<env>[].auth.secret_name (a single value),
// and all of these again under ab.test_groups[].test_config (a whole configuration, so to any depth).
// Only those places: the same key anywhere else names nothing the platform reads.
//
// One pass over jsonc-parser's scanner (comments and trailing commas allowed, as VS Code's `json`
// and `jsonc` modes show them) with an explicit stack, so that it is linear, never recursive, and
// keeps going through broken JSON: a string that scans is a reference when the path to it is one of
// the fields above. A name is the string's decoded value (`\u0041` is `A`); its range covers the
// literal as written. Which file is the configuration is the shared level's (scan/references.ts
// isConfigPath), which picks the front end by path.

// The scanner's own module, which depends on nothing: the package's entry (UMD) loads its parts by a
// `require` bundlers cannot follow, and its ES build by paths Node cannot resolve unbundled (bench/).
import { createScanner } from 'jsonc-parser/lib/umd/impl/scanner.js';
import type { ConfigField, SecretReference, Span } from '../scan/types';

/** What kind of secret a field must name: a single value, or key/value pairs. */
export type ConfigKind = ConfigField['kind'];

// ---- the places that name secrets ----

/** A place in the configuration: what its children are, or the kind of secret it names. */
interface Place {
  /** Children by key (an object's fields). */
  fields?: Record<string, Place>;
  /** The child under any key (an object keyed by environment). */
  anyKey?: Place;
  /** The child of every item (an array). */
  items?: Place;
  /** A string here names a secret of this kind. */
  secret?: ConfigKind;
}

const SINGLE: Place = { secret: 'single' };
const AUTH: Place = { fields: { secret_name: SINGLE } };
const WEBHOOK: Place = { fields: { auth: AUTH } };
const WEBHOOKS: Place = { items: WEBHOOK };
const BY_ENVIRONMENT: Place = { anyKey: WEBHOOKS };
/** The whole configuration (`additional_features` in the schema); a test group's `test_config` is one too. */
const FEATURES: Place = {
  fields: {
    llm: { fields: { mcp_servers: { items: { fields: { auth: { fields: { secret_name: SINGLE, oauth: { fields: { client_secret_name: SINGLE } } } } } } } } },
    agentic_dial: { fields: { connector_token_secret_name: { secret: 'kv' } } },
    webhooks: { fields: { on_draft_published: WEBHOOKS, on_deployment: BY_ENVIRONMENT, on_realtime_config_updated: BY_ENVIRONMENT } },
    ab: { fields: { test_groups: { items: { fields: {} } } } },
  },
};
FEATURES.fields!['ab']!.fields!['test_groups']!.items!.fields!['test_config'] = FEATURES;

function childOf(place: Place | null, key: string | null): Place | null {
  if (place === null) return null;
  if (key === null) return place.items ?? null;
  if (place.fields && Object.hasOwn(place.fields, key)) return place.fields[key]!;
  return place.anyKey ?? null;
}

// jsonc-parser's SyntaxKind and ScanError (const enums in its typings, which isolated modules cannot read).
const OPEN_BRACE = 1;
const CLOSE_BRACE = 2;
const OPEN_BRACKET = 3;
const CLOSE_BRACKET = 4;
const COMMA = 5;
const COLON = 6;
const STRING = 10;
const LINE_COMMENT = 12;
const BLOCK_COMMENT = 13;
const LINE_BREAK = 14;
const TRIVIA = 15;
const EOF = 17;
const ERR_NONE = 0;
const ERR_END_OF_STRING = 2;

// Where an object is between its tokens.
const EXPECT_KEY = 0;
const AFTER_KEY = 1;
const EXPECT_VALUE = 2;
const AFTER_VALUE = 3;

/** How many unclosed containers a closer of the other kind may close with it. */
const CLOSE_REACH = 8;

const NOWHERE = { place: null, segment: '' };

interface Frame {
  array: boolean;
  /** The place this container is; null: nothing under it names a secret. */
  place: Place | null;
  /** Objects: the last key read. */
  key: string | null;
  state: number;
  /** The container this one is in (null: the root), and its key there (`[]`: an array's item). */
  parent: Frame | null;
  segment: string;
}

/** The field's path for people, built only for a reference: `webhooks.on_deployment.live[].auth.secret_name`. */
function pathOf(frame: Frame | null, last: string): string {
  const segments = [last];
  for (let f = frame; f !== null && f.parent !== null; f = f.parent) segments.push(f.segment);
  let path = '';
  for (let i = segments.length - 1; i >= 0; i--) {
    const segment = segments[i]!;
    path += segment === '[]' || path === '' ? segment : `.${segment}`;
  }
  return path;
}

/**
 * The secret names of a configuration file's text (`config` references: keys none, the span the
 * string's literal), in document order. Never throws on any text; linear in its length.
 */
export function findConfigReferences(text: string): SecretReference[] {
  const out: SecretReference[] = [];
  const scanner = createScanner(text, true);
  const stack: Frame[] = [];
  /** Before the first value: the root is the whole configuration. */
  let rootDone = false;

  /** The place of a value starting now (null: none that names secrets) and its key in its container. */
  const valuePlace = (): { place: Place | null; segment: string } => {
    const top = stack[stack.length - 1];
    if (top === undefined) return { place: rootDone ? null : FEATURES, segment: '' };
    if (top.place === null) return NOWHERE;
    if (top.array) {
      const place = childOf(top.place, null);
      return place === null ? NOWHERE : { place, segment: '[]' };
    }
    if (top.state !== EXPECT_VALUE || top.key === null) return NOWHERE;
    const place = childOf(top.place, top.key);
    return place === null ? NOWHERE : { place, segment: top.key };
  };
  /** A value ended: the object holding it now waits for a comma. */
  const valueDone = (): void => {
    const top = stack[stack.length - 1];
    if (top === undefined) rootDone = true;
    else if (!top.array) top.state = AFTER_VALUE;
  };

  for (;;) {
    const token = scanner.scan();
    if (token === EOF) break;
    switch (token) {
      case LINE_COMMENT:
      case BLOCK_COMMENT:
      case LINE_BREAK:
      case TRIVIA:
        continue;
      case OPEN_BRACE:
      case OPEN_BRACKET: {
        const { place, segment } = valuePlace();
        valueDone();
        stack.push({ array: token === OPEN_BRACKET, place, key: null, state: EXPECT_KEY, parent: stack[stack.length - 1] ?? null, segment });
        continue;
      }
      case CLOSE_BRACE:
      case CLOSE_BRACKET: {
        // A closer closes up to the container it matches, a few levels up at most (a bound that keeps
        // `{{{…]]]` linear); one that matches none so near is ignored.
        const array = token === CLOSE_BRACKET;
        let k = stack.length - 1;
        while (k >= 0 && k >= stack.length - CLOSE_REACH && stack[k]!.array !== array) k--;
        if (k >= 0 && stack[k]!.array === array) stack.length = k;
        continue;
      }
      case COMMA: {
        const top = stack[stack.length - 1];
        if (top && !top.array) {
          top.state = EXPECT_KEY;
          top.key = null;
        }
        continue;
      }
      case COLON: {
        const top = stack[stack.length - 1];
        if (top && !top.array && top.state === AFTER_KEY) top.state = EXPECT_VALUE;
        continue;
      }
      case STRING: {
        const top = stack[stack.length - 1];
        // In an object, a string is a key unless a colon came before it (`"a": "x" "b": …` with a
        // comma missing still reads `b` as a key).
        if (top && !top.array && top.state !== EXPECT_VALUE) {
          top.key = scanner.getTokenError() === ERR_NONE ? scanner.getTokenValue() : null;
          top.state = AFTER_KEY;
          continue;
        }
        const at = valuePlace();
        valueDone();
        const secret = at.place?.secret;
        if (secret === undefined) continue;
        const error = scanner.getTokenError();
        // An invalid escape names nothing for sure; an unterminated string is one being typed.
        if (error !== ERR_NONE && error !== ERR_END_OF_STRING) continue;
        const start = scanner.getTokenOffset();
        const end = start + scanner.getTokenLength();
        const closed = error === ERR_NONE;
        const contentSpan: Span = { start: start + 1, end: closed ? end - 1 : end };
        const name = scanner.getTokenValue();
        out.push({
          form: 'config',
          name,
          literal: { value: name, contentSpan, span: { start, end }, closed },
          keys: [],
          span: { start, end },
          config: { field: pathOf(top ?? null, at.segment), kind: secret },
        });
        continue;
      }
      default:
        // Numbers, true, false, null, and what is no JSON at all.
        valueDone();
    }
  }
  return out;
}
