"""A pytest plugin for the coverage run (mutation/coverage_map.py): the coverage context is the test's node
id and its phase, 'tests/test_x.py::test_y|setup' or '|call', so the lines a fixture runs are seen too
(coverage's own `test_function` contexts see only the test function's frame)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


def _switch(name: str) -> None:
    import coverage

    current = coverage.Coverage.current()
    if current is not None:
        current.switch_context(name)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item: Any) -> Iterator[None]:
    _switch(f"{item.nodeid}|setup")
    yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item: Any) -> Iterator[None]:
    _switch(f"{item.nodeid}|call")
    yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: Any) -> Iterator[None]:
    _switch(f"{item.nodeid}|teardown")
    yield
    _switch("")
