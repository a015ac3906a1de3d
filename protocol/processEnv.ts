// Which variables a local run (`secrets-vault run`, the editor's Run, Debug and Open Terminal as
// Agent) may set in a child's environment. In an environment-style account a secret's name becomes
// a variable, and a variable can decide what the child runs, loads or talks to (PS0 and
// PROMPT_COMMAND run in every interactive bash, LD_PRELOAD loads a library, LESSOPEN runs a filter,
// RUSTC_WRAPPER wraps the compiler, DOCKER_HOST picks the daemon): whoever can create a secret (a
// stolen admin key) would run code on every developer's machine that runs as that agent.
//
// So injection goes by an allowlist, not a denylist:
// - a name that looks like a credential (credentialVariable: ends in _KEY, _TOKEN, _SECRET,
//   _PASSWORD…) is injected;
// - any other name only when the run opts into it by name (`"inject": ["NAME"]` in the nearest
//   secrets-vault.json, or `secrets-vault run --inject NAME`), else it is skipped with a warning
//   that names it and says how to opt in;
// - a name that controls a process (isProcessControlName: a loader's, interpreter's, shell's,
//   compiler's, build tool's or client's setting) is never injected, opted in or not, and an
//   environment-style account refuses to create a secret with such a name.
// One module, used by the vault, the CLI, the extension and the webviews; docs/security.md has the
// lists. Names are compared without regard to case (Windows' environment ignores it).

/** Names that control a process, its shell, its loader, its interpreter, its tools or where it connects. */
const EXACT = new Set([
  // Shells: what they run, read and where they look.
  'PATH', 'PATHEXT', 'HOME', 'SHELL', 'USER', 'LOGNAME', 'TMPDIR', 'TMP', 'TEMP', 'PWD', 'OLDPWD', 'CDPATH', 'FPATH',
  'IFS', 'ENV', 'BASH_ENV', 'SHELLOPTS', 'BASHOPTS', 'PS0', 'PS1', 'PS2', 'PS3', 'PS4', 'PROMPT_COMMAND', 'PROMPT_DIRTRIM',
  'GLOBIGNORE', 'HISTFILE', 'HISTCONTROL', 'HISTIGNORE', 'ZDOTDIR', 'INPUTRC', 'MAIL', 'MAILPATH', 'MAILCHECK',
  'TERM', 'TERMINFO', 'TERMCAP', 'TMUX', 'TMUX_TMPDIR', 'SCREENRC', 'DISPLAY', 'WAYLAND_DISPLAY', 'XAUTHORITY', 'DBUS_SESSION_BUS_ADDRESS', 'TZDIR',
  // Pagers, editors and the programs tools start for a person.
  'EDITOR', 'VISUAL', 'PAGER', 'MANPAGER', 'MANOPT', 'MANPATH', 'INFOPATH', 'BROWSER',
  'LESS', 'LESSOPEN', 'LESSCLOSE', 'LESSKEY', 'LESSKEYIN', 'LESSEDIT', 'LESSSECURE', 'LESSHISTFILE', 'LESSCHARSET',
  'VIMINIT', 'GVIMINIT', 'EXINIT', 'MYVIMRC', 'VIMRUNTIME', 'EMACSLOADPATH', 'SVN_EDITOR',
  'SSH_ASKPASS', 'SSH_ASKPASS_REQUIRE', 'SSH_AUTH_SOCK', 'SUDO_ASKPASS', 'GNUPGHOME', 'GPG_AGENT_INFO',
  // Interpreters.
  'PERL5LIB', 'PERL5OPT', 'PERLLIB', 'PERL5DB', 'RUBYOPT', 'RUBYLIB', 'GEM_HOME', 'GEM_PATH', 'BUNDLE_GEMFILE',
  'PHPRC', 'PHP_INI_SCAN_DIR', 'TCLLIBPATH', 'R_PROFILE', 'R_PROFILE_USER', 'R_ENVIRON', 'R_ENVIRON_USER',
  'JAVA_TOOL_OPTIONS', 'JDK_JAVA_OPTIONS', '_JAVA_OPTIONS', 'JAVA_OPTS', 'CLASSPATH', 'JAVA_HOME',
  'MAVEN_OPTS', 'MAVEN_ARGS', 'GRADLE_OPTS', 'GRADLE_USER_HOME', 'SBT_OPTS', 'ANT_OPTS',
  'VIRTUAL_ENV',
  // Compilers and build tools: what they run and pass to the linker.
  'CC', 'CXX', 'CPP', 'LD', 'AR', 'AS', 'NM', 'RANLIB', 'OBJCOPY', 'STRIP', 'FC', 'F77',
  'CFLAGS', 'CXXFLAGS', 'CPPFLAGS', 'LDFLAGS', 'LDLIBS', 'LIBS', 'FFLAGS', 'MAKE', 'MAKEFLAGS', 'MFLAGS', 'MAKEFILES', 'MAKELEVEL',
  'GCC_EXEC_PREFIX', 'COMPILER_PATH', 'LIBRARY_PATH', 'CPATH', 'C_INCLUDE_PATH', 'CPLUS_INCLUDE_PATH', 'OBJC_INCLUDE_PATH', 'DEPENDENCIES_OUTPUT', 'SUNPRO_DEPENDENCIES', 'ACLOCAL_PATH',
  'GOFLAGS', 'GOPATH', 'GOROOT', 'GOBIN', 'GOPROXY', 'GONOPROXY', 'GOPRIVATE', 'GONOSUMDB', 'GONOSUMCHECK', 'GOSUMDB', 'GOINSECURE',
  'GOTOOLCHAIN', 'GOENV', 'GOEXPERIMENT', 'GOCACHE', 'GOMODCACHE', 'GOOS', 'GOARCH', 'GODEBUG', 'GOWORK', 'GOVCS',
  'RUSTC', 'RUSTDOC', 'RUSTFLAGS', 'RUSTDOCFLAGS',
  'PHP_CS_FIXER_IGNORE_ENV',
  // The C library, the resolver and locales.
  'GCONV_PATH', 'GLIBC_TUNABLES', 'HOSTALIASES', 'LOCALDOMAIN', 'RES_OPTIONS', 'LOCPATH', 'NLSPATH',
  // TLS: whom a client trusts, and where it writes its session keys.
  'SSL_CERT_FILE', 'SSL_CERT_DIR', 'SSLKEYLOGFILE', 'REQUESTS_CA_BUNDLE', 'CURL_CA_BUNDLE', 'OPENSSL_CONF', 'OPENSSL_ENGINES', 'OPENSSL_MODULES', 'NODE_EXTRA_CA_CERTS',
  // Clients' configuration: which daemon, cluster, cloud or server they talk to, with what.
  'DOCKER_HOST', 'DOCKER_CONFIG', 'DOCKER_CONTEXT', 'DOCKER_CERT_PATH', 'DOCKER_TLS_VERIFY', 'BUILDKIT_HOST', 'CONTAINER_HOST',
  'KUBECONFIG', 'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_CA_BUNDLE', 'BOTO_CONFIG', 'CLOUDSDK_CONFIG',
  'KRB5_CONFIG', 'KRB5CCNAME', 'KRB5_KTNAME', 'CURL_HOME', 'WGETRC', 'NETRC', 'HGRCPATH', 'NO_PROXY',
  // Windows.
  'COMSPEC', 'SYSTEMROOT', 'WINDIR', 'PSMODULEPATH', 'USERPROFILE', 'APPDATA', 'LOCALAPPDATA', 'HOMEDRIVE', 'HOMEPATH',
]);

