"""The Secrets Vault runtime shim: ``conv.utils.get_secret`` on a developer's machine.

Standard library only, so that it runs in any Python 3.8+ without installing anything:
``from secrets_vault import get_secret, Conv, SecretNotFound, MissingAccess``.

``get_secret(name)`` reads ``GET {SECRETS_VAULT_URL}/v1/runtime/secrets/{name}`` (the name
percent-encoded as one path segment: any printable name, ``/`` and ``..`` included) with the agent
token in ``SECRETS_VAULT_TOKEN`` and returns what the platform returns: a ``str`` for a
single-value secret, a ``dict`` for a key/value one. The vault answers a missing secret and an
ungranted one with the same 403 (so that an agent cannot probe which names exist); the shim
raises ``MissingAccess`` for both, with the vault's message. ``MissingAccess`` is a subclass of
``SecretNotFound``, so code written against either of the platform's errors catches it. A granted
secret past its expiry is refused with code ``secret_expired``: the shim raises ``SecretExpired``, a
``MissingAccess`` (the platform would not return it either), so that the reason is plain.

No message raised here ever contains the token.

Proxies: ``http://`` vault URLs never go through a proxy, whatever ``HTTP_PROXY``, ``http_proxy`` or
``ALL_PROXY`` say (a proxy would see the token and the value in plain text). An ``https://`` URL goes
through the ``HTTPS_PROXY`` of the environment only with ``SECRETS_VAULT_USE_PROXY=1``: CONNECT keeps
TLS end to end, so the proxy sees the host name, never the token. A URL with user info
(``http://user:pass@host/``) is refused before any request or name lookup.
"""

import json
import os
import re
import ssl
import unicodedata
import urllib.error
import urllib.parse
import urllib.request

__all__ = [
    "get_secret",
    "Conv",
    "VaultClient",
    "SecretsVaultError",
    "SecretNotFound",
    "MissingAccess",
    "SecretExpired",
    "TokenRejected",
    "RateLimited",
    "VaultUnavailable",
    "ConfigurationError",
]

DEFAULT_TIMEOUT_SECONDS = 10.0


class SecretsVaultError(Exception):
    """Every error the shim raises."""


class SecretNotFound(SecretsVaultError, LookupError):
    """The platform's error for a secret the agent cannot find."""


class MissingAccess(SecretNotFound):
    """The platform's error for a secret the agent may not read.

    Raised for a missing secret too: the vault does not say which of the two it is.
    """


class SecretExpired(MissingAccess):
    """403 ``secret_expired``: the agent may read the secret, but it is past its expiry date.

    An admin renews it (a new value and a new expiry) in the vault.
    """


class TokenRejected(SecretsVaultError):
    """401: the token is unknown, expired or revoked."""


class RateLimited(SecretsVaultError):
    """429: too many reads; ``retry_after`` is the vault's Retry-After in seconds (or None)."""

    def __init__(self, message, retry_after=None):
        super().__init__(message)
        self.retry_after = retry_after


class VaultUnavailable(SecretsVaultError):
    """The vault could not be reached or failed to answer."""


class ConfigurationError(SecretsVaultError):
    """The environment does not say where the vault is or which token to use."""


# protocol/names.ts: a name some account may hold is 1 to 128 code points of printable
# text: no control (Cc), format (Cf: zero-width, bidirectional controls, tags), surrogate (Cs) or
# private-use (Co) character, no line or paragraph separator (Zl, Zp), no non-character U+FDD0-U+FDEF,
# U+FFFE, U+FFFF, and no space (Zs) at either end. Python's re has no \p{..}: unicodedata says the
# category. No secret can have another name, so such a read fails here, the same way online and
# offline, without a request.
MAX_NAME_LENGTH = 128
_NOT_IN_NAME = frozenset(("Cc", "Cf", "Cs", "Co", "Zl", "Zp"))
# Characters that show as nothing, as protocol/safeText.ts INVISIBLE_SET lists them (one set for the
# vault, the editor and this shim): fillers, variation selectors, the braille blank, whole blocks.
_INVISIBLE = frozenset((
    0x00AD, 0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, *range(0x180B, 0x1810), *range(0x200B, 0x2010), *range(0x2060, 0x2070),
    0x2800, 0x3164, *range(0xFE00, 0xFE10), 0xFEFF, 0xFFA0, *range(0xFFF0, 0xFFFC), *range(0x1BCA0, 0x1BCA4), *range(0x1D173, 0x1D17B),
    *range(0xE0000, 0xE1000),
))


