// What the scanner finds in a document: every secret reference with exact ranges. The language
// features (completion, diagnostics, hover, code actions, the workspace index) work only on this.

/** A half-open range of UTF-16 offsets into the document text: [start, end). */
export interface Span {
  start: number;
  end: number;
}

/** `config`: an ADK project's `agent_settings/experimental_config.json` (config/configRefs.ts). */
export type ScanLanguage = 'python' | 'javascript' | 'typescript' | 'config';

/** LSP language ids we scan, mapped to the scanner that reads them (JSX/TSX included); the configuration file is known by its path. */
export const LANGUAGE_IDS: Record<string, ScanLanguage> = {
  python: 'python',
  javascript: 'javascript',
  javascriptreact: 'javascript',
  typescript: 'typescript',
  typescriptreact: 'typescript',
};

/** A string literal as written, for completion and edits. */
export interface StringLiteral {
  /** The literal's decoded text when it is a plain literal (no placeholders); null otherwise. */
  value: string | null;
  /** The characters between the quotes (for a literal), or the whole expression (dynamic). */
  contentSpan: Span;
  /** The whole literal including prefix and quotes (or the whole expression when dynamic). */
  span: Span;
  /** False while the user is still typing it: no closing quote before the end of the line. */
  closed: boolean;
}

export interface KeyAccess {
  /** The key, or null when the key is not a plain literal. */
  key: string | null;
  literal: StringLiteral;
  /** `creds['k']` (subscript), `creds.get('k')` (get, Python) or `creds.k` (property, JavaScript / TypeScript: its literal is the name). */
  via: 'subscript' | 'get' | 'property';
  /**
   * A computed key (`key` null) of a subscript whose values are known (`for k in ("id", "secret"):
   * creds[k]`, `creds[KEY]`): each key it can take, where it is written (python/nameSetsKeys.ts).
   */
  candidates?: NameCandidate[];
}

export interface SecretReference {
  /**
   * `get_secret`: `….get_secret('x')`, an imported or aliased `get_secret('x')`, by keyword `secret_name='x'` (the platform's) or `name='x'` too.
   * `env`: `os.environ['X']`, `os.environ.get('X')`, `os.getenv('X')`, `process.env.X`,
   * `process.env['X']`; meaningful only in environment-style accounts.
   * `config`: a field of a project's configuration that names a secret (see `config`).
   * (`secret_vault('x')`, the platform's other read API, is a `get_secret`.)
   */
  form: 'get_secret' | 'env' | 'config';
  /** The literal name, or null when dynamic (f-string with placeholders, variable, expression). */
  name: string | null;
  /**
   * The name as written. For `process.env.X`, `value` is `X` and both spans cover the identifier.
   * For a call with no argument yet (`get_secret(`), an empty literal at the cursor position.
   */
  literal: StringLiteral;
  /**
   * Keys read from the result, directly or through a variable that holds it at the read (a read
   * through a variable that may hold several secrets appears in each of their references).
   * Writes and deletes (`creds['k'] = …`, `del creds['k']`) are not reads and are not here.
   */
  keys: KeyAccess[];
  /** The whole reference expression (the call, or `os.environ[...]`; a configuration field's string). */
  span: Span;
  /** `config` only: the field and the kind of secret it must name. */
  config?: ConfigField;
  /**
   * A computed name (`name` null) whose every part resolves: the finite set of names the read can
   * take, one entry per distinct name, in the order they are first written (python/nameSets*.ts).
   */
  candidates?: NameCandidate[];
  /** A computed name that does not resolve: the first part that could not be, as written. */
  unresolved?: UnresolvedPart;
  /**
   * A call of a function another module of the project defines that reads the secret its argument
   * names (`credentials(conv, "crm_api")` of `def credentials(conv, secret_name): return
   * conv.utils.get_secret(secret_name)`): the function, and whether the call's value is the
   * secret's (every return of it is the read), as a read's is; else the call is no source of the value.
   * `template`: the function's read joins its parameters into the name (`get_secret(f"{service}_key")`):
   * the read's literal is the call, whose arguments fill the name.
   */
  through?: { function: string; returnsValue: boolean; template?: true };
  /**
   * With `candidates`: the parameter through which callers outside what is analysed (another
   * module, the platform) may pass other names; the candidates are those the code shows.
   */
  open?: UnresolvedPart;
  /**
   * A read written with a literal name inside a branch on `conv.env` (`if env == "sandbox":`, a
   * `match` case, after an early return): the environments it runs in, in the file's order ('pre_release'
   * is written 'pre-release'); absent when it runs in every one, or the branch is not known.
   */
  environments?: string[];
  /**
   * The function itself is passed to `map` (`map(conv.utils.get_secret, NAMES)`,
   * `executor.map(get_secret, NAMES)`): it reads each element of the iterable, whose expression
   * `literal` covers; its names are the elements' (Python).
   */
  mapped?: true;
}

