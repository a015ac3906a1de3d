"""A second oracle for the reference scanner: Python's own parser (the ast module).

Reads file paths, one a line, on stdin; writes one JSON line per file on stdout, in the same
order: {"skip": reason} when Python cannot read or parse it, else {"refs": [...], "writes": [...],
"functions": [...]} (the module-level functions: [name, def_offset, first_parameter, body_end]).
Each reference is [form, name, literal_start, literal_end, span_start, span_end, keys], offsets
in UTF-16 code units of the file decoded as UTF-8 (what an editor's document holds), keys
[[key, via, start, end], ...]. Names and keys that are not literals are null, with no literal span.

The rules are the scanner's (see server/src/service/python/pythonRefs.ts), restated over syntax
trees: `….get_secret(…)`, a name imported or assigned as get_secret, `os.environ[…]`,
`os.environ.get(…)`, `os.getenv(…)` (`os` or `import os as x`), `environ` / `getenv` imported
from os; `secret_vault(…)` imported from utils.secret_vault or the older builtin module (under
any name, `*` included), and `m.secret_vault(…)` where `m` is that module imported under any name
or by its dotted path; writes and deletes (ctx Store / Del, not an augmented assignment) are not reads.
Keys read through variables are not followed here: the test counts files where the scanner finds
any (none in the standard library).

A read whose name is not a literal carries an eighth field, the names it can take where that is
simple and certain over the tree (sorted), else null, or "dynamic" where the rules say it cannot
be known (see NameSets): the scanner's candidates must be that set, and absent when "dynamic".
"""

import ast
import json
import re
import sys
from collections import defaultdict

NEWLINE = re.compile(r"\r\n|\r|\n")


def utf16_len(s):
    return len(s) + sum(1 for c in s if ord(c) > 0xFFFF)


class Positions:
    """ast's (line, UTF-8 byte column) to UTF-16 offsets in the text."""

    def __init__(self, text, shift):
        self.text = text
        self.shift = shift
        self.starts = [0]
        for m in NEWLINE.finditer(text):
            self.starts.append(m.end())
        self.units = {}

    def line_units(self, line):
        if line not in self.units:
            self.units[line] = utf16_len(self.text[: self.starts[line]])
        return self.units[line]

    def at(self, lineno, col):
        line = lineno - 1
        start = self.starts[line]
        end = self.starts[line + 1] if line + 1 < len(self.starts) else len(self.text)
        prefix = self.text[start:end].encode("utf-8")[:col].decode("utf-8", "replace")
        return self.shift + self.line_units(line) + utf16_len(prefix)

    def start(self, node):
        return self.at(node.lineno, node.col_offset)

    def end(self, node):
        return self.at(node.end_lineno, node.end_col_offset)


def literal_value(node):
    """The value of a plain literal (str, bytes, an f-string without placeholders); else None."""
    if isinstance(node, ast.Constant):
        if isinstance(node.value, str):
            return node.value
        if isinstance(node.value, bytes):
            return node.value.decode("latin-1")
        return None
    if isinstance(node, ast.JoinedStr) and all(isinstance(v, ast.Constant) for v in node.values):
        return "".join(v.value for v in node.values)
    return None


# The modules whose secret_vault(name) reads a secret as get_secret does.
VAULT_MODULES = {"utils.secret_vault", "agent_v3.deployment_service.agents.functions.builtin"}


# Methods that change a container in place (the scanner's list).
MUTATORS = {"append", "extend", "insert", "update", "setdefault", "pop", "popitem", "clear", "remove", "__setitem__", "__delitem__"}


def constant_index(node):
    """The constant int (a negative one too) or str a subscript is indexed by; None for anything else."""
    if not isinstance(node, ast.Subscript) or not isinstance(node.ctx, ast.Load):
        return None
    sl = node.slice
    if isinstance(sl, ast.UnaryOp) and isinstance(sl.op, ast.USub) and isinstance(sl.operand, ast.Constant) and type(sl.operand.value) is int:
        return -sl.operand.value
    if isinstance(sl, ast.Constant) and type(sl.value) in (int, str):
        return sl.value
    return None


def is_dataclass(cls):
    """Whether a class is decorated `@dataclass`, `@dataclass(…)` or `@dataclasses.dataclass…`."""
    for d in cls.decorator_list:
        f = d.func if isinstance(d, ast.Call) else d
        if dotted(f) in ("dataclass", "dataclasses.dataclass"):
            return True
    return False


def dataclass_fields(cls):
    """The fields a dataclass's constructor takes by position, in order: its body's annotated names
    (not a `ClassVar`, up to a `KW_ONLY`); None when that is not the whole order (bases, `kw_only` or
    `init` given to the decorator, a `field(…)` default)."""
    for d in cls.decorator_list:
        if isinstance(d, ast.Call) and dotted(d.func) in ("dataclass", "dataclasses.dataclass"):
            if any(k.arg in ("kw_only", "init") for k in d.keywords):
                return None
    if cls.bases or cls.keywords:
        return None
    out = []
    for stmt in cls.body:
        if not isinstance(stmt, ast.AnnAssign) or not isinstance(stmt.target, ast.Name):
            continue
        names = {n.id for n in ast.walk(stmt.annotation) if isinstance(n, ast.Name)} | {n.attr for n in ast.walk(stmt.annotation) if isinstance(n, ast.Attribute)}
        if "KW_ONLY" in names:
            return out
        if "ClassVar" in names:
            continue
        if stmt.value is not None and any(isinstance(n, ast.Name) and n.id == "field" or isinstance(n, ast.Attribute) and n.attr == "field" for n in ast.walk(stmt.value)):
            return None
        out.append(stmt.target.id)
    return out