def _name_problem(name):
    """Why ``name`` is no secret's name (a phrase naming no character of it), or None."""
    if not name:
        return "it is empty"
    if len(name) > MAX_NAME_LENGTH:
        return "it has more than %d characters" % MAX_NAME_LENGTH
    for c in name:
        o = ord(c)
        if unicodedata.category(c) in _NOT_IN_NAME or 0xFDD0 <= o <= 0xFDEF or o in (0xFFFE, 0xFFFF) or o in _INVISIBLE:
            return "it holds a control, invisible, separator or bidirectional-control character (U+%04X)" % o
    if unicodedata.category(name[0]) == "Zs" or unicodedata.category(name[-1]) == "Zs":
        return "it starts or ends with a space"
    return None


def check_name(name):
    """Raises for a name no secret can have: TypeError for a non-str, SecretNotFound otherwise."""
    if not isinstance(name, str):
        raise TypeError("get_secret() takes the secret's name as a str, not %s" % type(name).__name__)
    problem = _name_problem(name)
    if problem is not None:
        # The name is not repeated: a value passed by mistake as a name must not reach a message.
        raise SecretNotFound(
            "get_secret() was given a name no secret can have (%d characters): %s. A name is 1 to %d "
            "characters of printable text (letters of any case or script, digits, spaces, punctuation), "
            "with no space at either end." % (len(name), problem, MAX_NAME_LENGTH)
        )


def safe_text(text):
    """``text`` with every character a terminal could act on or that shows as nothing escaped, as repr
    escapes it (``\\x1b``, ``\\u202e``, ``\\n``); printable text, backslashes included, stays as it is."""
    return "".join(c if c.isprintable() or c == " " else repr(c)[1:-1] for c in str(text))


def path_segment(name):
    """One URL path segment: every byte but letters, digits and ``_.-~`` percent-encoded (UTF-8), and
    a name that is only dots encoded too, so that no resolver takes it for a step up the path."""
    quoted = urllib.parse.quote(name, safe="")
    return quoted.replace(".", "%2E") if quoted.strip(".") == "" else quoted


def _is_loopback(host):
    h = (host or "").lower().strip("[]")
    if h in ("localhost", "::1"):
        return True
    parts = h.split(".")
    return len(parts) == 4 and parts[0] == "127" and all(p.isdigit() and int(p) <= 255 for p in parts)


def _public_url(url):
    """The URL as it may appear in a message: without any user:password part."""
    try:
        u = urllib.parse.urlsplit(url)
    except ValueError:
        return "<an unparsable URL>"
    host = u.hostname or ""
    if ":" in host:
        host = "[" + host + "]"
    try:
        port = u.port
    except ValueError:
        port = None
    netloc = host + (":" + str(port) if port else "")
    return urllib.parse.urlunsplit((u.scheme, netloc, u.path, "", ""))


def _env_https_proxy(env):
    """The environment's HTTPS proxy, only when SECRETS_VAULT_USE_PROXY opts in; else None (direct)."""
    if env.get("SECRETS_VAULT_USE_PROXY") not in ("1", "true", "yes"):
        return None
    return env.get("https_proxy") or env.get("HTTPS_PROXY") or None


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # urllib copies the Authorization header onto a redirect, whatever host it points to: the
    # token must go only to the URL the user configured, so a redirect is an error instead.
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


