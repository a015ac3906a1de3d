"""pytest plugin: a ``conv`` fixture for platform functions. Load it with ``-p secrets_vault.pytest_plugin``.

- ``--secrets-snapshot FILE``: offline. ``conv.utils.get_secret`` enforces the agent's access list
  and the secrets' kinds from a ``secrets-vault snapshot`` file and returns placeholders, so a test
  catches an ungranted read (``MissingAccess``) or a wrong key (``KeyError``) with no value and no
  network. The agent is ``--secrets-agent ID``, else the snapshot's, else secrets-vault.json's.
- Otherwise, with ``SECRETS_VAULT_TOKEN`` set (as under ``secrets-vault run``): the real vault.
"""

import os

import pytest

from . import ConfigurationError, Conv, VaultClient
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


@pytest.fixture
def conv(secrets_vault_get_secret):
    """A platform ``conv`` whose ``utils.get_secret`` reads as the agent (see the module's docstring)."""
    return Conv(secrets_vault_get_secret)
