"""A second oracle for the reference scanner: Python's own parser (the ast module).

Reads file paths, one a line, on stdin; writes one JSON line per file on stdout, in the same
order: {"skip": reason} when Python cannot read or parse it, else {"refs": [...], "writes": [...],
"functions": [...]} (the module-level functions: [name, def_offset, first_parameter, body_end]).
Each reference is [form, name, literal_start, literal_end, span_start, span_end, keys], offsets
in UTF-16 code units of the file decoded as UTF-8 (what an editor's document holds), keys
[[key, via, start, end], ...]. Names and keys that are not literals are null, with no literal span.

The rules are the scanner's (see server/src/service/scan/pythonRefs.ts), restated over syntax
trees: `….get_secret(…)`, a name imported or assigned as get_secret, `os.environ[…]`,
`os.environ.get(…)`, `os.getenv(…)` (`os` or `import os as x`), `environ` / `getenv` imported
from os; `secret_vault(…)` imported from utils.secret_vault or the older builtin module (under
any name, `*` included), and `m.secret_vault(…)` where `m` is that module imported under any name
or by its dotted path; writes and deletes (ctx Store / Del, not an augmented assignment) are not reads.
Keys read through variables are not followed here: the test counts files where the scanner finds
any (none in the standard library).
"""

import ast
import json
import re
import sys

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


def dotted(node):
    """`a.b.c` for a chain of attributes over a name; None for anything else."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = dotted(node.value)
        return None if inner is None else f"{inner}.{node.attr}"
    return None


class Finder:
    def __init__(self, tree, pos):
        self.pos = pos
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
        changed = True
        while changed:
            changed = False
            for target, source in pending:
                if target not in self.get_secret and source in self.get_secret:
                    self.get_secret.add(target)
                    changed = True
        for node in nodes:
            if isinstance(node, ast.Call):
                self.call(node)
            elif isinstance(node, ast.Subscript) and self.is_environ(node.value):
                ref = ["env", *self.literal(node.slice), self.pos.start(node), self.pos.end(node), []]
                (self.writes if self.written(node) else self.refs).append(ref)

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

    def argument(self, call, keyword):
        for arg in call.args:
            return self.literal(arg)
        splat = None
        for kw in call.keywords:
            if kw.arg is None:
                splat = splat or kw
            elif kw.arg == keyword:
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
        self.refs.append([form, *self.argument(node, "name" if form == "get_secret" else "key"), self.pos.start(node), self.pos.end(node), keys])

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
