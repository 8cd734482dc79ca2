"""Typed field access on loaded YAML with errors that name file and line."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from db.dataset.figures import Figure, FigureError, parse_figure
from db.dataset.model import Cite, Loc, Sourced
from db.dataset.yamlload import Mapping, Sequence

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:[-.][a-z0-9]+)*$")


@dataclass(frozen=True)
class SeedError:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class Fields:
    """Reads one seed file, collecting every error rather than stopping at the first."""

    def __init__(self, file: str, errors: list[SeedError]) -> None:
        self.file = file
        self.errors = errors

    def error(self, line: int, message: str) -> None:
        self.errors.append(SeedError(self.file, line, message))

    def loc(self, node: Any, fallback: int = 1) -> Loc:
        return Loc(self.file, getattr(node, "line", fallback))

    def mapping(self, node: Any, what: str, line: int) -> Mapping | None:
        if isinstance(node, Mapping):
            return node
        self.error(getattr(node, "line", line), f"{what} must be a mapping of keys to values")
        return None

    def items(self, node: Mapping, key: str) -> list[Mapping]:
        """A list of mappings under `key` (absent means empty)."""
        value = node.get(key)
        if value is None:
            return []
        if not isinstance(value, Sequence):
            self.error(node.line_of(key), f"'{key}' must be a list")
            return []
        found = []
        for item in value:
            if isinstance(item, Mapping):
                found.append(item)
            else:
                self.error(getattr(item, "line", value.line), f"each entry of '{key}' must be a mapping")
        return found

    def allowed(self, node: Mapping, keys: set[str], what: str) -> None:
        for key in node:
            if key not in keys:
                known = ", ".join(sorted(keys))
                self.error(node.line_of(key), f"unknown key '{key}' in {what} (known: {known})")

    def text(self, node: Mapping, key: str, required: bool = False) -> str | None:
        value = node.get(key)
        if value is None:
            if required:
                self.error(node.line, f"'{key}' is required")
            return None
        if not isinstance(value, str):
            self.error(node.line_of(key), f"'{key}' must be text, not a {_kind(value)}")
            return None
        if required and not value.strip():
            self.error(node.line_of(key), f"'{key}' must not be empty")
            return None
        return str(value).strip()

    def ident(self, node: Mapping, key: str, required: bool = True) -> str | None:
        value = self.text(node, key, required)
        if value is not None and not ID_PATTERN.match(value):
            self.error(
                node.line_of(key),
                f"'{key}' must be a lower-case id of letters, digits and hyphens, not '{value}'",
            )
            return None
        return value

    def choice(self, node: Mapping, key: str, options: tuple[str, ...], required: bool = True) -> str | None:
        value = self.text(node, key, required)
        if value is not None and value not in options:
            self.error(node.line_of(key), f"'{key}' must be one of {', '.join(options)}; got '{value}'")
            return None
        return value

    def texts(self, node: Mapping, key: str) -> list[str]:
        value = node.get(key)
        if value is None:
            return []
        if isinstance(value, str):
            return [str(value).strip()]
        if not isinstance(value, Sequence):
            self.error(node.line_of(key), f"'{key}' must be a list of text")
            return []
        out = []
        for item in value:
            if isinstance(item, str) and item.strip():
                out.append(str(item).strip())
            else:
                self.error(getattr(item, "line", value.line), f"'{key}' entries must be non-empty text")
        return out

    def figure(self, node: Mapping, key: str, required: bool = False) -> Figure | None:
        value = node.get(key)
        if value is None:
            if required:
                self.error(node.line, f"'{key}' is required")
            return None
        if not isinstance(value, str):
            self.error(node.line_of(key), f"'{key}' must be a printed value, not a {_kind(value)}")
            return None
        try:
            return parse_figure(value)
        except FigureError as exc:
            self.error(node.line_of(key), f"'{key}': {exc}")
            return None

    def number(self, node: Mapping, key: str) -> float | None:
        figure = self.figure(node, key)
        if figure is None:
            return None
        if not figure.is_exact:
            self.error(node.line_of(key), f"'{key}' must be a plain number, not '{figure.text}'")
            return None
        return figure.value

    def inherit(self, node: Mapping, parent: Cite | None) -> Cite | None:
        """The node's source/at where it sets them, else the parent's; no error when absent
        (arms pass it down; each figure reports its own missing source)."""
        if node.get("source") is None and node.get("at") is None:
            return parent
        own_source = self.text(node, "source")
        source = own_source or (parent.source if parent else None)
        at = self.text(node, "at") or (parent.at if parent else None)
        if not (source and at):
            return parent if not source else Cite(source, at or "", node.line_of("source"))
        return Cite(source, at, node.line_of("source") if own_source else (parent.line if parent else node.line))

    def cite(self, node: Mapping, parent: Cite | None, what: str) -> Cite | None:
        """The node's own source/at, falling back to the enclosing ones."""
        own_source = self.text(node, "source")
        source = own_source or (parent.source if parent else None)
        line = node.line_of("source") if own_source else (parent.line if parent else node.line)
        at = self.text(node, "at") or (parent.at if parent else None)
        if not source:
            self.error(node.line, f"{what} has no source (add 'source:' here or on the study)")
            return None
        if not at:
            self.error(node.line, f"{what} has no locator (add 'at:' with the table or section)")
            return None
        return Cite(source, at, line)

    def sourced(self, node: Mapping, key: str, parent: Cite | None) -> Sourced | None:
        """A count written as {value, scope, at, source, note}: a bare value has no scope."""
        from db.dataset.vocab import SCOPES

        value = node.get(key)
        if value is None:
            return None
        if isinstance(value, Mapping):
            self.allowed(value, {"value", "scope", "at", "source", "note"}, f"'{key}'")
            figure = self.figure(value, "value", required=True)
            cite = self.cite(value, parent, f"'{key}'")
            note = self.text(value, "note")
            scope = self.choice(value, "scope", SCOPES, required=False)
            line = value.line
            if value.get("scope") is None:
                self.error(line, f"'{key}' needs 'scope:' (whom it counts): one of {', '.join(SCOPES)}")
        else:
            figure = self.figure(node, key)
            cite = parent
            note = scope = None
            line = node.line_of(key)
            self.error(line, f"'{key}' needs a scope: write {{value: ..., scope: ...}} with scope one of "
                             f"{', '.join(SCOPES)}")
        if figure is None or cite is None:
            return None
        if figure.value is not None and figure.value < 0:
            self.error(line, f"'{key}' cannot be negative")
        return Sourced(figure, cite, Loc(self.file, line), note, scope)


def _kind(value: Any) -> str:
    if isinstance(value, Mapping):
        return "mapping"
    if isinstance(value, Sequence):
        return "list"
    return type(value).__name__
