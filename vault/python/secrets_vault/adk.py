"""The local stand-in for Agent Studio's function runtime: what ``from _gen import *`` gives a function
that the shim runs (``python -m secrets_vault call``, the pytest plugin, the editor's Run and Debug).

The project's own ``_gen/`` (the ADK's type stubs, which import only on Python 3.14) is never read,
edited or imported: ``install()`` puts a meta-path finder first that answers ``_gen`` (and any
``_gen.<module>``), ``plog``, ``utils.secret_vault`` and the older
``agent_v3.deployment_service.agents.functions.builtin`` with modules built here. Names and
signatures follow the stubs; what has no local meaning (``conv.say``, ``flow.goto_step``, SMS,
handoffs, transfers…) is recorded as an event (``conv.say('Hello')``) and printed after the run
instead of failing. Standard library only; Python 3.9 and later.
"""

import importlib.abc
import importlib.machinery
import importlib.util
import json
import re
import sys
import types

from . import (
    Conv,
    SecretsVaultError,
    _env_from,
    get_secret as _vault_get_secret,
    safe_text,
)
from . import MissingAccess as _VaultMissingAccess
from . import SecretExpired as _VaultSecretExpired
from . import SecretNotFound as _VaultSecretNotFound

# Values shorter than this are not redacted from the runner's lines: they are not credentials, and
# replacing every "us" or "1" would garble the output.
MIN_REDACTED_LENGTH = 4


def normalise_env(env):
    """``conv.env`` as the platform spells it: ``pre_release`` is ``pre-release``; anything else as given."""
    value = (env or "").strip()
    return "pre-release" if value == "pre_release" else value


class Run:
    """One run's record: the platform actions recorded, and the values read (for redaction only)."""

    def __init__(self, out=None):
        self.events = []
        self._values = {}
        self._out = out

    def record(self, text):
        self.events.append(text)

    def record_call(self, prefix, args, kwargs):
        """Records ``prefix(args…)``, the arguments' values read in this run replaced before ``repr``
        (so that an escaped form of a value cannot slip past)."""
        self.record(_call_text(prefix, self.redact_data(list(args)), {k: self.redact_data(v) for k, v in kwargs.items()}))

    def remember(self, name, value):
        if isinstance(value, str):
            if len(value) >= MIN_REDACTED_LENGTH:
                self._values[value] = "[secret %s]" % safe_text(repr(name))
        elif isinstance(value, dict):
            for k, v in value.items():
                if isinstance(v, str) and len(v) >= MIN_REDACTED_LENGTH:
                    self._values[v] = "[secret %s key %s]" % (safe_text(repr(name)), safe_text(repr(k)))

    def redact(self, text):
        """``text`` with every value read in this run replaced by the name it was read under."""
        text = str(text)
        for value in sorted(self._values, key=len, reverse=True):
            if value in text:
                text = text.replace(value, self._values[value])
        return safe_text(text)

    def redact_data(self, data, _depth=0):
        """A copy of ``data`` (JSON-like) with the values read replaced in its strings."""
        if _depth > 50:
            return data
        if isinstance(data, str):
            for value in sorted(self._values, key=len, reverse=True):
                if value in data:
                    data = data.replace(value, self._values[value])
            return data
        if isinstance(data, dict):
            return {self.redact_data(k, _depth + 1) if isinstance(k, str) else k: self.redact_data(v, _depth + 1) for k, v in data.items()}
        if isinstance(data, tuple):
            return tuple(self.redact_data(v, _depth + 1) for v in data)
        if isinstance(data, list):
            return [self.redact_data(v, _depth + 1) for v in data]
        return data

    def emit(self, line):
        out = self._out or sys.stdout
        out.write(line + "\n")
        out.flush()


def _call_text(prefix, args, kwargs):
    parts = [repr(a) for a in args] + ["%s=%r" % (k, v) for k, v in kwargs.items()]
    return "%s(%s)" % (prefix, ", ".join(parts))


class _Recorded:
    """Anything without a local meaning: attribute access goes deeper, a call is recorded."""

    def __init__(self, run, path):
        self._run = run
        self._path = path

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return _Recorded(self._run, "%s.%s" % (self._path, name))

    def __call__(self, *args, **kwargs):
        self._run.record_call(self._path, args, kwargs)
        return None

    def __repr__(self):
        return "<recorded %s>" % self._path