def dotted(node):
    """`a.b.c` for a chain of attributes over a name; None for anything else."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = dotted(node.value)
        return None if inner is None else f"{inner}.{node.attr}"
    return None


SCOPES = (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
# More combinations than this and the scanner gives up (an unresolved name).
CAP = 64


class Unknown(Exception):
    """The name set cannot be computed here simply and certainly."""


class Dynamic(Exception):
    """By the rules the name cannot be known: it depends on a module imported from elsewhere."""


class NameSets:
    """The names a computed read can take, for the patterns that are simple and certain over a tree:
    literals, `+` of resolvable parts, a conditional expression of resolvable parts, a name bound once
    in the module (at its top level, to a resolvable expression, never rebound anywhere), a local bound
    once before the read in the same block or once in every branch of one if/elif/else chain before it,
    a loop variable bound by nothing else, read in the loop's body, over a tuple, list or set of
    literals written in the `for`, a class attribute (`Cls.X`, `self.X` in a method) assigned once in
    the class body and set nowhere else, and a dict, tuple or list of literals (written there or
    held by such a name) indexed by anything or (a dict) read with `.get(key, default)`; a
    comprehension's variable read in its element, and a loop variable read in its loop's body, over
    such a container (written there or held by a module constant never changed: a dict's keys, its
    `.keys()`, `.values()`, `.items()`), the target unpacking rows of literals; `self.X` assigned
    once, only at the top level of its class's `__init__`, to a literal or to a parameter of it that
    every use of the class in the module passes (`Cls(…)`). "Dynamic" when the expression rests on a name bound only by an
    import (no other module is known here), a call or attribute or subscript of one, an f-string
    with such a placeholder. `self.X` that subclasses in the module assign again takes each value. Unknown
    otherwise: no `or`, no calls of the module's functions, no parameters, no tests of `.env` and
    no table indexed by it (either can drop a name that no environment takes)."""

    def __init__(self, tree):
        self.tree = tree
        self.parent = {}
        for node in ast.walk(tree):
            for child in ast.iter_child_nodes(node):
                self.parent[id(child)] = node
        # Every binding of a name anywhere in the module, with the scope it binds in.
        self.bindings = defaultdict(list)
        self.declared = defaultdict(list)  # global / nonlocal declarations, by name
        self.star = False
        self.uses = defaultdict(list)  # Name loads, by name
        for node in ast.walk(tree):
            if isinstance(node, ast.Name):
                if isinstance(node.ctx, (ast.Store, ast.Del)):
                    self.bindings[node.id].append((node, self.binding_scope(node)))
                else:
                    self.uses[node.id].append(node)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                self.bindings[node.name].append((node, self.scope_of(node)))
            elif isinstance(node, ast.arg):
                self.bindings[node.arg].append((node, self.parent.get(id(self.parent.get(id(node))))))
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                for a in node.names:
                    if a.name == "*":
                        self.star = True
                    else:
                        self.bindings[a.asname or a.name.split(".")[0]].append((node, self.scope_of(node)))
            elif isinstance(node, ast.ExceptHandler) and node.name:
                self.bindings[node.name].append((node, self.scope_of(node)))
            elif isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
                self.bindings[node.name].append((node, self.scope_of(node)))
            elif isinstance(node, ast.MatchMapping) and node.rest:
                self.bindings[node.rest].append((node, self.scope_of(node)))
            elif isinstance(node, (ast.Global, ast.Nonlocal)):
                for name in node.names:
                    self.declared[name].append(node)

    def scope_of(self, node):
        """The scope a name bound by `node` (a def, class, import, handler, pattern) lives in."""
        p = self.parent.get(id(node))
        while p is not None and not isinstance(p, SCOPES + COMPREHENSIONS):
            p = self.parent.get(id(p))
        return p

    def binding_scope(self, name):
        p = self.parent.get(id(name))
        inside_walrus = isinstance(p, ast.NamedExpr)
        while p is not None:
            if isinstance(p, SCOPES):
                return p
            if isinstance(p, COMPREHENSIONS) and not inside_walrus:
                return p
            p = self.parent.get(id(p))
        return None

    def read_scope(self, node):
        p = self.parent.get(id(node))
        while p is not None and not isinstance(p, SCOPES + COMPREHENSIONS):
            p = self.parent.get(id(p))
        return p

    def names(self, node):
        """Sorted names, None (unknown) or "dynamic"."""
        try:
            out = self.strings(node, 0)
        except Unknown:
            return None
        except Dynamic:
            return "dynamic"
        except RecursionError:
            return None
        return sorted(set(out))

    # Expressions -------------------------------------------------------------------------------

    def strings(self, node, depth):
        if depth > 20:
            raise Unknown()
        value = literal_value(node)
        if value is not None:
            return [value]
        if isinstance(node, ast.JoinedStr):
            # Placeholders: dynamic when one rests on an import, else unknown.
            for v in node.values:
                if isinstance(v, ast.FormattedValue):
                    self.rooted_in_import(v.value)
            raise Unknown()
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left = self.strings(node.left, depth + 1)
            right = self.strings(node.right, depth + 1)
            if len(left) * len(right) > CAP:
                raise Unknown()
            return [a + b for a in left for b in right]
        if isinstance(node, ast.IfExp):
            if self.tests_env(node.test):
                raise Unknown()
            return self.strings(node.body, depth + 1) + self.strings(node.orelse, depth + 1)
        if isinstance(node, ast.Name):
            bound = self.bound_value(node)
            return self.strings(bound, depth + 1) if not isinstance(bound, list) else [s for b in bound for s in self.strings(b, depth + 1)]
        # Part k of each row a loop or comprehension variable takes (`row[0]`).
        index = constant_index(node)
        if isinstance(index, int) and index >= 0 and isinstance(node.value, ast.Name) and self.loop_bound(node.value):
            rows = self.bound_value(node.value, [index])
            return [s for r in rows for s in self.strings(r, depth + 1)]
        # Indexed by the environment, a value under a key no test names may never be taken.
        if isinstance(node, ast.Subscript) and not isinstance(node.slice, ast.Slice) and not self.tests_env(node.slice):
            table = self.table(node.value, depth)
            if table is not None:
                return [s for v in table.values() for s in v]
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get" and len(node.args) == 2 and not node.keywords:
            if not any(isinstance(a, ast.Starred) for a in node.args) and not self.tests_env(node.args[0]):
                table = self.table(node.func.value, depth, dict_only=True)
                if table is not None:
                    return [s for v in table.values() for s in v] + self.strings(node.args[1], depth + 1)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and isinstance(node.ctx, ast.Load):
            try:
                value = self.class_attribute(node)
            except Unknown:
                self.rooted_in_import(node)
                raise
            if isinstance(value, list):  # a constructor's arguments
                return [s for v in value for s in self.strings(v, depth + 1)]
            return self.strings(value, depth + 1)
        self.rooted_in_import(node)
        raise Unknown()

    def class_attribute(self, node):
        """`Cls.X` of a module-level class, or `self.X` / `cls.X` in one of its methods: the one
        assignment of X in the class body, when nothing else in the module sets an attribute X.
        For `self.X` / `cls.X`, each subclass in the module that assigns X once in its body adds that value."""
        base, attr = node.value.id, node.attr
        if base in ("self", "cls"):
            fn = self.parent.get(id(node))
            while fn is not None and not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                fn = self.parent.get(id(fn))
            cls = self.parent.get(id(fn)) if fn is not None else None
            if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)) or not isinstance(cls, ast.ClassDef):
                raise Unknown()
            positional = fn.args.posonlyargs + fn.args.args
            if not positional or positional[0].arg != base or fn.decorator_list:
                raise Unknown()
        else:
            bindings = self.bindings.get(base, [])
            if not any(isinstance(b, ast.ClassDef) for b, _ in bindings):
                return self.instance_attribute(node)
            if len(bindings) != 1 or not isinstance(bindings[0][0], ast.ClassDef) or not isinstance(bindings[0][1], ast.Module):
                raise Unknown()
            cls = bindings[0][0]
        if not isinstance(self.parent.get(id(cls)), ast.Module) or self.binding_count(cls.name) != 1:
            raise Unknown()
        if base == "self" and not self.class_assignments(cls, attr):
            return self.initialised(cls, attr)
        # Set anywhere else (`self.X = …`, `obj.X += …`, `del c.X`): not certain.
        for other in ast.walk(self.tree):
            if isinstance(other, ast.Attribute) and other.attr == attr and not isinstance(other.ctx, ast.Load):
                raise Unknown()
        own = self.class_assignments(cls, attr)
        if len(own) != 1 or own[0] is None:
            raise Unknown()
        if base in ("self", "cls"):
            # Through the instance any subclass of the module may be what runs: each one assigning X
            # once in its body adds that value (a property or anything else there: not certain).
            values = [own[0]]
            for other in ast.walk(self.tree):
                if isinstance(other, ast.ClassDef) and other is not cls and self.class_assignments(other, attr) and self.derives(other, cls, 0):
                    theirs = self.class_assignments(other, attr)
                    if len(theirs) != 1 or theirs[0] is None:
                        raise Unknown()
                    values.append(theirs[0])
            if len(values) > 1:
                return values
        return own[0]

    def instance_attribute(self, node):
        """`obj.X` where obj holds one construction `Cls(…)` of a module-level class (no `*`, no `**`):
        X set only by `self.X = param` at the top level of `__init__` is that construction's argument
        for the parameter; a dataclass's field the keyword naming it, else its one assignment in the
        class body; a plain class attribute only when the construction passes nothing."""
        attr = node.attr
        call = self.bound_value(node.value)
        if isinstance(call, list) or not isinstance(call, ast.Call) or not isinstance(call.func, ast.Name):
            raise Unknown()
        bindings = self.bindings.get(call.func.id, [])
        if len(bindings) != 1 or not isinstance(bindings[0][0], ast.ClassDef) or not isinstance(bindings[0][1], ast.Module):
            raise Unknown()
        cls = bindings[0][0]
        if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
            raise Unknown()
        stores = [n for n in ast.walk(self.tree) if isinstance(n, ast.Attribute) and n.attr == attr and not isinstance(n.ctx, ast.Load)]
        own = self.class_assignments(cls, attr)
        if not own:
            if len(stores) != 1:
                raise Unknown()
            stmt = self.parent.get(id(stores[0]))
            init = self.parent.get(id(stmt))
            if not (isinstance(stmt, ast.Assign) and stmt.targets == [stores[0]] and isinstance(stores[0].value, ast.Name) and stores[0].value.id == "self"):
                raise Unknown()
            if not (isinstance(init, ast.FunctionDef) and init.name == "__init__" and any(stmt is x for x in init.body) and self.parent.get(id(init)) is cls):
                raise Unknown()
            positional = init.args.posonlyargs + init.args.args
            if not positional or positional[0].arg != "self" or init.decorator_list:
                raise Unknown()
            value = stmt.value
            if literal_value(value) is not None:
                return value
            params = [a.arg for a in positional]
            if not isinstance(value, ast.Name) or value.id not in params[1:] or any(isinstance(n, ast.Name) and n.id == value.id and not isinstance(n.ctx, ast.Load) for n in ast.walk(init)):
                raise Unknown()
            given = [k.value for k in call.keywords if k.arg == value.id]
            if given:
                return given[0]
            position = params.index(value.id) - 1
            if position < len(call.args):
                return call.args[position]
            raise Unknown()
        if stores:
            raise Unknown()
        if (call.args or call.keywords) and not is_dataclass(cls):
            raise Unknown()
        if call.args:
            fields = dataclass_fields(cls)
            if fields is None or len(call.args) > len(fields):
                raise Unknown()
            if attr in fields and fields.index(attr) < len(call.args):
                return call.args[fields.index(attr)]
        given = [k.value for k in call.keywords if k.arg == attr]
        if given:
            return given[0]
        if len(own) != 1 or own[0] is None:
            raise Unknown()
        return own[0]

    def initialised(self, cls, attr):
        """`self.X` assigned once, at the top level of the class's `__init__`, and set nowhere else:
        a literal, or a parameter of `__init__` (not rebound) that every use of the class in the
        module passes, as `Cls(…)`; no subclass in the module."""
        stores = [n for n in ast.walk(self.tree) if isinstance(n, ast.Attribute) and n.attr == attr and not isinstance(n.ctx, ast.Load)]
        if len(stores) != 1:
            raise Unknown()
        store = stores[0]
        stmt = self.parent.get(id(store))
        init = self.parent.get(id(stmt))
        if not (isinstance(stmt, ast.Assign) and stmt.targets == [store] and isinstance(store.value, ast.Name) and store.value.id == "self"):
            raise Unknown()
        if not (isinstance(init, ast.FunctionDef) and init.name == "__init__" and any(stmt is x for x in init.body) and self.parent.get(id(init)) is cls):
            raise Unknown()
        positional = init.args.posonlyargs + init.args.args
        if not positional or positional[0].arg != "self" or init.decorator_list or init.args.vararg or init.args.kwarg:
            raise Unknown()
        for other in ast.walk(self.tree):
            if isinstance(other, ast.ClassDef) and other is not cls and self.derives(other, cls, 0):
                raise Unknown()
        value = stmt.value
        if literal_value(value) is not None:
            return value
        if not isinstance(value, ast.Name):
            raise Unknown()
        params = [a.arg for a in positional]
        if value.id not in params[1:] or init.args.kwonlyargs or any(isinstance(n, ast.Name) and n.id == value.id and not isinstance(n.ctx, ast.Load) for n in ast.walk(init)):
            raise Unknown()
        if init.args.defaults:
            raise Unknown()
        position = params.index(value.id) - 1
        args = []
        for use in self.uses.get(cls.name, []):
            call = self.parent.get(id(use))
            if not isinstance(call, ast.Call) or call.func is not use:
                raise Unknown()
            if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
                raise Unknown()
            given = [k.value for k in call.keywords if k.arg == value.id]
            if given:
                args.append(given[0])
            elif position < len(call.args):
                args.append(call.args[position])
            else:
                raise Unknown()
        if not args or any(literal_value(a) is None for a in args):
            raise Unknown()
        return args

    def binding_count(self, name):
        return len(self.bindings.get(name, []))

    def class_assignments(self, cls, attr):
        """What X is bound to by each binding in the class body's own statements (None: not a plain
        assignment at the body's top level); methods and nested classes are not looked into."""
        out = []
        for stmt in cls.body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                if stmt.name == attr:
                    out.append(None)
                continue
            for node in ast.walk(stmt):
                if isinstance(node, ast.Name) and node.id == attr and not isinstance(node.ctx, ast.Load):
                    out.append(self.assigned(stmt, node))
        return out

    def derives(self, cls, base, depth):
        """Whether `cls` has `base` among its bases, through the module's classes."""
        if depth > 20:
            return True
        for b in cls.bases:
            if isinstance(b, ast.Name):
                if b.id == base.name:
                    return True
                for node, _ in self.bindings.get(b.id, []):
                    if isinstance(node, ast.ClassDef) and node is not cls and self.derives(node, base, depth + 1):
                        return True
        return False

    def tests_env(self, test):
        return any(isinstance(n, ast.Attribute) and n.attr == "env" for n in ast.walk(test))

    def rooted_in_import(self, node):
        """Raises Dynamic when `node` is an import-bound name, or a call, attribute or subscript of one."""
        root = node
        while True:
            if isinstance(root, ast.Call):
                root = root.func
            elif isinstance(root, (ast.Attribute, ast.Subscript)):
                root = root.value
            else:
                break
        if isinstance(root, ast.Name) and not self.star:
            bindings = self.bindings.get(root.id, [])
            if bindings and all(isinstance(b, (ast.Import, ast.ImportFrom)) for b, _ in bindings) and not self.declared.get(root.id):
                raise Dynamic()

    def table(self, node, depth, dict_only=False):
        """{key: [name]} for a dict, tuple or list of literals (or a name bound to one, never changed); else None."""
        if isinstance(node, ast.Name):
            # Changed in place anywhere (`T[k] = …`, `T.update(…)`) or passed on: not certain.
            for use in self.uses.get(node.id, []):
                p = self.parent.get(id(use))
                if isinstance(p, ast.Subscript) and p.value is use and isinstance(p.ctx, ast.Load):
                    continue
                if isinstance(p, ast.Attribute) and p.value is use and p.attr == "get" and isinstance(self.parent.get(id(p)), ast.Call):
                    continue
                return None
            try:
                bound = self.bound_value(node)
            except (Unknown, Dynamic):
                return None
            if isinstance(bound, list):
                return None
            node = bound
        if isinstance(node, ast.Dict):
            if not node.keys or any(k is None for k in node.keys):
                return None
            values = node.values
        elif isinstance(node, (ast.Tuple, ast.List)) and not dict_only:
            if not node.elts or any(isinstance(e, ast.Starred) for e in node.elts):
                return None
            values = node.elts
        else:
            return None
        out = {}
        for i, v in enumerate(values):
            lit = literal_value(v)
            if lit is None:
                return None
            out[i] = [lit]
        return out

    # Names -------------------------------------------------------------------------------------

    def bound_value(self, name, suffix=None):
        """The expression a name holds at `name`, or a list of them (one per branch of an if chain).
        `suffix`: the part of each row a loop variable takes (`row[0]`), and only a loop's."""
        if self.declared.get(name.id) or self.star:
            raise Unknown()
        bindings = self.bindings.get(name.id, [])
        if not bindings:
            raise Unknown()
        if all(isinstance(b, (ast.Import, ast.ImportFrom)) for b, _ in bindings):
            raise Dynamic()
        scope = self.read_scope(name)
        if isinstance(scope, COMPREHENSIONS) and not any(s is scope for _, s in bindings):
            # A comprehension reads its enclosing function's names.
            p = self.parent.get(id(scope))
            while p is not None and not isinstance(p, SCOPES):
                p = self.parent.get(id(p))
            scope = p
        here = [b for b, s in bindings if s is scope]
        if isinstance(scope, COMPREHENSIONS) and here:
            return self.comprehension_values(name, scope, here, suffix)
        if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef)) and here:
            return self.local_value(name, scope, here, suffix)
        if not isinstance(scope, ast.Module) and (here or not isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef))):
            raise Unknown()
        # A module constant: bound once in the whole module, at its top level, by a plain assignment.
        if len(bindings) != 1:
            raise Unknown()
        b, s = bindings[0]
        if not isinstance(s, ast.Module):
            raise Unknown()
        stmt = self.parent.get(id(b))
        while isinstance(stmt, (ast.Tuple, ast.List)):
            stmt = self.parent.get(id(stmt))
        if isinstance(stmt, ast.For) and self.target_path(stmt.target, b) is not None:
            return self.loop_values(name, stmt, suffix)
        if suffix is not None:
            raise Unknown()
        value = self.assigned(stmt, b)
        if value is None or stmt not in self.tree.body:
            raise Unknown()
        if isinstance(scope, ast.Module) and self.top_statement(name).lineno <= stmt.lineno:
            raise Unknown()
        return value

    def assigned(self, stmt, target):
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and stmt.targets[0] is target:
            return stmt.value
        if isinstance(stmt, ast.AnnAssign) and stmt.target is target and stmt.value is not None:
            return stmt.value
        return None

    def top_statement(self, node):
        p = node
        while not isinstance(self.parent.get(id(p)), ast.Module):
            p = self.parent.get(id(p))
        return p

    def statement_in(self, node, body):
        """The statement of `body` that holds `node`, or None."""
        p = node
        while p is not None:
            if any(p is s for s in body):
                return p
            p = self.parent.get(id(p))
        return None

    def local_value(self, name, fn, here, suffix=None):
        if any(isinstance(n, ast.Nonlocal) and name.id in n.names for n in ast.walk(fn)):
            raise Unknown()
        stmts = [self.parent.get(id(b)) for b in here]
        stmts = [self.parent.get(id(x)) if isinstance(x, (ast.Tuple, ast.List)) and isinstance(self.parent.get(id(x)), ast.For) else x for x in stmts]
        if len(here) == 1 and isinstance(stmts[0], ast.For) and self.target_path(stmts[0].target, here[0]) is not None:
            return self.loop_values(name, stmts[0], suffix)
        if suffix is not None:
            raise Unknown()
        if any(not isinstance(b, ast.Name) or self.assigned(s, b) is None for b, s in zip(here, stmts)):
            raise Unknown()
        first = stmts[0]
        block = self.block_of(first)
        if len(stmts) == 1:
            at = self.statement_in(name, block)
            if at is None or not self.before(first, at, block) or self.statement_in(name, [first]) is not None:
                raise Unknown()
            return self.assigned(first, here[0])
        # One if/elif/else chain, each branch binding it once, directly in its body.
        chain = self.parent.get(id(first))
        while isinstance(chain, ast.If) and isinstance(self.parent.get(id(chain)), ast.If) and self.parent.get(id(chain)).orelse == [chain]:
            chain = self.parent.get(id(chain))
        if not isinstance(chain, ast.If):
            raise Unknown()
        branches = []
        node = chain
        while True:
            if self.tests_env(node.test):
                raise Unknown()
            branches.append(node.body)
            if len(node.orelse) == 1 and isinstance(node.orelse[0], ast.If):
                node = node.orelse[0]
                continue
            if not node.orelse:
                raise Unknown()
            branches.append(node.orelse)
            break
        if len(branches) != len(stmts):
            raise Unknown()
        values = []
        for body in branches:
            own = [s for s in stmts if any(s is x for x in body)]
            if len(own) != 1:
                raise Unknown()
            values.append(self.assigned(own[0], here[stmts.index(own[0])]))
        block = self.block_of(chain)
        at = self.statement_in(name, block)
        if at is None or not self.before(chain, at, block):
            raise Unknown()
        return values

    def loop_values(self, name, loop, suffix=None):
        """A loop variable read in its loop's body, over a container of literals (the part `suffix` of each row)."""
        if self.statement_in(name, loop.body) is None:
            raise Unknown()
        path = self.target_path(loop.target, self.target_of(loop.target, name.id))
        return self.iterated(loop.iter, None if path is None else path + (suffix or []), literal=suffix is None)

    def comprehension_values(self, name, comp, here, suffix=None):
        """A comprehension's variable read in its element, over a container of literals."""
        if len(here) != 1:
            raise Unknown()
        parts = [comp.key, comp.value] if isinstance(comp, ast.DictComp) else [comp.elt]
        if not any(self.statement_in(name, [p]) is not None for p in parts):
            raise Unknown()
        for gen in comp.generators:
            path = self.target_path(gen.target, here[0])
            if path is not None:
                if gen.is_async:
                    raise Unknown()
                return self.iterated(gen.iter, path + (suffix or []), literal=suffix is None)
        raise Unknown()

    def loop_bound(self, name):
        """Whether every binding of the name in the scope it is read from is a `for` target (a loop's or a comprehension's)."""
        bindings = self.bindings.get(name.id, [])
        scope = self.read_scope(name)
        here = [b for b, s in bindings if s is scope] or [b for b, s in bindings if isinstance(s, ast.Module)]
        if not here:
            return False
        for b in here:
            p = self.parent.get(id(b))
            while isinstance(p, (ast.Tuple, ast.List)):
                p = self.parent.get(id(p))
            if not isinstance(p, (ast.For, ast.comprehension)):
                return False
        return True

    def target_of(self, target, name):
        for n in ast.walk(target):
            if isinstance(n, ast.Name) and n.id == name:
                return n
        return None

    def target_path(self, target, node):
        """The places of `node` in the target (tuples and lists of names), outermost first; None when it is not a plain part."""
        if target is node:
            return []
        if isinstance(target, (ast.Tuple, ast.List)):
            for i, e in enumerate(target.elts):
                if isinstance(e, ast.Starred):
                    if self.target_path(e.value, node) is not None:
                        return None
                    continue
                sub = self.target_path(e, node)
                if sub is not None:
                    return [i] + sub
        return None

    def container(self, node):
        """A dict, tuple, list or set literal written there or held by a module constant that nothing changes or passes on."""
        if isinstance(node, ast.Name):
            for use in self.uses.get(node.id, []):
                p = self.parent.get(id(use))
                if isinstance(p, (ast.For, ast.comprehension)) and p.iter is use:
                    continue
                if isinstance(p, ast.Attribute) and p.value is use and p.attr in ("items", "keys", "values", "get") and isinstance(self.parent.get(id(p)), ast.Call):
                    continue
                if isinstance(p, ast.Subscript) and p.value is use and isinstance(p.ctx, ast.Load) and not self.changed_inside(p):
                    continue
                raise Unknown()
            bound = self.bound_value(node)
            if isinstance(bound, list):
                raise Unknown()
            node = bound
        if isinstance(node, ast.Dict) and node.keys and all(k is not None for k in node.keys):
            return node
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)) and node.elts and not any(isinstance(e, ast.Starred) for e in node.elts):
            return node
        raise Unknown()

    def containers(self, node):
        """The containers an iterable stands for: one (container), or the entry at a constant index
        or key of each container (or of each row a loop variable takes) the rest stands for."""
        index = constant_index(node)
        if index is None:
            return [self.container(node)]
        if isinstance(node.value, ast.Name) and self.loop_bound(node.value):
            if not isinstance(index, int) or index < 0:
                raise Unknown()
            return [self.container(part) for part in self.bound_value(node.value, [index])]
        out = []
        for table in self.containers(node.value):
            if isinstance(table, ast.Dict):
                keys = [literal_value(k) for k in table.keys]
                if not isinstance(index, str) or index not in keys:
                    raise Unknown()
                out.append(self.container(table.values[keys.index(index)]))
            elif isinstance(table, (ast.Tuple, ast.List)) and isinstance(index, int) and -len(table.elts) <= index < len(table.elts):
                out.append(self.container(table.elts[index]))
            else:
                raise Unknown()
        return out

    def changed_inside(self, sub):
        """Whether a container inside a table is changed in place: `T[k].append(…)`, `T[k][j] = …`."""
        top = sub
        while isinstance(self.parent.get(id(top)), ast.Subscript) and self.parent.get(id(top)).value is top:
            top = self.parent.get(id(top))
        if top is not sub and not isinstance(top.ctx, ast.Load):
            return True
        p = self.parent.get(id(top))
        return isinstance(p, ast.Attribute) and p.attr in MUTATORS and isinstance(self.parent.get(id(p)), ast.Call)

    def iterated(self, node, path, literal=True):
        """The nodes a target's part at `path` takes over the iterable `node`."""
        if path is None:
            raise Unknown()
        rows = []
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("items", "keys", "values") and not node.args and not node.keywords:
            table = self.container(node.func.value)
            if not isinstance(table, ast.Dict):
                raise Unknown()
            for k, v in zip(table.keys, table.values):
                rows.append([k, v] if node.func.attr == "items" else k if node.func.attr == "keys" else v)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "zip" and len(node.args) >= 2 and all(k.arg == "strict" for k in node.keywords):
            # zip(A, B, …): the i-th entry of each, to the shortest; each argument one container.
            columns = []
            for arg in node.args:
                tables = self.containers(arg)
                if len(tables) != 1:
                    raise Unknown()
                table = tables[0]
                columns.append(list(table.keys) if isinstance(table, ast.Dict) else list(table.elts))
            rows = [list(row) for row in zip(*columns)]
        else:
            for table in self.containers(node):
                rows += list(table.keys) if isinstance(table, ast.Dict) else list(table.elts)
        out = []
        for row in rows:
            for i in path:
                if isinstance(row, list):
                    row = row[i] if i < len(row) else None
                elif isinstance(row, (ast.Tuple, ast.List)) and not any(isinstance(e, ast.Starred) for e in row.elts) and i < len(row.elts):
                    row = row.elts[i]
                else:
                    raise Unknown()
                if row is None:
                    raise Unknown()
            if literal and literal_value(row) is None:
                raise Unknown()
            out.append(row)
        return out

    def block_of(self, stmt):
        p = self.parent.get(id(stmt))
        for field in ("body", "orelse", "finalbody", "handlers"):
            body = getattr(p, field, None)
            if isinstance(body, list) and any(stmt is s for s in body):
                return body
        return []

    def before(self, a, b, block):
        ia = next(i for i, s in enumerate(block) if s is a)
        ib = next(i for i, s in enumerate(block) if s is b)
        return ia < ib