/** Prefixes: whole families of loader, interpreter, runtime, tool and our own settings. */
const PREFIXES = [
  'LD_', 'DYLD_', 'MALLOC_', 'NODE_', 'NPM_CONFIG_', 'YARN_', 'DENO_', 'BUN_', 'PYTHON', 'PIP_', 'UV_', 'POETRY_', 'PIPENV_', 'CONDA_',
  'GIT_', 'BASH_FUNC_', 'ELECTRON_', 'VSCODE_', 'XDG_', 'CGO_', 'RUSTC_', 'RUSTUP_', 'CARGO_', 'CMAKE_', 'PKG_CONFIG',
  'DOTNET_', 'CORECLR_', 'COMPLUS_', 'COREHOST_', 'MSBUILD', 'LUA_INIT', 'LUA_PATH', 'LUA_CPATH', 'PERL_', 'RUBY_', 'R_LIBS',
  'SECRETS_VAULT_',
];

/**
 * Endings that make a whole name a process's setting: a search path (PATH, LD_LIBRARY_PATH,
 * MANPATH, …), a library preloaded, a wrapper or hook run, options or flags handed to a program, a
 * proxy to connect through, a tool's home.
 */
const SUFFIXES = ['PATH', '_PRELOAD', '_WRAPPER', '_HOOK', '_HOOKS', '_OPTS', '_OPTIONS', 'FLAGS', '_PROXY', '_HOME'];