# ---- errors, with the platform's constructor arguments --------------------------------------------


class SecretNotFound(_VaultSecretNotFound):
    """The platform's ``SecretNotFound(secret_name)`` (also the shim's, so either ``except`` catches it)."""

    def __init__(self, secret_name, message=None):
        super().__init__(secret_name)
        self.secret_name = secret_name
        self._message = message

    def __str__(self):
        return self._message or "Secret %s was not found." % safe_text(repr(self.secret_name))


class MissingAccess(_VaultMissingAccess, SecretNotFound):
    """The platform's ``MissingAccess(assistant_id, secret_name)``: the agent may not read the secret."""

    def __init__(self, assistant_id, secret_name, message=None):
        Exception.__init__(self, assistant_id, secret_name)
        self.assistant_id = assistant_id
        self.secret_name = secret_name
        self._message = message

    def __str__(self):
        return self._message or "Agent %s may not read secret %s." % (safe_text(repr(self.assistant_id)), safe_text(repr(self.secret_name)))


class InvalidInput(SecretsVaultError):
    """The platform's ``InvalidInput(assistant_id, secret_name)``."""

    def __init__(self, assistant_id, secret_name, message=None):
        super().__init__(assistant_id, secret_name)
        self.assistant_id = assistant_id
        self.secret_name = secret_name
        self._message = message

    def __str__(self):
        return self._message or "Invalid input for agent %s." % safe_text(repr(self.assistant_id))


class NotAvailableLocally(SecretsVaultError, NotImplementedError):
    """A platform helper that needs Agent Studio (an LLM, the platform's extractors) was called locally."""


# ---- conv and flow --------------------------------------------------------------------------------


class State(dict):
    """``conv.state``: a ``dict`` with attribute access (a missing key reads as None), as the platform's."""

    def __getattr__(self, key):
        if key.startswith("__"):
            raise AttributeError(key)
        return self.get(key)

    def __setattr__(self, key, value):
        self[key] = value

    def __delattr__(self, key):
        try:
            del self[key]
        except KeyError:
            raise AttributeError(key) from None


class ReadOnlyDict(dict):
    """A dict that refuses changes (``conv.real_time_config``), as the platform's."""

    def __readonly__(self, *args, **kwargs):
        raise TypeError("%s is read-only" % type(self).__name__)

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = __readonly__


class RealtimeConfig(ReadOnlyDict):
    def __init__(self, *args, **kwargs):
        dict.__init__(self, *args, **kwargs)


class ConversationLogger:
    """``conv.log``: each line printed at once, with its level and keyword fields."""

    def __init__(self, run=None, prefix="conv.log"):
        self._run = run or Run()
        self._prefix = prefix

    def _line(self, level, content, is_pii, kwargs):
        fields = ""
        if kwargs:
            fields = " " + " ".join("%s=%s" % (k, _json_or_repr(self._run.redact_data(v))) for k, v in kwargs.items())
        pii = " (pii)" if is_pii else ""
        self._run.emit(self._run.redact("[%s %s]%s %s%s" % (self._prefix, level, pii, content, fields)))

    def info(self, content, is_pii=False, **kwargs):
        self._line("INFO", content, is_pii, kwargs)

    def warning(self, content, is_pii=False, **kwargs):
        self._line("WARNING", content, is_pii, kwargs)

    def error(self, content, is_pii=False, **kwargs):
        self._line("ERROR", content, is_pii, kwargs)


def _json_or_repr(v):
    try:
        return json.dumps(v, ensure_ascii=False)
    except (TypeError, ValueError):
        return repr(v)


_AGENT_IN_MESSAGE = re.compile(r"^Agent '(.+?)' may not read ")


