"""``python -m secrets_vault call FILE:NAME [--args JSON] [--env ENV] [--state FILE|JSON] [--step STEP]``:
call a platform function locally.

Installs the runtime stand-in (``secrets_vault.adk``: ``from _gen import *``, ``plog`` and
``utils.secret_vault`` resolve to it, whatever the Python), imports FILE (inside an Agent Studio
project as the platform does, with the project root on ``sys.path``), and calls
``NAME(conv, **args)`` (or ``NAME(conv, *args)`` for a JSON list; ``NAME(conv, flow, …)`` for a flow
function or function step; an ``async def`` function is run with ``asyncio.run``) with a ``conv``
backed by the vault in the environment. Then it prints, in order: the platform actions the function
recorded, its return value (as JSON when it can be, else its ``repr``) and the keys of ``conv.state``
it changed. No value read from the vault appears in those lines. Exit codes: 0 the function
returned, 1 it raised (the traceback is printed as Python would), 2 bad usage.
"""

import argparse
import asyncio
import copy
import json
import os
import sys
import traceback

from . import _env_from
from . import adk
from . import project as projects


class _Usage(Exception):
    pass


def _split_target(target):
    file, sep, name = target.rpartition(":")
    if not sep or not file or not name:
        raise _Usage("expected FILE:NAME (for example functions/booking.py:book), not %r" % target)
    if not name.isidentifier():
        raise _Usage("%r is not a Python function name" % name)
    path = os.path.abspath(file)
    if not os.path.isfile(path):
        raise _Usage("no such file: %s" % file)
    return file, path, name


def _load_function(file, path, name, root):
    module = projects.import_file(path, root)
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


def _parse_state(text):
    """--state: a JSON file, or a JSON object written inline."""
    if text is None:
        return {}
    if text.lstrip()[:1] in ("{", "["):
        source = "--state"
        raw = text
    else:
        source = "the state file %s" % text
        try:
            with open(text, encoding="utf-8") as f:
                raw = f.read()
        except OSError as e:
            raise _Usage("cannot read the state file %s (%s)" % (text, e.strerror or e)) from None
    try:
        value = json.loads(raw)
    except ValueError as e:
        raise _Usage("%s is not valid JSON (%s)" % (source, e)) from None
    if not isinstance(value, dict):
        raise _Usage("%s must hold a JSON object (conv.state's keys and values)" % source)
    return value


def _render(result):
    try:
        return json.dumps(result, ensure_ascii=False)
    except (TypeError, ValueError):
        return repr(result)


def _snapshot(state):
    try:
        return copy.deepcopy(dict(state))
    except Exception:  # noqa: BLE001 -- a value that cannot be copied is compared by identity
        return dict(state)


def _state_changes(before, after):
    """Lines for the keys of conv.state the run added, changed or removed."""
    lines = []
    for key in after:
        if key not in before:
            lines.append((key, "added", after[key]))
        else:
            try:
                same = before[key] == after[key]
            except Exception:  # noqa: BLE001
                same = before[key] is after[key]
            if not same:
                lines.append((key, "changed", after[key]))
    for key in before:
        if key not in after:
            lines.append((key, "removed", None))
    return lines


def _report(run, state_before, conv, result, returned):
    if run.events:
        run.emit("Recorded platform actions (not performed locally):")
        for e in run.events:
            run.emit("  " + run.redact(e))
    if returned:
        run.emit(run.redact(_render(run.redact_data(result)) if _is_jsonable(result) else _render(result)))
    changes = _state_changes(state_before, conv.state)
    if changes:
        run.emit("conv.state changed:")
        for key, how, value in changes:
            if how == "removed":
                run.emit(run.redact("  %s: removed" % key))
            else:
                run.emit(run.redact("  %s = %s (%s)" % (key, _render(run.redact_data(value)), how)))


def _is_jsonable(value):
    try:
        json.dumps(value)
        return True
    except (TypeError, ValueError):
        return False


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m secrets_vault", description="The Secrets Vault runtime shim.")
    sub = parser.add_subparsers(dest="command", required=True)
    call = sub.add_parser("call", help="call FILE:NAME(conv, ...) with the agent's secrets and print its return value")
    call.add_argument("target", metavar="FILE:NAME")
    call.add_argument("--args", metavar="JSON", help="a JSON object of keyword arguments, or a JSON list of positional ones")
    call.add_argument("--env", metavar="ENV", help="conv.env: sandbox, pre-release, live or any name (default: SECRETS_VAULT_ENV, else sandbox)")
    call.add_argument("--state", metavar="FILE", help="conv.state's initial keys: a JSON file, or a JSON object")
    call.add_argument("--step", metavar="STEP", help="flow.current_step for a flow function (default: a function step's own name)")
    ns = parser.parse_args(argv)
    adk.install()
    try:
        args, kwargs = _parse_args(ns.args)
        state = _parse_state(ns.state)
        file, path, name = _split_target(ns.target)
        if ns.env is not None and not adk.normalise_env(ns.env):
            raise _Usage("--env is empty: give sandbox, pre-release, live or another environment's name")
    except _Usage as e:
        print("python -m secrets_vault call: %s" % e, file=sys.stderr)
        return 2
    root = projects.find_root(os.path.dirname(path))
    kind, flow_name = projects.function_kind(root, path)
    env = adk.normalise_env(ns.env if ns.env is not None else _env_from())
    info = projects.read_project_yaml(root) if root is not None else {}
    run = adk.Run()
    conv = adk.Conversation(
        env=env,
        state=state,
        run=run,
        project=info,
        real_time_config=projects.read_real_time_config(root, env),
        current_flow=flow_name,
        assistant_id=os.environ.get("SECRETS_VAULT_AGENT") or None,
    )
    conv.functions = adk.FunctionExecutor(projects.function_loader(root, "functions"), lambda: (conv,), "conv.functions")
    adk.set_current(conv)
    if root is not None:
        sys.dont_write_bytecode = True  # no __pycache__ left in a pulled project
    state_before = _snapshot(conv.state)
    try:
        fn = _load_function(file, path, name, root)
    except _Usage as e:
        print("python -m secrets_vault call: %s" % e, file=sys.stderr)
        return 2
    except Exception:  # noqa: BLE001 -- the module's own error at import, shown as Python shows it
        traceback.print_exc()
        return 1
    call_args = [conv]
    if projects.takes_flow(fn, kind):
        step = ns.step if ns.step is not None else (name if kind == "step" else None)
        flow = adk.Flow(current_step=step, conv=conv, name=flow_name, run=run)
        package = "flows.%s.functions" % flow_name if flow_name else "functions"
        flow._functions = adk.FunctionExecutor(projects.function_loader(root, package) if flow_name else None, lambda: (conv, flow), "flow.functions")
        conv.current_step = step
        call_args.append(flow)
        # The runner supplies flow: a "flow" keyword (an arguments box that offers every parameter
        # after conv) is not passed a second time.
        kwargs.pop("flow", None)
    try:
        result = fn(*call_args, *args, **kwargs)
        if asyncio.iscoroutine(result):  # an `async def` function: run it to its result
            result = asyncio.run(result)
    except Exception:  # noqa: BLE001 -- the function's own error, shown as Python shows it
        sys.stdout.flush()
        traceback.print_exc()
        sys.stderr.flush()
        _report(run, state_before, conv, None, False)
        return 1
    _report(run, state_before, conv, result, True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
