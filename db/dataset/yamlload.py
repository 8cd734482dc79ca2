"""A safe YAML loader that remembers the line of every value.

Every scalar is loaded as text (`Text`), never as int, float or bool: the seed
schema decides types, so "18.0" keeps its printed precision and a curator's
typo is reported with its file and line instead of silently becoming a float.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from db.dataset.seedfiles import SeedFileError, read_seed_bytes

_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when the wheel has it


class Text(str):
    """A string scalar with the (1-based) line it was read from."""

    line: int

    def __new__(cls, value: str, line: int) -> Text:
        obj = super().__new__(cls, value)
        obj.line = line
        return obj


class Mapping(dict[str, Any]):
    """A mapping with its own line and the line of each key."""

    line: int
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class Sequence(list[Any]):
    line: int


class YamlSyntaxError(ValueError):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


class _LineLoader(_Base):  # type: ignore[misc]
    pass


def _scalar(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Text | None:
    value = loader.construct_scalar(node)
    if not node.style and value in ("", "~", "null", "Null", "NULL"):
        return None
    return Text(str(value), node.start_mark.line + 1)


def _mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> Mapping:
    result = Mapping()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            raise YamlSyntaxError(key_node.start_mark.line + 1, "keys must be text")
        if key in result:
            raise YamlSyntaxError(key_node.start_mark.line + 1, f"duplicate key '{key}'")
        result[str(key)] = loader.construct_object(value_node, deep=True)
        result.key_lines[str(key)] = key_node.start_mark.line + 1
    return result


def _sequence(loader: yaml.SafeLoader, node: yaml.SequenceNode) -> Sequence:
    result = Sequence(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    return result


def _undefined(loader: yaml.SafeLoader, node: yaml.Node) -> None:
    raise YamlSyntaxError(node.start_mark.line + 1, f"tag {node.tag} is not allowed in seed files")


_LineLoader.yaml_constructors = {}
_LineLoader.yaml_multi_constructors = {}
_LineLoader.add_constructor(None, _undefined)
for _tag in (
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
):
    _LineLoader.add_constructor(_tag, _scalar)
_LineLoader.add_constructor("tag:yaml.org,2002:map", _mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _sequence)


def load_text(text: str) -> Any:
    """Parse YAML text; raise YamlSyntaxError with a line number on any problem."""
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a safe loader subclass
    except YamlSyntaxError:
        raise
    except yaml.reader.ReaderError as exc:
        raise _reader_error(text, exc) from exc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        raise YamlSyntaxError(line, f"YAML syntax: {exc.problem or exc}") from exc
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(1, f"YAML: {exc}") from exc


def _reader_error(text: str, exc: yaml.reader.ReaderError) -> YamlSyntaxError:
    """A character YAML refuses (NUL, other control characters), at its own line: the
    reader's position counts characters or bytes depending on the parser, the character does not."""
    char = exc.character if isinstance(exc.character, str) else chr(exc.character)
    at = text.find(char)
    line = text.count("\n", 0, at) + 1 if at >= 0 else 1
    return YamlSyntaxError(line, f"the character U+{ord(char):04X} is not allowed in seed files ({exc.reason})")


def load_file(path: Path) -> Any:
    """Parse one seed file: refused before parsing when it is not a regular file or is too large."""
    try:
        data = read_seed_bytes(path)
    except SeedFileError as exc:
        raise YamlSyntaxError(1, str(exc)) from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise YamlSyntaxError(line, "not valid UTF-8 text") from exc
    return load_text(text)
