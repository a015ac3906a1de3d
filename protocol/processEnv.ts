// Which variables a local run (`secrets-vault run`, the editor's Run, Debug and Open Terminal as
// Agent) may set in a child's environment. In an environment-style account a
// secret's name becomes a variable; a secret named NODE_OPTIONS, PATH, LD_PRELOAD, PYTHONSTARTUP,
// BASH_ENV or HTTPS_PROXY would not be read as a credential but would decide what the child runs,
// loads or talks to: whoever can create a secret (a stolen admin key) would run code on every
// developer's machine. Such names are never injected (the run names them in a warning), and the
// create form warns about them. One list, shared by the vault, the CLI, the extension and the
// webviews. Names are compared without regard to case (Windows' environment ignores it).

/** Names that control a process, its shell, its loader, its interpreter or where it connects. */
const EXACT = new Set([
  'PATH', 'PATHEXT', 'HOME', 'SHELL', 'USER', 'LOGNAME', 'TMPDIR', 'TMP', 'TEMP', 'PWD', 'OLDPWD', 'CDPATH',
  'IFS', 'ENV', 'BASH_ENV', 'SHELLOPTS', 'BASHOPTS', 'PS1', 'PS2', 'PS4', 'PROMPT_COMMAND', 'GLOBIGNORE', 'HISTFILE', 'ZDOTDIR', 'INPUTRC',
  'PERL5LIB', 'PERL5OPT', 'PERLLIB', 'PERL5DB', 'RUBYOPT', 'RUBYLIB', 'GEM_HOME', 'GEM_PATH',
  'JAVA_TOOL_OPTIONS', 'JDK_JAVA_OPTIONS', '_JAVA_OPTIONS', 'CLASSPATH', 'JAVA_HOME',
  'GCONV_PATH', 'GLIBC_TUNABLES', 'HOSTALIASES', 'LOCALDOMAIN', 'RES_OPTIONS', 'LOCPATH', 'NLSPATH',
  'SSL_CERT_FILE', 'SSL_CERT_DIR', 'REQUESTS_CA_BUNDLE', 'CURL_CA_BUNDLE', 'OPENSSL_CONF',
  'EDITOR', 'VISUAL', 'PAGER', 'BROWSER', 'SSH_ASKPASS', 'SSH_AUTH_SOCK', 'SUDO_ASKPASS',
  'VIRTUAL_ENV', 'CONDA_PREFIX', 'COMSPEC', 'SYSTEMROOT', 'WINDIR', 'XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'XDG_RUNTIME_DIR',
  'NO_PROXY',
]);

/** Prefixes: whole families of loader, interpreter, tool and our own settings. */
const PREFIXES = [
  'LD_', 'DYLD_', 'NODE_', 'NPM_CONFIG_', 'PYTHON', 'PIP_', 'UV_', 'GIT_', 'BASH_FUNC_', 'ELECTRON_', 'VSCODE_',
  'SECRETS_VAULT_',
];

/** True when `name` must never be set in a child's environment from a secret. */
export function isProcessControlName(name: string): boolean {
  const n = name.toUpperCase();
  if (EXACT.has(n) || n.endsWith('_PROXY')) return true;
  return PREFIXES.some((p) => n.startsWith(p));
}

/** The warning a run prints for skipped names: names only, never a value. */
export function skippedNamesWarning(skipped: readonly string[]): string {
  return (
    `Not injected: ${skipped.join(', ')}. These variables control how a process runs (its loader, interpreter, shell, ` +
    `proxy or the vault connection), so a secret with such a name is never set in a run's environment; rename the secret to use it.`
  );
}

/** The agent's values split into those a run may inject and the names it skips. */
export function injectableValues(values: Readonly<Record<string, string>>): { inject: Record<string, string>; skipped: string[] } {
  const inject: Record<string, string> = {};
  const skipped: string[] = [];
  for (const [name, value] of Object.entries(values)) {
    if (isProcessControlName(name)) skipped.push(name);
    else inject[name] = value;
  }
  return { inject, skipped: skipped.sort() };
}

/**
 * Our variables a run passes on from its own environment: settings of the shim, never a credential
 * (SECRETS_VAULT_ENV is the `conv.env` a function run locally sees).
 */
const PASSED_ON = new Set(['SECRETS_VAULT_TIMEOUT', 'SECRETS_VAULT_USE_PROXY', 'SECRETS_VAULT_ALLOW_INSECURE_HTTP', 'SECRETS_VAULT_ENV']);

/**
 * Names in the environment a run inherits that must not reach its child: every SECRETS_VAULT_*
 * variable but the shim's settings (the user's key, a master key, a database URL with a password).
 * The run sets SECRETS_VAULT_URL and SECRETS_VAULT_TOKEN (the run token) itself.
 */
export function inheritedCredentialNames(env: Readonly<Record<string, string | undefined>>): string[] {
  return Object.keys(env).filter((k) => k.toUpperCase().startsWith('SECRETS_VAULT_') && !PASSED_ON.has(k.toUpperCase()));
}