class Finder:
    def __init__(self, tree, pos):
        self.pos = pos
        self.tree = tree
        self.namesets = None
        self.get_secret = set()
        self.vault_modules = set()
        self.vault_paths = set()
        self.environ = set()
        self.getenv = set()
        self.os = {"os"}
        self.refs = []
        self.writes = []
        # What the scanner needs of a node's parent: augmented-assignment targets, and the key
        # read applied to a call (`call[...]`, `call.get(...)`).
        self.augmented = set()
        self.key_of = {}
        nodes = list(ast.walk(tree))
        pending = []
        environ_targets = []
        for node in nodes:
            if isinstance(node, ast.AugAssign):
                self.augmented.add(id(node.target))
            elif isinstance(node, ast.Subscript) and isinstance(node.value, ast.Call):
                self.key_of[id(node.value)] = node
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get" and isinstance(node.func.value, ast.Call):
                self.key_of[id(node.func.value)] = node
            elif isinstance(node, ast.ImportFrom):
                from_os = node.module == "os" and node.level == 0
                module = node.module if node.level == 0 else None
                for a in node.names:
                    bound = a.asname or a.name
                    if a.name == "get_secret":
                        self.get_secret.add(bound)
                    elif module in VAULT_MODULES and a.name in ("secret_vault", "*"):
                        self.get_secret.add("secret_vault" if a.name == "*" else bound)
                    elif module is not None and f"{module}.{a.name}" in VAULT_MODULES:
                        self.vault_modules.add(bound)
                    elif from_os and a.name == "environ":
                        self.environ.add(bound)
                    elif from_os and a.name == "getenv":
                        self.getenv.add(bound)
            elif isinstance(node, ast.Import):
                for a in node.names:
                    if a.name == "os" and a.asname:
                        self.os.add(a.asname)
                    elif a.name in VAULT_MODULES:
                        (self.vault_modules.add(a.asname) if a.asname else self.vault_paths.add(a.name))
            elif isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if len(targets) != 1 or not isinstance(targets[0], ast.Name) or node.value is None:
                    continue
                value = node.value
                if isinstance(value, ast.Attribute) and value.attr == "get_secret":
                    self.get_secret.add(targets[0].id)
                elif isinstance(value, ast.Name):
                    pending.append((targets[0].id, value.id))
                elif isinstance(value, ast.Attribute):
                    environ_targets.append((targets[0], value))
        self.environ_aliases(nodes, environ_targets)
        changed = True
        while changed:
            changed = False
            for target, source in pending:
                for names in (self.get_secret, self.environ, self.getenv):
                    if target not in names and source in names:
                        names.add(target)
                        changed = True
        for node in nodes:
            if isinstance(node, ast.Call):
                self.call(node)
            elif isinstance(node, ast.Subscript) and self.is_environ(node.value):
                ref = ["env", *self.literal(node.slice), self.pos.start(node), self.pos.end(node), []]
                if self.written(node):
                    self.writes.append(ref)
                else:
                    self.refs.append(self.with_names(ref, node.slice))

    def environ_aliases(self, nodes, targets):
        """`env = os.environ`, `getenv = os.getenv` / `os.environ.get`: the name aliases the environment
        when every other binding of it in the file is such an assignment too, of the same kind."""
        if not targets:
            return
        kinds = {}
        alias_nodes = set()
        for target, value in targets:
            if self.is_os(value, "environ"):
                kind = "environ"
            elif self.is_os(value, "getenv") or (value.attr == "get" and self.is_os(value.value, "environ")):
                kind = "getenv"
            else:
                continue
            alias_nodes.add(id(target))
            kinds[target.id] = kind if kinds.get(target.id, kind) == kind else None
        if not kinds:
            return
        for node in nodes:
            bound = []
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and id(node) not in alias_nodes:
                bound = [node.id]
            elif isinstance(node, ast.arg):
                bound = [node.arg]
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                bound = [node.name]
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                bound = [a.asname or a.name.split(".")[0] for a in node.names]
            elif isinstance(node, ast.ExceptHandler) and node.name:
                bound = [node.name]
            elif isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
                bound = [node.name]
            elif isinstance(node, ast.MatchMapping) and node.rest:
                bound = [node.rest]
            for name in bound:
                if name in kinds:
                    kinds[name] = None
        for name, kind in kinds.items():
            if kind == "environ":
                self.environ.add(name)
            elif kind == "getenv":
                self.getenv.add(name)

    def with_names(self, ref, expression):
        """A read whose name is not a literal gets the names it can take (see NameSets)."""
        if ref[1] is not None:
            return ref
        if expression is None:
            return ref + [None]
        if self.namesets is None:
            self.namesets = NameSets(self.tree)
        return ref + [self.namesets.names(expression)]

    def argument_node(self, call, keywords):
        """The expression `argument` reads the name from, or None."""
        for arg in call.args:
            return arg
        for kw in call.keywords:
            if kw.arg is not None and kw.arg in keywords:
                return kw.value
        return None

    def is_os(self, node, attr):
        return isinstance(node, ast.Attribute) and node.attr == attr and isinstance(node.value, ast.Name) and node.value.id in self.os

    def is_vault_module(self, node):
        if isinstance(node, ast.Name):
            return node.id in self.vault_modules
        return isinstance(node, ast.Attribute) and dotted(node) in self.vault_paths

    def is_environ(self, node):
        return self.is_os(node, "environ") or (isinstance(node, ast.Name) and node.id in self.environ)

    def written(self, node):
        """Stored into or deleted, and not by an augmented assignment (which reads first)."""
        return isinstance(node.ctx, (ast.Store, ast.Del)) and id(node) not in self.augmented

    def literal(self, node):
        """[name, start, end] of a name or key expression."""
        value = literal_value(node)
        if value is None:
            return [None, None, None]
        return [value, self.pos.start(node), self.pos.end(node)]

    def argument(self, call, keywords):
        """The first positional argument, else the first keyword among `keywords`, else **kwargs."""
        for arg in call.args:
            return self.literal(arg)
        splat = None
        for kw in call.keywords:
            if kw.arg is None:
                splat = splat or kw
            elif kw.arg in keywords:
                return self.literal(kw.value)
        if splat is not None:
            return [None, None, None]
        # No argument: an empty literal just after the opening parenthesis.
        text = self.pos.text
        at = self.pos.at(call.func.end_lineno, call.func.end_col_offset) - self.pos.shift
        # Offsets here are UTF-16 units; find '(' in the text by characters from the same place.
        chars = self.char_index(at)
        paren = text.index("(", chars)
        offset = self.pos.shift + utf16_len(text[: paren + 1])
        return ["", offset, offset]

    def char_index(self, units):
        text = self.pos.text
        if not any(ord(c) > 0xFFFF for c in text):
            return units
        n = 0
        for i, c in enumerate(text):
            if n >= units:
                return i
            n += 2 if ord(c) > 0xFFFF else 1
        return len(text)

    def call(self, node):
        fn = node.func
        form = None
        if (isinstance(fn, ast.Attribute) and fn.attr == "get_secret") or (isinstance(fn, ast.Name) and fn.id in self.get_secret):
            form = "get_secret"
        elif isinstance(fn, ast.Attribute) and fn.attr == "secret_vault" and self.is_vault_module(fn.value):
            form = "get_secret"
        elif self.is_os(fn, "getenv") or (isinstance(fn, ast.Name) and fn.id in self.getenv):
            form = "env"
        elif isinstance(fn, ast.Attribute) and fn.attr == "get" and self.is_environ(fn.value):
            form = "env"
        if form is None:
            return
        keys = []
        if form == "get_secret":
            key = self.key_access(node)
            if key is not None:
                keys.append(key)
        # The platform's keyword is secret_name (get_secret(self, secret_name: str)); name= is other APIs'.
        keywords = ("secret_name", "name") if form == "get_secret" else ("key",)
        ref = [form, *self.argument(node, keywords), self.pos.start(node), self.pos.end(node), keys]
        self.refs.append(self.with_names(ref, self.argument_node(node, keywords)))

    def key_access(self, target):
        parent = self.key_of.get(id(target))
        if isinstance(parent, ast.Subscript):
            if self.written(parent):
                return None
            lit = self.literal(parent.slice)
            return [lit[0], "subscript", lit[1], lit[2]]
        if isinstance(parent, ast.Call):
            lit = self.argument(parent, None)
            return [lit[0], "get", lit[1], lit[2]]
        return None


