// Variable names of the injection rule's tests (protocol/processEnv.ts): those the third review
// found injected (issue 50, point 2), and a sample of every family the rule never injects.

/** The names the review found injected: each runs code, loads code or redirects a client. */
export const REVIEW_NAMES = [
  'PS0', 'MAILPATH', 'LESSOPEN', 'RUSTC_WRAPPER', 'VIMINIT', 'EXINIT', 'MANPAGER', 'CC', 'CXX', 'LDFLAGS', 'GOFLAGS', 'MAVEN_OPTS', 'GRADLE_OPTS',
  'DOTNET_STARTUP_HOOKS', 'CORECLR_ENABLE_PROFILING', 'CORECLR_PROFILER_PATH', 'PHPRC', 'LUA_INIT', 'SSLKEYLOGFILE', 'DOCKER_HOST', 'KUBECONFIG',
];

/** More of the families the rule covers: loaders, interpreters, shells, tools, clients (a sample of each). */
export const CONTROL_NAMES = [
  'LD_PRELOAD', 'LD_AUDIT', 'DYLD_INSERT_LIBRARIES', 'PATH', 'PYTHONPATH', 'PYTHONSTARTUP', 'NODE_OPTIONS', 'BASH_ENV', 'ENV', 'PS1', 'PS2', 'PS3', 'PS4',
  'PROMPT_COMMAND', 'LESSCLOSE', 'PAGER', 'EDITOR', 'VISUAL', 'CFLAGS', 'JAVA_TOOL_OPTIONS', '_JAVA_OPTIONS', 'COMPlus_EnableDiagnostics',
  'LUA_INIT_5_4', 'PERL5OPT', 'RUBYOPT', 'GIT_SSH_COMMAND', 'GIT_ASKPASS', 'HTTPS_PROXY', 'http_proxy', 'SECRETS_VAULT_URL', 'CARGO_BUILD_RUSTC_WRAPPER',
  'PKG_CONFIG_PATH', 'LD_LIBRARY_PATH', 'GCONV_PATH', 'GLIBC_TUNABLES', 'OPENSSL_CONF', 'NODE_EXTRA_CA_CERTS', 'SSL_CERT_FILE', 'REQUESTS_CA_BUNDLE',
  'MAKEFLAGS', 'RUSTFLAGS', 'GOPROXY', 'NPM_CONFIG_PREFIX', 'PIP_INDEX_URL', 'VSCODE_IPC_HOOK', 'XDG_CONFIG_HOME', 'DOCKER_CONFIG', 'AWS_CONFIG_FILE',
  'MALLOC_CONF', 'SSH_ASKPASS', 'HISTFILE', 'ZDOTDIR', 'FPATH', 'TERMINFO', 'ELECTRON_RUN_AS_NODE', 'BASH_FUNC_ls%%',
];
