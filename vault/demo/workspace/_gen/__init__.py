# flake8: noqa
# <AUTO GENERATED>
# Stubs of the objects the platform hands agent functions, so that `from _gen import *` gives the
# editor their names. `poly pull` rewrites this folder; this demo carries a small one of its own,
# plain enough to import on Python 3.9 and later (local runs import it).
from __future__ import annotations

from typing import Any, Callable, Literal, TypeVar

__all__ = [
    "Conversation",
    "Flow",
    "State",
    "Utils",
    "ConversationLogger",
    "SecretNotFound",
    "MissingAccess",
    "InvalidInput",
    "func_description",
    "func_parameter",
]

_F = TypeVar("_F", bound=Callable[..., Any])


class SecretNotFound(Exception):
    """No secret of that name in the account."""

    def __init__(self, secret_name: str) -> None:
        super().__init__(secret_name)
        self.secret_name = secret_name


class MissingAccess(Exception):
    """The secret exists, but this agent is not on its access list."""

    def __init__(self, assistant_id: str, secret_name: str) -> None:
        super().__init__(assistant_id, secret_name)
        self.assistant_id = assistant_id
        self.secret_name = secret_name


class InvalidInput(Exception):
    """The secret name is not one the platform accepts."""

    def __init__(self, assistant_id: str, secret_name: str) -> None:
        super().__init__(assistant_id, secret_name)
        self.assistant_id = assistant_id
        self.secret_name = secret_name


class State:
    """Values kept for the length of the conversation, read and set as attributes."""

    def __getattr__(self, name: str) -> Any: ...


class Utils:
    def get_secret(self, secret_name: str) -> str | dict[str, str]: ...


class ConversationLogger:
    def info(self, message: str, is_pii: bool = False, **fields: Any) -> None: ...
    def warning(self, message: str, is_pii: bool = False, **fields: Any) -> None: ...
    def error(self, message: str, is_pii: bool = False, **fields: Any) -> None: ...


class Conversation:
    env: Literal["sandbox", "pre-release", "live"]
    state: State
    utils: Utils
    log: ConversationLogger

    def goto_flow(self, flow_name: str) -> None: ...
    def exit_flow(self) -> None: ...


class Flow:
    def goto_step(self, step_name: str) -> None: ...


def func_description(description: str) -> Callable[[_F], _F]:
    """The function's description for the model."""
    return lambda fn: fn


def func_parameter(name: str, description: str) -> Callable[[_F], _F]:
    """A parameter's description for the model."""
    return lambda fn: fn
