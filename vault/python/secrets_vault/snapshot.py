"""Offline ``get_secret`` from a ``secrets-vault snapshot`` file: access and kinds, never a value.

The snapshot holds each secret's name, kind, keys and access list (protocol/check.ts,
``SnapshotFile``). ``SnapshotSecrets(...).get_secret`` fails exactly where the agent would fail
in production (``MissingAccess``, with the vault's message, for a missing and an ungranted name
alike) and otherwise returns placeholders: a ``str`` for a single-value secret, a ``dict`` with
the secret's real keys for a key/value one, so that a wrong key raises ``KeyError``.
"""

import json
import os

from . import ConfigurationError, MissingAccess, check_name, safe_text

SNAPSHOT_FILE_VERSION = 1


def placeholder(name, key=None):
    """A value no real key looks like, naming what it stands for."""
    return "<placeholder:%s>" % name if key is None else "<placeholder:%s.%s>" % (name, key)


def _problem(doc):
    if not isinstance(doc, dict):
        return "it is not a JSON object"
    if doc.get("version") != SNAPSHOT_FILE_VERSION:
        return "unsupported version %s (expected %d)" % (json.dumps(doc.get("version")), SNAPSHOT_FILE_VERSION)
    if "agent" in doc and not isinstance(doc["agent"], str):
        return "'agent' is not a string"
    secrets = doc.get("secrets")
    if not isinstance(secrets, list):
        return "'secrets' is not an array"
    for i, s in enumerate(secrets):
        ok = (
            isinstance(s, dict)
            and isinstance(s.get("name"), str)
            and s.get("kind") in ("single", "kv")
            and isinstance(s.get("keys"), list)
            and all(isinstance(k, str) for k in s["keys"])
            and isinstance(s.get("agents"), list)
            and all(isinstance(a, str) for a in s["agents"])
        )
        if not ok:
            return "'secrets[%d]' is not a secret's metadata (name, kind, keys, agents)" % i
    agents = doc.get("agents")
    if not isinstance(agents, list) or not all(isinstance(a, dict) and isinstance(a.get("id"), str) for a in agents):
        return "'agents' is not an array of agents (id, name)"
    return None


def find_config_agent(start):
    """The "agent" of the nearest secrets-vault.json at or above ``start``, or None."""
    folder = os.path.abspath(start)
    while True:
        candidate = os.path.join(folder, "secrets-vault.json")
        if os.path.isfile(candidate):
            try:
                with open(candidate, encoding="utf-8") as f:
                    agent = json.load(f).get("agent")
            except (OSError, ValueError, AttributeError):
                return None
            return agent if isinstance(agent, str) and agent else None
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


class SnapshotSecrets:
    def __init__(self, doc, agent):
        self.agent = agent
        self._secrets = {s["name"]: s for s in doc["secrets"]}

    @classmethod
    def load(cls, file, agent=None, config_start=None):
        """Reads and checks FILE; the agent is ``agent``, else the snapshot's, else secrets-vault.json's."""
        try:
            with open(file, encoding="utf-8") as f:
                text = f.read()
        except OSError as e:
            raise ConfigurationError("Cannot read the snapshot file %s (%s)." % (file, e.strerror or e)) from None
        try:
            doc = json.loads(text)
        except ValueError:
            raise ConfigurationError(
                "The snapshot file %s is not valid JSON. Write one with 'secrets-vault snapshot > %s'." % (file, file)
            ) from None
        problem = _problem(doc)
        if problem is not None:
            raise ConfigurationError("The snapshot file %s is not a secrets-vault snapshot: %s." % (file, problem))
        chosen = agent or doc.get("agent") or (find_config_agent(config_start) if config_start else None)
        if not chosen:
            raise ConfigurationError(
                "No agent to read as: pass --secrets-agent ID, write the snapshot with "
                "'secrets-vault snapshot --agent ID', or set \"agent\" in secrets-vault.json."
            )
        known = sorted(a["id"] for a in doc["agents"])
        if chosen not in known:
            raise ConfigurationError(
                "The snapshot %s has no agent '%s' (agents: %s)." % (file, chosen, ", ".join(known) or "none")
            )
        return cls(doc, chosen)

    def get_secret(self, name):
        check_name(name)
        s = self._secrets.get(name)
        if s is None or self.agent not in s["agents"]:
            # The vault's message (vault/src/service/runtime.ts RUNTIME_DENIED), the same for a missing
            # and an ungranted name, and naming neither: a value passed where the name goes is not
            # echoed. The agent comes from a file, so it is escaped.
            raise MissingAccess(safe_text("Agent '%s' may not read that secret: it does not exist or is not granted to this agent." % self.agent))
        if s["kind"] == "single":
            return placeholder(name)
        return {k: placeholder(name, k) for k in s["keys"]}