class Utils:
    """``conv.utils``: ``get_secret`` through the vault as the agent; the helpers that need the platform say so."""

    def __init__(self, get_secret_fn=None, run=None, assistant_id=None):
        self._get = get_secret_fn if get_secret_fn is not None else _vault_get_secret
        self._run = run or Run()
        self._assistant_id = assistant_id

    def get_secret(self, secret_name):
        try:
            value = self._get(secret_name)
        except (MissingAccess, SecretNotFound, InvalidInput):
            raise
        except _VaultMissingAccess as e:
            message = str(e)
            m = _AGENT_IN_MESSAGE.match(message)
            agent = self._assistant_id or (m.group(1) if m else None)
            err = MissingAccess(agent, secret_name, message)
            err.expired = isinstance(e, _VaultSecretExpired)
            raise err from None
        except _VaultSecretNotFound as e:
            # A name no secret can have: the message says why without repeating it.
            raise SecretNotFound(secret_name, str(e)) from None
        self._run.remember(secret_name, value)
        return value

    def _unavailable(self, name):
        raise NotAvailableLocally(
            "conv.utils.%s() is not available locally: it needs Agent Studio. Stub it in a test, or "
            "run the function with 'poly chat' after pushing." % name
        )

    def extract_address(self, *args, **kwargs):
        self._unavailable("extract_address")

    def extract_city(self, *args, **kwargs):
        self._unavailable("extract_city")

    def prompt_llm(self, *args, **kwargs):
        self._unavailable("prompt_llm")

    def validate_entity(self, *args, **kwargs):
        self._unavailable("validate_entity")


class FunctionExecutor:
    """``conv.functions.NAME(…)`` and ``flow.functions.NAME(…)``: another function of the project, called locally."""

    def __init__(self, load, bind, what):
        self._load = load
        self._bind = bind
        self._what = what

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        if self._load is None:
            raise NotAvailableLocally("%s.%s: no project around this run to find it in" % (self._what, name))
        fn = self._load(name)

        def call(*args, **kwargs):
            return fn(*self._bind(), *args, **kwargs)

        return call

    def __getitem__(self, name):
        return self.__getattr__(name)


class Conversation(Conv):
    """The ``conv`` a function receives, run locally.

    ``env`` (SECRETS_VAULT_ENV, else sandbox), ``state`` (attribute and item access), ``log``,
    ``real_time_config``, ``account_id`` and ``project_id`` (from project.yaml) and
    ``utils.get_secret`` (the vault, as the agent) work; every method with no local meaning is
    recorded (``conv.say('…')``) and returns None.
    """

    def __init__(self, get_secret_fn=None, env=None, state=None, run=None, project=None, real_time_config=None,
                 current_flow=None, current_step=None, functions=None, assistant_id=None, **_ignored):
        run = run or Run()
        project = project or {}
        object.__setattr__(self, "_run", run)
        self.env = normalise_env(env) if env is not None else normalise_env(_env_from())
        self.utils = Utils(get_secret_fn, run, assistant_id)
        self.state = state if isinstance(state, State) else State(state or {})
        self.log = ConversationLogger(run)
        self.account_id = project.get("account_id")
        self.project_id = project.get("project_id")
        self.real_time_config = RealtimeConfig(real_time_config or {})
        self.current_flow = current_flow
        self.current_step = current_step
        self.functions = functions or FunctionExecutor(None, lambda: (self,), "conv.functions")
        self.id = "local-conversation"
        self.sip_headers = {}
        self.integration_attributes = None
        self.caller_number = None
        self.callee_number = None
        self.entities = {}
        self.sms_queue = []
        self.metrics_queue = []
        self.variant_name = None
        self.variants = {}
        self.variant = None
        self.sms_templates = {}
        self.voice_change = None
        self.language = None
        self.history = []
        self.handoffs = {}
        self.transcript_alternatives = []
        self.generic_external_events = []
        self.channel_type = "VOICE"
        self.attachments = []
        self.response_suggestions = []
        self.metric_events = []
        self.provider_voice_id = None

    @property
    def recorded(self):
        """The platform actions recorded so far, as printed (``conv.say('Hello')``)."""
        return list(self._run.events)

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return _Recorded(self._run, "conv.%s" % name)

    def __repr__(self):
        return "<secrets_vault.adk.Conversation env=%r>" % self.env


