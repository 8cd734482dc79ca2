"""The seed loader keeps printed text and line numbers; figures keep what was printed."""

from __future__ import annotations

import pytest

from db.dataset.figures import FigureError, parse_figure
from db.dataset.yamlload import YamlSyntaxError, load_text


def test_scalars_stay_text_with_their_line() -> None:
    data = load_text("a: 18.0\nb:\n  - x: 0.30\n    y: yes\n")
    assert data["a"] == "18.0"
    assert data["b"][0]["x"] == "0.30"
    assert data["b"][0]["y"] == "yes"
    assert data["a"].line == 1
    assert data["b"][0]["x"].line == 3
    assert data.line_of("b") == 2


def test_null_is_absent_not_zero() -> None:
    data = load_text("a:\nb: ~\nc: ''\n")
    assert data["a"] is None and data["b"] is None
    assert data["c"] == ""


def test_duplicate_key_names_its_line() -> None:
    with pytest.raises(YamlSyntaxError) as info:
        load_text("id: x\nname: a\nname: b\n")
    assert info.value.line == 3
    assert "duplicate key 'name'" in info.value.message


def test_syntax_error_names_its_line() -> None:
    with pytest.raises(YamlSyntaxError) as info:
        load_text("a: 1\nb: [1, 2\nc: 3\n")
    assert info.value.line >= 2


def test_unsafe_tags_are_refused() -> None:
    with pytest.raises(YamlSyntaxError):
        load_text("a: !!python/object/apply:os.system ['echo hi']\n")


@pytest.mark.parametrize(
    ("text", "value", "qualifier"),
    [("11.4", 11.4, ""), ("18.0", 18.0, ""), ("<1", 1.0, "<"), ("≥3", 3.0, "≥"), (">=3", 3.0, "≥"),
     ("NR", None, "not reached"), ("not reached", None, "not reached"), ("0.000072", 0.000072, "")],
)
def test_figures_keep_the_printed_text(text: str, value: float | None, qualifier: str) -> None:
    fig = parse_figure(text)
    assert fig.text == text
    assert fig.value == value
    assert fig.qualifier == qualifier


@pytest.mark.parametrize("text", ["abc", "1,5", "12 months", "", "-"])
def test_non_figures_are_rejected(text: str) -> None:
    with pytest.raises(FigureError):
        parse_figure(text)