/** One name a computed read may take, and when it takes it. */
export interface NameCandidate {
  name: string;
  /** The string literal the name is written in (quotes included); in `uri` when set, else in this document. */
  literal: Span;
  /** The document the literal is in when it is not this one (a constant imported from another module). */
  uri?: string;
  /** The tests that choose this name, outermost first (empty: taken on every path, e.g. a constant). */
  when: NameCondition[];
  /**
   * The `conv.env` values in which the read takes this name ('pre_release' is written 'pre-release');
   * null when the choice does not depend on `conv.env` (every environment).
   */
  environments: string[] | null;
}

/** A test on the way to a candidate: an if/elif/else, a conditional expression, a match case, a table key. */
export interface NameCondition {
  /** The test as written (`conv.env == 'live'`, `conv.state.get('new_api')`), whitespace collapsed. */
  text: string;
  span: Span;
  /** True when the candidate is taken where the test holds; false on its else side. */
  holds: boolean;
}

/** Why a computed name stays unknown: the part that could not be resolved, as written, and where. */
export interface UnresolvedPart {
  text: string;
  span: Span;
  /** The analysis's budget ran out on it (scan/budget.ts): too large to follow, rather than unknowable. */
  tooLarge?: true;
  /** A parameter of the function the platform calls (ImportLookup's platformFunction): Agent Studio passes it, by that function's name. */
  platform?: string;
  /** A parameter of a module function that reads the secret its caller names (python/nameSetsReaders.ts): each call of it in another module is checked there; that function's name. */
  reader?: string;
}

/** The environments Agent Studio deploys to, in promotion order; a file may test others (`draft`). */
export { ENVIRONMENTS } from '../../../../protocol/environments';

/** A configuration field that names a secret: `agentic_dial.connector_token_secret_name`, `webhooks.on_deployment.live[].auth.secret_name`. */
export interface ConfigField {
  field: string;
  /** The kind of secret the platform expects there: a single value, or key/value pairs. */
  kind: 'single' | 'kv';
}

/** A module-level Python function (`def` or `async def`), for the Run/Debug as agent CodeLens. */
export interface FunctionDef {
  name: string;
  nameSpan: Span;
  /** From the `def` (or `async`) to the end of its body (where the indentation returns to its level). */
  span: Span;
  /** The first parameter's name (`conv` for a platform function); null when it has none. */
  firstParam: string | null;
}

export interface ReferenceScan {
  /** The reads, in document order. */
  references: SecretReference[];
  /**
   * Environment writes and deletes (`os.environ['X'] = …`, `del os.environ['X']`,
   * `process.env.X = …`, `delete process.env.X`): not references, so no feature checks them;
   * kept apart so that tests can compare them with a parser's view.
   */
  writes: SecretReference[];
  /** Python: the module-level functions, in document order; JavaScript and TypeScript: none. */
  functions: FunctionDef[];
}

/** Another module's module-level names that resolve to secret names (python/nameSets*.ts), by name. */
export type ModuleNames = ReadonlyMap<string, readonly NameCandidate[]>;

/**
 * The module-level names of a module a document imports from, the module as written
 * (`.config`, `..shared.names`, `functions.settings`); undefined when it is not a module of the
 * project, or not known. The session and `check` supply it; the service never reads a file.
 */
export interface ImportLookup {
  (module: string): ModuleNames | undefined;
  /**
   * The document is an ADK project's resource file: the function the platform calls in it
   * (protocol/adkProject.ts's platformFunctionOf), whose parameters Agent Studio passes.
   */
  readonly platformFunction?: string;
}
