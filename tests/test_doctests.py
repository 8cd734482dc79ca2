"""The examples in the docstrings are run: a docstring that shows how a function answers must stay true.
Modules are found by their examples, so a new one is run without being listed here."""

from __future__ import annotations

import doctest
import importlib

import pytest

from db.store import Store
from tests.conftest import ROOT

MODULES = sorted(
    ".".join(path.relative_to(ROOT).with_suffix("").parts) for folder in ("db", "handout")
    for path in (ROOT / folder).rglob("*.py") if ">>> " in path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", MODULES)
def test_the_docstring_examples_hold(name: str, store: Store) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, extraglobs={"store": store}, optionflags=doctest.ELLIPSIS, report=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples in {name} fail (run doctest -v)"


def test_the_modules_with_examples_are_found() -> None:
    assert {"db.presentation.present", "db.presentation.evidence", "db.dataset.figures",
            "db.presentation.who"} <= set(MODULES)
