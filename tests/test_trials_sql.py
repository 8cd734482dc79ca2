"""The Trials table read from SQL a screenful at a time (db/trials/queries.py, db/trials/fetch_queries.py,
db/trials/sort_queries.py) shows what the whole-study rows say: the same rows, in the same order for every
column and direction, under every filter; on the shipped data and on a generated registry larger
than what the table holds before it is scrolled."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QComboBox

from benchmarks.synthetic import write_registry
from db.presentation.who import Names
from db.store import Store
from db.trials.queries import COLUMNS, Filters, TrialsQuery
from db.trials.table import TrialRow, trial_row, trial_rows
from desktop.main_window import MainWindow
from desktop.trials_model import FETCH, HEADERS, REGIMEN, STUDY, YEAR, N, _sort_key
from desktop.trials_tab import TrialsTab
from tests.window_support import open_from_search
from tests.window_support import shown as shown_widget

STUDIES = FETCH * 2 + 200  # more than the table holds before it is scrolled


@pytest.fixture(scope="module")
def registry_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_registry(STUDIES, tmp_path_factory.mktemp("trials") / "registry.sqlite3").path


@pytest.fixture(params=["shipped", "registry"])
def any_store(request: pytest.FixtureRequest, built_db: Path, registry_db: Path) -> Iterator[Store]:
    store = Store(built_db if request.param == "shipped" else registry_db)
    yield store
    store.close()


@pytest.fixture
def big(registry_db: Path) -> Iterator[Store]:
    store = Store(registry_db)
    yield store
    store.close()


def whole_rows(store: Store) -> list[TrialRow]:
    """Each study's row built from the store's fully nested study, in seed order: what the table showed before."""
    diseases = {d["id"]: d["name"] for d in store.diseases()}
    classes = {d["id"]: d["class"] for d in store.drugs()}
    return [trial_row(s, diseases, classes, Names.of(store)) for s in store.studies()]


def in_memory_order(rows: list[TrialRow], column: int, descending: bool) -> list[str]:
    present = [r for r in rows if _sort_key(r, column) is not None]
    present.sort(key=lambda r: _sort_key(r, column), reverse=descending)
    return [r.id for r in present + [r for r in rows if _sort_key(r, column) is None]]


def test_rows_read_by_id_are_the_rows_of_the_whole_study(any_store: Store) -> None:
    whole = whole_rows(any_store)
    assert [asdict(r) for r in trial_rows(any_store)] == [asdict(r) for r in whole]
    some = [r.id for r in whole][::-7]  # any order, any subset: a page of the table
    assert [asdict(r) for r in trial_rows(any_store, some)] == [asdict(r) for r in whole if r.id in some][::-1]


@pytest.mark.parametrize("descending", [False, True])
def test_every_column_sorts_as_its_rows_do(any_store: Store, descending: bool) -> None:
    rows = whole_rows(any_store)
    query = TrialsQuery(any_store.conn, any_store.disease_tree)
    assert query.ids == in_memory_order(rows, 1, False)  # the evidence order, from the search index
    for column, key in enumerate(COLUMNS):
        got = [query.ids[p] for p in query.select(Filters(), key, descending)]
        assert got == in_memory_order(rows, column, descending), HEADERS[column]


def keeps(row: TrialRow, kind: str, value: str, query: TrialsQuery) -> bool:
    """The filters as the whole rows answer them."""
    if kind == "disease":
        return bool(set(row.diseases) & query.descendants(value))
    if kind == "markers":  # typed text: the cell contains it, in any case
        return value.casefold() in row.markers.casefold()
    return value in {"line": [row.line],"drug_class": row.drug_classes, "drug": row.drug_ids, "source": row.source_ids,
                     "phase": [row.phase], "status": [row.status]}[kind]


def test_every_filter_keeps_the_studies_its_rows_name(any_store: Store) -> None:
    rows = whole_rows(any_store)
    query = TrialsQuery(any_store.conn, any_store.disease_tree)
    offered: dict[str, Any] = {
        "disease": [d["id"] for d in any_store.diseases()], "drug_class": query.drug_classes(),
        "phase": query.phases(), "status": query.statuses(), "drug": [d["id"] for d in any_store.drugs()][:40],
        "source": [s["id"] for s in any_store.sources()][:40], "line": query.lines(),
        "markers": [*query.markers(), "braf", "Required", "fusion req"],
    }
    assert query.lines() == [w for w in ("first", "later", "mixed", "not stated") if w in {r.line for r in rows}]
    named = {m for r in rows for m in query.markers() if m != "not stated" and m in r.markers}
    assert set(query.markers()) == named | ({"not stated"} & {r.markers for r in rows})
    assert query.drug_classes() == sorted({c for r in rows for c in r.drug_classes})
    assert query.phases() == sorted({r.phase for r in rows}) and query.statuses() == sorted({r.status for r in rows})
    evidence = in_memory_order(rows, 1, False)
    for kind, values in offered.items():
        for value in values:
            got = [query.ids[p] for p in query.select(Filters(**{kind: value}))]
            assert got == [i for i in evidence if keeps(next(r for r in rows if r.id == i), kind, value, query)], \
                (kind, value)
            assert [query.ids[p] for p in query.select(Filters(**{kind: value}), "evidence", True)] == got[::-1]
    both = Filters(disease="net", phase="3")
    assert [query.ids[p] for p in query.select(both, "n", True)] == [
        i for i in in_memory_order(rows, N, True)
        if keeps(next(r for r in rows if r.id == i), "disease", "net", query) and i in {
            r.id for r in rows if r.phase == "3"}]


# -- the window over a registry larger than one fetch ----------------------------------------------

@pytest.fixture
def tab(qtbot, big: Store) -> TrialsTab:  # type: ignore[no-untyped-def]
    return shown_widget(qtbot, TrialsTab(big))


def shown(tab: TrialsTab) -> list[str]:
    return [tab.model.index(r, STUDY).data() for r in range(tab.model.rowCount())]


def names_in_order(store: Store, column: int = 1, descending: bool = False) -> list[str]:
    by_id = {r.id: r for r in whole_rows(store)}
    order = in_memory_order(list(by_id.values()), column, descending)
    return [by_id[i].name + (f" ({by_id[i].byline})" if by_id[i].byline else "") for i in order]


@pytest.mark.gui
def test_a_large_registry_opens_on_its_first_rows_and_scrolling_brings_the_rest(qtbot, tab: TrialsTab,  # type: ignore[no-untyped-def]
                                                                                 big: Store) -> None:
    assert len(tab.model._cache) < FETCH  # only the rows painted (and the column widths' sample) were read
    expected = names_in_order(big)
    assert tab.model.rowCount() == FETCH < STUDIES
    assert shown(tab) == expected[:FETCH]
    assert f"{STUDIES:,} of {STUDIES:,} studies" in tab.count.text()
    tab.table.setFocus()
    tab.table.setCurrentIndex(tab.model.index(0, 0))
    for _ in range(3):  # End, as a user presses it: the view asks for the next rows each time it reaches the end
        qtbot.keyClick(tab.table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
        qtbot.wait(20)
    assert tab.model.rowCount() == STUDIES
    assert shown(tab) == expected
    assert tab.table.currentIndex().row() >= FETCH
    assert tab.model.rows[tab.table.currentIndex().row()].name in tab.detail.toPlainText()


@pytest.mark.gui
def test_filters_chosen_by_keyboard_show_the_matching_studies(qtbot, tab: TrialsTab, big: Store) -> None:  # type: ignore[no-untyped-def]
    rows = {r.id: r for r in whole_rows(big)}
    query = tab.model.query

    def pick(combo: QComboBox, steps: int) -> None:
        combo.setFocus()
        for _ in range(steps):
            qtbot.keyClick(combo, Qt.Key.Key_Down)  # a closed combo box steps through its entries

    pick(tab.disease, tab.disease.findData("net"))
    wanted = [i for i in query.ids if set(rows[i].diseases) & query.descendants("net")]
    names = dict(zip(query.ids, names_in_order(big), strict=True))
    assert shown(tab) == [names[i] for i in wanted][:FETCH]
    assert f"{len(wanted):,} of {STUDIES:,} studies" in tab.count.text()
    pick(tab.phase, tab.phase.findData("3"))
    wanted = [i for i in wanted if rows[i].phase == "3"]
    assert [r.id for r in tab.model.rows] == wanted[:FETCH]
    tab.clear_button.setFocus()
    qtbot.keyClick(tab.clear_button, Qt.Key.Key_Space)
    assert tab.model.matches == STUDIES


@pytest.mark.gui
def test_a_header_click_sorts_the_whole_registry_not_the_rows_held(qtbot, tab: TrialsTab, big: Store) -> None:  # type: ignore[no-untyped-def]
    header = tab.table.horizontalHeader()
    x = header.sectionViewportPosition(N) + header.sectionSize(N) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))
    order = header.sortIndicatorOrder()
    expected = names_in_order(big, N, order == Qt.SortOrder.DescendingOrder)
    assert shown(tab) == expected[:FETCH]
    values = [r.n for r in tab.model.rows]
    present = [v for v in values if v is not None]
    assert present == sorted(present, reverse=order == Qt.SortOrder.DescendingOrder) and present


@pytest.mark.gui
def test_opening_a_study_beyond_the_rows_held_scrolls_to_it(qtbot, home: Path, big: Store) -> None:  # type: ignore[no-untyped-def]
    """The registry's last study, typed into the window's search and opened with Enter."""
    window = shown_widget(qtbot, MainWindow([("Trials", lambda session: TrialsTab(session.store))]), 1366, 768)
    window.set_store(big)
    tab = window.tab("Trials")
    assert tab.model.rowCount() == FETCH
    last = tab.model.query.ids[-1]  # the weakest evidence: the registry's last row
    open_from_search(qtbot, window, last, "study", last)
    row = tab.table.currentIndex().row()
    assert row == STUDIES - 1 and tab.model.rowCount() == STUDIES
    assert tab.model.study_id(row) == last
    assert tab.model.rows[row].name in tab.detail.toPlainText()


def click_header(qtbot, tab: TrialsTab, column: int) -> Qt.SortOrder:  # type: ignore[no-untyped-def]
    header = tab.table.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))
    return header.sortIndicatorOrder()


@pytest.mark.gui
def test_a_large_registrys_first_sort_is_read_on_the_worker_while_the_table_answers(  # type: ignore[no-untyped-def]
        qtbot, big: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """The order arrives by signal from the window's worker; meanwhile the table keeps its rows, says it is
    sorting and moves through the studies; of two clicks while a sort is read, the last wins."""
    from desktop import trials_model
    from desktop.tasks import TaskRunner

    monkeypatch.setattr(trials_model, "SORT_ON_WORKER", STUDIES)  # this registry counts as a large one
    tasks = TaskRunner()
    tab = shown_widget(qtbot, TrialsTab(big, tasks=tasks))
    query = tab.model.query
    reads: list[tuple[str, str, threading.Event]] = []  # (column, thread, its gate)
    real = query.read_orders

    def held(column: str) -> Any:
        gate = threading.Event()
        reads.append((column, threading.current_thread().name, gate))
        assert gate.wait(10)
        return real(column)

    monkeypatch.setattr(query, "read_orders", held)
    try:
        before = shown(tab)
        order = click_header(qtbot, tab, N)
        qtbot.waitUntil(lambda: len(reads) == 1, timeout=5000)
        assert reads[0][1].startswith("tumorboard-task")
        qtbot.wait(50)
        assert shown(tab) == before and "sorting by n…" in tab.count.text()
        tab.table.setFocus()
        row = tab.table.currentIndex().row()
        qtbot.keyClick(tab.table, Qt.Key.Key_Down)
        assert tab.table.currentIndex().row() == row + 1
        assert tab.model.rows[row + 1].name in tab.detail.toPlainText()
        reads[0][2].set()
        qtbot.waitUntil(lambda: tab.model.pending_sort is None, timeout=10_000)
        by_n = names_in_order(big, N, order == Qt.SortOrder.DescendingOrder)[:FETCH]
        assert shown(tab) == by_n and "sorting" not in tab.count.text()

        click_header(qtbot, tab, YEAR)
        qtbot.waitUntil(lambda: len(reads) == 2, timeout=5000)
        order = click_header(qtbot, tab, REGIMEN)  # while the years are read: this click wins
        reads[1][2].set()
        qtbot.waitUntil(lambda: len(reads) == 3, timeout=5000)  # the years arrived; the regimens are read next
        qtbot.waitUntil(lambda: query.has_order("year"), timeout=5000)
        assert shown(tab) == by_n and "sorting by Regimen…" in tab.count.text()
        reads[2][2].set()
        qtbot.waitUntil(lambda: tab.model.pending_sort is None, timeout=10_000)
        assert [r[0] for r in reads] == ["n", "year", "regimen"]
        assert shown(tab) == names_in_order(big, REGIMEN, order == Qt.SortOrder.DescendingOrder)[:FETCH]
    finally:
        for _column, _thread, gate in reads:
            gate.set()
        tasks.shutdown()


def test_an_order_read_for_the_worker_is_the_order_read_here(big: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """`read_orders` (its own connection, its keys sorted in runs and merged) gives every column's order both ways
    exactly as `order` does, ties in seed order; kept, it is what `order` answers."""
    from db.trials import queries

    monkeypatch.setattr(queries, "RUN", 50)  # many runs to merge over this registry
    here = TrialsQuery(big.conn, big.disease_tree)
    worker = TrialsQuery(big.conn, big.disease_tree, connect=big.connect)
    for column in COLUMNS[:1] + COLUMNS[2:]:
        read = worker.read_orders(column)
        for descending in (False, True):
            assert read[(column, descending)] == list(here.order(column, descending)), (column, descending)
        assert not worker.has_order(column)
        worker.keep_orders(read)
        assert worker.has_order(column, True) and list(worker.order(column)) == read[(column, False)]


@pytest.mark.gui
def test_a_large_registrys_first_drug_class_filter_is_looked_up_on_the_worker(  # type: ignore[no-untyped-def]
        qtbot, big: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """Chosen by keyboard, a drug class not looked up lately is looked up on the worker: the table keeps its rows
    and says it is filtering until the studies arrive; chosen again, it is answered at once."""
    from desktop import trials_model
    from desktop.tasks import TaskRunner

    monkeypatch.setattr(trials_model, "SORT_ON_WORKER", STUDIES)  # this registry counts as a large one
    tasks = TaskRunner()
    tab = shown_widget(qtbot, TrialsTab(big, tasks=tasks))
    query = tab.model.query
    reads: list[tuple[list[tuple[str, str]], str]] = []
    gate = threading.Event()
    real = query.read_matches

    def held(wanted: list[tuple[str, str]]) -> Any:
        reads.append((wanted, threading.current_thread().name))
        assert gate.wait(10)
        return real(wanted)

    monkeypatch.setattr(query, "read_matches", held)
    try:
        before = shown(tab)
        box = tab.drug_class
        box.setFocus()
        qtbot.keyClick(box, Qt.Key.Key_Down)  # the first class
        value = box.currentData()
        qtbot.waitUntil(lambda: len(reads) == 1, timeout=5000)
        assert reads[0][0] == [("drug_class", value)] and reads[0][1].startswith("tumorboard-task")
        assert shown(tab) == before and "filtering…" in tab.count.text()
        gate.set()
        qtbot.waitUntil(lambda: tab.model.pending_filters is None, timeout=10_000)
        wanted = [query.ids[p] for p in query.select(Filters(drug_class=value))]
        assert [r.id for r in tab.model.rows] == wanted[:FETCH] and "filtering" not in tab.count.text()
        assert f"{len(wanted):,} of {STUDIES:,} studies" in tab.count.text()
        qtbot.keyClick(box, Qt.Key.Key_Up)  # Any
        qtbot.keyClick(box, Qt.Key.Key_Down)  # the same class again: at hand, no lookup
        assert len(reads) == 1 and [r.id for r in tab.model.rows] == wanted[:FETCH]
    finally:
        gate.set()
        tasks.shutdown()


def test_the_studies_are_grouped_along_an_index_not_sorted(registry_db: Path) -> None:
    """Opening the tab groups every study by phase, status, line and markers: read along studies_groups,
    never a temporary sort of the whole table (the largest part of opening it at 100 000 studies)."""
    from db.trials.queries import GROUPS

    store = Store(registry_db)
    plan = " | ".join(str(row[-1]) for row in store.conn.execute("EXPLAIN QUERY PLAN " + GROUPS))
    assert "COVERING INDEX studies_groups" in plan and "TEMP B-TREE" not in plan, plan


def test_a_drug_or_class_filter_reads_its_studies_along_study_drugs(any_store: Store) -> None:
    """A drug's or a drug class's studies are read along study_drugs' key (one entry per study and drug), not
    through a row of arm_drugs and of arms per arm (at 100 000 studies a class of 17 000: 25-35 ms); study_drugs
    holds the drugs each study's arms give."""
    conn = any_store.conn
    assert set(conn.execute("SELECT drug_id, study_id FROM study_drugs")) == set(conn.execute(
        "SELECT ad.drug_id, a.study_id FROM arm_drugs ad JOIN arms a ON a.id = ad.arm_id"))
    query = TrialsQuery(conn, any_store.disease_tree)
    first = query.drug_classes()[0]
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    try:
        assert query.select(Filters(drug_class=first)) and query.select(Filters(drug="sorafenib"))
    finally:
        conn.set_trace_callback(None)
    assert len(statements) == 2
    for sql in statements:
        plan = " | ".join(str(row[-1]) for row in conn.execute("EXPLAIN QUERY PLAN " + sql))
        assert "SEARCH study_drugs USING PRIMARY KEY (drug_id=?)" in plan and " arms " not in plan \
            and "arm_drugs" not in plan, plan
