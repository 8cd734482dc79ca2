"""One-line mutants of a Python module, from its syntax tree: each changes one thing on one line the way
a slip of the hand would, and keeps the rest of the file as it is.

    >>> [m.describe() for m in mutants("def f(x):\\n    return x == 1 and not x\\n")][:3]
    ['2: x == 1 -> x != 1', '2: x == 1 and not x -> x == 1 or not x', '2: x == 1 and not x -> not x']

What is mutated (KINDS): a comparison flipped (== and !=, < and >=, in and not in, is and is not);
`and` and `or` swapped, or one of their operands dropped; a `not` dropped; an `if`'s or `while`'s plain
condition negated; a conditional expression flattened to either branch; True and False swapped; a number
changed (n+1, a float doubled); a string or f-string emptied; an element of a list, tuple or set literal
dropped; a keyword argument dropped; `a + b` cut to `a` or `b`; a call statement, an augmented assignment
or the re-assignment of a name dropped.

Left alone: docstrings, annotations and types, decorators, `__all__`, imports, string keys and subscripts
(`row["measure"]`, `.get("x")`: a KeyError kills them and says nothing), the default of an `or`
(`x or ""`), and lines marked `# mutation: skip`.
"""

from __future__ import annotations

import ast
import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass

FLIPS: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.Lt: ast.GtE, ast.GtE: ast.Lt, ast.Gt: ast.LtE, ast.LtE: ast.Gt,
    ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot, ast.IsNot: ast.Is,
}
SKIP_MARK = "# mutation: skip"


@dataclass(frozen=True)
class Mutant:
    line: int  # 1-based, in the original file
    kind: str  # one of KINDS
    old: str  # the source it replaces, as written
    new: str
    source: str  # the whole mutated module
    nth: int = 1  # the same change twice on a line ('"" -> ""' of two strings alike): the second is #2

    def describe(self) -> str:
        old, new = (" ".join(s.split()) for s in (self.old, self.new))
        if self.kind == "keyword":  # a long call: name the argument dropped
            gone = sorted(set(re.findall(r"\b(\w+)=", old)) - set(re.findall(r"\b(\w+)=", new)))
            old, new = _cut(old, 40), f"without {', '.join(gone)}="
        return f"{self.line}: {_cut(old)} -> {_cut(new)}" + (f" #{self.nth}" if self.nth > 1 else "")

    @property
    def key(self) -> str:
        """Stable while the line's text stays: '240: level == "range" -> level != 'range''."""
        return self.describe()


KINDS = ("compare", "boolop", "operand", "not", "condition", "ifexp", "constant", "string", "element", "keyword",
         "binop", "statement")


