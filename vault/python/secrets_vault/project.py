"""An Agent Studio project on disk, as ``poly pull`` leaves it, for a local run: its root (the nearest
``project.yaml``), the few keys of that file, its real-time configuration per environment, which
kind of function a file holds, and importing that file as the package it is on the platform
(``functions.x``, ``flows.<flow>.functions.x``) with the project root on ``sys.path``.

Standard library only (no YAML parser: ``project.yaml``'s top-level scalars are read line by line).
"""

import importlib
import importlib.util
import inspect
import json
import os
import sys

PROJECT_FILE = "project.yaml"
_KEYS = ("project_id", "account_id", "region", "project_name", "account_name")


def find_root(start):
    """The nearest folder at or above ``start`` that holds a ``project.yaml``, or None."""
    folder = os.path.abspath(start)
    if os.path.isfile(folder):
        folder = os.path.dirname(folder)
    while True:
        if os.path.isfile(os.path.join(folder, PROJECT_FILE)):
            return folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def read_project_yaml(root):
    """``project_id``, ``account_id`` and the other top-level scalar keys of ``project.yaml``."""
    result = {}
    try:
        with open(os.path.join(root, PROJECT_FILE), encoding="utf-8") as f:
            lines = f.read().splitlines()
    except (OSError, UnicodeDecodeError):
        return result
    for line in lines:
        if not line or line[0] in " \t#-":
            continue  # nested, a comment, or a list item
        key, sep, value = line.partition(":")
        key = key.strip()
        if not sep or key not in _KEYS:
            continue
        value = value.strip()
        if value[:1] in ("'", '"'):
            quote = value[0]
            end = value.find(quote, 1)
            value = value[1:end] if end > 0 else value[1:]
        else:
            value = value.split(" #", 1)[0].strip()
        if value:
            result[key] = value
    return result


def env_folder(env):
    """The ``real_time_configuration`` folder of an environment: ``pre-release`` is spelled ``pre_release``."""
    return (env or "").replace("-", "_")


def read_real_time_config(root, env):
    """``real_time_configuration/<env>/data.json`` of the project, or {} when there is none."""
    if root is None or not env:
        return {}
    path = os.path.join(root, "real_time_configuration", env_folder(env), "data.json")
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def function_kind(root, path):
    """``('global', None)``, ``('transition', flow)``, ``('step', flow)`` or ``(None, None)`` by the file's place."""
    if root is None:
        return None, None
    rel = os.path.relpath(os.path.abspath(path), root).split(os.sep)
    if len(rel) == 2 and rel[0] == "functions":
        return "global", None
    if len(rel) == 4 and rel[0] == "flows" and rel[2] == "functions":
        return "transition", rel[1]
    if len(rel) == 4 and rel[0] == "flows" and rel[2] == "function_steps":
        return "step", rel[1]
    return None, None


def module_name(root, path):
    """The dotted name the file has on the platform (``flows.booking.functions.check``), or None."""
    rel = os.path.relpath(os.path.abspath(path), root)
    if rel.startswith(".."):
        return None
    parts = rel[: -len(".py")].split(os.sep) if rel.endswith(".py") else None
    if not parts or not all(p.isidentifier() for p in parts):
        return None
    return ".".join(parts)


def import_file(path, root):
    """Imports FILE as the platform does when it is inside a project (the root first on ``sys.path``, the
    file as its package's module, so that ``from .helper import x`` and ``functions.x`` work), else as
    ``python FILE`` would (its own folder first on ``sys.path``)."""
    dotted = module_name(root, path) if root is not None else None
    if dotted is not None:
        if root not in sys.path:
            sys.path.insert(0, root)
        importlib.invalidate_caches()
        return importlib.import_module(dotted)
    name = os.path.splitext(os.path.basename(path))[0] or "function_module"
    sys.path.insert(0, os.path.dirname(path))
    if root is not None and root not in sys.path:
        # A project file whose path is no dotted name (a folder with a hyphen): its project's modules
        # (functions.x) still import.
        sys.path.insert(1, root)
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError("cannot import %s as Python" % path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def takes_flow(fn, kind):
    """Whether FN is called ``(conv, flow, …)``: a flow function or step by its place, or a second
    parameter named ``flow``."""
    if kind in ("transition", "step"):
        return True
    try:
        params = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        return False
    return len(params) >= 2 and params[1].name == "flow"


def function_loader(root, package):
    """``load(name)``: the function NAME from ``<package>/<name>.py`` of the project (for ``conv.functions``)."""
    if root is None:
        return None

    def load(name):
        path = os.path.join(root, *package.split("."), name + ".py")
        if not os.path.isfile(path):
            raise AttributeError("%s has no function %r (no %s)" % (package, name, os.path.relpath(path, root)))
        module = import_file(path, root)
        fn = getattr(module, name, None)
        if not callable(fn):
            raise AttributeError("%s defines no function %r" % (os.path.relpath(path, root), name))
        return fn

    return load
