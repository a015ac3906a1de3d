"""pytest plugin: a ``conv`` fixture for platform functions. Load it with ``-p secrets_vault.pytest_plugin``.

- ``--secrets-snapshot FILE``: offline. ``conv.utils.get_secret`` enforces the agent's access list
  and the secrets' kinds from a ``secrets-vault snapshot`` file and returns placeholders, so a test
  catches an ungranted read (``MissingAccess``) or a wrong key (``KeyError``) with no value and no
  network. The agent is ``--secrets-agent ID``, else the snapshot's, else secrets-vault.json's.
- Otherwise, with ``SECRETS_VAULT_TOKEN`` set (as under ``secrets-vault run``): the real vault.

``conv`` is the runtime stand-in (``secrets_vault.adk.Conversation``): ``env`` (SECRETS_VAULT_ENV, else
sandbox), ``state``, ``log``, ``real_time_config``, ``project_id`` and ``account_id`` of the nearest
``project.yaml``, and ``conv.recorded`` for the platform actions the code under test recorded. Set
them per test with ``@pytest.mark.conv(env="live", state={...})``, or by overriding the ``conv_env`` and
``conv_state`` fixtures. ``flow`` is a ``Flow`` stand-in on the same record
(``@pytest.mark.conv(step="Confirm", flow="booking")``). The plugin installs the stand-in for
``from _gen import *``, ``plog`` and ``utils.secret_vault`` and puts the project root on ``sys.path``,
so a test imports ``functions.x`` as the platform would.
"""

import os
import sys

import pytest

from . import ConfigurationError, VaultClient
from . import adk
from . import project as projects
from .snapshot import SnapshotSecrets


def pytest_addoption(parser):
    group = parser.getgroup("secrets-vault")
    group.addoption(
        "--secrets-snapshot",
        metavar="FILE",
        default=None,
        help="offline conv fixture: access lists and kinds from this 'secrets-vault snapshot' file, placeholder values",
    )
    group.addoption(
        "--secrets-agent",
        metavar="ID",
        default=None,
        help="the agent the conv fixture reads as with --secrets-snapshot (default: the snapshot's, then secrets-vault.json's)",
    )


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "conv(env=None, state=None, step=None, flow=None): the conv fixture's conv.env, initial conv.state, and the flow fixture's step and flow"
    )
    adk.install()
    root = projects.find_root(str(config.rootpath)) or projects.find_root(str(config.invocation_params.dir))
    if root is not None and root not in sys.path:
        sys.path.insert(0, root)


@pytest.fixture(scope="session")
def secrets_vault_get_secret(pytestconfig):
    """The ``get_secret`` the ``conv`` fixture uses (one per session: the snapshot is read once)."""
    snapshot = pytestconfig.getoption("secrets_snapshot")
    agent = pytestconfig.getoption("secrets_agent")
    if snapshot:
        path = snapshot if os.path.isabs(snapshot) else os.path.join(str(pytestconfig.invocation_params.dir), snapshot)
        return SnapshotSecrets.load(path, agent=agent, config_start=str(pytestconfig.rootpath)).get_secret
    if agent:
        raise ConfigurationError("--secrets-agent applies to --secrets-snapshot only; online, the token decides the agent.")
    if not os.environ.get("SECRETS_VAULT_TOKEN"):
        raise ConfigurationError(
            "The conv fixture needs a vault or a snapshot: run pytest under 'secrets-vault run' "
            "(SECRETS_VAULT_URL and SECRETS_VAULT_TOKEN set), or pass --secrets-snapshot FILE."
        )
    return VaultClient.from_env().get_secret


def _marker(request):
    m = request.node.get_closest_marker("conv")
    return dict(m.kwargs) if m is not None else {}


@pytest.fixture
def conv_env():
    """conv.env for the conv fixture (override or parametrize it): None means SECRETS_VAULT_ENV, else sandbox."""
    return None


@pytest.fixture
def conv_state():
    """conv.state's initial keys for the conv fixture (override or parametrize it)."""
    return {}


@pytest.fixture
def conv(request, secrets_vault_get_secret, conv_env, conv_state):
    """A platform ``conv`` whose ``utils.get_secret`` reads as the agent (see the module's docstring)."""
    marked = _marker(request)
    env = marked.get("env", conv_env)
    state = marked.get("state", conv_state)
    test_path = getattr(request, "path", None) or request.fspath
    root = projects.find_root(os.path.dirname(str(test_path)))
    env = adk.normalise_env(env) if env is not None else None
    conversation = adk.Conversation(
        secrets_vault_get_secret,
        env=env,
        state=dict(state or {}),
        project=projects.read_project_yaml(root) if root is not None else {},
        current_flow=marked.get("flow"),
        current_step=marked.get("step"),
    )
    conversation.real_time_config = adk.RealtimeConfig(projects.read_real_time_config(root, conversation.env))
    conversation.functions = adk.FunctionExecutor(projects.function_loader(root, "functions"), lambda: (conversation,), "conv.functions")
    adk.set_current(conversation)
    yield conversation
    adk.set_current(None)


@pytest.fixture
def flow(request, conv):
    """A platform ``flow`` on the conv fixture's record: ``goto_step`` and ``exit_flow`` appear in ``conv.recorded``."""
    marked = _marker(request)
    test_path = getattr(request, "path", None) or request.fspath
    root = projects.find_root(os.path.dirname(str(test_path)))
    name = marked.get("flow")
    f = adk.Flow(current_step=marked.get("step"), conv=conv, name=name)
    loader = projects.function_loader(root, "flows.%s.functions" % name) if name else None
    f._functions = adk.FunctionExecutor(loader, lambda: (conv, f), "flow.functions")
    return f
