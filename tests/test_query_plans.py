"""Reading one study, or one page of the Trials table, goes through indexes: at 100 000 studies a
query that scans a whole table (every arm's drugs, every adverse event) costs tens of milliseconds
each time a row is chosen. SQLite's own plan for each statement the call runs is checked."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator

import pytest

from db.building.build import build
from db.store import Store
from db.trials.fetch_queries import study_records
from tests.conftest import SEEDS


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    target = tmp_path_factory.mktemp("plans") / "dataset.sqlite3"
    build(SEEDS, target)
    opened = Store(target)
    yield opened
    opened.close()


def scans(conn: sqlite3.Connection, call: Callable[[], object]) -> list[str]:
    """Every table the statements run by `call` read whole, with the statement."""
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    try:
        call()
    finally:
        conn.set_trace_callback(None)
    found = []
    for sql in statements:
        for step in conn.execute("EXPLAIN QUERY PLAN " + sql):
            detail = str(step[3])
            if detail.startswith("SCAN ") and "CONSTANT ROW" not in detail:
                found.append(f"{detail}  <-  {sql[:120]}")
    return found


def test_a_study_is_read_through_indexes(store: Store) -> None:
    assert store.study("radiant-3") is not None
    assert scans(store.conn, lambda: store.study("radiant-3")) == []


def test_a_page_of_the_trials_table_is_read_through_indexes(store: Store) -> None:
    ids = ["radiant-3", "decision", "select"]
    assert [r["id"] for r in study_records(store.conn, ids)] == ids
    assert scans(store.conn, lambda: study_records(store.conn, ids)) == []


def test_an_options_figures_are_read_through_indexes(store: Store) -> None:
    """`tumorboard options` prints each option's figures and the Case tab reads them as an option is chosen:
    nothing that grows with the registry (studies, arms, their notes and figures) is read whole for one,
    only the drugs' and diseases' small tables."""
    from db.case import case_options, option_summary, resolve_case

    options = case_options(store, resolve_case(store, "pnet", prior=["octreotide"]))
    small = tuple(f"SCAN {t}" for t in ("json_each", "drug_facts", "approvals", "diseases"))
    for option in options.options[:4]:
        assert option_summary(store, options, option)
        found = scans(store.conn, lambda o=option: option_summary(store, options, o))
        assert [s for s in found if not s.startswith(small)] == []