class Flow:
    """The ``flow`` a flow function or function step receives: ``current_step``, and recorded transitions."""

    def __init__(self, current_step=None, step_transition=None, conv=None, function_dir=None, name=None, run=None, functions=None):
        self._run = run or (getattr(conv, "_run", None) if conv is not None else None) or Run()
        self._current_step = current_step
        self.name = name
        self._functions = functions or FunctionExecutor(None, lambda: (conv, self), "flow.functions")

    @property
    def current_step(self):
        return self._current_step

    @property
    def functions(self):
        return self._functions

    def goto_step(self, step_name, label=None):
        self._run.record_call("flow.goto_step", (step_name,) + ((label,) if label is not None else ()), {})

    def exit_flow(self, *args, **kwargs):
        self._run.record_call("flow.exit_flow", args, kwargs)

    def goto_flow(self, *args, **kwargs):
        self._run.record_call("flow.goto_flow", args, kwargs)

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return _Recorded(self._run, "flow.%s" % name)

    def __repr__(self):
        return "<secrets_vault.adk.Flow %r step=%r>" % (self.name, self._current_step)


# ---- decorators -----------------------------------------------------------------------------------


def _decorator_factory(*_args, **_kwargs):
    def keep(fn):
        return fn

    return keep


def func_description(description):
    """No-op locally: the description is for the model in Agent Studio."""
    return _decorator_factory()


def func_parameter(name, description=None, *args, **kwargs):
    """No-op locally: parameter descriptions are for the model in Agent Studio."""
    return _decorator_factory()


def func_latency_control(*args, **kwargs):
    """No-op locally: delay messages are spoken by Agent Studio."""
    return _decorator_factory()


# ---- the stand-in modules -------------------------------------------------------------------------


class _Anything:
    """A stub type with no local meaning: takes any arguments and keeps them as attributes."""

    def __init__(self, *args, **kwargs):
        self.args = args
        for k, v in kwargs.items():
            setattr(self, k, v)


class _PlatformError(Exception):
    pass


_PLAIN_TYPES = (
    "Destination AgenticDialConfig AgenticDialData MessageToParent MessageToChild Destinations AgenticDial Attachment "
    "TTSVoice CustomVoice ElevenLabsVoice RimeVoice EmotionKind EmotionIntensity Emotion CartesiaVoice PlayHTVoice "
    "MinimaxVoice HumeVoice GoogleVoice VoiceWeighting FlowTransition HandoffConfig Handoff ApiIntegrationData "
    "ASRBiasing TranslationReplacementProxy MetricEvent ApiExecutor EmotionKindValue EmotionIntensityValue VoiceType "
    "SupportedLanguageCodes OutgoingEmail EntityValidationResult Event GenericExternalEvent SMSReceived ExternalEvents "
    "Transition StepTransition UserInput AgentResponse OpenTable Tripleseat Integration Integrations Memory "
    "SMSCredentials SMSTemplate OutgoingSMSTemplate OutgoingSMS SMSSentEvent SMSClient TwilioSMSClient TelnyxSMSClient "
    "SMSObj Address EntityType NumericType BaseRangeConfig NonNegativeMaxRangeConfig NumericConfig QuantityConfig "
    "CurrencyConfig NameConfig FreeTextConfig AlphanumericConfig DateConfig EmailConfig TimeConfig PhoneNumberConfig "
    "EnumConfig EntityConfig ChatCallAction WebchatInterface"
).split()
_ERROR_TYPES = "SMSIntegrationNotFound SMSMissingAssistantAccess MissingTemplate MissingHandoff SMSClientFailure ExtractionError".split()


def _gen_names():
    names = {}
    for n in _PLAIN_TYPES:
        names[n] = type(n, (_Anything,), {"__module__": "_gen"})
    for n in _ERROR_TYPES:
        names[n] = type(n, (_PlatformError,), {"__module__": "_gen"})
    names.update(
        Conversation=Conversation,
        Flow=Flow,
        State=State,
        ReadOnlyDict=ReadOnlyDict,
        RealtimeConfig=RealtimeConfig,
        Variant=type("Variant", (dict,), {"__module__": "_gen"}),
        Entities=type("Entities", (dict,), {"__module__": "_gen"}),
        FunctionExecutor=FunctionExecutor,
        FlowFunctionExecutor=FunctionExecutor,
        ConversationLogger=ConversationLogger,
        Utils=Utils,
        SecretNotFound=SecretNotFound,
        MissingAccess=MissingAccess,
        InvalidInput=InvalidInput,
        func_description=func_description,
        func_parameter=func_parameter,
        func_latency_control=func_latency_control,
    )
    return names