def _cut(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _Offsets:
    def __init__(self, source: str) -> None:
        self.lines = source.splitlines(keepends=True)
        self.starts = [0]
        for line in self.lines:
            self.starts.append(self.starts[-1] + len(line.encode("utf-8")))
        self.data = source.encode("utf-8")

    def span(self, node: ast.AST) -> tuple[int, int]:
        start = self.starts[node.lineno - 1] + node.col_offset  # type: ignore[attr-defined]
        end = self.starts[node.end_lineno - 1] + node.end_col_offset  # type: ignore[attr-defined]
        return start, end

    def text(self, node: ast.AST) -> str:
        a, b = self.span(node)
        return self.data[a:b].decode("utf-8")

    def replace(self, node: ast.AST, new: str) -> str:
        a, b = self.span(node)
        return (self.data[:a] + new.encode("utf-8") + self.data[b:]).decode("utf-8")


def _skipped(source: str) -> set[int]:
    """Lines not to mutate: docstrings, annotations, imports, __all__, marked lines."""
    tree = ast.parse(source)
    lines: set[int] = {n for n, text in enumerate(source.splitlines(), 1) if SKIP_MARK in text}

    def cover(node: ast.AST | None) -> None:
        if node is not None and hasattr(node, "lineno"):
            lines.update(range(node.lineno, node.end_lineno + 1))  # type: ignore[attr-defined]

    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(
                    first.value.value, str):
                cover(first)
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            cover(node)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            cover(node.returns)
            for a in [*node.args.args, *node.args.kwonlyargs, *node.args.posonlyargs, node.args.vararg,
                      node.args.kwarg]:
                if a is not None:
                    cover(a.annotation)
        if isinstance(node, ast.AnnAssign) and node.value is None:
            cover(node)
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            cover(node)
    return lines


def _annotations(tree: ast.AST) -> set[int]:
    """ids of nodes inside annotations: never mutated, whatever their line."""
    found: set[int] = set()
    for node in ast.walk(tree):
        parts: list[ast.AST | None] = []
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            parts.append(node.returns)
            parts += [a.annotation for a in [*node.args.args, *node.args.kwonlyargs, *node.args.posonlyargs,
                                               node.args.vararg, node.args.kwarg] if a is not None]
        elif isinstance(node, ast.AnnAssign):
            parts.append(node.annotation)
        for p in parts:
            if p is not None:
                found.update(id(n) for n in ast.walk(p))
    return found


def _keys(tree: ast.AST) -> set[int]:
    """ids of strings that name a key: subscripts, dict keys, `.get("x")`, getattr names, `in` tests' keys."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript):  # keys and types (dict[str, Any]); an index (parts[0]) is a number
            found.update(id(n) for n in ast.walk(node.slice)
                         if not (isinstance(n, ast.Constant) and type(n.value) is int))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            found.update(id(n) for d in node.decorator_list for n in ast.walk(d))
        elif isinstance(node, ast.Dict):
            found.update(id(k) for k in node.keys if k is not None)
        elif isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in ("get", "pop", "setdefault", "getattr", "hasattr", "setattr", "index") and node.args:
                found.add(id(node.args[0] if name not in ("getattr", "hasattr", "setattr") else node.args[1]))
        elif isinstance(node, ast.JoinedStr):
            found.update(id(v) for v in node.values)  # an f-string's parts: the f-string itself is emptied
    return found


def _assigned_before(func: ast.AST) -> set[int]:
    """ids of `name = ...` statements that re-assign a name already assigned in the same function."""
    seen: set[str] = set()
    found: set[int] = set()
    args = func.args if isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)) else None
    if args is not None:
        seen.update(a.arg for a in [*args.args, *args.kwonlyargs, *args.posonlyargs])
    for node in ast.walk(func):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            if node.targets[0].id in seen:
                found.add(id(node))
            seen.add(node.targets[0].id)
    return found


def _negate(text: str) -> str:
    return f"not ({text})"


def mutants(source: str) -> list[Mutant]:
    """Every mutant of `source`, in line order; each mutated module still parses."""
    tree = ast.parse(source)
    off = _Offsets(source)
    skip = _skipped(source)
    quiet = _annotations(tree) | _keys(tree)
    reassigned: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            reassigned |= _assigned_before(node)
    found: list[Mutant] = []
    seen: set[str] = set()

    def add(node: ast.AST, kind: str, new: str) -> None:
        old = off.text(node)
        if old == new or node.lineno in skip:  # type: ignore[attr-defined]
            return
        mutated = off.replace(node, new)
        try:
            ast.parse(mutated)
        except SyntaxError:
            return
        if mutated in seen:
            return
        seen.add(mutated)
        found.append(Mutant(node.lineno, kind, old, new, mutated))  # type: ignore[attr-defined]

    for node in ast.walk(tree):
        if id(node) in quiet:
            continue
        for kind, new_node, text in _node_mutants(node, off, reassigned):
            add(new_node, kind, text)
    ordered = sorted(found, key=lambda m: (m.line, KINDS.index(m.kind)))
    seen_keys: dict[str, int] = {}
    out = []
    for m in ordered:
        n = seen_keys[m.key] = seen_keys.get(m.key, 0) + 1
        out.append(dataclasses.replace(m, nth=n) if n > 1 else m)
    return out


def _node_mutants(node: ast.AST, off: _Offsets, reassigned: set[int]) -> Iterator[tuple[str, ast.AST, str]]:
    """(kind, the node replaced, its new text) for one node."""
    if isinstance(node, ast.Compare):
        for i, op in enumerate(node.ops):
            flipped = FLIPS.get(type(op))
            if flipped is not None:
                ops = [*node.ops[:i], flipped(), *node.ops[i + 1:]]
                yield "compare", node, ast.unparse(ast.Compare(node.left, ops, node.comparators))
    elif isinstance(node, ast.BoolOp):
        other = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        for i in range(len(node.values)):
            if isinstance(node.op, ast.Or) and isinstance(node.values[i], ast.Constant):
                continue  # `x or ""`: a default, dropped it mostly changes None to ""
            rest = [v for j, v in enumerate(node.values) if j != i]
            joiner = " and " if isinstance(node.op, ast.And) else " or "
            yield "operand", node, joiner.join(f"({off.text(v)})" if isinstance(v, ast.BoolOp) else off.text(v)
                                               for v in rest)
        yield "boolop", node, ast.unparse(ast.BoolOp(other, node.values))
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        yield "not", node, f"({off.text(node.operand)})"
    elif isinstance(node, (ast.If, ast.While)) and not isinstance(node.test, (ast.Compare, ast.BoolOp, ast.UnaryOp)):
        yield "condition", node.test, _negate(off.text(node.test))
    elif isinstance(node, ast.IfExp):
        yield "ifexp", node, f"({off.text(node.body)})"
        yield "ifexp", node, f"({off.text(node.orelse)})"
    elif isinstance(node, ast.Constant):
        yield from _constant(node)
    elif isinstance(node, ast.JoinedStr):
        yield "string", node, '""'
    elif isinstance(node, (ast.List, ast.Tuple, ast.Set)) and isinstance(getattr(node, "ctx", ast.Load()), ast.Load) \
            and len(node.elts) >= 2:
        for i, e in enumerate(node.elts):
            if isinstance(e, (ast.Constant, ast.Starred)):
                continue
            rest = [off.text(x) for j, x in enumerate(node.elts) if j != i]
            inner = ", ".join(rest) + ("," if isinstance(node, ast.Tuple) and len(rest) == 1 else "")
            yield "element", node, {ast.List: "[{}]", ast.Tuple: "({})", ast.Set: "{{{}}}"}[type(node)].format(inner)
    elif isinstance(node, ast.Call) and node.keywords:
        for i, k in enumerate(node.keywords):
            if k.arg is None:
                continue
            call = ast.Call(node.func, node.args, [x for j, x in enumerate(node.keywords) if j != i])
            yield "keyword", node, _call_text(call, node, off)
    elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        yield "binop", node, f"({off.text(node.left)})"
        yield "binop", node, f"({off.text(node.right)})"
    elif ((isinstance(node, ast.Expr) and not isinstance(node.value, ast.Constant))
          or isinstance(node, ast.AugAssign) or id(node) in reassigned):
        yield "statement", node, "pass"


def _call_text(call: ast.Call, original: ast.Call, off: _Offsets) -> str:
    """The call's source with its arguments as written, less the dropped keyword."""
    parts = [off.text(a) for a in call.args] + [f"{k.arg}={off.text(k.value)}" for k in call.keywords]
    return f"{off.text(original.func)}({', '.join(parts)})"


def _constant(node: ast.Constant) -> Iterator[tuple[str, ast.AST, str]]:
    v = node.value
    if isinstance(v, bool):
        yield "constant", node, repr(not v)
    elif isinstance(v, int):
        yield "constant", node, repr(v + 1)
    elif isinstance(v, float):
        yield "constant", node, repr(v * 2 if v else 1.0)
    elif isinstance(v, str) and v:
        yield "string", node, '""'