def module_functions(body, pos, out):
    """Functions defined at module level, in blocks too (`if`, `try`…), not in defs or classes:
    [name, def_offset, first_parameter or None, body_end_offset] (the scanner's FunctionDef, for
    the CodeLens; the body ends where its last statement does)."""
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            positional = node.args.posonlyargs + node.args.args
            out.append([node.name, pos.start(node), positional[0].arg if positional else None, pos.end(node)])
        elif isinstance(node, ast.ClassDef):
            continue
        else:
            for field in ("body", "orelse", "finalbody"):
                module_functions(getattr(node, field, []) or [], pos, out)
            for handler in getattr(node, "handlers", []) or []:
                module_functions(handler.body, pos, out)
            for case in getattr(node, "cases", []) or []:
                module_functions(case.body, pos, out)
    return out


def analyse(path):
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        return {"skip": "unreadable: %s" % e.__class__.__name__}
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return {"skip": "not UTF-8"}
    shift = 0
    if text.startswith("\ufeff"):
        text = text[1:]
        shift = 1
    try:
        tree = ast.parse(text, filename=path)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as e:
        return {"skip": "python cannot parse it: %s" % e.__class__.__name__}
    pos = Positions(text, shift)
    finder = Finder(tree, pos)
    # In document order, as the scanner gives them (ast.walk goes breadth first).
    finder.refs.sort(key=lambda r: r[4])
    finder.writes.sort(key=lambda r: r[4])
    functions = module_functions(tree.body, pos, [])
    functions.sort(key=lambda f: f[1])
    return {"refs": finder.refs, "writes": finder.writes, "functions": functions}


def main():
    out = sys.stdout
    for line in sys.stdin:
        path = line.rstrip("\n")
        if not path:
            continue
        try:
            result = analyse(path)
        except RecursionError:
            result = {"skip": "python cannot parse it: RecursionError"}
        out.write(json.dumps(result))
        out.write("\n")
    out.flush()


if __name__ == "__main__":
    main()