GEN_NAMES = _gen_names()


def _current_get_secret():
    """``secret_vault(name)`` outside a conv: the read of the conv being run, else the vault's."""
    conv = _CURRENT.get("conv")
    return conv.utils.get_secret if conv is not None else Utils().get_secret


def secret_vault(name):
    """The platform's ``secret_vault(name)``: ``conv.utils.get_secret`` of the function being run."""
    return _current_get_secret()(name)


#: The conv of the run in progress (set by the caller), for ``secret_vault`` and ``plog``.
_CURRENT = {}


def set_current(conv):
    _CURRENT["conv"] = conv


def _plog_module(name):
    m = types.ModuleType(name, "The platform logger, printed locally.")

    def make(level):
        def log(message="", *args, **kwargs):
            conv = _CURRENT.get("conv")
            run = conv._run if conv is not None else Run()
            text = str(message) % args if args else str(message)
            fields = " " + " ".join("%s=%s" % (k, _json_or_repr(run.redact_data(v)) if not isinstance(v, BaseException) else repr(v)) for k, v in kwargs.items()) if kwargs else ""
            run.emit(run.redact("[plog %s] %s%s" % (level, text, fields)))

        return log

    for level in ("debug", "info", "warning", "error", "critical", "exception"):
        setattr(m, level, make(level.upper()))
    m.warn = m.warning
    return m


def _standin_module(fullname):
    if fullname == "_gen" or fullname.startswith("_gen."):
        m = types.ModuleType(fullname, "Secrets Vault's local stand-in for the ADK's generated stubs.")
        m.__dict__.update(GEN_NAMES)
        m.__all__ = sorted(GEN_NAMES)
        return m
    if fullname == "plog":
        return _plog_module(fullname)
    m = types.ModuleType(fullname, "Secrets Vault's local stand-in for a platform module.")
    if fullname in _SECRET_VAULT_MODULES:
        m.secret_vault = secret_vault
        m.SecretNotFound = SecretNotFound
        m.MissingAccess = MissingAccess
        m.InvalidInput = InvalidInput
    return m


_SECRET_VAULT_MODULES = ("utils.secret_vault", "agent_v3.deployment_service.agents.functions.builtin")
_PACKAGES = {"_gen", "utils", "agent_v3", "agent_v3.deployment_service", "agent_v3.deployment_service.agents",
             "agent_v3.deployment_service.agents.functions"}


class StandInFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Answers the platform's modules with the stand-ins, before any project folder is searched."""

    def find_spec(self, fullname, path=None, target=None):
        top = fullname.split(".", 1)[0]
        if top == "_gen" or fullname == "plog" or fullname in _SECRET_VAULT_MODULES:
            return importlib.util.spec_from_loader(fullname, self, is_package=fullname in _PACKAGES or top == "_gen")
        if top == "agent_v3" and any(s.startswith(fullname + ".") for s in _SECRET_VAULT_MODULES):
            return importlib.util.spec_from_loader(fullname, self, is_package=True)
        if fullname == "utils" and importlib.machinery.PathFinder.find_spec("utils") is None:
            # No package of the project's own called utils: a stand-in that holds secret_vault.
            return importlib.util.spec_from_loader(fullname, self, is_package=True)
        return None

    def create_module(self, spec):
        m = _standin_module(spec.name)
        if spec.submodule_search_locations is not None:
            m.__path__ = []
        return m

    def exec_module(self, module):
        pass


_FINDER = StandInFinder()


def install():
    """Puts the stand-in finder first on ``sys.meta_path`` (once) and forgets any ``_gen`` imported before."""
    if _FINDER not in sys.meta_path:
        sys.meta_path.insert(0, _FINDER)
    for name in list(sys.modules):
        if name == "_gen" or name.startswith("_gen."):
            if not isinstance(getattr(sys.modules[name], "__loader__", None), StandInFinder):
                del sys.modules[name]