/** True when `name` must never be set in a child's environment from a secret, even when a run opts into it. */
export function isProcessControlName(name: string): boolean {
  const n = name.toUpperCase();
  if (EXACT.has(n)) return true;
  return PREFIXES.some((p) => n.startsWith(p)) || SUFFIXES.some((s) => n.endsWith(s));
}

/**
 * The last words of a name that says it holds a credential. A variable's name is words joined by
 * `_`; the name's last word (or last two, for API_KEY, ACCESS_KEY, KEY_ID, AUTH_TOKEN…, which end
 * in one of these anyway) is one of these.
 */
export const CREDENTIAL_ENDINGS = ['KEY', 'APIKEY', 'KEY_ID', 'TOKEN', 'SECRET', 'PASSWORD', 'PASSWD', 'PASSPHRASE', 'PWD', 'CREDENTIAL', 'CREDENTIALS'] as const;

const CREDENTIAL_ENDING = new RegExp(`(?:^|_)(?:${CREDENTIAL_ENDINGS.join('|')})$`);

/** True when `name` looks like a credential's variable (STRIPE_API_KEY, X_BEARER_TOKEN, DB_PASSWORD…) and controls no process. */
export function isCredentialVariable(name: string): boolean {
  return CREDENTIAL_ENDING.test(name.toUpperCase()) && !isProcessControlName(name);
}

/** How a run opts into a name that is not credential-shaped, for messages. */
export const OPT_IN_HOW = 'list it in "inject" in secrets-vault.json, or pass --inject NAME to secrets-vault run';

/** Whether a run injects `name`: never a process's setting; a credential-shaped one always; another only when opted into. */
export type InjectionVerdict = 'inject' | 'opt-in' | 'never';

export function injectionVerdict(name: string, optIn: ReadonlySet<string> | readonly string[] = []): InjectionVerdict {
  if (isProcessControlName(name)) return 'never';
  if (CREDENTIAL_ENDING.test(name.toUpperCase())) return 'inject';
  const opted = Array.isArray(optIn) ? optIn.includes(name) : (optIn as ReadonlySet<string>).has(name);
  return opted ? 'inject' : 'opt-in';
}

/**
 * What the create form and `secrets create` say, before saving, of a name in an environment-style
 * account; undefined when a run injects it by default. Names only, never a value.
 */
export function injectionNotice(name: string): { refused: boolean; message: string } | undefined {
  const verdict = injectionVerdict(name);
  if (verdict === 'inject') return undefined;
  if (verdict === 'never') {
    return {
      refused: true,
      message: `${name} controls how a process runs (its loader, interpreter, shell, tools or connections): a run would never set it, and this account's names are environment variables, so the vault refuses it. Choose another name.`,
    };
  }
  return {
    refused: false,
    message: `Runs inject only credential-shaped names (ending in _KEY, _TOKEN, _SECRET, _PASSWORD…) by default: ${name} would be skipped unless a run opts into it (${OPT_IN_HOW}).`,
  };
}

/** The warnings a run prints for the names it skipped: names only, never a value; empty when none. */
export function skippedNamesWarnings(skipped: { never: readonly string[]; notOptedIn: readonly string[] }): string[] {
  const out: string[] = [];
  if (skipped.never.length > 0) {
    out.push(
      `Not injected: ${skipped.never.join(', ')}. These variables control how a process runs (its loader, interpreter, shell, tools, ` +
        `proxy or the vault connection), so a secret with such a name is never set in a run's environment, even when opted into; rename the secret to use it.`,
    );
  }
  if (skipped.notOptedIn.length > 0) {
    out.push(
      `Not injected: ${skipped.notOptedIn.join(', ')}. Runs inject only names that look like credentials (ending in _KEY, _TOKEN, _SECRET, _PASSWORD…); ` +
        `to inject one of these, ${OPT_IN_HOW}.`,
    );
  }
  return out;
}

/** The agent's values split into those a run injects and the names it skips, by the verdict of each (injectionVerdict). */
export function injectableValues(
  values: Readonly<Record<string, string>>,
  optIn: readonly string[] = [],
): { inject: Record<string, string>; skipped: { never: string[]; notOptedIn: string[] } } {
  const opted = new Set(optIn);
  const inject: Record<string, string> = {};
  const never: string[] = [];
  const notOptedIn: string[] = [];
  for (const [name, value] of Object.entries(values)) {
    const verdict = injectionVerdict(name, opted);
    if (verdict === 'inject') inject[name] = value;
    else (verdict === 'never' ? never : notOptedIn).push(name);
  }
  return { inject, skipped: { never: never.sort(), notOptedIn: notOptedIn.sort() } };
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