#: A name SECRETS_VAULT_ENV may give that is sent as the reader's environment (protocol/environments.ts ENVIRONMENT_NAME).
_ENVIRONMENT_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class VaultClient:
    """Reads run-time values with one agent token. ``get_secret`` is the platform's function."""

    def __init__(self, url, token, timeout=DEFAULT_TIMEOUT_SECONDS, allow_insecure_http=False, ssl_context=None, https_proxy=None, environment=None):
        if not isinstance(url, str) or not url:
            raise ConfigurationError("No vault URL: set SECRETS_VAULT_URL (for example http://127.0.0.1:8787).")
        if not isinstance(token, str) or not token:
            raise ConfigurationError(
                "No agent token: set SECRETS_VAULT_TOKEN to an agent token (sva_...), "
                "for example by running under 'secrets-vault run'."
            )
        try:
            parts = urllib.parse.urlsplit(url)
            parts.port  # noqa: B018 -- raises ValueError for a bad port
        except ValueError:
            raise ConfigurationError("SECRETS_VAULT_URL is not a URL: %s" % _public_url(url)) from None
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConfigurationError("SECRETS_VAULT_URL must be an http:// or https:// URL, not %s" % _public_url(url))
        if "@" in parts.netloc:
            # urllib would resolve the host with the user info attached and send it as Basic auth:
            # a password does not belong in a URL that every run's environment carries.
            raise ConfigurationError(
                "SECRETS_VAULT_URL must not carry a user name or password (user:password@): use %s; the agent "
                "token in SECRETS_VAULT_TOKEN is the only credential the shim sends." % _public_url(url)
            )
        if parts.scheme == "http" and not allow_insecure_http and not _is_loopback(parts.hostname):
            raise ConfigurationError(
                "Refusing plain http:// to %s: it is not this machine, so the token and secret values would cross "
                "the network unencrypted. Use https://, or set SECRETS_VAULT_ALLOW_INSECURE_HTTP=1 if the network "
                "is trusted." % parts.hostname
            )
        if parts.scheme != "https":
            https_proxy = None  # never a proxy for plain http: it would read the token
        self._base = url.rstrip("/")
        self._public = _public_url(self._base)
        self._token = token
        self._timeout = timeout
        # build_opener would add urllib's default ProxyHandler, which reads *_proxy from the environment
        # (and the system's settings on macOS and Windows): an empty one means a direct connection.
        handlers = [_NoRedirect(), urllib.request.ProxyHandler(https_proxy and {"https": https_proxy} or {})]
        if parts.scheme == "https":
            # Certificate and host name verification stay on (the default context does both).
            handlers.append(urllib.request.HTTPSHandler(context=ssl_context or ssl.create_default_context()))
        self._opener = urllib.request.build_opener(*handlers)
        # The environment the reader runs in, told to the vault with each read (it keeps it with the
        # secret's last read); only a plain name is sent (the vault keeps sandbox, pre-release, live).
        env_name = (environment or "").strip()
        self._environment = env_name if _ENVIRONMENT_NAME.match(env_name) else None

    @classmethod
    def from_env(cls, environ=None):
        env = os.environ if environ is None else environ
        timeout = DEFAULT_TIMEOUT_SECONDS
        raw = env.get("SECRETS_VAULT_TIMEOUT")
        if raw:
            try:
                timeout = float(raw)
            except ValueError:
                raise ConfigurationError("SECRETS_VAULT_TIMEOUT must be a number of seconds, not %r" % raw) from None
            if not timeout > 0:
                raise ConfigurationError("SECRETS_VAULT_TIMEOUT must be more than 0 seconds")
        return cls(
            env.get("SECRETS_VAULT_URL", ""),
            env.get("SECRETS_VAULT_TOKEN", ""),
            timeout=timeout,
            allow_insecure_http=env.get("SECRETS_VAULT_ALLOW_INSECURE_HTTP") in ("1", "true", "yes"),
            https_proxy=_env_https_proxy(env),
            environment=env.get("SECRETS_VAULT_ENV"),
        )

    def _safe(self, text):
        # Defence in depth: whatever a server or a library puts in a message, the token is cut out,
        # and a name or detail cannot move the cursor, recolour or reorder the terminal's text.
        return safe_text(str(text).replace(self._token, "[token]"))

    def get_secret(self, name):
        check_name(name)
        url = "%s/v1/runtime/secrets/%s" % (self._base, path_segment(name))
        headers = {"Authorization": "Bearer " + self._token, "Accept": "application/json"}
        if self._environment is not None:
            headers["X-Secrets-Vault-Environment"] = self._environment
        req = urllib.request.Request(url, headers=headers, method="GET")
        try:
            with self._opener.open(req, timeout=self._timeout) as res:
                body = res.read()
        except urllib.error.HTTPError as e:
            raise self._http_error(e, name) from None
        except (urllib.error.URLError, OSError) as e:
            reason = getattr(e, "reason", e)
            raise VaultUnavailable(
                self._safe("Cannot reach the vault at %s (%s)." % (self._public, reason))
            ) from None
        try:
            doc = json.loads(body.decode("utf-8"))
            value = doc["value"]
        except (ValueError, KeyError, TypeError):
            raise VaultUnavailable("The vault at %s sent an answer that is not a run-time value." % self._public) from None
        if isinstance(value, str):
            return value
        if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
            return dict(value)
        raise VaultUnavailable("The vault at %s sent an answer that is not a run-time value." % self._public)

    def _http_error(self, e, name):
        status = e.code
        detail = None
        code = None
        try:
            problem = json.loads(e.read().decode("utf-8"))
            if isinstance(problem, dict) and isinstance(problem.get("detail"), str):
                detail = problem["detail"]
            if isinstance(problem, dict) and isinstance(problem.get("code"), str):
                code = problem["code"]
        except (ValueError, OSError):
            pass
        finally:
            e.close()
        if status == 403 and code == "secret_expired":
            return SecretExpired(self._safe(detail or "Secret %r has expired." % name))
        if status == 403:
            # The vault names no secret here (a value passed as the name is not echoed); neither does this.
            return MissingAccess(self._safe(detail or "This agent may not read that secret: it does not exist or is not granted to this agent."))
        if status == 401:
            return TokenRejected(
                "The vault at %s rejected SECRETS_VAULT_TOKEN: it is expired, revoked or not a token of this vault. "
                "Start a new run ('secrets-vault run') or mint a new agent token." % self._public
            )
        if status == 429:
            retry = e.headers.get("Retry-After") if e.headers is not None else None
            seconds = int(retry) if retry is not None and retry.strip().isdigit() else None
            wait = " Retry after %d s." % seconds if seconds is not None else ""
            return RateLimited(self._safe("The vault at %s refused the read: too many reads.%s" % (self._public, wait)), seconds)
        if 300 <= status < 400:
            return VaultUnavailable(
                "The vault at %s answered with a redirect (%d), which the shim does not follow: the token goes only "
                "to the URL in SECRETS_VAULT_URL." % (self._public, status)
            )
        text = detail or getattr(e, "reason", "") or "HTTP %d" % status
        return VaultUnavailable(self._safe("The vault at %s failed to read secret %r: %s (HTTP %d)." % (self._public, name, text, status)))


def get_secret(name):
    """The platform's ``get_secret``: a ``str`` or a ``dict``, read now from the vault in the environment."""
    # The environment is read on each call: cheap, and a test or a run may change it.
    return VaultClient.from_env().get_secret(name)


class _Utils:
    def __init__(self, get):
        self.get_secret = get


#: The environment ``conv.env`` names when SECRETS_VAULT_ENV does not say one.
DEFAULT_ENV = "sandbox"


def _env_from(environ=None):
    env = os.environ if environ is None else environ
    value = (env.get("SECRETS_VAULT_ENV") or "").strip()
    return value or DEFAULT_ENV


class Conv:
    """The ``conv`` object a platform function receives; ``conv.utils.get_secret`` reads a secret.

    ``conv.env`` is the Agent Studio environment the function runs in (``sandbox``, ``pre-release``
    or ``live``): SECRETS_VAULT_ENV (the editor's Run as agent sets it), else ``sandbox``.
    """

    def __init__(self, get_secret_fn=None, env=None):
        self.utils = _Utils(get_secret_fn if get_secret_fn is not None else get_secret)
        self.env = env if env is not None else _env_from()

    def __repr__(self):
        return "<secrets_vault.Conv>"
