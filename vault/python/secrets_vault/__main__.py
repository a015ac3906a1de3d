"""``python -m secrets_vault call FILE:NAME [--args JSON]``: call a platform function locally.

Imports FILE, calls ``NAME(conv, **args)`` (or ``NAME(conv, *args)`` for a JSON list; an
``async def`` function is run with ``asyncio.run``) with a
``Conv`` backed by the vault in the environment, and prints the return value: as JSON when it
can be, else its ``repr``. Exit codes: 0 the function returned, 1 it raised (the traceback is
printed as Python would), 2 bad usage.
"""

import argparse
import asyncio
import importlib.util
import json
import os
import sys
import traceback

from . import Conv


class _Usage(Exception):
    pass


def _load_function(target):
    file, sep, name = target.rpartition(":")
    if not sep or not file or not name:
        raise _Usage("expected FILE:NAME (for example functions/booking.py:book), not %r" % target)
    if not name.isidentifier():
        raise _Usage("%r is not a Python function name" % name)
    path = os.path.abspath(file)
    if not os.path.isfile(path):
        raise _Usage("no such file: %s" % file)
    module_name = os.path.splitext(os.path.basename(path))[0] or "function_module"
    # The file's own folder first, as `python FILE` would have it, so its sibling imports work.
    sys.path.insert(0, os.path.dirname(path))
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise _Usage("cannot import %s as Python" % file)
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    fn = getattr(module, name, None)
    if fn is None:
        raise _Usage("%s has no function %r" % (file, name))
    if not callable(fn):
        raise _Usage("%s:%s is not callable" % (file, name))
    return fn


def _parse_args(text):
    if text is None:
        return [], {}
    try:
        value = json.loads(text)
    except ValueError as e:
        raise _Usage("--args is not valid JSON (%s)" % e) from None
    if isinstance(value, dict):
        return [], value
    if isinstance(value, list):
        return value, {}
    raise _Usage("--args must be a JSON object (keyword arguments) or a JSON list (positional arguments)")


def _render(result):
    try:
        return json.dumps(result, ensure_ascii=False)
    except (TypeError, ValueError):
        return repr(result)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m secrets_vault", description="The Secrets Vault runtime shim.")
    sub = parser.add_subparsers(dest="command", required=True)
    call = sub.add_parser("call", help="call FILE:NAME(conv, ...) with the agent's secrets and print its return value")
    call.add_argument("target", metavar="FILE:NAME")
    call.add_argument("--args", metavar="JSON", help="a JSON object of keyword arguments, or a JSON list of positional ones")
    ns = parser.parse_args(argv)
    try:
        args, kwargs = _parse_args(ns.args)
        fn = _load_function(ns.target)
    except _Usage as e:
        print("python -m secrets_vault call: %s" % e, file=sys.stderr)
        return 2
    try:
        result = fn(Conv(), *args, **kwargs)
        if asyncio.iscoroutine(result):  # an `async def` function: run it to its result
            result = asyncio.run(result)
    except Exception:  # noqa: BLE001 -- the function's own error, shown as Python shows it
        traceback.print_exc()
        return 1
    print(_render(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
