"""The Trials tab as a user drives it: filter, sort, open a study, read its figures and sources."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from db.store import Store
from db.trials.table import trial_rows
from desktop.main_window import MainWindow
from desktop.trials_model import HR, PFS, STUDY, N
from desktop.trials_tab import TrialsTab
from tests.window_support import choose, click_header, click_row, opened_window, shown

pytestmark = pytest.mark.gui


@pytest.fixture
def tab(qtbot, store: Store) -> TrialsTab:  # type: ignore[no-untyped-def]
    return shown(qtbot, TrialsTab(store))


@pytest.fixture
def window(qtbot, home):  # type: ignore[no-untyped-def]
    yield from opened_window(qtbot, home)


def names(tab: TrialsTab) -> list[str]:
    return [tab.model.index(r, STUDY).data() for r in range(tab.model.rowCount())]


def click_study(qtbot, tab: TrialsTab, study_id: str) -> None:  # type: ignore[no-untyped-def]
    """Click the study's row in the table (scrolled to it, as the user scrolls)."""
    row = tab.model.row_of(study_id)
    assert row >= 0, f"{study_id} is not in the table"
    click_row(qtbot, tab.table, row, STUDY)


def test_all_studies_are_listed(tab: TrialsTab, store: Store) -> None:
    assert tab.model.rowCount() == len(store.studies())
    assert f"{tab.model.rowCount()} of {tab.model.rowCount()} studies" in tab.count.text()


def test_disease_filter_includes_narrower_diseases(qtbot, tab: TrialsTab) -> None:  # type: ignore[no-untyped-def]
    choose(qtbot, tab.disease, "Gastroenteropancreatic neuroendocrine tumour")
    shown = names(tab)
    assert any(n.startswith("RADIANT-3") for n in shown)  # a pNET study under GEP-NET
    assert not any(n.startswith("SELECT") for n in shown)
    choose(qtbot, tab.disease, "Pancreatic neuroendocrine tumour")
    assert not any(n.startswith("RADIANT-4") for n in names(tab))


def test_phase_and_status_filters_combine(qtbot, tab: TrialsTab, store: Store) -> None:  # type: ignore[no-untyped-def]
    choose(qtbot, tab.phase, "Phase 3")
    choose(qtbot, tab.status, "completed")
    expected = {r.id for r in trial_rows(store) if r.phase == "3" and r.status == "completed"}
    assert expected and {r.id for r in tab.model.rows} == expected
    qtbot.mouseClick(tab.clear_button, Qt.MouseButton.LeftButton)
    assert tab.model.rowCount() == len(store.studies())


def test_drug_class_filter(qtbot, tab: TrialsTab) -> None:  # type: ignore[no-untyped-def]
    choose(qtbot, tab.drug_class, "mTOR inhibitor (rapalog)")
    assert tab.model.rows
    assert all("mTOR inhibitor (rapalog)" in r.drug_classes for r in tab.model.rows)


def test_sorting_by_n_puts_missing_values_last(qtbot, tab: TrialsTab) -> None:  # type: ignore[no-untyped-def]
    header = tab.table.horizontalHeader()
    click_header(qtbot, tab.table, N)
    if header.sortIndicatorOrder() != Qt.SortOrder.DescendingOrder:
        click_header(qtbot, tab.table, N)  # a second click reverses the order
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (N, Qt.SortOrder.DescendingOrder)
    values = [r.n for r in tab.model.rows]
    present = [v for v in values if v is not None]
    assert present and None in values, "the dataset has studies with and without an n"
    assert present == sorted(present, reverse=True)
    assert values[: len(present)] == present


def test_row_shows_pfs_and_hr_as_printed(qtbot, tab: TrialsTab) -> None:  # type: ignore[no-untyped-def]
    click_study(qtbot, tab, "radiant-3")
    row = tab.table.currentIndex().row()
    assert tab.model.study_id(row) == "radiant-3"
    assert tab.model.index(row, PFS).data() == "11.4 months vs 5.4 months"
    assert tab.model.index(row, HR).data().startswith("0.34")


def test_opening_a_study_shows_figures_notes_and_citation(qtbot, tab: TrialsTab) -> None:  # type: ignore[no-untyped-def]
    click_study(qtbot, tab, "radiant-4")
    text = tab.detail.toPlainText()
    assert "RADIANT-4" in text
    assert "11 months" in text and "3.9 months" in text
    assert "Stomatitis" in text and "63%" in text
    assert "Ambiguous in the source" in text  # the Table 5 header note
    assert "doi:10.2147/CMAR.S113382" in text
    assert "Dataset" in text and "not a recommendation" in text
    current = tab.table.currentIndex()
    assert tab.model.rows[current.row()].id == "radiant-4"


def test_keyboard_moves_through_studies(qtbot, tab: TrialsTab) -> None:  # type: ignore[no-untyped-def]
    click_row(qtbot, tab.table, 0)
    assert tab.model.rows[0].name in tab.detail.toPlainText()
    qtbot.keyClick(tab.table, Qt.Key.Key_Down)
    assert tab.model.rows[1].name in tab.detail.toPlainText()


def test_a_drug_from_search_filters_to_studies_with_that_drug(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(window.search.field, "lenvatinib")
    hit = window.search.current_hit()
    assert hit is not None and (hit.kind, hit.ref) == ("drug", "lenvatinib"), hit
    qtbot.keyClick(window.search.field, Qt.Key.Key_Return)
    tab = window.tabs.currentWidget()
    assert isinstance(tab, TrialsTab)
    assert tab.model.rows and all("lenvatinib" in r.drug_ids for r in tab.model.rows)
    assert "drug: lenvatinib" in tab.count.text()


def test_efficacy_chart_draws_the_studies_in_view(qtbot, tab: TrialsTab) -> None:  # type: ignore[no-untyped-def]
    choose(qtbot, tab.disease, "Pancreatic neuroendocrine tumour")
    qtbot.mouseClick(tab.chart_button, Qt.MouseButton.LeftButton)
    assert tab.bottom.currentWidget() is tab.chart
    labels = [b[0] for b in tab.chart.bars]
    assert "RADIANT-3: Everolimus" in labels and "RADIANT-3: Placebo" in labels
    assert ("RADIANT-3", 0.34) in [(h[0], h[1]) for h in tab.chart.hrs]
    assert "Dataset" in tab.chart.caption.text()
    click_study(qtbot, tab, "radiant-3")
    assert tab.bottom.currentWidget() is tab.detail


def test_not_reached_is_shown_as_a_word_without_a_unit(qtbot, tab: TrialsTab) -> None:  # type: ignore[no-untyped-def]
    click_study(qtbot, tab, "caplin-lanreotide")
    row = tab.table.currentIndex().row()
    assert tab.model.study_id(row) == "caplin-lanreotide"
    assert tab.model.index(row, PFS).data() == "NR (not reached) vs 18.0 months"


def test_a_status_the_source_does_not_give_is_said_in_words(qtbot, tab: TrialsTab, store: Store) -> None:  # type: ignore[no-untyped-def]
    """The seeds' 'unknown' status never stands alone: the filter and the study pane say 'status not stated'."""
    unstated = [r.id for r in trial_rows(store) if r.status == "unknown"]
    assert "arrow" in unstated
    choose(qtbot, tab.status, "status not stated")
    assert {r.id for r in tab.model.rows} == set(unstated)
    click_study(qtbot, tab, "arrow")
    head = tab.detail.toPlainText().split("\n")
    assert any("status not stated" in line for line in head[:4])
    assert not any(part.strip() == "unknown" for line in head for part in line.split("·"))


def test_a_verdict_stays_in_view_in_a_narrow_figure_cell(qtbot, tab: TrialsTab) -> None:  # type: ignore[no-untyped-def]
    """RADIANT-2 missed its boundary: the HR cell, elided at its end in a narrow column, says 'not met' right
    after the value (marks first), and its tooltip gives the whole verdict; COSMIC-311's met at an interim."""
    cells = {}
    for study in ("radiant-2", "cosmic-311"):
        row = tab.model.row_of(study)
        assert row >= 0
        cells[study] = (tab.model.index(row, HR).data(), tab.model.index(row, HR).data(Qt.ItemDataRole.ToolTipRole))
    shown, tip = cells["radiant-2"]
    assert shown.startswith("† 0.77 not met") and "primary end point not met (boundary p ≤ 0.0246" in tip
    shown, tip = cells["cosmic-311"]
    assert " 0.22 met (interim) (" in shown and "primary end point met at an interim analysis" in tip
